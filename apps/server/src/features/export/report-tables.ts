/**
 * Every analytics report as tables of typed columns: the one flattening of a report response,
 * used by the export (GET /exports/analytics/<report>, one sheet per table) and by the CLI's
 * `funnel analytics <report> --table`. Counts are integers, money stays the API's decimal string
 * in 元, rates are fractions shown as percents with their numerator and denominator next to them
 * (and the 95% Wilson interval where the report has one), days are numbers. The definitions of the
 * numbers are in docs/analytics.md; the last table says which report, period and query it was.
 */
import type { z } from 'zod';
import { localDate } from '@funnel/domain';
import type { IntervalOut, PeriodOut, RateOut } from '@funnel/contracts';
import type { ReportName, ReportResponse } from '../analytics/reports';
import type { ColumnDef, ColumnType, RowValues } from './table-writer';

type Named = { zh: string; en: string };
type Rate = z.infer<typeof RateOut>;
type Interval = z.infer<typeof IntervalOut>;

/** A table of a report: everything is already computed, so the rows are in memory. */
export interface ReportTable {
  name: Named;
  columns: ColumnDef[];
  rows: RowValues[];
}

const col = (key: string, zh: string, en: string, type: ColumnType): ColumnDef => ({
  key,
  zh,
  en,
  type,
});

/** A rate's columns: the percent, then its numerator and denominator, then the interval if any. */
function rateColumns(
  key: string,
  label: Named,
  numerator: Named,
  denominator: Named,
  options: { interval?: boolean; amounts?: boolean } = {},
): ColumnDef[] {
  const part = options.amounts ? 'money' : 'integer';
  return [
    col(key, label.zh, label.en, 'percent'),
    col(`${key}.numerator`, `${label.zh}:${numerator.zh}`, `${label.en}: ${numerator.en}`, part),
    col(
      `${key}.denominator`,
      `${label.zh}:${denominator.zh}`,
      `${label.en}: ${denominator.en}`,
      part,
    ),
    ...(options.interval
      ? [
          col(`${key}.low`, `${label.zh}:95% 区间下限`, `${label.en}: 95% low`, 'percent'),
          col(`${key}.high`, `${label.zh}:95% 区间上限`, `${label.en}: 95% high`, 'percent'),
        ]
      : []),
  ];
}

function rateValues(key: string, rate: Rate, interval?: Interval): RowValues {
  return {
    [key]: rate.value,
    [`${key}.numerator`]: rate.numerator,
    [`${key}.denominator`]: rate.denominator,
    [`${key}.low`]: interval?.lower ?? null,
    [`${key}.high`]: interval?.upper ?? null,
  };
}

const GROUPS: Record<string, Named> = {
  owner: { zh: '负责人', en: 'Owner' },
  team: { zh: '团队', en: 'Team' },
  region: { zh: '区域', en: 'Region' },
  productLine: { zh: '产品线', en: 'Product line' },
  industry: { zh: '行业', en: 'Industry' },
  source: { zh: '来源渠道', en: 'Source' },
  priority: { zh: '优先级', en: 'Priority' },
  sizeBand: { zh: '客户规模', en: 'Company size' },
};

/** The header of a group column: the grouping's name (a custom field by its key). */
function groupColumn(groupBy: string | undefined): ColumnDef {
  const named = (groupBy && GROUPS[groupBy]) ||
    (groupBy?.startsWith('custom:')
      ? { zh: `自定义字段 ${groupBy.slice(7)}`, en: `Custom field ${groupBy.slice(7)}` }
      : null) || { zh: '分组', en: 'Group' };
  return col('group', named.zh, named.en, 'text');
}

const groupName = (g: { key: string | null; label: string | null }) => g.label ?? g.key;

// ------------------------------------------------------------------ funnel

type FunnelReport = ReportResponse<'funnel'>;
type CohortResult = NonNullable<FunnelReport['groups']>[number]['result'];

const STAGE = col('stage', '阶段', 'Stage', 'text');
const FROM = col('from', '起始阶段', 'From stage', 'text');
const TO = col('to', '目标阶段', 'To stage', 'text');

