/**
 * The funnel: chart and stage table, as a cohort (of the opportunities created in the period,
 * how many ever reached each stage) or as the period's flow (entries into each stage during the
 * period); every chart and table says which. Bottlenecks beside it: only significant results
 * are called bottlenecks, small samples say "not enough data" (docs/analytics.md#bottlenecks).
 */
import { useMemo } from 'react';
import {
  Alert,
  Col,
  DatePicker,
  Empty,
  Row,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useQuery, keepPreviousData } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useSearchParams } from 'react-router';
import type { GROUP_BYS } from '@funnel/contracts';
import { addDays } from '@funnel/domain';
import { api, type QueryValue } from '../../api/client';
import type {
  BottlenecksResponse,
  CohortFunnel,
  DashboardResponse,
  FlowFunnel,
  FunnelResponse,
  Rate,
} from '../../api/types';
import { useI18n } from '../../i18n';
import { wallTimeToIso } from '../../lib/format';
import { Chart, RateValue, Section } from './figures';
import { funnelChartOption, type FunnelChartStage } from './chart-options';
import { useAnalyticsFormat } from './useAnalyticsFormat';

type Mode = 'cohort' | 'flow';
type Benchmark = 'history' | 'configured';
// The contract's groupings (checked against it at compile time; importing the value would bring
// zod into the page) without the size band, which needs account sizes most data lacks.
const GROUPINGS = [
  'owner',
  'team',
  'region',
  'productLine',
  'industry',
  'source',
  'priority',
] as const satisfies readonly (typeof GROUP_BYS)[number][];

interface StageRow {
  stageId: string;
  name: string;
  index: number;
  isWon: boolean;
  count: number;
  toNext: { rate: Rate; interval: { lower: number; upper: number } | null; toName: string } | null;
  cumulative: Rate | null;
  dropOff: Rate | null;
}

function cohortRows(result: CohortFunnel): StageRow[] {
  const last = result.stages.length - 1;
  return result.stages.map((stage, index) => {
    const step = result.steps[index];
    return {
      stageId: stage.stageId,
      name: stage.name,
      index,
      isWon: index === last,
      count: stage.reached,
      toNext: step ? { rate: step.rate, interval: step.interval, toName: step.toName } : null,
      cumulative: stage.cumulative,
      dropOff: index === last ? null : stage.dropOff,
    };
  });
}

function flowRows(result: FlowFunnel): StageRow[] {
  const last = result.stages.length - 1;
  return result.stages.map((stage, index) => {
    const step = result.steps[index];
    return {
      stageId: stage.stageId,
      name: stage.name,
      index,
      isWon: index === last,
      count: stage.entered,
      toNext: step ? { rate: step.rate, interval: step.interval, toName: step.toName } : null,
      cumulative: null,
      dropOff: null,
    };
  });
}

