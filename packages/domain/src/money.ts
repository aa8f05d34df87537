/**
 * Money is exact: integer minor units (分) inside, a decimal string in 元 at the boundaries.
 * 1 元 = 100 分; 1 万元 = 10,000 元.
 */
export const MINOR_PER_MAJOR = 100;
/** Largest amount accepted anywhere: 1e13 元 (fits a JS safe integer in 分, and a bigint column). */
export const MAX_AMOUNT_MINOR = 1e15;

const MONEY_RE = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

/** Parses "12345.6", "12345.67" or a number with at most two decimals into 分; null when invalid. */
export function parseMoney(value: string | number): number | null {
  const text = typeof value === 'number' ? numberToPlainString(value) : value.trim();
  if (text === null) return null;
  const match = MONEY_RE.exec(text);
  if (!match) return null;
  const major = Number(match[1]);
  const minor = Number((match[2] ?? '').padEnd(2, '0'));
  const result = major * MINOR_PER_MAJOR + minor;
  return result <= MAX_AMOUNT_MINOR ? result : null;
}

function numberToPlainString(value: number): string | null {
  if (!Number.isFinite(value) || value < 0) return null;
  // toString of a number with <= 2 decimals is exact enough to re-parse (e.g. 0.1 -> "0.1").
  const text = String(value);
  return /e/i.test(text) ? null : text;
}

/** 分 -> "12345.67" (always two decimals, no grouping). */
export function formatMoney(minor: number): string {
  const negative = minor < 0;
  const abs = Math.abs(Math.round(minor));
  const major = Math.floor(abs / MINOR_PER_MAJOR);
  const cents = abs % MINOR_PER_MAJOR;
  return `${negative ? '-' : ''}${major}.${String(cents).padStart(2, '0')}`;
}

/** Rounds a fractional minor amount (e.g. amount x probability) half away from zero. */
export function roundMinor(value: number): number {
  return value < 0 ? -Math.round(-value) : Math.round(value);
}
