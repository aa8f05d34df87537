/**
 * Creates (or recreates) the demo workspace: teams, users of every role, the standard pipeline,
 * value lists, and generated records. Used by `npm start` on first run, `funnel demo`, and the
 * benchmarks (`--size`). Bulk inserts in batches; one transaction for the reference data.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, like, sql } from 'drizzle-orm';
import {
  PIPELINE_PRESETS,
  codePeriodKey,
  formatOpportunityCode,
  localParts,
  resolveWorkspaceRules,
  stayStartsOf,
  type Role,
} from '@funnel/domain';
import type { Db, Executor } from '../../db/database';
import {
  accounts,
  codeSequences,
  contacts,
  followUps,
  memberships,
  opportunities,
  opportunityContacts,
  priorityChanges,
  stageChanges,
  users,
  workspaces,
} from '../../db/schema';
import { hashPassword } from '../auth/password';
import { createPipelineIn } from '../pipelines/pipelines.service';
import * as pipelinesRepo from '../pipelines/pipelines.repository';
import * as settingsRepo from '../settings/settings.repository';
import * as people from '../people/people.repository';
import { insertWorkspace } from '../workspace/workspace.repository';
import {
  COMPETITORS,
  INDUSTRIES,
  LOSS_REASONS,
  POSTPONE_REASONS,
  PRODUCT_LINES,
  REGIONS,
  SOURCES,
  personName,
} from './demo-catalogue';
import { generateAccounts, generateOpportunities, type GeneratorInput } from './generator';
import { Random } from './prng';

export const DEMO_WORKSPACE_NAME = 'Funnel 演示工作区';
export const DEMO_EMAIL_DOMAIN = 'funnel.demo';
export const DEMO_PASSWORD = 'demo1234';

export const DEMO_SIZES = { demo: 400, '10k': 10_000, '100k': 100_000, '1m': 1_000_000 } as const;
/** More opportunities need more reps: extra (generated) reps per size, spread over more teams. */
const EXTRA_REPS: Record<keyof typeof DEMO_SIZES, number> = {
  demo: 0,
  '10k': 15,
  '100k': 90,
  '1m': 490,
};
const EXTRA_TEAMS = [
  { name: '华南大区', parent: '销售中心' },
  { name: '西部大区', parent: '销售中心' },
];
export type DemoSize = keyof typeof DEMO_SIZES;

interface DemoUser {
  email: string;
  name: string;
  role: Role;
  team: string | null;
  skill: number;
}

const TEAMS: { name: string; parent: string | null }[] = [
  { name: '销售中心', parent: null },
  { name: '华东大区', parent: '销售中心' },
  { name: '华北大区', parent: '销售中心' },
  { name: '华东一组', parent: '华东大区' },
];

export const DEMO_USERS: DemoUser[] = [
  {
    email: `admin@${DEMO_EMAIL_DOMAIN}`,
    name: '系统管理员',
    role: 'admin',
    team: '销售中心',
    skill: 1,
  },
  {
    email: `director@${DEMO_EMAIL_DOMAIN}`,
    name: '周总监',
    role: 'director',
    team: '销售中心',
    skill: 1,
  },
  {
    email: `manager.east@${DEMO_EMAIL_DOMAIN}`,
    name: '陈经理',
    role: 'manager',
    team: '华东大区',
    skill: 1.05,
  },
  {
    email: `manager.north@${DEMO_EMAIL_DOMAIN}`,
    name: '林经理',
    role: 'manager',
    team: '华北大区',
    skill: 1,
  },
  {
    email: `rep.wang@${DEMO_EMAIL_DOMAIN}`,
    name: '王芳',
    role: 'rep',
    team: '华东一组',
    skill: 1.15,
  },
  {
    email: `rep.li@${DEMO_EMAIL_DOMAIN}`,
    name: '李强',
    role: 'rep',
    team: '华东一组',
    skill: 0.85,
  },
  {
    email: `rep.zhang@${DEMO_EMAIL_DOMAIN}`,
    name: '张伟',
    role: 'rep',
    team: '华东大区',
    skill: 1.0,
  },
  {
    email: `rep.zhao@${DEMO_EMAIL_DOMAIN}`,
    name: '赵敏',
    role: 'rep',
    team: '华北大区',
    skill: 1.08,
  },
  {
    email: `rep.liu@${DEMO_EMAIL_DOMAIN}`,
    name: '刘洋',
    role: 'rep',
    team: '华北大区',
    skill: 0.9,
  },
];

