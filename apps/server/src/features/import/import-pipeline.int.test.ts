/**
 * The commit writes each batch while the next one is built. A batch that the database refuses must
 * fail the import with the database's own reason (not with "transaction aborted" from the next
 * batch's work), and leave nothing behind.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/harness';
import { failureMessage } from '../../db/pg-errors';
import { queryRows } from '../../db/query';
import { systemActor } from '../access/actor';

let ctx: TestContext;
let dir: string;
beforeAll(async () => {
  ctx = await createTestContext();
  dir = mkdtempSync(path.join(os.tmpdir(), 'funnel-import-pipeline-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await ctx?.close();
});

/** Writes the CSV lines to a file, checks it (no errors), and gives what a commit of it needs. */
async function checked(name: string, lines: string[]) {
  const file = path.join(dir, name);
  writeFileSync(file, lines.join('\n'));
  const imports = ctx.services.dataTransfer.imports;
  const actor = systemActor(ctx.world.workspaceId);
  const files = [{ name, path: file }];
  const mapping = { createMissingOwners: true };
  const check = await imports.dryRun(actor, files, mapping);
  expect(check.errors).toBe(0);
  return {
    check,
    commit: () => imports.commit(actor, files, mapping, { carry: check.carry }),
    recheck: () => imports.dryRun(actor, files, mapping),
  };
}

it('writes every batch once, each with what it refers to, and counts what it wrote', async () => {
  // 2,500 rows: three batches, new accounts and contacts in each, every other row without a code
  // (generated), a competitor on the lost ones. What lands must match the counts and the file.
  const lines = ['机会编号,机会名称,客户名称,联系人,联系方式,负责人,阶段,竞争对手,获取时间'];
  for (let i = 1; i <= 2500; i++) {
    const lost = i % 10 === 0;
    lines.push(
      [
        i % 2 ? `BATCH${String(i).padStart(5, '0')}` : '',
        `批量机会 ${i}`,
        `批量客户${Math.floor(i / 3)}`,
        `联系人${Math.floor(i / 3)}`,
        `1380000${String(Math.floor(i / 3)).padStart(4, '0')}`,
        '批量销售',
        lost ? '输单' : '需求确认',
        lost ? `批量对手${i % 3}` : '',
        `2024-0${1 + (i % 9)}-1${i % 10}`,
      ].join(','),
    );
  }
  const { check, commit, recheck } = await checked('batches.csv', lines);
  const counts = await commit();
  const ws = ctx.world.workspaceId;
  const [stored] = await queryRows<Record<string, number>>(
    ctx.database.db,
    sql`select
      (select count(*)::int from opportunities where workspace_id = ${ws} and name like '批量机会 %') as opportunities,
      (select count(distinct code)::int from opportunities where workspace_id = ${ws} and name like '批量机会 %') as codes,
      (select count(*)::int from accounts where workspace_id = ${ws} and name like '批量客户%') as accounts,
      (select count(*)::int from contacts where workspace_id = ${ws} and name like '联系人%') as contacts,
      (select count(*)::int from opportunity_contacts l join opportunities o on o.id = l.opportunity_id
        where o.name like '批量机会 %') as links,
      (select count(*)::int from competitors where workspace_id = ${ws} and name like '批量对手%') as competitors,
      (select count(*)::int from opportunities where workspace_id = ${ws} and name like '批量机会 %'
        and lost_to_competitor_id is not null) as lostToCompetitor,
      (select count(*)::int from stage_changes s join opportunities o on o.id = s.opportunity_id
        where o.name like '批量机会 %') as stageChanges,
      (select count(*)::int from priority_changes p join opportunities o on o.id = p.opportunity_id
        where o.name like '批量机会 %') as priorityChanges`,
  );
  expect(stored).toEqual({
    opportunities: 2500,
    codes: 2500,
    accounts: 834, // 批量客户0 .. 批量客户833
    contacts: 834,
    links: 2500,
    competitors: 3,
    losttocompetitor: 250,
    stagechanges: counts.stageChanges,
    prioritychanges: 2500,
  });
  expect(counts).toMatchObject({
    opportunities: 2500,
    existingOpportunities: 0,
    accounts: 834,
    contacts: 834,
  });
  expect(counts).toMatchObject(check.counts);
  // Once more: nothing new, every row found by its code or by its generated one's natural key.
  const again = await recheck();
  expect(again.counts).toMatchObject({ opportunities: 0, existingOpportunities: 2500 });
});

it('a batch refused by the database fails the import with its reason and writes nothing', async () => {
  // 1,000 rows with codes (the first batch), then 500 without: building the second batch's
  // statement generates codes, which asks the database while the first batch is being written.
  const lines = ['机会编号,机会名称,客户名称,负责人,阶段,获取时间'];
  for (let i = 1; i <= 1500; i++)
    lines.push(
      `${i <= 1000 ? `PIPE${String(i).padStart(5, '0')}` : ''},机会 ${i},管线客户${i % 50},管线销售,需求确认,2024-03-0${1 + (i % 9)}`,
    );
  const db = ctx.database.db;
  await db.execute(sql`create function refuse_pipe_code() returns trigger language plpgsql as $$
    begin
      if new.code = 'PIPE00777' then raise exception 'refused by the test trigger'; end if;
      return new;
    end $$`);
  await db.execute(sql`create trigger refuse_pipe_code before insert on opportunities
    for each row execute function refuse_pipe_code()`);
  try {
    const { check, commit } = await checked('pipeline.csv', lines);
    expect(check.counts.opportunities).toBe(1500);
    const failure = await commit().then(
      () => null,
      (error: unknown) => error,
    );
    // The database's reason, as the import job and the command line report it.
    expect(failureMessage(failure)).toBe('refused by the test trigger');
    const [left] = await queryRows<{ n: number; accounts: number }>(
      db,
      sql`select (select count(*)::int from opportunities where name like '机会 %') as n,
                 (select count(*)::int from accounts where name like '管线客户%') as accounts`,
    );
    expect(left).toEqual({ n: 0, accounts: 0 });
  } finally {
    await db.execute(sql`drop trigger refuse_pipe_code on opportunities`);
    await db.execute(sql`drop function refuse_pipe_code()`);
  }
});
