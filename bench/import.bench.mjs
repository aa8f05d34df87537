#!/usr/bin/env node
// Import throughput: 100k generated opportunities from CSV and XLSX into PGlite and PostgreSQL,
// beside a plain COPY of the same rows (the floor), with each run's peak memory (max RSS) measured
// in its own process. Usage: node bench/import.bench.mjs [--rows 100000] [--big 1000000] [--heap 384]
// [--pg URL] (or BENCH_IMPORT_ROWS, BENCH_IMPORT_BIG, BENCH_IMPORT_HEAP; `npm run bench` runs 100k and
// a 1M CSV with a 384 MB heap). Results are printed and written to the "Import throughput" section
// of docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { chmodSync, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { register } from 'tsx/esm/api';

register();
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const env = process.env[`BENCH_IMPORT_${name.slice(2).toUpperCase()}`];
  return env ?? fallback;
};

const OWNERS = Array.from({ length: 20 }, (_, i) => `销售${String(i + 1).padStart(2, '0')}`);
const STAGES = ['线索获取', '需求确认', '方案呈现', '商务谈判', '合同签订', '成交落地', '输单'];
const SOURCES = ['官网注册', '行业展会', '转介绍', '社交媒体', '搜索引擎广告', '线下活动'];
const HEADER =
  '机会编号,机会名称,客户名称,负责人,阶段,预计成交金额,获取时间,预计成交时间,来源渠道,需求描述';

function row(i) {
  const day = 1 + (i % 28);
  const month = 1 + (Math.floor(i / 28) % 12);
  const d = `2024-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return [
    `B${String(i).padStart(8, '0')}`,
    `机会 ${i}`,
    `客户${Math.floor(i / 4)}有限公司`,
    OWNERS[i % OWNERS.length],
    STAGES[i % STAGES.length],
    String(10_000 + ((i * 7919) % 900_000)),
    d,
    `2025-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    SOURCES[i % SOURCES.length],
    `需求 ${i}`,
  ].join(',');
}

