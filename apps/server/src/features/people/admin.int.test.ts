import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpportunity, createTestContext, type TestContext } from '../../../test/harness';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t?.close());

describe('people, teams, pipelines and settings (admin)', () => {
  it('adds members, moves them between teams (their deals follow) and keeps one admin', async () => {
    const admin = await t.as('admin');
    const created = await admin.post('/api/v1/users', {
      email: 'new.rep@test.example',
      name: '新人',
      password: 'long-enough-1',
      role: 'rep',
      teamId: t.world.teams.north,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ role: 'rep', teamName: '华北', canSignIn: true });
    const dup = await admin.post('/api/v1/users', {
      email: 'NEW.REP@test.example',
      name: 'x',
      role: 'rep',
    });
    expect(dup.json().error).toMatchObject({ code: 'DUPLICATE' });
    const historic = await admin.post('/api/v1/users', {
      email: 'old.rep@test.example',
      name: '老销售',
      role: 'rep',
    });
    expect(historic.json().canSignIn).toBe(false);

    const rep = await t.signIn('new.rep@test.example', 'en', 'long-enough-1');
    const deal = await createOpportunity(rep);
    const north = await t.as('managerNorth');
    expect((await north.get(`/api/v1/opportunities/${deal.id}`)).statusCode).toBe(200);
    const moved = await admin.patch(`/api/v1/users/${created.json().id}`, {
      version: created.json().version,
      teamId: t.world.teams.east1,
    });
    expect(moved.json().teamName).toBe('华东一组');
    expect((await north.get(`/api/v1/opportunities/${deal.id}`)).statusCode).toBe(404);
    expect(
      (await (await t.as('managerEast')).get(`/api/v1/opportunities/${deal.id}`)).statusCode,
    ).toBe(200);

    const self = (await admin.get(`/api/v1/users/${t.world.users.admin.id}`)).json();
    const demote = await admin.patch(`/api/v1/users/${self.id}`, {
      version: self.version,
      role: 'director',
    });
    expect(demote.json().error.fields[0]).toMatchObject({ path: 'role', code: 'last_admin' });
    const list = (await admin.get('/api/v1/users?teamId=' + t.world.teams.east)).json();
    expect(list.items.map((u: { name: string }) => u.name).sort()).toEqual([
      'managerEast',
      'repA',
      'repB',
      '新人',
    ]);
  });

  it('builds the team tree without cycles', async () => {
    const admin = await t.as('admin');
    const teams = (await admin.get('/api/v1/teams')).json();
    const east = teams.find((x: { id: string }) => x.id === t.world.teams.east);
    const cycle = await admin.patch(`/api/v1/teams/${east.id}`, {
      version: east.version,
      parentId: t.world.teams.east1,
    });
    expect(cycle.json().error.fields[0]).toMatchObject({ path: 'parentId', code: 'cycle' });
    const team = await admin.post('/api/v1/teams', { name: '华南', parentId: t.world.teams.root });
    expect(team.statusCode).toBe(201);
    expect((await admin.post('/api/v1/teams', { name: '华南' })).json().error.code).toBe(
      'DUPLICATE',
    );
  });

  it('creates pipelines from presets and edits the stage list, keeping used stages', async () => {
    const admin = await t.as('admin');
    const presets = (await admin.get('/api/v1/pipelines/presets')).json();
    expect(presets.map((p: { key: string }) => p.key)).toEqual([
      'standard6',
      'lead5',
      'customer6',
      'marketing',
      'forecast7',
    ]);
    const created = await admin.post('/api/v1/pipelines', { name: '五阶段', preset: 'lead5' });
    expect(created.json().stages.map((s: { name: string }) => s.name)).toEqual([
      '初识',
      '意向明确',
      '方案对比',
      '商务谈判',
      '成交',
      '未成交',
    ]);
    const pipeline = created.json();
    const stages = pipeline.stages.map(
      ({ id, name, kind, winProbability, requiredFields, gateMode }: Record<string, unknown>) => ({
        id,
        name,
        kind,
        winProbability,
        requiredFields,
        gateMode,
      }),
    );
    stages.splice(1, 0, {
      name: '需求调研',
      kind: 'open',
      winProbability: 15,
      standardDwellDays: 5,
      requiredFields: ['needsDescription', 'custom.decision_chain'],
      gateMode: 'block',
    });
    const replaced = await admin.put(`/api/v1/pipelines/${pipeline.id}/stages`, {
      version: pipeline.version,
      stages,
    });
    expect(replaced.statusCode).toBe(200);
    expect(
      replaced
        .json()
        .stages.map((s: { name: string; position: number }) => `${s.position}:${s.name}`),
    ).toEqual([
      '1:初识',
      '2:需求调研',
      '3:意向明确',
      '4:方案对比',
      '5:商务谈判',
      '6:成交',
      '7:未成交',
    ]);
    const broken = await admin.put(`/api/v1/pipelines/${pipeline.id}/stages`, {
      version: replaced.json().version,
      stages: stages.filter((s: { kind: string }) => s.kind !== 'won'),
    });
    expect(broken.json().error.fields[0]).toMatchObject({ path: 'stages', code: 'stage_list' });
    const badField = await admin.put(`/api/v1/pipelines/${pipeline.id}/stages`, {
      version: replaced.json().version,
      stages: [{ ...stages[0], requiredFields: ['shoeSize'] }, ...stages.slice(1)],
    });
    expect(badField.json().error.fields[0].path).toBe('stages.0.requiredFields.0');
    // a stage with history cannot be dropped
    const standard = (await admin.get(`/api/v1/pipelines/${t.world.pipelineId}`)).json();
    const without = standard.stages
      .filter((s: { name: string }) => s.name !== '线索获取')
      .map(({ id, name, kind, winProbability }: Record<string, unknown>) => ({
        id,
        name,
        kind,
        winProbability,
      }));
    const inUse = await admin.put(`/api/v1/pipelines/${standard.id}/stages`, {
      version: standard.version,
      stages: without,
    });
    expect(inUse.json().error.code).toBe('IN_USE');
    const rep = await t.as('repA');
    expect((await rep.post('/api/v1/pipelines', { name: 'x' })).statusCode).toBe(403);
  });

  it('defines custom fields that opportunities must respect and that gates can require', async () => {
    const admin = await t.as('admin');
    const field = await admin.post('/api/v1/custom-fields', {
      entity: 'opportunity',
      key: 'decision_chain',
      labelZh: '客户决策链人数',
      labelEn: 'Decision chain',
      type: 'number',
    });
    expect(field.statusCode).toBe(201);
    const select = await admin.post('/api/v1/custom-fields', {
      entity: 'opportunity',
      key: 'budget_owner',
      labelZh: '预算负责人',
      labelEn: 'Budget owner',
      type: 'select',
      options: ['IT', '财务'],
    });
    expect(select.statusCode).toBe(201);
    const rep = await t.as('repA');
    const ok = await createOpportunity(rep, {
      customFields: { decision_chain: 4, budget_owner: '财务' },
    });
    expect(ok.customFields).toEqual({ decision_chain: 4, budget_owner: '财务' });
    const account = (await rep.post('/api/v1/accounts', { name: '自定义字段客户有限公司' })).json();
    const bad = await rep.post('/api/v1/opportunities', {
      name: 'x',
      accountId: account.id,
      customFields: { decision_chain: 'many', budget_owner: '采购' },
    });
    expect(
      bad.json().error.fields.map((f: { path: string; code: string }) => `${f.path}:${f.code}`),
    ).toEqual([
      'customFields.decision_chain:custom_field_type',
      'customFields.budget_owner:custom_field_type',
    ]);
  });

  it('changes priority thresholds and cadence, which then drive new records', async () => {
    const admin = await t.as('admin');
    const ws = (await admin.get('/api/v1/workspace')).json();
    expect(ws.rules.priorityRules[0]).toMatchObject({
      priority: 'A',
      match: 'all',
      amountMin: '500000.00',
      probabilityMin: 70,
    });
    const res = await admin.patch('/api/v1/workspace', {
      version: ws.version,
      rules: {
        priorityRules: [{ priority: 'A', match: 'any', amountMin: '100000' }],
        cadenceDays: { A: 2, B: 7, C: 14 },
      },
      timeZone: 'Asia/Tokyo',
    });
    expect(res.statusCode).toBe(200);
    const rep = await t.as('repC');
    const o = await createOpportunity(rep, { expectedAmount: 150000 });
    expect(o.priority).toBe('A');
    expect(o.nextFollowUpAt).toBe('2024-05-17T02:00:00.000Z');
    const badZone = await admin.patch('/api/v1/workspace', {
      version: res.json().version,
      timeZone: 'Mars/Olympus',
    });
    expect(badZone.json().error.fields[0]).toMatchObject({ path: 'timeZone', code: 'time_zone' });
    const stale = await admin.patch('/api/v1/workspace', { version: ws.version, name: 'x' });
    expect(stale.statusCode).toBe(409);
  });

  it('recomputes priorities under new rules (the weekly job) and records the history', async () => {
    const admin = await t.as('admin');
    const ws = (await admin.get('/api/v1/workspace')).json();
    await admin.patch('/api/v1/workspace', { version: ws.version, rules: { priorityRules: [] } });
    const result = await t.services.opportunities.recomputeAllPriorities(t.world.workspaceId);
    expect(result.changed).toBeGreaterThan(0);
    const rep = await t.as('repC');
    const list = (await rep.get('/api/v1/opportunities?status=open')).json();
    expect(list.items.every((o: { computedPriority: string }) => o.computedPriority === 'C')).toBe(
      true,
    );
    const history = (
      await rep.get(`/api/v1/opportunities/${list.items[0].id}/priority-changes`)
    ).json();
    expect(history.at(-1)).toMatchObject({ kind: 'weekly', toPriority: 'C' });
  });
});