export function FunnelSection({
  dashboard,
  query,
}: {
  dashboard: DashboardResponse;
  query: Record<string, QueryValue>;
}) {
  const { t } = useI18n();
  const format = useAnalyticsFormat();
  const [params, setParams] = useSearchParams();
  const mode: Mode = params.get('mode') === 'flow' ? 'flow' : 'cohort';
  const asOfDay = mode === 'cohort' ? params.get('asOf') : null;
  const groupBy = mode === 'cohort' ? params.get('groupBy') : null;
  const benchmark: Benchmark = params.get('benchmark') === 'configured' ? 'configured' : 'history';
  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  // as of the end of the chosen day in the workspace zone (events at that instant count)
  const asOf = asOfDay
    ? new Date(
        Date.parse(
          wallTimeToIso(
            (() => {
              const [y, m, d] = addDays(asOfDay, 1).split('-').map(Number) as [
                number,
                number,
                number,
              ];
              return { year: y, month: m, day: d, hour: 0, minute: 0 };
            })(),
            format.timeZone,
          ),
        ) - 1000,
      ).toISOString()
    : undefined;
  const ownFunnel = mode === 'flow' || Boolean(asOf);
  const funnel = useQuery({
    queryKey: ['analytics', 'funnel', query, mode, asOf],
    queryFn: () => api.get<FunnelResponse>('/analytics/funnel', { ...query, mode, asOf }),
    enabled: ownFunnel,
    placeholderData: keepPreviousData,
  });
  const grouped = useQuery({
    queryKey: ['analytics', 'funnel', query, 'grouped', groupBy, asOf],
    queryFn: () =>
      api.get<FunnelResponse>('/analytics/funnel', { ...query, mode: 'cohort', groupBy, asOf }),
    enabled: Boolean(groupBy),
  });
  const configured = useQuery({
    queryKey: ['analytics', 'bottlenecks', query, 'configured'],
    queryFn: () =>
      api.get<BottlenecksResponse>('/analytics/bottlenecks', { ...query, benchmark: 'configured' }),
    enabled: benchmark === 'configured',
  });

  const report = ownFunnel ? funnel.data : dashboard.funnel;
  const shownMode: Mode = report?.mode ?? mode;
  const rows = useMemo(() => {
    if (!report) return [];
    return report.mode === 'flow'
      ? flowRows(report.result as FlowFunnel)
      : cohortRows(report.result as CohortFunnel);
  }, [report]);
  const cohortSize =
    report && report.mode === 'cohort' ? (report.result as CohortFunnel).cohortSize : null;
  const period = dashboard.period.label;
  const countLabel =
    shownMode === 'cohort' ? t('dashboard.funnel.reached') : t('dashboard.funnel.entered');
  const modeLabel =
    shownMode === 'cohort'
      ? t('dashboard.funnel.cohortLabel', { period, count: format.number(cohortSize ?? 0) })
      : t('dashboard.funnel.flowLabel', { period });

  const chartStages: FunnelChartStage[] = rows.map((row, index) => ({
    name: row.name,
    value: row.count,
    cumulative: row.cumulative ?? undefined,
    fromPrevious: index > 0 ? rows[index - 1]!.toNext?.rate : undefined,
  }));
  const empty = rows.every((row) => row.count === 0);
  const option = empty
    ? null
    : funnelChartOption(
        chartStages,
        {
          seriesName: modeLabel,
          countLabel,
          cumulativeLabel: t('dashboard.funnel.cumulative'),
          fromPreviousLabel: t('dashboard.funnel.fromPrevious'),
        },
        format.chart,
      );

  const standardById = new Map(dashboard.standard.stages.map((s) => [s.stageId, s]));
  const dwellById = new Map(dashboard.dwell.stages.map((s) => [s.stageId, s]));
  const bottlenecks = benchmark === 'configured' ? configured.data : dashboard.bottlenecks;

  return (
    <Section
      testId="funnel-section"
      title={t('dashboard.funnel.title')}
      subtitle={<span data-testid="funnel-mode-label">{modeLabel}</span>}
      extra={
        <Space wrap size={8}>
          {mode === 'cohort' ? (
            <>
              <Select
                allowClear
                placeholder={t('dashboard.funnel.groupBy')}
                value={groupBy ?? undefined}
                options={GROUPINGS.map((g) => ({ value: g, label: t(`dashboard.group.${g}`) }))}
                onChange={(value?: string) => setParam('groupBy', value ?? null)}
                style={{ width: 140 }}
                data-testid="funnel-group-by"
              />
              <DatePicker
                placeholder={t('dashboard.funnel.asOf')}
                value={asOfDay ? dayjs(asOfDay) : null}
                onChange={(value) => setParam('asOf', value ? value.format('YYYY-MM-DD') : null)}
                style={{ width: 150 }}
                data-testid="funnel-as-of"
              />
            </>
          ) : null}
          <Segmented<Mode>
            value={mode}
            options={[
              { value: 'cohort', label: t('dashboard.funnel.cohort') },
              { value: 'flow', label: t('dashboard.funnel.flow') },
            ]}
            onChange={(value) => setParam('mode', value === 'flow' ? 'flow' : null)}
            data-testid="funnel-mode"
          />
        </Space>
      }
    >
      <Row gutter={[16, 12]}>
        <Col xs={24} lg={10}>
          <Typography.Text
            type="secondary"
            className="chart-caption"
            data-testid="funnel-chart-label"
          >
            {t('dashboard.funnel.chartCaption', { what: countLabel, label: modeLabel })}
          </Typography.Text>
          <Chart
            option={option}
            height={300}
            testId="funnel-chart"
            label={modeLabel}
            empty={
              shownMode === 'cohort'
                ? t('dashboard.empty.cohort', { period })
                : t('dashboard.empty.flow', { period })
            }
          />
        </Col>
        <Col xs={24} lg={14}>
          <BottleneckCallouts
            report={bottlenecks}
            loading={benchmark === 'configured' && configured.isPending}
            benchmark={benchmark}
            onBenchmark={(value) => setParam('benchmark', value === 'configured' ? value : null)}
          />
        </Col>
      </Row>
      <Typography.Text type="secondary" className="table-caption" data-testid="stage-table-label">
        {t('dashboard.stageTable.caption', { label: modeLabel })}
      </Typography.Text>
      <Table<StageRow>
        rowKey="stageId"
        size="small"
        pagination={false}
        loading={ownFunnel && funnel.isFetching}
        dataSource={rows}
        data-testid="stage-table"
        onRow={(row) => ({ 'data-stage-id': row.stageId, 'data-testid': 'stage-row' }) as never}
        scroll={{ x: 1000 }}
        columns={[
          {
            title: t('field.stage'),
            dataIndex: 'name',
            fixed: 'left',
            width: 110,
            render: (name: string, row) => (row.isWon ? <Tag color="green">{name}</Tag> : name),
          },
          {
            title: countLabel,
            dataIndex: 'count',
            align: 'right',
            width: 80,
            render: (count: number) => (
              <span data-testid="stage-count">{format.number(count)}</span>
            ),
          },
          {
            title: t('dashboard.stageTable.toNext'),
            key: 'toNext',
            width: 170,
            render: (_, row) =>
              row.toNext ? (
                <span>
                  <RateValue
                    rate={row.toNext.rate}
                    label={t(
                      shownMode === 'cohort'
                        ? 'dashboard.stageTable.toNextFraction'
                        : 'dashboard.stageTable.toNextFlowFraction',
                      {
                        from: row.name,
                        to: row.toNext.toName,
                      },
                    )}
                    testId="stage-step-rate"
                  />
                  <Tooltip title={t('dashboard.interval95')}>
                    <span className="interval-text">{format.interval(row.toNext.interval)}</span>
                  </Tooltip>
                </span>
              ) : (
                '—'
              ),
          },
          ...(shownMode === 'cohort'
            ? [
                {
                  title: t('dashboard.funnel.cumulative'),
                  key: 'cumulative',
                  align: 'right' as const,
                  width: 90,
                  render: (_: unknown, row: StageRow) =>
                    row.cumulative ? (
                      <RateValue
                        rate={row.cumulative}
                        label={t('dashboard.stageTable.cumulativeFraction')}
                      />
                    ) : (
                      '—'
                    ),
                },
                {
                  title: t('dashboard.stageTable.dropOff'),
                  key: 'dropOff',
                  align: 'right' as const,
                  width: 90,
                  render: (_: unknown, row: StageRow) =>
                    row.dropOff ? (
                      <RateValue
                        rate={row.dropOff}
                        label={t('dashboard.stageTable.dropOffFraction')}
                      />
                    ) : (
                      '—'
                    ),
                },
              ]
            : []),
          {
            title: t('dashboard.stageTable.openNow'),
            key: 'open',
            align: 'right',
            width: 90,
            render: (_, row) => {
              const s = standardById.get(row.stageId);
              return s ? format.number(s.actual) : '—';
            },
          },
          {
            title: t('dashboard.stageTable.amount'),
            key: 'amount',
            align: 'right',
            width: 170,
            render: (_, row) => {
              const s = standardById.get(row.stageId);
              return s ? (
                <Tooltip title={t('dashboard.stageTable.amountHelp')}>
                  <span>
                    {format.money(s.amount)}
                    <Typography.Text type="secondary">
                      {' '}
                      · {format.money(s.weighted)}
                    </Typography.Text>
                  </span>
                </Tooltip>
              ) : (
                '—'
              );
            },
          },
          {
            title: t('dashboard.stageTable.standardCount'),
            key: 'standard',
            align: 'right',
            width: 130,
            render: (_, row) => {
              const s = standardById.get(row.stageId);
              if (!s || s.standard === null) return '—';
              const short = s.ratioToStandard !== null && s.ratioToStandard < 1;
              return (
                <Tooltip
                  title={t('dashboard.stageTable.standardHelp', {
                    ratio: s.standardCountRatio ?? '—',
                    ratioToStandard: format.ratio(s.ratioToStandard),
                  })}
                >
                  <span className={short ? 'figure-below' : undefined}>
                    {format.number(s.actual)} / {format.days(s.standard)}
                  </span>
                </Tooltip>
              );
            },
          },
          {
            title: t('dashboard.stageTable.dwell'),
            key: 'dwell',
            align: 'right',
            width: 140,
            render: (_, row) => {
              const d = dwellById.get(row.stageId);
              if (!d) return '—';
              const over = d.ratioToStandard !== null && d.ratioToStandard > 1;
              return (
                <Tooltip
                  title={t('dashboard.stageTable.dwellHelp', {
                    count: d.count,
                    open: d.openCount,
                    median: format.days(d.medianDays),
                  })}
                >
                  <span className={over ? 'figure-over' : undefined} data-testid="stage-dwell">
                    {format.days(d.meanDays)} / {format.days(d.standardDwellDays)}
                  </span>
                </Tooltip>
              );
            },
          },
        ]}
      />
      {groupBy ? (
        <GroupedFunnel
          report={grouped.data}
          loading={grouped.isPending}
          groupLabel={t(`dashboard.group.${groupBy as (typeof GROUPINGS)[number]}`)}
        />
      ) : null}
    </Section>
  );
}

