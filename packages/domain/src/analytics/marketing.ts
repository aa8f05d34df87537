/**
 * Marketing KPI table, 销售漏斗数据跟踪表 (docs/analytics.md#marketing-kpi-table).
 */
import { rate } from './stats';
import type { Rate } from './types';

export interface KpiRowInput {
  stage: string;
  kpi: string;
  target: number;
  actual: number;
}

export interface KpiRow extends KpiRowInput {
  /** actual / target. */
  achievement: Rate;
  /** actual(k) / actual(k − 1); null on the first row. */
  conversionFromPrevious: Rate | null;
  /** target(k) / target(k − 1); null on the first row. */
  targetConversionFromPrevious: Rate | null;
}

/**
 * Marketing KPI table: per row achievement = actual / target and conversion to the previous row
 * = actual(k) / actual(k − 1) (a fraction: 4200 / 480000 = 0.00875). docs/analytics.md#marketing-kpi-table
 */
export function marketingKpiTable(rows: readonly KpiRowInput[]): KpiRow[] {
  return rows.map((row, k) => {
    const prev = k > 0 ? rows[k - 1]! : null;
    return {
      ...row,
      achievement: rate(row.actual, row.target),
      conversionFromPrevious: prev ? rate(row.actual, prev.actual) : null,
      targetConversionFromPrevious: prev ? rate(row.target, prev.target) : null,
    };
  });
}
