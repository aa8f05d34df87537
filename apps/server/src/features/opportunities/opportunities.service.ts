/**
 * Opportunities (SPEC F-1, F-2, F-3): create with a gapless code, edit with optimistic
 * concurrency, move through stages (reasons for skips and backward moves, stage gates), close as
 * won / lost / postponed, reopen, reassign, and the priority matrix with overrides and history.
 * Every write is one transaction with its audit entry; access is checked before anything else.
 */
import {
  classifyMove,
  codePeriodKey,
  computePriority,
  effectivePriority,
  formatMoney,
  formatOpportunityCode,
  isLateEntry,
  localParts,
  missingGateFields,
  moveNeedsReason,
  nextDueByCadence,
  type ForecastCategory,
  type Priority,
  type StageChangeKind,
} from '@funnel/domain';
import { translate, type Locale } from '@funnel/contracts';
import type { Db, Executor } from '../../db/database';
import { DomainError, invalid, versionConflict, type FieldProblem } from '../../http/domain-error';
import { requireAccess, requireAssignable, requireRole } from '../access/access';
import type { Actor } from '../access/actor';
import {
  contactIdsInWorkspace,
  contactsOfOpportunity,
  findAccount,
} from '../accounts/accounts.repository';
import { presentContacts } from '../accounts/accounts.service';
import { recordAudit } from '../audit/audit.repository';
import * as followUps from '../follow-ups/follow-ups.repository';
import * as people from '../people/people.repository';
import { teamFilter } from '../people/team-filter';
import * as pipelines from '../pipelines/pipelines.repository';
import { checkCustomFields, checkPicklistValue } from '../settings/settings.service';
import {
  findCompetitor,
  listCustomFields,
  upsertCompetitorByName,
} from '../settings/settings.repository';
import { loadWorkspaceSettings, type WorkspaceSettings } from '../workspace/workspace.service';
import * as repo from './opportunities.repository';
import { insertCollection } from './collections.repository';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/query';

/** Clock skew tolerated for "when it happened" timestamps sent by clients. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export function effectiveProbability(row: repo.OpportunityListed): number {
  const o = row.opportunity;
  if (o.status === 'won') return 100;
  if (o.status === 'lost') return 0;
  return o.winProbability ?? row.stageProbability;
}

export function opportunityOut(row: repo.OpportunityListed) {
  const o = row.opportunity;
  return {
    id: o.id,
    code: o.code,
    name: o.name,
    account: { id: o.accountId, name: row.accountName },
    pipelineId: o.pipelineId,
    stage: {
      id: o.stageId,
      name: row.stageName,
      kind: row.stageKind as 'open',
      position: row.stagePosition,
    },
    status: o.status as 'open',
    owner: { id: o.ownerId, name: row.ownerName },
    teamId: o.teamId,
    needsDescription: o.needsDescription,
    budgetRange: o.budgetRange,
    expectedAmount: formatMoney(o.expectedAmount),
    expectedCloseDate: o.expectedCloseDate,
    source: o.source,
    sourceDetail: o.sourceDetail,
    industry: o.industry,
    region: o.region,
    productLine: o.productLine,
    acquiredAt: o.acquiredAt.toISOString(),
    lateEntry: o.lateEntry,
    marketNotes: o.marketNotes,
    partner: o.partner,
    channelManager: o.channelManager,
    winProbability: o.winProbability,
    effectiveProbability: effectiveProbability(row),
    priority: o.priority as Priority,
    computedPriority: o.computedPriority as Priority,
    priorityOverride: o.priorityOverride
      ? {
          priority: o.priorityOverride as Priority,
          reason: o.priorityOverrideReason,
          by: o.priorityOverrideBy
            ? { id: o.priorityOverrideBy, name: row.overrideByName ?? '' }
            : null,
        }
      : null,
    forecastCategory: (o.forecastCategoryOverride ?? row.stageForecastCategory) as ForecastCategory,
    forecastCategoryOverride: o.forecastCategoryOverride as ForecastCategory | null,
    stageEnteredAt: o.stageEnteredAt.toISOString(),
    nextFollowUpAt: o.nextFollowUpAt?.toISOString() ?? null,
    lastFollowUpAt: o.lastFollowUpAt?.toISOString() ?? null,
    won:
      o.status === 'won' && o.wonAmount !== null
        ? { amount: formatMoney(o.wonAmount), date: o.wonDate ?? '' }
        : null,
    lost:
      o.status === 'lost'
        ? {
            reason: o.lossReason ?? '',
            competitor: o.lostToCompetitorId
              ? { id: o.lostToCompetitorId, name: row.lostCompetitorName ?? '' }
              : null,
            note: o.lossNote,
          }
        : null,
    postponed:
      o.status === 'postponed'
        ? {
            reason: o.postponeReason ?? '',
            remedy: o.postponeRemedy ?? '',
            until: o.postponedUntil,
          }
        : null,
    closedAt: o.closedAt?.toISOString() ?? null,
    customFields: o.customFields as Record<string, unknown>,
    version: o.version,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

type TextOrNull = string | null | undefined;

export interface OpportunityFieldsInput {
  name?: string | undefined;
  accountId?: string | undefined;
  needsDescription?: string | undefined;
  budgetRange?: TextOrNull;
  expectedAmount?: number | undefined;
  expectedCloseDate?: TextOrNull;
  source?: TextOrNull;
  sourceDetail?: TextOrNull;
  industry?: TextOrNull;
  region?: TextOrNull;
  productLine?: TextOrNull;
  marketNotes?: string | undefined;
  partner?: TextOrNull;
  channelManager?: TextOrNull;
  winProbability?: number | null | undefined;
  forecastCategoryOverride?: ForecastCategory | null | undefined;
  customFields?: Record<string, string | number | boolean | null> | undefined;
  contacts?: { contactId: string; role?: string | null | undefined }[] | undefined;
  competitors?:
    | { competitorId?: string | undefined; name?: string | undefined; advantages: string }[]
    | undefined;
}

export interface CreateOpportunityInput extends OpportunityFieldsInput {
  name: string;
  accountId: string;
  ownerId?: string | undefined;
  pipelineId?: string | undefined;
  stageId?: string | undefined;
  stageReason?: string | undefined;
  acquiredAt?: string | undefined;
  firstFollowUpAt?: string | null | undefined;
}

const SCALAR_FIELDS = [
  'name',
  'accountId',
  'needsDescription',
  'budgetRange',
  'expectedAmount',
  'expectedCloseDate',
  'source',
  'sourceDetail',
  'industry',
  'region',
  'productLine',
  'marketNotes',
  'partner',
  'channelManager',
  'winProbability',
  'forecastCategoryOverride',
] as const;

export interface OpportunityServiceDeps {
  db: Db;
  clock: () => Date;
}

/** The start of the stay a change from the current stage to `toStageId` ends (null when it keeps the stage). */
function stayEnded(before: repo.OpportunityListed, toStageId: string): Date | null {
  return before.opportunity.stageId === toStageId ? null : before.opportunity.stageEnteredAt;
}

