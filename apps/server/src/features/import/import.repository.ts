/**
 * All SQL of the importer. Rows go in by the thousand as one JSON parameter expanded by
 * json_to_recordset: one statement and one round trip per batch on both drivers, with no limit
 * on bound parameters and nothing to compile at install.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { queryRows } from '../../db/query';

const TRACE = !!process.env.FUNNEL_IMPORT_TRACE;

type ColumnType =
  'uuid' | 'text' | 'bigint' | 'integer' | 'numeric' | 'boolean' | 'date' | 'timestamptz' | 'jsonb';

interface TableRows {
  table: string;
  columns: Record<string, ColumnType>;
  rows: Record<string, unknown>[];
}

/**
 * Values as the database reads them from JSON or a parameter: instants as ISO strings. A batch
 * repeats few instants (dates at midnight, the import's own time), and formatting one costs more
 * than looking it up, so each batch keeps the strings it made.
 */
class Plain {
  private readonly instants = new Map<number, string>();

  of(value: unknown): unknown {
    // As JSON.stringify would have it: a number that is not finite, or an invalid date, is null.
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    if (!(value instanceof Date)) return value ?? null;
    const time = value.getTime();
    if (Number.isNaN(time)) return null;
    let text = this.instants.get(time);
    if (text === undefined) {
      text = value.toISOString();
      this.instants.set(time, text);
    }
    return text;
  }
}

/**
 * `insert into <table> (...) select ... from json_to_recordset(<rows>)`. The JSON carries only
 * what differs from row to row, under short keys: a column with one value in every row of the
 * batch (the workspace, the importer, the time of the import, a column the file does not have)
 * is bound once as a parameter, and a null is left out of its row (a missing key reads as null).
 * Instants are turned into ISO strings before `JSON.stringify`, which is several times faster
 * on plain strings than when it has to call `Date#toJSON` itself.
 */
function insertSql({ table, columns, rows }: TableRows): SQL {
  const names = Object.keys(columns);
  const plain = new Plain();
  const byColumn = names.map((name) => {
    const values: unknown[] = new Array(rows.length);
    for (let r = 0; r < rows.length; r++) values[r] = plain.of(rows[r]![name]);
    return values;
  });
  const constant = byColumn.map((values, i) => {
    // A jsonb value always goes through JSON: bound as a parameter, a string would be read as
    // JSON text instead of a JSON string, and objects compare by reference only.
    if (columns[names[i]!] === 'jsonb') return false;
    const first = values[0];
    for (let r = 1; r < values.length; r++) if (values[r] !== first) return false;
    return true;
  });
  const varying = names.flatMap((_, i) => (constant[i] ? [] : [i]));
  const keys = varying.map((i) => `c${i}`);
  const objects = new Array<Record<string, unknown>>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const out: Record<string, unknown> = {};
    for (let k = 0; k < varying.length; k++) {
      const value = byColumn[varying[k]!]![r];
      if (value !== null) out[keys[k]!] = value;
    }
    objects[r] = out;
  }
  const select = sql.join(
    names.map((name, i) =>
      constant[i] ? sql`${byColumn[i]![0]}::${sql.raw(columns[name]!)}` : sql.raw(`r."c${i}"`),
    ),
    sql`, `,
  );
  const list = sql.raw(names.map((n) => `"${n}"`).join(', '));
  if (varying.length === 0)
    return sql`insert into ${sql.identifier(table)} (${list}) select ${select} from generate_series(1, ${rows.length}::int)`;
  const spec = sql.raw(varying.map((i, k) => `"${keys[k]}" ${columns[names[i]!]}`).join(', '));
  return sql`insert into ${sql.identifier(table)} (${list}) select ${select} from json_to_recordset(${JSON.stringify(objects)}::json) as r(${spec})`;
}

const traced = new WeakMap<SQL, string>();

