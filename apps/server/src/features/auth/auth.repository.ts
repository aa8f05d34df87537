import { and, desc, eq, gt, isNull, lt } from 'drizzle-orm';
import { apiTokens, sessions } from '../../db/schema';
import type { Executor } from '../../db/database';

export async function insertSession(
  q: Executor,
  values: {
    tokenHash: string;
    userId: string;
    workspaceId: string;
    csrfToken: string;
    expiresAt: Date;
  },
): Promise<void> {
  await q.insert(sessions).values(values);
}

export async function findLiveSession(q: Executor, tokenHash: string, now: Date) {
  const [row] = await q
    .select()
    .from(sessions)
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)));
  return row;
}

export async function deleteSession(q: Executor, tokenHash: string): Promise<void> {
  await q.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteUserSessions(q: Executor, userId: string): Promise<void> {
  await q.delete(sessions).where(eq(sessions.userId, userId));
}

export async function deleteExpiredSessions(q: Executor, now: Date): Promise<void> {
  await q.delete(sessions).where(lt(sessions.expiresAt, now));
}

export async function insertApiToken(
  q: Executor,
  values: { workspaceId: string; userId: string; name: string; tokenHash: string },
) {
  const [row] = await q.insert(apiTokens).values(values).returning();
  return row!;
}

export async function findLiveApiToken(q: Executor, tokenHash: string) {
  const [row] = await q
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)));
  return row;
}

export async function touchApiToken(q: Executor, id: string, now: Date): Promise<void> {
  await q.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, id));
}

export async function listApiTokens(q: Executor, workspaceId: string, userId: string) {
  return q
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.workspaceId, workspaceId), eq(apiTokens.userId, userId)))
    .orderBy(desc(apiTokens.createdAt));
}

export async function revokeApiToken(
  q: Executor,
  workspaceId: string,
  userId: string,
  id: string,
  now: Date,
) {
  const rows = await q
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(
      and(
        eq(apiTokens.id, id),
        eq(apiTokens.workspaceId, workspaceId),
        eq(apiTokens.userId, userId),
        isNull(apiTokens.revokedAt),
      ),
    )
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}
