/** Value lists (sources, industries, regions, product lines, loss and postpone reasons), custom fields and competitors. */
import type { Db, Executor } from '../../db/database';
import { DomainError, notFound, versionConflict, type FieldProblem } from '../../http/domain-error';
import { requireRole } from '../access/access';
import type { Actor } from '../access/actor';
import { recordAudit, type AuditAction } from '../audit/audit.repository';
import * as repo from './settings.repository';
import { isUniqueViolation } from '../../db/pg-errors';

const picklistOut = (r: repo.PicklistRow) => ({
  id: r.id,
  kind: r.kind as 'source',
  code: r.code,
  labelZh: r.labelZh,
  labelEn: r.labelEn,
  position: r.position,
  active: r.active,
  version: r.version,
});
const customFieldOut = (r: repo.CustomFieldRow) => ({
  id: r.id,
  entity: r.entity as 'opportunity',
  key: r.key,
  labelZh: r.labelZh,
  labelEn: r.labelEn,
  type: r.type as 'text',
  options: r.options as string[],
  required: r.required,
  position: r.position,
  active: r.active,
  version: r.version,
});
const competitorOut = (r: repo.CompetitorRow) => ({
  id: r.id,
  name: r.name,
  strengths: r.strengths,
  version: r.version,
});

type Values = Record<string, string | number | boolean | null>;

/**
 * Checks custom-field values against the workspace's definitions: unknown keys, wrong types,
 * options of a select, required ones. Returns the problems (path `customFields.<key>`).
 */
export function checkCustomFields(
  definitions: repo.CustomFieldRow[],
  values: Values,
  options: { requireAll: boolean },
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const active = definitions.filter((d) => d.active);
  for (const [key, value] of Object.entries(values)) {
    const def = active.find((d) => d.key === key);
    const path = `customFields.${key}`;
    if (!def) {
      problems.push({ path, key: 'custom_field_unknown' });
      continue;
    }
    if (value === null) continue;
    const ok =
      (def.type === 'text' && typeof value === 'string') ||
      (def.type === 'number' && typeof value === 'number' && Number.isFinite(value)) ||
      (def.type === 'boolean' && typeof value === 'boolean') ||
      (def.type === 'date' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) ||
      (def.type === 'select' &&
        typeof value === 'string' &&
        (def.options as string[]).includes(value));
    if (!ok) problems.push({ path, key: 'custom_field_type', params: { type: def.type } });
  }
  if (options.requireAll) {
    for (const def of active.filter((d) => d.required)) {
      const value = values[def.key];
      if (value === undefined || value === null || value === '')
        problems.push({ path: `customFields.${def.key}`, key: 'required' });
    }
  }
  return problems;
}

/** Checks that a code belongs to the workspace's value list of that kind (when the list is not empty). */
export async function checkPicklistValue(
  q: Executor,
  workspaceId: string,
  kind: string,
  code: string | null | undefined,
  path: string,
): Promise<FieldProblem | null> {
  if (code === null || code === undefined || code === '') return null;
  const row = await repo.findPicklistByCode(q, workspaceId, kind, code);
  if (row) return null;
  const any = await repo.listPicklist(q, workspaceId, kind);
  if (any.length === 0) return null; // free text until an admin defines the list
  return { path, key: 'unknown_value', params: { value: code } };
}

export class SettingsService {
  constructor(private readonly deps: { db: Db }) {}

  async listPicklist(actor: Actor, kind?: string) {
    return (await repo.listPicklist(this.deps.db, actor.workspaceId, kind)).map(picklistOut);
  }

  async getPicklistValue(actor: Actor, id: string) {
    const row = await repo.findPicklistValue(this.deps.db, actor.workspaceId, id);
    if (!row) throw notFound('picklist_value');
    return picklistOut(row);
  }

  async createPicklistValue(
    actor: Actor,
    input: { kind: string; code: string; labelZh: string; labelEn: string; position: number },
  ) {
    requireRole(actor, 'admin');
    return this.deps.db.transaction(async (tx) => {
      const row = await repo.insertPicklistValue(tx, { ...input, workspaceId: actor.workspaceId });
      if (!row)
        throw new DomainError('DUPLICATE', { entity: 'picklist_value', field: 'code' }, [
          { path: 'code', key: 'duplicate' },
        ]);
      await audit(tx, actor, 'create', 'picklist_value', row.id, null, row);
      return picklistOut(row);
    });
  }

