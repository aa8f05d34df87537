/** The dashboard's sections other than the funnel; each says what it shows and for when. */
import {
  Col,
  Empty,
  List,
  Progress,
  Row,
  Segmented,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, type QueryValue } from '../../api/client';
import type {
  CalibrationResponse,
  CollectionsResponse,
  DashboardResponse,
  HealthResponse,
  LossReasonsResponse,
  MissedEntryResponse,
  TeamResponse,
  TrendResponse,
} from '../../api/types';
import { useI18n } from '../../i18n';
import { todayIn } from '../../lib/format';
import { monthSlices, periodDays } from './analytics-query';
import {
  channelChartOption,
  FORECAST_BUCKETS,
  forecastChartOption,
  teamChartOption,
  trendChartOption,
  wonBySourceOption,
  type ChannelPoint,
  type ForecastBucket,
  type ForecastMonth,
} from './chart-options';
import { Chart, Figure, RateValue, Section } from './figures';
import { useAnalyticsFormat } from './useAnalyticsFormat';

type Query = Record<string, QueryValue>;

// ---------------------------------------------------------------------------------------------

export function HeadlineFigures({
  dashboard,
  health,
  collections,
  missed,
  canSetTargets,
}: {
  dashboard: DashboardResponse;
  health: HealthResponse | undefined;
  collections: CollectionsResponse | undefined;
  missed: MissedEntryResponse | undefined;
  canSetTargets: boolean;
}) {
  const { t } = useI18n();
  const format = useAnalyticsFormat();
  const { winRate, dealSize, salesCycle, timeToWin } = dashboard.outcomes.result;
  const velocity = dashboard.velocity;
  const forecast = dashboard.forecast.total;
  const capacity = health?.capacity;
  const cards = [
    <Figure
      key="win"
      testId="figure-win-rate"
      title={t('dashboard.figure.winRate')}
      help={t('dashboard.figure.winRateHelp')}
      value={<RateValue rate={winRate.rate} label={t('dashboard.figure.winRateFraction')} strong />}
      detail={t('dashboard.figure.winRateDetail', {
        won: format.number(winRate.won),
        lost: format.number(winRate.lost),
      })}
    />,
    <Figure
      key="deal"
      testId="figure-deal-size"
      title={t('dashboard.figure.dealSize')}
      help={t('dashboard.figure.dealSizeHelp')}
      value={
        <Tooltip
          title={t('dashboard.figure.dealSizeFraction', {
            total: format.money(dealSize.total, true),
            count: format.number(dealSize.count),
          })}
        >
          <span className="rate-value-strong">{format.money(dealSize.average)}</span>
        </Tooltip>
      }
      detail={t('dashboard.figure.dealSizeDetail', { count: format.number(dealSize.count) })}
    />,
    <Figure
      key="cycle"
      testId="figure-cycle"
      title={t('dashboard.figure.cycle')}
      help={t('dashboard.figure.cycleHelp')}
      value={
        <span className="rate-value-strong">
          {salesCycle.meanDays === null
            ? '—'
            : t('dashboard.days', { days: format.days(salesCycle.meanDays) })}
        </span>
      }
      detail={
        <Tooltip
          title={t('dashboard.figure.kmHelp', {
            n: timeToWin.n,
            events: timeToWin.events,
            censored: timeToWin.censored,
          })}
        >
          <span>
            {t('dashboard.figure.cycleDetail', {
              median: format.days(salesCycle.medianDays),
              km: format.days(timeToWin.medianDays),
            })}
          </span>
        </Tooltip>
      }
    />,
    <Figure
      key="velocity"
      testId="figure-velocity"
      title={t('dashboard.figure.velocity')}
      help={t('dashboard.figure.velocityHelp')}
      value={
        <Tooltip
          title={t('dashboard.figure.velocityFormula', {
            open: format.number(velocity.openDeals),
            average: format.money(velocity.averageWonAmount),
            rate: format.rate(velocity.winRate),
            fraction: format.fraction(velocity.winRate),
            days: format.days(velocity.averageCycleDays),
          })}
        >
          <span className="rate-value-strong">{format.money(velocity.per30Days)}</span>
        </Tooltip>
      }
      detail={t('dashboard.figure.velocityDetail')}
    />,
    <Figure
      key="forecast"
      testId="figure-forecast"
      title={t('dashboard.figure.forecast')}
      help={t('dashboard.figure.forecastHelp')}
      value={<span className="rate-value-strong">{format.money(forecast.total)}</span>}
      detail={t('dashboard.figure.forecastDetail', {
        realised: format.money(forecast.realised),
        weighted: format.money(forecast.weighted),
      })}
    />,
    <Figure
      key="coverage"
      testId="figure-coverage"
      title={t('dashboard.figure.coverage')}
      help={t('dashboard.figure.coverageHelp')}
      value={
        capacity && capacity.coverage !== null ? (
          <Tooltip
            title={t('dashboard.figure.coverageFraction', {
              weighted: format.money(capacity.weightedPipeline),
              remaining: format.money(capacity.remainingTarget),
            })}
          >
            <span className="rate-value-strong">
              {t('dashboard.times', { value: format.ratio(capacity.coverage) })}
            </span>
          </Tooltip>
        ) : (
          <span className="rate-value-strong">—</span>
        )
      }
      detail={
        !capacity ? null : capacity.target === null ? (
          canSetTargets ? (
            <Link to="/targets">{t('dashboard.figure.noTargetSet')}</Link>
          ) : (
            t('dashboard.figure.noTarget')
          )
        ) : capacity.coverage === null ? (
          t('dashboard.figure.targetMet', { target: format.money(capacity.target) })
        ) : (
          t('dashboard.figure.coverageDetail', {
            target: format.money(capacity.target),
            realised: format.money(capacity.realised),
          })
        )
      }
    />,
    <Figure
      key="collections"
      testId="figure-collections"
      title={t('dashboard.figure.collections')}
      help={t('dashboard.figure.collectionsHelp')}
      value={
        collections ? (
          <Tooltip
            title={t('dashboard.figure.collectionsFraction', {
              received: format.money(collections.receivedOfExpected),
              expected: format.money(collections.expected.amount),
            })}
          >
            <span className="rate-value-strong">{format.money(collections.received.amount)}</span>
          </Tooltip>
        ) : (
          '—'
        )
      }
      detail={
        collections
          ? t('dashboard.figure.collectionsDetail', {
              expected: format.money(collections.expected.amount),
              outstanding: format.money(collections.outstanding.amount),
            })
          : null
      }
    />,
    <Figure
      key="missed"
      testId="figure-missed"
      title={t('dashboard.figure.missed')}
      help={t('dashboard.figure.missedHelp')}
      value={
        missed ? (
          <RateValue rate={missed.rate} label={t('dashboard.figure.missedFraction')} strong />
        ) : (
          '—'
        )
      }
      detail={
        missed
          ? t('dashboard.figure.missedDetail', {
              missed: format.number(missed.missed),
              contacted: format.number(missed.contacted),
            })
          : null
      }
    />,
  ];
  return (
    <Row gutter={[12, 12]} className="figures-row">
      {cards.map((card) => (
        <Col key={card.key} xs={12} md={6} xl={3}>
          {card}
        </Col>
      ))}
    </Row>
  );
}