const COHORT_STAGE_COLUMNS = [
  STAGE,
  ...rateColumns(
    'cumulative',
    { zh: '累计转化率', en: 'Cumulative conversion' },
    { zh: '到达数', en: 'reached' },
    { zh: '新建数', en: 'cohort' },
  ),
  ...rateColumns(
    'dropOff',
    { zh: '流失率', en: 'Drop-off' },
    { zh: '在此阶段输单', en: 'lost here' },
    { zh: '到达数', en: 'reached' },
  ),
];
const STEP_COLUMNS = [
  FROM,
  TO,
  ...rateColumns(
    'rate',
    { zh: '阶段转化率', en: 'Conversion' },
    { zh: '到达目标阶段', en: 'reached "to"' },
    { zh: '到达起始阶段', en: 'reached "from"' },
    { interval: true },
  ),
];

const cohortStageRows = (result: CohortResult): RowValues[] =>
  result.stages.map((s) => ({
    stage: s.name,
    ...rateValues('cumulative', s.cumulative),
    ...rateValues('dropOff', s.dropOff),
  }));
const stepRows = (result: CohortResult): RowValues[] =>
  result.steps.map((s) => ({
    from: s.fromName,
    to: s.toName,
    ...rateValues('rate', s.rate, s.interval),
  }));

function funnelTables(r: FunnelReport, query: ReportQuery): ReportTable[] {
  const result = r.result;
  if (!('cohortSize' in result)) {
    return [
      {
        name: { zh: '期间流量', en: 'Period flow' },
        columns: [STAGE, col('entered', '进入数', 'Entered', 'integer')],
        rows: result.stages.map((s) => ({ stage: s.name, entered: s.entered })),
      },
      {
        name: { zh: '期间阶段转化', en: 'Period flow conversion' },
        columns: [
          FROM,
          TO,
          ...rateColumns(
            'rate',
            { zh: '阶段转化率', en: 'Conversion' },
            { zh: '推进数', en: 'advanced' },
            { zh: '进入数', en: 'entered' },
            { interval: true },
          ),
        ],
        rows: result.steps.map((s) => ({
          from: s.fromName,
          to: s.toName,
          ...rateValues('rate', s.rate, s.interval),
        })),
      },
    ];
  }
  const tables: ReportTable[] = [
    {
      name: { zh: '漏斗各阶段', en: 'Funnel stages' },
      columns: COHORT_STAGE_COLUMNS,
      rows: cohortStageRows(result),
    },
    {
      name: { zh: '阶段转化', en: 'Stage conversion' },
      columns: STEP_COLUMNS,
      rows: stepRows(result),
    },
  ];
  if (r.groups) {
    const group = groupColumn(query.groupBy);
    tables.push(
      {
        name: { zh: '分组漏斗各阶段', en: 'Funnel stages by group' },
        columns: [group, ...COHORT_STAGE_COLUMNS],
        rows: r.groups.flatMap((g) =>
          cohortStageRows(g.result).map((row) => ({ group: groupName(g), ...row })),
        ),
      },
      {
        name: { zh: '分组阶段转化', en: 'Stage conversion by group' },
        columns: [group, ...STEP_COLUMNS],
        rows: r.groups.flatMap((g) =>
          stepRows(g.result).map((row) => ({ group: groupName(g), ...row })),
        ),
      },
    );
  }
  return tables;
}

// ------------------------------------------------------------------ outcomes

type Outcome = NonNullable<ReportResponse<'outcomes'>['groups']>[number]['result'];

const OUTCOME_COLUMNS = [
  ...rateColumns(
    'winRate',
    { zh: '赢率', en: 'Win rate' },
    { zh: '赢单', en: 'won' },
    { zh: '已关闭', en: 'closed' },
    { interval: true },
  ),
  col('lost', '输单', 'Lost', 'integer'),
  col('open', '在途', 'Open', 'integer'),
  col('postponed', '暂缓', 'Postponed', 'integer'),
  col('dealCount', '成交数', 'Deals won', 'integer'),
  col('dealTotal', '成交金额', 'Won amount', 'money'),
  col('dealAverage', '平均成交金额', 'Average deal', 'money'),
  col('cycleMeanDays', '销售周期均值(天)', 'Sales cycle mean (days)', 'days'),
  col('cycleMedianDays', '销售周期中位数(天)', 'Sales cycle median (days)', 'days'),
];

