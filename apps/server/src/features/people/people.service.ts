/** Users of a workspace with their role and team, and the team hierarchy (admin-managed). */
import type { Role } from '@funnel/domain';
import type { Db } from '../../db/database';
import { isUniqueViolation } from '../../db/pg-errors';
import { DomainError, invalid, notFound, versionConflict } from '../../http/domain-error';
import { requireRole } from '../access/access';
import type { Actor } from '../access/actor';
import { recordAudit } from '../audit/audit.repository';
import { deleteUserSessions } from '../auth/auth.repository';
import { hashPassword } from '../auth/password';
import * as repo from './people.repository';
import { teamFilter } from './team-filter';

export function memberOut(row: repo.MemberRow) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    teamId: row.teamId,
    teamName: row.teamName,
    active: row.active,
    canSignIn: row.passwordHash !== null && row.active,
    version: row.version,
  };
}

export const MIN_PASSWORD_LENGTH = 8;

/** The one password rule, for the API and the command line alike. */
function checkPassword(password: string | undefined): void {
  if (password !== undefined && password.length < MIN_PASSWORD_LENGTH) {
    throw invalid('password', 'too_small.string', { minimum: MIN_PASSWORD_LENGTH });
  }
}

export class PeopleService {
  constructor(private readonly deps: { db: Db }) {}

  async listMembers(
    actor: Actor,
    filter: { q?: string | undefined; role?: Role | undefined; teamId?: string | undefined },
    page: number,
    pageSize: number,
  ) {
    const teamIds = await teamFilter(this.deps.db, actor.workspaceId, filter.teamId);
    const { rows, total } = await repo.listMembers(
      this.deps.db,
      actor.workspaceId,
      { q: filter.q, role: filter.role, teamIds },
      page,
      pageSize,
    );
    return { items: rows.map(memberOut), total, page, pageSize };
  }

  async getMember(actor: Actor, userId: string) {
    const row = await repo.findMember(this.deps.db, actor.workspaceId, userId);
    if (!row) throw notFound('user');
    return memberOut(row);
  }

  /** Adds a person to the workspace (admin). Without a password they exist for ownership but cannot sign in. */
  async createMember(
    actor: Actor | null,
    workspaceId: string,
    input: {
      email: string;
      name: string;
      password?: string | undefined;
      role: Role;
      teamId?: string | null | undefined;
    },
  ) {
    if (actor) requireRole(actor, 'admin');
    checkPassword(input.password);
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    return this.deps.db.transaction(async (tx) => {
      if (input.teamId && !(await repo.findTeam(tx, workspaceId, input.teamId))) {
        throw invalid('teamId', 'unknown_reference', { entity: 'team' });
      }
      let userId = await repo.userIdByEmail(tx, input.email);
      if (userId && (await repo.findMember(tx, workspaceId, userId))) {
        throw new DomainError('DUPLICATE', { entity: 'user', field: 'email' }, [
          { path: 'email', key: 'duplicate' },
        ]);
      }
      if (!userId)
        userId = await repo.insertUser(tx, { email: input.email, name: input.name, passwordHash });
      else if (passwordHash) await repo.updateUser(tx, userId, { passwordHash });
      await repo.insertMembership(tx, {
        workspaceId,
        userId,
        role: input.role,
        teamId: input.teamId ?? null,
      });
      const created = (await repo.findMember(tx, workspaceId, userId))!;
      await recordAudit(tx, {
        workspaceId,
        actorId: actor?.userId ?? null,
        action: 'create',
        entityType: 'user',
        entityId: userId,
        after: memberOut(created),
      });
      return memberOut(created);
    });
  }

