/** The audit log's entries as people read them: the action in words, what changed. */
import { Tag, Typography } from 'antd';
import { useMembers } from '../api/queries';
import type { AuditAction, AuditEntry } from '../api/types';
import { hasMessage, useI18n, type MessageKey } from '../i18n';
import { useFormat } from './format-hooks';

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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const LEFT_OUT = new Set(['version', 'updatedAt', 'createdAt', 'id', 'workspaceId']);
const MAX_TEXT = 80;

export interface ChangeLine {
  key: string;
  field: string;
  from: string | null;
  to: string;
}

/**
 * What an entry changed, as people read it: each field that differs with its label in the
 * reader's language, people by name, instants in the workspace's zone, nothing cut mid-value;
 * an id is left out where its name stands beside it (stageId beside stage).
 */
export function useDescribeChange(): (entry: AuditEntry) => ChangeLine[] {
  const { t } = useI18n();
  const format = useFormat();
  const { data: members = [] } = useMembers();
  const names = new Map(members.map((m) => [m.id, m.name]));
  const label = (entity: string, key: string): string => {
    const own = `field.${key}`;
    if (entity === 'opportunity' && hasMessage(own)) return t(own);
    const general = `audit.field.${key}`;
    if (hasMessage(general)) return t(general);
    return key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  };
  const value = (v: unknown): string => {
    if (v === null || v === undefined || v === '') return '—';
    if (typeof v === 'boolean') return t(v ? 'common.yes' : 'common.no');
    if (typeof v === 'number') return format.number(v);
    if (Array.isArray(v)) return v.length ? v.map(value).join(', ') : '—';
    if (typeof v === 'string') {
      if (UUID.test(v)) return names.get(v) ?? v.slice(0, 8);
      if (INSTANT.test(v)) return format.dateTime(v);
      return v.length > MAX_TEXT ? `${v.slice(0, MAX_TEXT)}…` : v;
    }
    const text = Object.entries(v as Record<string, unknown>)
      .map(([k, inner]) => `${k}: ${value(inner)}`)
      .join('; ');
    return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
  };
  return (entry) => {
    const before = (entry.before ?? {}) as Record<string, unknown>;
    const after = (entry.after ?? {}) as Record<string, unknown>;
    if (typeof before !== 'object' || typeof after !== 'object') return [];
    const created = entry.before === null || entry.before === undefined;
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    const lines: ChangeLine[] = [];
    for (const key of keys) {
      if (LEFT_OUT.has(key)) continue;
      if (key.endsWith('Id') && keys.has(key.slice(0, -2))) continue;
      const shown = (v: unknown) => {
        // a stage change's kind in words (forward, skip, back…)
        const kind = `stageChange.${String(v)}`;
        return key === 'kind' && hasMessage(kind) ? t(kind) : value(v);
      };
      const from = shown(before[key]);
      const to = shown(after[key]);
      if (from === to) continue; // also [] against nothing: both read "—"
      lines.push({ key, field: label(entry.entityType, key), from: created ? null : from, to });
    }
    return lines;
  };
}

/** The changes of an entry, one line a field. */
export function AuditChanges({ lines }: { lines: ChangeLine[] }) {
  return (
    <div style={{ fontSize: 12, wordBreak: 'break-word' }}>
      {lines.map((line) => (
        <div key={line.key}>
          <Typography.Text type="secondary">{line.field}</Typography.Text>
          {': '}
          {line.from === null ? line.to : `${line.from} → ${line.to}`}
        </div>
      ))}
    </div>
  );
}
