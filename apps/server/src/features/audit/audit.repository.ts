import { and, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import { auditLog, users } from '../../db/schema';
import type { Executor } from '../../db/database';
import type { AUDIT_ACTIONS } from '@funnel/contracts';

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditRecord {
  workspaceId: string;
  actorId: string | null;
  action: AuditAction;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** Appends to the audit log inside the caller's transaction, so the change and its record commit together. */
export async function recordAudit(q: Executor, entry: AuditRecord): Promise<void> {
  await q.insert(auditLog).values({
    workspaceId: entry.workspaceId,
    actorId: entry.actorId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}

export async function recordAudits(q: Executor, entries: AuditRecord[]): Promise<void> {
  if (entries.length === 0) return;
  await q.insert(auditLog).values(
    entries.map((entry) => ({
      workspaceId: entry.workspaceId,
      actorId: entry.actorId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: entry.before ?? null,
      after: entry.after ?? null,
    })),
  );
}

export interface AuditFilter {
  entityType?: string | undefined;
  entityId?: string | undefined;
  actorId?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export async function listAudit(
  q: Executor,
  workspaceId: string,
  filter: AuditFilter,
  page: number,
  pageSize: number,
) {
  const conditions: SQL[] = [eq(auditLog.workspaceId, workspaceId)];
  if (filter.entityType) conditions.push(eq(auditLog.entityType, filter.entityType));
  if (filter.entityId) conditions.push(eq(auditLog.entityId, filter.entityId));
  if (filter.actorId) conditions.push(eq(auditLog.actorId, filter.actorId));
  if (filter.action) conditions.push(eq(auditLog.action, filter.action));
  if (filter.from) conditions.push(gte(auditLog.at, new Date(filter.from)));
  if (filter.to) conditions.push(lte(auditLog.at, new Date(filter.to)));
  const where = and(...conditions);
  const rows = await q
    .select({
      id: auditLog.id,
      actorId: auditLog.actorId,
      actorName: users.name,
      action: auditLog.action,
      entityType: auditLog.entityType,
      entityId: auditLog.entityId,
      before: auditLog.before,
      after: auditLog.after,
      at: auditLog.at,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(where)
    .orderBy(desc(auditLog.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const [{ total }] = (await q
    .select({ total: sql<number>`count(*)::int` })
    .from(auditLog)
    .where(where)) as [{ total: number }];
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      actor: r.actorId ? { id: r.actorId, name: r.actorName ?? '' } : null,
      action: r.action as AuditAction,
      entityType: r.entityType,
      entityId: r.entityId,
      before: r.before,
      after: r.after,
      at: r.at.toISOString(),
    })),
  };
}
