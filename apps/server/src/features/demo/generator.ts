/**
 * The deterministic data generator behind the demo workspace and the benchmarks: realistic
 * accounts, contacts and opportunities whose stage histories, follow-ups and outcomes follow
 * source quality, rep skill, seasonality and the stages' standard dwell times. Pure: it only
 * produces rows; the seeder writes them.
 */
import {
  accountNameKey,
  computePriority,
  isLateEntry,
  localParts,
  nextDueByCadence,
  type Cadence,
  type Priority,
  type PriorityRule,
} from '@funnel/domain';
import { Random } from './prng';
import {
  DECISION_ROLES,
  FOLLOW_UP_CONTENT,
  INDUSTRIES,
  INTENT_CHANGES,
  LOSS_REASONS_BY_STAGE,
  POSTPONE_REASONS,
  PRODUCT_LINES,
  REGIONS,
  SOURCES,
  TITLES,
  companyName,
  personName,
  shortCompanyName,
} from './demo-catalogue';

const DAY = 86_400_000;
const WAN = 1_000_000; // 1 万元 in 分

/** The budget a customer would state: ±20 % of the amount in 万元, to 0.1 万 below 10 万. */
export function budgetRange(amount: number): string {
  const digits = amount < 10 * WAN ? 1 : 0;
  const wan = (factor: number) => String(Number(((amount * factor) / WAN).toFixed(digits)));
  return `${wan(0.8)}-${wan(1.2)} 万元`;
}

export interface GeneratorStage {
  id: string;
  kind: 'open' | 'won' | 'lost';
  winProbability: number;
  standardDwellDays: number | null;
}

export interface GeneratorRep {
  id: string;
  teamId: string | null;
  /** multiplies advance probabilities; 1 = average */
  skill: number;
}

export interface GeneratorInput {
  seed: number;
  opportunityCount: number;
  accountCount: number;
  now: Date;
  /** how far back acquisitions go */
  days: number;
  timeZone: string;
  stages: GeneratorStage[];
  reps: GeneratorRep[];
  priorityRules: PriorityRule[];
  cadence: Cadence;
  lateEntryHours: number;
  /** follow-ups per opportunity at most (keeps 1M-row data sets manageable) */
  maxFollowUps: number;
}

export interface GeneratedAccount {
  key: number;
  name: string;
  normalizedName: string;
  industry: string;
  employees: number;
  province: string;
  city: string;
  region: string;
  tier: string;
  ownerIndex: number;
  english: boolean;
}

export interface GeneratedContact {
  accountKey: number;
  name: string;
  title: string;
  phone: string;
  email: string | null;
  imHandle: string | null;
  decisionRole: string;
  ownerIndex: number;
}

export interface GeneratedStageChange {
  fromStageId: string | null;
  toStageId: string;
  kind: string;
  status: string;
  changedAt: Date;
  reason: string | null;
}

export interface GeneratedFollowUp {
  status: 'planned' | 'done';
  method: string;
  plannedAt: Date | null;
  occurredAt: Date | null;
  content: string | null;
  nextAction: string | null;
  intentChange: string | null;
  lateEntry: boolean;
  plannedByCadence: boolean;
}

export interface GeneratedOpportunity {
  index: number;
  accountKey: number;
  repIndex: number;
  name: string;
  stageId: string;
  status: 'open' | 'won' | 'lost' | 'postponed';
  needsDescription: string;
  budgetRange: string;
  expectedAmount: number;
  expectedCloseDate: string;
  source: string;
  sourceDetail: string | null;
  industry: string;
  region: string;
  productLine: string;
  acquiredAt: Date;
  createdAt: Date;
  lateEntry: boolean;
  marketNotes: string;
  priority: Priority;
  stageEnteredAt: Date;
  wonAmount: number | null;
  wonDate: string | null;
  lossReason: string | null;
  competitorIndex: number | null;
  postponeReason: string | null;
  postponeRemedy: string | null;
  closedAt: Date | null;
  decisionChain: number;
  history: GeneratedStageChange[];
  followUps: GeneratedFollowUp[];
  contactIndexes: number[];
}

