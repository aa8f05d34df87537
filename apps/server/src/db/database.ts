/**
 * The connection factory: PGlite (embedded Postgres in WebAssembly, persisted in a data
 * directory) by default, a PostgreSQL server when a URL is given. One schema, one set of
 * migrations, one query dialect for both.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import pg from 'pg';
import * as schema from './schema';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything that runs queries: the database or an open transaction. */
export type Executor = Db | Tx;

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Where the data lives: a directory for PGlite, the URL without password for PostgreSQL. */
  location: string;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}

// bigint (int8) columns hold money in 分 and ids of append-only logs; they fit in a JS number.
pg.types.setTypeParser(20, (value: string) => Number(value));
// numeric: win probabilities and ratios; exact money sums are cast explicitly in analytics SQL.
pg.types.setTypeParser(1700, (value: string) => Number(value));

/**
 * Session settings for PostgreSQL connections: the analytics are many short, index-driven
 * queries, for which JIT compilation costs more than it saves (at 1M opportunities it doubled the
 * dashboard's time), and their Kaplan–Meier sorts fit in 32 MB instead of spilling to disk. An
 * `options` parameter in DATABASE_URL replaces these (e.g. `?options=-c%20jit%3Don`).
 */
export const POSTGRES_SESSION_OPTIONS = '-c jit=off -c work_mem=32MB';

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      options: POSTGRES_SESSION_OPTIONS,
    });
    pool.on('error', (error) => console.error('PostgreSQL pool error:', error.message));
    const client = await pool.connect().catch((error: Error) => {
      throw new Error(
        `Cannot connect to PostgreSQL at ${redact(options.databaseUrl!)}: ${error.message}`,
      );
    });
    client.release();
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      location: redact(options.databaseUrl),
      migrate: () => migratePg(db as never, { migrationsFolder: MIGRATIONS_DIR }),
      close: () => pool.end(),
    };
  }
  const dataDir = path.resolve(options.dataDir ?? 'data');
  mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({
    dataDir,
    parsers: { 20: (value: string) => Number(value), 1700: (value: string) => Number(value) },
  });
  // One connection for the life of the process: the same room to sort in as on PostgreSQL.
  await client.exec(`set work_mem = '32MB'`);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    location: dataDir,
    migrate: () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_DIR }),
    close: () => client.close(),
  };
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}
