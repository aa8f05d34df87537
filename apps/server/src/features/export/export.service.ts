/**
 * Exports of the list views (SPEC F-9): the same filters and access rules as the lists, contact
 * details masked exactly as the API masks them for the exporter (never exported otherwise),
 * one audit entry per export. Each list becomes an `ExportTable` (typed columns + streamed rows)
 * that `writeWorkbook` turns into .xlsx or CSV; an analytics report is a list of such tables
 * (`report-tables.ts`), exported through `writeReport`.
 */
import type { Writable } from 'node:stream';
import { eq, gte, lt } from 'drizzle-orm';
import type { Db } from '../../db/database';
import { followUps as followUpsTable } from '../../db/schema';
import type { Actor } from '../access/actor';
import { recordAudit } from '../audit/audit.repository';
import { listContacts } from '../accounts/accounts.repository';
import { contactOut } from '../accounts/accounts.service';
import { scopeConditions } from '../follow-ups/follow-ups.repository';
import { bucketBounds, followUpScope } from '../follow-ups/follow-ups.service';
import type { OpportunityFilter } from '../opportunities/opportunities.repository';
import { teamFilter } from '../people/team-filter';
import { listCustomFields } from '../settings/settings.repository';
import { loadWorkspaceSettings } from '../workspace/workspace.service';
import {
  ACCOUNT_FIELDS,
  CONTACT_FIELDS,
  FOLLOW_UP_FIELDS,
  OPPORTUNITY_FIELDS,
  type FieldDef,
} from '../import/fields';
import * as repo from './export.repository';
import {
  writeWorkbook,
  type ColumnDef,
  type ColumnType,
  type ExportTable,
  type RowValues,
} from './table-writer';

const PAGE = 2000;

function columns(defs: FieldDef[], spec: [string, ColumnType][]): ColumnDef[] {
  return spec.map(([key, type]) => {
    const def = defs.find((d) => d.key === key)!;
    return { key, zh: def.zh, en: def.en, type };
  });
}

const OPPORTUNITY_COLUMNS = columns(OPPORTUNITY_FIELDS, [
  ['code', 'text'],
  ['name', 'text'],
  ['account', 'text'],
  ['pipeline', 'text'],
  ['stage', 'text'],
  ['status', 'text'],
  ['owner', 'text'],
  ['ownerEmail', 'text'],
  ['team', 'text'],
  ['expectedAmount', 'money'],
  ['wonAmount', 'money'],
  ['wonDate', 'date'],
  ['expectedCloseDate', 'date'],
  ['acquiredAt', 'datetime'],
  ['stageEnteredAt', 'datetime'],
  ['closedAt', 'datetime'],
  ['lastOpenStage', 'text'],
  ['source', 'text'],
  ['sourceDetail', 'text'],
  ['industry', 'text'],
  ['region', 'text'],
  ['productLine', 'text'],
  ['priority', 'text'],
  ['computedPriority', 'text'],
  ['priorityOverrideReason', 'text'],
  ['winProbability', 'number'],
  ['lossReason', 'text'],
  ['lostToCompetitor', 'text'],
  ['lossNote', 'text'],
  ['postponeReason', 'text'],
  ['postponeRemedy', 'text'],
  ['postponedUntil', 'date'],
  ['needsDescription', 'text'],
  ['budgetRange', 'text'],
  ['marketNotes', 'text'],
  ['partner', 'text'],
  ['channelManager', 'text'],
  ['nextFollowUpAt', 'datetime'],
  ['lastFollowUpAt', 'datetime'],
  ['createdAt', 'datetime'],
  ['updatedAt', 'datetime'],
]);

const ACCOUNT_COLUMNS = columns(ACCOUNT_FIELDS, [
  ['name', 'text'],
  ['industry', 'text'],
  ['employees', 'integer'],
  ['province', 'text'],
  ['city', 'text'],
  ['region', 'text'],
  ['tier', 'text'],
  ['owner', 'text'],
  ['ownerEmail', 'text'],
  ['openOpportunities', 'integer'],
  ['createdAt', 'datetime'],
]);

const CONTACT_COLUMNS = columns(CONTACT_FIELDS, [
  ['account', 'text'],
  ['name', 'text'],
  ['title', 'text'],
  ['phone', 'text'],
  ['email', 'text'],
  ['imHandle', 'text'],
  ['decisionRole', 'text'],
  ['owner', 'text'],
  ['ownerEmail', 'text'],
  ['opportunityCodes', 'text'],
  ['masked', 'text'],
]);

const FOLLOW_UP_COLUMNS = columns(FOLLOW_UP_FIELDS, [
  ['opportunity', 'text'],
  ['opportunityName', 'text'],
  ['owner', 'text'],
  ['ownerEmail', 'text'],
  ['status', 'text'],
  ['method', 'text'],
  ['plannedAt', 'datetime'],
  ['goal', 'text'],
  ['occurredAt', 'datetime'],
  ['content', 'text'],
  ['nextAction', 'text'],
  ['intentChange', 'text'],
]);

const at = (value: unknown) =>
  value === null || value === undefined ? null : new Date(Number(value));