// ---------------------------------------------------------------------------------------------

export function TrendSection({ dashboard, query }: { dashboard: DashboardResponse; query: Query }) {
  const { t } = useI18n();
  const format = useAnalyticsFormat();
  const [params, setParams] = useSearchParams();
  const interval = params.get('trend') === 'quarter' ? 'quarter' : 'month';
  // The dashboard's trend is monthly and ends with the period's last month (or today's); by
  // quarter the section asks for its own.
  const { last } = periodDays(dashboard.period);
  const today = todayIn(format.timeZone);
  const end = last < today ? last : today;
  const dashboardFits =
    interval === 'month' && dashboard.trend.points.at(-1)?.bucket === end.slice(0, 7);
  const own = useQuery({
    queryKey: ['analytics', 'trend', query, interval, end],
    queryFn: () =>
      api.get<TrendResponse>('/analytics/trend', {
        ...query,
        period: 'month',
        date: end,
        from: undefined,
        to: undefined,
        interval,
        count: interval === 'month' ? 12 : 8,
      }),
    enabled: !dashboardFits,
    placeholderData: keepPreviousData,
  });
  const trend = dashboardFits ? dashboard.trend : own.data;
  const points = trend?.points ?? [];
  const empty = points.every((p) => p.created === 0);
  const labels = {
    created: t('dashboard.trend.created'),
    won: t('dashboard.trend.won'),
    conversion: t('dashboard.trend.conversion'),
    countAxis: t('dashboard.trend.countAxis'),
  };
  return (
    <Section
      testId="trend-section"
      title={t('dashboard.trend.title')}
      subtitle={trend ? t('dashboard.trend.subtitle', { span: trend.period.label }) : null}
      extra={
        <Segmented<'month' | 'quarter'>
          size="small"
          value={interval}
          options={[
            { value: 'month', label: t('dashboard.trend.byMonth') },
            { value: 'quarter', label: t('dashboard.trend.byQuarter') },
          ]}
          onChange={(value) => {
            const next = new URLSearchParams(params);
            if (value === 'quarter') next.set('trend', 'quarter');
            else next.delete('trend');
            setParams(next, { replace: true });
          }}
          data-testid="trend-interval"
        />
      }
    >
      <Chart
        option={!trend || empty ? null : trendChartOption(points, labels, format.chart)}
        height={260}
        testId="trend-chart"
        label={t('dashboard.trend.title')}
        empty={trend ? t('dashboard.empty.trend') : ''}
      />
    </Section>
  );
}

