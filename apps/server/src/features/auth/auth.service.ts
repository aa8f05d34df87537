/**
 * Sign-in with password (scrypt), cookie sessions with a CSRF token, and API tokens for scripts.
 * Tokens are random; only their SHA-256 is stored.
 */
import type { Db } from '../../db/database';
import { DomainError, invalid, notFound } from '../../http/domain-error';
import type { Actor } from '../access/actor';
import { recordAudit } from '../audit/audit.repository';
import * as people from '../people/people.repository';
import { findWorkspace } from '../workspace/workspace.repository';
import * as repo from './auth.repository';
import { hashPassword, randomToken, sha256, verifyPassword } from './password';
import { FailureRateLimiter } from './rate-limiter';

export const TOKEN_PREFIX = 'fnl_';

export interface AuthServiceDeps {
  db: Db;
  clock: () => Date;
  sessionTtlHours: number;
}

export class AuthService {
  private readonly limiter = new FailureRateLimiter(10, 15 * 60_000);

  constructor(private readonly deps: AuthServiceDeps) {}

  async signIn(email: string, password: string, ip: string) {
    const now = this.deps.clock();
    const keys = [`ip:${ip}`, `email:${email}`];
    const wait = Math.max(...keys.map((key) => this.limiter.retryAfter(key, now.getTime())));
    if (wait > 0)
      throw new DomainError('RATE_LIMITED', { seconds: wait }, [], { retryAfterSeconds: wait });

    const member = await people.findMemberByEmail(this.deps.db, email);
    const ok = await verifyPassword(password, member?.passwordHash ?? null);
    if (!member || !ok || !member.active) {
      for (const key of keys) this.limiter.recordFailure(key, now.getTime());
      throw new DomainError('INVALID_CREDENTIALS');
    }
    for (const key of keys) this.limiter.reset(key);
    const token = randomToken();
    const csrfToken = randomToken(24);
    await this.deps.db.transaction(async (tx) => {
      await repo.insertSession(tx, {
        tokenHash: sha256(token),
        userId: member.id,
        workspaceId: member.workspaceId,
        csrfToken,
        expiresAt: new Date(now.getTime() + this.deps.sessionTtlHours * 3_600_000),
      });
      await recordAudit(tx, {
        workspaceId: member.workspaceId,
        actorId: member.id,
        action: 'sign_in',
        entityType: 'user',
        entityId: member.id,
      });
      await repo.deleteExpiredSessions(tx, now);
    });
    return { token, csrfToken, userId: member.id, workspaceId: member.workspaceId };
  }

  async signOut(token: string): Promise<void> {
    await repo.deleteSession(this.deps.db, sha256(token));
  }

  /** The actor behind a session cookie or a bearer token, or null. */
  async authenticate(credential: {
    session?: string | undefined;
    bearer?: string | undefined;
  }): Promise<Actor | null> {
    const now = this.deps.clock();
    if (credential.bearer) {
      const token = await repo.findLiveApiToken(this.deps.db, sha256(credential.bearer));
      if (!token) return null;
      const actor = await this.actorFor(token.workspaceId, token.userId, 'token', null);
      if (actor && (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > 60_000)) {
        await repo.touchApiToken(this.deps.db, token.id, now);
      }
      return actor;
    }
    if (credential.session) {
      const session = await repo.findLiveSession(this.deps.db, sha256(credential.session), now);
      if (!session) return null;
      return this.actorFor(session.workspaceId, session.userId, 'session', session.csrfToken);
    }
    return null;
  }

  async actorFor(
    workspaceId: string,
    userId: string,
    via: Actor['via'],
    csrfToken: string | null,
  ): Promise<Actor | null> {
    const member = await people.findMember(this.deps.db, workspaceId, userId);
    if (!member || !member.active) return null;
    let teamScope: string[] | null = null;
    if (member.role === 'manager') {
      teamScope = member.teamId
        ? await people.teamSubtree(this.deps.db, workspaceId, member.teamId)
        : [];
    } else if (member.role === 'rep') {
      teamScope = [];
    }
    return {
      userId: member.id,
      workspaceId,
      role: member.role,
      teamId: member.teamId,
      name: member.name,
      email: member.email,
      locale: member.locale,
      teamScope,
      via,
      csrfToken,
    };
  }

  async me(actor: Actor) {
    const workspace = await findWorkspace(this.deps.db, actor.workspaceId);
    if (!workspace) throw notFound('workspace');
    return {
      user: { id: actor.userId, email: actor.email, name: actor.name, locale: actor.locale },
      workspace: {
        id: workspace.id,
        name: workspace.name,
        currency: workspace.currency,
        timeZone: workspace.timeZone,
        locale: workspace.locale,
      },
      role: actor.role,
      teamId: actor.teamId,
      csrfToken: actor.csrfToken,
    };
  }

  async updateMe(
    actor: Actor,
    input: {
      name?: string | undefined;
      locale?: string | null | undefined;
      currentPassword?: string | undefined;
      newPassword?: string | undefined;
    },
  ) {
    await this.deps.db.transaction(async (tx) => {
      const member = await people.findMemberForUpdate(tx, actor.workspaceId, actor.userId);
      if (!member) throw notFound('user');
      const values: Parameters<typeof people.updateUser>[2] = {};
      if (input.name !== undefined) values.name = input.name;
      if (input.locale !== undefined) values.locale = input.locale;
      if (input.newPassword !== undefined) {
        if (
          !input.currentPassword ||
          !(await verifyPassword(input.currentPassword, member.passwordHash))
        ) {
          throw invalid('currentPassword', 'invalid');
        }
        values.passwordHash = await hashPassword(input.newPassword);
      }
      // The log says what changed, nothing else: a language switch is one line about the locale,
      // and a new password is said (never shown) only when there is one.
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      if (values.name !== undefined && values.name !== member.name) {
        before.name = member.name;
        after.name = values.name;
      }
      if (values.locale !== undefined && values.locale !== member.locale) {
        before.locale = member.locale;
        after.locale = values.locale;
      }
      if (values.passwordHash) after.passwordChanged = true;
      if (Object.keys(after).length === 0) return; // nothing to write
      await people.updateUser(tx, actor.userId, values);
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'update',
        entityType: 'user',
        entityId: actor.userId,
        before,
        after,
      });
    });
  }

  async createToken(actor: Actor, name: string) {
    const token = TOKEN_PREFIX + randomToken();
    const row = await this.deps.db.transaction(async (tx) => {
      const created = await repo.insertApiToken(tx, {
        workspaceId: actor.workspaceId,
        userId: actor.userId,
        name,
        tokenHash: sha256(token),
      });
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'create',
        entityType: 'api_token',
        entityId: created.id,
        after: { name },
      });
      return created;
    });
    return { ...tokenOut(row), token };
  }

  async listTokens(actor: Actor) {
    const rows = await repo.listApiTokens(this.deps.db, actor.workspaceId, actor.userId);
    return rows.map(tokenOut);
  }

  async revokeToken(actor: Actor, id: string): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      const revoked = await repo.revokeApiToken(
        tx,
        actor.workspaceId,
        actor.userId,
        id,
        this.deps.clock(),
      );
      if (!revoked) throw notFound('token');
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'revoke',
        entityType: 'api_token',
        entityId: id,
      });
    });
  }
}

function tokenOut(row: {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}) {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