const METHODS = ['phone', 'phone', 'visit', 'email', 'online_meeting', 'im'];
/** Acquisition weight by month (Jan..Dec): spring and autumn peaks, a quiet Spring Festival. */
const SEASONALITY = [0.6, 0.55, 1.1, 1.2, 1.2, 1.1, 0.9, 0.85, 1.15, 1.1, 1.2, 1.0];

export function generateAccounts(input: GeneratorInput): {
  accounts: GeneratedAccount[];
  contacts: GeneratedContact[];
} {
  const random = new Random(input.seed * 7919 + 1);
  const pick = <T>(items: readonly T[]) => random.pick(items);
  const accounts: GeneratedAccount[] = [];
  const contacts: GeneratedContact[] = [];
  const seen = new Set<string>();
  for (let key = 0; key < input.accountCount; key++) {
    const industry = random.pick(INDUSTRIES).code;
    const english = random.chance(0.12);
    let name = companyName(pick, industry, english, 0);
    let serial = 2;
    while (seen.has(accountNameKey(name))) name = companyName(pick, industry, english, serial++);
    seen.add(accountNameKey(name));
    const region = random.pick(REGIONS);
    const [province, cities] = random.pick(region.provinces);
    const employees = Math.round(random.logNormal(120, 1.3)) + 5;
    const tier = employees > 1000 ? 'A+' : employees > 300 ? 'A' : employees > 60 ? 'B' : 'C';
    const ownerIndex = random.int(0, input.reps.length - 1);
    accounts.push({
      key,
      name,
      normalizedName: accountNameKey(name),
      industry,
      employees,
      province,
      city: random.pick(cities),
      region: region.code,
      tier,
      ownerIndex,
      english,
    });
    const contactCount = random.int(1, 3);
    for (let c = 0; c < contactCount; c++) {
      const person = personName(pick, english);
      contacts.push({
        accountKey: key,
        name: person,
        title: random.pick(TITLES),
        phone: `1${random.pick(['3', '5', '8'])}${String(random.int(0, 999_999_999)).padStart(9, '0')}`,
        email: random.chance(0.7) ? `contact${key}_${c}@example.com` : null,
        imHandle: random.chance(0.5) ? `wx_${key}_${c}` : null,
        decisionRole: random.pick(DECISION_ROLES),
        ownerIndex,
      });
    }
  }
  return { accounts, contacts };
}

