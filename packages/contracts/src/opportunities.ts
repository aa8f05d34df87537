import { z } from 'zod';
import { FORECAST_CATEGORIES, FOLLOW_UP_METHODS, STAGE_KINDS } from '@funnel/domain';
import {
  Id,
  IsoDate,
  IsoDateTime,
  LongText,
  Money,
  MoneyInput,
  PageQuery,
  Percent,
  Priority,
  UserRef,
  Version,
} from './common';
import { Contact } from './accounts';
import { CustomFieldValues } from './settings-lists';

export const OPPORTUNITY_STATUSES = ['open', 'won', 'lost', 'postponed'] as const;
export const OpportunityStatus = z.enum(OPPORTUNITY_STATUSES);

const Text100 = z.string().trim().max(100);
const OptionalText100 = Text100.nullable().optional();

export const OpportunitySummary = z
  .object({
    id: Id,
    code: z.string(),
    name: z.string(),
    account: z.object({ id: Id, name: z.string() }),
    pipelineId: Id,
    stage: z.object({ id: Id, name: z.string(), kind: z.enum(STAGE_KINDS), position: z.number() }),
    status: OpportunityStatus,
    owner: UserRef,
    teamId: Id.nullable(),
    needsDescription: z.string(),
    budgetRange: z.string().nullable(),
    expectedAmount: Money,
    expectedCloseDate: z.string().nullable(),
    source: z.string().nullable(),
    sourceDetail: z.string().nullable(),
    industry: z.string().nullable(),
    region: z.string().nullable(),
    productLine: z.string().nullable(),
    acquiredAt: z.string(),
    lateEntry: z.boolean(),
    marketNotes: z.string(),
    partner: z.string().nullable(),
    channelManager: z.string().nullable(),
    winProbability: z
      .number()
      .nullable()
      .meta({ description: 'Override of the stage probability, or null.' }),
    effectiveProbability: z.number(),
    priority: Priority,
    computedPriority: Priority,
    priorityOverride: z
      .object({ priority: Priority, reason: z.string().nullable(), by: UserRef.nullable() })
      .nullable(),
    forecastCategory: z.enum(FORECAST_CATEGORIES),
    forecastCategoryOverride: z.enum(FORECAST_CATEGORIES).nullable(),
    stageEnteredAt: z.string(),
    nextFollowUpAt: z.string().nullable(),
    lastFollowUpAt: z.string().nullable(),
    won: z.object({ amount: Money, date: z.string() }).nullable(),
    lost: z
      .object({
        reason: z.string(),
        competitor: z.object({ id: Id, name: z.string() }).nullable(),
        note: z.string().nullable(),
      })
      .nullable(),
    postponed: z
      .object({ reason: z.string(), remedy: z.string(), until: z.string().nullable() })
      .nullable(),
    closedAt: z.string().nullable(),
    customFields: z.record(z.string(), z.unknown()),
    version: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'OpportunitySummary' });

export const OpportunityCompetitor = z.object({ id: Id, name: z.string(), advantages: z.string() });

export const Opportunity = OpportunitySummary.extend({
  contacts: z.array(Contact.extend({ role: z.string().nullable() })),
  competitors: z.array(OpportunityCompetitor),
  createdBy: UserRef.nullable(),
}).meta({ id: 'Opportunity' });

const CompetitorLink = z
  .object({
    competitorId: Id.optional(),
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: 'Creates the competitor when it is new.' }),
    advantages: z.string().max(2000).default(''),
  })
  .strict()
  .refine((c) => c.competitorId !== undefined || c.name !== undefined, {
    params: { i18n: 'required' },
    path: ['name'],
  });

const ContactLink = z.object({ contactId: Id, role: Text100.nullable().optional() }).strict();

const editableFields = {
  name: z.string().trim().min(1).max(200),
  accountId: Id,
  ownerId: Id.optional(),
  needsDescription: LongText.optional(),
  budgetRange: OptionalText100,
  expectedAmount: MoneyInput.optional(),
  expectedCloseDate: IsoDate.nullable().optional(),
  source: OptionalText100,
  sourceDetail: OptionalText100,
  industry: OptionalText100,
  region: OptionalText100,
  productLine: OptionalText100,
  marketNotes: LongText.optional(),
  partner: OptionalText100,
  channelManager: OptionalText100,
  winProbability: Percent.nullable().optional(),
  forecastCategoryOverride: z.enum(FORECAST_CATEGORIES).nullable().optional(),
  customFields: CustomFieldValues.optional(),
  contacts: z.array(ContactLink).max(50).optional(),
  competitors: z.array(CompetitorLink).max(20).optional(),
};

export const CreateOpportunityBody = z
  .object({
    ...editableFields,
    pipelineId: Id.optional(),
    stageId: Id.optional().meta({
      description: 'Entry stage (default: the first). A returning customer may enter later.',
    }),
    stageReason: z.string().trim().max(1000).optional(),
    acquiredAt: IsoDateTime.optional().meta({
      description:
        'When the lead was obtained (default: now). Entered > 24 h later is flagged late.',
    }),
    firstFollowUpAt: IsoDateTime.nullable().optional().meta({
      description: 'Planned first follow-up; default by the priority cadence; null plans none.',
    }),
  })
  .strict();

