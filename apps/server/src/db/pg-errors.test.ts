import { describe, expect, it } from 'vitest';
import { databaseReason, failureMessage } from './pg-errors';

/** As drizzle wraps a failed statement: the statement and every value in the message. */
function wrapped(cause: unknown) {
  return Object.assign(new Error('Failed query: insert into t select … params: 1,2,3'), {
    query: 'insert into t select …',
    params: [1, 2, 3],
    cause,
  });
}

describe('failureMessage', () => {
  it("gives the database's message and detail, not the wrapper", () => {
    const pg = Object.assign(new Error('duplicate key value violates unique constraint "u"'), {
      code: '23505',
      detail: 'Key (code)=(B1) already exists.',
    });
    expect(databaseReason(wrapped(pg))).toBe(
      'duplicate key value violates unique constraint "u" (Key (code)=(B1) already exists.)',
    );
    expect(failureMessage(wrapped(pg))).toBe(databaseReason(wrapped(pg)));
  });

  it('gives the cause of a failed query that has no database code (a lost connection)', () => {
    const lost = wrapped(new Error('Connection terminated unexpectedly'));
    expect(databaseReason(lost)).toBeUndefined();
    expect(failureMessage(lost)).toBe('Connection terminated unexpectedly');
  });

  it('gives any other error its own message', () => {
    expect(failureMessage(new Error('disk full'))).toBe('disk full');
    expect(failureMessage('plain')).toBe('plain');
  });
});
