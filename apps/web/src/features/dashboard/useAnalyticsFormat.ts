import { useMemo } from 'react';
import { useFormat } from '../../ui/format-hooks';
import {
  formatDays,
  formatInterval,
  formatMoneyCompact,
  formatPercent,
  formatRate,
  formatRatio,
  rateFraction,
  type RateLike,
} from '../../lib/rates';
import type { ChartFormat } from './chart-options';

/** The app's formatters plus the analytics ones (rates, intervals, days), in the UI language. */
export function useAnalyticsFormat() {
  const format = useFormat();
  return useMemo(() => {
    const { locale, currency } = format;
    const chart: ChartFormat = {
      number: format.number,
      percent: (value) => formatPercent(value, locale),
      rate: (rate) => formatRate(rate, locale),
      fraction: (rate) => rateFraction(rate, locale),
      money: (value) => format.money(value),
      moneyShort: (value) => formatMoneyCompact(value, locale, currency),
    };
    return {
      ...format,
      chart,
      percent: (value: number | null | undefined, digits = 1) =>
        formatPercent(value, locale, digits),
      rate: (rate: RateLike | null | undefined) => formatRate(rate, locale),
      fraction: (rate: RateLike) => rateFraction(rate, locale),
      interval: (interval: { lower: number; upper: number } | null | undefined) =>
        formatInterval(interval, locale),
      days: (days: number | null | undefined) => formatDays(days, locale),
      ratio: (value: number | null | undefined) => formatRatio(value, locale),
      moneyShort: (value: string | number | null | undefined) =>
        formatMoneyCompact(value, locale, currency),
    };
  }, [format]);
}

export type AnalyticsFormat = ReturnType<typeof useAnalyticsFormat>;