export const UpdateOpportunityBody = z
  .object({
    version: Version,
    ...editableFields,
    name: editableFields.name.optional(),
    accountId: Id.optional(),
  })
  .omit({ ownerId: true })
  .strict();

export const MoveStageBody = z
  .object({
    version: Version,
    stageId: Id,
    reason: z.string().trim().max(1000).optional(),
    changedAt: IsoDateTime.optional().meta({
      description: 'When it happened (default now); not in the future.',
    }),
  })
  .strict();

export const CloseWonBody = z
  .object({
    version: Version,
    amount: MoneyInput,
    signedDate: IsoDate,
    reason: z.string().trim().max(1000).optional(),
    collections: z
      .array(
        z
          .object({
            expectedDate: IsoDate,
            expectedAmount: MoneyInput,
            actualDate: IsoDate.nullable().optional(),
            actualAmount: MoneyInput.nullable().optional(),
            note: z.string().max(500).nullable().optional(),
          })
          .strict(),
      )
      .max(60)
      .optional(),
  })
  .strict();

export const CloseLostBody = z
  .object({
    version: Version,
    reason: z.string().trim().min(1).max(100).meta({ description: 'A loss_reason picklist code.' }),
    competitorId: Id.nullable().optional(),
    competitorName: z.string().trim().min(1).max(200).optional(),
    note: z.string().max(2000).nullable().optional(),
  })
  .strict();

export const PostponeBody = z
  .object({
    version: Version,
    reason: z.string().trim().min(1).max(1000),
    remedy: z
      .string()
      .trim()
      .min(1)
      .max(1000)
      .meta({ description: '弥补措施: what will be done to recover.' }),
    until: IsoDate.nullable().optional(),
  })
  .strict();

export const ReopenBody = z
  .object({
    version: Version,
    reason: z.string().trim().min(1).max(1000),
    stageId: Id.optional().meta({
      description: 'Open stage to reopen into (default: the stage it was closed from).',
    }),
  })
  .strict();

export const ReassignBody = z
  .object({ version: Version, ownerId: Id, reason: z.string().trim().min(1).max(1000) })
  .strict();

export const PriorityOverrideBody = z
  .object({
    version: Version,
    priority: Priority.nullable().meta({ description: 'null clears the override.' }),
    reason: z.string().trim().max(1000).optional(),
  })
  .strict();

const SORTABLE = [
  'code',
  'name',
  'expectedAmount',
  'expectedCloseDate',
  'createdAt',
  'updatedAt',
  'stageEnteredAt',
  'nextFollowUpAt',
  'priority',
  'acquiredAt',
  'stage',
  'owner',
  'account',
] as const;
export const OPPORTUNITY_SORTS = SORTABLE.flatMap((s) => [s, `-${s}`]) as [string, ...string[]];

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value),
    z.array(item).max(50),
  );

export const OpportunityListQuery = PageQuery.extend({
  q: z.string().max(200).optional(),
  status: csv(OpportunityStatus).optional(),
  pipelineId: Id.optional(),
  stageId: csv(Id).optional(),
  ownerId: csv(Id).optional(),
  teamId: Id.optional().meta({ description: 'The team and its sub-teams.' }),
  accountId: Id.optional(),
  region: csv(z.string().max(100)).optional(),
  productLine: csv(z.string().max(100)).optional(),
  source: csv(z.string().max(100)).optional(),
  industry: csv(z.string().max(100)).optional(),
  priority: csv(Priority).optional(),
  expectedCloseFrom: IsoDate.optional(),
  expectedCloseTo: IsoDate.optional(),
  createdFrom: IsoDate.optional(),
  createdTo: IsoDate.optional(),
  sort: z.enum(OPPORTUNITY_SORTS).default('-createdAt'),
});

export const StageSummary = z
  .object({ stageId: Id, count: z.number().int(), amount: Money, weightedAmount: Money })
  .meta({ id: 'StageSummary' });

export const STAGE_CHANGE_KINDS = [
  'create',
  'forward',
  'skip',
  'back',
  'won',
  'lost',
  'postpone',
  'reopen',
] as const;
export const PRIORITY_CHANGE_KINDS = [
  'computed',
  'override',
  'override_cleared',
  'weekly',
] as const;

export const StageChange = z
  .object({
    id: z.number(),
    fromStage: z.object({ id: Id, name: z.string() }).nullable(),
    toStage: z.object({ id: Id, name: z.string() }),
    kind: z.enum(STAGE_CHANGE_KINDS),
    status: OpportunityStatus,
    changedAt: z.string(),
    recordedAt: z.string(),
    changedBy: UserRef.nullable(),
    reason: z.string().nullable(),
  })
  .meta({ id: 'StageChange' });

export const PriorityChange = z.object({
  id: z.number(),
  fromPriority: Priority.nullable(),
  toPriority: Priority,
  computedPriority: Priority,
  kind: z.enum(PRIORITY_CHANGE_KINDS),
  reason: z.string().nullable(),
  changedBy: UserRef.nullable(),
  changedAt: z.string(),
});

