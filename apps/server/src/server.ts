/** The composition root: configuration -> database -> services -> app. Used by `funnel serve`. */
import { openDatabase, type Database } from './db/database';
import { buildApp } from './app';
import { createServices } from './services';
import type { Env } from './env';
import { secureCookiesOf } from './env';
import { findDemoWorkspace, seedDemo, type SeedResult } from './features/demo/seed';
import { listWorkspaces } from './features/workspace/workspace.repository';
import { startScheduler } from './features/jobs/scheduler';

export interface StartOptions {
  env: Env;
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  port?: number | undefined;
  host?: string | undefined;
  /** Create the demo workspace when the database has no workspace yet. */
  demoOnFirstRun?: boolean;
  webDist?: string | undefined;
}

export interface RunningServer {
  url: string;
  database: Database;
  demo: SeedResult | null;
  close(): Promise<void>;
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const database = await openDatabase({
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
  });
  await database.migrate();
  let demo: SeedResult | null = null;
  if (options.demoOnFirstRun && (await listWorkspaces(database.db)).length === 0) {
    demo = await seedDemo(database.db);
  } else if (options.demoOnFirstRun && (await findDemoWorkspace(database.db))) {
    demo = { workspaceId: (await findDemoWorkspace(database.db))!, opportunities: 0, users: [] };
  }
  const services = createServices({
    db: database.db,
    sessionTtlHours: options.env.SESSION_TTL_HOURS,
  });
  const app = await buildApp({
    services,
    sessionTtlHours: options.env.SESSION_TTL_HOURS,
    secureCookies: secureCookiesOf(options.env),
    logLevel: options.env.LOG_LEVEL,
    webDist: options.webDist,
  });
  const port = options.port ?? options.env.PORT;
  const host = options.host ?? options.env.HOST;
  await app.listen({ port, host });
  const stopScheduler = startScheduler(
    database.db,
    services.opportunities,
    () => new Date(),
    (message) => app.log.info(message),
  );
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://localhost:${actualPort}`,
    database,
    demo,
    async close() {
      stopScheduler();
      await app.close();
      await database.close();
    },
  };
}