export interface SeedOptions {
  size?: DemoSize;
  seed?: number;
  now?: Date;
  /** progress callback: rows of opportunities written so far */
  onProgress?: (done: number, total: number) => void;
}

export interface SeedResult {
  workspaceId: string;
  opportunities: number;
  users: { email: string; role: Role; password: string }[];
}

export async function findDemoWorkspace(q: Executor): Promise<string | undefined> {
  const [row] = await q
    .select({ id: workspaces.id })
    .from(workspaces)
    .where(eq(workspaces.name, DEMO_WORKSPACE_NAME));
  return row?.id;
}

/** Removes the demo workspace and the demo users that belong to no other workspace. */
export async function removeDemoWorkspace(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    const id = await findDemoWorkspace(tx);
    if (id) {
      // History rows point at stages and users without cascades of their own: remove children first.
      for (const table of [
        'audit_log',
        'stage_changes',
        'priority_changes',
        'follow_ups',
        'collections',
        'opportunity_contacts',
        'opportunity_competitors',
      ]) {
        await tx.execute(sql`delete from ${sql.identifier(table)} where workspace_id = ${id}`);
      }
      await tx.delete(opportunities).where(eq(opportunities.workspaceId, id));
      await tx.delete(workspaces).where(eq(workspaces.id, id));
    }
    const orphans = await tx
      .select({ id: users.id })
      .from(users)
      .where(
        and(
          like(users.email, `%@${DEMO_EMAIL_DOMAIN}`),
          sql`not exists (select 1 from memberships m where m.user_id = ${users.id})`,
        ),
      );
    if (orphans.length) {
      await tx.delete(users).where(
        inArray(
          users.id,
          orphans.map((o) => o.id),
        ),
      );
    }
  });
}

