/**
 * Row-level access (SPEC F-5), in one place: a rep sees and edits their own opportunities, a
 * manager those of their team and its sub-teams, a director and an admin everything. Services
 * call these before anything else; repositories apply the same rule as SQL to every list.
 */
import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { opportunities } from '../../db/schema';
import { DomainError, forbidden, notFound } from '../../http/domain-error';
import { actorSeesAll, type Actor } from './actor';
import type { Role } from '@funnel/domain';

export interface OwnedRecord {
  ownerId: string | null;
  teamId: string | null;
}

export function canSee(actor: Actor, record: OwnedRecord): boolean {
  if (actorSeesAll(actor)) return true;
  if (record.ownerId === actor.userId) return true;
  if (actor.role === 'manager' && record.teamId !== null)
    return actor.teamScope!.includes(record.teamId);
  return false;
}

/** Visible records are also the editable ones; invisible ones answer 404, never 403, so existence does not leak. */
export function requireAccess<T extends OwnedRecord>(
  actor: Actor,
  record: T | undefined | null,
  entity: string,
): T {
  if (!record || !canSee(actor, record)) throw notFound(entity);
  return record;
}

export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!roles.includes(actor.role)) throw forbidden();
}

/** The same rule as `canSee`, as a SQL condition on the opportunities table. */
export function opportunityVisibility(actor: Actor): SQL {
  const inWorkspace = eq(opportunities.workspaceId, actor.workspaceId);
  if (actorSeesAll(actor)) return inWorkspace;
  const own = eq(opportunities.ownerId, actor.userId);
  if (actor.role === 'manager' && actor.teamScope!.length > 0) {
    return and(inWorkspace, or(own, inArray(opportunities.teamId, [...actor.teamScope!])))!;
  }
  return and(inWorkspace, own)!;
}

/** A plain SQL version for raw queries: `alias` is the opportunities alias in the query. */
export function opportunityVisibilitySql(actor: Actor, alias: string): SQL {
  const a = sql.raw(alias);
  const ws = sql`${a}.workspace_id = ${actor.workspaceId}`;
  if (actorSeesAll(actor)) return ws;
  if (actor.role === 'manager' && actor.teamScope!.length > 0) {
    const teams = sql.join(
      actor.teamScope!.map((id) => sql`${id}::uuid`),
      sql`, `,
    );
    return sql`(${ws} and (${a}.owner_id = ${actor.userId} or ${a}.team_id in (${teams})))`;
  }
  return sql`(${ws} and ${a}.owner_id = ${actor.userId})`;
}

/** Owners a creator may give a record to: oneself; a manager also their teams' members; directors/admins anyone. */
export function canAssignTo(
  actor: Actor,
  target: { userId: string; teamId: string | null },
): boolean {
  if (target.userId === actor.userId) return true;
  if (actorSeesAll(actor)) return true;
  if (actor.role === 'manager' && target.teamId !== null)
    return actor.teamScope!.includes(target.teamId);
  return false;
}

export function requireAssignable(
  actor: Actor,
  target: { userId: string; teamId: string | null } | undefined,
  path: string,
): void {
  if (!target)
    throw new DomainError('VALIDATION_FAILED', {}, [
      { path, key: 'unknown_reference', params: { entity: 'user' } },
    ]);
  if (!canAssignTo(actor, target)) throw forbidden();
}