async function writeCsv(file, rows) {
  const out = createWriteStream(file);
  out.write(`\uFEFF${HEADER}\r\n`);
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    chunk += `${row(i)}\r\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
      chunk = '';
    }
  }
  out.write(chunk);
  await new Promise((r) => out.end(r));
}

async function writeXlsx(file, rows) {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('机会');
  sheet.addRow(HEADER.split(',')).commit();
  for (let i = 0; i < rows; i++) sheet.addRow(row(i).split(',')).commit();
  sheet.commit();
  await workbook.commit();
}

/** One measured import, in this process (run as a child so that its peak memory is its own). */
async function child() {
  const [, , , kind, file, where] = process.argv;
  const { openDatabase, createServices, systemActor } = await import('../apps/server/src/index.ts');
  const { insertWorkspace } =
    await import('../apps/server/src/features/workspace/workspace.repository.ts');
  const { createPipelineIn } =
    await import('../apps/server/src/features/pipelines/pipelines.service.ts');
  const { PIPELINE_PRESETS } = await import('../packages/domain/src/index.ts');
  const database = await openDatabase(
    where.startsWith('postgres') ? { databaseUrl: where } : { dataDir: where },
  );
  await database.migrate();
  const name = `bench ${kind} ${Date.now()}`;
  const ws = await database.db.transaction(async (tx) => {
    const id = await insertWorkspace(tx, { name, timeZone: 'Asia/Shanghai' });
    await createPipelineIn(tx, id, {
      name: 'std',
      isDefault: true,
      stages: PIPELINE_PRESETS[0].stages,
    });
    return id;
  });
  const imports = createServices({ db: database.db }).dataTransfer.imports;
  const actor = systemActor(ws);
  const files = [{ name: path.basename(file), path: file }];
  const mapping = { createMissingOwners: true };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    if (process.env.BENCH_TRACE_MEMORY)
      console.error(
        `rss ${Math.round(m.rss / 1048576)} MB, heap ${Math.round(m.heapUsed / 1048576)}/${Math.round(m.heapTotal / 1048576)} MB`,
      );
  }, 1000);
  const t0 = performance.now();
  const check = await imports.dryRun(actor, files, mapping);
  const t1 = performance.now();
  if (check.errors) console.error(JSON.stringify(check.problems.slice(0, 5)));
  const counts = await imports.commit(actor, files, mapping, { carry: check.carry });
  const t2 = performance.now();
  clearInterval(sampler);
  await database.close();
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    JSON.stringify({
      rows: counts.opportunities,
      checkMs: t1 - t0,
      commitMs: t2 - t1,
      maxRssMb,
      errors: check.errors,
    }),
  );
}

async function copyFloor(pgUrl, file, rows) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  await client.query(
    'create temp table raw_import (code text, name text, account text, owner text, stage text, amount bigint, acquired date, close date, source text, needs text)',
  );
  const t0 = performance.now();
  await client.query(
    `copy raw_import from '${file}' with (format csv, header true, encoding 'UTF8')`,
  );
  const ms = performance.now() - t0;
  await client.end();
  return { rows, ms };
}

function measure(kind, file, where, heapMb = 0) {
  const flags = heapMb ? [`--max-old-space-size=${heapMb}`] : [];
  const result = spawnSync(
    process.execPath,
    [...flags, fileURLToPath(import.meta.url), '--child', kind, file, where],
    { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (result.status !== 0) throw new Error(`child failed with ${result.status}`);
  return JSON.parse(result.stdout);
}

async function main() {
  const rows = Number(arg('--rows', '100000'));
  const big = Number(arg('--big', '1000000'));
  const pgUrl = arg('--pg', process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'funnel-bench-import-'));
  chmodSync(dir, 0o755); // the PostgreSQL server reads the CSV for the COPY floor
  const csv = path.join(dir, 'opportunities.csv');
  const xlsx = path.join(dir, 'opportunities.xlsx');
  await writeCsv(csv, rows);
  await writeXlsx(xlsx, rows);
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: pgUrl });
  let pgBench = null;
  try {
    await admin.connect();
    await admin.query('drop database if exists funnel_bench_import with (force)');
    await admin.query('create database funnel_bench_import');
    const u = new URL(pgUrl);
    u.pathname = '/funnel_bench_import';
    pgBench = u.toString();
  } catch (error) {
    console.error(`PostgreSQL not available (${error.message}); PGlite only.`);
  }
  const results = [];
  const seconds = (ms) => `${Math.round(ms / 100) / 10} s`;
  const rate = (rows, ms) => Math.round((rows / ms) * 1000).toLocaleString('en');
  const line = (label, r) => {
    results.push(
      `| ${label} | ${r.rows.toLocaleString('en')} | ${seconds(r.checkMs)} | ${seconds(r.commitMs)} | ${rate(r.rows, r.checkMs)} | ${rate(r.rows, r.commitMs)} | ${rate(r.rows, r.checkMs + r.commitMs)} | ${Math.round(r.maxRssMb)} MB |`,
    );
    console.error(results.at(-1));
  };
  const bigOnly = args.includes('--big-only');
  if (pgBench && !bigOnly) {
    line('CSV, PostgreSQL', measure('csv', csv, pgBench));
    line('XLSX, PostgreSQL', measure('xlsx', xlsx, pgBench));
    const floor = await copyFloor(pgBench, csv, rows);
    results.push(
      `| plain COPY of the same CSV into a bare table (floor), PostgreSQL | ${rows.toLocaleString('en')} | – | ${seconds(floor.ms)} | – | ${rate(rows, floor.ms)} | – | – |`,
    );
  }
  if (!bigOnly) {
    line('CSV, PGlite', measure('csv', csv, path.join(dir, 'pglite-csv')));
    line('XLSX, PGlite', measure('xlsx', xlsx, path.join(dir, 'pglite-xlsx')));
  }
  if (big && pgBench) {
    const bigCsv = path.join(dir, 'big.csv');
    await writeCsv(bigCsv, big);
    const heap = Number(arg('--heap', '384'));
    line(
      `CSV, PostgreSQL, ${big.toLocaleString('en')} rows${heap ? `, \`--max-old-space-size=${heap}\`` : ''}`,
      measure('csv', bigCsv, pgBench, heap),
    );
  }
  if (pgBench) await admin.query('drop database if exists funnel_bench_import with (force)');
  await admin.end().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
  const { writeSection } = await import('./support.ts');
  const table = [
    `Run ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` (\`bench/import.bench.mjs\`) on ${os.cpus().length} cores, Node ${process.version}; each import in its own process (peak memory is its max RSS). Generated opportunities (code, name, account with 4 opportunities each, 20 historic owners created by the import, stage, amount, dates, source, needs), each written with its stage history, priority history and account in one transaction. The dry run reads and checks every row; the commit checks every row again while writing.`,
    '',
    '| import | rows | dry run | commit | rows/s, dry run | rows/s, commit | rows/s, both | peak memory |',
    '|---|---|---|---|---|---|---|---|',
    ...results,
  ].join('\n');
  console.log(table);
  writeSection('Import throughput', table);
}

if (args[0] === '--child') await child();
else await main();
