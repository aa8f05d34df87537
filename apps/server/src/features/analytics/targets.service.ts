/**
 * Sales targets (定额, SPEC F-7) per workspace, team or rep and period. Directors and admins set
 * any; managers set their teams' and their reps'; everyone reads the targets of what they see.
 */
import { formatMoney } from '@funnel/domain';
import type { Db } from '../../db/database';
import { isUniqueViolation } from '../../db/pg-errors';
import {
  DomainError,
  forbidden,
  invalid,
  notFound,
  versionConflict,
} from '../../http/domain-error';
import type { Actor } from '../access/actor';
import { actorSeesAll } from '../access/actor';
import { recordAudit } from '../audit/audit.repository';
import * as people from '../people/people.repository';
import * as repo from './targets.repository';

const targetOut = (t: repo.TargetRow) => ({
  id: t.id,
  scope: t.scope as 'workspace',
  scopeId: t.scopeId,
  periodKind: t.periodKind as 'month',
  periodKey: t.periodKey,
  amount: formatMoney(t.amount),
  version: t.version,
});

const KEY_SHAPES: Record<string, RegExp> = {
  month: /^\d{4}-\d{2}$/,
  quarter: /^\d{4}-Q[1-4]$/,
  year: /^\d{4}$/,
};

export class TargetService {
  constructor(private readonly deps: { db: Db }) {}

  /** May the actor set the target of this scope? */
  private async mayManage(actor: Actor, scope: string, scopeId: string | null): Promise<boolean> {
    if (actorSeesAll(actor)) return true;
    if (actor.role !== 'manager') return false;
    if (scope === 'team') return scopeId !== null && actor.teamScope!.includes(scopeId);
    if (scope === 'user' && scopeId) {
      const member = await people.findMember(this.deps.db, actor.workspaceId, scopeId);
      return (
        !!member &&
        (member.id === actor.userId ||
          (member.teamId !== null && actor.teamScope!.includes(member.teamId)))
      );
    }
    return false;
  }

  private async visible(actor: Actor, t: repo.TargetRow): Promise<boolean> {
    if (actorSeesAll(actor) || t.scope === 'workspace') return true;
    if (t.scope === 'user' && t.scopeId === actor.userId) return true;
    if (t.scope === 'team' && t.scopeId === actor.teamId) return true;
    return this.mayManage(actor, t.scope, t.scopeId);
  }

  async list(
    actor: Actor,
    filter: {
      scope?: string | undefined;
      periodKind?: string | undefined;
      periodKey?: string | undefined;
    },
  ) {
    const rows = await repo.listTargets(this.deps.db, actor.workspaceId, filter);
    const out = [];
    for (const row of rows) if (await this.visible(actor, row)) out.push(targetOut(row));
    return out;
  }

  async get(actor: Actor, id: string) {
    const row = await repo.findTargetById(this.deps.db, actor.workspaceId, id);
    if (!row || !(await this.visible(actor, row))) throw notFound('target');
    return targetOut(row);
  }

  async create(
    actor: Actor,
    input: {
      scope: string;
      scopeId?: string | null | undefined;
      periodKind: string;
      periodKey: string;
      amount: number;
    },
  ) {
    const scopeId = input.scope === 'workspace' ? null : (input.scopeId ?? null);
    if (input.scope !== 'workspace' && !scopeId) throw invalid('scopeId', 'required');
    if (!KEY_SHAPES[input.periodKind]!.test(input.periodKey))
      throw invalid('periodKey', 'invalid_format', { format: input.periodKind });
    if (
      input.scope === 'team' &&
      scopeId &&
      !(await people.findTeam(this.deps.db, actor.workspaceId, scopeId))
    ) {
      throw invalid('scopeId', 'unknown_reference', { entity: 'team' });
    }
    if (
      input.scope === 'user' &&
      scopeId &&
      !(await people.findMember(this.deps.db, actor.workspaceId, scopeId))
    ) {
      throw invalid('scopeId', 'unknown_reference', { entity: 'user' });
    }
    if (!(await this.mayManage(actor, input.scope, scopeId))) throw forbidden();
    return this.deps.db.transaction(async (tx) => {
      try {
        const row = await tx.transaction((inner) =>
          repo.insertTarget(inner, {
            workspaceId: actor.workspaceId,
            scope: input.scope,
            scopeId,
            periodKind: input.periodKind,
            periodKey: input.periodKey,
            amount: input.amount,
          }),
        );
        await recordAudit(tx, {
          workspaceId: actor.workspaceId,
          actorId: actor.userId,
          action: 'create',
          entityType: 'target',
          entityId: row.id,
          after: row,
        });
        return targetOut(row);
      } catch (error) {
        if (isUniqueViolation(error))
          throw new DomainError('DUPLICATE', { entity: 'target', field: 'periodKey' }, [
            { path: 'periodKey', key: 'duplicate' },
          ]);
        throw error;
      }
    });
  }

  async update(actor: Actor, id: string, input: { version: number; amount: number }) {
    return this.deps.db.transaction(async (tx) => {
      const row = await repo.findTargetById(tx, actor.workspaceId, id, true);
      if (!row || !(await this.visible(actor, row))) throw notFound('target');
      if (!(await this.mayManage(actor, row.scope, row.scopeId))) throw forbidden();
      if (row.version !== input.version) throw versionConflict('target', row.version);
      await repo.updateTargetAmount(tx, id, input.amount);
      const after = (await repo.findTargetById(tx, actor.workspaceId, id))!;
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'update',
        entityType: 'target',
        entityId: id,
        before: row,
        after,
      });
      return targetOut(after);
    });
  }

  async remove(actor: Actor, id: string) {
    await this.deps.db.transaction(async (tx) => {
      const row = await repo.findTargetById(tx, actor.workspaceId, id, true);
      if (!row || !(await this.visible(actor, row))) throw notFound('target');
      if (!(await this.mayManage(actor, row.scope, row.scopeId))) throw forbidden();
      await repo.deleteTarget(tx, id);
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'delete',
        entityType: 'target',
        entityId: id,
        before: row,
      });
    });
  }
}