export const MoveResult = z.object({
  opportunity: Opportunity,
  warnings: z.array(
    z.object({ code: z.string(), message: z.string(), fields: z.array(z.string()) }),
  ),
});

export const FollowUpMethod = z.enum(FOLLOW_UP_METHODS);

export const FollowUp = z
  .object({
    id: Id,
    opportunity: z.object({
      id: Id,
      code: z.string(),
      name: z.string(),
      accountName: z.string(),
      priority: Priority,
    }),
    owner: UserRef,
    status: z.enum(['planned', 'done', 'cancelled']),
    method: FollowUpMethod,
    plannedAt: z.string().nullable(),
    goal: z.string().nullable(),
    occurredAt: z.string().nullable(),
    content: z.string().nullable(),
    nextAction: z.string().nullable(),
    intentChange: z.string().nullable(),
    lateEntry: z.boolean(),
    plannedByCadence: z.boolean(),
    loggedAt: z.string().nullable(),
    version: z.number(),
    createdAt: z.string(),
  })
  .meta({ id: 'FollowUp' });

export const LogFollowUpBody = z
  .object({
    occurredAt: IsoDateTime,
    method: FollowUpMethod,
    content: z.string().trim().min(1).max(5000),
    nextAction: z.string().trim().max(1000).nullable().optional(),
    intentChange: z
      .string()
      .trim()
      .max(200)
      .nullable()
      .optional()
      .meta({ description: 'e.g. 观望 → 积极, 提出价格异议' }),
    completesFollowUpId: Id.optional().meta({
      description: 'The planned follow-up this one carries out (default: the earliest planned).',
    }),
    next: z
      .object({
        plannedAt: IsoDateTime.optional(),
        method: FollowUpMethod.optional(),
        goal: z.string().trim().max(1000).optional(),
      })
      .strict()
      .nullable()
      .optional()
      .meta({
        description: 'The next planned follow-up; omitted = by the priority cadence; null = none.',
      }),
  })
  .strict();

export const PlanFollowUpBody = z
  .object({
    plannedAt: IsoDateTime.optional().meta({ description: 'Default: by the priority cadence.' }),
    method: FollowUpMethod,
    goal: z.string().trim().max(1000).optional(),
  })
  .strict();

export const UpdateFollowUpBody = z
  .object({
    version: Version,
    plannedAt: IsoDateTime.optional(),
    method: FollowUpMethod.optional(),
    goal: z.string().trim().max(1000).nullable().optional(),
    status: z.literal('cancelled').optional(),
  })
  .strict();

export const FollowUpQueueQuery = z.object({
  scope: z.enum(['mine', 'team', 'all']).default('mine'),
  ownerId: Id.optional(),
  teamId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const FollowUpQueue = z.object({
  timeZone: z.string(),
  counts: z.object({ overdue: z.number(), today: z.number(), upcoming: z.number() }),
  overdue: z.array(FollowUp),
  today: z.array(FollowUp),
  upcoming: z.array(FollowUp),
});

export const FollowUpListQuery = PageQuery.extend({
  scope: z.enum(['mine', 'team', 'all']).default('mine'),
  ownerId: Id.optional(),
  teamId: Id.optional(),
  status: z.enum(['planned', 'done', 'cancelled']).optional(),
  bucket: z.enum(['overdue', 'today', 'upcoming']).optional(),
});

export const Collection = z
  .object({
    id: Id,
    opportunityId: Id,
    expectedDate: z.string(),
    expectedAmount: Money,
    actualDate: z.string().nullable(),
    actualAmount: Money.nullable(),
    note: z.string().nullable(),
    version: z.number(),
  })
  .meta({ id: 'Collection' });

export const CreateCollectionBody = z
  .object({
    expectedDate: IsoDate,
    expectedAmount: MoneyInput,
    actualDate: IsoDate.nullable().optional(),
    actualAmount: MoneyInput.nullable().optional(),
    note: z.string().max(500).nullable().optional(),
  })
  .strict();

export const UpdateCollectionBody = CreateCollectionBody.partial()
  .extend({ version: Version })
  .strict();

/** Every action the audit log records (the UI labels them; a new one must be added here). */
export const AUDIT_ACTIONS = [
  'create',
  'update',
  'delete',
  'move',
  'close_won',
  'close_lost',
  'postpone',
  'reopen',
  'reassign',
  'priority_override',
  'log_follow_up',
  'plan_follow_up',
  'read_contact_details',
  'sign_in',
  'revoke',
  'update_stages',
  'import',
  'export',
] as const;

export const AuditEntry = z
  .object({
    id: z.number(),
    actor: UserRef.nullable(),
    action: z.enum(AUDIT_ACTIONS),
    entityType: z.string(),
    entityId: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    at: z.string(),
  })
  .meta({ id: 'AuditEntry' });

export const AuditQuery = PageQuery.extend({
  entityType: z.string().max(40).optional(),
  entityId: z.string().max(60).optional(),
  actorId: Id.optional(),
  action: z.string().max(40).optional(),
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
});