const outcomeRow = (o: Outcome): RowValues => ({
  ...rateValues('winRate', o.winRate.rate, o.winRate.interval),
  lost: o.winRate.lost,
  open: o.winRate.open,
  postponed: o.winRate.postponed,
  dealCount: o.dealSize.count,
  dealTotal: o.dealSize.total,
  dealAverage: o.dealSize.average,
  cycleMeanDays: o.salesCycle.meanDays,
  cycleMedianDays: o.salesCycle.medianDays,
});

function outcomesTables(r: ReportResponse<'outcomes'>, query: ReportQuery): ReportTable[] {
  const k = r.result.timeToWin;
  const tables: ReportTable[] = [
    {
      name: { zh: '赢率与成交', en: 'Outcomes' },
      columns: [
        ...OUTCOME_COLUMNS,
        col('kmN', '赢单用时(KM):商机数', 'Time to win (KM): opportunities', 'integer'),
        col('kmEvents', '赢单用时(KM):赢单', 'Time to win (KM): won', 'integer'),
        col('kmCensored', '赢单用时(KM):删失', 'Time to win (KM): censored', 'integer'),
        col('kmMedianDays', '赢单用时中位数(天)', 'Time to win median (days)', 'days'),
      ],
      rows: [
        {
          ...outcomeRow(r.result),
          kmN: k.n,
          kmEvents: k.events,
          kmCensored: k.censored,
          kmMedianDays: k.medianDays,
        },
      ],
    },
  ];
  if (r.groups)
    tables.push({
      name: { zh: '分组赢率与成交', en: 'Outcomes by group' },
      columns: [groupColumn(query.groupBy), ...OUTCOME_COLUMNS],
      rows: r.groups.map((g) => ({ group: groupName(g), ...outcomeRow(g.result) })),
    });
  return tables;
}

// ------------------------------------------------------------------ stages

const dwellTables = (r: ReportResponse<'dwell'>): ReportTable[] => [
  {
    name: { zh: '阶段停留', en: 'Days in stage' },
    columns: [
      STAGE,
      col('count', '已结束停留', 'Stays ended', 'integer'),
      col('openCount', '仍在停留', 'Stays running', 'integer'),
      col('meanDays', '平均天数', 'Mean days', 'days'),
      col('medianDays', '中位天数', 'Median days', 'days'),
      col('kmMedianDays', '中位天数(KM)', 'Median days (KM)', 'days'),
      col('standardDwellDays', '标准天数', 'Standard days', 'days'),
      col('ratioToStandard', '实际 / 标准', 'Actual / standard', 'number'),
    ],
    rows: r.stages.map((s) => ({
      stage: s.name,
      count: s.count,
      openCount: s.openCount,
      meanDays: s.meanDays,
      medianDays: s.medianDays,
      kmMedianDays: s.kmMedianDays,
      standardDwellDays: s.standardDwellDays,
      ratioToStandard: s.ratioToStandard,
    })),
  },
];

const standardFunnelTables = (r: ReportResponse<'standard-funnel'>): ReportTable[] => [
  {
    name: { zh: '标准漏斗对比', en: 'Standard funnel' },
    columns: [
      STAGE,
      col('actual', '当前在途', 'Open now', 'integer'),
      col('amount', '预计金额', 'Amount', 'money'),
      col('weighted', '加权金额', 'Weighted amount', 'money'),
      col('standardCountRatio', '标准比例', 'Standard ratio', 'number'),
      col('standard', '标准数量', 'Standard count', 'number'),
      col('difference', '差额', 'Difference', 'number'),
      col('ratioToStandard', '实际 / 标准', 'Actual / standard', 'number'),
    ],
    rows: r.stages.map((s) => ({
      stage: s.name,
      actual: s.actual,
      amount: s.amount,
      weighted: s.weighted,
      standardCountRatio: s.standardCountRatio,
      standard: s.standard,
      difference: s.difference,
      ratioToStandard: s.ratioToStandard,
    })),
  },
];

