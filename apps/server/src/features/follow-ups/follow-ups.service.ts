/**
 * Follow-ups (SPEC F-4): log what happened (flagged late when recorded > 24 h after), plan the
 * next one (by the priority's cadence unless the rep sets a time), and the due-today / overdue /
 * upcoming queues per rep and team, in the workspace's time zone.
 */
import {
  isLateEntry,
  nextDueByCadence,
  todayBounds,
  type FollowUpMethod,
  type Priority,
} from '@funnel/domain';
import type { Db, Executor } from '../../db/database';
import { DomainError, invalid, notFound, versionConflict } from '../../http/domain-error';
import { opportunityVisibility, requireAccess } from '../access/access';
import type { Actor } from '../access/actor';
import { actorSeesAll } from '../access/actor';
import { recordAudit } from '../audit/audit.repository';
import * as opportunities from '../opportunities/opportunities.repository';
import { teamFilter } from '../people/team-filter';
import { loadWorkspaceSettings } from '../workspace/workspace.service';
import * as repo from './follow-ups.repository';

const FUTURE_TOLERANCE_MS = 5 * 60_000;

export function followUpOut(row: repo.FollowUpListed) {
  const f = row.followUp;
  return {
    id: f.id,
    opportunity: {
      id: f.opportunityId,
      code: row.opportunityCode,
      name: row.opportunityName,
      accountName: row.accountName,
      priority: row.opportunityPriority as Priority,
    },
    owner: { id: f.ownerId, name: row.ownerName },
    status: f.status as 'planned',
    method: f.method as FollowUpMethod,
    plannedAt: f.plannedAt?.toISOString() ?? null,
    goal: f.goal,
    occurredAt: f.occurredAt?.toISOString() ?? null,
    content: f.content,
    nextAction: f.nextAction,
    intentChange: f.intentChange,
    lateEntry: f.lateEntry,
    plannedByCadence: f.plannedByCadence,
    loggedAt: f.loggedAt?.toISOString() ?? null,
    version: f.version,
    createdAt: f.createdAt.toISOString(),
  };
}

export interface LogFollowUpInput {
  occurredAt: string;
  method: FollowUpMethod;
  content: string;
  nextAction?: string | null | undefined;
  intentChange?: string | null | undefined;
  completesFollowUpId?: string | undefined;
  next?:
    | {
        plannedAt?: string | undefined;
        method?: FollowUpMethod | undefined;
        goal?: string | undefined;
      }
    | null
    | undefined;
}

interface ScopeQuery {
  scope: 'mine' | 'team' | 'all';
  ownerId?: string | undefined;
  teamId?: string | undefined;
}

/** Whose follow-ups: mine; my team (managers: their teams); all (directors/admins: everything they see). */
export async function followUpScope(
  db: Db,
  actor: Actor,
  query: ScopeQuery,
): Promise<repo.FollowUpScope> {
  const scope: repo.FollowUpScope = { visibility: opportunityVisibility(actor) };
  if (query.ownerId) scope.ownerIds = [query.ownerId];
  else if (query.scope === 'mine') scope.ownerIds = [actor.userId];
  if (query.teamId) {
    scope.teamIds = await teamFilter(db, actor.workspaceId, query.teamId);
  } else if (query.scope === 'team' && !actorSeesAll(actor)) {
    scope.teamIds =
      actor.role === 'manager' ? [...actor.teamScope!] : actor.teamId ? [actor.teamId] : [];
  }
  return scope;
}

/** The planned-at bounds [from, to) of a due bucket, by the workspace's calendar day. */
export async function bucketBounds(
  db: Db,
  clock: () => Date,
  actor: Actor,
  bucket: 'overdue' | 'today' | 'upcoming',
): Promise<[Date | null, Date | null]> {
  const settings = await loadWorkspaceSettings(db, actor.workspaceId);
  const { start, end } = todayBounds(clock(), settings.timeZone);
  return bucket === 'overdue' ? [null, start] : bucket === 'today' ? [start, end] : [end, null];
}

export class FollowUpService {
  constructor(private readonly deps: { db: Db; clock: () => Date }) {}

  private async writableOpportunity(tx: Executor, actor: Actor, opportunityId: string) {
    await opportunities.lockOpportunity(tx, actor.workspaceId, opportunityId);
    const row = await opportunities.findOpportunity(tx, actor.workspaceId, opportunityId);
    requireAccess(
      actor,
      row && { ownerId: row.opportunity.ownerId, teamId: row.opportunity.teamId },
      'opportunity',
    );
    const status = row!.opportunity.status;
    if (status === 'won' || status === 'lost')
      throw new DomainError('OPPORTUNITY_CLOSED', { status });
    return row!;
  }