// ---------------------------------------------------------------------------------------------

export function ForecastSection({ dashboard }: { dashboard: DashboardResponse }) {
  const { t } = useI18n();
  const format = useAnalyticsFormat();
  const forecast = dashboard.forecast;
  const { first, last } = periodDays(dashboard.period);
  // The forecast's categories per month come with the report (byMonthBucket); months without
  // any forecast are kept so the chart shows the whole period.
  const slices = monthSlices(first, last);
  const months: ForecastMonth[] = slices.map((slice) => {
    const buckets: Partial<Record<ForecastBucket, number>> = {};
    for (const line of forecast.byMonthBucket) {
      if (line.month !== slice.month) continue;
      if ((FORECAST_BUCKETS as readonly string[]).includes(line.key ?? ''))
        buckets[line.key as ForecastBucket] = Number(line.total);
    }
    return { month: slice.month, buckets };
  });
  const bucketLabels = Object.fromEntries(
    FORECAST_BUCKETS.map((b) => [b, t(`forecast.${b}`)]),
  ) as Record<ForecastBucket, string>;
  const empty = Number(forecast.total.total) === 0;
  const { undated, overdue } = forecast.excluded;
  return (
    <Section
      testId="forecast-section"
      title={t('dashboard.forecast.title')}
      subtitle={t('dashboard.forecast.subtitle', {
        period: dashboard.period.label,
        total: format.money(forecast.total.total),
      })}
    >
      <Chart
        option={
          empty
            ? null
            : forecastChartOption(months, bucketLabels, t('dashboard.forecast.total'), format.chart)
        }
        height={236}
        testId="forecast-chart"
        label={t('dashboard.forecast.title')}
        empty={empty ? t('dashboard.empty.forecast', { period: dashboard.period.label }) : ''}
      />
      {undated.count + overdue.count > 0 ? (
        <Typography.Text type="secondary" className="chart-note" data-testid="forecast-excluded">
          {t('dashboard.forecast.excluded', {
            undated: format.number(undated.count),
            undatedAmount: format.money(undated.weighted),
            overdue: format.number(overdue.count),
            overdueAmount: format.money(overdue.weighted),
          })}
        </Typography.Text>
      ) : null}
    </Section>
  );
}

// ---------------------------------------------------------------------------------------------

