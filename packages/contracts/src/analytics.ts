import { z } from 'zod';
import { Id, IsoDate, IsoDateTime, Money, MoneyInput, Version } from './common';

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value),
    z.array(item).max(50),
  );

export const GROUP_BYS = [
  'owner',
  'team',
  'region',
  'productLine',
  'industry',
  'source',
  'priority',
  'sizeBand',
] as const;
export const GroupBy = z
  .union([z.enum(GROUP_BYS), z.string().regex(/^custom:[a-z][a-z0-9_]{0,39}$/)])
  .meta({
    description:
      'owner, team, region, productLine, industry, source, priority, sizeBand, or custom:<field key>',
  });

/** The period and filters every analytics endpoint takes. */
export const AnalyticsQuery = z.object({
  period: z.enum(['week', 'month', 'quarter', 'year', 'custom']).default('month'),
  date: IsoDate.optional().meta({
    description: 'A day inside the period (default: today in the workspace zone).',
  }),
  from: IsoDate.optional().meta({ description: 'First day of a custom period (inclusive).' }),
  to: IsoDate.optional().meta({ description: 'Last day of a custom period (inclusive).' }),
  pipelineId: Id.optional().meta({ description: 'Default: the default pipeline.' }),
  ownerId: csv(Id).optional(),
  teamId: Id.optional().meta({ description: 'The team and its sub-teams.' }),
  region: csv(z.string().max(100)).optional(),
  productLine: csv(z.string().max(100)).optional(),
  industry: csv(z.string().max(100)).optional(),
  source: csv(z.string().max(100)).optional(),
  priority: csv(z.enum(['A', 'B', 'C'])).optional(),
  sizeBand: csv(z.enum(['1-49', '50-199', '200-999', '1000+'])).optional(),
  customField: csv(z.string().regex(/^[a-z][a-z0-9_]{0,39}:.{0,100}$/))
    .optional()
    .meta({ description: 'key:value, e.g. decision_chain:3' }),
});

export const FunnelQuery = AnalyticsQuery.extend({
  mode: z.enum(['cohort', 'flow']).default('cohort'),
  asOf: IsoDateTime.optional().meta({
    description: 'Cohort rebuilt from the stage history as of this instant.',
  }),
  groupBy: GroupBy.optional(),
});
export const GroupedQuery = AnalyticsQuery.extend({ groupBy: GroupBy.optional() });
export const BacktestQuery = AnalyticsQuery.extend({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
});
export const BottleneckQuery = AnalyticsQuery.extend({
  benchmark: z.enum(['history', 'configured']).default('history'),
});
export const TrendQuery = AnalyticsQuery.extend({
  interval: z.enum(['month', 'quarter']).default('month'),
  count: z.coerce.number().int().min(1).max(36).default(12),
});
export const HealthQuery = AnalyticsQuery.extend({
  target: MoneyInput.optional().meta({
    description: 'Target of the period; default: the stored target for the scope.',
  }),
});

export const RateOut = z.object({
  numerator: z.number(),
  denominator: z.number(),
  value: z.number().nullable(),
});
export const IntervalOut = z.object({ lower: z.number(), upper: z.number() }).nullable();
export const PeriodOut = z.object({
  from: z.string(),
  to: z.string(),
  label: z.string(),
  timeZone: z.string(),
});

const Meta = { metric: z.string(), definition: z.string(), period: PeriodOut };

export const FunnelStageOut = z.object({
  stageId: Id,
  name: z.string(),
  index: z.number(),
  reached: z.number(),
  cumulative: RateOut,
  lost: z.number(),
  dropOff: RateOut,
});
export const FunnelStepOut = z.object({
  fromStageId: Id,
  toStageId: Id,
  fromName: z.string(),
  toName: z.string(),
  rate: RateOut,
  interval: IntervalOut,
});
export const CohortFunnelOut = z.object({
  cohortSize: z.number(),
  asOf: z.string().nullable(),
  stages: z.array(FunnelStageOut),
  steps: z.array(FunnelStepOut),
});
export const FlowFunnelOut = z.object({
  stages: z.array(z.object({ stageId: Id, name: z.string(), entered: z.number() })),
  steps: z.array(FunnelStepOut.extend({ entered: z.number(), advanced: z.number() })),
});
export const FunnelResponse = z.object({
  ...Meta,
  mode: z.enum(['cohort', 'flow']),
  result: z.union([CohortFunnelOut, FlowFunnelOut]),
  groups: z
    .array(
      z.object({
        key: z.string().nullable(),
        label: z.string().nullable(),
        result: CohortFunnelOut,
      }),
    )
    .nullable(),
});

