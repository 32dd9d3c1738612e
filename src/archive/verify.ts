/**
 * Is a pasted text an official message? It is when, once what phones and copy-paste change is evened out
 * (Unicode composition, curly quotes and apostrophes, spaces and line breaks, invisible characters), it
 * reads word for word as an archived message, each merge field ({{contact.name}}…) standing for any
 * short text, with or without the verification line. Otherwise the closest archived message is returned
 * with a word-level diff, so that an altered copy shows where it was altered.
 */
import { diffWords } from 'diff';
import { splitVerification } from '../content/verification-line.js';
import { templatePieces } from './template-pieces.js';

export type OfficialText = { code: string; body: string };

/** Part of a diff against the official text: `removed` is official text the copy lacks, `added` text the copy adds. */
export type DiffPart = { kind: 'same' | 'added' | 'removed' | 'field'; text: string; official?: string };

export type Closest<T> = { entry: T; similarity: number; diff: DiffPart[] };

/**
 * Why a text is not official: empty; its verification link leads elsewhere (`foreign_link`); its code is
 * no official message's (`unknown_code`); it differs from the message its code names (`differs`); or no
 * official message reads like it (`no_match`).
 */
export type Refusal = 'empty' | 'foreign_link' | 'unknown_code' | 'differs' | 'no_match';

export type Verdict<T> =
  | { official: true; entry: T; fields: Record<string, string> }
  | { official: false; reason: Refusal; code?: string; link?: string; closest: Closest<T> | null };

/** A merge field holds a name, a school, a level: a paragraph slipped into one is not official. */
const FIELD_VALUE_MAX = 200;
/** Below this share of words in common, no archived message is "the closest": it is another text. */
const MIN_SIMILARITY = 0.3;
const DIFF_CANDIDATES = 5;

export function normalizeText(text: string): string {
  return evenOut(text).trim();
}

/** What phones and copy-paste change: composition, quotes and apostrophes, invisible characters, spacing. */
function evenOut(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/[\u2018\u2019\u02BC\u00B4]/g, "'")
    .replace(/[\u201C\u201D\u00AB\u00BB]/g, '"')
    .replace(/\s+/gu, ' ');
}

export function verifyText<T extends OfficialText>(pasted: string, entries: T[], verifyUrl: string): Verdict<T> {
  const { text, code, link } = splitVerification(normalizeText(pasted));
  const body = normalizeText(text);
  const coded = code ? entries.find((entry) => entry.code === code) : undefined;
  const refuse = (reason: Refusal, among: T[]): Verdict<T> => ({ official: false, reason, ...(code ? { code } : {}), ...(link ? { link } : {}), closest: closest(body, among) });

  if (!body) return { official: false, reason: 'empty', closest: null };
  if (link && !link.toLowerCase().startsWith(`${verifyUrl.toLowerCase()}/`)) return refuse('foreign_link', entries);
  if (code && !coded) return refuse('unknown_code', entries);
  for (const entry of coded ? [coded] : entries) {
    const fields = matchOfficial(entry.body, body);
    if (fields) return { official: true, entry, fields };
  }
  return coded ? refuse('differs', [coded]) : refuse('no_match', entries);
}

/** The merge fields' values when `text` reads as the official body, or null. */
export function matchOfficial(officialBody: string, text: string): Record<string, string> | null {
  const pieces = templatePieces(officialBody);
  const fields: string[] = [];
  const source = pieces
    .map((piece, i) => {
      if ('field' in piece) {
        fields.push(piece.field);
        return `(.{0,${FIELD_VALUE_MAX}}?)`;
      }
      // Spaces are evened out inside each piece; only the body's own ends are trimmed.
      let literal = evenOut(piece.text);
      if (i === 0) literal = literal.trimStart();
      if (i === pieces.length - 1) literal = literal.trimEnd();
      return escapeRegExp(literal);
    })
    .join('');
  const match = new RegExp(`^${source}$`, 'su').exec(normalizeText(text));
  return match ? Object.fromEntries(fields.map((field, i) => [field, match[i + 1]!])) : null;
}

function closest<T extends OfficialText>(text: string, entries: T[]): Closest<T> | null {
  const words = new Set(wordsOf(text));
  const ranked = entries
    .map((entry) => ({ entry, overlap: overlap(words, new Set(wordsOf(normalizeText(entry.body)))) }))
    .sort((a, b) => b.overlap - a.overlap)
    .slice(0, DIFF_CANDIDATES)
    .map(({ entry }) => ({ entry, ...wordDiff(normalizeText(entry.body), text) }))
    .sort((a, b) => b.similarity - a.similarity);
  const best = ranked[0];
  return best && best.similarity >= MIN_SIMILARITY ? best : null;
}

/** The word-level diff, a removed merge field followed by what stands in its place shown as one `field` part. */
export function wordDiff(official: string, text: string): { similarity: number; diff: DiffPart[] } {
  const changes = diffWords(official, text);
  const diff: DiffPart[] = [];
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i]!;
    const next = changes[i + 1];
    if (change.removed && next?.added && /^(\s*\{\{[^{}]*\}\}\s*)+$/.test(change.value)) {
      diff.push({ kind: 'field', text: next.value, official: change.value });
      i++;
    } else {
      diff.push({ kind: change.added ? 'added' : change.removed ? 'removed' : 'same', text: change.value });
    }
  }
  const alike = diff.filter((part) => part.kind === 'same' || part.kind === 'field').reduce((n, part) => n + wordsOf(part.text).length, 0);
  const similarity = alike / Math.max(wordsOf(official).length, wordsOf(text).length, 1);
  return { similarity: Math.round(Math.min(1, similarity) * 100) / 100, diff };
}

function wordsOf(text: string): string[] {
  return text.split(/\s+/u).filter(Boolean);
}

function overlap(a: Set<string>, b: Set<string>): number {
  const shared = [...a].filter((word) => b.has(word)).length;
  return shared / Math.max(a.size + b.size - shared, 1);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
