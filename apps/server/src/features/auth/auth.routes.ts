import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ApiToken,
  CreateTokenBody,
  CreatedToken,
  Id,
  Me,
  OkResponse,
  SignInBody,
  UpdateMeBody,
} from '@funnel/contracts';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../http/auth-hook';
import { actorOf } from '../../http/request-context';
import type { AuthService } from './auth.service';

export interface AuthRoutesOptions {
  auth: AuthService;
  sessionTtlHours: number;
  /** true / false, or null to follow the request's protocol. */
  secureCookies: boolean | null;
}

export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (
  app,
  { auth, sessionTtlHours, secureCookies },
) => {
  app.post(
    '/auth/sign-in',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password (sets the session cookie)',
        body: SignInBody,
        response: { 200: Me },
      },
    },
    async (request, reply) => {
      const session = await auth.signIn(request.body.email, request.body.password, request.ip);
      const secure = secureCookies ?? request.protocol === 'https';
      const cookie = {
        path: '/',
        sameSite: 'lax' as const,
        secure,
        maxAge: sessionTtlHours * 3600,
      };
      reply.setCookie(SESSION_COOKIE, session.token, { ...cookie, httpOnly: true });
      reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...cookie, httpOnly: false });
      const actor = (await auth.actorFor(
        session.workspaceId,
        session.userId,
        'session',
        session.csrfToken,
      ))!;
      return auth.me(actor);
    },
  );

  app.post(
    '/auth/sign-out',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign out (ends the session)',
        response: { 200: OkResponse },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await auth.signOut(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(CSRF_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  app.get(
    '/auth/me',
    { schema: { tags: ['auth'], summary: 'Who am I', response: { 200: Me } } },
    async (request) => auth.me(actorOf(request)),
  );

  app.patch(
    '/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change my name, language or password',
        body: UpdateMeBody,
        response: { 200: Me },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await auth.updateMe(actor, request.body);
      return auth.me(
        (await auth.actorFor(actor.workspaceId, actor.userId, actor.via, actor.csrfToken))!,
      );
    },
  );

  app.get(
    '/tokens',
    { schema: { tags: ['auth'], summary: 'My API tokens', response: { 200: z.array(ApiToken) } } },
    async (request) => auth.listTokens(actorOf(request)),
  );

  app.post(
    '/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an API token (shown once)',
        body: CreateTokenBody,
        response: { 201: CreatedToken },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return auth.createToken(actorOf(request), request.body.name);
    },
  );

  app.delete(
    '/tokens/:id',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke an API token',
        params: z.object({ id: Id }),
        response: { 200: OkResponse },
      },
    },
    async (request) => {
      await auth.revokeToken(actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );
};
