/** Imports through the API on a real database: the SPEC F-9 template, GBK and xlsx copies, bad rows, re-runs. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import ExcelJS from './exceljs';
import { sql } from 'drizzle-orm';
import { createTestContext, type Client, type TestContext } from '../../../test/harness';
import { queryRows } from '../../db/query';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const TEMPLATE = readFileSync(path.join(FIXTURES, 'spec-template.csv'));

let ctx: TestContext;
let admin: Client;

beforeAll(async () => {
  ctx = await createTestContext();
  admin = await ctx.as('admin');
});
afterAll(async () => ctx?.close());

async function upload(
  client: Client,
  body: Buffer,
  query: string,
  type = 'text/csv',
): Promise<{ id: string; [k: string]: unknown }> {
  const response = await client.request('POST', `/api/v1/imports/upload?${query}`, body, {
    'content-type': type,
  });
  expect(response.statusCode, response.body).toBe(202);
  return settle(client, response.json().id as string);
}

async function settle(client: Client, id: string) {
  for (;;) {
    const job = (await client.get(`/api/v1/imports/${id}`)).json();
    if (job.status !== 'checking' && job.status !== 'committing') return job;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const count = async (table: string) =>
  (
    await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from ${sql.identifier(table)} where workspace_id = ${ctx.world.workspaceId}`,
    )
  )[0]!.n;

describe('import: the SPEC F-9 template', () => {
  it('dry-runs the template with no mapping, reporting only what needs a decision', async () => {
    const job = await upload(admin, TEMPLATE, 'fileName=template.csv');
    expect(job.status).toBe('checked');
    const problems = job.problems as { code: string; row: number; severity: string }[];
    // 赵六 is not a user: an error unless historic reps may be created.
    expect(problems.filter((p) => p.severity === 'error')).toEqual([
      expect.objectContaining({ code: 'unknown_owner', row: 4 }),
    ]);
    expect(job.canCommit).toBe(false);
    // no acquisition column: the first follow-up's day is used, said in the workspace's calendar
    const defaulted = (job.problems as { code: string; row: number; value: string }[]).find(
      (p) => p.code === 'default_used' && p.row === 2,
    );
    expect(defaulted?.value).toBe('2024-05-10');
    // the columns as read, for a mapping screen: the field each fills and some of its values
    const files = job.files as {
      entity: string;
      columns: { header: string; fields: string[]; samples: string[] }[];
    }[];
    expect(files[0]!.entity).toBe('opportunities');
    const stageColumn = files[0]!.columns.find((c) => c.header === '跟进阶段')!;
    expect(stageColumn.fields).toEqual(['stage']);
    expect(stageColumn.samples).toEqual(
      expect.arrayContaining(['商务谈判', '意向明确', '成交', '方案对比']),
    );
    const csv = await admin.get(`/api/v1/imports/${job.id}/problems`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('unknown_owner');
    const refused = await admin.post(`/api/v1/imports/${job.id}/commit`);
    expect(refused.statusCode).toBe(400);
  });

  it('imports the template as it is, with historic owners created', async () => {
    const before = await count('opportunities');
    const job = await upload(admin, TEMPLATE, 'fileName=template.csv&createMissingOwners=true');
    expect(job.canCommit).toBe(true);
    expect(job.counts).toMatchObject({ rows: 4, opportunities: 4, accounts: 4, owners: 1 });
    const commit = await admin.post(`/api/v1/imports/${job.id}/commit`);
    expect(commit.statusCode).toBe(202);
    const done = await settle(admin, job.id);
    expect(done.status, JSON.stringify(done.error)).toBe('committed');
    expect(await count('opportunities')).toBe(before + 4);

    const list = (
      await admin.get('/api/v1/opportunities?q=LX2024050&pageSize=10&sort=code')
    ).json();
    const byCode = Object.fromEntries(list.items.map((o: { code: string }) => [o.code, o]));
    expect(byCode.LX202405001).toMatchObject({
      status: 'open',
      stage: { name: '商务谈判' },
      expectedAmount: '320000.00',
      expectedCloseDate: '2024-05-20',
      source: 'trade_show',
      priority: 'A',
      account: { name: '杭州云帆科技有限公司' },
      owner: { name: 'repA' },
    });
    // 高 with 32万 at 70%: computed B, so the file's 高 is kept as an override.
    expect(byCode.LX202405001.computedPriority).toBe('B');
    expect(byCode.LX202405002).toMatchObject({
      stage: { name: '需求确认' },
      expectedAmount: '8000.00',
      priority: 'C',
    });
    expect(byCode.LX202405003).toMatchObject({
      status: 'won',
      stage: { name: '成交落地' },
      won: { amount: '500000.00', date: '2024-05-05' },
      owner: { name: '赵六' },
    });
    expect(byCode.LX202405004).toMatchObject({
      stage: { name: '方案呈现' },
      source: 'other',
      sourceDetail: '社交媒体',
      expectedAmount: '0.00',
    });
    expect(byCode.LX202405004.marketNotes).toContain('竞品价格优势');

    const detail = (await admin.get(`/api/v1/opportunities/${byCode.LX202405003.id}`)).json();
    expect(detail.contacts[0]).toMatchObject({ name: '赵经理', imHandle: 'zhao123' });
    const history = (
      await admin.get(`/api/v1/opportunities/${byCode.LX202405003.id}/stage-changes`)
    ).json();
    expect(history.map((h: { kind: string }) => h.kind)).toEqual(['create', 'won']);
    const followUps = (
      await admin.get(`/api/v1/opportunities/${byCode.LX202405001.id}/follow-ups`)
    ).json();
    expect(followUps).toEqual([
      expect.objectContaining({ status: 'done', content: expect.stringContaining('最终报价') }),
    ]);
    // the board's dates: the last follow-up done (2024-05-10 in Shanghai), none planned
    expect(byCode.LX202405001.lastFollowUpAt).toBe('2024-05-09T16:00:00.000Z');
    expect(byCode.LX202405001.lastFollowUpAt).toBe(followUps[0].occurredAt);
    expect(byCode.LX202405001.nextFollowUpAt).toBeNull();
    const audit = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from audit_log where action = 'import' and workspace_id = ${ctx.world.workspaceId}`,
    );
    expect(audit[0]!.n).toBe(1);
    const historic = await queryRows<{ password_hash: string | null }>(
      ctx.database.db,
      sql`select password_hash from users where name = '赵六'`,
    );
    expect(historic).toEqual([{ password_hash: null }]);
  });

  it('re-importing the same file (as GBK, or as a workbook) creates nothing new', async () => {
    const before = await Promise.all(
      ['opportunities', 'accounts', 'contacts', 'follow_ups', 'stage_changes'].map(count),
    );
    const gbk = iconv.encode(TEMPLATE.toString('utf8'), 'gbk');
    const job = await upload(admin, gbk, 'fileName=template-gbk.csv&createMissingOwners=true');
    expect(job.counts).toMatchObject({ opportunities: 0, existingOpportunities: 4, owners: 0 });
    await admin.post(`/api/v1/imports/${job.id}/commit`);
    expect((await settle(admin, job.id)).status).toBe('committed');

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('线索');
    TEMPLATE.toString('utf8')
      .trim()
      .split(/\r?\n/)
      .forEach((line) => sheet.addRow(line.split(',')));
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const job2 = await upload(
      admin,
      xlsx,
      'fileName=template.xlsx',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(job2.counts).toMatchObject({ rows: 4, opportunities: 0, existingOpportunities: 4 });
    const libreOffice = await upload(
      admin,
      readFileSync(path.join(FIXTURES, 'spec-template-libreoffice.xlsx')),
      'fileName=spec-template-libreoffice.xlsx',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(libreOffice.counts).toMatchObject({ rows: 4, errorRows: 0, existingOpportunities: 4 });
    const after = await Promise.all(
      ['opportunities', 'accounts', 'contacts', 'follow_ups', 'stage_changes'].map(count),
    );
    expect(after).toEqual(before);
  });
});

describe('import: bad rows', () => {
  it('reports every problem with row, column and reason, and commits nothing', async () => {
    const rows = [
      '机会编号,机会名称,客户名称,负责人,阶段,预计成交金额,获取时间,预计成交时间,状态',
      'B-1,好行,北京甲有限公司,repA,需求确认,1000,2024-05-01,2024-06-01,',
      'B-2,负数,北京乙有限公司,repA,需求确认,-5,2024-05-01,2024-06-01,',
      'B-3,坏日期,北京丙有限公司,repA,需求确认,5,2024-13-45,2024-06-01,',
      'B-1,重复,北京丁有限公司,repA,需求确认,5,2024-05-01,2024-06-01,',
      'B-5,无人,北京戊有限公司,无名氏,需求确认,5,2024-05-01,2024-06-01,',
      'B-6,未知阶段,北京己有限公司,repA,火星阶段,5,2024-05-01,2024-06-01,',
      'B-7,,,repA,需求确认,5,2024-05-01,2024-06-01,',
      'B-8,状态,北京庚有限公司,repA,需求确认,5,2024-05-01,2024-06-01,maybe',
    ];
    const before = await count('opportunities');
    const job = await upload(admin, Buffer.from(rows.join('\r\n')), 'fileName=bad.csv');
    const errors = (job.problems as { code: string; row: number; column: string }[])
      .filter((p) => (p as unknown as { severity: string }).severity === 'error')
      .map((p) => [p.row, p.column, p.code]);
    expect(errors).toEqual([
      [3, '预计成交金额', 'negative_amount'],
      [4, '获取时间', 'bad_date'],
      [5, '机会编号', 'duplicate_code'],
      [6, '负责人', 'unknown_owner'],
      [7, '阶段', 'unknown_stage'],
      [8, '客户名称', 'missing_required'],
      [9, '状态', 'unknown_status'],
    ]);
    expect(job.counts).toMatchObject({ rows: 8, errorRows: 7 });
    expect(job.canCommit).toBe(false);
    expect(await count('opportunities')).toBe(before);
  });

  it('an empty cell of a name column is said, with the name the row gets', async () => {
    const rows = [
      '机会编号,机会名称,客户名称,负责人,阶段,需求描述',
      'N-1,,北京名甲有限公司,repA,需求确认,',
      'N-2,,北京名乙有限公司,repA,需求确认,ERP 升级',
      'N-3,有名字,北京名丙有限公司,repA,需求确认,',
    ];
    const job = await upload(admin, Buffer.from(rows.join('\r\n')), 'fileName=names.csv');
    const named = (job.problems as { code: string; row: number; column: string; value: string }[])
      .filter((p) => p.code === 'default_used' && p.column === '机会名称')
      .map((p) => [p.row, p.column, p.value]);
    expect(named).toEqual([
      [2, '机会名称', '北京名甲有限公司'],
      [3, '机会名称', 'ERP 升级'],
    ]);
    expect(job.canCommit).toBe(true);
  });

  it('a manager importing owners outside their teams gets row errors', async () => {
    const manager = await ctx.as('managerEast');
    const csv = [
      '机会编号,机会名称,客户名称,负责人,获取时间',
      'M-1,华东,上海甲有限公司,repA,2024-05-01',
      'M-2,华北,上海乙有限公司,repC,2024-05-01',
    ].join('\n');
    const job = await upload(manager, Buffer.from(csv), 'fileName=m.csv');
    expect(
      (job.problems as { code: string; row: number }[]).filter(
        (p) => p.code === 'owner_out_of_scope',
      ),
    ).toEqual([expect.objectContaining({ row: 3 })]);
    const rep = await ctx.as('repA');
    const forbidden = await rep.request('POST', '/api/v1/imports/upload?fileName=x.csv', 'a,b', {
      'content-type': 'text/csv',
    });
    expect(forbidden.statusCode).toBe(403);
  });
});

describe('import: codes', () => {
  it("generates codes in the workspace format around the file's own, and later creates do not collide", async () => {
    const csv = [
      '机会编号,机会名称,客户名称,负责人,获取时间',
      '202405-007,有编号,广州甲有限公司,repA,2024-05-02',
      ',无编号一,广州乙有限公司,repA,2024-05-02 09:30',
      ',无编号二,广州丙有限公司,repB,2024-05-03',
    ].join('\n');
    const job = await upload(admin, Buffer.from(csv), 'fileName=codes.csv');
    expect(job.canCommit).toBe(true);
    await admin.post(`/api/v1/imports/${job.id}/commit`);
    expect((await settle(admin, job.id)).status).toBe('committed');
    const list = (await admin.get('/api/v1/opportunities?q=广州&sort=code')).json();
    expect(list.items.map((o: { code: string }) => o.code).sort()).toEqual([
      '202405-007',
      '202405-008',
      '202405-009',
    ]);
    const created = await admin.post('/api/v1/opportunities', {
      name: '新建',
      accountId: list.items[0].account.id,
    });
    expect(created.json().opportunity.code).toBe('202405-010');
    // Rows without a code are recognised by account, name and acquisition time on a re-run.
    const again = await upload(admin, Buffer.from(csv), 'fileName=codes.csv');
    expect(again.counts).toMatchObject({ opportunities: 0, existingOpportunities: 3 });
  });
});

describe('import: checking again with a new mapping', () => {
  it('re-runs the dry run on the uploaded file: a value map fixes a stage, skipping leaves a row out', async () => {
    const csv = [
      '编号,名称,客户,负责人,阶段,获取时间',
      'R-1,重查一,重庆甲有限公司,repA,谈判中,2024-05-01',
      'R-2,重查二,重庆乙有限公司,repA,需求确认,2024-13-45',
    ].join('\n');
    const first = await upload(admin, Buffer.from(csv), 'fileName=recheck.csv');
    const errorsOf = (job: Record<string, unknown>) =>
      (job.problems as { code: string; severity: string; row: number }[])
        .filter((p) => p.severity === 'error')
        .map((p) => [p.row, p.code]);
    // 谈判中 is no stage of ours, and the date of row 3 is bad
    expect(errorsOf(first)).toEqual([
      [2, 'unknown_stage'],
      [3, 'bad_date'],
    ]);

    const mapping = {
      files: [
        {
          file: 'recheck.csv',
          entity: 'opportunities',
          columns: {
            编号: 'code',
            名称: 'name',
            客户: 'account',
            负责人: 'owner',
            阶段: 'stage',
            获取时间: ['acquiredAt', 'stageEnteredAt'],
          },
          values: { stage: { 谈判中: '商务谈判' } },
        },
      ],
    };
    const started = await admin.request(
      'POST',
      `/api/v1/imports/${first.id}/check`,
      { mapping },
      { 'accept-language': 'zh-CN' },
    );
    expect(started.statusCode, started.body).toBe(202);
    const second = await settle(admin, first.id);
    expect(second.status).toBe('checked');
    // (the bad date fills two fields now, and each says so)
    expect(errorsOf(second)).toEqual([
      [3, 'bad_date'],
      [3, 'bad_date'],
    ]);
    expect(second.canCommit).toBe(false);
    // the columns show the new mapping, the messages the language of the re-check
    const columns = (second.files as { columns: { header: string; fields: string[] }[] }[])[0]!
      .columns;
    expect(columns.find((c) => c.header === '获取时间')!.fields).toEqual([
      'acquiredAt',
      'stageEnteredAt',
    ]);
    expect((second.problems as { message: string }[])[0]!.message).toMatch(/[\u4e00-\u9fff]/);

    // the same mapping, now skipping rows with errors: committable, and only R-1 is written
    await admin.post(`/api/v1/imports/${first.id}/check`, { mapping, skipInvalidRows: true });
    const third = await settle(admin, first.id);
    expect(third.canCommit).toBe(true);
    expect(third.counts).toMatchObject({ rows: 2, errorRows: 1, opportunities: 1 });
    await admin.post(`/api/v1/imports/${first.id}/commit`);
    expect((await settle(admin, first.id)).status).toBe('committed');
    const list = (await admin.get('/api/v1/opportunities?q=重查')).json();
    expect(
      list.items.map((o: { code: string; stage: { name: string } }) => [o.code, o.stage.name]),
    ).toEqual([['R-1', '商务谈判']]);

    // a committed job has no files left to check
    const late = await admin.post(`/api/v1/imports/${first.id}/check`, {});
    expect(late.statusCode).toBe(400);
    // and someone else's job does not exist
    const other = await (await ctx.as('managerEast')).post(`/api/v1/imports/${first.id}/check`, {});
    expect(other.statusCode).toBe(404);
  });
});
