/**
 * ECharts options for the dashboard, as pure functions of the API's figures and the words and
 * formatters of the UI language (so they are unit-tested without a browser). Every tooltip on a
 * rate shows its numerator / denominator (docs/analytics.md#rates).
 */
import type { ComposeOption } from 'echarts/core';
import type {
  BarSeriesOption,
  FunnelSeriesOption,
  LineSeriesOption,
  PieSeriesOption,
} from 'echarts/charts';
import type {
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { RateLike } from '../../lib/rates';

export type ChartOption = ComposeOption<
  | FunnelSeriesOption
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
>;

/** The formatters a chart needs, bound to the UI language by the caller. */
export interface ChartFormat {
  number: (value: number) => string;
  percent: (value: number | null) => string;
  rate: (rate: RateLike) => string;
  fraction: (rate: RateLike) => string;
  money: (value: string | number) => string;
  moneyShort: (value: string | number) => string;
}

export const FONT_FAMILY =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif";

export const PALETTE = ['#1668dc', '#52c41a', '#fa8c16', '#722ed1', '#13c2c2', '#eb2f96'];

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** "46.0% (23 / 50)": the value and the counts it came from. */
function rateWithFraction(rate: RateLike, format: ChartFormat): string {
  return `${format.rate(rate)} (${format.fraction(rate)})`;
}

const base = {
  textStyle: { fontFamily: FONT_FAMILY },
  color: PALETTE,
  animationDuration: 300,
} as const;

const tooltipBase = {
  confine: true,
  className: 'chart-tooltip',
  textStyle: { fontFamily: FONT_FAMILY, fontSize: 12 },
} as const;

// ---------------------------------------------------------------------------------------------

export interface FunnelChartStage {
  name: string;
  /** Reached (cohort) or entered (flow) count. */
  value: number;
  /** Cohort only: reached(k) / reached(first stage). */
  cumulative?: RateLike;
  /** Conversion from the previous stage into this one. */
  fromPrevious?: RateLike;
}

export interface FunnelChartLabels {
  /** What the chart shows, e.g. "Cohort: reached" (also the series name). */
  seriesName: string;
  countLabel: string;
  cumulativeLabel: string;
  fromPreviousLabel: string;
}

/** The native funnel series; the stages keep the pipeline's order (sort: none). */
export function funnelChartOption(
  stages: FunnelChartStage[],
  labels: FunnelChartLabels,
  format: ChartFormat,
): ChartOption {
  const max = Math.max(1, ...stages.map((s) => s.value));
  return {
    ...base,
    tooltip: {
      ...tooltipBase,
      trigger: 'item',
      formatter: (params) => {
        const p = Array.isArray(params) ? params[0] : params;
        const stage = stages[p?.dataIndex ?? 0];
        if (!stage) return '';
        const lines = [
          `<b>${escapeHtml(stage.name)}</b>`,
          `${escapeHtml(labels.countLabel)}: ${format.number(stage.value)}`,
        ];
        if (stage.fromPrevious)
          lines.push(
            `${escapeHtml(labels.fromPreviousLabel)}: ${rateWithFraction(stage.fromPrevious, format)}`,
          );
        if (stage.cumulative)
          lines.push(
            `${escapeHtml(labels.cumulativeLabel)}: ${rateWithFraction(stage.cumulative, format)}`,
          );
        return lines.join('<br/>');
      },
    },
    series: [
      {
        type: 'funnel',
        name: labels.seriesName,
        sort: 'none',
        min: 0,
        max,
        minSize: '6%',
        maxSize: '100%',
        gap: 2,
        // the funnel on the left, its labels beside it: narrow lower stages stay readable
        left: '2%',
        width: '56%',
        top: 8,
        bottom: 8,
        label: {
          show: true,
          position: 'right',
          color: '#1f1f1f',
          fontFamily: FONT_FAMILY,
          formatter: (params) => {
            const stage = stages[params.dataIndex];
            if (!stage) return '';
            const rate = stage.fromPrevious ? `  ${format.rate(stage.fromPrevious)}` : '';
            return `${stage.name}  ${format.number(stage.value)}${rate}`;
          },
        },
        labelLine: { show: true, length: 12, lineStyle: { color: '#bfbfbf' } },
        itemStyle: { borderColor: '#fff', borderWidth: 1 },
        data: stages.map((stage, index) => ({
          name: stage.name,
          value: stage.value,
          itemStyle: { color: funnelColor(index, stages.length) },
        })),
      },
    ],
  };
}

/** Blue shades from dark (top) to light (bottom), the won stage green. */
function funnelColor(index: number, count: number): string {
  if (index === count - 1) return '#389e0d';
  const shades = ['#0b4fb3', '#1668dc', '#3c89e8', '#5a9ef0', '#7cb3f5', '#96c3f7'];
  return shades[Math.min(index, shades.length - 1)]!;
}

// ---------------------------------------------------------------------------------------------

export interface TrendPoint {
  bucket: string;
  created: number;
  won: number;
  conversion: RateLike;
}

export interface TrendLabels {
  created: string;
  won: string;
  conversion: string;
  countAxis: string;
}

/** Created and won counts (left axis) and the cohort conversion (right axis, %) per bucket. */
export function trendChartOption(
  points: TrendPoint[],
  labels: TrendLabels,
  format: ChartFormat,
): ChartOption {
  return {
    ...base,
    legend: { top: 0, textStyle: { fontFamily: FONT_FAMILY } },
    grid: { left: 48, right: 56, top: 36, bottom: 28 },
    tooltip: {
      ...tooltipBase,
      trigger: 'axis',
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        const point = points[list[0]?.dataIndex ?? 0];
        if (!point) return '';
        return [
          `<b>${escapeHtml(point.bucket)}</b>`,
          `${escapeHtml(labels.created)}: ${format.number(point.created)}`,
          `${escapeHtml(labels.won)}: ${format.number(point.won)}`,
          `${escapeHtml(labels.conversion)}: ${rateWithFraction(point.conversion, format)}`,
        ].join('<br/>');
      },
    },
    xAxis: { type: 'category', data: points.map((p) => p.bucket) },
    yAxis: [
      { type: 'value', name: labels.countAxis, minInterval: 1 },
      {
        type: 'value',
        min: 0,
        axisLabel: { formatter: (value: number) => format.percent(value) },
        splitLine: { show: false },
      },
    ],
    series: [
      {
        type: 'line',
        name: labels.created,
        data: points.map((p) => p.created),
        symbolSize: 6,
      },
      { type: 'line', name: labels.won, data: points.map((p) => p.won), symbolSize: 6 },
      {
        type: 'line',
        name: labels.conversion,
        yAxisIndex: 1,
        data: points.map((p) => p.conversion.value),
        connectNulls: false,
        lineStyle: { type: 'dashed' },
        symbolSize: 6,
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------

export const FORECAST_BUCKETS = [
  'closed_won',
  'commit',
  'best_case',
  'pipeline',
  'omitted',
] as const;
export type ForecastBucket = (typeof FORECAST_BUCKETS)[number];

export interface ForecastMonth {
  month: string;
  /** Amount per bucket in 元 (decimal strings or numbers). */
  buckets: Partial<Record<ForecastBucket, number>>;
}

const BUCKET_COLORS: Record<ForecastBucket, string> = {
  closed_won: '#389e0d',
  commit: '#1668dc',
  best_case: '#69b1ff',
  pipeline: '#bae0ff',
  omitted: '#d9d9d9',
};

/** Weighted forecast per month, stacked by category; empty categories are left out. */
export function forecastChartOption(
  months: ForecastMonth[],
  bucketLabels: Record<ForecastBucket, string>,
  totalLabel: string,
  format: ChartFormat,
): ChartOption {
  const used = FORECAST_BUCKETS.filter((bucket) =>
    months.some((m) => (m.buckets[bucket] ?? 0) !== 0),
  );
  return {
    ...base,
    legend: { top: 0, textStyle: { fontFamily: FONT_FAMILY } },
    grid: { left: 64, right: 16, top: 36, bottom: 28 },
    tooltip: {
      ...tooltipBase,
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        const month = months[list[0]?.dataIndex ?? 0];
        if (!month) return '';
        const total = used.reduce((sum, bucket) => sum + (month.buckets[bucket] ?? 0), 0);
        return [
          `<b>${escapeHtml(month.month)}</b>`,
          ...used.map(
            (bucket) =>
              `${escapeHtml(bucketLabels[bucket])}: ${format.money(month.buckets[bucket] ?? 0)}`,
          ),
          `<b>${escapeHtml(totalLabel)}: ${format.money(total)}</b>`,
        ].join('<br/>');
      },
    },
    xAxis: { type: 'category', data: months.map((m) => m.month) },
    yAxis: {
      type: 'value',
      axisLabel: { formatter: (value: number) => format.moneyShort(value) },
    },
    series: used.map((bucket) => ({
      type: 'bar' as const,
      name: bucketLabels[bucket],
      stack: 'forecast',
      barMaxWidth: 48,
      itemStyle: { color: BUCKET_COLORS[bucket] },
      data: months.map((m) => m.buckets[bucket] ?? 0),
    })),
  };
}

// ---------------------------------------------------------------------------------------------

export interface TeamChartRep {
  name: string;
  conversion: RateLike;
  priorityA: RateLike;
  onTime: RateLike;
}

export interface TeamChartLabels {
  conversion: string;
  priorityA: string;
  onTime: string;
}

/** Per rep, side by side: conversion, A-priority conversion and on-time follow-ups (all %). */
export function teamChartOption(
  reps: TeamChartRep[],
  labels: TeamChartLabels,
  format: ChartFormat,
): ChartOption {
  const keys = ['conversion', 'priorityA', 'onTime'] as const;
  return {
    ...base,
    legend: { top: 0, textStyle: { fontFamily: FONT_FAMILY } },
    grid: { left: 72, right: 24, top: 36, bottom: 24 },
    tooltip: {
      ...tooltipBase,
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        const rep = reps[list[0]?.dataIndex ?? 0];
        if (!rep) return '';
        return [
          `<b>${escapeHtml(rep.name)}</b>`,
          ...keys.map((key) => `${escapeHtml(labels[key])}: ${rateWithFraction(rep[key], format)}`),
        ].join('<br/>');
      },
    },
    xAxis: {
      type: 'value',
      min: 0,
      max: 1,
      axisLabel: { formatter: (value: number) => format.percent(value) },
    },
    yAxis: { type: 'category', data: reps.map((r) => r.name), inverse: true },
    series: keys.map((key) => ({
      type: 'bar' as const,
      name: labels[key],
      barMaxWidth: 14,
      data: reps.map((rep) => rep[key].value),
    })),
  };
}

// ---------------------------------------------------------------------------------------------

export interface ChannelPoint {
  label: string;
  conversion: RateLike;
  averageWonAmount: number | null;
  wonTotal: number;
  won: number;
}

export interface ChannelLabels {
  conversion: string;
  averageWonAmount: string;
  wonTotal: string;
  won: string;
}

/** Per source: conversion (bars, %) and average won amount (line, money). */
export function channelChartOption(
  channels: ChannelPoint[],
  labels: ChannelLabels,
  format: ChartFormat,
): ChartOption {
  return {
    ...base,
    legend: { top: 0, textStyle: { fontFamily: FONT_FAMILY } },
    grid: { left: 56, right: 64, top: 36, bottom: 28 },
    tooltip: {
      ...tooltipBase,
      trigger: 'axis',
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        const channel = channels[list[0]?.dataIndex ?? 0];
        if (!channel) return '';
        return [
          `<b>${escapeHtml(channel.label)}</b>`,
          `${escapeHtml(labels.conversion)}: ${rateWithFraction(channel.conversion, format)}`,
          `${escapeHtml(labels.averageWonAmount)}: ${
            channel.averageWonAmount === null ? '—' : format.money(channel.averageWonAmount)
          }`,
        ].join('<br/>');
      },
    },
    xAxis: {
      type: 'category',
      data: channels.map((c) => c.label),
      axisLabel: { interval: 0, hideOverlap: true },
    },
    yAxis: [
      {
        type: 'value',
        min: 0,
        axisLabel: { formatter: (value: number) => format.percent(value) },
      },
      {
        type: 'value',
        axisLabel: { formatter: (value: number) => format.moneyShort(value) },
        splitLine: { show: false },
      },
    ],
    series: [
      {
        type: 'bar',
        name: labels.conversion,
        barMaxWidth: 32,
        data: channels.map((c) => c.conversion.value),
      },
      {
        type: 'line',
        name: labels.averageWonAmount,
        yAxisIndex: 1,
        data: channels.map((c) => c.averageWonAmount),
        symbolSize: 8,
        lineStyle: { width: 0 },
      },
    ],
  };
}

/** Won business by source: share of the won amount; sources that won nothing are left out. */
export function wonBySourceOption(
  channels: ChannelPoint[],
  labels: ChannelLabels,
  format: ChartFormat,
): ChartOption {
  const slices = channels.filter((c) => c.wonTotal > 0);
  const total = slices.reduce((sum, c) => sum + c.wonTotal, 0);
  return {
    ...base,
    legend: {
      type: 'scroll',
      orient: 'vertical',
      right: 0,
      top: 'middle',
      textStyle: { fontFamily: FONT_FAMILY },
    },
    tooltip: {
      ...tooltipBase,
      trigger: 'item',
      formatter: (params) => {
        const p = Array.isArray(params) ? params[0] : params;
        const channel = slices[p?.dataIndex ?? 0];
        if (!channel) return '';
        const share = { numerator: channel.wonTotal, denominator: total, value: null };
        return [
          `<b>${escapeHtml(channel.label)}</b>`,
          `${escapeHtml(labels.wonTotal)}: ${format.money(channel.wonTotal)} (${format.percent(
            total > 0 ? channel.wonTotal / total : null,
          )} = ${format.moneyShort(share.numerator)} / ${format.moneyShort(share.denominator)})`,
          `${escapeHtml(labels.won)}: ${format.number(channel.won)}`,
        ].join('<br/>');
      },
    },
    series: [
      {
        type: 'pie',
        name: labels.wonTotal,
        radius: ['38%', '68%'],
        center: ['36%', '50%'],
        label: {
          formatter: (params) => `${params.name}\n${format.percent((params.percent ?? 0) / 100)}`,
          fontFamily: FONT_FAMILY,
        },
        data: slices.map((c) => ({ name: c.label, value: c.wonTotal })),
      },
    ],
  };
}