/** Yields opportunities in batches, each with its full history; deterministic for a seed. */
export function* generateOpportunities(
  input: GeneratorInput,
  accounts: GeneratedAccount[],
  contactsByAccount: Map<number, number[]>,
  batchSize = 1000,
): Generator<GeneratedOpportunity[]> {
  const random = new Random(input.seed);
  const open = input.stages.filter((s) => s.kind === 'open');
  const won = input.stages.find((s) => s.kind === 'won')!;
  const lost = input.stages.find((s) => s.kind === 'lost')!;
  const nowMs = input.now.getTime();
  const startMs = nowMs - input.days * DAY;
  const monthWeights = SEASONALITY;
  let batch: GeneratedOpportunity[] = [];
  for (let index = 0; index < input.opportunityCount; index++) {
    // acquisition time: uniform with seasonal rejection sampling
    let acquiredMs = startMs;
    for (let tries = 0; tries < 20; tries++) {
      acquiredMs = startMs + random.next() * (nowMs - startMs);
      const month = new Date(acquiredMs).getUTCMonth();
      if (random.next() * 1.2 < monthWeights[month]!) break;
    }
    const account = accounts[random.int(0, accounts.length - 1)]!;
    const repIndex = random.chance(0.8) ? account.ownerIndex : random.int(0, input.reps.length - 1);
    const rep = input.reps[repIndex]!;
    const source = random.weighted(SOURCES.map((s) => ({ value: s, weight: s.weight })));
    const product = random.pick(PRODUCT_LINES);
    const amount = Math.max(
      5_000_00,
      Math.round((random.logNormal(product.medianWan * source.size, 0.7) * WAN) / 100_00) * 100_00,
    );
    const late = random.chance(0.06);
    const createdMs = late
      ? acquiredMs + random.int(25, 96) * 3_600_000
      : acquiredMs + random.int(5, 600) * 60_000;

    const history: GeneratedStageChange[] = [];
    // Returning customers sometimes enter later (skipped stages count as passed).
    let position = random.chance(0.06) ? Math.min(2, open.length - 2) : 0;
    history.push({
      fromStageId: null,
      toStageId: open[position]!.id,
      kind: 'create',
      status: 'open',
      changedAt: new Date(acquiredMs),
      reason: position > 0 ? '老客户复购,直接进入方案阶段' : null,
    });
    let cursor = acquiredMs;
    let status: GeneratedOpportunity['status'] = 'open';
    let lossReason: string | null = null;
    let competitorIndex: number | null = null;
    let wonAmount: number | null = null;
    let closedMs: number | null = null;
    let movedBack = false;
    for (;;) {
      const stage = open[position]!;
      const dwell = random.logNormal(stage.standardDwellDays ?? 10, 0.6) * DAY;
      const next = cursor + dwell;
      if (next > nowMs) break; // still in this stage today
      const base = [0.72, 0.7, 0.66, 0.78, 0.88][Math.min(position, 4)]!;
      const pAdvance = Math.min(0.97, base * source.quality * rep.skill);
      cursor = next;
      if (random.next() < pAdvance) {
        if (!movedBack && position > 0 && random.chance(0.03)) {
          history.push({
            fromStageId: stage.id,
            toStageId: open[position - 1]!.id,
            kind: 'back',
            status: 'open',
            changedAt: new Date(cursor),
            reason: '客户需求变化,重新确认',
          });
          position -= 1;
          movedBack = true;
          continue;
        }
        const skip = position + 2 < open.length && random.chance(0.04) ? 2 : 1;
        if (position + skip >= open.length) {
          const value = Math.round((amount * (0.85 + random.next() * 0.25)) / 100) * 100;
          history.push({
            fromStageId: stage.id,
            toStageId: won.id,
            kind: 'won',
            status: 'won',
            changedAt: new Date(cursor),
            reason: null,
          });
          status = 'won';
          wonAmount = value;
          closedMs = cursor;
          break;
        }
        const target = open[position + skip]!;
        history.push({
          fromStageId: stage.id,
          toStageId: target.id,
          kind: skip > 1 ? 'skip' : 'forward',
          status: 'open',
          changedAt: new Date(cursor),
          reason: skip > 1 ? '客户决策加速,跳过阶段' : null,
        });
        position += skip;
      } else {
        lossReason = random.pick(
          LOSS_REASONS_BY_STAGE[Math.min(position, LOSS_REASONS_BY_STAGE.length - 1)]!,
        );
        if (lossReason === 'chose_competitor' || lossReason === 'competitor_advantage')
          competitorIndex = random.int(0, 4);
        history.push({
          fromStageId: stage.id,
          toStageId: lost.id,
          kind: 'lost',
          status: 'lost',
          changedAt: new Date(cursor),
          reason: lossReason,
        });
        status = 'lost';
        closedMs = cursor;
        break;
      }
    }
    const current = history[history.length - 1]!;
    let postponeReason: string | null = null;
    if (status === 'open' && random.chance(0.03)) {
      status = 'postponed';
      postponeReason = random.pick(POSTPONE_REASONS).zh;
      const at = Math.min(nowMs - DAY, cursor + DAY);
      history.push({
        fromStageId: current.toStageId,
        toStageId: current.toStageId,
        kind: 'postpone',
        status: 'postponed',
        changedAt: new Date(Math.max(at, cursor)),
        reason: postponeReason,
      });
    }
    const stageId = current.toStageId;
    const stageProbability = input.stages.find((s) => s.id === stageId)!.winProbability;
    const priority = computePriority(
      input.priorityRules,
      amount,
      status === 'won' ? 100 : stageProbability,
    );
    const closeMs = closedMs ?? acquiredMs + random.int(30, 150) * DAY;

    // follow-ups every cadence interval while active, then the next planned one for open deals
    const followUps: GeneratedFollowUp[] = [];
    const endMs = closedMs ?? (status === 'postponed' ? cursor : nowMs);
    // Each done follow-up fulfils the one planned by the cadence; reps are early, on time or late.
    let plannedMs = acquiredMs + random.int(2, 30) * 3_600_000;
    while (plannedMs < endMs && followUps.length < input.maxFollowUps) {
      const slip = random.chance(0.15)
        ? random.int(25, 96) * 3_600_000
        : random.normal() * 6 * 3_600_000;
      const contactMs = Math.min(endMs, Math.max(acquiredMs, plannedMs + slip));
      const loggedLate = random.chance(0.05);
      followUps.push({
        status: 'done',
        method: random.pick(METHODS),
        plannedAt: new Date(plannedMs),
        occurredAt: new Date(contactMs),
        content: random.pick(FOLLOW_UP_CONTENT),
        nextAction: '按计划继续跟进',
        intentChange: random.pick(INTENT_CHANGES),
        lateEntry:
          loggedLate &&
          isLateEntry(
            new Date(contactMs),
            new Date(contactMs + 30 * 3_600_000),
            input.lateEntryHours,
          ),
        plannedByCadence: true,
      });
      plannedMs = Math.max(
        contactMs + DAY / 2,
        nextDueByCadence(new Date(contactMs), priority, input.cadence).getTime(),
      );
    }
    if (status === 'open') {
      const last = followUps[followUps.length - 1]?.occurredAt ?? new Date(acquiredMs);
      // Some reps fall behind: their next follow-up is overdue.
      const due = nextDueByCadence(last, priority, input.cadence);
      followUps.push({
        status: 'planned',
        method: random.pick(METHODS),
        plannedAt: due,
        occurredAt: null,
        content: null,
        nextAction: null,
        intentChange: null,
        lateEntry: false,
        plannedByCadence: true,
      });
    }
    const contacts = contactsByAccount.get(account.key) ?? [];
    const { year, month, day } = localParts(new Date(closeMs), input.timeZone);
    const closeDate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    batch.push({
      index,
      accountKey: account.key,
      repIndex,
      name: `${product.zh} · ${shortCompanyName(account.name)}`,
      stageId,
      status,
      needsDescription: `采购${product.zh},预算约 ${Math.round(amount / WAN)} 万元`,
      budgetRange: budgetRange(amount),
      expectedAmount: amount,
      expectedCloseDate: closeDate,
      source: source.code,
      sourceDetail: source.code === 'other' ? '合作伙伴推荐' : null,
      industry: account.industry,
      region: account.region,
      productLine: product.code,
      acquiredAt: new Date(acquiredMs),
      createdAt: new Date(Math.min(createdMs, nowMs)),
      lateEntry: isLateEntry(
        new Date(acquiredMs),
        new Date(Math.min(createdMs, nowMs)),
        input.lateEntryHours,
      ),
      marketNotes: random.chance(0.2) ? '竞品近期有降价促销,需强调服务响应速度' : '',
      priority,
      stageEnteredAt: current.changedAt,
      wonAmount,
      wonDate: status === 'won' ? closeDate : null,
      lossReason,
      competitorIndex,
      postponeReason,
      postponeRemedy: postponeReason ? '保持季度回访,跟踪预算进展' : null,
      closedAt: closedMs === null ? null : new Date(closedMs),
      decisionChain: random.int(1, 8),
      history,
      followUps,
      contactIndexes: contacts.length ? [contacts[random.int(0, contacts.length - 1)]!] : [],
    });
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
