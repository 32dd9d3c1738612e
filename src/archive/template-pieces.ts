/**
 * An archived body cut into its literal text and its merge fields, in order, for matching a pasted copy
 * and for showing the fields on the public pages. The parsing stays template.ts's own: every field is
 * rendered as a marker and the text is cut at the markers.
 */
import { fieldsIn, render } from '../content/template.js';

export type Piece = { text: string } | { field: string };

export function templatePieces(body: string): Piece[] {
  const fields = fieldsIn(body);
  const marks = Object.fromEntries(fields.map((field, i) => [field, `\u0001${i}\u0001`]));
  return render(body, { contact: {} }, marks)
    .text.split(/\u0001(\d+)\u0001/)
    .map((piece, i): Piece => (i % 2 === 1 ? { field: fields[Number(piece)]! } : { text: piece }))
    .filter((piece) => !('text' in piece) || piece.text !== '');
}