  /** Logs a follow-up that happened, completes the planned one it carries out, and plans the next. */
  async log(actor: Actor, opportunityId: string, input: LogFollowUpInput) {
    const now = this.deps.clock();
    const occurredAt = new Date(input.occurredAt);
    if (occurredAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
      throw invalid('occurredAt', 'in_future');
    return this.deps.db.transaction(async (tx) => {
      const opportunity = await this.writableOpportunity(tx, actor, opportunityId);
      const settings = await loadWorkspaceSettings(tx, actor.workspaceId);
      const late = isLateEntry(occurredAt, now, settings.rules.lateEntryHours);
      const planned = input.completesFollowUpId
        ? await repo.findFollowUp(tx, actor.workspaceId, input.completesFollowUpId, true)
        : await repo.earliestPlanned(tx, actor.workspaceId, opportunityId);
      if (
        input.completesFollowUpId &&
        (!planned || planned.opportunityId !== opportunityId || planned.status !== 'planned')
      ) {
        throw invalid('completesFollowUpId', 'unknown_reference', { entity: 'follow_up' });
      }
      const doneValues = {
        status: 'done',
        method: input.method,
        occurredAt,
        content: input.content,
        nextAction: input.nextAction ?? null,
        intentChange: input.intentChange ?? null,
        lateEntry: late,
        loggedAt: now,
      };
      let id: string;
      if (planned) {
        await repo.updateFollowUp(tx, planned.id, doneValues);
        id = planned.id;
      } else {
        id = await repo.insertFollowUp(tx, {
          ...doneValues,
          workspaceId: actor.workspaceId,
          opportunityId,
          ownerId: actor.userId,
          createdBy: actor.userId,
          createdAt: now,
        });
      }
      let nextId: string | null = null;
      if (input.next !== null) {
        const priority = opportunity.opportunity.priority as Priority;
        const plannedAt = input.next?.plannedAt
          ? new Date(input.next.plannedAt)
          : nextDueByCadence(occurredAt, priority, settings.rules.cadenceDays);
        nextId = await repo.insertFollowUp(tx, {
          workspaceId: actor.workspaceId,
          opportunityId,
          ownerId: opportunity.opportunity.ownerId,
          status: 'planned',
          method: input.next?.method ?? input.method,
          plannedAt,
          goal: input.next?.goal ?? input.nextAction ?? null,
          plannedByCadence: !input.next?.plannedAt,
          createdBy: actor.userId,
          createdAt: now,
        });
      }
      await repo.refreshOpportunityFollowUpDates(tx, opportunityId);
      const logged = followUpOut((await repo.findListed(tx, actor.workspaceId, id))!);
      const next = nextId
        ? followUpOut((await repo.findListed(tx, actor.workspaceId, nextId))!)
        : null;
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'log_follow_up',
        entityType: 'opportunity',
        entityId: opportunityId,
        after: { logged, next },
      });
      return { logged, next };
    });
  }

  async plan(
    actor: Actor,
    opportunityId: string,
    input: { plannedAt?: string | undefined; method: FollowUpMethod; goal?: string | undefined },
  ) {
    const now = this.deps.clock();
    return this.deps.db.transaction(async (tx) => {
      const opportunity = await this.writableOpportunity(tx, actor, opportunityId);
      const settings = await loadWorkspaceSettings(tx, actor.workspaceId);
      const base = opportunity.opportunity.lastFollowUpAt ?? now;
      const plannedAt = input.plannedAt
        ? new Date(input.plannedAt)
        : nextDueByCadence(
            base,
            opportunity.opportunity.priority as Priority,
            settings.rules.cadenceDays,
          );
      const id = await repo.insertFollowUp(tx, {
        workspaceId: actor.workspaceId,
        opportunityId,
        ownerId: opportunity.opportunity.ownerId,
        status: 'planned',
        method: input.method,
        plannedAt,
        goal: input.goal ?? null,
        plannedByCadence: !input.plannedAt,
        createdBy: actor.userId,
        createdAt: now,
      });
      await repo.refreshOpportunityFollowUpDates(tx, opportunityId);
      const planned = followUpOut((await repo.findListed(tx, actor.workspaceId, id))!);
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'plan_follow_up',
        entityType: 'opportunity',
        entityId: opportunityId,
        after: planned,
      });
      return planned;
    });
  }

  async update(
    actor: Actor,
    id: string,
    input: {
      version: number;
      plannedAt?: string | undefined;
      method?: FollowUpMethod | undefined;
      goal?: string | null | undefined;
      status?: 'cancelled' | undefined;
    },
  ) {
    return this.deps.db.transaction(async (tx) => {
      const existing = await repo.findFollowUp(tx, actor.workspaceId, id, true);
      if (!existing) throw notFound('follow_up');
      await this.writableOpportunity(tx, actor, existing.opportunityId);
      if (existing.version !== input.version) throw versionConflict('follow_up', existing.version);
      if (existing.status !== 'planned') throw invalid('status', 'invalid');
      const values: Partial<repo.FollowUpRow> = {};
      if (input.plannedAt !== undefined) {
        values.plannedAt = new Date(input.plannedAt);
        values.plannedByCadence = false;
      }
      if (input.method !== undefined) values.method = input.method;
      if (input.goal !== undefined) values.goal = input.goal;
      if (input.status) values.status = input.status;
      await repo.updateFollowUp(tx, id, values);
      await repo.refreshOpportunityFollowUpDates(tx, existing.opportunityId);
      const after = followUpOut((await repo.findListed(tx, actor.workspaceId, id))!);
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'update',
        entityType: 'follow_up',
        entityId: id,
        before: existing,
        after,
      });
      return after;
    });
  }

  async get(actor: Actor, id: string) {
    const row = await repo.findListed(this.deps.db, actor.workspaceId, id);
    if (!row) throw notFound('follow_up');
    const opportunity = await opportunities.findOpportunity(
      this.deps.db,
      actor.workspaceId,
      row.followUp.opportunityId,
    );
    requireAccess(
      actor,
      opportunity && {
        ownerId: opportunity.opportunity.ownerId,
        teamId: opportunity.opportunity.teamId,
      },
      'follow_up',
    );
    return followUpOut(row);
  }

  async forOpportunity(actor: Actor, opportunityId: string) {
    const row = await opportunities.findOpportunity(this.deps.db, actor.workspaceId, opportunityId);
    requireAccess(
      actor,
      row && { ownerId: row.opportunity.ownerId, teamId: row.opportunity.teamId },
      'opportunity',
    );
    return (await repo.listForOpportunity(this.deps.db, actor.workspaceId, opportunityId)).map(
      followUpOut,
    );
  }

  private scopeOf(actor: Actor, query: ScopeQuery): Promise<repo.FollowUpScope> {
    return followUpScope(this.deps.db, actor, query);
  }

  async queue(
    actor: Actor,
    query: {
      scope: 'mine' | 'team' | 'all';
      ownerId?: string | undefined;
      teamId?: string | undefined;
      limit: number;
    },
  ) {
    const settings = await loadWorkspaceSettings(this.deps.db, actor.workspaceId);
    const { start, end } = todayBounds(this.deps.clock(), settings.timeZone);
    const scope = await this.scopeOf(actor, query);
    const overdue = await repo.plannedBetween(
      this.deps.db,
      actor.workspaceId,
      scope,
      null,
      start,
      query.limit,
    );
    const today = await repo.plannedBetween(
      this.deps.db,
      actor.workspaceId,
      scope,
      start,
      end,
      query.limit,
    );
    const upcoming = await repo.plannedBetween(
      this.deps.db,
      actor.workspaceId,
      scope,
      end,
      null,
      query.limit,
    );
    return {
      timeZone: settings.timeZone,
      counts: { overdue: overdue.total, today: today.total, upcoming: upcoming.total },
      overdue: overdue.rows.map(followUpOut),
      today: today.rows.map(followUpOut),
      upcoming: upcoming.rows.map(followUpOut),
    };
  }

  async list(
    actor: Actor,
    query: {
      scope: 'mine' | 'team' | 'all';
      ownerId?: string | undefined;
      teamId?: string | undefined;
      status?: string | undefined;
      bucket?: 'overdue' | 'today' | 'upcoming' | undefined;
      page: number;
      pageSize: number;
    },
  ) {
    const scope = await this.scopeOf(actor, query);
    if (query.bucket) {
      const [from, to] = await bucketBounds(this.deps.db, this.deps.clock, actor, query.bucket);
      const { rows, total } = await repo.plannedBetween(
        this.deps.db,
        actor.workspaceId,
        scope,
        from,
        to,
        query.pageSize,
        (query.page - 1) * query.pageSize,
      );
      return { items: rows.map(followUpOut), total, page: query.page, pageSize: query.pageSize };
    }
    const { rows, total } = await repo.listFollowUps(
      this.deps.db,
      actor.workspaceId,
      scope,
      query.status,
      query.page,
      query.pageSize,
    );
    return { items: rows.map(followUpOut), total, page: query.page, pageSize: query.pageSize };
  }
}
