/** Migration 0005 fills stage_changes.stay_started_at for existing history as the writers now do. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stayStartsOf } from '@funnel/domain';
import { createOpportunity, createTestContext, type TestContext } from '../../test/harness';
import { queryRows } from './query';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t?.close());

const here = path.dirname(fileURLToPath(import.meta.url));

describe('stay_started_at backfill', () => {
  it('gives the same values as the service wrote', async () => {
    const rep = await t.as('repA');
    const stage = (name: string) => t.world.stages.find((s) => s.name === name)!.id;
    const o = await createOpportunity(rep);
    t.setNow('2024-05-16T02:00:00Z');
    let v = (
      await rep.post(`/api/v1/opportunities/${o.id}/move`, {
        version: o.version,
        stageId: stage('需求确认'),
      })
    ).json().opportunity.version;
    t.setNow('2024-05-17T02:00:00Z');
    v = (
      await rep.post(`/api/v1/opportunities/${o.id}/postpone`, {
        version: v,
        reason: '等预算',
        remedy: '月底再联系',
      })
    ).json().version;
    t.setNow('2024-05-18T02:00:00Z');
    v = (
      await rep.post(`/api/v1/opportunities/${o.id}/reopen`, { version: v, reason: '预算到位' })
    ).json().version;
    t.setNow('2024-05-19T02:00:00Z');
    await rep.post(`/api/v1/opportunities/${o.id}/close-lost`, {
      version: v,
      reason: 'price_too_high',
    });
    const read = () =>
      queryRows<{
        from_stage_id: string | null;
        to_stage_id: string;
        changed_at: string;
        stay_started_at: string | null;
      }>(
        t.database.db,
        sql`select from_stage_id, to_stage_id, changed_at, stay_started_at from stage_changes where opportunity_id = ${o.id} order by changed_at, id`,
      );
    const written = (await read()).map((r) =>
      r.stay_started_at ? new Date(r.stay_started_at).toISOString() : null,
    );
    const expected = stayStartsOf(
      (await read()).map((r) => ({
        fromStageId: r.from_stage_id,
        toStageId: r.to_stage_id,
        changedAt: new Date(r.changed_at),
      })),
    ).map((d) => d?.toISOString() ?? null);
    expect(written).toEqual(expected);
    expect(written.filter(Boolean)).toHaveLength(2);

    await t.database.db.execute(
      sql`update stage_changes set stay_started_at = null where opportunity_id = ${o.id}`,
    );
    const migration = readFileSync(path.join(here, 'migrations/0005_stay_started_at.sql'), 'utf8');
    const backfill = migration.split('--> statement-breakpoint').at(-1)!;
    await t.database.db.execute(sql.raw(backfill));
    expect(
      (await read()).map((r) =>
        r.stay_started_at ? new Date(r.stay_started_at).toISOString() : null,
      ),
    ).toEqual(expected);
  });
});
