import { formatMoney, resolveWorkspaceRules, type WorkspaceRules } from '@funnel/domain';
import type { Db, Executor } from '../../db/database';
import { notFound, versionConflict } from '../../http/domain-error';
import { requireRole } from '../access/access';
import type { Actor } from '../access/actor';
import { recordAudit } from '../audit/audit.repository';
import * as repo from './workspace.repository';

export interface WorkspaceSettings {
  id: string;
  name: string;
  currency: string;
  timeZone: string;
  locale: string;
  codeFormat: string;
  rules: WorkspaceRules;
  version: number;
}

export async function loadWorkspaceSettings(
  q: Executor,
  workspaceId: string,
): Promise<WorkspaceSettings> {
  const row = await repo.findWorkspace(q, workspaceId);
  if (!row) throw notFound('workspace');
  return toSettings(row);
}

function toSettings(
  row: NonNullable<Awaited<ReturnType<typeof repo.findWorkspace>>>,
): WorkspaceSettings {
  return {
    id: row.id,
    name: row.name,
    currency: row.currency,
    timeZone: row.timeZone,
    locale: row.locale,
    codeFormat: row.codeFormat,
    rules: resolveWorkspaceRules(row.settings as Partial<WorkspaceRules>),
    version: row.version,
  };
}

export function workspaceOut(settings: WorkspaceSettings) {
  const money = (v: number | null | undefined) => (v == null ? null : formatMoney(v));
  return {
    ...settings,
    rules: {
      ...settings.rules,
      priorityRules: settings.rules.priorityRules.map((rule) => ({
        priority: rule.priority,
        match: rule.match,
        amountMin: money(rule.amountMin),
        amountMax: money(rule.amountMax),
        probabilityMin: rule.probabilityMin ?? null,
        probabilityMax: rule.probabilityMax ?? null,
      })),
    },
  };
}

export interface UpdateWorkspaceInput {
  version: number;
  name?: string | undefined;
  currency?: string | undefined;
  timeZone?: string | undefined;
  locale?: 'zh-CN' | 'en' | undefined;
  codeFormat?: string | undefined;
  rules?: Partial<WorkspaceRules> | undefined;
}

export class WorkspaceService {
  constructor(private readonly deps: { db: Db }) {}

  async get(actor: Actor) {
    return workspaceOut(await loadWorkspaceSettings(this.deps.db, actor.workspaceId));
  }

  async update(actor: Actor, input: UpdateWorkspaceInput) {
    requireRole(actor, 'admin');
    return this.deps.db.transaction(async (tx) => {
      const row = await repo.findWorkspaceForUpdate(tx, actor.workspaceId);
      if (!row) throw notFound('workspace');
      if (row.version !== input.version) throw versionConflict('workspace', row.version);
      const before = toSettings(row);
      const rules = input.rules
        ? { ...before.rules, ...stripUndefined(input.rules) }
        : before.rules;
      await repo.updateWorkspace(tx, actor.workspaceId, {
        ...stripUndefined({
          name: input.name,
          currency: input.currency,
          timeZone: input.timeZone,
          locale: input.locale,
          codeFormat: input.codeFormat,
        }),
        settings: rules,
      });
      const after = await loadWorkspaceSettings(tx, actor.workspaceId);
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'update',
        entityType: 'workspace',
        entityId: actor.workspaceId,
        before,
        after,
      });
      return workspaceOut(after);
    });
  }
}

export function stripUndefined<T extends object>(
  value: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}