export async function seedDemo(db: Db, options: SeedOptions = {}): Promise<SeedResult> {
  const size = options.size ?? 'demo';
  const seed = options.seed ?? 20240501;
  const now = options.now ?? new Date();
  await removeDemoWorkspace(db);
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  const reference = await db.transaction(async (tx) => {
    const workspaceId = await insertWorkspace(tx, {
      name: DEMO_WORKSPACE_NAME,
      timeZone: 'Asia/Shanghai',
      currency: 'CNY',
      locale: 'zh-CN',
      codeFormat: '{YYYY}{MM}-{SEQ:3}',
      settings: {},
    });
    const teamIds = new Map<string, string>();
    for (const team of size === 'demo' ? TEAMS : [...TEAMS, ...EXTRA_TEAMS]) {
      const row = await people.insertTeam(tx, {
        workspaceId,
        name: team.name,
        parentId: team.parent ? teamIds.get(team.parent)! : null,
      });
      teamIds.set(team.name, row.id);
    }
    const userIds: string[] = [];
    for (const user of DEMO_USERS) {
      const existing = await people.userIdByEmail(tx, user.email);
      const id =
        existing ??
        (await people.insertUser(tx, { email: user.email, name: user.name, passwordHash }));
      if (existing)
        await people.updateUser(tx, id, { name: user.name, passwordHash, active: true });
      await people.insertMembership(tx, {
        workspaceId,
        userId: id,
        role: user.role,
        teamId: user.team ? teamIds.get(user.team)! : null,
      });
      userIds.push(id);
    }
    const preset = PIPELINE_PRESETS.find((p) => p.key === 'standard6')!;
    const pipelineId = await createPipelineIn(tx, workspaceId, {
      name: '标准销售流程',
      isDefault: true,
      stages: preset.stages,
    });
    const lists: [string, { code: string; zh: string; en: string }[]][] = [
      ['source', SOURCES],
      ['industry', INDUSTRIES],
      ['region', REGIONS],
      ['product_line', PRODUCT_LINES],
      ['loss_reason', LOSS_REASONS],
      ['postpone_reason', POSTPONE_REASONS],
    ];
    for (const [kind, values] of lists) {
      let position = 0;
      for (const value of values) {
        await settingsRepo.insertPicklistValue(tx, {
          workspaceId,
          kind,
          code: value.code,
          labelZh: value.zh,
          labelEn: value.en,
          position: position++,
        });
      }
    }
    await settingsRepo.insertCustomField(tx, {
      workspaceId,
      entity: 'opportunity',
      key: 'decision_chain',
      labelZh: '客户决策链人数',
      labelEn: 'People in the decision chain',
      type: 'number',
    });
    const competitorIds: string[] = [];
    for (const competitor of COMPETITORS) {
      competitorIds.push(
        (await settingsRepo.insertCompetitor(tx, { workspaceId, ...competitor }))!.id,
      );
    }
    const stageRows = await pipelinesRepo.stagesOf(tx, workspaceId, [pipelineId]);
    // Extra reps for the larger sizes: generated names, spread over the sales teams, varied skill.
    const extra: { id: string; skill: number }[] = [];
    const random = new Random(seed + 99);
    const pick = <T>(items: readonly T[]) => random.pick(items);
    const salesTeams = ['华东一组', '华东大区', '华北大区', '华南大区', '西部大区'];
    const extraCount = EXTRA_REPS[size];
    for (let i = 0; i < extraCount; i += 500) {
      const batch = Array.from({ length: Math.min(500, extraCount - i) }, (_, j) => ({
        email: `rep${i + j + 1}@${DEMO_EMAIL_DOMAIN}`,
        name: personName(pick, random.chance(0.1)),
        passwordHash,
      }));
      await tx.delete(users).where(
        inArray(
          users.email,
          batch.map((b) => b.email),
        ),
      );
      const rows = await tx.insert(users).values(batch).returning({ id: users.id });
      await tx.insert(memberships).values(
        rows.map((r, j) => ({
          workspaceId,
          userId: r.id,
          role: 'rep',
          teamId: teamIds.get(salesTeams[(i + j) % salesTeams.length]!)!,
        })),
      );
      for (const r of rows)
        extra.push({ id: r.id, skill: Math.max(0.6, Math.min(1.4, 1 + random.normal() * 0.15)) });
    }
    return { workspaceId, teamIds, userIds, pipelineId, competitorIds, stageRows, extra };
  });

  const { workspaceId, userIds, pipelineId, competitorIds, stageRows } = reference;
  const repIndexes = DEMO_USERS.map((u, i) => ({ u, i })).filter(
    ({ u }) => u.role === 'rep' || u.role === 'manager',
  );
  const memberTeams = await db
    .select({ userId: memberships.userId, teamId: memberships.teamId })
    .from(memberships)
    .where(eq(memberships.workspaceId, workspaceId));
  const teamOf = new Map(memberTeams.map((m) => [m.userId, m.teamId]));
  const reps = [
    ...repIndexes.map(({ u, i }) => ({
      id: userIds[i]!,
      teamId: teamOf.get(userIds[i]!) ?? null,
      skill: u.skill,
    })),
    ...reference.extra.map((r) => ({ id: r.id, teamId: teamOf.get(r.id) ?? null, skill: r.skill })),
  ];
  const rules = resolveWorkspaceRules({});
  const count = DEMO_SIZES[size];
  const input: GeneratorInput = {
    seed,
    opportunityCount: count,
    accountCount: Math.max(60, Math.round(count / 4)),
    now,
    days: size === 'demo' ? 400 : 730,
    timeZone: 'Asia/Shanghai',
    stages: stageRows.map((s) => ({
      id: s.id,
      kind: s.kind,
      winProbability: s.winProbability,
      standardDwellDays: s.standardDwellDays,
    })),
    reps,
    priorityRules: rules.priorityRules,
    cadence: rules.cadenceDays,
    lateEntryHours: rules.lateEntryHours,
    maxFollowUps: size === '1m' ? 3 : size === '100k' ? 5 : 10,
  };

  const generated = generateAccounts(input);
  const accountIds = generated.accounts.map(() => randomUUID());
  const contactIds = generated.contacts.map(() => randomUUID());
  const contactsByAccount = new Map<number, number[]>();
  generated.contacts.forEach((c, i) =>
    contactsByAccount.set(c.accountKey, [...(contactsByAccount.get(c.accountKey) ?? []), i]),
  );

  for (let i = 0; i < generated.accounts.length; i += 1000) {
    await db.insert(accounts).values(
      generated.accounts.slice(i, i + 1000).map((a) => ({
        id: accountIds[a.key]!,
        workspaceId,
        name: a.name,
        normalizedName: a.normalizedName,
        industry: a.industry,
        employees: a.employees,
        province: a.province,
        city: a.city,
        region: a.region,
        tier: a.tier,
        ownerId: reps[a.ownerIndex]!.id,
        createdBy: reps[a.ownerIndex]!.id,
        createdAt: new Date(now.getTime() - input.days * 86_400_000),
      })),
    );
  }
  for (let i = 0; i < generated.contacts.length; i += 1000) {
    await db.insert(contacts).values(
      generated.contacts.slice(i, i + 1000).map((c, j) => ({
        id: contactIds[i + j]!,
        workspaceId,
        accountId: accountIds[c.accountKey]!,
        name: c.name,
        title: c.title,
        phone: c.phone,
        email: c.email,
        imHandle: c.imHandle,
        decisionRole: c.decisionRole,
        ownerId: reps[c.ownerIndex]!.id,
        createdBy: reps[c.ownerIndex]!.id,
      })),
    );
  }

  const codeFormat = '{YYYY}{MM}-{SEQ:3}';
  const positionOf = new Map(
    stageRows.filter((s) => s.kind !== 'lost').map((s) => [s.id, s.position]),
  );
  const sequences = new Map<string, number>();
  let written = 0;
  for (const batch of generateOpportunities(input, generated.accounts, contactsByAccount)) {
    const ids = batch.map(() => randomUUID());
    await db.transaction(async (tx) => {
      await tx.insert(opportunities).values(
        batch.map((o, i) => {
          const { year, month } = localParts(o.createdAt, input.timeZone);
          const key = codePeriodKey(codeFormat, year, month);
          const seq = (sequences.get(key) ?? 0) + 1;
          sequences.set(key, seq);
          const rep = reps[o.repIndex]!;
          const nextPlanned = o.followUps.find((f) => f.status === 'planned')?.plannedAt ?? null;
          const lastDone =
            [...o.followUps].reverse().find((f) => f.status === 'done')?.occurredAt ?? null;
          return {
            id: ids[i]!,
            workspaceId,
            code: formatOpportunityCode(codeFormat, year, month, seq),
            name: o.name,
            accountId: accountIds[o.accountKey]!,
            pipelineId,
            stageId: o.stageId,
            status: o.status,
            ownerId: rep.id,
            teamId: rep.teamId,
            needsDescription: o.needsDescription,
            budgetRange: o.budgetRange,
            expectedAmount: o.expectedAmount,
            expectedCloseDate: o.expectedCloseDate,
            source: o.source,
            sourceDetail: o.sourceDetail,
            industry: o.industry,
            region: o.region,
            productLine: o.productLine,
            acquiredAt: o.acquiredAt,
            lateEntry: o.lateEntry,
            marketNotes: o.marketNotes,
            priority: o.priority,
            computedPriority: o.priority,
            stageEnteredAt: o.stageEnteredAt,
            reachedPosition: Math.max(...o.history.map((h) => positionOf.get(h.toStageId) ?? 0), 1),
            nextFollowUpAt: nextPlanned,
            lastFollowUpAt: lastDone,
            wonAmount: o.wonAmount,
            wonDate: o.wonDate,
            lossReason: o.lossReason,
            lostFromStageId:
              o.status === 'lost'
                ? ([...o.history].reverse().find((h) => h.kind === 'lost')?.fromStageId ?? null)
                : null,
            lostToCompetitorId:
              o.competitorIndex === null ? null : competitorIds[o.competitorIndex]!,
            postponeReason: o.postponeReason,
            postponeRemedy: o.postponeRemedy,
            closedAt: o.closedAt,
            customFields: { decision_chain: o.decisionChain },
            createdBy: rep.id,
            createdAt: o.createdAt,
            updatedAt: new Date(
              Math.max(o.createdAt.getTime(), (o.closedAt ?? o.stageEnteredAt).getTime()),
            ),
          };
        }),
      );
      const history = batch.flatMap((o, i) => {
        const stays = stayStartsOf(o.history);
        return o.history.map((h, j) => ({
          stayStartedAt: stays[j],
          workspaceId,
          opportunityId: ids[i]!,
          fromStageId: h.fromStageId,
          toStageId: h.toStageId,
          kind: h.kind,
          status: h.status,
          changedAt: h.changedAt,
          recordedAt: h.changedAt,
          changedBy: reps[o.repIndex]!.id,
          reason: h.reason,
        }));
      });
      for (let i = 0; i < history.length; i += 2000)
        await tx.insert(stageChanges).values(history.slice(i, i + 2000));
      const followUpRows = batch.flatMap((o, i) =>
        o.followUps.map((f) => ({
          workspaceId,
          opportunityId: ids[i]!,
          ownerId: reps[o.repIndex]!.id,
          status: f.status,
          method: f.method,
          plannedAt: f.plannedAt,
          occurredAt: f.occurredAt,
          content: f.content,
          nextAction: f.nextAction,
          intentChange: f.intentChange,
          lateEntry: f.lateEntry,
          plannedByCadence: f.plannedByCadence,
          loggedAt: f.occurredAt,
          createdBy: reps[o.repIndex]!.id,
          createdAt: f.occurredAt ?? o.createdAt,
        })),
      );
      for (let i = 0; i < followUpRows.length; i += 2000)
        await tx.insert(followUps).values(followUpRows.slice(i, i + 2000));
      const links = batch.flatMap((o, i) =>
        o.contactIndexes.map((c) => ({
          workspaceId,
          opportunityId: ids[i]!,
          contactId: contactIds[c]!,
          role: '主要联系人',
        })),
      );
      if (links.length) await tx.insert(opportunityContacts).values(links);
      await tx.insert(priorityChanges).values(
        batch.map((o, i) => ({
          workspaceId,
          opportunityId: ids[i]!,
          fromPriority: null,
          toPriority: o.priority,
          computedPriority: o.priority,
          kind: 'computed',
          changedBy: reps[o.repIndex]!.id,
          changedAt: o.createdAt,
        })),
      );
    });
    written += batch.length;
    options.onProgress?.(written, count);
  }
  for (const [periodKey, lastValue] of sequences) {
    await db.insert(codeSequences).values({ workspaceId, periodKey, lastValue });
  }
  if (size !== 'demo') {
    // Generated rows arrive per opportunity; real ones arrive in time order. Store them in time
    // order (as months of real use would) so that benchmarks read realistic pages.
    await db.execute(sql`cluster opportunities using opportunities_ws_acquired_idx`);
    await db.execute(sql`cluster stage_changes using stage_changes_ws_time_idx`);
    await db.execute(sql`cluster follow_ups using follow_ups_ws_occurred_idx`);
  }
  await db.execute(sql`vacuum analyze`);
  return {
    workspaceId,
    opportunities: count,
    users: DEMO_USERS.map((u) => ({ email: u.email, role: u.role, password: DEMO_PASSWORD })),
  };
}
