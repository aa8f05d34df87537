import type { ErrorCode, FieldError } from '@funnel/contracts';

type Params = Record<string, string | number | undefined>;

/** A field problem before translation: the message key (field.<key>) and its parameters. */
export interface FieldProblem {
  path: string;
  key: string;
  params?: Params;
}

/**
 * A rule of the domain said no. Services throw these; the one error handler turns the code into
 * an HTTP status and the message into the requester's language.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Params = {},
    readonly fields: FieldProblem[] = [],
    readonly details: Record<string, unknown> | undefined = undefined,
  ) {
    super(`${code} ${JSON.stringify(params)}`);
    this.name = 'DomainError';
  }
}

export const notFound = (entity: string) => new DomainError('NOT_FOUND', { entity });
export const forbidden = () => new DomainError('FORBIDDEN');
export const invalid = (path: string, key: string, params?: Params) =>
  new DomainError('VALIDATION_FAILED', {}, [{ path, key, params }]);
export const versionConflict = (entity: string, current: number) =>
  new DomainError('VERSION_CONFLICT', { entity, current }, [], { currentVersion: current });

export type { FieldError };
