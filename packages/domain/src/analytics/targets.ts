/**
 * Quota arithmetic and target decomposition (reverse funnel) (docs/analytics.md#quota,
 * #target-decomposition).
 */
import { ceilCount } from './stats';

/** A finite decimal number as numerator / 10^scale (exact for the number's shortest decimal). */
function toDecimal(value: number): { digits: bigint; scale: number } {
  if (!Number.isFinite(value)) throw new Error('quota: factors must be finite');
  let text = String(value);
  if (/e/i.test(text)) text = value.toFixed(20).replace(/0+$/, '');
  const negative = text.startsWith('-');
  if (negative) text = text.slice(1);
  const [int = '0', frac = ''] = text.split('.');
  const digits = BigInt(int + frac) * (negative ? -1n : 1n);
  return { digits, scale: frac.length };
}

function decimalString(digits: bigint, scale: number): string {
  const negative = digits < 0n;
  const abs = (negative ? -digits : digits).toString().padStart(scale + 1, '0');
  const int = abs.slice(0, abs.length - scale);
  const frac = abs.slice(abs.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

export interface QuotaResult {
  /** The exact product in 分 as a decimal string, e.g. '240676312.5'. */
  exactMinor: string;
  /** The product in 分 as a number (may be fractional). */
  valueMinor: number;
  /** Rounded half away from zero to whole 分. */
  roundedMinor: number;
  /** In 万元 (valueMinor / 1,000,000), for display. */
  valueWan: number;
}

/**
 * Quota = base × factor₁ × factor₂ × …, computed exactly in decimal (factors as written, e.g.
 * growth 1.17, share 0.75, weight 0.265). docs/analytics.md#quota
 */
export function quota(input: { baseMinor: number; factors: readonly number[] }): QuotaResult {
  let { digits, scale } = toDecimal(input.baseMinor);
  for (const f of input.factors) {
    const d = toDecimal(f);
    digits *= d.digits;
    scale += d.scale;
  }
  const divisor = 10n ** BigInt(scale);
  let q = digits / divisor;
  const r = digits % divisor;
  const absR = r < 0n ? -r : r;
  if (absR * 2n >= divisor) q += digits < 0n ? -1n : 1n;
  const exactMinor = decimalString(digits, scale);
  const valueMinor = Number(exactMinor);
  return { exactMinor, valueMinor, roundedMinor: Number(q), valueWan: valueMinor / 1_000_000 };
}

/** How the overall conversion (new opportunity -> won) is given. */
export type ConversionSource =
  /** Standard funnel counts, first stage to won, e.g. [10, 6, 3, 2] -> 2/10 = 20%. */
  | { kind: 'standardCounts'; counts: readonly number[] }
  /** Measured adjacent stage conversions (fractions), multiplied. */
  | { kind: 'stageConversions'; rates: readonly number[] }
  /** The overall conversion itself (fraction). */
  | { kind: 'overall'; rate: number };

/**
 * Overall conversion from a ConversionSource.
 * See docs/analytics.md#target-decomposition.
 */
export function overallConversion(source: ConversionSource): number {
  switch (source.kind) {
    case 'standardCounts': {
      const first = source.counts[0];
      const last = source.counts[source.counts.length - 1];
      if (first === undefined || last === undefined || first <= 0)
        throw new Error('overallConversion: need positive standard counts');
      return last / first;
    }
    case 'stageConversions':
      return source.rates.reduce((p, r) => p * r, 1);
    case 'overall':
      return source.rate;
  }
}

export interface TargetDecompositionInput {
  /** Revenue target (分). */
  revenueTarget: number;
  /** Average won amount (分). */
  averageDealSize: number;
  conversion: ConversionSource;
  /** Selling weeks in the period. */
  sellingWeeks: number;
  /** Weeks from a new opportunity to a win. */
  cycleWeeks: number;
  /** New opportunities (new customers) one rep can open per week. */
  newOpportunitiesPerRepPerWeek: number;
}

export interface TargetDecompositionResult {
  overallConversion: number;
  /** ceil(revenueTarget / averageDealSize). */
  dealsNeeded: number;
  dealsExact: number;
  /** ceil(dealsNeeded / sellingWeeks). */
  winsPerWeek: number;
  winsPerWeekExact: number;
  /** ceil(dealsNeeded / overallConversion). */
  newOpportunities: number;
  newOpportunitiesExact: number;
  /** ceil(dealsNeeded / overallConversion / sellingWeeks). */
  newOpportunitiesPerWeek: number;
  newOpportunitiesPerWeekExact: number;
  /** ceil(newOpportunitiesPerWeekExact / newOpportunitiesPerRepPerWeek). */
  repsNeeded: number;
  repsExact: number;
  /** Opportunities must enter at least this many weeks before the period ends (= cycleWeeks). */
  leadTimeWeeks: number;
  /** Last selling week (1-based) in which a new opportunity can still close in the period. */
  lastEntryWeek: number;
}

/**
 * Target decomposition (reverse funnel): deals = ceil(target / deal size), wins/week, new
 * opportunities (per week) = deals / overall conversion, reps = new per week / per-rep capacity,
 * lead time = cycle. Counts of deals/opportunities/people are ceiled. docs/analytics.md#target-decomposition
 */
export function targetDecomposition(input: TargetDecompositionInput): TargetDecompositionResult {
  if (input.averageDealSize <= 0) throw new Error('targetDecomposition: averageDealSize <= 0');
  if (input.sellingWeeks <= 0) throw new Error('targetDecomposition: sellingWeeks <= 0');
  if (input.newOpportunitiesPerRepPerWeek <= 0)
    throw new Error('targetDecomposition: newOpportunitiesPerRepPerWeek <= 0');
  const conversion = overallConversion(input.conversion);
  if (!(conversion > 0 && conversion <= 1))
    throw new Error('targetDecomposition: overall conversion must be in (0, 1]');
  const dealsExact = input.revenueTarget / input.averageDealSize;
  const dealsNeeded = ceilCount(dealsExact);
  const winsPerWeekExact = dealsNeeded / input.sellingWeeks;
  const newOpportunitiesExact = dealsNeeded / conversion;
  const newOpportunitiesPerWeekExact = newOpportunitiesExact / input.sellingWeeks;
  const repsExact = newOpportunitiesPerWeekExact / input.newOpportunitiesPerRepPerWeek;
  return {
    overallConversion: conversion,
    dealsNeeded,
    dealsExact,
    winsPerWeek: ceilCount(winsPerWeekExact),
    winsPerWeekExact,
    newOpportunities: ceilCount(newOpportunitiesExact),
    newOpportunitiesExact,
    newOpportunitiesPerWeek: ceilCount(newOpportunitiesPerWeekExact),
    newOpportunitiesPerWeekExact,
    repsNeeded: ceilCount(repsExact),
    repsExact,
    leadTimeWeeks: input.cycleWeeks,
    lastEntryWeek: Math.max(0, input.sellingWeeks - input.cycleWeeks),
  };
}
