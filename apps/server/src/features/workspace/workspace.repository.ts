import { eq, sql } from 'drizzle-orm';
import { workspaces } from '../../db/schema';
import type { Executor } from '../../db/database';

export async function findWorkspace(q: Executor, id: string) {
  const [row] = await q.select().from(workspaces).where(eq(workspaces.id, id));
  return row;
}

export async function findWorkspaceForUpdate(q: Executor, id: string) {
  const [row] = await q.select().from(workspaces).where(eq(workspaces.id, id)).for('update');
  return row;
}

export async function insertWorkspace(
  q: Executor,
  values: {
    name: string;
    timeZone?: string;
    currency?: string;
    locale?: string;
    codeFormat?: string;
    settings?: object;
  },
): Promise<string> {
  const [row] = await q.insert(workspaces).values(values).returning({ id: workspaces.id });
  return row!.id;
}

export async function updateWorkspace(
  q: Executor,
  id: string,
  values: Partial<{
    name: string;
    currency: string;
    timeZone: string;
    locale: string;
    codeFormat: string;
    settings: object;
  }>,
): Promise<void> {
  await q
    .update(workspaces)
    .set({ ...values, version: sql`${workspaces.version} + 1` })
    .where(eq(workspaces.id, id));
}

export async function listWorkspaces(q: Executor) {
  return q.select().from(workspaces).orderBy(workspaces.createdAt);
}