const n = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const s = (value: unknown): string | null =>
  value === null || value === undefined
    ? null
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);

export interface ExportRequest {
  format: 'xlsx' | 'csv';
  locale: 'en' | 'zh-CN';
}

export type OpportunityExportFilter = OpportunityFilter & { teamId?: string | undefined };

export class ExportService {
  constructor(private readonly deps: { db: Db; clock: () => Date }) {}

  /** Streams a list export to `out`; returns the number of rows written. */
  write(
    actor: Actor,
    table: ExportTable,
    out: Writable,
    request: ExportRequest,
    audit: Record<string, unknown>,
  ) {
    return this.writeAudited(actor, [table], out, request, {
      entityType: table.name.en.toLowerCase(),
      entityId: 'export',
      after: audit,
    });
  }

  /**
   * Streams the tables of an analytics report (already computed for the actor, under the
   * analytics access rules) to `out`, one sheet per table; returns the number of rows written.
   */
  writeReport(
    actor: Actor,
    report: string,
    tables: ExportTable[],
    out: Writable,
    request: ExportRequest,
    audit: Record<string, unknown>,
  ) {
    return this.writeAudited(actor, tables, out, request, {
      entityType: 'analytics_report',
      entityId: report,
      after: audit,
    });
  }

  /** One audit entry per export, once it is written. */
  private async writeAudited(
    actor: Actor,
    tables: ExportTable[],
    out: Writable,
    request: ExportRequest,
    entry: { entityType: string; entityId: string; after: Record<string, unknown> },
  ) {
    const settings = await loadWorkspaceSettings(this.deps.db, actor.workspaceId);
    const rows = await writeWorkbook(tables, out, { ...request, timeZone: settings.timeZone });
    await recordAudit(this.deps.db, {
      workspaceId: actor.workspaceId,
      actorId: actor.userId === '00000000-0000-0000-0000-000000000000' ? null : actor.userId,
      action: 'export',
      entityType: entry.entityType,
      entityId: entry.entityId,
      after: { format: request.format, rows, ...entry.after },
    });
    return rows;
  }

  async opportunities(actor: Actor, filter: OpportunityExportFilter): Promise<ExportTable> {
    const db = this.deps.db;
    const teamIds = await teamFilter(db, actor.workspaceId, filter.teamId);
    const custom = (await listCustomFields(db, actor.workspaceId, 'opportunity')).filter(
      (d) => d.active,
    );
    const customColumns: ColumnDef[] = custom.map((d) => ({
      key: `custom.${d.key}`,
      zh: d.labelZh,
      en: d.labelEn,
      type: d.type === 'number' ? 'number' : d.type === 'date' ? 'date' : 'text',
    }));
    async function* rows(): AsyncGenerator<RowValues> {
      let cursor: repo.Cursor | null = null;
      for (;;) {
        const page = await repo.opportunityPage(db, actor, { ...filter, teamIds }, cursor, PAGE);
        for (const o of page) {
          const values: RowValues = {
            code: s(o.code),
            name: s(o.name),
            account: s(o.account_name),
            pipeline: s(o.pipeline_name),
            stage: s(o.stage_name),
            status: s(o.status),
            owner: s(o.owner_name),
            ownerEmail: s(o.owner_email),
            team: s(o.team_name),
            expectedAmount: n(o.expected_amount),
            wonAmount: n(o.won_amount),
            wonDate: s(o.won_on),
            expectedCloseDate: s(o.expected_close),
            acquiredAt: at(o.acquired_ms),
            stageEnteredAt: at(o.stage_entered_ms),
            closedAt: at(o.closed_ms),
            lastOpenStage: s(o.last_open_stage),
            source: s(o.source),
            sourceDetail: s(o.source_detail),
            industry: s(o.industry),
            region: s(o.region),
            productLine: s(o.product_line),
            priority: s(o.priority),
            computedPriority: s(o.computed_priority),
            priorityOverrideReason: o.priority_override ? s(o.priority_override_reason) : null,
            winProbability: n(o.win_probability),
            lossReason: s(o.loss_reason),
            lostToCompetitor: s(o.competitor_name),
            lossNote: s(o.loss_note),
            postponeReason: s(o.postpone_reason),
            postponeRemedy: s(o.postpone_remedy),
            postponedUntil: s(o.postponed_to),
            needsDescription: s(o.needs_description),
            budgetRange: s(o.budget_range),
            marketNotes: s(o.market_notes),
            partner: s(o.partner),
            channelManager: s(o.channel_manager),
            nextFollowUpAt: at(o.next_ms),
            lastFollowUpAt: at(o.last_ms),
            createdAt: at(o.created_ms),
            updatedAt: at(o.updated_ms),
          };
          const cf = (
            typeof o.custom_fields === 'string'
              ? JSON.parse(o.custom_fields)
              : (o.custom_fields ?? {})
          ) as Record<string, unknown>;
          for (const d of custom) {
            const v = cf[d.key];
            values[`custom.${d.key}`] =
              v === null || v === undefined ? null : typeof v === 'number' ? v : s(v);
          }
          yield values;
        }
        if (page.length < PAGE) return;
        const last = page[page.length - 1]!;
        cursor = { at: String(last.cursor_at), id: String(last.id) };
      }
    }
    return {
      name: { zh: '机会', en: 'Opportunities' },
      columns: [...OPPORTUNITY_COLUMNS, ...customColumns],
      rows: rows(),
    };
  }