/** Inserts rows (objects keyed by column name) into a table in one statement. */
export async function insertRows(
  q: Executor,
  table: string,
  columns: Record<string, ColumnType>,
  rows: Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  await insertMany(q, [{ table, columns, rows }]);
}

/**
 * Inserts into several tables in one statement (one round trip): each table is a data-modifying
 * CTE. Foreign keys between them hold, since their checks run at the end of the statement.
 */
export async function insertMany(q: Executor, parts: TableRows[]): Promise<void> {
  const statement = insertManySql(parts);
  if (statement) await execute(q, statement);
}

/** The statement of `insertMany`, built ahead of the time it is run (null: nothing to insert). */
export function insertManySql(parts: TableRows[]): SQL | null {
  const used = parts.filter((p) => p.rows.length > 0);
  if (used.length === 0) return null;
  const ctes = used.map((p, i) => sql`${sql.raw(`i${i}`)} as (${insertSql(p)})`);
  const statement = sql`with ${sql.join(ctes, sql`, `)} select 1`;
  if (TRACE) traced.set(statement, used.map((p) => `${p.table} ${p.rows.length}`).join(', '));
  return statement;
}

export async function execute(q: Executor, statement: SQL): Promise<void> {
  const started = TRACE ? performance.now() : 0;
  await q.execute(statement);
  if (TRACE)
    console.error(
      `insert ${traced.get(statement) ?? ''} ${(performance.now() - started).toFixed(1)} ms`,
    );
}

export const OPPORTUNITY_COLUMNS: Record<string, ColumnType> = {
  id: 'uuid',
  workspace_id: 'uuid',
  code: 'text',
  name: 'text',
  account_id: 'uuid',
  pipeline_id: 'uuid',
  stage_id: 'uuid',
  status: 'text',
  owner_id: 'uuid',
  team_id: 'uuid',
  needs_description: 'text',
  budget_range: 'text',
  expected_amount: 'bigint',
  expected_close_date: 'date',
  source: 'text',
  source_detail: 'text',
  industry: 'text',
  region: 'text',
  product_line: 'text',
  acquired_at: 'timestamptz',
  late_entry: 'boolean',
  market_notes: 'text',
  partner: 'text',
  channel_manager: 'text',
  win_probability: 'numeric',
  priority: 'text',
  computed_priority: 'text',
  priority_override: 'text',
  priority_override_reason: 'text',
  priority_override_by: 'uuid',
  stage_entered_at: 'timestamptz',
  reached_position: 'integer',
  won_amount: 'bigint',
  won_date: 'date',
  loss_reason: 'text',
  lost_from_stage_id: 'uuid',
  lost_to_competitor_id: 'uuid',
  loss_note: 'text',
  postpone_reason: 'text',
  postpone_remedy: 'text',
  postponed_until: 'date',
  closed_at: 'timestamptz',
  next_follow_up_at: 'timestamptz',
  last_follow_up_at: 'timestamptz',
  custom_fields: 'jsonb',
  created_by: 'uuid',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
};

export const STAGE_CHANGE_COLUMNS: Record<string, ColumnType> = {
  workspace_id: 'uuid',
  opportunity_id: 'uuid',
  from_stage_id: 'uuid',
  to_stage_id: 'uuid',
  kind: 'text',
  status: 'text',
  changed_at: 'timestamptz',
  recorded_at: 'timestamptz',
  changed_by: 'uuid',
  reason: 'text',
  stay_started_at: 'timestamptz',
};

export const PRIORITY_CHANGE_COLUMNS: Record<string, ColumnType> = {
  workspace_id: 'uuid',
  opportunity_id: 'uuid',
  from_priority: 'text',
  to_priority: 'text',
  computed_priority: 'text',
  kind: 'text',
  reason: 'text',
  changed_by: 'uuid',
  changed_at: 'timestamptz',
};

