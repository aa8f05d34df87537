import { findMemberByEmailInWorkspace, listWorkspaces, type Db } from '@funnel/server';
import { CliError } from './context';

/** The workspace a command acts on: the only one, or the one named by --workspace. */
export async function resolveWorkspace(db: Db, nameOrId?: string) {
  const all = await listWorkspaces(db);
  if (all.length === 0)
    throw new CliError('There is no workspace yet: run `funnel demo` (or `npm start`) first.');
  if (!nameOrId) {
    if (all.length === 1) return all[0]!;
    throw new CliError(
      `There are several workspaces; choose one with --workspace: ${all.map((w) => `"${w.name}"`).join(', ')}`,
    );
  }
  const found = all.find((w) => w.name === nameOrId || w.id === nameOrId);
  if (!found)
    throw new CliError(
      `No workspace "${nameOrId}". Workspaces: ${all.map((w) => `"${w.name}"`).join(', ')}`,
    );
  return found;
}

export async function findMemberByEmailOrFail(db: Db, workspaceId: string, email: string) {
  const member = await findMemberByEmailInWorkspace(db, workspaceId, email.trim().toLowerCase());
  if (!member) throw new CliError(`No user ${email} in this workspace.`);
  return member;
}
