/**
 * Accounts (customers) are shared by the workspace: everyone may read them and pick them;
 * editing belongs to the owner, their managers, directors and admins. Contacts carry sensitive
 * details: masked unless the actor may see them, and every unmasked read by a non-owner is audited.
 */
import {
  NEAR_DUPLICATE_THRESHOLD,
  accountNameCore,
  accountNameKey,
  accountNameSimilarity,
  maskEmail,
  maskHandle,
  maskPhone,
} from '@funnel/domain';
import type { Db, Executor } from '../../db/database';
import { DomainError, invalid, notFound, versionConflict } from '../../http/domain-error';
import { canSee, requireAssignable } from '../access/access';
import type { Actor } from '../access/actor';
import { recordAudit, recordAudits, type AuditRecord } from '../audit/audit.repository';
import * as people from '../people/people.repository';
import { checkCustomFields, checkPicklistValue } from '../settings/settings.service';
import { listCustomFields } from '../settings/settings.repository';
import { loadWorkspaceSettings } from '../workspace/workspace.service';
import * as repo from './accounts.repository';

export function accountOut(row: repo.AccountListed) {
  const a = row.account;
  return {
    id: a.id,
    name: a.name,
    industry: a.industry,
    employees: a.employees,
    province: a.province,
    city: a.city,
    region: a.region,
    tier: a.tier as 'A' | null,
    owner: a.ownerId ? { id: a.ownerId, name: row.ownerName ?? '' } : null,
    customFields: a.customFields as Record<string, unknown>,
    openOpportunities: row.openOpportunities,
    version: a.version,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

/** The contact as the actor may see it; `audit` is set when an unmasked read by a non-owner must be logged. */
export function contactOut(row: repo.ContactListed, actor: Actor) {
  const c = row.contact;
  const masked = !row.canSeeDetails;
  const out = {
    id: c.id,
    accountId: c.accountId,
    accountName: row.accountName,
    name: c.name,
    title: c.title,
    phone: c.phone && masked ? maskPhone(c.phone) : c.phone,
    email: c.email && masked ? maskEmail(c.email) : c.email,
    imHandle: c.imHandle && masked ? maskHandle(c.imHandle) : c.imHandle,
    decisionRole: c.decisionRole,
    owner: c.ownerId ? { id: c.ownerId, name: row.ownerName ?? '' } : null,
    masked,
    version: c.version,
    createdAt: c.createdAt.toISOString(),
  };
  const hasDetails = !!(c.phone || c.email || c.imHandle);
  const audit: AuditRecord | null =
    !masked && hasDetails && c.ownerId !== actor.userId
      ? {
          workspaceId: actor.workspaceId,
          actorId: actor.userId,
          action: 'read_contact_details',
          entityType: 'contact',
          entityId: c.id,
        }
      : null;
  return { out, audit };
}

/** Shapes contacts for the actor and logs the unmasked reads in one insert. */
export async function presentContacts(q: Executor, actor: Actor, rows: repo.ContactListed[]) {
  const shaped = rows.map((row) => ({ ...contactOut(row, actor), role: row.role ?? null }));
  await recordAudits(
    q,
    shaped.flatMap((s) => (s.audit ? [s.audit] : [])),
  );
  return shaped.map((s) => ({ ...s.out, role: s.role }));
}

interface AccountInput {
  name?: string | undefined;
  industry?: string | null | undefined;
  employees?: number | null | undefined;
  province?: string | null | undefined;
  city?: string | null | undefined;
  region?: string | null | undefined;
  tier?: string | null | undefined;
  ownerId?: string | undefined;
  customFields?: Record<string, string | number | boolean | null> | undefined;
}

interface ContactInput {
  name?: string | undefined;
  title?: string | null | undefined;
  phone?: string | null | undefined;
  email?: string | null | undefined;
  imHandle?: string | null | undefined;
  decisionRole?: string | null | undefined;
  ownerId?: string | undefined;
}

export class AccountService {
  constructor(private readonly deps: { db: Db }) {}

  async list(
    actor: Actor,
    filter: repo.AccountFilter,
    sort: string,
    page: number,
    pageSize: number,
  ) {
    const { rows, total } = await repo.listAccounts(
      this.deps.db,
      actor.workspaceId,
      filter,
      sort,
      page,
      pageSize,
    );
    return { items: rows.map(accountOut), total, page, pageSize };
  }

  async get(actor: Actor, id: string) {
    const row = await repo.findAccount(this.deps.db, actor.workspaceId, id);
    if (!row) throw notFound('account');
    return accountOut(row);
  }

  /** Existing accounts whose names match exactly (normalised) or nearly (similar core). */
  async duplicates(actor: Actor, name: string) {
    const key = accountNameKey(name);
    const candidates = await repo.accountNameCandidates(
      this.deps.db,
      actor.workspaceId,
      accountNameCore(name),
    );
    const exact = await repo.findAccountByKey(this.deps.db, actor.workspaceId, key);
    const matches = new Map<
      string,
      { id: string; name: string; similarity: number; exact: boolean }
    >();
    if (exact)
      matches.set(exact.id, { id: exact.id, name: exact.name, similarity: 1, exact: true });
    for (const candidate of candidates) {
      if (matches.has(candidate.id)) continue;
      const similarity = accountNameSimilarity(name, candidate.name);
      if (similarity >= NEAR_DUPLICATE_THRESHOLD) {
        matches.set(candidate.id, {
          id: candidate.id,
          name: candidate.name,
          similarity: Math.round(similarity * 1000) / 1000,
          exact: false,
        });
      }
    }
    return [...matches.values()].sort((a, b) => b.similarity - a.similarity).slice(0, 10);
  }

  async create(actor: Actor, input: AccountInput & { name: string }) {
    return this.deps.db.transaction(async (tx) => {
      const ownerId = input.ownerId ?? actor.userId;
      if (ownerId !== actor.userId) {
        const owner = await people.findMember(tx, actor.workspaceId, ownerId);
        requireAssignable(
          actor,
          owner ? { userId: owner.id, teamId: owner.teamId } : undefined,
          'ownerId',
        );
      }
      await this.checkAccountFields(tx, actor, input, true);
      const normalizedName = accountNameKey(input.name);
      const existing = await repo.findAccountByKey(tx, actor.workspaceId, normalizedName);
      if (existing) throw duplicateAccount(existing);
      const { ownerId: _o, customFields, ...rest } = input;
      const row = await repo.insertAccount(tx, {
        ...rest,
        tier: input.tier ?? null,
        customFields: customFields ?? {},
        normalizedName,
        workspaceId: actor.workspaceId,
        ownerId,
        createdBy: actor.userId,
      });
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'create',
        entityType: 'account',
        entityId: row.id,
        after: row,
      });
      return accountOut((await repo.findAccount(tx, actor.workspaceId, row.id))!);
    });
  }

  async update(actor: Actor, id: string, input: AccountInput & { version: number }) {
    return this.deps.db.transaction(async (tx) => {
      await repo.lockAccount(tx, actor.workspaceId, id);
      const before = await repo.findAccount(tx, actor.workspaceId, id);
      if (!before) throw notFound('account');
      if (!canSee(actor, { ownerId: before.account.ownerId, teamId: before.ownerTeamId }))
        throw new DomainError('FORBIDDEN');
      if (before.account.version !== input.version)
        throw versionConflict('account', before.account.version);
      if (input.ownerId && input.ownerId !== before.account.ownerId) {
        const owner = await people.findMember(tx, actor.workspaceId, input.ownerId);
        requireAssignable(
          actor,
          owner ? { userId: owner.id, teamId: owner.teamId } : undefined,
          'ownerId',
        );
      }
      await this.checkAccountFields(tx, actor, input, false);
      const { version: _v, customFields, ...rest } = input;
      const values: Partial<repo.AccountRow> = Object.fromEntries(
        Object.entries(rest).filter(([, v]) => v !== undefined),
      );
      if (input.name !== undefined) {
        values.normalizedName = accountNameKey(input.name);
        const clash = await repo.findAccountByKey(tx, actor.workspaceId, values.normalizedName);
        if (clash && clash.id !== id) throw duplicateAccount(clash);
      }
      if (customFields)
        values.customFields = { ...(before.account.customFields as object), ...customFields };
      await repo.updateAccount(tx, id, values);
      const after = (await repo.findAccount(tx, actor.workspaceId, id))!;
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'update',
        entityType: 'account',
        entityId: id,
        before: before.account,
        after: after.account,
      });
      return accountOut(after);
    });
  }

  private async checkAccountFields(
    q: Executor,
    actor: Actor,
    input: AccountInput,
    creating: boolean,
  ) {
    const problems = [
      await checkPicklistValue(q, actor.workspaceId, 'industry', input.industry, 'industry'),
      await checkPicklistValue(q, actor.workspaceId, 'region', input.region, 'region'),
    ].filter((p) => p !== null);
    if (input.customFields || creating) {
      const definitions = await listCustomFields(q, actor.workspaceId, 'account');
      problems.push(
        ...checkCustomFields(definitions, input.customFields ?? {}, { requireAll: creating }),
      );
    }
    if (problems.length) throw new DomainError('VALIDATION_FAILED', {}, problems);
  }

  // ---- contacts ----

  private async allowedRoles(q: Executor, workspaceId: string) {
    return (await loadWorkspaceSettings(q, workspaceId)).rules.contactDetailRoles;
  }

  async listContacts(
    actor: Actor,
    filter: {
      q?: string | undefined;
      accountId?: string | undefined;
      opportunityId?: string | undefined;
    },
    page: number,
    pageSize: number,
  ) {
    return this.deps.db.transaction(async (tx) => {
      const roles = await this.allowedRoles(tx, actor.workspaceId);
      const { rows, total } = await repo.listContacts(tx, actor, roles, filter, page, pageSize);
      return { items: await presentContacts(tx, actor, rows), total, page, pageSize };
    });
  }

  async getContact(actor: Actor, id: string) {
    return this.deps.db.transaction(async (tx) => {
      const row = await repo.findContact(
        tx,
        actor,
        await this.allowedRoles(tx, actor.workspaceId),
        id,
      );
      if (!row) throw notFound('contact');
      const [contact] = await presentContacts(tx, actor, [row]);
      const { role: _r, ...rest } = contact!;
      return rest;
    });
  }

  async createContact(actor: Actor, input: ContactInput & { accountId: string; name: string }) {
    return this.deps.db.transaction(async (tx) => {
      if (!(await repo.findAccount(tx, actor.workspaceId, input.accountId)))
        throw invalid('accountId', 'unknown_reference', { entity: 'account' });
      const ownerId = input.ownerId ?? actor.userId;
      if (ownerId !== actor.userId) {
        const owner = await people.findMember(tx, actor.workspaceId, ownerId);
        requireAssignable(
          actor,
          owner ? { userId: owner.id, teamId: owner.teamId } : undefined,
          'ownerId',
        );
      }
      const row = await repo.insertContact(tx, {
        accountId: input.accountId,
        name: input.name,
        title: input.title ?? null,
        phone: input.phone || null,
        email: input.email || null,
        imHandle: input.imHandle || null,
        decisionRole: input.decisionRole ?? null,
        workspaceId: actor.workspaceId,
        ownerId,
        createdBy: actor.userId,
      });
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'create',
        entityType: 'contact',
        entityId: row.id,
        after: row,
      });
      const listed = (await repo.findContact(
        tx,
        actor,
        await this.allowedRoles(tx, actor.workspaceId),
        row.id,
      ))!;
      return contactOut(listed, actor).out;
    });
  }

  async updateContact(actor: Actor, id: string, input: ContactInput & { version: number }) {
    return this.deps.db.transaction(async (tx) => {
      await repo.lockContact(tx, actor.workspaceId, id);
      const roles = await this.allowedRoles(tx, actor.workspaceId);
      const before = await repo.findContact(tx, actor, roles, id);
      if (!before) throw notFound('contact');
      if (!canSee(actor, { ownerId: before.contact.ownerId, teamId: before.ownerTeamId }))
        throw new DomainError('FORBIDDEN');
      if (before.contact.version !== input.version)
        throw versionConflict('contact', before.contact.version);
      if (input.ownerId && input.ownerId !== before.contact.ownerId) {
        const owner = await people.findMember(tx, actor.workspaceId, input.ownerId);
        requireAssignable(
          actor,
          owner ? { userId: owner.id, teamId: owner.teamId } : undefined,
          'ownerId',
        );
      }
      const { version: _v, ...rest } = input;
      const values = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
      await repo.updateContact(tx, id, values);
      const after = (await repo.findContact(tx, actor, roles, id))!;
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'update',
        entityType: 'contact',
        entityId: id,
        before: before.contact,
        after: after.contact,
      });
      return contactOut(after, actor).out;
    });
  }
}

function duplicateAccount(existing: { id: string; name: string }) {
  return new DomainError(
    'DUPLICATE',
    { entity: 'account', field: 'name' },
    [{ path: 'name', key: 'duplicate' }],
    {
      existingId: existing.id,
      existingName: existing.name,
    },
  );
}