export const FOLLOW_UP_COLUMNS: Record<string, ColumnType> = {
  id: 'uuid',
  workspace_id: 'uuid',
  opportunity_id: 'uuid',
  owner_id: 'uuid',
  status: 'text',
  method: 'text',
  planned_at: 'timestamptz',
  goal: 'text',
  occurred_at: 'timestamptz',
  content: 'text',
  next_action: 'text',
  intent_change: 'text',
  late_entry: 'boolean',
  planned_by_cadence: 'boolean',
  logged_at: 'timestamptz',
  created_by: 'uuid',
  created_at: 'timestamptz',
};

export const ACCOUNT_COLUMNS: Record<string, ColumnType> = {
  id: 'uuid',
  workspace_id: 'uuid',
  name: 'text',
  normalized_name: 'text',
  industry: 'text',
  employees: 'integer',
  province: 'text',
  city: 'text',
  region: 'text',
  tier: 'text',
  owner_id: 'uuid',
  custom_fields: 'jsonb',
  created_by: 'uuid',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
};

export const CONTACT_COLUMNS: Record<string, ColumnType> = {
  id: 'uuid',
  workspace_id: 'uuid',
  account_id: 'uuid',
  name: 'text',
  title: 'text',
  phone: 'text',
  email: 'text',
  im_handle: 'text',
  decision_role: 'text',
  owner_id: 'uuid',
  created_by: 'uuid',
  created_at: 'timestamptz',
};

export const OPPORTUNITY_CONTACT_COLUMNS: Record<string, ColumnType> = {
  workspace_id: 'uuid',
  opportunity_id: 'uuid',
  contact_id: 'uuid',
  role: 'text',
};

const jsonList = (values: string[]) =>
  sql`(select value from json_array_elements_text(${JSON.stringify(values)}::json))`;

/** Which of these codes the workspace already has, with their ids and owners. */
export async function existingCodes(
  q: Executor,
  workspaceId: string,
  codes: string[],
): Promise<Map<string, { id: string; ownerId: string }>> {
  if (codes.length === 0) return new Map();
  const rows = await queryRows<{ code: string; id: string; owner_id: string }>(
    q,
    // A lateral lookup by the unique (workspace, code) index: statistics are stale during a big
    // import, and a plain IN would scan the whole workspace for every batch.
    sql`select j.value as code, o.id, o.owner_id from json_array_elements_text(${JSON.stringify(codes)}::json) j
        join lateral (select id, owner_id from opportunities where workspace_id = ${workspaceId} and code = j.value) o on true`,
  );
  return new Map(rows.map((r) => [r.code, { id: r.id, ownerId: r.owner_id }]));
}

/** Opportunities without a code are the same record when account, name and acquisition time agree. */
export async function existingNaturalKeys(
  q: Executor,
  workspaceId: string,
  keys: { account: string; name: string; acquired: string }[],
): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await queryRows<{ k: string }>(
    q,
    sql`select a.id::text || '|' || o.name || '|' || (extract(epoch from o.acquired_at) * 1000)::bigint::text as k
        from opportunities o join accounts a on a.id = o.account_id
        join json_to_recordset(${JSON.stringify(keys)}::json) as r(account uuid, name text, acquired timestamptz)
          on r.account = o.account_id and r.name = o.name and r.acquired = o.acquired_at
        where o.workspace_id = ${workspaceId}`,
  );
  return new Set(rows.map((r) => r.k));
}

export async function accountKeys(q: Executor, workspaceId: string) {
  return queryRows<{ id: string; normalized_name: string; owner_id: string | null }>(
    q,
    sql`select id, normalized_name, owner_id from accounts where workspace_id = ${workspaceId}`,
  );
}

/** Natural keys of existing contacts (account, name, phone, e-mail) so that a re-import adds none twice. */
export async function contactKeys(q: Executor, workspaceId: string): Promise<Set<string>> {
  const rows = await queryRows<{ k: string }>(
    q,
    sql`select account_id::text || '|' || lower(name) || '|' || coalesce(phone, '') || '|' || coalesce(lower(email), '') || '|' || coalesce(im_handle, '') as k
        from contacts where workspace_id = ${workspaceId}`,
  );
  return new Set(rows.map((r) => r.k));
}

