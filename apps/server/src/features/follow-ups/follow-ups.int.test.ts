import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOpportunity,
  createTestContext,
  DEFAULT_NOW,
  type TestContext,
} from '../../../test/harness';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t?.close());

describe('follow-ups', () => {
  it('logs a follow-up, completes the planned one and plans the next by cadence', async () => {
    t.setNow(DEFAULT_NOW);
    const rep = await t.as('repA');
    const o = await createOpportunity(rep, { expectedAmount: 300000 }); // B: weekly
    const planned = (await rep.get(`/api/v1/opportunities/${o.id}/follow-ups`)).json();
    expect(planned).toHaveLength(1);
    expect(planned[0]).toMatchObject({
      status: 'planned',
      plannedAt: '2024-05-22T02:00:00.000Z',
      plannedByCadence: true,
    });

    const logged = await rep.post(`/api/v1/opportunities/${o.id}/follow-ups`, {
      occurredAt: '2024-05-15T01:30:00Z',
      method: 'visit',
      content: '拜访客户,确认预算 30 万',
      nextAction: '5月20日前发送报价',
      intentChange: '观望 → 积极',
    });
    expect(logged.statusCode).toBe(201);
    expect(logged.json().logged).toMatchObject({
      id: planned[0].id,
      status: 'done',
      method: 'visit',
      lateEntry: false,
      intentChange: '观望 → 积极',
    });
    expect(logged.json().next).toMatchObject({
      status: 'planned',
      plannedAt: '2024-05-22T01:30:00.000Z',
      goal: '5月20日前发送报价',
      plannedByCadence: true,
    });
    const detail = (await rep.get(`/api/v1/opportunities/${o.id}`)).json();
    expect(detail).toMatchObject({
      nextFollowUpAt: '2024-05-22T01:30:00.000Z',
      lastFollowUpAt: '2024-05-15T01:30:00.000Z',
    });
  });

  it('flags a follow-up logged more than 24 h after it happened and honours a set time', async () => {
    const rep = await t.as('repA');
    const o = await createOpportunity(rep, { firstFollowUpAt: null });
    expect(o.nextFollowUpAt).toBeNull();
    const late = await rep.post(`/api/v1/opportunities/${o.id}/follow-ups`, {
      occurredAt: '2024-05-14T01:59:59Z',
      method: 'phone',
      content: '电话',
      next: { plannedAt: '2024-05-16T06:00:00Z', goal: '演示' },
    });
    expect(late.json().logged.lateEntry).toBe(true);
    expect(late.json().next).toMatchObject({
      plannedAt: '2024-05-16T06:00:00.000Z',
      plannedByCadence: false,
      goal: '演示',
    });
    const onTime = await rep.post(`/api/v1/opportunities/${o.id}/follow-ups`, {
      occurredAt: '2024-05-14T02:00:00Z',
      method: 'phone',
      content: '再次电话',
      next: null,
    });
    expect(onTime.json()).toMatchObject({ logged: { lateEntry: false }, next: null });
    const future = await rep.post(`/api/v1/opportunities/${o.id}/follow-ups`, {
      occurredAt: '2024-06-14T02:00:00Z',
      method: 'phone',
      content: 'x',
    });
    expect(future.json().error.fields[0]).toMatchObject({ path: 'occurredAt', code: 'in_future' });
  });

  it('lists overdue, due today and upcoming by calendar day in the workspace zone, per rep and team', async () => {
    const ctx = await createTestContext();
    try {
      ctx.setNow('2024-05-15T02:00:00Z'); // Wed 10:00 in Shanghai
      const repA = await ctx.as('repA');
      const repB = await ctx.as('repB');
      const repC = await ctx.as('repC');
      const plan = async (client: typeof repA, at: string) => {
        const o = await createOpportunity(client, { firstFollowUpAt: at });
        return o.id;
      };
      await plan(repA, '2024-05-14T15:59:00Z'); // Tue 23:59 local: overdue
      await plan(repA, '2024-05-14T16:00:00Z'); // Wed 00:00 local: today
      await plan(repA, '2024-05-15T15:59:00Z'); // Wed 23:59 local: today
      await plan(repA, '2024-05-15T16:00:00Z'); // Thu: upcoming
      await plan(repB, '2024-05-10T02:00:00Z'); // overdue (east team)
      await plan(repC, '2024-05-15T03:00:00Z'); // today (north team)
      const mine = (await repA.get('/api/v1/follow-ups/queue')).json();
      expect(mine.counts).toEqual({ overdue: 1, today: 2, upcoming: 1 });
      expect(mine.timeZone).toBe('Asia/Shanghai');
      const east = (
        await (await ctx.as('managerEast')).get('/api/v1/follow-ups/queue?scope=team')
      ).json();
      expect(east.counts).toEqual({ overdue: 2, today: 2, upcoming: 1 });
      const north = (
        await (await ctx.as('managerNorth')).get('/api/v1/follow-ups/queue?scope=team')
      ).json();
      expect(north.counts).toEqual({ overdue: 0, today: 1, upcoming: 0 });
      const all = (
        await (await ctx.as('director')).get('/api/v1/follow-ups/queue?scope=all')
      ).json();
      expect(all.counts).toEqual({ overdue: 2, today: 3, upcoming: 1 });
      const repView = (await repB.get('/api/v1/follow-ups/queue?scope=team')).json();
      expect(repView.counts).toEqual({ overdue: 1, today: 0, upcoming: 0 }); // a rep's team view still shows only what they may see
      const overduePage = (await repA.get('/api/v1/follow-ups?bucket=overdue')).json();
      expect(overduePage.total).toBe(1);
      // the next day, yesterday's "today" items are overdue
      ctx.setNow('2024-05-15T16:30:00Z');
      expect((await repA.get('/api/v1/follow-ups/queue')).json().counts).toEqual({
        overdue: 3,
        today: 1,
        upcoming: 0,
      });
    } finally {
      await ctx.close();
    }
  });

  it('reschedules and cancels planned follow-ups with a version, and refuses on closed deals', async () => {
    t.setNow(DEFAULT_NOW);
    const rep = await t.as('repB');
    const o = await createOpportunity(rep);
    const [planned] = (await rep.get(`/api/v1/opportunities/${o.id}/follow-ups`)).json();
    const moved = await rep.patch(`/api/v1/follow-ups/${planned.id}`, {
      version: planned.version,
      plannedAt: '2024-05-17T02:00:00Z',
    });
    expect(moved.json()).toMatchObject({
      plannedAt: '2024-05-17T02:00:00.000Z',
      plannedByCadence: false,
    });
    const stale = await rep.patch(`/api/v1/follow-ups/${planned.id}`, {
      version: planned.version,
      status: 'cancelled',
    });
    expect(stale.statusCode).toBe(409);
    const cancelled = await rep.patch(`/api/v1/follow-ups/${planned.id}`, {
      version: moved.json().version,
      status: 'cancelled',
    });
    expect(cancelled.json().status).toBe('cancelled');
    expect((await rep.get(`/api/v1/opportunities/${o.id}`)).json().nextFollowUpAt).toBeNull();
    const plan = await rep.post(`/api/v1/opportunities/${o.id}/follow-ups/plan`, {
      method: 'email',
      goal: '发送案例',
    });
    expect(plan.json()).toMatchObject({
      status: 'planned',
      plannedAt: '2024-05-22T02:00:00.000Z',
      method: 'email',
    });
    const current = (await rep.get(`/api/v1/opportunities/${o.id}`)).json();
    await rep.post(`/api/v1/opportunities/${o.id}/close-lost`, {
      version: current.version,
      reason: 'price_too_high',
    });
    const afterClose = await rep.post(`/api/v1/opportunities/${o.id}/follow-ups`, {
      occurredAt: '2024-05-15T01:00:00Z',
      method: 'phone',
      content: 'x',
    });
    expect(afterClose.json().error.code).toBe('OPPORTUNITY_CLOSED');
    expect(
      (await rep.get(`/api/v1/opportunities/${o.id}/follow-ups`))
        .json()
        .every((f: { status: string }) => f.status !== 'planned'),
    ).toBe(true);
  });
});