const healthTables = (r: ReportResponse<'health'>): ReportTable[] => [
  {
    name: { zh: '漏斗健康度', en: 'Funnel health' },
    columns: [
      col('weightedPipeline', '加权管道', 'Weighted pipeline', 'money'),
      col('target', '目标', 'Target', 'money'),
      col('realised', '已成交', 'Realised', 'money'),
      col('remainingTarget', '剩余目标', 'Remaining target', 'money'),
      col('coverage', '目标覆盖率(倍)', 'Coverage (times)', 'number'),
      col('evenness', '均匀度', 'Evenness', 'percent'),
      col('totalVariationDistance', '总变差距离', 'Total variation distance', 'percent'),
      col('velocity', '流速(天数 / 标准)', 'Velocity (days / standard)', 'number'),
    ],
    rows: [
      {
        weightedPipeline: r.capacity.weightedPipeline,
        target: r.capacity.target,
        realised: r.capacity.realised,
        remainingTarget: r.capacity.remainingTarget,
        coverage: r.capacity.coverage,
        evenness: r.evenness.value,
        totalVariationDistance: r.evenness.totalVariationDistance,
        velocity: r.velocity.overall,
      },
    ],
  },
  {
    name: { zh: '斜率', en: 'Slope' },
    columns: [
      FROM,
      TO,
      col('actual', '实际转化率', 'Actual conversion', 'percent'),
      col('standard', '标准转化率', 'Standard conversion', 'percent'),
      col('ratioToStandard', '实际 / 标准', 'Actual / standard', 'number'),
    ],
    rows: r.slope.map((s) => ({
      from: s.fromName,
      to: s.toName,
      actual: s.actual,
      standard: s.standard,
      ratioToStandard: s.ratioToStandard,
    })),
  },
];

// ------------------------------------------------------------------ forecast and money

type ForecastLine = ReportResponse<'forecast'>['total'];

const FORECAST_AMOUNTS = [
  col('realisedCount', '已成交数', 'Won deals', 'integer'),
  col('openCount', '在途数', 'Open deals', 'integer'),
  col('realised', '已成交金额', 'Realised', 'money'),
  col('weighted', '加权金额', 'Weighted', 'money'),
  col('total', '预测合计', 'Forecast', 'money'),
];
const forecastAmounts = (l: ForecastLine): RowValues => ({
  realisedCount: l.realisedCount,
  openCount: l.openCount,
  realised: l.realised,
  weighted: l.weighted,
  total: l.total,
});

function forecastTables(r: ReportResponse<'forecast'>): ReportTable[] {
  const lines = (name: Named, key: ColumnDef, lines: ForecastLine[]): ReportTable => ({
    name,
    columns: [key, ...FORECAST_AMOUNTS],
    rows: lines.map((l) => ({ key: l.label ?? l.key, ...forecastAmounts(l) })),
  });
  const category = col('key', '预测类别', 'Category', 'text');
  return [
    {
      name: { zh: '预测合计', en: 'Forecast total' },
      columns: [
        ...FORECAST_AMOUNTS,
        col('undatedCount', '无预计成交日:商机数', 'No close date: deals', 'integer'),
        col('undatedWeighted', '无预计成交日:加权金额', 'No close date: weighted', 'money'),
        col('overdueCount', '已过预计成交日:商机数', 'Close date passed: deals', 'integer'),
        col('overdueWeighted', '已过预计成交日:加权金额', 'Close date passed: weighted', 'money'),
      ],
      rows: [
        {
          ...forecastAmounts(r.total),
          undatedCount: r.excluded.undated.count,
          undatedWeighted: r.excluded.undated.weighted,
          overdueCount: r.excluded.overdue.count,
          overdueWeighted: r.excluded.overdue.weighted,
        },
      ],
    },
    lines({ zh: '按月', en: 'By month' }, col('key', '月份', 'Month', 'text'), r.byMonth),
    lines({ zh: '按销售', en: 'By rep' }, col('key', '负责人', 'Rep', 'text'), r.byOwner),
    lines({ zh: '按团队', en: 'By team' }, col('key', '团队', 'Team', 'text'), r.byTeam),
    lines({ zh: '按预测类别', en: 'By category' }, category, r.byBucket),
    {
      name: { zh: '按月与类别', en: 'By month and category' },
      columns: [col('month', '月份', 'Month', 'text'), category, ...FORECAST_AMOUNTS],
      rows: r.byMonthBucket.map((l) => ({
        month: l.month,
        key: l.label ?? l.key,
        ...forecastAmounts(l),
      })),
    },
  ];
}