  async updateMember(
    actor: Actor | null,
    workspaceId: string,
    userId: string,
    input: {
      version?: number | undefined;
      name?: string | undefined;
      role?: Role | undefined;
      teamId?: string | null | undefined;
      active?: boolean | undefined;
      password?: string | undefined;
    },
  ) {
    if (actor) requireRole(actor, 'admin');
    checkPassword(input.password);
    const passwordHash = input.password ? await hashPassword(input.password) : undefined;
    return this.deps.db.transaction(async (tx) => {
      const before = await repo.findMemberForUpdate(tx, workspaceId, userId);
      if (!before) throw notFound('user');
      if (input.version !== undefined && before.version !== input.version)
        throw versionConflict('user', before.version);
      if (input.teamId && !(await repo.findTeam(tx, workspaceId, input.teamId))) {
        throw invalid('teamId', 'unknown_reference', { entity: 'team' });
      }
      const losesAdmin =
        before.role === 'admin' &&
        ((input.role && input.role !== 'admin') || input.active === false);
      if (losesAdmin && (await repo.countAdmins(tx, workspaceId)) <= 1) {
        throw invalid(input.role ? 'role' : 'active', 'last_admin');
      }
      const userValues: Parameters<typeof repo.updateUser>[2] = {};
      if (input.name !== undefined) userValues.name = input.name;
      if (input.active !== undefined) userValues.active = input.active;
      if (passwordHash) userValues.passwordHash = passwordHash;
      await repo.updateUser(tx, userId, userValues);
      const membershipValues: Parameters<typeof repo.updateMembership>[3] = {};
      if (input.role !== undefined) membershipValues.role = input.role;
      if (input.teamId !== undefined) membershipValues.teamId = input.teamId;
      if (Object.keys(membershipValues).length > 0)
        await repo.updateMembership(tx, workspaceId, userId, membershipValues);
      if (input.teamId !== undefined && input.teamId !== before.teamId) {
        await repo.moveOwnerOpportunitiesToTeam(tx, workspaceId, userId, input.teamId);
      }
      if (input.active === false || passwordHash) await deleteUserSessions(tx, userId);
      const after = (await repo.findMember(tx, workspaceId, userId))!;
      await recordAudit(tx, {
        workspaceId,
        actorId: actor?.userId ?? null,
        action: 'update',
        entityType: 'user',
        entityId: userId,
        before: memberOut(before),
        after: { ...memberOut(after), ...(passwordHash ? { passwordChanged: true } : {}) },
      });
      return memberOut(after);
    });
  }

  async listTeams(actor: Actor) {
    return repo.listTeams(this.deps.db, actor.workspaceId);
  }

  async getTeam(actor: Actor, teamId: string) {
    const team = (await repo.listTeams(this.deps.db, actor.workspaceId)).find(
      (t) => t.id === teamId,
    );
    if (!team) throw notFound('team');
    return team;
  }

  async createTeam(
    actor: Actor | null,
    workspaceId: string,
    input: { name: string; parentId?: string | null | undefined },
  ) {
    if (actor) requireRole(actor, 'admin');
    return this.deps.db.transaction(async (tx) => {
      if (input.parentId && !(await repo.findTeam(tx, workspaceId, input.parentId))) {
        throw invalid('parentId', 'unknown_reference', { entity: 'team' });
      }
      if (await repo.findTeamByName(tx, workspaceId, input.name)) {
        throw new DomainError('DUPLICATE', { entity: 'team', field: 'name' }, [
          { path: 'name', key: 'duplicate' },
        ]);
      }
      const row = await repo.insertTeam(tx, {
        workspaceId,
        name: input.name,
        parentId: input.parentId ?? null,
      });
      await recordAudit(tx, {
        workspaceId,
        actorId: actor?.userId ?? null,
        action: 'create',
        entityType: 'team',
        entityId: row.id,
        after: row,
      });
      return {
        id: row.id,
        name: row.name,
        parentId: row.parentId,
        memberCount: 0,
        version: row.version,
      };
    });
  }

  async updateTeam(
    actor: Actor,
    teamId: string,
    input: { version: number; name?: string | undefined; parentId?: string | null | undefined },
  ) {
    requireRole(actor, 'admin');
    return this.deps.db.transaction(async (tx) => {
      const before = await repo.findTeam(tx, actor.workspaceId, teamId);
      if (!before) throw notFound('team');
      if (before.version !== input.version) throw versionConflict('team', before.version);
      if (input.parentId) {
        if (!(await repo.findTeam(tx, actor.workspaceId, input.parentId)))
          throw invalid('parentId', 'unknown_reference', { entity: 'team' });
        const below = await repo.teamSubtree(tx, actor.workspaceId, teamId);
        if (below.includes(input.parentId)) throw invalid('parentId', 'cycle');
      }
      const values: { name?: string; parentId?: string | null } = {};
      if (input.name !== undefined) values.name = input.name;
      if (input.parentId !== undefined) values.parentId = input.parentId;
      try {
        await tx.transaction(async (inner) => repo.updateTeamRow(inner, teamId, values));
      } catch (error) {
        if (isUniqueViolation(error))
          throw new DomainError('DUPLICATE', { entity: 'team', field: 'name' }, [
            { path: 'name', key: 'duplicate' },
          ]);
        throw error;
      }
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'update',
        entityType: 'team',
        entityId: teamId,
        before,
        after: values,
      });
      const teamsNow = await repo.listTeams(tx, actor.workspaceId);
      return teamsNow.find((t) => t.id === teamId)!;
    });
  }
}
