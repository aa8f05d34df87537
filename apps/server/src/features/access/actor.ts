import { seesAll, type Role } from '@funnel/domain';

/** Who is asking, in which workspace, with which role and over which teams. */
export interface Actor {
  userId: string;
  workspaceId: string;
  role: Role;
  teamId: string | null;
  name: string;
  email: string;
  locale: string | null;
  /** Teams whose records a manager sees (own team and sub-teams); null = everything. */
  teamScope: readonly string[] | null;
  via: 'session' | 'token' | 'system';
  csrfToken: string | null;
}

export function actorSeesAll(actor: Actor): boolean {
  return actor.teamScope === null || seesAll(actor.role);
}

/** The operator at the command line (who already holds the database): acts as an admin of the workspace. */
export function systemActor(workspaceId: string): Actor {
  return {
    userId: '00000000-0000-0000-0000-000000000000',
    workspaceId,
    role: 'admin',
    teamId: null,
    name: 'system',
    email: 'system',
    locale: null,
    teamScope: null,
    via: 'system',
    csrfToken: null,
  };
}
