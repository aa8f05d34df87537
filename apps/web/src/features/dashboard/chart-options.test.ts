import { describe, expect, it } from 'vitest';
import {
  channelChartOption,
  escapeHtml,
  forecastChartOption,
  funnelChartOption,
  teamChartOption,
  trendChartOption,
  wonBySourceOption,
  type ChartFormat,
} from './chart-options';
import { formatMoneyCompact, formatPercent, formatRate, rateFraction } from '../../lib/rates';
import { formatMoney } from '../../lib/format';

const format: ChartFormat = {
  number: (v) => String(v),
  percent: (v) => formatPercent(v, 'en'),
  rate: (r) => formatRate(r, 'en'),
  fraction: (r) => rateFraction(r, 'en'),
  money: (v) => formatMoney(v, 'en'),
  moneyShort: (v) => formatMoneyCompact(v, 'en'),
};

/** Calls an option's tooltip formatter as ECharts would. */
function tooltipText(option: ReturnType<typeof funnelChartOption>, dataIndex: number): string {
  const tooltip = option.tooltip as { formatter: (p: unknown) => string };
  return tooltip.formatter([{ dataIndex }]);
}

const rate = (numerator: number, denominator: number) => ({
  numerator,
  denominator,
  value: denominator ? numerator / denominator : null,
});

describe('funnel chart', () => {
  const option = funnelChartOption(
    [
      { name: '线索获取', value: 50, cumulative: rate(50, 50) },
      { name: '需求确认', value: 23, cumulative: rate(23, 50), fromPrevious: rate(23, 50) },
      { name: 'Won <b>', value: 5, cumulative: rate(5, 50), fromPrevious: rate(5, 23) },
    ],
    {
      seriesName: 'Cohort: reached',
      countLabel: 'Reached',
      cumulativeLabel: 'Cumulative',
      fromPreviousLabel: 'From previous stage',
    },
    format,
  );
  const series = (option.series as { type: string; sort: string; data: { value: number }[] }[])[0]!;

  it('is a native funnel keeping the pipeline order', () => {
    expect(series.type).toBe('funnel');
    expect(series.sort).toBe('none');
    expect(series.data.map((d) => d.value)).toEqual([50, 23, 5]);
  });

  it('shows numerator / denominator of both conversions on hover, escaped', () => {
    expect(tooltipText(option, 1)).toContain('From previous stage: 46.0% (23 / 50)');
    expect(tooltipText(option, 1)).toContain('Cumulative: 46.0% (23 / 50)');
    expect(tooltipText(option, 2)).toContain('Won &lt;b&gt;');
    expect(tooltipText(option, 0)).not.toContain('From previous');
  });
});

describe('other charts', () => {
  it('trend: counts on the left, conversion (with its fraction) on the right', () => {
    const option = trendChartOption(
      [{ bucket: '2026-10', created: 31, won: 5, conversion: rate(5, 31) }],
      { created: 'Created', won: 'Won', conversion: 'Conversion', countAxis: 'Deals' },
      format,
    );
    const series = option.series as { yAxisIndex?: number; data: unknown[] }[];
    expect(series).toHaveLength(3);
    expect(series[2]!.yAxisIndex).toBe(1);
    expect(tooltipText(option, 0)).toContain('Conversion: 16.1% (5 / 31)');
  });

  it('forecast: stacked by category, empty categories left out, tooltip totals', () => {
    const option = forecastChartOption(
      [
        { month: '2026-10', buckets: { closed_won: 372247 } },
        { month: '2026-12', buckets: { commit: 1000, pipeline: 500 } },
      ],
      {
        closed_won: 'Won',
        commit: 'Commit',
        best_case: 'Best case',
        pipeline: 'Pipeline',
        omitted: 'Omitted',
      },
      'Total',
      format,
    );
    const series = option.series as { name: string; stack: string; data: number[] }[];
    expect(series.map((s) => s.name)).toEqual(['Won', 'Commit', 'Pipeline']);
    expect(series.every((s) => s.stack === 'forecast')).toBe(true);
    expect(series[1]!.data).toEqual([0, 1000]);
    expect(tooltipText(option, 1)).toContain('Total: ¥1,500');
  });

  it('team: three rates per rep, each with its fraction', () => {
    const option = teamChartOption(
      [{ name: '赵敏', conversion: rate(0, 8), priorityA: rate(0, 0), onTime: rate(44, 52) }],
      { conversion: 'Conversion', priorityA: 'A-priority', onTime: 'On time' },
      format,
    );
    expect(tooltipText(option, 0)).toContain('Conversion: 0.0% (0 / 8)');
    expect(tooltipText(option, 0)).toContain('A-priority: — (0 / 0)');
    expect(tooltipText(option, 0)).toContain('On time: 84.6% (44 / 52)');
  });

  it('channels and won business by source', () => {
    const channels = [
      {
        label: '官网注册',
        conversion: rate(3, 20),
        averageWonAmount: 80000,
        wonTotal: 240000,
        won: 3,
      },
      { label: '其他', conversion: rate(0, 1), averageWonAmount: null, wonTotal: 0, won: 0 },
    ];
    const labels = {
      conversion: 'Conversion',
      averageWonAmount: 'Average won',
      wonTotal: 'Won amount',
      won: 'Won',
    };
    expect(tooltipText(channelChartOption(channels, labels, format), 0)).toContain(
      'Conversion: 15.0% (3 / 20)',
    );
    const pie = wonBySourceOption(channels, labels, format);
    const data = (pie.series as { data: { name: string }[] }[])[0]!.data;
    expect(data.map((d) => d.name)).toEqual(['官网注册']);
    expect(tooltipText(pie, 0)).toContain('100.0%');
  });

  it('escapes HTML', () => {
    expect(escapeHtml('<a href="x">&</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
  });
});
