/**
 * The one place where errors become HTTP answers: every DomainError code maps to a status
 * (exhaustively, so a new code cannot be forgotten), validation errors name their fields, and
 * anything unexpected is logged and answered as a plain 500 without internals.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import {
  fieldErrorsFromIssues,
  pickLocale,
  translate,
  type ApiErrorBody,
  type ErrorCode,
  type Locale,
} from '@funnel/contracts';
import { DomainError } from './domain-error';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  ROUTE_NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  RATE_LIMITED: 429,
  CSRF_FAILED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VERSION_CONFLICT: 409,
  DUPLICATE: 409,
  STAGE_GATE_UNMET: 422,
  REASON_REQUIRED: 422,
  INVALID_STAGE_MOVE: 422,
  OPPORTUNITY_CLOSED: 409,
  OPPORTUNITY_NOT_CLOSED: 409,
  IN_USE: 409,
  INTERNAL_ERROR: 500,
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

export function requestLocale(request: FastifyRequest): Locale {
  return pickLocale(request.headers['accept-language']);
}

export function errorBody(error: DomainError, locale: Locale): ApiErrorBody {
  const body: ApiErrorBody = {
    error: { code: error.code, message: translate(locale, error.code, error.params) },
  };
  if (error.fields.length > 0) {
    body.error.fields = error.fields.map((f) => ({
      path: f.path,
      code: f.key,
      message: translate(locale, `field.${f.key}`, f.params),
    }));
  }
  if (error.details) body.error.details = error.details;
  return body;
}

/** Fastify's own error codes for request problems, mapped onto ours. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

export function registerErrorHandler(app: FastifyInstance, webDist?: string): void {
  app.setErrorHandler((error: FastifyError | DomainError | ZodError, request, reply) => {
    const locale = requestLocale(request);
    if (error instanceof DomainError)
      return send(reply, statusOf(error.code), errorBody(error, locale));

    const validation = validationIssues(error);
    if (validation) {
      const body: ApiErrorBody = {
        error: {
          code: 'VALIDATION_FAILED',
          message: translate(locale, 'VALIDATION_FAILED'),
          fields: fieldErrorsFromIssues(validation.issues, locale, validation.prefix),
        },
      };
      return send(reply, 400, body);
    }

    const fastifyCode =
      'code' in error && typeof error.code === 'string' ? FASTIFY_CODES[error.code] : undefined;
    if (fastifyCode) {
      return send(reply, statusOf(fastifyCode), {
        error: { code: fastifyCode, message: translate(locale, fastifyCode) },
      });
    }
    if ('statusCode' in error && typeof error.statusCode === 'number' && error.statusCode < 500) {
      // Any other client error fastify raised (e.g. a URL too long): say what it was, in a 4xx.
      request.log.warn({ err: error }, 'client error');
      return send(reply, error.statusCode, {
        error: {
          code: 'VALIDATION_FAILED',
          message: translate(locale, 'VALIDATION_FAILED'),
          details: { reason: error.message },
        },
      });
    }
    request.log.error({ err: error }, 'unexpected error');
    return send(reply, 500, {
      error: { code: 'INTERNAL_ERROR', message: translate(locale, 'INTERNAL_ERROR') },
    });
  });

  app.setNotFoundHandler((request, reply) => {
    // The single-page app owns every other GET path: hand it index.html and let it route.
    const isPage =
      request.method === 'GET' &&
      !request.url.startsWith('/api') &&
      request.headers.accept?.includes('text/html');
    if (webDist && isPage && existsSync(path.join(webDist, 'index.html'))) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    const locale = requestLocale(request);
    return send(reply, 404, {
      error: {
        code: 'ROUTE_NOT_FOUND',
        message: translate(locale, 'ROUTE_NOT_FOUND', {
          method: request.method,
          url: request.url.split('?')[0],
        }),
      },
    });
  });
}

function send(reply: FastifyReply, status: number, body: ApiErrorBody) {
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

interface ValidationIssues {
  issues: ZodError['issues'];
  prefix: string;
}

/** Request validation fails with a ZodError from our validator compiler; find it and where it was. */
function validationIssues(error: unknown): ValidationIssues | null {
  if (error instanceof ZodError) return { issues: error.issues, prefix: '' };
  const candidate = error as { validation?: unknown; validationContext?: string; cause?: unknown };
  if (candidate.cause instanceof ZodError) {
    const context = candidate.validationContext;
    return {
      issues: candidate.cause.issues,
      prefix: context === 'body' || !context ? '' : context,
    };
  }
  return null;
}
