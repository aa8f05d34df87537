/**
 * Opportunity codes (SPEC F-1): a workspace format with tokens {YYYY} {YY} {MM} and one {SEQ:n}
 * (n digits, zero-padded, growing past n when needed). The sequence restarts each period the
 * format names: monthly with {MM}, yearly with only {YYYY}/{YY}, never otherwise.
 * `{YYYY}{MM}-{SEQ:3}` -> 202405-001; `LX{YYYY}{MM}{SEQ:3}` -> LX202405001.
 */
const TOKEN_RE = /\{(YYYY|YY|MM|SEQ:(\d))\}/g;

export function validateCodeFormat(format: string): string | null {
  if (format.length === 0 || format.length > 40) return 'length';
  const seqTokens = [...format.matchAll(/\{SEQ:(\d)\}/g)];
  if (seqTokens.length !== 1) return 'sequence';
  if (Number(seqTokens[0]![1]) < 1) return 'sequence';
  const stripped = format.replace(TOKEN_RE, '');
  if (/[{}]/.test(stripped)) return 'token';
  if (!/^[\w\-/.#]*$/u.test(stripped)) return 'characters';
  return null;
}

/** The counter key: codes share a sequence within one period of the format. */
export function codePeriodKey(format: string, year: number, month: number): string {
  if (format.includes('{MM}')) return `${year}${String(month).padStart(2, '0')}`;
  if (format.includes('{YYYY}') || format.includes('{YY}')) return String(year);
  return 'all';
}

export function formatOpportunityCode(
  format: string,
  year: number,
  month: number,
  sequence: number,
): string {
  return format.replace(TOKEN_RE, (_token, name: string, digits?: string) => {
    if (name === 'YYYY') return String(year);
    if (name === 'YY') return String(year % 100).padStart(2, '0');
    if (name === 'MM') return String(month).padStart(2, '0');
    return String(sequence).padStart(Number(digits), '0');
  });
}
