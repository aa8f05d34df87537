import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpportunity, createTestContext, type TestContext } from '../../../test/harness';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t?.close());

const stage = (name: string) => t.world.stages.find((s) => s.name === name)!;

describe('opportunity lifecycle', () => {
  it('creates with a generated code, computed priority, late flag and a cadence follow-up', async () => {
    const rep = await t.as('repA');
    const account = await rep.post('/api/v1/accounts', {
      name: '北京星辰科技有限公司',
      industry: '制造业',
      employees: 120,
    });
    expect(account.statusCode).toBe(201);
    const res = await rep.post('/api/v1/opportunities', {
      name: 'ERP 采购',
      accountId: account.json().id,
      expectedAmount: 600000,
      winProbability: 75,
      source: 'referral',
      acquiredAt: '2024-05-13T01:00:00Z', // 49 h before "now": entered late
    });
    expect(res.statusCode).toBe(201);
    const o = res.json().opportunity;
    expect(o.code).toBe('202405-001');
    expect(o.priority).toBe('A'); // 60万 >= 50万 and 75% >= 70%
    expect(o.expectedAmount).toBe('600000.00');
    expect(o.lateEntry).toBe(true);
    expect(o.stage.name).toBe('线索获取');
    expect(o.industry).toBe('制造业'); // from the account
    // A: twice a week = 3.5 days after acquisition
    expect(o.nextFollowUpAt).toBe('2024-05-16T13:00:00.000Z');
    const second = await createOpportunity(rep);
    expect(second.code).toBe('202405-002');
    expect(second.priority).toBe('B'); // 30万 in [20万, 50万)
    expect(second.lateEntry).toBe(false);
  });

  it('moves forward, requires a reason to skip or go back, and records the history', async () => {
    const rep = await t.as('repA');
    const o = await createOpportunity(rep);
    const forward = await rep.post(`/api/v1/opportunities/${o.id}/move`, {
      version: o.version,
      stageId: stage('需求确认').id,
    });
    expect(forward.statusCode).toBe(200);
    expect(forward.json().warnings).toEqual([]);
    const v2 = forward.json().opportunity.version;
    expect(v2).toBe(o.version + 1);

    const skip = await rep.post(`/api/v1/opportunities/${o.id}/move`, {
      version: v2,
      stageId: stage('商务谈判').id,
    });
    expect(skip.statusCode).toBe(422);
    expect(skip.json().error.code).toBe('REASON_REQUIRED');
    expect(skip.json().error.fields[0].path).toBe('reason');

    const skipped = await rep.post(`/api/v1/opportunities/${o.id}/move`, {
      version: v2,
      stageId: stage('商务谈判').id,
      reason: '老客户,直接谈判',
    });
    expect(skipped.statusCode).toBe(200);
    const v3 = skipped.json().opportunity.version;

    const back = await rep.post(`/api/v1/opportunities/${o.id}/move`, {
      version: v3,
      stageId: stage('方案呈现').id,
    });
    expect(back.json().error.code).toBe('REASON_REQUIRED');
    const backed = await rep.post(`/api/v1/opportunities/${o.id}/move`, {
      version: v3,
      stageId: stage('方案呈现').id,
      reason: '方案需重做',
    });
    expect(backed.statusCode).toBe(200);

    const history = (await rep.get(`/api/v1/opportunities/${o.id}/stage-changes`)).json();
    expect(history.map((h: { kind: string }) => h.kind)).toEqual([
      'create',
      'forward',
      'skip',
      'back',
    ]);
    expect(history[2]).toMatchObject({
      fromStage: { name: '需求确认' },
      toStage: { name: '商务谈判' },
      reason: '老客户,直接谈判',
      changedBy: { id: rep.userId },
    });
  });

  it('checks stage gates: blocks where configured, warns elsewhere', async () => {
    const rep = await t.as('repA');
    const o = await createOpportunity(rep, { expectedCloseDate: null, needsDescription: '' });
    // 需求确认 warns when needsDescription is empty
    const warn = await rep.post(`/api/v1/opportunities/${o.id}/move`, {
      version: o.version,
      stageId: stage('需求确认').id,
    });
    expect(warn.statusCode).toBe(200);
    expect(warn.json().warnings[0]).toMatchObject({
      code: 'STAGE_GATE_UNMET',
      fields: ['needsDescription'],
    });
    // 商务谈判 blocks without an expected close date
    const block = await rep.post(`/api/v1/opportunities/${o.id}/move`, {
      version: warn.json().opportunity.version,
      stageId: stage('商务谈判').id,
      reason: 'fast track',
    });
    expect(block.statusCode).toBe(422);
    expect(block.json().error).toMatchObject({
      code: 'STAGE_GATE_UNMET',
      details: { missingFields: ['expectedCloseDate'] },
    });
    expect(block.json().error.fields).toEqual([
      expect.objectContaining({ path: 'expectedCloseDate' }),
    ]);
    const unchanged = (await rep.get(`/api/v1/opportunities/${o.id}`)).json();
    expect(unchanged.stage.name).toBe('需求确认');
  });

  it('answers 409 on a stale version and changes nothing', async () => {
    const rep = await t.as('repA');
    const o = await createOpportunity(rep);
    const first = await rep.patch(`/api/v1/opportunities/${o.id}`, {
      version: o.version,
      name: 'first',
    });
    expect(first.statusCode).toBe(200);
    const stale = await rep.patch(`/api/v1/opportunities/${o.id}`, {
      version: o.version,
      name: 'second',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'VERSION_CONFLICT',
      details: { currentVersion: o.version + 1 },
    });
    const staleMove = await rep.post(`/api/v1/opportunities/${o.id}/move`, {
      version: o.version,
      stageId: stage('需求确认').id,
    });
    expect(staleMove.statusCode).toBe(409);
    const now = (await rep.get(`/api/v1/opportunities/${o.id}`)).json();
    expect(now.name).toBe('first');
    expect(now.stage.name).toBe('线索获取');
    expect(now.version).toBe(o.version + 1);
  });

  it('recomputes priority when the amount changes and keeps the history; overrides need a reason', async () => {
    const rep = await t.as('repA');
    const o = await createOpportunity(rep, { expectedAmount: 100000 });
    expect(o.priority).toBe('C');
    const up = await rep.patch(`/api/v1/opportunities/${o.id}`, {
      version: o.version,
      expectedAmount: '250000.50',
    });
    expect(up.json()).toMatchObject({
      priority: 'B',
      computedPriority: 'B',
      expectedAmount: '250000.50',
    });
    const noReason = await rep.post(`/api/v1/opportunities/${o.id}/priority`, {
      version: up.json().version,
      priority: 'A',
    });
    expect(noReason.json().error.code).toBe('REASON_REQUIRED');
    const over = await rep.post(`/api/v1/opportunities/${o.id}/priority`, {
      version: up.json().version,
      priority: 'A',
      reason: '战略客户',
    });
    expect(over.json()).toMatchObject({
      priority: 'A',
      computedPriority: 'B',
      priorityOverride: { priority: 'A', reason: '战略客户', by: { id: rep.userId } },
    });
    // computed changes stay recorded while the override holds
    const down = await rep.patch(`/api/v1/opportunities/${o.id}`, {
      version: over.json().version,
      expectedAmount: 1000,
    });
    expect(down.json()).toMatchObject({ priority: 'A', computedPriority: 'C' });
    const cleared = await rep.post(`/api/v1/opportunities/${o.id}/priority`, {
      version: down.json().version,
      priority: null,
    });
    expect(cleared.json()).toMatchObject({ priority: 'C', priorityOverride: null });
    const history = (await rep.get(`/api/v1/opportunities/${o.id}/priority-changes`)).json();
    expect(
      history.map((h: { kind: string; toPriority: string }) => `${h.kind}:${h.toPriority}`),
    ).toEqual(['computed:C', 'computed:B', 'override:A', 'computed:A', 'override_cleared:C']);
  });

  it('closes as won with collections, as lost with a reason and competitor, postpones and reopens', async () => {
    const rep = await t.as('repA');
    const won = await createOpportunity(rep);
    const closeWon = await rep.post(`/api/v1/opportunities/${won.id}/close-won`, {
      version: won.version,
      amount: '320000',
      signedDate: '2024-05-14',
      collections: [
        {
          expectedDate: '2024-06-01',
          expectedAmount: 200000,
          actualDate: '2024-05-20',
          actualAmount: 200000,
        },
        { expectedDate: '2024-08-01', expectedAmount: '120000' },
      ],
    });
    expect(closeWon.statusCode).toBe(200);
    expect(closeWon.json()).toMatchObject({
      status: 'won',
      stage: { name: '成交落地', kind: 'won' },
      won: { amount: '320000.00', date: '2024-05-14' },
      effectiveProbability: 100,
      nextFollowUpAt: null,
    });
    const collections = (await rep.get(`/api/v1/opportunities/${won.id}/collections`)).json();
    expect(collections.map((c: { expectedAmount: string }) => c.expectedAmount)).toEqual([
      '200000.00',
      '120000.00',
    ]);
    const again = await rep.post(`/api/v1/opportunities/${won.id}/move`, {
      version: closeWon.json().version,
      stageId: stage('需求确认').id,
    });
    expect(again.json().error.code).toBe('OPPORTUNITY_CLOSED');

    const lost = await createOpportunity(rep);
    const moved = await rep.post(`/api/v1/opportunities/${lost.id}/move`, {
      version: lost.version,
      stageId: stage('需求确认').id,
    });
    const unknownReason = await rep.post(`/api/v1/opportunities/${lost.id}/close-lost`, {
      version: moved.json().opportunity.version,
      reason: 'bad luck',
    });
    expect(unknownReason.statusCode).toBe(400);
    expect(unknownReason.json().error.fields[0]).toMatchObject({
      path: 'reason',
      code: 'unknown_value',
    });
    const closeLost = await rep.post(`/api/v1/opportunities/${lost.id}/close-lost`, {
      version: moved.json().opportunity.version,
      reason: 'chose_competitor',
      competitorName: '竞品 C 公司',
      note: '对方降价 20%',
    });
    expect(closeLost.json()).toMatchObject({
      status: 'lost',
      stage: { kind: 'lost' },
      lost: {
        reason: 'chose_competitor',
        competitor: { name: '竞品 C 公司' },
        note: '对方降价 20%',
      },
    });
    const lostHistory = (await rep.get(`/api/v1/opportunities/${lost.id}/stage-changes`)).json();
    expect(lostHistory.at(-1)).toMatchObject({ kind: 'lost', fromStage: { name: '需求确认' } });
    const reopened = await rep.post(`/api/v1/opportunities/${lost.id}/reopen`, {
      version: closeLost.json().version,
      reason: '客户回头',
    });
    expect(reopened.json()).toMatchObject({
      status: 'open',
      stage: { name: '需求确认' },
      lost: null,
    });

    const parked = await createOpportunity(rep);
    const postponed = await rep.post(`/api/v1/opportunities/${parked.id}/postpone`, {
      version: parked.version,
      reason: '预算推迟',
      remedy: '季度回访',
      until: '2024-09-01',
    });
    expect(postponed.json()).toMatchObject({
      status: 'postponed',
      postponed: { reason: '预算推迟', remedy: '季度回访', until: '2024-09-01' },
      stage: { name: '线索获取' },
    });
    const back = await rep.post(`/api/v1/opportunities/${parked.id}/reopen`, {
      version: postponed.json().version,
      reason: '预算到位',
    });
    expect(back.json()).toMatchObject({ status: 'open', stage: { name: '线索获取' } });
    const notClosed = await rep.post(`/api/v1/opportunities/${parked.id}/reopen`, {
      version: back.json().version,
      reason: 'x',
    });
    expect(notClosed.json().error.code).toBe('OPPORTUNITY_NOT_CLOSED');
  });

  it('lists with filters, sorting and paging', async () => {
    const rep = await t.as('repB');
    for (const amount of [1000, 2000, 3000])
      await createOpportunity(rep, { expectedAmount: amount, source: 'website' });
    const page = await rep.get(
      '/api/v1/opportunities?source=website&sort=expectedAmount&pageSize=2',
    );
    expect(page.statusCode).toBe(200);
    expect(page.json().total).toBe(3);
    expect(page.json().items.map((o: { expectedAmount: string }) => o.expectedAmount)).toEqual([
      '1000.00',
      '2000.00',
    ]);
    const second = (
      await rep.get('/api/v1/opportunities?source=website&sort=expectedAmount&pageSize=2&page=2')
    ).json();
    expect(second.items.map((o: { expectedAmount: string }) => o.expectedAmount)).toEqual([
      '3000.00',
    ]);
    const desc = (
      await rep.get('/api/v1/opportunities?source=website&sort=-expectedAmount&pageSize=1')
    ).json();
    expect(desc.items[0].expectedAmount).toBe('3000.00');
  });

  it('records every write in the audit log', async () => {
    const rep = await t.as('repA');
    const o = await createOpportunity(rep);
    await rep.patch(`/api/v1/opportunities/${o.id}`, { version: o.version, name: '改名' });
    const audit = (await rep.get(`/api/v1/opportunities/${o.id}/audit`)).json();
    expect(audit.items.map((a: { action: string }) => a.action)).toEqual(['update', 'create']);
    expect(audit.items[0].before.name).toBe('服务器采购');
    expect(audit.items[0].after.name).toBe('改名');
  });
});

