/**
 * The analytics dashboard (SPEC F-6, F-7): one request for the set (GET /analytics/dashboard)
 * and single reports where a section has options. The period, the pipeline and the board's
 * filters are in the URL. Definitions: docs/analytics.md.
 */
import { Alert, Col, Result, Row, Select, Skeleton, Space, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { useCurrentUser, usePipelines } from '../../api/queries';
import type {
  CollectionsResponse,
  DashboardResponse,
  HealthResponse,
  MissedEntryResponse,
} from '../../api/types';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../../ui/errors';
import { ExportMenu } from '../../ui/ExportMenu';
import { FilterBar } from '../../ui/FilterBar';
import { periodDays, readSelection, selectionToQuery } from './analytics-query';
import { FunnelSection } from './FunnelSection';
import { PeriodPicker } from './PeriodPicker';
import {
  ChannelSections,
  ForecastSection,
  HeadlineFigures,
  HealthSection,
  LossSection,
  TeamSection,
  TrendSection,
} from './Sections';

export default function DashboardPage() {
  const { t } = useI18n();
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const { data: pipelines, isPending: pipelinesPending } = usePipelines();
  const active = (pipelines ?? []).filter((p) => !p.archived);
  const selection = readSelection(params);
  const pipeline =
    active.find((p) => p.id === selection.pipelineId) ??
    active.find((p) => p.isDefault) ??
    active[0];
  const query = selectionToQuery({ ...selection, pipelineId: pipeline?.id });
  const enabled = Boolean(pipeline);

  const dashboard = useQuery({
    queryKey: ['analytics', 'dashboard', query],
    queryFn: () => api.get<DashboardResponse>('/analytics/dashboard', query),
    enabled,
    placeholderData: keepPreviousData,
  });
  const health = useQuery({
    queryKey: ['analytics', 'health', query],
    queryFn: () => api.get<HealthResponse>('/analytics/health', query),
    enabled,
    placeholderData: keepPreviousData,
  });
  const collections = useQuery({
    queryKey: ['analytics', 'collections', query],
    queryFn: () => api.get<CollectionsResponse>('/analytics/collections', query),
    enabled,
    placeholderData: keepPreviousData,
  });
  const missed = useQuery({
    queryKey: ['analytics', 'missed-entry', query],
    queryFn: () => api.get<MissedEntryResponse>('/analytics/missed-entry', query),
    enabled,
    placeholderData: keepPreviousData,
  });

  if (pipelinesPending) return <Skeleton active style={{ padding: 24 }} />;
  if (!pipeline)
    return (
      <Result status="warning" title={t('board.noPipeline')} subTitle={t('board.noPipelineHint')} />
    );

  const data = dashboard.data;
  const period = data?.period.label ?? '';
  return (
    <div className="dashboard-page" data-testid="dashboard">
      <div className="page-toolbar">
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('dashboard.title')}
          </Typography.Title>
          {active.length > 1 ? (
            <Select
              value={pipeline.id}
              options={active.map((p) => ({ value: p.id, label: p.name }))}
              onChange={(id: string) => {
                const next = new URLSearchParams(params);
                next.set('pipeline', id);
                setParams(next, { replace: true });
              }}
              style={{ minWidth: 160 }}
              data-testid="pipeline-select"
            />
          ) : (
            <Typography.Text type="secondary">{pipeline.name}</Typography.Text>
          )}
          {data ? (
            <Typography.Text type="secondary" data-testid="dashboard-period">
              {selection.period === 'custom'
                ? t('dashboard.periodRange', {
                    first: periodDays(data.period).first,
                    last: periodDays(data.period).last,
                  })
                : t('dashboard.periodIs', {
                    label: period,
                    first: periodDays(data.period).first,
                    last: periodDays(data.period).last,
                  })}
            </Typography.Text>
          ) : null}
        </Space>
        <Space wrap>
          <PeriodPicker selection={selection} current={data ? periodDays(data.period) : null} />
          <ExportMenu list="analytics/dashboard" query={query} />
        </Space>
      </div>
      <div className="page-filters">
        <FilterBar variant="analytics" />
      </div>
      {me.role === 'rep' ? (
        <Alert
          type="info"
          showIcon
          title={t('dashboard.ownDataOnly')}
          style={{ marginBottom: 12 }}
          closable
        />
      ) : null}
      {dashboard.error ? <ErrorAlert error={dashboard.error} /> : null}
      {!data ? (
        dashboard.error ? null : (
          <Skeleton active paragraph={{ rows: 12 }} />
        )
      ) : (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <HeadlineFigures
            dashboard={data}
            health={health.data}
            collections={collections.data}
            missed={missed.data}
            canSetTargets={me.role !== 'rep'}
          />
          <FunnelSection dashboard={data} query={query} />
          <Row gutter={[12, 12]}>
            <Col xs={24} xl={12}>
              <TrendSection dashboard={data} query={query} />
            </Col>
            <Col xs={24} xl={12}>
              <ForecastSection dashboard={data} />
            </Col>
          </Row>
          <TeamSection team={data.team} period={period} />
          <ChannelSections dashboard={data} />
          <Row gutter={[12, 12]}>
            <Col xs={24} xl={12}>
              <LossSection losses={data.losses} period={period} />
            </Col>
            <Col xs={24} xl={12}>
              <HealthSection
                health={health.data}
                collections={collections.data}
                query={query}
                period={period}
              />
            </Col>
          </Row>
        </Space>
      )}
    </div>
  );
}
