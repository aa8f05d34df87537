/**
 * Builds the Fastify app without listening, so tests can inject requests. The API lives under
 * /api/v1 and is described by OpenAPI 3.1 at /api/openapi.json (browsable at /api/docs).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { registerAuthHook } from './http/auth-hook';
import { registerErrorHandler } from './http/error-handler';
import { validatorCompiler } from './http/validation';
import type { Services } from './services';
import { authRoutes } from './features/auth/auth.routes';
import { workspaceRoutes } from './features/workspace/workspace.routes';
import { peopleRoutes } from './features/people/people.routes';
import { pipelineRoutes } from './features/pipelines/pipelines.routes';
import { settingsRoutes } from './features/settings/settings.routes';
import { accountRoutes } from './features/accounts/accounts.routes';
import { opportunityRoutes } from './features/opportunities/opportunities.routes';
import { followUpRoutes } from './features/follow-ups/follow-ups.routes';
import { auditRoutes } from './features/audit/audit.routes';
import { analyticsRoutes } from './features/analytics/analytics.routes';
import { dataTransferRoutes } from './features/import/data-transfer';
import { analyticsExportRoutes } from './features/export/analytics-export.routes';

export interface AppOptions {
  services: Services;
  sessionTtlHours?: number;
  secureCookies?: boolean | null;
  logLevel?: string;
  /** Folder of the built web app; served at / with a single-page fallback when it exists. */
  webDist?: string | undefined;
  version?: string;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: options.logLevel ?? 'silent' },
    bodyLimit: 1024 * 1024,
    trustProxy: true,
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app, options.webDist);
  // JSON answers escape <, > and & so that stored text can never be read as markup, and say not to sniff.
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    const type = reply.getHeader('content-type');
    if (typeof payload !== 'string' || typeof type !== 'string' || !type.includes('json'))
      return payload;
    return payload.replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
  });

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Funnel API',
        version: options.version ?? '0.1.0',
        description:
          'Sales opportunity tracking and funnel analytics. Sign in at POST /api/v1/auth/sign-in (cookie session; send the X-CSRF-Token header on writes) or use `Authorization: Bearer <token>` from `funnel token create`. Money is a decimal string in 元; times are ISO 8601 UTC. Errors: {"error":{"code","message","fields":[{"path","code","message"}]}} in the Accept-Language language (zh-CN or en).',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'funnel_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  const { services } = options;
  registerAuthHook(app, services.auth);
  await app.register(
    async (api) => {
      await api.register(authRoutes, {
        auth: services.auth,
        sessionTtlHours: options.sessionTtlHours ?? 24 * 7,
        secureCookies: options.secureCookies ?? null,
      });
      await api.register(workspaceRoutes, { workspace: services.workspace });
      await api.register(peopleRoutes, { people: services.people });
      await api.register(pipelineRoutes, { pipelines: services.pipelines });
      await api.register(settingsRoutes, { settings: services.settings });
      await api.register(accountRoutes, { accounts: services.accounts });
      await api.register(opportunityRoutes, {
        opportunities: services.opportunities,
        collections: services.collections,
        audit: services.audit,
      });
      await api.register(followUpRoutes, { followUps: services.followUps });
      await api.register(auditRoutes, { audit: services.audit });
      await api.register(analyticsRoutes, {
        analytics: services.analytics,
        targets: services.targets,
      });
      await api.register(dataTransferRoutes, { dataTransfer: services.dataTransfer });
      await api.register(analyticsExportRoutes, {
        analytics: services.analytics,
        exports: services.dataTransfer.exports,
      });
    },
    { prefix: '/api/v1' },
  );

  if (options.webDist && existsSync(path.join(options.webDist, 'index.html'))) {
    // wildcard: files are looked up per request, so a rebuilt bundle is served without a restart;
    // a path that is no file falls through to the not-found handler (the single-page fallback).
    await app.register(fastifyStatic, {
      root: path.resolve(options.webDist),
      wildcard: true,
      index: ['index.html'],
    });
  }
  await app.ready();
  return app;
}