const backtestTables = (r: ReportResponse<'forecast-backtest'>): ReportTable[] => [
  {
    name: { zh: '预测回测', en: 'Forecast backtest' },
    columns: [
      col('month', '月份', 'Month', 'text'),
      col('at', '预测时点', 'Forecast at', 'datetime'),
      col('forecast', '加权预测', 'Forecast', 'money'),
      col('forecastCount', '预测商机数', 'Forecast deals', 'integer'),
      col('actual', '实际成交', 'Actual', 'money'),
      col('actualCount', '实际成交数', 'Actual deals', 'integer'),
      col('actualFromForecast', '预测内商机的成交', 'Actual from forecast deals', 'money'),
      col('error', '偏差(实际 − 预测)', 'Error (actual − forecast)', 'money'),
      col('ratio', '实际 / 预测', 'Actual / forecast', 'number'),
    ],
    rows: [
      {
        month: r.month,
        at: new Date(r.at),
        forecast: r.forecast,
        forecastCount: r.forecastCount,
        actual: r.actual,
        actualCount: r.actualCount,
        actualFromForecast: r.actualFromForecast,
        error: r.error,
        ratio: r.ratio,
      },
    ],
  },
];

const collectionsTables = (r: ReportResponse<'collections'>): ReportTable[] => [
  {
    name: { zh: '回款', en: 'Collections' },
    columns: [
      col('expectedCount', '应收笔数', 'Expected: count', 'integer'),
      col('expected', '应收金额', 'Expected: amount', 'money'),
      col('receivedCount', '已回款笔数', 'Received: count', 'integer'),
      col('received', '已回款金额', 'Received: amount', 'money'),
      ...rateColumns(
        'collectionRate',
        { zh: '回款率', en: 'Collection rate' },
        { zh: '应收中已回款', en: 'received of expected' },
        { zh: '应收金额', en: 'expected' },
        { amounts: true },
      ),
      col('outstandingCount', '待收笔数', 'Outstanding: count', 'integer'),
      col('outstanding', '待收金额', 'Outstanding: amount', 'money'),
      col('overdueCount', '逾期笔数', 'Overdue: count', 'integer'),
      col('overdue', '逾期金额', 'Overdue: amount', 'money'),
    ],
    rows: [
      {
        expectedCount: r.expected.count,
        expected: r.expected.amount,
        receivedCount: r.received.count,
        received: r.received.amount,
        ...rateValues('collectionRate', r.collectionRate),
        outstandingCount: r.outstanding.count,
        outstanding: r.outstanding.amount,
        overdueCount: r.overdue.count,
        overdue: r.overdue.amount,
      },
    ],
  },
];

const calibrationTables = (r: ReportResponse<'calibration'>): ReportTable[] => [
  {
    name: { zh: '赢率校准', en: 'Calibration' },
    columns: [
      STAGE,
      col('configured', '设定赢率', 'Configured probability', 'percent'),
      col('everIn', '曾到达', 'Ever in the stage', 'integer'),
      ...rateColumns(
        'observed',
        { zh: '实际赢率', en: 'Observed win rate' },
        { zh: '赢单', en: 'won' },
        { zh: '已关闭', en: 'closed' },
        { interval: true },
      ),
      col('withinInterval', '设定值在区间内', 'Configured within interval', 'text'),
    ],
    rows: r.stages.map((s) => ({
      stage: s.name,
      configured: s.configured,
      everIn: s.everIn,
      ...rateValues('observed', s.observed, s.interval),
      withinInterval: s.withinInterval === null ? null : s.withinInterval ? 'yes' : 'no',
    })),
  },
];

