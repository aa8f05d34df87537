/** All SQL about users, memberships and teams. */
import { and, asc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { memberships, opportunities, teams, users } from '../../db/schema';
import type { Executor } from '../../db/database';
import { queryRows } from '../../db/query';
import type { Role } from '@funnel/domain';

export interface MemberRow {
  id: string;
  email: string;
  name: string;
  locale: string | null;
  active: boolean;
  passwordHash: string | null;
  role: Role;
  teamId: string | null;
  teamName: string | null;
  version: number;
}

const memberColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  locale: users.locale,
  active: users.active,
  passwordHash: users.passwordHash,
  role: memberships.role,
  teamId: memberships.teamId,
  teamName: teams.name,
  version: users.version,
};

export async function findMember(
  q: Executor,
  workspaceId: string,
  userId: string,
): Promise<MemberRow | undefined> {
  const [row] = await q
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(teams, eq(teams.id, memberships.teamId))
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  return row as MemberRow | undefined;
}

export async function findMemberForUpdate(
  q: Executor,
  workspaceId: string,
  userId: string,
): Promise<MemberRow | undefined> {
  await q.execute(sql`select 1 from users where id = ${userId} for update`);
  return findMember(q, workspaceId, userId);
}

/** A user by e-mail with their first workspace membership (sign-in picks that workspace). */
export async function findMemberByEmail(
  q: Executor,
  email: string,
): Promise<(MemberRow & { workspaceId: string }) | undefined> {
  const [row] = await q
    .select({ ...memberColumns, workspaceId: memberships.workspaceId })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .leftJoin(teams, eq(teams.id, memberships.teamId))
    .where(eq(users.email, email.toLowerCase()))
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  return row as (MemberRow & { workspaceId: string }) | undefined;
}

export async function findMemberByEmailInWorkspace(
  q: Executor,
  workspaceId: string,
  email: string,
) {
  const [row] = await q
    .select(memberColumns)
    .from(users)
    .innerJoin(
      memberships,
      and(eq(memberships.userId, users.id), eq(memberships.workspaceId, workspaceId)),
    )
    .leftJoin(teams, eq(teams.id, memberships.teamId))
    .where(eq(users.email, email.toLowerCase()));
  return row as MemberRow | undefined;
}

export async function userIdByEmail(q: Executor, email: string): Promise<string | undefined> {
  const [row] = await q
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, email.toLowerCase()));
  return row?.id;
}

/** The team and all teams below it. */
export async function teamSubtree(
  q: Executor,
  workspaceId: string,
  teamId: string,
): Promise<string[]> {
  const result = await queryRows<{ id: string }>(
    q,
    sql`
    with recursive sub(id) as (
      select id from teams where id = ${teamId} and workspace_id = ${workspaceId}
      union
      select t.id from teams t join sub on t.parent_id = sub.id where t.workspace_id = ${workspaceId}
    )
    select id from sub`,
  );
  return result.map((r) => r.id);
}

export interface MemberFilter {
  q?: string | undefined;
  role?: Role | undefined;
  teamIds?: string[] | undefined;
}

export async function listMembers(
  q: Executor,
  workspaceId: string,
  filter: MemberFilter,
  page: number,
  pageSize: number,
) {
  const conditions: SQL[] = [eq(memberships.workspaceId, workspaceId)];
  if (filter.q) {
    const like = `%${filter.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(users.name, like), ilike(users.email, like))!);
  }
  if (filter.role) conditions.push(eq(memberships.role, filter.role));
  if (filter.teamIds) {
    conditions.push(
      filter.teamIds.length
        ? sql`${memberships.teamId} in (${sql.join(
            filter.teamIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`
        : sql`false`,
    );
  }
  const where = and(...conditions);
  const rows = await q
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(teams, eq(teams.id, memberships.teamId))
    .where(where)
    .orderBy(asc(users.name), asc(users.email))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const [{ total }] = (await q
    .select({ total: sql<number>`count(*)::int` })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(where)) as [{ total: number }];
  return { rows: rows as MemberRow[], total };
}

export async function countAdmins(q: Executor, workspaceId: string): Promise<number> {
  const [row] = (await q
    .select({ n: sql<number>`count(*)::int` })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.workspaceId, workspaceId),
        eq(memberships.role, 'admin'),
        eq(users.active, true),
      ),
    )) as [{ n: number }];
  return row.n;
}

export async function insertUser(
  q: Executor,
  values: { email: string; name: string; passwordHash: string | null },
): Promise<string> {
  const [row] = await q.insert(users).values(values).returning({ id: users.id });
  return row!.id;
}

export async function insertMembership(
  q: Executor,
  values: { workspaceId: string; userId: string; role: Role; teamId: string | null },
): Promise<void> {
  await q.insert(memberships).values(values);
}

export async function updateUser(
  q: Executor,
  userId: string,
  values: Partial<{ name: string; passwordHash: string; active: boolean; locale: string | null }>,
): Promise<void> {
  await q
    .update(users)
    .set({ ...values, version: sql`${users.version} + 1` })
    .where(eq(users.id, userId));
}

export async function updateMembership(
  q: Executor,
  workspaceId: string,
  userId: string,
  values: Partial<{ role: Role; teamId: string | null }>,
): Promise<void> {
  await q
    .update(memberships)
    .set(values)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
}

/** Keeps opportunities.team_id in step with the owner's team (it scopes managers' access). */
export async function moveOwnerOpportunitiesToTeam(
  q: Executor,
  workspaceId: string,
  ownerId: string,
  teamId: string | null,
): Promise<void> {
  await q
    .update(opportunities)
    .set({ teamId })
    .where(and(eq(opportunities.workspaceId, workspaceId), eq(opportunities.ownerId, ownerId)));
}

export interface TeamRow {
  id: string;
  name: string;
  parentId: string | null;
  memberCount: number;
  version: number;
}

export async function listTeams(q: Executor, workspaceId: string): Promise<TeamRow[]> {
  return queryRows<TeamRow>(
    q,
    sql`
    select t.id, t.name, t.parent_id as "parentId", t.version,
      (select count(*)::int from memberships m where m.team_id = t.id) as "memberCount"
    from teams t where t.workspace_id = ${workspaceId} order by t.name`,
  );
}

export async function findTeam(q: Executor, workspaceId: string, teamId: string) {
  const [row] = await q
    .select()
    .from(teams)
    .where(and(eq(teams.workspaceId, workspaceId), eq(teams.id, teamId)));
  return row;
}

export async function findTeamByName(q: Executor, workspaceId: string, name: string) {
  const [row] = await q
    .select()
    .from(teams)
    .where(and(eq(teams.workspaceId, workspaceId), eq(teams.name, name)));
  return row;
}

export async function insertTeam(
  q: Executor,
  values: { workspaceId: string; name: string; parentId: string | null },
) {
  const [row] = await q.insert(teams).values(values).returning();
  return row!;
}

export async function updateTeamRow(
  q: Executor,
  teamId: string,
  values: { name?: string; parentId?: string | null },
) {
  await q
    .update(teams)
    .set({ ...values, version: sql`${teams.version} + 1` })
    .where(eq(teams.id, teamId));
}