export function TeamSection({ team, period }: { team: TeamResponse; period: string }) {
  const { t } = useI18n();
  const format = useAnalyticsFormat();
  const reps = team.reps;
  const labels = {
    conversion: t('dashboard.team.conversion'),
    priorityA: t('dashboard.team.priorityA'),
    onTime: t('dashboard.team.onTime'),
  };
  return (
    <Section
      testId="team-section"
      title={t('dashboard.team.title')}
      subtitle={t('dashboard.team.subtitle', { period })}
    >
      {reps.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={t('dashboard.empty.team', { period })}
        />
      ) : (
        <Row gutter={16}>
          <Col xs={24} xl={15}>
            <Table
              rowKey="ownerId"
              size="small"
              pagination={false}
              dataSource={reps}
              scroll={{ x: 760, y: 300 }}
              data-testid="team-table"
              columns={[
                { title: t('dashboard.team.rep'), dataIndex: 'name', width: 90, fixed: 'left' },
                {
                  title: t('dashboard.team.cohort'),
                  dataIndex: 'cohort',
                  align: 'right',
                  width: 70,
                },
                {
                  title: labels.conversion,
                  key: 'conversion',
                  align: 'right',
                  width: 80,
                  render: (_, r) => (
                    <RateValue rate={r.conversion} label={t('dashboard.team.conversionFraction')} />
                  ),
                },
                {
                  title: t('dashboard.team.followUpsPerDeal'),
                  key: 'fpo',
                  align: 'right',
                  width: 90,
                  render: (_, r) => format.days(r.followUpsPerOpportunity),
                },
                {
                  title: labels.priorityA,
                  key: 'a',
                  align: 'right',
                  width: 90,
                  render: (_, r) => (
                    <RateValue rate={r.priorityA} label={t('dashboard.team.priorityAFraction')} />
                  ),
                },
                {
                  title: labels.onTime,
                  key: 'onTime',
                  align: 'right',
                  width: 90,
                  render: (_, r) => (
                    <RateValue
                      rate={r.compliance.onTimeRate}
                      label={t('dashboard.team.onTimeFraction')}
                    />
                  ),
                },
                {
                  title: t('dashboard.team.overdue'),
                  key: 'overdue',
                  align: 'right',
                  width: 80,
                  render: (_, r) => (
                    <RateValue
                      rate={r.compliance.overdueRate}
                      label={t('dashboard.team.overdueFraction')}
                    />
                  ),
                },
                {
                  title: t('dashboard.team.lateEntry'),
                  key: 'late',
                  align: 'right',
                  width: 90,
                  render: (_, r) => (
                    <RateValue
                      rate={r.compliance.lateEntryRate}
                      label={t('dashboard.team.lateEntryFraction')}
                    />
                  ),
                },
              ]}
            />
          </Col>
          <Col xs={24} xl={9}>
            <Chart
              option={teamChartOption(
                reps.map((r) => ({
                  name: r.name,
                  conversion: r.conversion,
                  priorityA: r.priorityA,
                  onTime: r.compliance.onTimeRate,
                })),
                labels,
                format.chart,
              )}
              height={Math.max(220, 40 + reps.length * 34)}
              testId="team-chart"
              label={t('dashboard.team.title')}
              empty=""
            />
          </Col>
        </Row>
      )}
    </Section>
  );
}

// ---------------------------------------------------------------------------------------------

