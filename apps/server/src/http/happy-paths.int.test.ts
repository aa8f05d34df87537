/**
 * Every route's happy path: one realistic scenario calls them all, and the test fails if any
 * route described in OpenAPI was not answered with a 2xx at least once (so a new route needs a
 * happy path here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestContext, type Client, type TestContext } from '../../test/harness';

let t: TestContext;
const answered = new Set<string>();
let patterns: { key: string; regex: RegExp; static: boolean }[];

beforeAll(async () => {
  t = await createTestContext();
  const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  patterns = [];
  for (const [path, operations] of Object.entries<object>(spec.paths)) {
    for (const method of Object.keys(operations)) {
      const regex = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      patterns.push({ key: `${method.toUpperCase()} ${path}`, regex, static: !path.includes('{') });
    }
  }
});
afterAll(async () => t?.close());

function record(method: string, url: string, res: LightMyRequestResponse) {
  if (res.statusCode >= 300) return;
  const path = url.split('?')[0]!;
  const candidates = patterns.filter((p) => p.key.startsWith(`${method} `) && p.regex.test(path));
  const match = candidates.find((p) => p.static) ?? candidates[0];
  if (match) answered.add(match.key);
}

function tracked(client: Client): Client {
  const wrap =
    (method: string) =>
    async (url: string, body?: unknown): Promise<LightMyRequestResponse> => {
      const res = await client.request(
        method,
        url,
        body ?? (method === 'GET' || method === 'DELETE' ? undefined : {}),
      );
      record(method, url, res);
      return res;
    };
  return {
    ...client,
    get: wrap('GET'),
    post: wrap('POST'),
    patch: wrap('PATCH'),
    put: wrap('PUT'),
    del: wrap('DELETE'),
  };
}

async function ok(res: Promise<LightMyRequestResponse>) {
  const r = await res;
  expect(r.statusCode, r.body).toBeLessThan(300);
  return r.body ? r.json() : null;
}

describe('happy paths', () => {
  it('answers every documented route with success in a realistic session', async () => {
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: t.world.users.admin.email, password: 'secret-pass-1' },
    });
    record('POST', '/api/v1/auth/sign-in', signIn);
    const admin = tracked(await t.as('admin'));
    const rep = tracked(await t.as('repA'));
    const director = tracked(await t.as('director'));

    // settings
    const ws = await ok(admin.get('/api/v1/workspace'));
    await ok(admin.patch('/api/v1/workspace', { version: ws.version, name: '测试公司' }));
    await ok(admin.get('/api/v1/pipelines/presets'));
    const pipeline = await ok(
      admin.post('/api/v1/pipelines', { name: '营销漏斗', preset: 'marketing' }),
    );
    await ok(admin.get(`/api/v1/pipelines/${pipeline.id}`));
    const renamed = await ok(
      admin.patch(`/api/v1/pipelines/${pipeline.id}`, {
        version: pipeline.version,
        name: '营销漏斗 2',
      }),
    );
    await ok(
      admin.put(`/api/v1/pipelines/${pipeline.id}/stages`, {
        version: renamed.version,
        stages: renamed.stages.map(
          ({ id, name, kind, winProbability }: Record<string, unknown>) => ({
            id,
            name,
            kind,
            winProbability,
          }),
        ),
      }),
    );
    const pipelines = await ok(admin.get('/api/v1/pipelines'));
    const value = await ok(
      admin.post('/api/v1/picklists', {
        kind: 'product_line',
        code: 'erp',
        labelZh: 'ERP',
        labelEn: 'ERP',
      }),
    );
    await ok(admin.get(`/api/v1/picklists/${value.id}`));
    await ok(
      admin.patch(`/api/v1/picklists/${value.id}`, {
        version: value.version,
        labelEn: 'ERP suite',
      }),
    );
    await ok(admin.get('/api/v1/picklists?kind=product_line'));
    const field = await ok(
      admin.post('/api/v1/custom-fields', {
        entity: 'opportunity',
        key: 'decision_chain',
        labelZh: '决策链人数',
        labelEn: 'Decision chain',
        type: 'number',
      }),
    );
    await ok(admin.get(`/api/v1/custom-fields/${field.id}`));
    await ok(
      admin.patch(`/api/v1/custom-fields/${field.id}`, {
        version: field.version,
        labelEn: 'People in the decision chain',
      }),
    );
    await ok(admin.get('/api/v1/custom-fields'));
    const competitor = await ok(
      admin.post('/api/v1/competitors', { name: '竞品甲', strengths: '价格低' }),
    );
    await ok(admin.get(`/api/v1/competitors/${competitor.id}`));
    await ok(
      admin.patch(`/api/v1/competitors/${competitor.id}`, {
        version: competitor.version,
        strengths: '价格低,交付快',
      }),
    );
    await ok(admin.get('/api/v1/competitors'));

    // people
    const team = await ok(
      admin.post('/api/v1/teams', { name: '华南', parentId: t.world.teams.root }),
    );
    await ok(admin.get(`/api/v1/teams/${team.id}`));
    await ok(admin.patch(`/api/v1/teams/${team.id}`, { version: team.version, name: '华南大区' }));
    await ok(admin.get('/api/v1/teams'));
    const user = await ok(
      admin.post('/api/v1/users', {
        email: 'south@test.example',
        name: '南方',
        role: 'rep',
        teamId: team.id,
        password: 'long-enough-1',
      }),
    );
    await ok(admin.get(`/api/v1/users/${user.id}`));
    await ok(admin.patch(`/api/v1/users/${user.id}`, { version: user.version, name: '南方销售' }));
    await ok(admin.get('/api/v1/users'));

    // me and tokens
    await ok(rep.get('/api/v1/auth/me'));
    await ok(rep.patch('/api/v1/auth/me', { locale: 'zh-CN' }));
    const token = await ok(rep.post('/api/v1/tokens', { name: 'script' }));
    await ok(rep.get('/api/v1/tokens'));
    await ok(rep.del(`/api/v1/tokens/${token.id}`));

    // accounts and contacts
    const account = await ok(
      rep.post('/api/v1/accounts', { name: '深圳启明电子科技有限公司', industry: '制造业' }),
    );
    await ok(rep.get(`/api/v1/accounts/${account.id}`));
    await ok(
      rep.patch(`/api/v1/accounts/${account.id}`, { version: account.version, employees: 300 }),
    );
    await ok(rep.get('/api/v1/accounts?q=启明'));
    await ok(
      rep.get(
        `/api/v1/accounts/duplicates?name=${encodeURIComponent('深圳启明电子科技股份有限公司')}`,
      ),
    );
    const contact = await ok(
      rep.post('/api/v1/contacts', { accountId: account.id, name: '李总', phone: '13900001111' }),
    );
    await ok(rep.get(`/api/v1/contacts/${contact.id}`));
    await ok(
      rep.patch(`/api/v1/contacts/${contact.id}`, { version: contact.version, title: '采购总监' }),
    );
    await ok(rep.get(`/api/v1/contacts?accountId=${account.id}`));

    // opportunities
    const stages = pipelines.find((p: { isDefault: boolean }) => p.isDefault).stages;
    const created = (
      await ok(
        rep.post('/api/v1/opportunities', {
          name: '产线 MES',
          accountId: account.id,
          expectedAmount: 520000,
          contacts: [{ contactId: contact.id, role: '决策者' }],
          competitors: [{ competitorId: competitor.id, advantages: '价格' }],
        }),
      )
    ).opportunity;
    const id = created.id;
    await ok(rep.get(`/api/v1/opportunities/${id}`));
    await ok(rep.get('/api/v1/opportunities?sort=-expectedAmount'));
    await ok(rep.get('/api/v1/opportunities/summary'));
    let v = (
      await ok(
        rep.patch(`/api/v1/opportunities/${id}`, { version: created.version, winProbability: 80 }),
      )
    ).version;
    v = (
      await ok(rep.post(`/api/v1/opportunities/${id}/move`, { version: v, stageId: stages[1].id }))
    ).opportunity.version;
    v = (
      await ok(
        rep.post(`/api/v1/opportunities/${id}/priority`, {
          version: v,
          priority: 'A',
          reason: '战略客户',
        }),
      )
    ).version;
    v = (
      await ok(
        rep.post(`/api/v1/opportunities/${id}/postpone`, {
          version: v,
          reason: '预算冻结',
          remedy: '季度回访',
        }),
      )
    ).version;
    v = (
      await ok(rep.post(`/api/v1/opportunities/${id}/reopen`, { version: v, reason: '预算解冻' }))
    ).version;
    await ok(
      director.post(`/api/v1/opportunities/${id}/reassign`, {
        version: v,
        ownerId: t.world.users.repA.id,
        reason: '确认负责人',
      }),
    );
    const logged = await ok(
      rep.post(`/api/v1/opportunities/${id}/follow-ups`, {
        occurredAt: '2024-05-15T01:00:00Z',
        method: 'visit',
        content: '现场演示',
      }),
    );
    await ok(rep.get(`/api/v1/follow-ups/${logged.logged.id}`));
    const planned = await ok(
      rep.post(`/api/v1/opportunities/${id}/follow-ups/plan`, {
        method: 'phone',
        goal: '确认报价',
      }),
    );
    await ok(
      rep.patch(`/api/v1/follow-ups/${planned.id}`, {
        version: planned.version,
        goal: '确认最终报价',
      }),
    );
    await ok(rep.get(`/api/v1/opportunities/${id}/follow-ups`));
    await ok(rep.get('/api/v1/follow-ups?scope=mine'));
    await ok(rep.get('/api/v1/follow-ups/queue'));
    v = (await ok(rep.get(`/api/v1/opportunities/${id}`))).version;
    v = (
      await ok(
        rep.post(`/api/v1/opportunities/${id}/close-won`, {
          version: v,
          amount: 500000,
          signedDate: '2024-05-15',
        }),
      )
    ).version;
    const collection = await ok(
      rep.post(`/api/v1/opportunities/${id}/collections`, {
        expectedDate: '2024-06-30',
        expectedAmount: 250000,
      }),
    );
    await ok(rep.get(`/api/v1/collections/${collection.id}`));
    await ok(
      rep.patch(`/api/v1/collections/${collection.id}`, {
        version: collection.version,
        actualDate: '2024-06-28',
        actualAmount: 250000,
      }),
    );
    await ok(rep.get(`/api/v1/opportunities/${id}/collections`));
    const other = (
      await ok(rep.post('/api/v1/opportunities', { name: '备用机房', accountId: account.id }))
    ).opportunity;
    await ok(
      rep.post(`/api/v1/opportunities/${other.id}/close-lost`, {
        version: other.version,
        reason: 'price_too_high',
        competitorId: competitor.id,
      }),
    );
    await ok(rep.get(`/api/v1/opportunities/${id}/stage-changes`));
    await ok(rep.get(`/api/v1/opportunities/${id}/priority-changes`));
    await ok(rep.get(`/api/v1/opportunities/${id}/audit`));
    await ok(director.get('/api/v1/audit-log'));

    // analytics and targets
    for (const path of [
      'funnel',
      'funnel?mode=flow',
      'outcomes?groupBy=source',
      'dwell',
      'standard-funnel',
      'health',
      'forecast',
      'forecast/backtest?month=2024-05',
      'collections',
      'calibration',
      'velocity',
      'loss-reasons',
      'team',
      'channels',
      'missed-entry',
      'bottlenecks',
      'trend',
      'dashboard',
    ]) {
      await ok(director.get(`/api/v1/analytics/${path}`));
    }
    for (const report of [
      'funnel?format=csv',
      'outcomes?groupBy=source',
      'dwell?lang=zh-CN',
      'standard-funnel',
      'health?format=csv',
      'forecast',
      'forecast-backtest?month=2024-05',
      'collections',
      'calibration',
      'velocity',
      'loss-reasons',
      'team?format=csv&lang=en',
      'channels',
      'missed-entry',
      'bottlenecks',
      'trend?interval=quarter&count=4',
      'dashboard',
    ]) {
      const res = await director.get(`/api/v1/exports/analytics/${report}`);
      expect(res.statusCode, `${report}: ${res.body}`).toBe(200);
    }
    await ok(
      director.post('/api/v1/analytics/target-decomposition', {
        revenueTarget: 2_400_000,
        averageDealSize: 20_000,
        conversion: { overall: 0.2 },
        sellingWeeks: 12,
        cycleWeeks: 3,
        newOpportunitiesPerRepPerWeek: 5,
      }),
    );
    const target = await ok(
      director.post('/api/v1/targets', {
        scope: 'team',
        scopeId: t.world.teams.east,
        periodKind: 'quarter',
        periodKey: '2024-Q2',
        amount: 3_000_000,
      }),
    );
    await ok(director.get(`/api/v1/targets/${target.id}`));
    await ok(
      director.patch(`/api/v1/targets/${target.id}`, {
        version: target.version,
        amount: 3_500_000,
      }),
    );
    await ok(director.get('/api/v1/targets?periodKind=quarter'));
    await ok(director.del(`/api/v1/targets/${target.id}`));

    // import and export
    const raw = async (method: string, url: string, body: string, type = 'text/csv') => {
      const res = await admin.request(method, url, body, { 'content-type': type });
      record(method, url, res);
      expect(res.statusCode, res.body).toBeLessThan(300);
      return res.json();
    };
    const settle = async (id: string) => {
      for (;;) {
        const job = await ok(admin.get(`/api/v1/imports/${id}`));
        if (job.status !== 'checking' && job.status !== 'committing') return job;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const csv =
      '客户名称,机会名称,负责人,预计成交金额\n杭州导入测试有限公司,导入机会,admin@test.example,10000\n';
    const single = await raw('POST', '/api/v1/imports/upload?fileName=one.csv', csv);
    await settle(single.id);
    await ok(admin.post(`/api/v1/imports/${single.id}/check`, { skipInvalidRows: false }));
    await settle(single.id);
    const problems = await admin.get(`/api/v1/imports/${single.id}/problems`);
    record('GET', `/api/v1/imports/${single.id}/problems`, problems);
    expect(problems.statusCode).toBe(200);
    await ok(admin.post(`/api/v1/imports/${single.id}/commit`));
    await settle(single.id);
    const several = await ok(admin.post('/api/v1/imports', { files: ['two.csv'] }));
    await raw('PUT', `/api/v1/imports/${several.id}/files/two.csv`, csv);
    await settle(several.id);
    await ok(admin.del(`/api/v1/imports/${several.id}`));
    const saved = await ok(
      admin.post('/api/v1/import-mappings', {
        name: '展会名单',
        mapping: {
          amountUnit: 'wan',
          files: [{ file: '*.csv', entity: 'opportunities', columns: { 金额: 'expectedAmount' } }],
        },
      }),
    );
    await ok(admin.get(`/api/v1/import-mappings/${saved.id}`));
    await ok(
      admin.patch(`/api/v1/import-mappings/${saved.id}`, {
        version: saved.version,
        name: '展会名单 2024',
      }),
    );
    expect(
      (await ok(admin.get('/api/v1/import-mappings'))).map((m: { name: string }) => m.name),
    ).toEqual(['展会名单 2024']);
    expect(
      (await admin.post('/api/v1/import-mappings', { name: '展会名单 2024', mapping: {} }))
        .statusCode,
    ).toBe(409);
    expect((await rep.get('/api/v1/import-mappings')).statusCode).toBe(403);
    await ok(admin.del(`/api/v1/import-mappings/${saved.id}`));
    for (const list of ['opportunities', 'accounts', 'contacts', 'follow-ups']) {
      const res = await admin.get(`/api/v1/exports/${list}?format=csv`);
      record('GET', `/api/v1/exports/${list}`, res);
      expect(res.statusCode).toBe(200);
    }
    void v;

    const signOut = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-out' });
    record('POST', '/api/v1/auth/sign-out', signOut);

    const missing = patterns.map((p) => p.key).filter((key) => !answered.has(key));
    expect(missing).toEqual([]);
  });
});
