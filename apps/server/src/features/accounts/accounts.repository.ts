/** All SQL about accounts (customers) and their contacts. */
import { and, asc, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { accounts, contacts, memberships, opportunityContacts, users } from '../../db/schema';
import type { Executor } from '../../db/database';
import { queryRows } from '../../db/query';
import type { Actor } from '../access/actor';
import { actorSeesAll } from '../access/actor';
import { opportunityVisibilitySql } from '../access/access';

export type AccountRow = typeof accounts.$inferSelect;
export type ContactRow = typeof contacts.$inferSelect;

export function likePattern(text: string): string {
  return `%${text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
}

const accountSelect = {
  account: accounts,
  ownerName: users.name,
  ownerTeamId: memberships.teamId,
  openOpportunities: sql<number>`(select count(*)::int from opportunities o where o.account_id = ${accounts.id} and o.status = 'open')`,
};

export interface AccountListed {
  account: AccountRow;
  ownerName: string | null;
  ownerTeamId: string | null;
  openOpportunities: number;
}

function accountQuery(q: Executor) {
  return q
    .select(accountSelect)
    .from(accounts)
    .leftJoin(users, eq(users.id, accounts.ownerId))
    .leftJoin(
      memberships,
      and(
        eq(memberships.userId, accounts.ownerId),
        eq(memberships.workspaceId, accounts.workspaceId),
      ),
    );
}

export async function findAccount(
  q: Executor,
  workspaceId: string,
  id: string,
): Promise<AccountListed | undefined> {
  const [row] = await accountQuery(q).where(
    and(eq(accounts.workspaceId, workspaceId), eq(accounts.id, id)),
  );
  return row;
}

export async function lockAccount(q: Executor, workspaceId: string, id: string): Promise<void> {
  await q.execute(
    sql`select 1 from accounts where id = ${id} and workspace_id = ${workspaceId} for update`,
  );
}

export async function findAccountByKey(q: Executor, workspaceId: string, normalizedName: string) {
  const [row] = await q
    .select()
    .from(accounts)
    .where(and(eq(accounts.workspaceId, workspaceId), eq(accounts.normalizedName, normalizedName)));
  return row;
}

export interface AccountFilter {
  q?: string | undefined;
  industry?: string | undefined;
  region?: string | undefined;
  tier?: string | undefined;
  ownerId?: string | undefined;
}

const ACCOUNT_SORTS: Record<string, SQL> = {
  name: asc(accounts.name),
  '-name': desc(accounts.name),
  createdAt: asc(accounts.createdAt),
  '-createdAt': desc(accounts.createdAt),
  employees: sql`${accounts.employees} asc nulls last`,
  '-employees': sql`${accounts.employees} desc nulls last`,
};

export async function listAccounts(
  q: Executor,
  workspaceId: string,
  filter: AccountFilter,
  sort: string,
  page: number,
  pageSize: number,
) {
  const conditions: SQL[] = [eq(accounts.workspaceId, workspaceId)];
  if (filter.q)
    conditions.push(
      or(ilike(accounts.name, likePattern(filter.q)), ilike(accounts.city, likePattern(filter.q)))!,
    );
  if (filter.industry) conditions.push(eq(accounts.industry, filter.industry));
  if (filter.region) conditions.push(eq(accounts.region, filter.region));
  if (filter.tier) conditions.push(eq(accounts.tier, filter.tier));
  if (filter.ownerId) conditions.push(eq(accounts.ownerId, filter.ownerId));
  const where = and(...conditions);
  const rows = await accountQuery(q)
    .where(where)
    .orderBy(ACCOUNT_SORTS[sort] ?? asc(accounts.name), asc(accounts.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const [{ total }] = (await q
    .select({ total: sql<number>`count(*)::int` })
    .from(accounts)
    .where(where)) as [{ total: number }];
  return { rows, total };
}

/** Candidates for near-duplicate detection: names sharing a 2-character run with the query's core. */
export async function accountNameCandidates(
  q: Executor,
  workspaceId: string,
  core: string,
  limit = 200,
) {
  const chars = [...core];
  const grams = new Set<string>();
  for (let i = 0; i < chars.length - 1 && grams.size < 12; i++)
    grams.add(chars[i]! + chars[i + 1]!);
  if (grams.size === 0 && core) grams.add(core);
  if (grams.size === 0) return [];
  const anyGram = or(...[...grams].map((g) => ilike(accounts.normalizedName, likePattern(g))))!;
  return q
    .select({ id: accounts.id, name: accounts.name })
    .from(accounts)
    .where(and(eq(accounts.workspaceId, workspaceId), anyGram))
    .limit(limit);
}

export async function insertAccount(
  q: Executor,
  values: typeof accounts.$inferInsert,
): Promise<AccountRow> {
  const [row] = await q.insert(accounts).values(values).returning();
  return row!;
}

export async function updateAccount(
  q: Executor,
  id: string,
  values: Partial<typeof accounts.$inferInsert>,
): Promise<void> {
  await q
    .update(accounts)
    .set({ ...values, version: sql`${accounts.version} + 1`, updatedAt: sql`now()` })
    .where(eq(accounts.id, id));
}

// ---- contacts ----

export interface ContactListed {
  contact: ContactRow;
  accountName: string;
  ownerName: string | null;
  ownerTeamId: string | null;
  canSeeDetails: boolean;
  role?: string | null;
}

/**
 * Whether the actor may see a contact's details unmasked, as SQL: the contact's owner always;
 * otherwise only roles allowed by the workspace, and only within what they oversee (everything
 * for directors/admins; contacts owned in their teams or linked to a deal they see otherwise).
 */
function canSeeDetailsSql(actor: Actor, allowedRoles: readonly string[]): SQL<boolean> {
  const own = sql`${contacts.ownerId} = ${actor.userId}`;
  if (!allowedRoles.includes(actor.role)) return sql<boolean>`(${own})`;
  if (actorSeesAll(actor)) return sql<boolean>`true`;
  const linked = sql`exists (select 1 from opportunity_contacts oc join opportunities o on o.id = oc.opportunity_id
      where oc.contact_id = ${contacts.id} and ${opportunityVisibilitySql(actor, 'o')})`;
  const teams = actor.teamScope ?? [];
  const inTeam =
    actor.role === 'manager' && teams.length > 0
      ? sql`or exists (select 1 from memberships m where m.user_id = ${contacts.ownerId} and m.workspace_id = ${actor.workspaceId}
          and m.team_id in (${sql.join(
            teams.map((t) => sql`${t}::uuid`),
            sql`, `,
          )}))`
      : sql``;
  return sql<boolean>`(${own} or ${linked} ${inTeam})`;
}

function contactQuery(q: Executor, actor: Actor, allowedRoles: readonly string[]) {
  return q
    .select({
      contact: contacts,
      accountName: accounts.name,
      ownerName: users.name,
      ownerTeamId: memberships.teamId,
      canSeeDetails: canSeeDetailsSql(actor, allowedRoles),
    })
    .from(contacts)
    .innerJoin(accounts, eq(accounts.id, contacts.accountId))
    .leftJoin(users, eq(users.id, contacts.ownerId))
    .leftJoin(
      memberships,
      and(
        eq(memberships.userId, contacts.ownerId),
        eq(memberships.workspaceId, contacts.workspaceId),
      ),
    );
}

export async function findContact(
  q: Executor,
  actor: Actor,
  allowedRoles: readonly string[],
  id: string,
): Promise<ContactListed | undefined> {
  const [row] = await contactQuery(q, actor, allowedRoles).where(
    and(eq(contacts.workspaceId, actor.workspaceId), eq(contacts.id, id)),
  );
  return row;
}

export async function lockContact(q: Executor, workspaceId: string, id: string): Promise<void> {
  await q.execute(
    sql`select 1 from contacts where id = ${id} and workspace_id = ${workspaceId} for update`,
  );
}

export async function listContacts(
  q: Executor,
  actor: Actor,
  allowedRoles: readonly string[],
  filter: {
    q?: string | undefined;
    accountId?: string | undefined;
    opportunityId?: string | undefined;
  },
  page: number,
  pageSize: number,
) {
  const conditions: SQL[] = [eq(contacts.workspaceId, actor.workspaceId)];
  if (filter.q)
    conditions.push(
      or(ilike(contacts.name, likePattern(filter.q)), ilike(accounts.name, likePattern(filter.q)))!,
    );
  if (filter.accountId) conditions.push(eq(contacts.accountId, filter.accountId));
  if (filter.opportunityId) {
    conditions.push(
      sql`exists (select 1 from opportunity_contacts oc where oc.contact_id = ${contacts.id} and oc.opportunity_id = ${filter.opportunityId})`,
    );
  }
  const where = and(...conditions);
  const rows = await contactQuery(q, actor, allowedRoles)
    .where(where)
    .orderBy(asc(contacts.name), asc(contacts.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const [{ total }] = (await q
    .select({ total: sql<number>`count(*)::int` })
    .from(contacts)
    .innerJoin(accounts, eq(accounts.id, contacts.accountId))
    .where(where)) as [{ total: number }];
  return { rows, total };
}

export async function contactsOfOpportunity(
  q: Executor,
  actor: Actor,
  allowedRoles: readonly string[],
  opportunityId: string,
) {
  const rows = await q
    .select({
      contact: contacts,
      accountName: accounts.name,
      ownerName: users.name,
      ownerTeamId: memberships.teamId,
      canSeeDetails: canSeeDetailsSql(actor, allowedRoles),
      role: opportunityContacts.role,
    })
    .from(opportunityContacts)
    .innerJoin(contacts, eq(contacts.id, opportunityContacts.contactId))
    .innerJoin(accounts, eq(accounts.id, contacts.accountId))
    .leftJoin(users, eq(users.id, contacts.ownerId))
    .leftJoin(
      memberships,
      and(
        eq(memberships.userId, contacts.ownerId),
        eq(memberships.workspaceId, contacts.workspaceId),
      ),
    )
    .where(
      and(
        eq(opportunityContacts.workspaceId, actor.workspaceId),
        eq(opportunityContacts.opportunityId, opportunityId),
      ),
    )
    .orderBy(asc(contacts.name));
  return rows;
}

export async function insertContact(
  q: Executor,
  values: typeof contacts.$inferInsert,
): Promise<ContactRow> {
  const [row] = await q.insert(contacts).values(values).returning();
  return row!;
}

export async function updateContact(
  q: Executor,
  id: string,
  values: Partial<typeof contacts.$inferInsert>,
): Promise<void> {
  await q
    .update(contacts)
    .set({ ...values, version: sql`${contacts.version} + 1`, updatedAt: sql`now()` })
    .where(eq(contacts.id, id));
}

export async function contactIdsInWorkspace(
  q: Executor,
  workspaceId: string,
  ids: string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await queryRows<{ id: string }>(
    q,
    sql`select id from contacts where workspace_id = ${workspaceId} and id in (${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`,
  );
  return new Set(rows.map((r) => r.id));
}