export async function contactIdsByKey(
  q: Executor,
  workspaceId: string,
): Promise<Map<string, string>> {
  const rows = await queryRows<{ k: string; id: string }>(
    q,
    sql`select account_id::text || '|' || lower(name) || '|' || coalesce(phone, '') || '|' || coalesce(lower(email), '') || '|' || coalesce(im_handle, '') as k, id
        from contacts where workspace_id = ${workspaceId}`,
  );
  return new Map(rows.map((r) => [r.k, r.id]));
}

/** Follow-ups already recorded on existing opportunities (opportunity, time, content). */
export async function existingFollowUps(
  q: Executor,
  opportunityIds: string[],
): Promise<Set<string>> {
  if (opportunityIds.length === 0) return new Set();
  const rows = await queryRows<{ k: string }>(
    q,
    sql`select opportunity_id::text || '|' || status || '|' || coalesce((extract(epoch from coalesce(occurred_at, planned_at)) * 1000)::bigint::text, '') || '|' || coalesce(content, goal, '') as k
        from follow_ups where opportunity_id::text in ${jsonList(opportunityIds)}`,
  );
  return new Set(rows.map((r) => r.k));
}

export async function workspaceMembers(q: Executor, workspaceId: string) {
  return queryRows<{
    id: string;
    name: string;
    email: string;
    team_id: string | null;
    role: string;
  }>(
    q,
    sql`select u.id, u.name, u.email, m.team_id, m.role from memberships m join users u on u.id = m.user_id
        where m.workspace_id = ${workspaceId}`,
  );
}

export async function usersByEmail(q: Executor, emails: string[]) {
  if (emails.length === 0) return new Map<string, string>();
  const rows = await queryRows<{ id: string; email: string }>(
    q,
    sql`select id, email from users where email in ${jsonList(emails)}`,
  );
  return new Map(rows.map((r) => [r.email, r.id]));
}

export async function codeSequenceValues(q: Executor, workspaceId: string) {
  const rows = await queryRows<{ period_key: string; last_value: number }>(
    q,
    sql`select period_key, last_value from code_sequences where workspace_id = ${workspaceId} for update`,
  );
  return new Map(rows.map((r) => [r.period_key, Number(r.last_value)]));
}

export async function codesLike(q: Executor, workspaceId: string, prefix: string) {
  const rows = await queryRows<{ code: string }>(
    q,
    sql`select code from opportunities where workspace_id = ${workspaceId} and starts_with(code, ${prefix})`,
  );
  return new Set(rows.map((r) => r.code));
}

/** Raises each period's counter to at least the highest number the import used. */
export async function raiseCodeSequences(
  q: Executor,
  workspaceId: string,
  values: Map<string, number>,
): Promise<void> {
  for (const [periodKey, lastValue] of values) {
    await q.execute(sql`
      insert into code_sequences (workspace_id, period_key, last_value) values (${workspaceId}, ${periodKey}, ${lastValue})
      on conflict (workspace_id, period_key) do update set last_value = greatest(code_sequences.last_value, excluded.last_value)`);
  }
}

/** The board's next planned / last done follow-up of the given opportunities, from their follow-ups. */
export async function refreshFollowUpDates(q: Executor, opportunityIds: string[]): Promise<void> {
  if (opportunityIds.length === 0) return;
  await q.execute(sql`
    update opportunities o set
      next_follow_up_at = (select min(planned_at) from follow_ups f where f.opportunity_id = o.id and f.status = 'planned'),
      last_follow_up_at = (select max(occurred_at) from follow_ups f where f.opportunity_id = o.id and f.status = 'done')
    where o.id::text in ${jsonList(opportunityIds)}`);
}

export async function opportunityIdsByCode(
  q: Executor,
  workspaceId: string,
  codes: string[],
): Promise<Map<string, { id: string; ownerId: string }>> {
  return existingCodes(q, workspaceId, codes);
}
