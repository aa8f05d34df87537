/** The audit log's entries as people read them: the action in words, what changed. */
import { Tag } from 'antd';
import type { AuditAction, AuditEntry } from '../api/types';
import { useI18n, type MessageKey } from '../i18n';

/**
 * A label for every audit action of the contract (`AUDIT_ACTIONS`): the compiler fails when the
 * contract gains an action this map lacks, so the UI never shows a raw action name.
 */
export const AUDIT_ACTION_LABELS = {
  create: 'audit.action.create',
  update: 'audit.action.update',
  delete: 'audit.action.delete',
  move: 'audit.action.move',
  close_won: 'audit.action.close_won',
  close_lost: 'audit.action.close_lost',
  postpone: 'audit.action.postpone',
  reopen: 'audit.action.reopen',
  reassign: 'audit.action.reassign',
  priority_override: 'audit.action.priority_override',
  log_follow_up: 'audit.action.log_follow_up',
  plan_follow_up: 'audit.action.plan_follow_up',
  read_contact_details: 'audit.action.read_contact_details',
  sign_in: 'audit.action.sign_in',
  revoke: 'audit.action.revoke',
  update_stages: 'audit.action.update_stages',
  import: 'audit.action.import',
  export: 'audit.action.export',
} as const satisfies Record<AuditAction, MessageKey>;

export const AUDIT_ACTION_LIST = Object.keys(AUDIT_ACTION_LABELS) as AuditAction[];

/** Entity types written by the server; others are shown as they come. */
export const AUDIT_ENTITY_LABELS: Record<string, MessageKey> = {
  opportunity: 'audit.entity.opportunity',
  account: 'audit.entity.account',
  contact: 'audit.entity.contact',
  follow_up: 'audit.entity.follow_up',
  collection: 'audit.entity.collection',
  target: 'audit.entity.target',
  pipeline: 'audit.entity.pipeline',
  team: 'audit.entity.team',
  user: 'audit.entity.user',
  workspace: 'audit.entity.workspace',
  api_token: 'audit.entity.api_token',
  picklist_value: 'audit.entity.picklist_value',
  custom_field: 'audit.entity.custom_field',
  competitor: 'audit.entity.competitor',
};

const ACTION_COLORS: Partial<Record<AuditAction, string>> = {
  create: 'green',
  delete: 'red',
  close_won: 'green',
  close_lost: 'volcano',
  reassign: 'purple',
  read_contact_details: 'gold',
  sign_in: 'blue',
};

export function AuditActionTag({ action }: { action: AuditAction }) {
  const { t } = useI18n();
  return <Tag color={ACTION_COLORS[action]}>{t(AUDIT_ACTION_LABELS[action])}</Tag>;
}

/** "field: before → after" for each field that differs (version and timestamps left out). */
export function describeChange(entry: AuditEntry): string[] {
  const before = (entry.before ?? {}) as Record<string, unknown>;
  const after = (entry.after ?? {}) as Record<string, unknown>;
  if (typeof before !== 'object' || typeof after !== 'object') return [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const lines: string[] = [];
  for (const key of keys) {
    if (['version', 'updatedAt'].includes(key)) continue;
    const a = JSON.stringify(before[key] ?? null);
    const b = JSON.stringify(after[key] ?? null);
    if (a !== b) lines.push(`${key}: ${a.slice(0, 60)} → ${b.slice(0, 60)}`);
  }
  return lines;
}