export class OpportunityService {
  constructor(private readonly deps: OpportunityServiceDeps) {}

  private now(): Date {
    return this.deps.clock();
  }

  /** Loads an opportunity the actor may see, inside a transaction, locked for update. */
  private async loadForWrite(tx: Executor, actor: Actor, id: string, version: number) {
    await repo.lockOpportunity(tx, actor.workspaceId, id);
    const row = await repo.findOpportunity(tx, actor.workspaceId, id);
    requireAccess(
      actor,
      row && { ownerId: row.opportunity.ownerId, teamId: row.opportunity.teamId },
      'opportunity',
    );
    if (row!.opportunity.version !== version)
      throw versionConflict('opportunity', row!.opportunity.version);
    return row!;
  }

  async get(actor: Actor, id: string) {
    return this.deps.db.transaction(async (tx) => this.detail(tx, actor, id));
  }

  private async detail(q: Executor, actor: Actor, id: string) {
    const row = await repo.findOpportunity(q, actor.workspaceId, id);
    requireAccess(
      actor,
      row && { ownerId: row.opportunity.ownerId, teamId: row.opportunity.teamId },
      'opportunity',
    );
    const settings = await loadWorkspaceSettings(q, actor.workspaceId);
    const contacts = await presentContacts(
      q,
      actor,
      await contactsOfOpportunity(q, actor, settings.rules.contactDetailRoles, id),
    );
    const competitors = await repo.competitorsOf(q, actor.workspaceId, id);
    return {
      ...opportunityOut(row!),
      contacts,
      competitors,
      createdBy: row!.opportunity.createdBy
        ? { id: row!.opportunity.createdBy, name: row!.createdByName ?? '' }
        : null,
    };
  }

  async list(
    actor: Actor,
    filter: repo.OpportunityFilter & { teamId?: string | undefined },
    sort: string,
    page: number,
    pageSize: number,
  ) {
    const teamIds = await teamFilter(this.deps.db, actor.workspaceId, filter.teamId);
    const { rows, total } = await repo.listOpportunities(
      this.deps.db,
      actor,
      { ...filter, teamIds },
      sort,
      page,
      pageSize,
    );
    return { items: rows.map(opportunityOut), total, page, pageSize };
  }

  /** Column headers of the board: count, amount and weighted amount per stage for the same filters as the list. */
  async summary(actor: Actor, filter: repo.OpportunityFilter & { teamId?: string | undefined }) {
    const teamIds = await teamFilter(this.deps.db, actor.workspaceId, filter.teamId);
    const rows = await repo.stageSummary(this.deps.db, actor, { ...filter, teamIds });
    return rows.map((r) => ({
      stageId: r.stageId,
      count: r.count,
      amount: formatMoney(r.amount),
      weightedAmount: formatMoney(r.weightedAmount),
    }));
  }