export function ChannelSections({ dashboard }: { dashboard: DashboardResponse }) {
  const { t } = useI18n();
  const format = useAnalyticsFormat();
  const period = dashboard.period.label;
  const channels: ChannelPoint[] = dashboard.channels.channels.map((c) => ({
    label: c.label ?? c.key ?? t('dashboard.group.none'),
    conversion: c.conversion,
    averageWonAmount: c.averageWonAmount === null ? null : Number(c.averageWonAmount),
    wonTotal: Number(c.wonTotal),
    won: c.won,
  }));
  const labels = {
    conversion: t('dashboard.channels.conversion'),
    averageWonAmount: t('dashboard.channels.averageWon'),
    wonTotal: t('dashboard.channels.wonTotal'),
    won: t('dashboard.channels.won'),
  };
  const anyWon = channels.some((c) => c.wonTotal > 0);
  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} xl={14}>
        <Section
          testId="channels-section"
          title={t('dashboard.channels.title')}
          subtitle={t('dashboard.channels.subtitle', { period })}
        >
          <Chart
            option={
              channels.length === 0 ? null : channelChartOption(channels, labels, format.chart)
            }
            height={200}
            testId="channels-chart"
            label={t('dashboard.channels.title')}
            empty={t('dashboard.empty.cohort', { period })}
          />
          {channels.length > 0 ? (
            <Table
              rowKey={(c) => c.key ?? '—'}
              size="small"
              pagination={false}
              dataSource={dashboard.channels.channels}
              data-testid="channels-table"
              columns={[
                {
                  title: t('field.source'),
                  key: 'label',
                  render: (_, c) => c.label ?? c.key ?? t('dashboard.group.none'),
                },
                { title: t('dashboard.channels.created'), dataIndex: 'created', align: 'right' },
                { title: labels.won, dataIndex: 'won', align: 'right' },
                {
                  title: labels.conversion,
                  key: 'conversion',
                  align: 'right',
                  render: (_, c) => (
                    <RateValue
                      rate={c.conversion}
                      label={t('dashboard.channels.conversionFraction')}
                    />
                  ),
                },
                {
                  title: labels.averageWonAmount,
                  key: 'avg',
                  align: 'right',
                  render: (_, c) => format.money(c.averageWonAmount),
                },
                {
                  title: labels.wonTotal,
                  key: 'total',
                  align: 'right',
                  render: (_, c) => format.money(c.wonTotal),
                },
              ]}
            />
          ) : null}
        </Section>
      </Col>
      <Col xs={24} xl={10}>
        <Section
          testId="won-by-source"
          title={t('dashboard.channels.pieTitle')}
          subtitle={t('dashboard.channels.pieSubtitle', { period })}
        >
          <Chart
            option={anyWon ? wonBySourceOption(channels, labels, format.chart) : null}
            height={300}
            testId="won-by-source-chart"
            label={t('dashboard.channels.pieTitle')}
            empty={t('dashboard.empty.won', { period })}
          />
        </Section>
      </Col>
    </Row>
  );
}

// ---------------------------------------------------------------------------------------------

export function LossSection({ losses, period }: { losses: LossReasonsResponse; period: string }) {
  const { t } = useI18n();
  const format = useAnalyticsFormat();
  const reasonText = (r: LossReasonsResponse['top'][number]) =>
    r.label ?? r.reason ?? t('dashboard.losses.noReason');
  return (
    <Section
      testId="loss-section"
      title={t('dashboard.losses.title')}
      subtitle={t('dashboard.losses.subtitle', { period, lost: format.number(losses.lost) })}
    >
      {losses.lost === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={t('dashboard.empty.losses', { period })}
        />
      ) : (
        <>
          <List
            size="small"
            dataSource={losses.top}
            data-testid="loss-top"
            renderItem={(reason, index) => (
              <List.Item>
                <Space style={{ width: '100%' }} orientation="vertical" size={2}>
                  <div className="loss-line">
                    <span>
                      {index + 1}. {reasonText(reason)}
                    </span>
                    <span>
                      {format.number(reason.count)} ·{' '}
                      <RateValue rate={reason.share} label={t('dashboard.losses.shareFraction')} />
                    </span>
                  </div>
                  <Progress
                    percent={Math.round((reason.share.value ?? 0) * 1000) / 10}
                    showInfo={false}
                    size="small"
                    strokeColor="#fa8c16"
                  />
                </Space>
              </List.Item>
            )}
          />
          <Table
            rowKey={(s) => s.stageId ?? '—'}
            size="small"
            pagination={false}
            dataSource={losses.byStage.filter((s) => s.lost > 0)}
            style={{ marginTop: 8 }}
            data-testid="loss-by-stage"
            columns={[
              {
                title: t('dashboard.losses.lostFrom'),
                key: 'stage',
                width: 100,
                render: (_, s) => s.name ?? t('dashboard.group.none'),
              },
              { title: t('dashboard.losses.lost'), dataIndex: 'lost', align: 'right', width: 60 },
              {
                title: t('dashboard.losses.top3'),
                key: 'top',
                render: (_, s) => (
                  <Space size={4} wrap>
                    {s.top.map((r) => (
                      <Tag key={r.reason ?? '—'}>
                        {reasonText(r)}{' '}
                        <RateValue rate={r.share} label={t('dashboard.losses.shareFraction')} />
                      </Tag>
                    ))}
                  </Space>
                ),
              },
            ]}
          />
        </>
      )}
    </Section>
  );
}