export const OutcomesOut = z.object({
  winRate: z.object({
    won: z.number(),
    lost: z.number(),
    open: z.number(),
    postponed: z.number(),
    rate: RateOut,
    interval: IntervalOut,
  }),
  dealSize: z.object({
    count: z.number(),
    total: Money,
    mean: z.string().nullable(),
    average: Money.nullable(),
  }),
  salesCycle: z.object({
    count: z.number(),
    meanDays: z.number().nullable(),
    medianDays: z.number().nullable(),
  }),
});
export const OutcomesResponse = z.object({
  ...Meta,
  result: OutcomesOut.extend({
    timeToWin: z.object({
      n: z.number(),
      events: z.number(),
      censored: z.number(),
      medianDays: z.number().nullable(),
    }),
  }),
  groups: z
    .array(
      z.object({ key: z.string().nullable(), label: z.string().nullable(), result: OutcomesOut }),
    )
    .nullable(),
});

export const DwellResponse = z.object({
  ...Meta,
  stages: z.array(
    z.object({
      stageId: Id,
      name: z.string(),
      count: z.number(),
      openCount: z.number(),
      meanDays: z.number().nullable(),
      medianDays: z.number().nullable(),
      kmMedianDays: z.number().nullable(),
      standardDwellDays: z.number().nullable(),
      ratioToStandard: z.number().nullable(),
    }),
  ),
});

export const StandardFunnelResponse = z.object({
  metric: z.string(),
  definition: z.string(),
  anchorStageId: Id.nullable(),
  stages: z.array(
    z.object({
      stageId: Id,
      name: z.string(),
      actual: z.number(),
      amount: Money,
      weighted: Money,
      standardCountRatio: z.number().nullable(),
      standard: z.number().nullable(),
      difference: z.number().nullable(),
      ratioToStandard: z.number().nullable(),
    }),
  ),
});

const ForecastLineOut = z.object({
  key: z.string().nullable(),
  label: z.string().nullable(),
  realisedCount: z.number(),
  openCount: z.number(),
  realised: Money,
  weighted: Money,
  total: Money,
});
export const ForecastResponse = z.object({
  ...Meta,
  total: ForecastLineOut,
  byMonth: z.array(ForecastLineOut),
  byOwner: z.array(ForecastLineOut),
  byTeam: z.array(ForecastLineOut),
  byBucket: z.array(ForecastLineOut),
  byMonthBucket: z.array(ForecastLineOut.extend({ month: z.string().nullable() })),
  excluded: z.object({
    undated: z.object({ count: z.number(), weighted: Money }),
    overdue: z.object({ count: z.number(), weighted: Money }),
  }),
});

export const BacktestResponse = z.object({
  metric: z.string(),
  definition: z.string(),
  month: z.string(),
  at: z.string(),
  forecast: Money,
  forecastCount: z.number(),
  actual: Money,
  actualCount: z.number(),
  actualFromForecast: Money,
  error: Money,
  ratio: z.number().nullable(),
});

const CountAmount = z.object({ count: z.number(), amount: Money });
export const CollectionsResponse = z.object({
  ...Meta,
  expected: CountAmount,
  received: CountAmount,
  receivedOfExpected: Money,
  collectionRate: RateOut,
  outstanding: CountAmount,
  overdue: CountAmount,
});

export const CalibrationResponse = z.object({
  metric: z.string(),
  definition: z.string(),
  stages: z.array(
    z.object({
      stageId: Id,
      name: z.string(),
      configured: z.number(),
      everIn: z.number(),
      observed: RateOut,
      interval: IntervalOut,
      withinInterval: z.boolean().nullable(),
    }),
  ),
});

export const VelocityResponse = z.object({
  ...Meta,
  openDeals: z.number(),
  averageWonAmount: z.string().nullable(),
  winRate: RateOut,
  averageCycleDays: z.number().nullable(),
  perDay: z.string().nullable(),
  per30Days: z.string().nullable(),
});

const ReasonOut = z.object({
  reason: z.string().nullable(),
  label: z.string().nullable(),
  count: z.number(),
  share: RateOut,
});
export const LossReasonsResponse = z.object({
  ...Meta,
  lost: z.number(),
  top: z.array(ReasonOut),
  byStage: z.array(
    z.object({
      stageId: z.string().nullable(),
      name: z.string().nullable(),
      lost: z.number(),
      top: z.array(ReasonOut),
    }),
  ),
});

export const TeamResponse = z.object({
  ...Meta,
  reps: z.array(
    z.object({
      ownerId: Id,
      name: z.string(),
      cohort: z.number(),
      won: z.number(),
      conversion: RateOut,
      followUpsPerOpportunity: z.number().nullable(),
      priorityA: RateOut,
      compliance: z.object({
        due: z.number(),
        cancelled: z.number(),
        onTime: z.number(),
        late: z.number(),
        overdue: z.number(),
        onTimeRate: RateOut,
        overdueRate: RateOut,
        lateEntryRate: RateOut,
      }),
    }),
  ),
});

export const ChannelsResponse = z.object({
  ...Meta,
  groupBy: z.string(),
  channels: z.array(
    z.object({
      key: z.string().nullable(),
      label: z.string().nullable(),
      created: z.number(),
      won: z.number(),
      conversion: RateOut,
      wonTotal: Money,
      averageWonAmount: Money.nullable(),
    }),
  ),
});

