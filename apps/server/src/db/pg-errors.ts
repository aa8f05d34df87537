/** PostgreSQL error codes, from pg or PGlite, possibly wrapped by drizzle in `cause`. */
function pgCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export const isUniqueViolation = (error: unknown): boolean => pgCode(error) === '23505';
export const isForeignKeyViolation = (error: unknown): boolean => pgCode(error) === '23503';

/**
 * The database's own words for a statement it refused (message and detail), or undefined when the
 * error did not come from the database. Drizzle wraps such errors as "Failed query: <the whole
 * statement> params: <every value>", which is neither readable nor fit to show (a failed import
 * batch would print a thousand rows).
 */
export function databaseReason(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const { code, message, detail } = current as {
      code?: unknown;
      message?: unknown;
      detail?: unknown;
    };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof message === 'string')
      return typeof detail === 'string' && detail ? `${message} (${detail})` : message;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * What to tell a person about an unexpected failure: the database's reason; else, for a query
 * that failed without one (a lost connection, a closed transaction), the cause's message rather
 * than drizzle's wrapper with the statement and its values; else the message.
 */
export function failureMessage(error: unknown): string {
  const reason = databaseReason(error);
  if (reason) return reason;
  let current: unknown = error;
  for (let depth = 0; depth < 5; depth++) {
    const { query, cause } = current as { query?: unknown; cause?: unknown };
    if (typeof query !== 'string' || !(cause instanceof Error)) break;
    current = cause;
  }
  return current instanceof Error ? current.message : String(current);
}