  async create(actor: Actor, input: CreateOpportunityInput) {
    const now = this.now();
    return this.deps.db.transaction(async (tx) => {
      const settings = await loadWorkspaceSettings(tx, actor.workspaceId);
      const ownerId = input.ownerId ?? actor.userId;
      const owner = await people.findMember(tx, actor.workspaceId, ownerId);
      requireAssignable(
        actor,
        owner ? { userId: owner.id, teamId: owner.teamId } : undefined,
        'ownerId',
      );

      const pipeline = input.pipelineId
        ? await pipelines.findPipeline(tx, actor.workspaceId, input.pipelineId)
        : await pipelines.findDefaultPipeline(tx, actor.workspaceId);
      if (!pipeline) throw invalid('pipelineId', 'unknown_reference', { entity: 'pipeline' });
      const stageList = await pipelines.stagesOf(tx, actor.workspaceId, [pipeline.id]);
      const openStages = stageList.filter((s) => s.kind === 'open');
      const stage = input.stageId ? stageList.find((s) => s.id === input.stageId) : openStages[0];
      if (!stage) throw invalid('stageId', 'unknown_reference', { entity: 'stage' });
      if (stage.kind !== 'open')
        throw new DomainError('INVALID_STAGE_MOVE', { why: 'close_instead' }, [
          { path: 'stageId', key: 'invalid' },
        ]);
      const skipsAhead = stage.id !== openStages[0]!.id;
      if (skipsAhead && !input.stageReason) {
        throw new DomainError('REASON_REQUIRED', { action: 'enter_later_stage' }, [
          { path: 'stageReason', key: 'required' },
        ]);
      }

      const acquiredAt = input.acquiredAt ? new Date(input.acquiredAt) : now;
      if (acquiredAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
        throw invalid('acquiredAt', 'in_future');
      await this.checkFields(tx, actor, settings, input, true);
      const gateMissing = missingGateFields(stage.requiredFields, {
        ...input,
        expectedAmount: input.expectedAmount ?? 0,
        contacts: input.contacts ?? [],
        competitors: input.competitors ?? [],
        customFields: input.customFields ?? {},
      });
      const warnings = this.gateOutcome(stage, gateMissing, actor.locale);

      const amount = input.expectedAmount ?? 0;
      const probability = input.winProbability ?? stage.winProbability;
      const priority = computePriority(settings.rules.priorityRules, amount, probability);
      const code = await this.nextCode(tx, settings, now);
      const id = await repo.insertOpportunity(tx, {
        workspaceId: actor.workspaceId,
        code,
        name: input.name,
        accountId: input.accountId,
        pipelineId: pipeline.id,
        stageId: stage.id,
        status: 'open',
        ownerId,
        teamId: owner!.teamId,
        needsDescription: input.needsDescription ?? '',
        budgetRange: input.budgetRange ?? null,
        expectedAmount: amount,
        expectedCloseDate: input.expectedCloseDate ?? null,
        source: input.source ?? null,
        sourceDetail: input.sourceDetail ?? null,
        industry:
          input.industry ??
          (await findAccount(tx, actor.workspaceId, input.accountId))?.account.industry ??
          null,
        region: input.region ?? null,
        productLine: input.productLine ?? null,
        acquiredAt,
        lateEntry: isLateEntry(acquiredAt, now, settings.rules.lateEntryHours),
        marketNotes: input.marketNotes ?? '',
        partner: input.partner ?? null,
        channelManager: input.channelManager ?? null,
        winProbability: input.winProbability ?? null,
        priority,
        computedPriority: priority,
        forecastCategoryOverride: input.forecastCategoryOverride ?? null,
        stageEnteredAt: acquiredAt,
        reachedPosition: stage.position,
        customFields: input.customFields ?? {},
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      });
      await this.writeLinks(tx, actor, id, input);
      await repo.insertStageChange(tx, {
        workspaceId: actor.workspaceId,
        opportunityId: id,
        fromStageId: null,
        toStageId: stage.id,
        kind: 'create',
        status: 'open',
        changedAt: acquiredAt,
        recordedAt: now,
        changedBy: actor.userId,
        reason: input.stageReason ?? null,
      });
      await repo.insertPriorityChange(tx, {
        workspaceId: actor.workspaceId,
        opportunityId: id,
        fromPriority: null,
        toPriority: priority,
        computedPriority: priority,
        kind: 'computed',
        changedBy: actor.userId,
        changedAt: now,
      });
      if (input.firstFollowUpAt !== null) {
        const plannedAt = input.firstFollowUpAt
          ? new Date(input.firstFollowUpAt)
          : nextDueByCadence(acquiredAt, priority, settings.rules.cadenceDays);
        await followUps.insertFollowUp(tx, {
          workspaceId: actor.workspaceId,
          opportunityId: id,
          ownerId,
          status: 'planned',
          method: 'phone',
          plannedAt,
          goal: null,
          plannedByCadence: !input.firstFollowUpAt,
          createdBy: actor.userId,
          createdAt: now,
        });
        await followUps.refreshOpportunityFollowUpDates(tx, id);
      }
      const created = await this.detail(tx, actor, id);
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'create',
        entityType: 'opportunity',
        entityId: id,
        after: created,
      });
      return { opportunity: created, warnings };
    });
  }

  /** The next code of the workspace format, gapless: the counter row is locked until commit. */
  private async nextCode(tx: Executor, settings: WorkspaceSettings, now: Date): Promise<string> {
    const { year, month } = localParts(now, settings.timeZone);
    const periodKey = codePeriodKey(settings.codeFormat, year, month);
    for (;;) {
      const sequence = await repo.nextSequence(tx, settings.id, periodKey);
      const code = formatOpportunityCode(settings.codeFormat, year, month, sequence);
      // An imported record may already hold this code: take the next number instead.
      if (!(await repo.codeExists(tx, settings.id, code))) return code;
    }
  }

  private gateOutcome(stage: pipelines.StageRow, missing: string[], locale: string | null) {
    if (missing.length === 0) return [];
    if (stage.gateMode === 'block') {
      throw new DomainError(
        'STAGE_GATE_UNMET',
        { stage: stage.name, fields: missing.join(', ') },
        missing.map((path) => ({ path, key: 'required' })),
        { stageId: stage.id, missingFields: missing },
      );
    }
    const lang: Locale = locale === 'zh-CN' ? 'zh-CN' : 'en';
    return [
      {
        code: 'STAGE_GATE_UNMET',
        message: translate(lang, 'STAGE_GATE_UNMET', {
          stage: stage.name,
          fields: missing.join(', '),
        }),
        fields: missing,
      },
    ];
  }

  private async checkFields(
    tx: Executor,
    actor: Actor,
    settings: WorkspaceSettings,
    input: OpportunityFieldsInput,
    creating: boolean,
  ) {
    const problems: FieldProblem[] = [];
    if (
      input.accountId !== undefined &&
      !(await findAccount(tx, actor.workspaceId, input.accountId))
    ) {
      problems.push({ path: 'accountId', key: 'unknown_reference', params: { entity: 'account' } });
    }
    for (const [kind, path] of [
      ['source', 'source'],
      ['industry', 'industry'],
      ['region', 'region'],
      ['product_line', 'productLine'],
    ] as const) {
      const problem = await checkPicklistValue(tx, actor.workspaceId, kind, input[path], path);
      if (problem) problems.push(problem);
    }
    if (input.source === 'other' && !input.sourceDetail)
      problems.push({ path: 'sourceDetail', key: 'other_needs_detail' });
    if (input.customFields || creating) {
      const definitions = await listCustomFields(tx, actor.workspaceId, 'opportunity');
      problems.push(
        ...checkCustomFields(definitions, input.customFields ?? {}, { requireAll: creating }),
      );
    }
    if (input.contacts?.length) {
      const known = await contactIdsInWorkspace(
        tx,
        actor.workspaceId,
        input.contacts.map((c) => c.contactId),
      );
      input.contacts.forEach((c, i) => {
        if (!known.has(c.contactId))
          problems.push({
            path: `contacts.${i}.contactId`,
            key: 'unknown_reference',
            params: { entity: 'contact' },
          });
      });
    }
    if (input.competitors?.length) {
      for (const [i, c] of input.competitors.entries()) {
        if (c.competitorId && !(await findCompetitor(tx, actor.workspaceId, c.competitorId))) {
          problems.push({
            path: `competitors.${i}.competitorId`,
            key: 'unknown_reference',
            params: { entity: 'competitor' },
          });
        }
      }
    }
    void settings;
    if (problems.length) throw new DomainError('VALIDATION_FAILED', {}, problems);
  }

  private async writeLinks(tx: Executor, actor: Actor, id: string, input: OpportunityFieldsInput) {
    if (input.contacts) await repo.replaceContacts(tx, actor.workspaceId, id, input.contacts);
    if (input.competitors) {
      const links: { competitorId: string; advantages: string }[] = [];
      for (const c of input.competitors) {
        const competitorId =
          c.competitorId ?? (await upsertCompetitorByName(tx, actor.workspaceId, c.name!)).id;
        links.push({ competitorId, advantages: c.advantages });
      }
      await repo.replaceCompetitors(tx, actor.workspaceId, id, links);
    }
  }

  /** Records a new computed priority when it changes (and the effective one, unless overridden). */
  private async recomputePriority(
    tx: Executor,
    actor: Actor | null,
    settings: WorkspaceSettings,
    row: repo.OpportunityRow,
    amount: number,
    probability: number,
    kind: 'computed' | 'weekly',
  ): Promise<Partial<repo.OpportunityInsert>> {
    const computed = computePriority(settings.rules.priorityRules, amount, probability);
    if (computed === row.computedPriority) return {};
    const effective = effectivePriority(computed, row.priorityOverride as Priority | null);
    await repo.insertPriorityChange(tx, {
      workspaceId: row.workspaceId,
      opportunityId: row.id,
      fromPriority: row.priority,
      toPriority: effective,
      computedPriority: computed,
      kind,
      changedBy: actor?.userId ?? null,
      changedAt: this.now(),
    });
    return { computedPriority: computed, priority: effective };
  }

  async update(actor: Actor, id: string, input: OpportunityFieldsInput & { version: number }) {
    return this.deps.db.transaction(async (tx) => {
      const before = await this.loadForWrite(tx, actor, id, input.version);
      this.requireOpenForEdit(before);
      const settings = await loadWorkspaceSettings(tx, actor.workspaceId);
      const merged = {
        source: input.source === undefined ? before.opportunity.source : input.source,
        sourceDetail:
          input.sourceDetail === undefined ? before.opportunity.sourceDetail : input.sourceDetail,
      };
      await this.checkFields(tx, actor, settings, { ...input, ...merged }, false);
      const values: Partial<repo.OpportunityInsert> = {};
      for (const field of SCALAR_FIELDS) {
        if (input[field] !== undefined) (values as Record<string, unknown>)[field] = input[field];
      }
      if (input.customFields) {
        values.customFields = {
          ...(before.opportunity.customFields as object),
          ...input.customFields,
        };
      }
      const amount = input.expectedAmount ?? before.opportunity.expectedAmount;
      const probability =
        input.winProbability === undefined
          ? (before.opportunity.winProbability ?? before.stageProbability)
          : (input.winProbability ?? before.stageProbability);
      Object.assign(
        values,
        await this.recomputePriority(
          tx,
          actor,
          settings,
          before.opportunity,
          amount,
          probability,
          'computed',
        ),
      );
      await repo.updateOpportunity(tx, id, values);
      await this.writeLinks(tx, actor, id, input);
      const after = await this.detail(tx, actor, id);
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'update',
        entityType: 'opportunity',
        entityId: id,
        before: opportunityOut(before),
        after,
      });
      return after;
    });
  }

  private requireOpenForEdit(row: repo.OpportunityListed) {
    const status = row.opportunity.status;
    if (status === 'won' || status === 'lost')
      throw new DomainError('OPPORTUNITY_CLOSED', { status });
  }

  private requireOpen(row: repo.OpportunityListed) {
    const status = row.opportunity.status;
    if (status !== 'open') throw new DomainError('OPPORTUNITY_CLOSED', { status });
  }

  private checkChangedAt(row: repo.OpportunityListed, changedAt: string | undefined): Date {
    const now = this.now();
    if (!changedAt) return now;
    const at = new Date(changedAt);
    if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) throw invalid('changedAt', 'in_future');
    if (at < row.opportunity.stageEnteredAt)
      throw invalid('changedAt', 'date_order', {
        other: row.opportunity.stageEnteredAt.toISOString(),
      });
    return at;
  }

  /**
   * Puts an opportunity in a stage (a move, a reopen, a win): its new values with the priority
   * recomputed for the amount and probability it then has, the furthest stage raised, and the
   * change kept.
   */
  private async enterStage(
    tx: Executor,
    actor: Actor,
    settings: WorkspaceSettings,
    before: repo.OpportunityListed,
    target: pipelines.StageRow,
    values: Partial<repo.OpportunityInsert>,
    change: {
      kind: string;
      status: 'open' | 'won';
      changedAt: Date;
      recordedAt: Date;
      reason: string | null;
    },
    priced: { amount: number; probability: number } = {
      amount: before.opportunity.expectedAmount,
      probability: before.opportunity.winProbability ?? target.winProbability,
    },
  ): Promise<void> {
    const id = before.opportunity.id;
    Object.assign(
      values,
      await this.recomputePriority(
        tx,
        actor,
        settings,
        before.opportunity,
        priced.amount,
        priced.probability,
        'computed',
      ),
    );
    await repo.updateOpportunity(tx, id, values);
    await repo.raiseReachedPosition(tx, id, target.position);
    await repo.insertStageChange(tx, {
      workspaceId: actor.workspaceId,
      opportunityId: id,
      fromStageId: before.opportunity.stageId,
      toStageId: target.id,
      stayStartedAt: stayEnded(before, target.id),
      changedBy: actor.userId,
      ...change,
    });
  }

  async move(
    actor: Actor,
    id: string,
    input: {
      version: number;
      stageId: string;
      reason?: string | undefined;
      changedAt?: string | undefined;
    },
  ) {
    return this.deps.db.transaction(async (tx) => {
      const before = await this.loadForWrite(tx, actor, id, input.version);
      this.requireOpen(before);
      const stageList = await pipelines.stagesOf(tx, actor.workspaceId, [
        before.opportunity.pipelineId,
      ]);
      const target = stageList.find((s) => s.id === input.stageId);
      if (!target) throw invalid('stageId', 'unknown_reference', { entity: 'stage' });
      if (target.kind !== 'open') {
        throw new DomainError(
          'INVALID_STAGE_MOVE',
          { why: target.kind === 'won' ? 'close_won_instead' : 'close_lost_instead' },
          [{ path: 'stageId', key: 'invalid' }],
        );
      }
      const kind = classifyMove(stageList, before.opportunity.stageId, target.id);
      if (kind === 'same')
        throw new DomainError('INVALID_STAGE_MOVE', { why: 'same_stage' }, [
          { path: 'stageId', key: 'invalid' },
        ]);
      if (moveNeedsReason(kind) && !input.reason) {
        throw new DomainError(
          'REASON_REQUIRED',
          { action: kind === 'skip' ? 'skip' : 'move_back' },
          [{ path: 'reason', key: 'required' }],
        );
      }
      const changedAt = this.checkChangedAt(before, input.changedAt);
      let warnings: ReturnType<OpportunityService['gateOutcome']> = [];
      if (kind !== 'back') {
        const snapshot = {
          ...before.opportunity,
          contacts: new Array(await repo.contactCount(tx, id)).fill(0),
          competitors: new Array(await repo.competitorCount(tx, id)).fill(0),
          customFields: before.opportunity.customFields as Record<string, unknown>,
        };
        warnings = this.gateOutcome(
          target,
          missingGateFields(target.requiredFields, snapshot),
          actor.locale,
        );
      }
      const settings = await loadWorkspaceSettings(tx, actor.workspaceId);
      await this.enterStage(
        tx,
        actor,
        settings,
        before,
        target,
        { stageId: target.id, stageEnteredAt: changedAt },
        { kind, status: 'open', changedAt, recordedAt: this.now(), reason: input.reason ?? null },
      );
      const after = await this.detail(tx, actor, id);
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'move',
        entityType: 'opportunity',
        entityId: id,
        before: { stageId: before.opportunity.stageId, stage: before.stageName },
        after: {
          stageId: target.id,
          stage: target.name,
          kind,
          reason: input.reason ?? null,
          warnings: warnings.map((w) => w.fields),
        },
      });
      return { opportunity: after, warnings };
    });
  }

  async closeWon(
    actor: Actor,
    id: string,
    input: {
      version: number;
      amount: number;
      signedDate: string;
      reason?: string | undefined;
      collections?:
        | {
            expectedDate: string;
            expectedAmount: number;
            actualDate?: string | null | undefined;
            actualAmount?: number | null | undefined;
            note?: string | null | undefined;
          }[]
        | undefined;
    },
  ) {
    return this.deps.db.transaction(async (tx) => {
      const before = await this.loadForWrite(tx, actor, id, input.version);
      this.requireOpen(before);
      const stageList = await pipelines.stagesOf(tx, actor.workspaceId, [
        before.opportunity.pipelineId,
      ]);
      const wonStage = stageList.find((s) => s.kind === 'won')!;
      const now = this.now();
      const settings = await loadWorkspaceSettings(tx, actor.workspaceId);
      const values: Partial<repo.OpportunityInsert> = {
        status: 'won',
        stageId: wonStage.id,
        stageEnteredAt: now,
        wonAmount: input.amount,
        wonDate: input.signedDate,
        closedAt: now,
      };
      await this.enterStage(
        tx,
        actor,
        settings,
        before,
        wonStage,
        values,
        {
          kind: 'won',
          status: 'won',
          changedAt: now,
          recordedAt: now,
          reason: input.reason ?? null,
        },
        { amount: input.amount, probability: 100 },
      );
      for (const c of input.collections ?? []) {
        await insertCollection(tx, {
          workspaceId: actor.workspaceId,
          opportunityId: id,
          expectedDate: c.expectedDate,
          expectedAmount: c.expectedAmount,
          actualDate: c.actualDate ?? null,
          actualAmount: c.actualAmount ?? null,
          note: c.note ?? null,
        });
      }
      await followUps.cancelPlanned(tx, id);
      await followUps.refreshOpportunityFollowUpDates(tx, id);
      const after = await this.detail(tx, actor, id);
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'close_won',
        entityType: 'opportunity',
        entityId: id,
        before: opportunityOut(before),
        after,
      });
      return after;
    });
  }

  async closeLost(
    actor: Actor,
    id: string,
    input: {
      version: number;
      reason: string;
      competitorId?: string | null | undefined;
      competitorName?: string | undefined;
      note?: string | null | undefined;
    },
  ) {
    return this.deps.db.transaction(async (tx) => {
      const before = await this.loadForWrite(tx, actor, id, input.version);
      this.requireOpen(before);
      const problem = await checkPicklistValue(
        tx,
        actor.workspaceId,
        'loss_reason',
        input.reason,
        'reason',
      );
      if (problem) throw new DomainError('VALIDATION_FAILED', {}, [problem]);
      let competitorId: string | null = input.competitorId ?? null;
      if (competitorId && !(await findCompetitor(tx, actor.workspaceId, competitorId))) {
        throw invalid('competitorId', 'unknown_reference', { entity: 'competitor' });
      }
      if (!competitorId && input.competitorName)
        competitorId = (await upsertCompetitorByName(tx, actor.workspaceId, input.competitorName))
          .id;
      const stageList = await pipelines.stagesOf(tx, actor.workspaceId, [
        before.opportunity.pipelineId,
      ]);
      const lostStage = stageList.find((s) => s.kind === 'lost')!;
      const now = this.now();
      await repo.updateOpportunity(tx, id, {
        status: 'lost',
        stageId: lostStage.id,
        stageEnteredAt: now,
        lossReason: input.reason,
        lostFromStageId: before.opportunity.stageId,
        lostToCompetitorId: competitorId,
        lossNote: input.note ?? null,
        closedAt: now,
      });
      await repo.insertStageChange(tx, {
        workspaceId: actor.workspaceId,
        opportunityId: id,
        fromStageId: before.opportunity.stageId,
        toStageId: lostStage.id,
        stayStartedAt: stayEnded(before, lostStage.id),
        kind: 'lost',
        status: 'lost',
        changedAt: now,
        recordedAt: now,
        changedBy: actor.userId,
        reason: input.reason,
      });
      await followUps.cancelPlanned(tx, id);
      await followUps.refreshOpportunityFollowUpDates(tx, id);
      const after = await this.detail(tx, actor, id);
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'close_lost',
        entityType: 'opportunity',
        entityId: id,
        before: opportunityOut(before),
        after,
      });
      return after;
    });
  }

  async postpone(
    actor: Actor,
    id: string,
    input: { version: number; reason: string; remedy: string; until?: string | null | undefined },
  ) {
    return this.deps.db.transaction(async (tx) => {
      const before = await this.loadForWrite(tx, actor, id, input.version);
      this.requireOpen(before);
      const now = this.now();
      await repo.updateOpportunity(tx, id, {
        status: 'postponed',
        postponeReason: input.reason,
        postponeRemedy: input.remedy,
        postponedUntil: input.until ?? null,
      });
      await repo.insertStageChange(tx, {
        workspaceId: actor.workspaceId,
        opportunityId: id,
        fromStageId: before.opportunity.stageId,
        toStageId: before.opportunity.stageId,
        stayStartedAt: stayEnded(before, before.opportunity.stageId),
        kind: 'postpone',
        status: 'postponed',
        changedAt: now,
        recordedAt: now,
        changedBy: actor.userId,
        reason: `${input.reason} / ${input.remedy}`,
      });
      const after = await this.detail(tx, actor, id);
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'postpone',
        entityType: 'opportunity',
        entityId: id,
        before: opportunityOut(before),
        after,
      });
      return after;
    });
  }

  async reopen(
    actor: Actor,
    id: string,
    input: { version: number; reason: string; stageId?: string | undefined },
  ) {
    return this.deps.db.transaction(async (tx) => {
      const before = await this.loadForWrite(tx, actor, id, input.version);
      if (before.opportunity.status === 'open') throw new DomainError('OPPORTUNITY_NOT_CLOSED');
      const stageList = await pipelines.stagesOf(tx, actor.workspaceId, [
        before.opportunity.pipelineId,
      ]);
      let targetId = input.stageId;
      if (!targetId) {
        if (before.opportunity.status === 'postponed') targetId = before.opportunity.stageId;
        else
          targetId =
            (await repo.lastClosingChange(tx, actor.workspaceId, id))?.fromStageId ?? undefined;
        targetId ??= stageList.find((s) => s.kind === 'open')!.id;
      }
      const target = stageList.find((s) => s.id === targetId);
      if (!target || target.kind !== 'open')
        throw invalid('stageId', 'unknown_reference', { entity: 'stage' });
      const now = this.now();
      const settings = await loadWorkspaceSettings(tx, actor.workspaceId);
      const values: Partial<repo.OpportunityInsert> = {
        status: 'open',
        stageId: target.id,
        stageEnteredAt:
          target.id === before.opportunity.stageId ? before.opportunity.stageEnteredAt : now,
        wonAmount: null,
        wonDate: null,
        lossReason: null,
        lostFromStageId: null,
        lostToCompetitorId: null,
        lossNote: null,
        postponeReason: null,
        postponeRemedy: null,
        postponedUntil: null,
        closedAt: null,
      };
      await this.enterStage(tx, actor, settings, before, target, values, {
        kind: 'reopen',
        status: 'open',
        changedAt: now,
        recordedAt: now,
        reason: input.reason,
      });
      const after = await this.detail(tx, actor, id);
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'reopen',
        entityType: 'opportunity',
        entityId: id,
        before: opportunityOut(before),
        after,
      });
      return after;
    });
  }

  /** Reassigning the owner is for managers (within their teams), directors and admins; it is logged. */
  async reassign(
    actor: Actor,
    id: string,
    input: { version: number; ownerId: string; reason: string },
  ) {
    requireRole(actor, 'manager', 'director', 'admin');
    return this.deps.db.transaction(async (tx) => {
      const before = await this.loadForWrite(tx, actor, id, input.version);
      const owner = await people.findMember(tx, actor.workspaceId, input.ownerId);
      requireAssignable(
        actor,
        owner ? { userId: owner.id, teamId: owner.teamId } : undefined,
        'ownerId',
      );
      await repo.updateOpportunity(tx, id, { ownerId: owner!.id, teamId: owner!.teamId });
      await followUps.reassignPlanned(tx, id, owner!.id);
      const after = await this.detail(tx, actor, id);
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'reassign',
        entityType: 'opportunity',
        entityId: id,
        before: {
          owner: { id: before.opportunity.ownerId, name: before.ownerName },
          teamId: before.opportunity.teamId,
        },
        after: {
          owner: { id: owner!.id, name: owner!.name },
          teamId: owner!.teamId,
          reason: input.reason,
        },
      });
      return after;
    });
  }

  async overridePriority(
    actor: Actor,
    id: string,
    input: { version: number; priority: Priority | null; reason?: string | undefined },
  ) {
    return this.deps.db.transaction(async (tx) => {
      const before = await this.loadForWrite(tx, actor, id, input.version);
      if (input.priority && !input.reason) {
        throw new DomainError('REASON_REQUIRED', { action: 'override_priority' }, [
          { path: 'reason', key: 'required' },
        ]);
      }
      const o = before.opportunity;
      const effective = effectivePriority(o.computedPriority as Priority, input.priority);
      await repo.updateOpportunity(tx, id, {
        priorityOverride: input.priority,
        priorityOverrideReason: input.priority ? input.reason : null,
        priorityOverrideBy: input.priority ? actor.userId : null,
        priority: effective,
      });
      await repo.insertPriorityChange(tx, {
        workspaceId: actor.workspaceId,
        opportunityId: id,
        fromPriority: o.priority,
        toPriority: effective,
        computedPriority: o.computedPriority,
        kind: input.priority ? 'override' : 'override_cleared',
        reason: input.reason ?? null,
        changedBy: actor.userId,
        changedAt: this.now(),
      });
      const after = await this.detail(tx, actor, id);
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'priority_override',
        entityType: 'opportunity',
        entityId: id,
        before: { priority: o.priority, override: o.priorityOverride },
        after: { priority: effective, override: input.priority, reason: input.reason ?? null },
      });
      return after;
    });
  }

  /** The weekly job (SPEC F-3): recompute every open opportunity's priority under the current rules. */
  async recomputeAllPriorities(workspaceId: string): Promise<{ checked: number; changed: number }> {
    return this.deps.db.transaction(async (tx) => {
      const settings = await loadWorkspaceSettings(tx, workspaceId);
      const rows = await queryRows<{
        id: string;
        amount: number;
        probability: number;
        computed: string;
      }>(
        tx,
        sql`
        select o.id, o.expected_amount as amount, coalesce(o.win_probability, s.win_probability) as probability,
               o.computed_priority as computed
        from opportunities o join stages s on s.id = o.stage_id
        where o.workspace_id = ${workspaceId} and o.status in ('open', 'postponed')`,
      );
      let changed = 0;
      for (const r of rows) {
        if (
          computePriority(settings.rules.priorityRules, Number(r.amount), Number(r.probability)) ===
          r.computed
        )
          continue;
        const row = await repo.findOpportunity(tx, workspaceId, r.id);
        const values = await this.recomputePriority(
          tx,
          null,
          settings,
          row!.opportunity,
          Number(r.amount),
          Number(r.probability),
          'weekly',
        );
        await repo.updateOpportunity(tx, r.id, values);
        changed++;
      }
      return { checked: rows.length, changed };
    });
  }

  async stageHistory(actor: Actor, id: string) {
    await this.requireVisible(actor, id);
    const rows = await repo.listStageChanges(this.deps.db, actor.workspaceId, id);
    return rows.map((r) => ({
      id: r.id,
      fromStage: r.fromStageId ? { id: r.fromStageId, name: r.fromName ?? '' } : null,
      toStage: { id: r.toStageId, name: r.toName },
      kind: r.kind as StageChangeKind,
      status: r.status as 'open',
      changedAt: r.changedAt.toISOString(),
      recordedAt: r.recordedAt.toISOString(),
      changedBy: r.changedBy ? { id: r.changedBy, name: r.byName ?? '' } : null,
      reason: r.reason,
    }));
  }

  async priorityHistory(actor: Actor, id: string) {
    await this.requireVisible(actor, id);
    const rows = await repo.listPriorityChanges(this.deps.db, actor.workspaceId, id);
    return rows.map((r) => ({
      id: r.change.id,
      fromPriority: r.change.fromPriority as Priority | null,
      toPriority: r.change.toPriority as Priority,
      computedPriority: r.change.computedPriority as Priority,
      kind: r.change.kind as 'computed',
      reason: r.change.reason,
      changedBy: r.change.changedBy ? { id: r.change.changedBy, name: r.byName ?? '' } : null,
      changedAt: r.change.changedAt.toISOString(),
    }));
  }

  async requireVisible(actor: Actor, id: string) {
    const row = await repo.findOpportunity(this.deps.db, actor.workspaceId, id);
    return requireAccess(
      actor,
      row && { ownerId: row.opportunity.ownerId, teamId: row.opportunity.teamId, row },
      'opportunity',
    ).row;
  }
}