describe('board summary', () => {
  it('sums count, amount and weighted amount per stage for the filters', async () => {
    const rep = await t.as('repC');
    await createOpportunity(rep, { expectedAmount: 100000, region: 'north' }); // 线索获取 10%
    await createOpportunity(rep, {
      expectedAmount: '50000.50',
      region: 'north',
      winProbability: 33,
    });
    const res = await rep.get('/api/v1/opportunities/summary?status=open&region=north');
    expect(res.statusCode, res.body).toBe(200);
    // 100000 x 10% + 50000.50 x 33% = 10000 + 16500.165 -> 16500.17 (rounded per opportunity in 分)
    expect(res.json()).toEqual([
      { stageId: stage('线索获取').id, count: 2, amount: '150000.50', weightedAmount: '26500.17' },
    ]);
  });
});

describe('furthest stage reached', () => {
  it('rises with forward moves and skips, stays on moving back, losing and reopening, reaches won', async () => {
    const rep = await t.as('repB');
    const o = await createOpportunity(rep);
    const reached = async () => {
      const rows = await t.database.db.execute(
        `select reached_position from opportunities where id = '${o.id}'` as never,
      );
      return (rows as { rows: { reached_position: number }[] }).rows[0]!.reached_position;
    };
    expect(await reached()).toBe(1);
    let v = (
      await rep.post(`/api/v1/opportunities/${o.id}/move`, {
        version: o.version,
        stageId: stage('方案呈现').id,
        reason: 'skip',
      })
    ).json().opportunity.version;
    expect(await reached()).toBe(3);
    v = (
      await rep.post(`/api/v1/opportunities/${o.id}/move`, {
        version: v,
        stageId: stage('线索获取').id,
        reason: 'back',
      })
    ).json().opportunity.version;
    expect(await reached()).toBe(3);
    v = (
      await rep.post(`/api/v1/opportunities/${o.id}/close-lost`, {
        version: v,
        reason: 'price_too_high',
      })
    ).json().version;
    expect(await reached()).toBe(3);
    v = (
      await rep.post(`/api/v1/opportunities/${o.id}/reopen`, { version: v, reason: '回头' })
    ).json().version;
    expect(await reached()).toBe(3);
    await rep.post(`/api/v1/opportunities/${o.id}/close-won`, {
      version: v,
      amount: 1,
      signedDate: '2024-05-15',
    });
    expect(await reached()).toBe(6);
  });
});
