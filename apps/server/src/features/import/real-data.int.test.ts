/**
 * The three real datasets in ../shared/data, imported with the `funnel import` command and their
 * example mappings; the analytics figures (counts per status and stage, won amounts, win rate)
 * computed by SQL on the imported tables must equal those computed independently from the raw
 * CSV here. The data is never copied into the repository; without the folder the tests skip.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { PIPELINE_PRESETS } from '@funnel/domain';
import { freshDatabaseLocation } from '../../../test/harness';
import { openDatabase, type Database } from '../../db/database';
import { queryRows } from '../../db/query';
import { createPipelineIn } from '../pipelines/pipelines.service';
import { insertWorkspace } from '../workspace/workspace.repository';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
const DATA = path.resolve(ROOT, '../shared/data');
const BIN = path.join(ROOT, 'apps/cli/bin/funnel.mjs');
const hasData = existsSync(DATA);

let location: Awaited<ReturnType<typeof freshDatabaseLocation>>;
let where: string[];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'funnel-real-'));

async function withDb<T>(work: (db: Database['db']) => Promise<T>): Promise<T> {
  const database = await openDatabase({
    dataDir: location.dataDir,
    databaseUrl: location.databaseUrl,
  });
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

async function createWorkspace(name: string, timeZone: string, currency: string) {
  return withDb((db) =>
    db.transaction(async (tx) => {
      const id = await insertWorkspace(tx, { name, timeZone, currency, locale: 'en' });
      await createPipelineIn(tx, id, {
        name: 'Standard',
        isDefault: true,
        stages: PIPELINE_PRESETS[0]!.stages,
      });
      return id;
    }),
  );
}

async function funnelImport(dataset: string, workspace: string, files: string[]) {
  const problems = path.join(tmp, `${dataset}.problems.csv`);
  const args = [
    BIN,
    ...where,
    'import',
    ...files.map((f) => path.join(DATA, dataset, f)),
    '--mapping',
    path.join(ROOT, 'examples', dataset, 'mapping.json'),
    '--workspace',
    workspace,
    '--problems',
    problems,
    '--json',
  ];
  const { stdout } = await run(process.execPath, args, {
    env: { ...process.env, DATABASE_URL: '' },
    timeout: 240_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const result = JSON.parse(stdout) as { committed: boolean; counts: Record<string, number> };
  const problemRows = parse<Record<string, string>>(readFileSync(problems), {
    bom: true,
    columns: true,
  });
  return { result, problems: problemRows };
}

const csv = (dataset: string, file: string) =>
  parse<Record<string, string>>(readFileSync(path.join(DATA, dataset, file)), {
    bom: true,
    columns: true,
  });

async function figures(workspaceId: string) {
  return withDb(async (db) => {
    const byStatus = await queryRows<{ status: string; n: number; won: string }>(
      db,
      sql`select status, count(*)::int as n, coalesce(sum(won_amount), 0)::text as won
          from opportunities where workspace_id = ${workspaceId} group by status`,
    );
    const byStage = await queryRows<{ name: string; n: number }>(
      db,
      sql`select s.name, count(*)::int as n from opportunities o join stages s on s.id = o.stage_id
          where o.workspace_id = ${workspaceId} group by s.name`,
    );
    const status = Object.fromEntries(byStatus.map((r) => [r.status, r.n]));
    const wonMinor = Number(byStatus.find((r) => r.status === 'won')?.won ?? 0);
    const won = status.won ?? 0;
    const lost = status.lost ?? 0;
    return {
      status,
      stage: Object.fromEntries(byStage.map((r) => [r.name, r.n])),
      wonAmount: wonMinor / 100,
      winRate: won + lost ? won / (won + lost) : null,
    };
  });
}

const count = <T>(rows: T[], key: (r: T) => string) =>
  rows.reduce<Record<string, number>>(
    (acc, r) => ((acc[key(r)] = (acc[key(r)] ?? 0) + 1), acc),
    {},
  );

beforeAll(async () => {
  if (!hasData) return;
  location = await freshDatabaseLocation();
  where = location.databaseUrl
    ? ['--database-url', location.databaseUrl]
    : ['--data-dir', location.dataDir!];
});
afterAll(async () => {
  await location?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!hasData)('real data', () => {
  it('Maven CRM: five related files, misspellings mapped, figures agree with the raw CSV', async () => {
    const ws = await createWorkspace('Maven', 'UTC', 'USD');
    const { result, problems } = await funnelImport('maven-crm-sales-opportunities', 'Maven', [
      'sales_teams.csv',
      'products.csv',
      'accounts.csv',
      'sales_pipeline.csv',
      'data_dictionary.csv',
    ]);
    expect(result.committed).toBe(true);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    const raw = csv('maven-crm-sales-opportunities', 'sales_pipeline.csv');
    const stages = count(raw, (r) => r.deal_stage!);
    const f = await figures(ws);
    expect(f.status).toEqual({
      won: stages.Won,
      lost: stages.Lost,
      open: stages.Prospecting! + stages.Engaging!,
    });
    expect(f.stage).toEqual({
      线索获取: stages.Prospecting,
      需求确认: stages.Engaging,
      成交落地: stages.Won,
      输单: stages.Lost,
    });
    const wonValue = raw
      .filter((r) => r.deal_stage === 'Won')
      .reduce((s, r) => s + Number(r.close_value), 0);
    expect(f.wonAmount).toBe(wonValue);
    expect(f.winRate).toBeCloseTo(stages.Won! / (stages.Won! + stages.Lost!), 10);
    await withDb(async (db) => {
      const products = await queryRows<{ product_line: string; n: number }>(
        db,
        sql`select product_line, count(*)::int as n from opportunities where workspace_id = ${ws} group by product_line`,
      );
      const rawProducts = count(raw, (r) => (r.product === 'GTXPro' ? 'GTX Pro' : r.product!));
      expect(Object.fromEntries(products.map((p) => [p.product_line, p.n]))).toEqual(rawProducts);
      const sectors = await queryRows<{ industry: string }>(
        db,
        sql`select distinct industry from accounts where workspace_id = ${ws} and industry is not null`,
      );
      expect(sectors.map((s) => s.industry)).not.toContain('technolgy');
      const people = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from memberships m join users u on u.id = m.user_id
            where m.workspace_id = ${ws} and u.password_hash is null`,
      );
      expect(people[0]!.n).toBe(csv('maven-crm-sales-opportunities', 'sales_teams.csv').length);
      const reached = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from opportunities where workspace_id = ${ws} and status = 'lost' and reached_position = 2`,
      );
      expect(reached[0]!.n).toBe(stages.Lost);
    });
    // Re-running the same import creates nothing new.
    const again = await funnelImport('maven-crm-sales-opportunities', 'Maven', [
      'sales_teams.csv',
      'products.csv',
      'accounts.csv',
      'sales_pipeline.csv',
    ]);
    expect(again.result.counts).toMatchObject({ opportunities: 0, accounts: 0, owners: 0 });
  });

  it('Salesforce: stage history replayed, contradicting flags and early history reported', async () => {
    const ws = await createWorkspace('Salesforce', 'Europe/London', 'GBP');
    const dataset = 'salesforce-opportunity-history-pd2022w23';
    const { result, problems } = await funnelImport(dataset, 'Salesforce', [
      'Opportunity.csv',
      'Opportunity History.csv',
    ]);
    expect(result.committed).toBe(true);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    const raw = csv(dataset, 'Opportunity.csv');
    const stages = count(raw, (r) => r.StageName!);
    const f = await figures(ws);
    expect(f.status).toEqual({
      won: stages['Closed Won'],
      lost: stages['Closed Lost'],
      open: raw.length - stages['Closed Won']! - stages['Closed Lost']!,
    });
    expect(f.stage).toEqual({
      线索获取: stages.Prospecting,
      需求确认: stages.Qualification,
      方案呈现: stages['Value Proposition'],
      商务谈判: stages['Negotiation/Review'],
      成交落地: stages['Closed Won'],
      输单: stages['Closed Lost'],
    });
    const wonValue = raw
      .filter((r) => r.StageName === 'Closed Won')
      .reduce((s, r) => s + Number(r.Amount || 0), 0);
    expect(f.wonAmount).toBe(wonValue);
    // Every row whose IsClosed/IsWon flags contradict its stage is reported, and the stage kept.
    const flag = (r: Record<string, string>) =>
      r.IsWon === 'TRUE' ? 'won' : r.IsClosed === 'TRUE' ? 'lost' : 'open';
    const stageStatus = (r: Record<string, string>) =>
      r.StageName === 'Closed Won' ? 'won' : r.StageName === 'Closed Lost' ? 'lost' : 'open';
    const contradictions = raw.filter((r) => flag(r) !== stageStatus(r)).length;
    expect(problems.filter((p) => p.code === 'status_conflict')).toHaveLength(contradictions);
    expect(problems.filter((p) => p.code === 'default_used')).toHaveLength(
      raw.filter((r) => !r.Amount).length,
    );
    expect(problems.some((p) => p.code === 'history_before_creation')).toBe(true);
    expect(problems.some((p) => p.code === 'history_reconciled')).toBe(true);
    await withDb(async (db) => {
      const history = await queryRows<{ n: number; bad: number }>(
        db,
        sql`select count(*)::int as n,
              count(*) filter (where sc.changed_at < o.acquired_at)::int as bad
            from stage_changes sc join opportunities o on o.id = sc.opportunity_id where o.workspace_id = ${ws}`,
      );
      expect(history[0]!.bad).toBe(0);
      expect(history[0]!.n).toBeGreaterThan(raw.length);
    });
  });

  it('Olist: leads and the closed deals merged by id, DD-MM-YYYY dates, conversion agrees', async () => {
    const ws = await createWorkspace('Olist', 'America/Sao_Paulo', 'BRL');
    const dataset = 'olist-marketing-funnel';
    const { result, problems } = await funnelImport(dataset, 'Olist', [
      'olist_marketing_qualified_leads_dataset.csv',
      'olist_closed_deals_dataset.csv',
    ]);
    expect(result.committed).toBe(true);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    const leads = csv(dataset, 'olist_marketing_qualified_leads_dataset.csv');
    const deals = csv(dataset, 'olist_closed_deals_dataset.csv');
    const f = await figures(ws);
    expect(f.status).toEqual({ won: deals.length, open: leads.length - deals.length });
    await withDb(async (db) => {
      const sources = await queryRows<{ source: string | null; n: number; won: number }>(
        db,
        sql`select source, count(*)::int as n, count(*) filter (where status = 'won')::int as won
            from opportunities where workspace_id = ${ws} group by source`,
      );
      const wonIds = new Set(deals.map((d) => d.mql_id));
      const rawSources = count(leads, (r) => r.origin || '(none)');
      const rawWon = count(
        leads.filter((r) => wonIds.has(r.mql_id)),
        (r) => r.origin || '(none)',
      );
      expect(Object.fromEntries(sources.map((s) => [s.source ?? '(none)', s.n]))).toEqual(
        rawSources,
      );
      expect(
        Object.fromEntries(sources.filter((s) => s.won).map((s) => [s.source ?? '(none)', s.won])),
      ).toEqual(rawWon);
      const jewelry = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from opportunities where workspace_id = ${ws} and industry = 'jewerly'`,
      );
      expect(jewelry[0]!.n).toBe(0);
      const first = leads[0]!;
      const row = await queryRows<{ acquired: string }>(
        db,
        sql`select to_char(acquired_at at time zone 'America/Sao_Paulo', 'DD-MM-YYYY') as acquired from opportunities
            where workspace_id = ${ws} and code = ${first.mql_id}`,
      );
      expect(row[0]!.acquired).toBe(first.first_contact_date);
    });
    expect(
      problems.filter((p) => p.code === 'history_before_creation').length,
    ).toBeGreaterThanOrEqual(1);
  });
});
