#!/usr/bin/env node
// The database's share of an import, on PostgreSQL: what writing imported opportunities costs the
// server alone, with no file, no parsing and no client work. The rows come from tables already in
// the database and go in by 1,000 per statement (as the importer sends them): each opportunity,
// 1.3 stage changes and a priority change, as the importer writes them. Measured three ways in
// rolled-back transactions: the schema as it is; without the foreign keys of those three tables;
// and without their foreign keys and secondary indexes (primary keys only). The gap between them
// is what the keys and the indexes cost per opportunity, and 1 s / (cost per opportunity) is the
// most any importer could reach on this server with that schema.
// Usage: node --import tsx bench/import-floor.bench.mjs [--rows 20000] [--pg URL]; writes the
// "Import: the database's share" section of docs/benchmarks.md.
import os from 'node:os';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const ROWS = Number(arg('--rows', '20000'));
const BATCH = 1000;
const TABLES = ['opportunities', 'stage_changes', 'priority_changes'];

const SETUP = `
insert into workspaces (id, name) values ('11111111-1111-1111-1111-111111111111', 'floor');
insert into pipelines (id, workspace_id, name) values
  ('22222222-2222-2222-2222-222222222222', '11111111-1111-1111-1111-111111111111', 'p');
insert into stages (id, workspace_id, pipeline_id, position, name, kind)
select gen_random_uuid(), '11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222',
       g, 's' || g, case when g = 7 then 'won' when g = 8 then 'lost' else 'open' end
from generate_series(1, 8) g;
insert into teams (id, workspace_id, name) values (gen_random_uuid(), '11111111-1111-1111-1111-111111111111', 't');
insert into users (id, email, name) select gen_random_uuid(), 'floor' || g || '@bench', 'u' || g from generate_series(1, 21) g;
insert into accounts (id, workspace_id, name, normalized_name)
select gen_random_uuid(), '11111111-1111-1111-1111-111111111111', 'a' || g, 'a' || g from generate_series(0, $ROWS / 4) g;
create table floor_opp as
select g as n, gen_random_uuid() as id, '11111111-1111-1111-1111-111111111111'::uuid as workspace_id,
  'B' || lpad(g::text, 8, '0') as code, 'opp ' || g as name, a.id as account_id,
  '22222222-2222-2222-2222-222222222222'::uuid as pipeline_id, s.id as stage_id, u.id as owner_id,
  (select id from teams) as team_id, 'needs ' || g as needs_description, (10000 + g)::bigint as expected_amount,
  date '2025-01-01' as expected_close_date, 'web' as source,
  timestamptz '2024-01-01' + g * interval '1 minute' as acquired_at, 1 + g % 6 as reached_position,
  (select id from users where name = 'u21') as created_by
from generate_series(1, $ROWS) g
join accounts a on a.name = 'a' || (g / 4)
join stages s on s.position = 1 + g % 6
join users u on u.name = 'u' || (1 + g % 20);
create index on floor_opp (n);
create table floor_sc as
select n, workspace_id, id as opportunity_id, null::uuid as from_stage_id, stage_id as to_stage_id, 'create' as kind,
  acquired_at as changed_at, created_by as changed_by, null::timestamptz as stay_started_at from floor_opp
union all
select n, workspace_id, id, stage_id, stage_id, 'forward', acquired_at + interval '1 day', created_by, acquired_at
from floor_opp where n % 10 < 3;
create index on floor_sc (n);
analyze;
`;

