/**
 * Benchmark data sets: the demo generator at a size, cached between runs (a PGlite directory under
 * bench/.data, or a PostgreSQL database), rebuilt when the generator's version or seed changes.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase, seedDemo, type Database, type DemoSize } from '@funnel/server';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DATA = path.join(ROOT, 'bench/.data');
/** Bump when the generator changes so cached data sets are rebuilt. */
export const GENERATOR_VERSION = 5;
export const SEED = 20240501;
/** The instant the data sets are generated "as of", so that every run measures the same data. */
export const BENCH_NOW = new Date('2026-11-01T04:00:00Z');

export function progress(label: string) {
  let last = 0;
  return (done: number, total: number) => {
    const now = Date.now();
    if (now - last > 2000 || done === total) {
      last = now;
      process.stderr.write(
        `  ${label}: ${done.toLocaleString()} / ${total.toLocaleString()} opportunities\n`,
      );
    }
  };
}

export async function embeddedDataset(size: DemoSize): Promise<Database> {
  const dir = path.join(DATA, `pglite-${size}`);
  const marker = path.join(DATA, `pglite-${size}.json`);
  const expected = JSON.stringify({ version: GENERATOR_VERSION, seed: SEED, size });
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== expected) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(DATA, { recursive: true });
    console.error(`Generating the ${size} data set on PGlite (once; cached in bench/.data)…`);
    const database = await openDatabase({ dataDir: dir });
    await database.migrate();
    await seedDemo(database.db, {
      size,
      seed: SEED,
      now: BENCH_NOW,
      onProgress: progress(`pglite ${size}`),
    });
    await database.close();
    writeFileSync(marker, expected);
  }
  const database = await openDatabase({ dataDir: dir });
  await database.migrate();
  return database;
}

export async function postgresDataset(baseUrl: string, size: DemoSize): Promise<Database | null> {
  const name = `funnel_bench_${size}`;
  const admin = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch {
    console.error(`PostgreSQL is not reachable at ${baseUrl}: skipping the PostgreSQL benchmarks.`);
    return null;
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const expected = JSON.stringify({ version: GENERATOR_VERSION, seed: SEED, size });
  const exists =
    (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  let current: string | null = null;
  if (exists) {
    const probe = new pg.Client({ connectionString: url.toString() });
    await probe.connect();
    current =
      (
        await probe
          .query(`select obj_description('public.workspaces'::regclass) as marker`)
          .catch(() => ({ rows: [{ marker: null }] }))
      ).rows[0]?.marker ?? null;
    await probe.end();
  }
  if (current !== expected) {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    console.error(
      `Generating the ${size} data set on PostgreSQL (once; kept in database ${name})…`,
    );
    const database = await openDatabase({ databaseUrl: url.toString() });
    await database.migrate();
    await seedDemo(database.db, {
      size,
      seed: SEED,
      now: BENCH_NOW,
      onProgress: progress(`postgres ${size}`),
    });
    await database.db.execute(`comment on table public.workspaces is '${expected}'` as never);
    await database.close();
  }
  await admin.end();
  const database = await openDatabase({ databaseUrl: url.toString() });
  await database.migrate();
  return database;
}

/** Median of the timed runs after warm-up runs, in milliseconds. */
export async function timeIt(
  runs: number,
  warmups: number,
  work: () => Promise<unknown>,
): Promise<{ median: number; min: number; samples: number[] }> {
  for (let i = 0; i < warmups; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, samples };
}

/** Replaces the `## <heading>` section of docs/benchmarks.md (creating the file if needed). */
export function writeSection(heading: string, body: string): void {
  const file = path.join(ROOT, 'docs/benchmarks.md');
  const header =
    '# Benchmarks\n\nMeasured by `npm run bench` on the development machine (2 cores, 24 GiB). Each section is rewritten by the benchmark that owns it.\n';
  let text = existsSync(file) ? readFileSync(file, 'utf8') : header;
  const marker = `## ${heading}`;
  const start = text.indexOf(marker);
  const section = `${marker}\n\n${body.trim()}\n`;
  if (start < 0) {
    text = `${text.trimEnd()}\n\n${section}`;
  } else {
    const next = text.indexOf('\n## ', start + marker.length);
    text = text.slice(0, start) + section + (next < 0 ? '' : text.slice(next + 1));
  }
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}