function BottleneckCallouts({
  report,
  loading,
  benchmark,
  onBenchmark,
}: {
  report: BottlenecksResponse | undefined;
  loading: boolean;
  benchmark: Benchmark;
  onBenchmark: (value: Benchmark) => void;
}) {
  const { t } = useI18n();
  const format = useAnalyticsFormat();
  const rows = report?.rows ?? [];
  const below = rows.filter((r) => r.verdict === 'below');
  const insufficient = rows.filter((r) => r.verdict === 'insufficient_data');
  const fine = rows.filter((r) => r.verdict === 'not_significant' || r.verdict === 'above');
  const source = t(`dashboard.bottleneck.source.${benchmark}`);
  return (
    <div data-testid="bottlenecks">
      <div className="page-toolbar" style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('dashboard.bottleneck.title')}</Typography.Text>
        <Segmented<Benchmark>
          size="small"
          value={benchmark}
          options={[
            { value: 'history', label: t('dashboard.bottleneck.source.history') },
            { value: 'configured', label: t('dashboard.bottleneck.source.configured') },
          ]}
          onChange={onBenchmark}
          data-testid="bottleneck-benchmark"
        />
      </div>
      {loading ? null : rows.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={t(`dashboard.bottleneck.none.${benchmark}`)}
        />
      ) : (
        <Space orientation="vertical" size={6} style={{ width: '100%' }}>
          {below.length === 0 ? (
            <Alert
              type="success"
              showIcon
              title={t('dashboard.bottleneck.noneBelow', { source })}
              data-testid="bottleneck-none-below"
            />
          ) : (
            below.map((row) => (
              <Alert
                key={`${row.fromStageId}-${row.toStageId}`}
                type="warning"
                showIcon
                data-testid="bottleneck-below"
                title={t('dashboard.bottleneck.below', {
                  from: row.fromName,
                  to: row.toName,
                  observed: format.percent(row.observed),
                  benchmark: format.percent(row.benchmark),
                  source,
                  n: format.number(row.n),
                  x: format.number(row.successes),
                })}
                description={t('dashboard.bottleneck.belowDetail', {
                  interval: format.interval(row.interval),
                  p: row.pValueBelow === null ? '—' : row.pValueBelow.toPrecision(2),
                })}
              />
            ))
          )}
          {fine.length > 0 ? (
            <Typography.Text type="secondary" className="bottleneck-fine">
              {t('dashboard.bottleneck.fine')}{' '}
              {fine.map((row) => (
                <Tag
                  key={`${row.fromStageId}-${row.toStageId}`}
                  color={row.verdict === 'above' ? 'green' : undefined}
                >
                  {row.fromName} → {row.toName} {format.percent(row.observed)} (
                  {t(`dashboard.bottleneck.verdict.${row.verdict}`)}, n = {row.n})
                </Tag>
              ))}
            </Typography.Text>
          ) : null}
          {insufficient.length > 0 ? (
            <Typography.Text type="secondary" data-testid="bottleneck-insufficient">
              {t('dashboard.bottleneck.insufficient')}{' '}
              {insufficient.map((row) => (
                <Tag key={`${row.fromStageId}-${row.toStageId}`}>
                  {row.fromName} → {row.toName} (n = {row.n})
                </Tag>
              ))}
            </Typography.Text>
          ) : null}
        </Space>
      )}
    </div>
  );
}

