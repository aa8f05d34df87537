import type { FastifyRequest } from 'fastify';
import { DomainError } from './domain-error';
import type { Actor } from '../features/access/actor';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in. */
    public?: boolean;
  }
}

/** The signed-in actor of a request behind the auth hook. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new DomainError('UNAUTHENTICATED');
  return request.actor;
}
