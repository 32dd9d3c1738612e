/**
 * The API's own TypeBox schema as the last word on an imported row, so that a file and a JSON request are
 * held to the same limits (lengths, patterns, attribute names) without the rules being written twice.
 */
import { Compile, type Validator } from 'typebox/compile';
import type { TSchema } from 'typebox';

export type RowSchema = Validator;

export function rowSchema(schema: TSchema): RowSchema {
  return Compile(schema);
}

/** The first thing the schema finds wrong with a row, as "field: problem", or undefined when it fits. */
export function schemaProblem(schema: RowSchema, row: unknown): string | undefined {
  if (schema.Check(row)) return undefined;
  const [first] = schema.Errors(row);
  if (!first) return 'does not fit the schema';
  const field = first.instancePath.replace(/^\//, '').replace(/\//g, '.');
  return field ? `${field}: ${first.message}` : first.message;
}
