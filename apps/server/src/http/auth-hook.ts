/**
 * Authentication for /api/v1: a session cookie (with a CSRF token on writes) or a bearer API
 * token. Routes marked `config.public` skip it. Unknown credentials answer 401.
 */
import type { FastifyInstance } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import type { AuthService } from '../features/auth/auth.service';
import { DomainError } from './domain-error';
import './request-context';

export const SESSION_COOKIE = 'funnel_session';
export const CSRF_COOKIE = 'funnel_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function registerAuthHook(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/v1/')) return;
    if (request.routeOptions.config?.public) return;
    const header = request.headers.authorization;
    const bearer = header?.startsWith('Bearer ')
      ? header.slice('Bearer '.length).trim()
      : undefined;
    const session = request.cookies[SESSION_COOKIE];
    if (!bearer && !session) throw new DomainError('UNAUTHENTICATED');
    const actor = await auth.authenticate({ bearer, session: bearer ? undefined : session });
    if (!actor) throw new DomainError('UNAUTHENTICATED');
    if (actor.via === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameToken(sent, actor.csrfToken ?? ''))
        throw new DomainError('CSRF_FAILED');
    }
    request.actor = actor;
  });
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