const velocityTables = (r: ReportResponse<'velocity'>): ReportTable[] => [
  {
    name: { zh: '销售速度', en: 'Sales velocity' },
    columns: [
      col('openDeals', '在途商机', 'Open deals', 'integer'),
      col('averageWonAmount', '平均成交金额', 'Average won amount', 'money'),
      ...rateColumns(
        'winRate',
        { zh: '赢率', en: 'Win rate' },
        { zh: '赢单', en: 'won' },
        { zh: '已关闭', en: 'closed' },
      ),
      col('averageCycleDays', '平均销售周期(天)', 'Average cycle (days)', 'days'),
      col('perDay', '每天预期收入', 'Per day', 'money'),
      col('per30Days', '每 30 天预期收入', 'Per 30 days', 'money'),
    ],
    rows: [
      {
        openDeals: r.openDeals,
        averageWonAmount: r.averageWonAmount,
        ...rateValues('winRate', r.winRate),
        averageCycleDays: r.averageCycleDays,
        perDay: r.perDay,
        per30Days: r.per30Days,
      },
    ],
  },
];

// ------------------------------------------------------------------ breakdowns

type Reason = ReportResponse<'loss-reasons'>['top'][number];

const REASON_COLUMNS = [
  col('reason', '输单原因', 'Loss reason', 'text'),
  col('code', '原因代码', 'Reason code', 'text'),
  ...rateColumns(
    'share',
    { zh: '占比', en: 'Share' },
    { zh: '因此原因输单', en: 'lost for this reason' },
    { zh: '输单总数', en: 'lost' },
  ),
];
const reasonRow = (t: Reason): RowValues => ({
  reason: t.label ?? t.reason,
  code: t.reason,
  ...rateValues('share', t.share),
});

const lossReasonsTables = (r: ReportResponse<'loss-reasons'>): ReportTable[] => [
  {
    name: { zh: '输单原因(前 3)', en: 'Top loss reasons' },
    columns: REASON_COLUMNS,
    rows: r.top.map(reasonRow),
  },
  {
    name: { zh: '按输单阶段', en: 'By stage lost from' },
    columns: [col('stage', '输单阶段', 'Lost from stage', 'text'), ...REASON_COLUMNS],
    rows: r.byStage.flatMap((s) => s.top.map((t) => ({ stage: s.name, ...reasonRow(t) }))),
  },
];

const teamTables = (r: ReportResponse<'team'>): ReportTable[] => [
  {
    name: { zh: '团队对比', en: 'Team' },
    columns: [
      col('rep', '销售代表', 'Rep', 'text'),
      ...rateColumns(
        'conversion',
        { zh: '转化率', en: 'Conversion' },
        { zh: '赢单', en: 'won' },
        { zh: '新建', en: 'created' },
      ),
      col('followUpsPerOpportunity', '单均跟进次数', 'Follow-ups per opportunity', 'number'),
      ...rateColumns(
        'priorityA',
        { zh: 'A 类转化率', en: 'A-priority conversion' },
        { zh: 'A 类赢单', en: 'A won' },
        { zh: 'A 类新建', en: 'A created' },
      ),
      col('due', '应跟进', 'Follow-ups due', 'integer'),
      col('cancelled', '已取消', 'Cancelled', 'integer'),
      col('late', '延迟完成', 'Done late', 'integer'),
      ...rateColumns(
        'onTimeRate',
        { zh: '按时跟进率', en: 'On-time rate' },
        { zh: '按时完成', en: 'on time' },
        { zh: '应跟进(不含取消)', en: 'due (not cancelled)' },
      ),
      ...rateColumns(
        'overdueRate',
        { zh: '逾期率', en: 'Overdue rate' },
        { zh: '仍未完成', en: 'overdue' },
        { zh: '应跟进(不含取消)', en: 'due (not cancelled)' },
      ),
      ...rateColumns(
        'lateEntryRate',
        { zh: '补录率', en: 'Late-entry rate' },
        { zh: '超时录入', en: 'entered late' },
        { zh: '已记录', en: 'recorded' },
      ),
    ],
    rows: r.reps.map((rep) => ({
      rep: rep.name,
      ...rateValues('conversion', rep.conversion),
      followUpsPerOpportunity: rep.followUpsPerOpportunity,
      ...rateValues('priorityA', rep.priorityA),
      due: rep.compliance.due,
      cancelled: rep.compliance.cancelled,
      late: rep.compliance.late,
      ...rateValues('onTimeRate', rep.compliance.onTimeRate),
      ...rateValues('overdueRate', rep.compliance.overdueRate),
      ...rateValues('lateEntryRate', rep.compliance.lateEntryRate),
    })),
  },
];

