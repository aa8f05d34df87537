/**
 * Bad input on every route answers 4xx with a machine-readable code and the field named, in the
 * requester's language; nothing reaches a 500. Routes are enumerated from the OpenAPI document so a
 * new route is covered without writing a new test.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOpportunity,
  createTestContext,
  type Client,
  type TestContext,
} from '../../test/harness';

let t: TestContext;
let admin: Client;
let routes: { method: string; path: string; hasBody: boolean }[];
const SOME_UUID = '8f14e45f-ceea-4e7a-9c1b-1f2d3c4b5a69';

beforeAll(async () => {
  t = await createTestContext();
  admin = await t.as('admin');
  const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  routes = [];
  for (const [path, operations] of Object.entries<
    Record<string, { requestBody?: { required?: boolean } }>
  >(spec.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      routes.push({
        method: method.toUpperCase(),
        path,
        hasBody: !!operation.requestBody,
      });
    }
  }
});
afterAll(async () => t?.close());

const fill = (path: string, id = SOME_UUID) => path.replace(/\{[^}]+\}/g, id);

describe('every route', () => {
  it('is described in OpenAPI 3.1 with a summary', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(routes.length).toBeGreaterThan(40);
    for (const [path, operations] of Object.entries<Record<string, { summary?: string }>>(
      spec.paths,
    )) {
      for (const operation of Object.values(operations))
        expect(operation.summary, path).toBeTruthy();
    }
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    for (const route of routes.filter((r) => r.hasBody && !r.path.includes('sign-in'))) {
      const res = await admin.request(route.method, fill(route.path), '{"name": "x",', {
        'content-type': 'application/json',
      });
      expect(res.statusCode, `${route.method} ${route.path}`).toBe(400);
      expect(res.json().error.code, `${route.method} ${route.path}`).toBe('MALFORMED_JSON');
    }
  });

  it('answers a body of the wrong shape with the fields named', async () => {
    for (const route of routes.filter((r) => r.hasBody)) {
      for (const body of [[], 'text', { unexpectedField: 1 }]) {
        const res = await admin.request(route.method, fill(route.path), JSON.stringify(body), {
          'content-type': 'application/json',
        });
        expect(
          [400, 404],
          `${route.method} ${route.path} ${JSON.stringify(body)}: ${res.body}`,
        ).toContain(res.statusCode);
        if (res.statusCode === 400) {
          expect(res.json().error.code).toBe('VALIDATION_FAILED');
          expect(res.json().error.fields.length).toBeGreaterThan(0);
          for (const field of res.json().error.fields) {
            expect(field.path).toBeTruthy();
            expect(field.message).toBeTruthy();
          }
        }
      }
    }
  });

  it('names a malformed id in the path', async () => {
    for (const route of routes.filter((r) => r.path.includes('{id}'))) {
      const res = await admin.request(
        route.method,
        fill(route.path, 'not-a-uuid'),
        route.hasBody ? {} : undefined,
      );
      expect(res.statusCode, `${route.method} ${route.path}`).toBe(400);
      expect(res.json().error.fields.map((f: { path: string }) => f.path)).toContain('id');
    }
  });

  it('answers unknown records with 404 NOT_FOUND', async () => {
    for (const route of routes.filter((r) => r.method === 'GET' && r.path.endsWith('{id}'))) {
      const res = await admin.get(fill(route.path));
      expect(res.statusCode, route.path).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
  });

  it('names a team filter that is not a team of the workspace, on every route that takes one', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    // values for the other required query parameters, so that only the team is wrong
    const required: Record<string, string> = { month: '2024-05' };
    const filtered: string[] = [];
    for (const [path, operations] of Object.entries<
      Record<string, { parameters?: { in: string; name: string; required?: boolean }[] }>
    >(spec.paths)) {
      const query = (operations.get?.parameters ?? []).filter((p) => p.in === 'query');
      if (path.includes('{') || !query.some((p) => p.name === 'teamId')) continue;
      filtered.push(path);
      const params = new URLSearchParams({ teamId: SOME_UUID });
      for (const p of query.filter((q) => q.required && q.name !== 'teamId')) {
        expect(required[p.name], `a value for ${path}'s required ${p.name}`).toBeDefined();
        params.set(p.name, required[p.name]!);
      }
      const res = await admin.get(`${path}?${params}`);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(400);
      expect(res.json().error.fields).toEqual([
        expect.objectContaining({ path: 'teamId', code: 'unknown_reference' }),
      ]);
    }
    // lists, board summary, follow-ups, people, analytics reports and their exports
    expect(filtered.length).toBeGreaterThan(20);
  });

  it('answers unauthenticated calls with 401 and cookie writes without CSRF with 403', async () => {
    for (const route of routes.filter((r) => !r.path.includes('/auth/'))) {
      const res = await t.app.inject({
        method: route.method as 'GET',
        url: fill(route.path),
        payload: route.hasBody ? {} : undefined,
      });
      expect(res.statusCode, `${route.method} ${route.path}`).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
    const noCsrf = await admin.request(
      'POST',
      '/api/v1/accounts',
      { name: '无令牌客户有限公司' },
      { 'x-csrf-token': '' },
    );
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('CSRF_FAILED');
  });

  it('never answers 500 to random bodies and query strings', async () => {
    const opportunity = await createOpportunity(admin);
    const json = fc.jsonValue({ maxDepth: 2 });
    const writable = routes.filter((r) => r.hasBody && !r.path.includes('auth'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...writable), json, async (route, body) => {
        const res = await admin.request(
          route.method,
          fill(route.path, opportunity.id),
          JSON.stringify(body),
          { 'content-type': 'application/json' },
        );
        return res.statusCode < 500;
      }),
      { numRuns: 150 },
    );
    const readable = routes.filter((r) => r.method === 'GET' && !r.path.includes('{'));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...readable),
        fc.dictionary(
          fc.constantFrom(
            'page',
            'pageSize',
            'sort',
            'status',
            'q',
            'stageId',
            'from',
            'scope',
            'kind',
            'period',
            'date',
            'to',
            'groupBy',
            'month',
            'count',
            'format',
            'lang',
          ),
          fc.string(),
        ),
        async (route, query) => {
          const res = await admin.get(`${route.path}?${new URLSearchParams(query).toString()}`);
          return res.statusCode < 500;
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('specific bad input', () => {
  it('names the field for wrong types, missing fields, negative amounts, oversize strings and unknown stages', async () => {
    const rep = await t.as('repA');
    const account = (await rep.post('/api/v1/accounts', { name: '输入校验客户有限公司' })).json();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ accountId: account.id }, 'name', 'required'],
      [{ name: 'x' }, 'accountId', 'required'],
      [{ name: 123, accountId: account.id }, 'name', 'invalid_type'],
      [{ name: 'x', accountId: account.id, expectedAmount: -5 }, 'expectedAmount', 'money'],
      [{ name: 'x', accountId: account.id, expectedAmount: '1.234' }, 'expectedAmount', 'money'],
      [{ name: 'x', accountId: account.id, expectedAmount: 'abc' }, 'expectedAmount', 'money'],
      [{ name: 'x'.repeat(201), accountId: account.id }, 'name', 'too_big.string'],
      [
        { name: 'x', accountId: account.id, winProbability: 120 },
        'winProbability',
        'too_big.number',
      ],
      [
        { name: 'x', accountId: account.id, expectedCloseDate: '2024-02-30' },
        'expectedCloseDate',
        'invalid_format',
      ],
      [{ name: 'x', accountId: account.id, stageId: SOME_UUID }, 'stageId', 'unknown_reference'],
      [{ name: 'x', accountId: SOME_UUID }, 'accountId', 'unknown_reference'],
      [{ name: 'x', accountId: account.id, source: 'carrier_pigeon' }, 'source', 'unknown_value'],
      [{ name: 'x', accountId: account.id, source: 'other' }, 'sourceDetail', 'other_needs_detail'],
      [
        { name: 'x', accountId: account.id, customFields: { nope: 1 } },
        'customFields.nope',
        'custom_field_unknown',
      ],
      [
        { name: 'x', accountId: account.id, acquiredAt: '2030-01-01T00:00:00Z' },
        'acquiredAt',
        'in_future',
      ],
      [
        { name: 'x', accountId: account.id, contacts: [{ contactId: SOME_UUID }] },
        'contacts.0.contactId',
        'unknown_reference',
      ],
    ];
    for (const [body, path, code] of cases) {
      const res = await rep.post('/api/v1/opportunities', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.fields, JSON.stringify(body)).toContainEqual(
        expect.objectContaining({ path, code }),
      );
    }
    const total = (await rep.get('/api/v1/opportunities')).json().total;
    expect(total).toBe(0); // nothing half-written
  });

  it('answers in Chinese when asked', async () => {
    const zh = await t.signIn(t.world.users.repA.email, 'zh-CN');
    const res = await zh.post('/api/v1/opportunities', { name: 'x' });
    expect(res.json().error.message).toBe('部分字段不合法。');
    expect(res.json().error.fields).toContainEqual({
      path: 'accountId',
      code: 'required',
      message: '必填。',
    });
    const money = await zh.post('/api/v1/opportunities', {
      name: 'x',
      accountId: SOME_UUID,
      expectedAmount: -1,
    });
    expect(money.json().error.fields).toContainEqual(
      expect.objectContaining({
        path: 'expectedAmount',
        message: '金额须在 0 到 10 万亿之间且最多两位小数。',
      }),
    );
    const missing = await zh.get(`/api/v1/opportunities/${SOME_UUID}`);
    expect(missing.json().error.message).toBe('该机会不存在或您无权查看。');
  });

  it('stores SQL and HTML metacharacters verbatim and returns them as JSON strings', async () => {
    const rep = await t.as('repB');
    const nasty = `'); DROP TABLE opportunities; -- <script>alert("x")</script> & 北京 %_\\`;
    const account = await rep.post('/api/v1/accounts', { name: `${nasty} 有限公司` });
    expect(account.statusCode).toBe(201);
    const created = await createOpportunity(
      rep,
      { name: nasty, marketNotes: nasty },
      `${nasty} 分公司`,
    );
    const res = await rep.get(`/api/v1/opportunities/${created.id}`);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json().name).toBe(nasty);
    expect(res.json().marketNotes).toBe(nasty);
    expect(res.body).not.toContain('<script>'); // serialised as a JSON string with the characters, never interpreted
    const search = await rep.get(`/api/v1/opportunities?q=${encodeURIComponent('%_')}`);
    expect(search.json().items.map((o: { id: string }) => o.id)).toEqual([created.id]);
    const accounts = await rep.get(`/api/v1/accounts?q=${encodeURIComponent("'); DROP")}`);
    expect(accounts.json().total).toBe(2);
  });

  it('refuses duplicate accounts by normalised full name and points at the existing one', async () => {
    const rep = await t.as('repC');
    const first = await rep.post('/api/v1/accounts', { name: '上海海纳物流有限公司' });
    const dup = await rep.post('/api/v1/accounts', { name: '上海 海纳物流（有限公司）' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({
      code: 'DUPLICATE',
      details: { existingId: first.json().id },
    });
    const near = (
      await rep.get(
        `/api/v1/accounts/duplicates?name=${encodeURIComponent('上海海纳物流股份有限公司')}`,
      )
    ).json();
    expect(near[0]).toMatchObject({ id: first.json().id, exact: false });
  });
});
