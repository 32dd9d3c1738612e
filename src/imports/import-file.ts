/**
 * An uploaded file in `import_chunks`: written as it arrives, in chunks of CHUNK_BYTES, and read back the
 * same way by whichever process runs the import. Neither side ever holds more than a chunk or two, so a
 * file of a million rows passes through a few hundred KiB of memory, and a worker on any host can read it.
 */
import type pg from 'pg';

// Read back, a chunk arrives as hex text twice its size: at 48 KiB that stays under V8's 128 KiB
// large-object size, so reading a file leaves only young, cheap garbage.
export const CHUNK_BYTES = 48 * 1024;

/** A million contacts take about 80 MB; this leaves room without letting one request fill the disk. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

export type StoredUpload = { bytes: number; lines: number; head: Buffer };

export class UploadTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
  }
}

const NEWLINE = 0x0a;

/** Stores a body as it streams in; `head` is the first chunk (for the header), `lines` counts line breaks. */
export async function storeUpload(db: Pick<pg.Pool, 'query'>, importId: number, body: AsyncIterable<Buffer>, maxBytes = MAX_UPLOAD_BYTES): Promise<StoredUpload> {
  let seq = 0;
  let bytes = 0;
  let lines = 0;
  let head: Buffer | undefined;
  let pieces: Buffer[] = [];
  let pending = 0;
  const writeChunk = async () => {
    const data = Buffer.concat(pieces);
    pieces = [];
    pending = 0;
    head ??= data;
    await db.query('INSERT INTO import_chunks (import_id, seq, data) VALUES ($1, $2, $3)', [importId, seq++, data]);
  };
  for await (const piece of body) {
    bytes += piece.length;
    if (bytes > maxBytes) throw new UploadTooLargeError(maxBytes);
    for (let at = piece.indexOf(NEWLINE); at !== -1; at = piece.indexOf(NEWLINE, at + 1)) lines++;
    pieces.push(piece);
    pending += piece.length;
    if (pending >= CHUNK_BYTES) await writeChunk();
  }
  if (pending > 0) await writeChunk();
  return { bytes, lines, head: head ?? Buffer.alloc(0) };
}

/** The stored file, chunk by chunk, in order. */
export async function* readChunks(db: Pick<pg.Pool, 'query'>, importId: number): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const { rows } = await db.query<{ data: Buffer }>('SELECT data FROM import_chunks WHERE import_id = $1 AND seq = $2', [importId, seq]);
    if (!rows[0]) return;
    yield rows[0].data;
  }
}