const channelsTables = (r: ReportResponse<'channels'>): ReportTable[] => [
  {
    name: { zh: '渠道效果', en: 'Channels' },
    columns: [
      groupColumn(r.groupBy),
      col('code', '代码', 'Code', 'text'),
      ...rateColumns(
        'conversion',
        { zh: '转化率', en: 'Conversion' },
        { zh: '赢单', en: 'won' },
        { zh: '新建', en: 'created' },
      ),
      col('wonTotal', '成交金额', 'Won amount', 'money'),
      col('averageWonAmount', '平均成交金额', 'Average won amount', 'money'),
    ],
    rows: r.channels.map((c) => ({
      group: groupName(c),
      code: c.key,
      ...rateValues('conversion', c.conversion),
      wonTotal: c.wonTotal,
      averageWonAmount: c.averageWonAmount,
    })),
  },
];

const missedEntryTables = (r: ReportResponse<'missed-entry'>): ReportTable[] => [
  {
    name: { zh: '漏网率', en: 'Missed entry' },
    columns: rateColumns(
      'rate',
      { zh: '漏网率', en: 'Missed-entry rate' },
      { zh: '信息不全', en: 'incomplete' },
      { zh: '已接触', en: 'contacted' },
    ),
    rows: [rateValues('rate', r.rate)],
  },
  {
    name: { zh: '缺失字段', en: 'Missing fields' },
    columns: [
      col('field', '字段', 'Field', 'text'),
      col('count', '缺失次数', 'Missing in', 'integer'),
    ],
    rows: r.byField.map((f) => ({ field: f.field, count: f.count })),
  },
];

const bottlenecksTables = (r: ReportResponse<'bottlenecks'>): ReportTable[] => [
  {
    name: { zh: '瓶颈', en: 'Bottlenecks' },
    columns: [
      FROM,
      TO,
      ...rateColumns(
        'observed',
        { zh: '实际转化率', en: 'Observed conversion' },
        { zh: '到达目标阶段', en: 'reached "to"' },
        { zh: '到达起始阶段', en: 'reached "from"' },
        { interval: true },
      ),
      col('benchmark', '基准转化率', 'Benchmark', 'percent'),
      col('source', '基准来源', 'Benchmark source', 'text'),
      col('verdict', '结论', 'Verdict', 'text'),
      col('pValueBelow', 'p 值(偏低)', 'p-value (below)', 'number'),
      col('pValueAbove', 'p 值(偏高)', 'p-value (above)', 'number'),
    ],
    rows: r.rows.map((b) => ({
      from: b.fromName,
      to: b.toName,
      ...rateValues('observed', { numerator: b.successes, denominator: b.n, value: b.observed }),
      'observed.low': b.interval?.lower ?? null,
      'observed.high': b.interval?.upper ?? null,
      benchmark: b.benchmark,
      source: b.source,
      verdict: b.verdict,
      pValueBelow: b.pValueBelow,
      pValueAbove: b.pValueAbove,
    })),
  },
];

