/**
 * The importer's batch statement on a real database: what a row carries in the JSON and what is
 * bound once (a column equal in every row, a column null in every row) must not change what lands.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../../../test/harness';
import { queryRows } from '../../db/query';
import { ACCOUNT_COLUMNS, insertMany, insertRows } from './import.repository';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

const at = new Date('2024-03-01T08:30:00.123Z');

function account(name: string, extra: Record<string, unknown> = {}) {
  return {
    id: crypto.randomUUID(),
    workspace_id: ctx.world.workspaceId,
    name,
    normalized_name: name.toLowerCase(),
    industry: null,
    employees: null,
    province: null,
    city: null,
    region: null,
    tier: null,
    owner_id: null,
    custom_fields: {},
    created_by: null,
    created_at: at,
    updated_at: at,
    ...extra,
  };
}

async function stored(ids: string[]) {
  return queryRows<Record<string, unknown>>(
    ctx.database.db,
    sql`select id, name, industry, employees, city, custom_fields, created_at, updated_at from accounts
        where id in ${ids} order by name`,
  );
}

it('writes varying, constant and null columns alike, one row or many', async () => {
  const rows = [
    account('Batch A', { industry: '制造', employees: 12, custom_fields: { tier: 'x' } }),
    // The same instant as another Date object, and an instant of its own.
    account('Batch B', {
      industry: '制造',
      employees: null,
      city: '上海',
      created_at: new Date(at.getTime()),
      updated_at: new Date('2024-04-01T00:00:00Z'),
    }),
    account('Batch C', { industry: '制造', employees: 0, city: 'O\'Brien "quoted" \\ 🚀' }),
  ];
  await insertRows(ctx.database.db, 'accounts', ACCOUNT_COLUMNS, rows);
  // One row: every column is the same in every row and bound once, but for the jsonb one
  // (custom_fields), which always goes through JSON. A number that is not finite is null, as
  // JSON.stringify makes it; an empty string stays empty.
  const single = account('Batch D', {
    industry: '',
    employees: Number.POSITIVE_INFINITY,
    created_at: new Date('2020-01-02T03:04:05Z'),
  });
  await insertMany(ctx.database.db, [
    { table: 'accounts', columns: ACCOUNT_COLUMNS, rows: [single] },
    { table: 'accounts', columns: ACCOUNT_COLUMNS, rows: [] },
  ]);
  const got = await stored([...rows, single].map((r) => r.id));
  expect(
    got.map((r) => ({
      ...r,
      created_at: new Date(r.created_at as string).toISOString(),
      updated_at: new Date(r.updated_at as string).toISOString(),
    })),
  ).toEqual([
    {
      id: rows[0]!.id,
      name: 'Batch A',
      industry: '制造',
      employees: 12,
      city: null,
      custom_fields: { tier: 'x' },
      created_at: at.toISOString(),
      updated_at: at.toISOString(),
    },
    {
      id: rows[1]!.id,
      name: 'Batch B',
      industry: '制造',
      employees: null,
      city: '上海',
      custom_fields: {},
      created_at: at.toISOString(),
      updated_at: '2024-04-01T00:00:00.000Z',
    },
    {
      id: rows[2]!.id,
      name: 'Batch C',
      industry: '制造',
      employees: 0,
      city: 'O\'Brien "quoted" \\ 🚀',
      custom_fields: {},
      created_at: at.toISOString(),
      updated_at: at.toISOString(),
    },
    {
      id: single.id,
      name: 'Batch D',
      industry: '',
      employees: null,
      city: null,
      custom_fields: {},
      created_at: '2020-01-02T03:04:05.000Z',
      updated_at: at.toISOString(),
    },
  ]);
});

it('writes a batch without any column that differs between rows (no JSON at all)', async () => {
  const ws = ctx.world.workspaceId;
  const columns = { id: 'uuid', workspace_id: 'uuid', name: 'text' } as const;
  const id = crypto.randomUUID();
  await insertRows(ctx.database.db, 'competitors', columns, [
    { id, workspace_id: ws, name: 'Constant Co' },
  ]);
  const rows = await queryRows<{ id: string; name: string }>(
    ctx.database.db,
    sql`select id, name from competitors where workspace_id = ${ws} and name = 'Constant Co'`,
  );
  expect(rows).toEqual([{ id, name: 'Constant Co' }]);
});
