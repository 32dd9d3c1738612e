/**
 * Database errors that input causes (a NUL character in a text, a number out of range, a unique value
 * already taken) become a 4xx that says what kind of value is wrong, never the SQL or the database's
 * own message. Everything else stays a 500.
 */
export type InputError = { status: number; message: string };

// SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html) and what to tell the caller.
const INPUT_ERRORS: Record<string, InputError> = {
  '22001': { status: 400, message: 'a text in the request is too long' },
  '22003': { status: 400, message: 'a number in the request is out of range' },
  '22007': { status: 400, message: 'a date or time in the request is not valid' },
  '22008': { status: 400, message: 'a date or time in the request is out of range' },
  '22021': { status: 400, message: 'a text in the request contains a character that cannot be stored (such as NUL, \\u0000)' },
  '22P02': { status: 400, message: 'a value in the request has the wrong form' },
  '22P05': { status: 400, message: 'a text in the request contains a character that cannot be stored (such as NUL, \\u0000)' },
  '23502': { status: 400, message: 'a required value is missing' },
  '23503': { status: 409, message: 'the request refers to a record that does not exist, or that others still refer to' },
  '23505': { status: 409, message: 'a record with this unique value already exists' },
  '23514': { status: 400, message: 'a value in the request is not allowed' },
  '54000': { status: 400, message: 'a value in the request is too large' },
};

// Prisma's own codes when the driver's SQLSTATE is not passed on.
const PRISMA_CODES: Record<string, string> = { P2000: '22001', P2002: '23505', P2003: '23503', P2011: '23502', P2020: '22003' };

/** The 4xx an input-caused database error deserves, or null for a genuine server failure. */
export function inputErrorFromDatabase(error: unknown): InputError | null {
  return INPUT_ERRORS[sqlState(error) ?? ''] ?? null;
}

// Prisma refuses, before any SQL, a number its column type cannot hold (an id of 1e308 in a query string).
const PRISMA_INTEGER_OVERFLOW = /Unable to fit value \S+ into a \d+-bit signed integer/;

function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  if (error instanceof Error && error.constructor.name === 'PrismaClientValidationError' && PRISMA_INTEGER_OVERFLOW.test(error.message)) return '22003';
  const e = error as { code?: unknown; severity?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } } };
  const cause = e.meta?.driverAdapterError?.cause;
  const fromAdapter = cause?.originalCode ?? cause?.code;
  if (typeof fromAdapter === 'string') return fromAdapter;
  if (typeof e.code === 'string' && e.severity !== undefined) return e.code; // node-postgres' DatabaseError
  return typeof e.code === 'string' ? PRISMA_CODES[e.code] : undefined;
}
