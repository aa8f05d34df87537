/** Exports through the API, and the round trip: export a workspace, import it into a fresh one, export again: the same. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from '../import/exceljs';
import { PIPELINE_PRESETS } from '@funnel/domain';
import {
  createOpportunity,
  createTestContext,
  PASSWORD,
  type Client,
  type TestContext,
} from '../../../test/harness';
import { createPipelineIn } from '../pipelines/pipelines.service';
import { insertWorkspace } from '../workspace/workspace.repository';
import { insertPicklistValue } from '../settings/settings.repository';

let ctx: TestContext;
let admin: Client;

beforeAll(async () => {
  ctx = await createTestContext();
  admin = await ctx.as('admin');
  const repA = await ctx.as('repA');
  const a = await createOpportunity(
    repA,
    { expectedAmount: '600000', winProbability: 80 },
    '上海甲科技有限公司',
  );
  const b = await createOpportunity(repA, { source: 'referral' }, '上海乙科技有限公司');
  const c = await createOpportunity(await ctx.as('repC'), {}, '北京丙科技有限公司');
  const d = await createOpportunity(repA, {}, '北京丁科技有限公司');
  const stages = ctx.world.stages;
  ctx.setNow('2024-05-20T02:00:00Z');
  await repA.post(`/api/v1/opportunities/${a.id}/move`, {
    version: a.version,
    stageId: stages[1]!.id,
  });
  await repA.post(`/api/v1/opportunities/${a.id}/close-won`, {
    version: a.version + 1,
    amount: '580000',
    signedDate: '2024-05-20',
  });
  await repA.post(`/api/v1/opportunities/${b.id}/close-lost`, {
    version: b.version,
    reason: 'price_too_high',
    competitorName: '竞品甲',
    note: '价格差 10%',
  });
  await repA.post(`/api/v1/opportunities/${d.id}/postpone`, {
    version: d.version,
    reason: '预算冻结',
    remedy: '下季度再联系',
    until: '2024-08-01',
  });
  await repA
    .post(`/api/v1/opportunities/${c.id}/priority`, {
      version: c.version,
      priority: 'A',
      reason: '战略客户',
    })
    .catch(() => undefined);
  await admin.post(`/api/v1/opportunities/${c.id}/priority`, {
    version: c.version,
    priority: 'A',
    reason: '战略客户',
  });
  const account = (await admin.get('/api/v1/accounts?q=上海甲')).json().items[0];
  const contact = await repA.post('/api/v1/contacts', {
    accountId: account.id,
    name: '王总',
    phone: '13800138000',
    email: 'wang@example.com',
    title: 'CTO',
  });
  await repA
    .patch(`/api/v1/opportunities/${a.id}`, {
      version: a.version + 2,
      contacts: [{ contactId: contact.json().id }],
    })
    .catch(() => undefined);
  await repA.post(`/api/v1/opportunities/${b.id}/follow-ups`, {
    method: 'visit',
    occurredAt: '2024-05-19T06:00:00Z',
    content: '客户反馈价格偏高',
  });
  ctx.setNow('2024-05-21T02:00:00Z');
});
afterAll(async () => ctx?.close());

describe('export', () => {
  it('writes CSV with a BOM and Chinese headers for zh-CN, and typed, frozen xlsx', async () => {
    const csv = await admin.request('GET', '/api/v1/exports/opportunities?format=csv', undefined, {
      'accept-language': 'zh-CN',
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.body).toContain('机会编号,机会名称,客户名称');
    expect(csv.body.trim().split('\r\n')).toHaveLength(5);

    const xlsx = await admin.get('/api/v1/exports/opportunities?format=xlsx&lang=en&status=won');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const headers = (sheet.getRow(1).values as string[]).slice(1);
    const row = sheet.getRow(2);
    const cell = (name: string) => row.getCell(headers.indexOf(name) + 1);
    expect(sheet.rowCount).toBe(2);
    expect(cell('Won amount').value).toBe(580000);
    expect(cell('Won amount').numFmt).toBe('#,##0.00');
    expect(cell('Won date').value).toEqual(new Date(Date.UTC(2024, 4, 20)));
    expect(cell('Status').value).toBe('won');
  });

  it('masks contact details the exporter may not see, and lists only visible opportunities', async () => {
    const repB = await ctx.as('repB');
    const contacts = await repB.get('/api/v1/exports/contacts?format=csv');
    expect(contacts.body).toContain('138******00');
    expect(contacts.body).not.toContain('13800138000');
    expect(contacts.body).not.toContain('wang@example.com');
    const own = await repB.get('/api/v1/exports/opportunities?format=csv');
    expect(own.body.trim().split('\r\n')).toHaveLength(1);
    const adminContacts = await admin.get('/api/v1/exports/contacts?format=csv');
    expect(adminContacts.body).toContain('13800138000');
  });
});

describe('follow-up export', () => {
  it('exports exactly what GET /follow-ups lists for each scope and due bucket', async () => {
    // planned follow-ups of two reps (repA: east1, repC: north): overdue, today, upcoming
    // (now is 2024-05-21 10:00 in Shanghai)
    const repA = await ctx.as('repA');
    const repC = await ctx.as('repC');
    const mine = await createOpportunity(repA, {}, '杭州戊科技有限公司');
    const theirs = await createOpportunity(repC, {}, '天津己科技有限公司');
    for (const [client, id] of [
      [repA, mine.id],
      [repC, theirs.id],
    ] as const) {
      for (const plannedAt of [
        '2024-05-18T02:00:00Z',
        '2024-05-21T08:00:00Z',
        '2024-05-25T02:00:00Z',
      ]) {
        const planned = await client.post(`/api/v1/opportunities/${id}/follow-ups/plan`, {
          plannedAt,
          method: 'phone',
        });
        expect(planned.statusCode, planned.body).toBe(201);
      }
    }
    const manager = await ctx.as('managerEast');
    const director = await ctx.as('director');
    const cases = [
      [repA, 'mine'],
      [manager, 'mine'],
      [manager, 'team'],
      [director, 'team'],
      [director, 'all'],
    ] as const;
    let compared = 0;
    for (const [client, scope] of cases) {
      for (const bucket of ['overdue', 'today', 'upcoming'] as const) {
        const listed = (
          await client.get(`/api/v1/follow-ups?scope=${scope}&bucket=${bucket}&pageSize=200`)
        ).json<{ items: { opportunity: { code: string } }[]; total: number }>();
        const exported = await client.get(
          `/api/v1/exports/follow-ups?format=csv&lang=en&scope=${scope}&bucket=${bucket}`,
        );
        expect(exported.statusCode, exported.body).toBe(200);
        const lines = exported.body
          .replace(/^\uFEFF/, '')
          .trim()
          .split('\r\n')
          .slice(1);
        expect(lines.length, `${scope} ${bucket}`).toBe(listed.total);
        const codes = lines.map((line) => line.split(',')[0]).sort();
        expect(codes).toEqual(listed.items.map((f) => f.opportunity.code).sort());
        compared += listed.total;
      }
    }
    expect(compared).toBeGreaterThan(6);
    // repA's own overdue one is in "mine"; repC's is not
    const overdue = await repA.get(
      '/api/v1/exports/follow-ups?format=csv&lang=en&scope=mine&bucket=overdue',
    );
    expect(overdue.body).toContain(mine.code);
    expect(overdue.body).not.toContain(theirs.code);
    const bad = await repA.get('/api/v1/exports/follow-ups?format=csv&bucket=later');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('bucket');
  });
});

describe('round trip', () => {
  it('export -> import into a fresh workspace re-creates the records exactly', async () => {
    const lists = ['opportunities', 'accounts', 'contacts', 'follow-ups'] as const;
    const exported: Record<string, Buffer> = {};
    for (const list of lists) {
      const format = list === 'accounts' || list === 'follow-ups' ? 'xlsx' : 'csv';
      const response = await admin.get(`/api/v1/exports/${list}?format=${format}&lang=zh-CN`);
      expect(response.statusCode).toBe(200);
      exported[`${list}.${format}`] = response.rawPayload;
    }
    // A fresh workspace with the same pipeline and lists, and its own admin.
    const freshId = await ctx.database.db.transaction(async (tx) => {
      const id = await insertWorkspace(tx, { name: 'Fresh 公司', timeZone: 'Asia/Shanghai' });
      await createPipelineIn(tx, id, {
        name: '标准流程',
        isDefault: true,
        stages: PIPELINE_PRESETS[0]!.stages,
      });
      for (const [kind, code] of [
        ['source', 'website'],
        ['source', 'trade_show'],
        ['source', 'referral'],
        ['source', 'other'],
        ['loss_reason', 'price_too_high'],
        ['region', 'east'],
      ] as const)
        await insertPicklistValue(tx, {
          workspaceId: id,
          kind,
          code,
          labelZh: code,
          labelEn: code,
        });
      return id;
    });
    await ctx.services.people.createMember(null, freshId, {
      email: 'fresh.admin@test.example',
      name: 'fresh',
      password: PASSWORD,
      role: 'admin',
    });
    const freshAdmin = await ctx.signIn('fresh.admin@test.example');
    const created = await freshAdmin.post('/api/v1/imports', {
      files: Object.keys(exported),
      createMissingOwners: true,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    let job;
    for (const [name, body] of Object.entries(exported)) {
      job = await freshAdmin.request(
        'PUT',
        `/api/v1/imports/${id}/files/${encodeURIComponent(name)}`,
        body,
        { 'content-type': 'application/octet-stream' },
      );
      expect(job.statusCode, job.body).toBe(200);
    }
    const settle = async () => {
      for (;;) {
        const j = (await freshAdmin.get(`/api/v1/imports/${id}`)).json();
        if (j.status !== 'checking' && j.status !== 'committing') return j;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const checked = await settle();
    expect(checked.problems.filter((p: { severity: string }) => p.severity === 'error')).toEqual(
      [],
    );
    await freshAdmin.post(`/api/v1/imports/${id}/commit`);
    const committed = await settle();
    expect(committed.status, committed.error).toBe('committed');

    const volatile = new Set(['更新时间', 'Updated at']);
    const table = async (client: Client, list: string) => {
      const csv = (await client.get(`/api/v1/exports/${list}?format=csv&lang=zh-CN`)).body.replace(
        /^\uFEFF/,
        '',
      );
      const [header, ...rows] = csv.trim().split('\r\n');
      const names = header!.split(',');
      const keep = names.map((n) => !volatile.has(n) && !(list === 'accounts' && n === '创建时间'));
      return rows
        .map((r) =>
          r
            .split(',')
            .filter((_v, i) => keep[i])
            .join(','),
        )
        .sort();
    };
    for (const list of lists)
      expect(await table(freshAdmin, list), list).toEqual(await table(admin, list));
  });
});
