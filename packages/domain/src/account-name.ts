/**
 * Accounts are kept under their full legal name (SPEC F-1) and duplicates are detected on a
 * normalised key: Unicode NFKC (full-width -> half-width), lower case, no spaces or punctuation.
 * "Near duplicates" also ignore legal-form suffixes and compare character bigrams.
 */
export function accountNameKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

const LEGAL_SUFFIXES = [
  '股份有限公司',
  '有限责任公司',
  '有限公司',
  '集团公司',
  '集团',
  '公司',
  'coltd',
  'ltd',
  'limited',
  'inc',
  'incorporated',
  'llc',
  'corp',
  'corporation',
  'co',
  'gmbh',
  'plc',
];

export function accountNameCore(name: string): string {
  let key = accountNameKey(name);
  let changed = true;
  while (changed) {
    changed = false;
    for (const suffix of LEGAL_SUFFIXES) {
      if (key.length > suffix.length && key.endsWith(suffix)) {
        key = key.slice(0, -suffix.length);
        changed = true;
      }
    }
  }
  return key;
}

function bigrams(text: string): Map<string, number> {
  const chars = [...text];
  const grams = new Map<string, number>();
  if (chars.length === 1) grams.set(chars[0]!, 1);
  for (let i = 0; i < chars.length - 1; i++) {
    const gram = chars[i]! + chars[i + 1]!;
    grams.set(gram, (grams.get(gram) ?? 0) + 1);
  }
  return grams;
}

/** Dice coefficient of character bigrams of the names' cores, in [0, 1]. */
export function accountNameSimilarity(a: string, b: string): number {
  const ca = accountNameCore(a);
  const cb = accountNameCore(b);
  if (ca.length === 0 || cb.length === 0) return 0;
  if (ca === cb) return 1;
  const ga = bigrams(ca);
  const gb = bigrams(cb);
  let overlap = 0;
  let total = 0;
  for (const [gram, count] of ga) {
    overlap += Math.min(count, gb.get(gram) ?? 0);
    total += count;
  }
  for (const count of gb.values()) total += count;
  return total === 0 ? 0 : (2 * overlap) / total;
}

export const NEAR_DUPLICATE_THRESHOLD = 0.8;