const trendTables = (r: ReportResponse<'trend'>): ReportTable[] => [
  {
    name: { zh: '趋势', en: 'Trend' },
    columns: [
      col(
        'bucket',
        r.interval === 'quarter' ? '季度' : '月份',
        r.interval === 'quarter' ? 'Quarter' : 'Month',
        'text',
      ),
      ...rateColumns(
        'conversion',
        { zh: '转化率', en: 'Conversion' },
        { zh: '赢单', en: 'won' },
        { zh: '新建', en: 'created' },
      ),
      ...rateColumns(
        'winRate',
        { zh: '赢率', en: 'Win rate' },
        { zh: '赢单', en: 'won' },
        { zh: '已关闭', en: 'closed' },
      ),
      col('lost', '输单', 'Lost', 'integer'),
      col('wonAmount', '成交金额', 'Won amount', 'money'),
    ],
    rows: r.points.map((p) => ({
      bucket: p.bucket,
      ...rateValues('conversion', p.conversion),
      ...rateValues('winRate', p.winRate),
      lost: p.lost,
      wonAmount: p.wonAmount,
    })),
  },
];

const dashboardTables = (r: ReportResponse<'dashboard'>, query: ReportQuery): ReportTable[] => [
  ...funnelTables(r.funnel, query),
  ...outcomesTables(r.outcomes, query),
  ...dwellTables(r.dwell),
  ...standardFunnelTables(r.standard),
  ...forecastTables(r.forecast),
  ...velocityTables(r.velocity),
  ...lossReasonsTables(r.losses),
  ...teamTables(r.team),
  ...channelsTables(r.channels),
  ...bottlenecksTables(r.bottlenecks),
  ...trendTables(r.trend),
];

// ------------------------------------------------------------------ all of them

/** The parameters a report was asked with (groupBy names the group column; all are listed in "About"). */
export type ReportQuery = Record<string, unknown> & { groupBy?: string | undefined };

const TABLES: { [K in ReportName]: (r: ReportResponse<K>, query: ReportQuery) => ReportTable[] } = {
  funnel: funnelTables,
  outcomes: outcomesTables,
  dwell: dwellTables,
  'standard-funnel': standardFunnelTables,
  health: healthTables,
  forecast: forecastTables,
  'forecast-backtest': backtestTables,
  collections: collectionsTables,
  calibration: calibrationTables,
  velocity: velocityTables,
  'loss-reasons': lossReasonsTables,
  team: teamTables,
  channels: channelsTables,
  'missed-entry': missedEntryTables,
  bottlenecks: bottlenecksTables,
  trend: trendTables,
  dashboard: dashboardTables,
};

/** The last table: which report, definition, period (first and last day) and query. */
function aboutTable(name: ReportName, response: object, query: ReportQuery): ReportTable {
  const meta = response as {
    metric?: string;
    definition?: string;
    period?: z.infer<typeof PeriodOut>;
    month?: string;
  };
  const period = meta.period;
  return {
    name: { zh: '报表说明', en: 'About' },
    columns: [
      col('report', '报表', 'Report', 'text'),
      col('metric', '指标', 'Metric', 'text'),
      col('definition', '定义', 'Definition', 'text'),
      col('period', '期间', 'Period', 'text'),
      col('first', '起始日', 'First day', 'date'),
      col('last', '截止日', 'Last day', 'date'),
      col('timeZone', '时区', 'Time zone', 'text'),
      col('query', '查询条件', 'Query', 'text'),
    ],
    rows: [
      {
        report: name,
        metric: meta.metric ?? name,
        definition: meta.definition ?? 'docs/analytics.md',
        period: period?.label ?? meta.month ?? null,
        first: period ? localDate(new Date(period.from), period.timeZone) : null,
        // The period's end is exclusive: its last day is the day before.
        last: period ? localDate(new Date(Date.parse(period.to) - 1), period.timeZone) : null,
        timeZone: period?.timeZone ?? null,
        query: JSON.stringify(query),
      },
    ],
  };
}

/** A report response as tables, ending with the "About" table. */
export function reportTables<K extends ReportName>(
  name: K,
  response: ReportResponse<K>,
  query: ReportQuery,
): ReportTable[] {
  const flatten = TABLES[name] as (r: ReportResponse<K>, q: ReportQuery) => ReportTable[];
  return [...flatten(response, query), aboutTable(name, response, query)];
}