  async updatePicklistValue(
    actor: Actor,
    id: string,
    input: { version: number } & Partial<{
      labelZh: string;
      labelEn: string;
      position: number;
      active: boolean;
    }>,
  ) {
    requireRole(actor, 'admin');
    return this.deps.db.transaction(async (tx) => {
      const row = await repo.findPicklistValue(tx, actor.workspaceId, id, true);
      if (!row) throw notFound('picklist_value');
      if (row.version !== input.version) throw versionConflict('picklist_value', row.version);
      const { version: _v, ...values } = input;
      await repo.updatePicklistValue(tx, id, values);
      const after = (await repo.findPicklistValue(tx, actor.workspaceId, id))!;
      await audit(tx, actor, 'update', 'picklist_value', id, row, after);
      return picklistOut(after);
    });
  }

  async listCustomFields(actor: Actor, entity?: string) {
    return (await repo.listCustomFields(this.deps.db, actor.workspaceId, entity)).map(
      customFieldOut,
    );
  }

  async getCustomField(actor: Actor, id: string) {
    const row = await repo.findCustomField(this.deps.db, actor.workspaceId, id);
    if (!row) throw notFound('custom_field');
    return customFieldOut(row);
  }

  async createCustomField(
    actor: Actor,
    input: {
      entity: string;
      key: string;
      labelZh: string;
      labelEn: string;
      type: string;
      options: string[];
      required: boolean;
      position: number;
    },
  ) {
    requireRole(actor, 'admin');
    if (input.type === 'select' && input.options.length === 0) {
      throw new DomainError('VALIDATION_FAILED', {}, [
        { path: 'options', key: 'too_small.array', params: { minimum: 1 } },
      ]);
    }
    return this.deps.db.transaction(async (tx) => {
      const row = await repo.insertCustomField(tx, { ...input, workspaceId: actor.workspaceId });
      if (!row)
        throw new DomainError('DUPLICATE', { entity: 'custom_field', field: 'key' }, [
          { path: 'key', key: 'duplicate' },
        ]);
      await audit(tx, actor, 'create', 'custom_field', row.id, null, row);
      return customFieldOut(row);
    });
  }

  async updateCustomField(
    actor: Actor,
    id: string,
    input: { version: number } & Partial<{
      labelZh: string;
      labelEn: string;
      options: string[];
      required: boolean;
      position: number;
      active: boolean;
    }>,
  ) {
    requireRole(actor, 'admin');
    return this.deps.db.transaction(async (tx) => {
      const row = await repo.findCustomField(tx, actor.workspaceId, id, true);
      if (!row) throw notFound('custom_field');
      if (row.version !== input.version) throw versionConflict('custom_field', row.version);
      const { version: _v, ...values } = input;
      await repo.updateCustomField(tx, id, values);
      const after = (await repo.findCustomField(tx, actor.workspaceId, id))!;
      await audit(tx, actor, 'update', 'custom_field', id, row, after);
      return customFieldOut(after);
    });
  }

  async listCompetitors(actor: Actor) {
    return (await repo.listCompetitors(this.deps.db, actor.workspaceId)).map(competitorOut);
  }

  async getCompetitor(actor: Actor, id: string) {
    const row = await repo.findCompetitor(this.deps.db, actor.workspaceId, id);
    if (!row) throw notFound('competitor');
    return competitorOut(row);
  }

  async createCompetitor(actor: Actor, input: { name: string; strengths: string }) {
    return this.deps.db.transaction(async (tx) => {
      const row = await repo.insertCompetitor(tx, { ...input, workspaceId: actor.workspaceId });
      if (!row)
        throw new DomainError('DUPLICATE', { entity: 'competitor', field: 'name' }, [
          { path: 'name', key: 'duplicate' },
        ]);
      await audit(tx, actor, 'create', 'competitor', row.id, null, row);
      return competitorOut(row);
    });
  }

  async updateCompetitor(
    actor: Actor,
    id: string,
    input: { version: number; name?: string | undefined; strengths?: string | undefined },
  ) {
    requireRole(actor, 'manager', 'director', 'admin');
    return this.deps.db.transaction(async (tx) => {
      const row = await repo.findCompetitor(tx, actor.workspaceId, id, true);
      if (!row) throw notFound('competitor');
      if (row.version !== input.version) throw versionConflict('competitor', row.version);
      const { version: _v, ...values } = input;
      try {
        await tx.transaction(async (inner) => repo.updateCompetitor(inner, id, stripUndef(values)));
      } catch (error) {
        if (isUniqueViolation(error))
          throw new DomainError('DUPLICATE', { entity: 'competitor', field: 'name' }, [
            { path: 'name', key: 'duplicate' },
          ]);
        throw error;
      }
      const after = (await repo.findCompetitor(tx, actor.workspaceId, id))!;
      await audit(tx, actor, 'update', 'competitor', id, row, after);
      return competitorOut(after);
    });
  }
}

function stripUndef<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function audit(
  q: Executor,
  actor: Actor,
  action: AuditAction,
  entityType: string,
  entityId: string,
  before: unknown,
  after: unknown,
) {
  await recordAudit(q, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action,
    entityType,
    entityId,
    before,
    after,
  });
}
