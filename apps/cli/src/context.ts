/** What every command shares: where the database is, and how to open it. */
import path from 'node:path';
import { openDatabase, parseEnv, type Database, type Env } from '@funnel/server';

export interface GlobalOptions {
  dataDir?: string;
  databaseUrl?: string;
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function loadEnv(): Env {
  try {
    return parseEnv(process.env);
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
}

export function databaseOptions(global: GlobalOptions, env: Env) {
  const databaseUrl = global.databaseUrl ?? env.DATABASE_URL;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new CliError(
      `--database-url must start with postgres:// or postgresql:// (got "${databaseUrl}")`,
      2,
    );
  }
  return { databaseUrl, dataDir: path.resolve(global.dataDir ?? env.FUNNEL_DATA_DIR) };
}

/** Opens and migrates the database, runs the work, and always closes it. */
export async function withDatabase<T>(
  global: GlobalOptions,
  work: (database: Database, env: Env) => Promise<T>,
): Promise<T> {
  const env = loadEnv();
  let database: Database;
  try {
    database = await openDatabase(databaseOptions(global, env));
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  try {
    await database.migrate();
    return await work(database, env);
  } finally {
    await database.close();
  }
}