// ---------------------------------------------------------------------------------------------

export function HealthSection({
  health,
  collections,
  query,
  period,
}: {
  health: HealthResponse | undefined;
  collections: CollectionsResponse | undefined;
  query: Query;
  period: string;
}) {
  const { t } = useI18n();
  const format = useAnalyticsFormat();
  const calibration = useQuery({
    queryKey: ['analytics', 'calibration', query],
    queryFn: () => api.get<CalibrationResponse>('/analytics/calibration', query),
  });
  return (
    <Section
      testId="health-section"
      title={t('dashboard.health.title')}
      subtitle={t('dashboard.health.subtitle', { period })}
    >
      {collections ? (
        <div className="collections-grid" data-testid="collections">
          {(
            [
              ['expected', collections.expected],
              ['received', collections.received],
              ['outstanding', collections.outstanding],
              ['overdue', collections.overdue],
            ] as const
          ).map(([key, figure]) => (
            <div
              key={key}
              className={key === 'overdue' && figure.count > 0 ? 'figure-over' : undefined}
            >
              <div className="figure-title">{t(`dashboard.collections.${key}`)}</div>
              <div className="collections-amount">{format.money(figure.amount)}</div>
              <Typography.Text type="secondary">
                {t('dashboard.collections.count', { count: format.number(figure.count) })}
              </Typography.Text>
            </div>
          ))}
        </div>
      ) : null}
      {health ? (
        <div className="health-figures">
          <Tooltip title={t('dashboard.health.evennessHelp')}>
            <span>
              {t('dashboard.health.evenness')}:{' '}
              <strong>{format.percent(health.evenness.value, 0)}</strong>
            </span>
          </Tooltip>
          <Tooltip title={t('dashboard.health.velocityHelp')}>
            <span
              className={
                health.velocity.overall !== null && health.velocity.overall > 1
                  ? 'figure-over'
                  : undefined
              }
            >
              {t('dashboard.health.velocity')}:{' '}
              <strong>{format.ratio(health.velocity.overall)}</strong>
            </span>
          </Tooltip>
          <span>
            {t('dashboard.health.slope')}:{' '}
            {health.slope.every((s) => s.ratioToStandard === null) ? '—' : null}
            {health.slope
              .filter((s) => s.ratioToStandard !== null)
              .map((s) => (
                <Tooltip
                  key={`${s.fromName}-${s.toName}`}
                  title={t('dashboard.health.slopeHelp', {
                    actual: format.percent(s.actual),
                    standard: format.percent(s.standard),
                  })}
                >
                  <Tag color={(s.ratioToStandard ?? 1) < 1 ? 'orange' : 'green'}>
                    {s.fromName}→{s.toName} {format.ratio(s.ratioToStandard)}
                  </Tag>
                </Tooltip>
              ))}
          </span>
        </div>
      ) : null}
      <Typography.Text type="secondary" className="table-caption">
        {t('dashboard.calibration.caption')}
      </Typography.Text>
      <Table
        rowKey="stageId"
        size="small"
        pagination={false}
        loading={calibration.isPending}
        dataSource={calibration.data?.stages ?? []}
        data-testid="calibration-table"
        columns={[
          { title: t('field.stage'), dataIndex: 'name' },
          {
            title: t('dashboard.calibration.configured'),
            key: 'configured',
            align: 'right',
            render: (_, s) => format.percent(s.configured, 0),
          },
          {
            title: t('dashboard.calibration.observed'),
            key: 'observed',
            align: 'right',
            render: (_, s) => (
              <RateValue rate={s.observed} label={t('dashboard.calibration.observedFraction')} />
            ),
          },
          {
            title: t('dashboard.interval95'),
            key: 'interval',
            align: 'right',
            render: (_, s) => (
              <span className={s.withinInterval === false ? 'figure-over' : undefined}>
                {format.interval(s.interval)}
              </span>
            ),
          },
        ]}
      />
    </Section>
  );
}