function GroupedFunnel({
  report,
  loading,
  groupLabel,
}: {
  report: FunnelResponse | undefined;
  loading: boolean;
  groupLabel: string;
}) {
  const { t } = useI18n();
  const format = useAnalyticsFormat();
  const groups = report?.groups ?? [];
  const stages = groups[0]?.result.stages ?? [];
  return (
    <div style={{ marginTop: 12 }}>
      <Typography.Text type="secondary" className="table-caption">
        {t('dashboard.funnel.groupedCaption', { group: groupLabel })}
      </Typography.Text>
      <Table
        rowKey={(g) => g.key ?? '—'}
        size="small"
        loading={loading}
        pagination={false}
        dataSource={groups}
        data-testid="grouped-funnel"
        scroll={{ x: 800 }}
        columns={[
          {
            title: groupLabel,
            key: 'group',
            width: 140,
            fixed: 'left',
            render: (_, g) => g.label ?? t('dashboard.group.none'),
          },
          {
            title: t('dashboard.funnel.cohortSize'),
            key: 'size',
            align: 'right',
            width: 90,
            render: (_, g) => format.number(g.result.cohortSize),
          },
          ...stages.map((stage, index) => ({
            title: stage.name,
            key: stage.stageId,
            align: 'right' as const,
            render: (_: unknown, g: (typeof groups)[number]) => {
              const s = g.result.stages[index];
              return s ? (
                <span>
                  {format.number(s.reached)}{' '}
                  {index > 0 ? (
                    <RateValue
                      rate={s.cumulative}
                      label={t('dashboard.stageTable.cumulativeFraction')}
                    />
                  ) : null}
                </span>
              ) : (
                '—'
              );
            },
          })),
        ]}
      />
    </div>
  );
}
