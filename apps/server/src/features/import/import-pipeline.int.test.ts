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

it('a batch refused by the database fails the import with its reason and writes nothing', async () => {
  // 1,000 rows with codes (the first batch), then 500 without: building the second batch's
  // statement generates codes, which asks the database while the first batch is being written.
  const lines = ['机会编号,机会名称,客户名称,负责人,阶段,获取时间'];
  for (let i = 1; i <= 1500; i++)
    lines.push(
      `${i <= 1000 ? `PIPE${String(i).padStart(5, '0')}` : ''},机会 ${i},管线客户${i % 50},管线销售,需求确认,2024-03-0${1 + (i % 9)}`,
    );
  const file = path.join(dir, 'pipeline.csv');
  writeFileSync(file, lines.join('\n'));
  const db = ctx.database.db;
  await db.execute(sql`create function refuse_pipe_code() returns trigger language plpgsql as $$
    begin
      if new.code = 'PIPE00777' then raise exception 'refused by the test trigger'; end if;
      return new;
    end $$`);
  await db.execute(sql`create trigger refuse_pipe_code before insert on opportunities
    for each row execute function refuse_pipe_code()`);
  try {
    const imports = ctx.services.dataTransfer.imports;
    const actor = systemActor(ctx.world.workspaceId);
    const files = [{ name: 'pipeline.csv', path: file }];
    const mapping = { createMissingOwners: true };
    const check = await imports.dryRun(actor, files, mapping);
    expect(check.errors).toBe(0);
    expect(check.counts.opportunities).toBe(1500);
    const failure = await imports.commit(actor, files, mapping, { carry: check.carry }).then(
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
