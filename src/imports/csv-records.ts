/**
 * CSV text into records, each with the line it starts on (the number a text editor shows; the header is
 * line 1). The separator, `,` or `;` (spreadsheets in Spanish-speaking locales write `;`), is read from
 * the header line. Quotes are read leniently (`Juan "Pepe" Pérez` unquoted stays as written); what cannot
 * be read at all (a quote never closed) stops the file with the line where it happened.
 */
import { parse, type CsvError, type InfoRecord, type Options } from 'csv-parse';
import { pipeline, Readable } from 'node:stream';
import { decodeText } from './encoding.js';
import { ImportFileError } from './file-error.js';

export type CsvRecord = { line: number; fields: string[] };

// Longer than any real row: a record this long means an opening quote was never closed.
const MAX_RECORD_CHARACTERS = 100_000;

/** `,` or `;`: whichever the header line uses more often outside quotes. */
export function detectDelimiter(headerLine: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

export async function* csvRecords(text: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  const source = text[Symbol.asyncIterator]();
  // The separator is known once the whole header line has arrived.
  let head = '';
  for (;;) {
    const next = await source.next();
    if (next.done) break;
    head += next.value;
    if (head.includes('\n')) break;
  }
  if (head === '') return;
  const parser = parse({
    delimiter: detectDelimiter(head.split('\n', 1)[0]!),
    // Files edited on several machines mix line endings.
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARACTERS,
    // The typings only allow on_record to return a record as parsed; any value is passed on.
    on_record: ((fields: string[], context: InfoRecord): CsvRecord => ({ line: context.lines - newlinesIn(fields), fields })) as unknown as Options['on_record'],
  });
  // pipeline, not pipe: a failure reading the source must reach the loop below.
  pipeline(Readable.from(rest(head, source)), parser, () => undefined);
  try {
    for await (const record of parser) yield record as CsvRecord;
  } catch (err) {
    if (isCsvError(err)) throw new ImportFileError(describe(err));
    throw err;
  }
}

/** The header's fields, read from the first bytes of a file (its first chunk). */
export async function headerFields(head: Uint8Array): Promise<string[] | undefined> {
  let text = '';
  for await (const piece of decodeText(once(head))) text += piece;
  for await (const record of csvRecords(once(text.split('\n', 1)[0]!))) return record.fields;
  return undefined;
}

async function* once<T>(value: T): AsyncGenerator<T> {
  yield value;
}

async function* rest(head: string, source: AsyncIterator<string>): AsyncGenerator<string> {
  yield head;
  for (;;) {
    const next = await source.next();
    if (next.done) return;
    yield next.value;
  }
}

/** A record is reported where it starts: its end line less the line breaks inside quoted fields. */
function newlinesIn(fields: string[]): number {
  let count = 0;
  for (const field of fields) {
    if (!field.includes('\n')) continue;
    for (const ch of field) if (ch === '\n') count++;
  }
  return count;
}

function isCsvError(err: unknown): err is CsvError {
  return typeof (err as CsvError)?.code === 'string' && (err as CsvError).code.startsWith('CSV_');
}

function describe(err: CsvError): string {
  const line = (err as CsvError & { lines?: number }).lines;
  const where = line ? `line ${line}: ` : '';
  if (err.code === 'CSV_MAX_RECORD_SIZE') return `${where}a row longer than ${MAX_RECORD_CHARACTERS} characters: is a quote left open?`;
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') return `${where}a quote is opened and never closed`;
  return `${where}${err.message}`;
}
