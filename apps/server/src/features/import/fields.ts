/**
 * The fields each kind of file can fill, with the header names recognised without a mapping
 * (Chinese and English, the SPEC F-9 template's, and the exporter's own so that an export reads
 * back). The exporter labels its columns from the same list.
 */
import { IMPORT_FIELDS, type ImportEntity, type ImportFieldDef } from '@funnel/contracts';
import { headerKey } from './values';

// The catalogue itself lives in the contracts, shared with the web's mapping screen.
export type FieldDef = ImportFieldDef;
export const FIELDS = IMPORT_FIELDS;
export const OPPORTUNITY_FIELDS = IMPORT_FIELDS.opportunities;
export const ACCOUNT_FIELDS = IMPORT_FIELDS.accounts;
export const CONTACT_FIELDS = IMPORT_FIELDS.contacts;
export const FOLLOW_UP_FIELDS = IMPORT_FIELDS.follow_ups;

const aliasIndex = new Map<ImportEntity, Map<string, FieldDef>>();

/** header key -> field, for one kind of file (the field's own names first, then aliases). */
export function headerIndex(entity: ImportEntity): Map<string, FieldDef> {
  let index = aliasIndex.get(entity);
  if (!index) {
    index = new Map();
    for (const def of FIELDS[entity]) {
      for (const name of [def.key, def.zh, def.en]) {
        const k = headerKey(name).key;
        if (!index.has(k)) index.set(k, def);
      }
    }
    for (const def of FIELDS[entity]) {
      for (const name of def.aliases ?? []) {
        const k = headerKey(name).key;
        if (!index.has(k)) index.set(k, def);
      }
    }
    aliasIndex.set(entity, index);
  }
  return index;
}

export function fieldDef(entity: ImportEntity, key: string): FieldDef | undefined {
  return FIELDS[entity].find((d) => d.key === key);
}

const FILE_NAME_HINTS: [RegExp, ImportEntity][] = [
  [/follow[-_ ]?ups?|跟进/i, 'follow_ups'],
  [/histor|阶段变更|stage[-_ ]?changes?/i, 'stage_history'],
  [/contacts?|联系人/i, 'contacts'],
  [/accounts?|customers?|客户/i, 'accounts'],
  [/teams?|reps?|owners?|agents?|销售团队|人员/i, 'owners'],
  [/opportunit|pipeline|deals?|leads?|机会|商机|线索/i, 'opportunities'],
];

/** The kind of a file without a mapping: its name (or sheet name) first, then which headers it has. */
export function guessEntity(fileName: string, headers: string[]): ImportEntity {
  for (const [pattern, entity] of FILE_NAME_HINTS) if (pattern.test(fileName)) return entity;
  let best: ImportEntity = 'opportunities';
  let bestScore = -1;
  for (const entity of ['opportunities', 'accounts', 'contacts', 'follow_ups'] as const) {
    const index = headerIndex(entity);
    const score = headers.filter((h) => index.has(headerKey(h).key)).length;
    if (score > bestScore) {
      best = entity;
      bestScore = score;
    }
  }
  return best;
}
