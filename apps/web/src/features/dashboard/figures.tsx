/** Small building blocks of the dashboard: a rate with its fraction on hover, a figure card. */
import { lazy, Suspense, type ReactNode } from 'react';
import { Card, Empty, Skeleton, Tooltip, Typography } from 'antd';
import { InfoCircleOutlined } from '@ant-design/icons';
import type { RateLike } from '../../lib/rates';
import { useAnalyticsFormat } from './useAnalyticsFormat';
import type { ChartOption } from './chart-options';

const EChart = lazy(() => import('./EChart'));

/** A percentage; hovering shows the numerator / denominator it was computed from. */
export function RateValue({
  rate,
  label,
  testId,
  strong = false,
}: {
  rate: RateLike;
  /** What the fraction counts, e.g. "won / closed". */
  label?: string;
  testId?: string;
  strong?: boolean;
}) {
  const format = useAnalyticsFormat();
  const text = format.rate(rate);
  return (
    <Tooltip
      title={
        <span data-testid="rate-fraction">
          {label ? `${label}: ` : ''}
          {format.fraction(rate)}
        </span>
      }
    >
      <span
        className={strong ? 'rate-value rate-value-strong' : 'rate-value'}
        data-testid={testId}
        data-numerator={rate.numerator}
        data-denominator={rate.denominator}
      >
        {text}
      </span>
    </Tooltip>
  );
}

/** A headline figure with a title, an explanation on the (i) icon and a line of detail. */
export function Figure({
  title,
  help,
  value,
  detail,
  testId,
}: {
  title: string;
  help: string;
  value: ReactNode;
  detail?: ReactNode;
  testId?: string;
}) {
  return (
    <Card size="small" className="figure-card" data-testid={testId}>
      <div className="figure-title">
        <span>{title}</span>
        <Tooltip title={help}>
          <InfoCircleOutlined className="figure-help" />
        </Tooltip>
      </div>
      <div className="figure-value">{value}</div>
      {detail ? <div className="figure-detail">{detail}</div> : null}
    </Card>
  );
}

/** A section card; `subtitle` says which figure it shows (cohort, flow, period). */
export function Section({
  title,
  subtitle,
  extra,
  children,
  testId,
}: {
  title: string;
  subtitle?: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Card
      size="small"
      className="dashboard-section"
      data-testid={testId}
      title={
        <div className="section-title">
          <span>{title}</span>
          {subtitle ? (
            <Typography.Text type="secondary" className="section-subtitle">
              {subtitle}
            </Typography.Text>
          ) : null}
        </div>
      }
      extra={extra}
    >
      {children}
    </Card>
  );
}

/** A chart, loaded lazily (ECharts is its own chunk), or an empty state saying what to do. */
export function Chart({
  option,
  height,
  empty,
  testId,
  label,
}: {
  option: ChartOption | null;
  height: number;
  /** Shown instead of the chart when there is nothing to draw. */
  empty: string;
  testId?: string;
  label: string;
}) {
  if (!option)
    return (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={empty}
        style={{ height, margin: 0, paddingTop: Math.max(0, height / 2 - 60) }}
        data-testid={testId ? `${testId}-empty` : undefined}
      />
    );
  return (
    <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height }} />}>
      <EChart option={option} height={height} testId={testId} ariaLabel={label} />
    </Suspense>
  );
}
