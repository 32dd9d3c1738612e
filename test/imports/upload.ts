/** Sending a CSV file to an import endpoint as a client would: the raw bytes as the request body. */
import type { Harness } from '../support/harness.js';

export async function uploadCsv(h: Harness, path: string, file: string | Buffer, contentType = 'text/csv'): Promise<{ status: number; body: any }> {
  const response = await fetch(h.baseUrl + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.adminKey}`, 'content-type': contentType },
    body: typeof file === 'string' ? file : new Uint8Array(file),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** A CSV file from rows of cells, each row on its own line, cells quoted where they must be. */
export function csv(rows: string[][], separator = ','): string {
  const cell = (text: string) => (text.includes(separator) || /["\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return rows.map((cells) => cells.map(cell).join(separator)).join('\n') + '\n';
}