  async accounts(actor: Actor, filter: repo.AccountExportFilter): Promise<ExportTable> {
    const db = this.deps.db;
    async function* rows(): AsyncGenerator<RowValues> {
      let cursor: repo.Cursor | null = null;
      for (;;) {
        const page = await repo.accountPage(db, actor.workspaceId, filter, cursor, PAGE);
        for (const a of page) {
          yield {
            name: s(a.name),
            industry: s(a.industry),
            employees: n(a.employees),
            province: s(a.province),
            city: s(a.city),
            region: s(a.region),
            tier: s(a.tier),
            owner: s(a.owner_name),
            ownerEmail: s(a.owner_email),
            openOpportunities: n(a.open_count),
            createdAt: at(a.created_ms),
          };
        }
        if (page.length < PAGE) return;
        const last = page[page.length - 1]!;
        cursor = { at: String(last.cursor_at), id: String(last.id) };
      }
    }
    return { name: { zh: '客户', en: 'Accounts' }, columns: ACCOUNT_COLUMNS, rows: rows() };
  }

  /** Contacts as the exporter may see them: the API's masking, never more. */
  async contacts(
    actor: Actor,
    filter: { q?: string | undefined; accountId?: string | undefined },
    audit: { unmasked: number },
  ): Promise<ExportTable> {
    const db = this.deps.db;
    const roles = (await loadWorkspaceSettings(db, actor.workspaceId)).rules.contactDetailRoles;
    async function* rows(): AsyncGenerator<RowValues> {
      for (let page = 1; ; page++) {
        const { rows: listed } = await listContacts(db, actor, roles, filter, page, 500);
        const codes = await repo.contactOpportunityCodes(
          db,
          actor,
          listed.map((r) => r.contact.id),
        );
        for (const row of listed) {
          const { out, audit: unmaskedRead } = contactOut(row, actor);
          if (unmaskedRead) audit.unmasked++;
          yield {
            account: out.accountName,
            name: out.name,
            title: out.title,
            phone: out.phone,
            email: out.email,
            imHandle: out.imHandle,
            decisionRole: out.decisionRole,
            owner: out.owner?.name ?? null,
            ownerEmail: null,
            opportunityCodes: codes.get(out.id) ?? null,
            masked: out.masked ? 'yes' : 'no',
          };
        }
        if (listed.length < 500) return;
      }
    }
    return { name: { zh: '联系人', en: 'Contacts' }, columns: CONTACT_COLUMNS, rows: rows() };
  }

  /**
   * Follow-ups as `GET /follow-ups` selects them: scope (mine / team / all, default all you may
   * see), owner, team, status, due bucket (planned ones, by the workspace's day) or opportunity.
   */
  async followUps(
    actor: Actor,
    filter: {
      scope?: 'mine' | 'team' | 'all' | undefined;
      teamId?: string | undefined;
      bucket?: 'overdue' | 'today' | 'upcoming' | undefined;
      status?: string | undefined;
      ownerId?: string | undefined;
      opportunityId?: string | undefined;
    },
  ): Promise<ExportTable> {
    const db = this.deps.db;
    const scope = await followUpScope(db, actor, { ...filter, scope: filter.scope ?? 'all' });
    const conditions = scopeConditions(actor.workspaceId, scope);
    if (filter.bucket) {
      const [from, to] = await bucketBounds(db, this.deps.clock, actor, filter.bucket);
      conditions.push(eq(followUpsTable.status, 'planned'));
      if (from) conditions.push(gte(followUpsTable.plannedAt, from));
      if (to) conditions.push(lt(followUpsTable.plannedAt, to));
    }
    if (filter.status) conditions.push(eq(followUpsTable.status, filter.status));
    if (filter.opportunityId)
      conditions.push(eq(followUpsTable.opportunityId, filter.opportunityId));
    async function* rows(): AsyncGenerator<RowValues> {
      let cursor: repo.Cursor | null = null;
      for (;;) {
        const page = await repo.followUpPage(db, conditions, cursor, PAGE);
        for (const f of page) {
          yield {
            opportunity: s(f.opportunity_code),
            opportunityName: s(f.opportunity_name),
            owner: s(f.owner_name),
            ownerEmail: s(f.owner_email),
            status: s(f.status),
            method: s(f.method),
            plannedAt: at(f.planned_ms),
            goal: s(f.goal),
            occurredAt: at(f.occurred_ms),
            content: s(f.content),
            nextAction: s(f.next_action),
            intentChange: s(f.intent_change),
          };
        }
        if (page.length < PAGE) return;
        const last = page[page.length - 1]!;
        cursor = { at: String(last.cursor_at), id: String(last.id) };
      }
    }
    return { name: { zh: '跟进记录', en: 'Follow-ups' }, columns: FOLLOW_UP_COLUMNS, rows: rows() };
  }
}