export const MissedEntryResponse = z.object({
  ...Meta,
  contacted: z.number(),
  missed: z.number(),
  rate: RateOut,
  byField: z.array(z.object({ field: z.string(), count: z.number() })),
});

export const BottlenecksResponse = z.object({
  ...Meta,
  benchmark: z.enum(['history', 'configured']),
  rows: z.array(
    z.object({
      fromStageId: Id,
      toStageId: Id,
      fromName: z.string(),
      toName: z.string(),
      benchmark: z.number(),
      source: z.string(),
      successes: z.number(),
      n: z.number(),
      observed: z.number().nullable(),
      interval: IntervalOut,
      verdict: z.enum(['below', 'not_significant', 'above', 'insufficient_data']),
      pValueBelow: z.number().nullable(),
      pValueAbove: z.number().nullable(),
    }),
  ),
});

export const TrendResponse = z.object({
  ...Meta,
  interval: z.enum(['month', 'quarter']),
  points: z.array(
    z.object({
      bucket: z.string(),
      created: z.number(),
      won: z.number(),
      lost: z.number(),
      conversion: RateOut,
      winRate: RateOut,
      wonAmount: Money,
    }),
  ),
});

export const HealthResponse = z.object({
  ...Meta,
  capacity: z.object({
    weightedPipeline: Money,
    target: Money.nullable(),
    realised: Money,
    remainingTarget: Money.nullable(),
    coverage: z.number().nullable(),
  }),
  slope: z.array(
    z.object({
      fromName: z.string(),
      toName: z.string(),
      actual: z.number().nullable(),
      standard: z.number().nullable(),
      ratioToStandard: z.number().nullable(),
    }),
  ),
  evenness: z.object({
    value: z.number().nullable(),
    totalVariationDistance: z.number().nullable(),
  }),
  velocity: z.object({ overall: z.number().nullable() }),
});

/** GET /analytics/dashboard: the dashboard's whole set for one filter. */
export const DashboardResponse = z.object({
  period: z.object({ from: z.string(), to: z.string(), label: z.string(), timeZone: z.string() }),
  funnel: FunnelResponse,
  outcomes: OutcomesResponse,
  dwell: DwellResponse,
  standard: StandardFunnelResponse,
  forecast: ForecastResponse,
  velocity: VelocityResponse,
  losses: LossReasonsResponse,
  team: TeamResponse,
  channels: ChannelsResponse,
  bottlenecks: BottlenecksResponse,
  trend: TrendResponse,
});

export const TargetDecompositionBody = z
  .object({
    revenueTarget: MoneyInput,
    averageDealSize: MoneyInput.refine((minor) => minor > 0, {
      params: { i18n: 'positive_amount' },
    }),
    conversion: z
      .union([
        z.object({ standardCounts: z.array(z.number().positive()).min(2).max(20) }),
        z.object({ stageConversions: z.array(z.number().gt(0).max(1)).min(1).max(20) }),
        z.object({ overall: z.number().gt(0).max(1) }),
        z.object({
          measured: z.literal(true),
          pipelineId: Id.optional(),
          from: IsoDate,
          to: IsoDate,
        }),
      ])
      .meta({
        description:
          'Standard counts (10:6:3:2), measured stage conversions, an overall rate, or measured from a cohort.',
      }),
    sellingWeeks: z.number().positive().max(60),
    cycleWeeks: z.number().min(0).max(104),
    newOpportunitiesPerRepPerWeek: z.number().positive().max(1000),
  })
  .strict();

export const TargetDecompositionResponse = z.object({
  metric: z.string(),
  definition: z.string(),
  conversion: z.number(),
  dealsNeeded: z.number(),
  winsPerWeek: z.number(),
  newOpportunities: z.number(),
  newOpportunitiesPerWeek: z.number(),
  repsNeeded: z.number(),
  leadTimeWeeks: z.number(),
  lastEntryWeek: z.number(),
});

export const TARGET_SCOPES = ['workspace', 'team', 'user'] as const;
export const Target = z
  .object({
    id: Id,
    scope: z.enum(TARGET_SCOPES),
    scopeId: Id.nullable(),
    periodKind: z.enum(['month', 'quarter', 'year']),
    periodKey: z.string(),
    amount: Money,
    version: z.number(),
  })
  .meta({ id: 'Target' });
const PeriodKey = z.string().regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/);
export const CreateTargetBody = z
  .object({
    scope: z.enum(TARGET_SCOPES),
    scopeId: Id.nullable().optional(),
    periodKind: z.enum(['month', 'quarter', 'year']),
    periodKey: PeriodKey.meta({ description: '2024-06, 2024-Q2 or 2024, matching periodKind' }),
    amount: MoneyInput,
  })
  .strict();
export const UpdateTargetBody = z.object({ version: Version, amount: MoneyInput }).strict();
export const TargetListQuery = z.object({
  scope: z.enum(TARGET_SCOPES).optional(),
  periodKind: z.enum(['month', 'quarter', 'year']).optional(),
  periodKey: PeriodKey.optional(),
});
