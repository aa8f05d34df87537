import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpportunity, createTestContext, type TestContext } from '../../../test/harness';
import { runDueJobs } from './scheduler';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t?.close());

describe('weekly priority recompute', () => {
  it('runs once a week per workspace and applies changed rules', async () => {
    const rep = await t.as('repA');
    const o = await createOpportunity(rep, { expectedAmount: 300000 });
    expect(o.priority).toBe('B');
    const first = new Date('2024-05-15T03:00:00Z');
    expect(await runDueJobs(t.database.db, t.services.opportunities, first)).toBe(1);
    // the rules change; nothing happens until a week has passed
    const admin = await t.as('admin');
    const ws = (await admin.get('/api/v1/workspace')).json();
    await admin.patch('/api/v1/workspace', { version: ws.version, rules: { priorityRules: [] } });
    expect(
      await runDueJobs(t.database.db, t.services.opportunities, new Date('2024-05-21T03:00:00Z')),
    ).toBe(0);
    expect((await rep.get(`/api/v1/opportunities/${o.id}`)).json().priority).toBe('B');
    expect(
      await runDueJobs(t.database.db, t.services.opportunities, new Date('2024-05-22T03:00:00Z')),
    ).toBe(1);
    expect((await rep.get(`/api/v1/opportunities/${o.id}`)).json().priority).toBe('C');
    const history = (await rep.get(`/api/v1/opportunities/${o.id}/priority-changes`)).json();
    expect(history.at(-1)).toMatchObject({ kind: 'weekly', fromPriority: 'B', toPriority: 'C' });
  });
});