const WRITE = `
do $$ declare b int; begin
  for b in 0 .. ($ROWS - 1) / ${BATCH} loop
    insert into opportunities (id, workspace_id, code, name, account_id, pipeline_id, stage_id, status, owner_id,
      team_id, needs_description, expected_amount, expected_close_date, source, acquired_at, priority,
      computed_priority, stage_entered_at, reached_position, created_by)
    select id, workspace_id, code, name, account_id, pipeline_id, stage_id, 'open', owner_id, team_id,
      needs_description, expected_amount, expected_close_date, source, acquired_at, 'B', 'B', acquired_at,
      reached_position, created_by
    from floor_opp where n > b * ${BATCH} and n <= (b + 1) * ${BATCH};
    insert into stage_changes (workspace_id, opportunity_id, from_stage_id, to_stage_id, kind, status,
      changed_at, changed_by, stay_started_at)
    select workspace_id, opportunity_id, from_stage_id, to_stage_id, kind, 'open', changed_at, changed_by,
      stay_started_at
    from floor_sc where n > b * ${BATCH} and n <= (b + 1) * ${BATCH};
    insert into priority_changes (workspace_id, opportunity_id, to_priority, computed_priority, kind,
      changed_by, changed_at)
    select workspace_id, id, 'B', 'B', 'computed', created_by, acquired_at
    from floor_opp where n > b * ${BATCH} and n <= (b + 1) * ${BATCH};
  end loop;
end $$`;

async function dropAll(client, kind) {
  for (const table of TABLES) {
    const { rows } = await client.query(
      kind === 'f'
        ? `select conname as name from pg_constraint where conrelid = $1::regclass and contype = 'f'`
        : `select i.relname as name from pg_index x join pg_class i on i.oid = x.indexrelid
           where x.indrelid = $1::regclass and not x.indisprimary`,
      [table],
    );
    for (const { name } of rows)
      await client.query(
        kind === 'f' ? `alter table ${table} drop constraint "${name}"` : `drop index "${name}"`,
      );
  }
}

/** Best of three: milliseconds to write ROWS opportunities with their history, rolled back. */
async function measure(client, variant) {
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    await client.query('begin');
    if (variant !== 'as is') await dropAll(client, 'f');
    if (variant === 'primary keys only') await dropAll(client, 'i');
    const t0 = performance.now();
    await client.query(WRITE.replaceAll('$ROWS', String(ROWS)));
    best = Math.min(best, performance.now() - t0);
    await client.query('rollback');
  }
  return best;
}

async function main() {
  const pgUrl = arg('--pg', process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query('drop database if exists funnel_bench_floor with (force)');
  await admin.query('create database funnel_bench_floor');
  const url = new URL(pgUrl);
  url.pathname = '/funnel_bench_floor';
  const { openDatabase } = await import('../apps/server/src/index.ts');
  const database = await openDatabase({ databaseUrl: url.toString() });
  await database.migrate();
  await database.close();
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const { rows: version } = await client.query('show server_version');
  await client.query(SETUP.replaceAll('$ROWS', String(ROWS)));
  const lines = [];
  for (const variant of ['as is', 'without foreign keys', 'primary keys only']) {
    const ms = await measure(client, variant);
    const us = (ms * 1000) / ROWS;
    const line = `| ${variant} | ${Math.round(ms).toLocaleString('en')} ms | ${us.toFixed(0)} µs | ${Math.round(1e6 / us).toLocaleString('en')} |`;
    console.error(line);
    lines.push(line);
  }
  await client.end();
  await admin.query('drop database if exists funnel_bench_floor with (force)');
  await admin.end();
  const { writeSection } = await import('./support.ts');
  writeSection(
    "Import: the database's share",
    [
      `Run ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` (\`bench/import-floor.bench.mjs\`) on ${os.cpus().length} cores, PostgreSQL ${version[0].server_version}: ${ROWS.toLocaleString('en')} opportunities written by the server alone (rows taken from tables already in the database, 1,000 per statement), each with 1.3 stage changes and a priority change, as the importer writes them; best of three, each in a rolled-back transaction. The last column is the most any importer could reach on one connection with that schema, before reading a single file.`,
      '',
      '| schema of opportunities, stage_changes, priority_changes | time | per opportunity | ceiling, opportunities/s |',
      '|---|---|---|---|',
      ...lines,
    ].join('\n'),
  );
}

await main();
