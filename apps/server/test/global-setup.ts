/**
 * Once per test run: a migrated template database. On PGlite a data directory that each test
 * file copies (initdb takes seconds; a copy takes milliseconds); on PostgreSQL (DATABASE_URL) a
 * template database that each test file clones with CREATE DATABASE ... TEMPLATE.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/database';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `funnel_tpl_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${template}`);
    const templateUrl = new URL(url);
    templateUrl.pathname = `/${template}`;
    const database = await openDatabase({ databaseUrl: templateUrl.toString(), poolSize: 1 });
    await database.migrate();
    await database.close();
    project.provide('postgresTemplate', template);
    project.provide('postgresUrl', url);
    project.provide('pgliteTemplate', '');
    return async () => {
      // This run's databases only: another run on the same server (a second terminal, CI) keeps its.
      const result = await admin.query<{ datname: string }>(
        `select datname from pg_database where starts_with(datname, $1) or datname = $2`,
        [`${template}_t_`, template],
      );
      for (const row of result.rows) {
        await admin.query(`drop database if exists ${row.datname} with (force)`);
      }
      await admin.end();
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'funnel-template-'));
  const dataDir = path.join(dir, 'pgdata');
  const database = await openDatabase({ dataDir });
  await database.migrate();
  await database.close();
  project.provide('pgliteTemplate', dataDir);
  project.provide('postgresTemplate', '');
  project.provide('postgresUrl', '');
  return () => rmSync(dir, { recursive: true, force: true });
}
