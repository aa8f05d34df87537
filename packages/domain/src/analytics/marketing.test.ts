import { describe, expect, it } from 'vitest';
import { marketingKpiTable } from './marketing';

const SPEC_ROWS = [
  { stage: '曝光', kpi: '曝光量', target: 500000, actual: 480000 },
  { stage: '线索', kpi: '线索获取量', target: 5000, actual: 4200 },
  { stage: '培育', kpi: '白皮书', target: 2000, actual: 1800 },
  { stage: '意向', kpi: 'Demo预约', target: 800, actual: 650 },
  { stage: '方案', kpi: '方案提交', target: 300, actual: 280 },
  { stage: '报价', kpi: '报价单', target: 200, actual: 150 },
  { stage: '成交', kpi: '合同签订', target: 100, actual: 90 },
  { stage: '复购', kpi: '复购客户', target: 30, actual: 28 },
];

const percent2 = (v: number | null | undefined) =>
  v === null || v === undefined ? null : Math.round(v * 10000) / 100;

describe('marketingKpiTable', () => {
  const rows = marketingKpiTable(SPEC_ROWS);
  it('SPEC: conversions 42.86%, 36.11%, 43.08%, 53.57%, 60.00%, 31.11%', () => {
    expect(rows.slice(2).map((r) => percent2(r.conversionFromPrevious?.value))).toEqual([
      42.86, 36.11, 43.08, 53.57, 60, 31.11,
    ]);
  });
  it('线索获取量 / 曝光量 = 4200 / 480000 = 0.875% (the seed’s "8.75%" is per mille)', () => {
    expect(rows[1]!.conversionFromPrevious).toEqual({
      numerator: 4200,
      denominator: 480000,
      value: 0.00875,
    });
    expect(rows[0]!.conversionFromPrevious).toBeNull();
  });
  it('achievement = actual / target', () => {
    expect(rows[0]!.achievement.value).toBe(0.96);
    expect(rows[1]!.achievement.value).toBe(0.84);
    expect(rows[1]!.targetConversionFromPrevious!.value).toBe(0.01);
    const zero = marketingKpiTable([
      { stage: 'a', kpi: 'a', target: 0, actual: 0 },
      { stage: 'b', kpi: 'b', target: 0, actual: 0 },
    ]);
    expect(zero[1]!.conversionFromPrevious!.value).toBeNull();
    expect(zero[0]!.achievement.value).toBeNull();
  });
});
