/** The SQL of exports: each list in keyset pages (created_at, id), under the same access rules as the list views. */
import { and, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { queryRows } from '../../db/query';
import type { Actor } from '../access/actor';
import { opportunityVisibilitySql } from '../access/access';
import {
  filterConditions,
  type OpportunityFilter,
} from '../opportunities/opportunities.repository';

const ms = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000)::float8`);

/** Where the previous page ended: the created_at as PostgreSQL printed it (exact to the microsecond) and the id. */
export interface Cursor {
  at: string;
  id: string;
}

const after = (cursor: Cursor | null, at: string, id: string) =>
  cursor
    ? sql`and (${sql.raw(at)}, ${sql.raw(id)}) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)`
    : sql``;

export async function opportunityPage(
  q: Executor,
  actor: Actor,
  filter: OpportunityFilter,
  cursor: Cursor | null,
  limit: number,
) {
  const where = and(...filterConditions(actor, filter))!;
  return queryRows<Record<string, unknown>>(
    q,
    sql`select opportunities.*, opportunities.created_at::text as cursor_at, ${ms('opportunities.created_at')} as created_ms, ${ms('opportunities.acquired_at')} as acquired_ms,
          ${ms('opportunities.stage_entered_at')} as stage_entered_ms, ${ms('opportunities.closed_at')} as closed_ms,
          ${ms('opportunities.updated_at')} as updated_ms, ${ms('opportunities.next_follow_up_at')} as next_ms,
          ${ms('opportunities.last_follow_up_at')} as last_ms,
          opportunities.expected_close_date::text as expected_close, opportunities.won_date::text as won_on,
          opportunities.postponed_until::text as postponed_to,
          accounts.name as account_name, stages.name as stage_name, users.name as owner_name, users.email as owner_email,
          p.name as pipeline_name, t.name as team_name, c.name as competitor_name,
          case when opportunities.status in ('won', 'lost') then (
            select fs.name from stage_changes sc join stages fs on fs.id = sc.from_stage_id
            where sc.opportunity_id = opportunities.id and sc.kind in ('won', 'lost')
            order by sc.changed_at desc, sc.id desc limit 1) end as last_open_stage
        from opportunities
        join accounts on accounts.id = opportunities.account_id
        join stages on stages.id = opportunities.stage_id
        join users on users.id = opportunities.owner_id
        join pipelines p on p.id = opportunities.pipeline_id
        left join teams t on t.id = opportunities.team_id
        left join competitors c on c.id = opportunities.lost_to_competitor_id
        where ${where} ${after(cursor, 'opportunities.created_at', 'opportunities.id')}
        order by opportunities.created_at, opportunities.id
        limit ${limit}`,
  );
}

export interface AccountExportFilter {
  q?: string | undefined;
  industry?: string | undefined;
  region?: string | undefined;
  tier?: string | undefined;
  ownerId?: string | undefined;
}

export async function accountPage(
  q: Executor,
  workspaceId: string,
  filter: AccountExportFilter,
  cursor: Cursor | null,
  limit: number,
) {
  const conditions: SQL[] = [sql`a.workspace_id = ${workspaceId}`];
  if (filter.q)
    conditions.push(sql`(a.name ilike ${`%${filter.q}%`} or a.city ilike ${`%${filter.q}%`})`);
  if (filter.industry) conditions.push(sql`a.industry = ${filter.industry}`);
  if (filter.region) conditions.push(sql`a.region = ${filter.region}`);
  if (filter.tier) conditions.push(sql`a.tier = ${filter.tier}`);
  if (filter.ownerId) conditions.push(sql`a.owner_id = ${filter.ownerId}`);
  return queryRows<Record<string, unknown>>(
    q,
    sql`select a.*, a.created_at::text as cursor_at, ${ms('a.created_at')} as created_ms, u.name as owner_name, u.email as owner_email,
          (select count(*)::int from opportunities o where o.account_id = a.id and o.status = 'open') as open_count
        from accounts a left join users u on u.id = a.owner_id
        where ${sql.join(conditions, sql` and `)} ${after(cursor, 'a.created_at', 'a.id')}
        order by a.created_at, a.id limit ${limit}`,
  );
}

/** Codes of the opportunities (that the actor sees) each contact is linked to. */
export async function contactOpportunityCodes(q: Executor, actor: Actor, contactIds: string[]) {
  if (contactIds.length === 0) return new Map<string, string>();
  const rows = await queryRows<{ contact_id: string; codes: string }>(
    q,
    sql`select oc.contact_id, string_agg(o.code, ';' order by o.code) as codes
        from opportunity_contacts oc join opportunities o on o.id = oc.opportunity_id
        where oc.contact_id::text in (select value from json_array_elements_text(${JSON.stringify(contactIds)}::json))
          and ${opportunityVisibilitySql(actor, 'o')}
        group by oc.contact_id`,
  );
  return new Map(rows.map((r) => [r.contact_id, r.codes]));
}

/** A page of follow-ups meeting the conditions (on the un-aliased follow_ups and opportunities). */
export async function followUpPage(
  q: Executor,
  conditions: SQL[],
  cursor: Cursor | null,
  limit: number,
) {
  return queryRows<Record<string, unknown>>(
    q,
    sql`select follow_ups.*, follow_ups.created_at::text as cursor_at, ${ms('follow_ups.created_at')} as created_ms, ${ms('follow_ups.planned_at')} as planned_ms, ${ms('follow_ups.occurred_at')} as occurred_ms,
          opportunities.code as opportunity_code, opportunities.name as opportunity_name, u.name as owner_name, u.email as owner_email
        from follow_ups join opportunities on opportunities.id = follow_ups.opportunity_id join users u on u.id = follow_ups.owner_id
        where ${and(...conditions)} ${after(cursor, 'follow_ups.created_at', 'follow_ups.id')}
        order by follow_ups.created_at, follow_ups.id limit ${limit}`,
  );
}
