/**
 * Applies a mapping to a file: which column fills which field (the mapping's own words first,
 * then the built-in header names), value maps, date formats, amount units, lookups and defaults.
 * The result of a row is the raw cells per field, each remembering the column it came from, so
 * that every problem found later points at a row and a column.
 */
import type { AmountUnit, ColumnTarget, FileMapping, ImportEntity } from '@funnel/contracts';
import type { Cell } from './read-table';
import { FIELDS, headerIndex, type FieldDef } from './fields';
import { headerKey, isBlank, textOf } from './values';

export interface FieldValue {
  cell: Cell;
  column: string;
  file: string;
  row: number;
  dateFormat: string | undefined;
  unit: AmountUnit;
  /** true when the value came from the mapping's defaults. */
  defaulted: boolean;
}

export type RawRecord = Map<string, FieldValue>;

interface Target {
  field: string;
  values: Map<string, string | null> | null;
  dateFormat: string | undefined;
  unit: AmountUnit | null;
  lookup: { name: string; column: string } | null;
}

interface ColumnPlan {
  index: number;
  header: string;
  targets: Target[];
}

export interface FilePlan {
  file: string;
  entity: ImportEntity;
  columns: ColumnPlan[];
  unmapped: string[];
  defaults: Map<string, string | number | boolean>;
  dateFormat: string | undefined;
  unit: AmountUnit;
  mapping: FileMapping;
  /** field -> the header that fills it (to name the column of a missing value). */
  fieldColumns: Map<string, string>;
}

export type Lookups = Map<string, { key: string; rows: Map<string, Map<string, Cell>> }>;

/** Value-map keys compare trimmed and case-insensitively. */
export const valueKey = (text: string) => text.normalize('NFKC').trim().toLowerCase();

function valueMap(record: Record<string, string | null> | undefined) {
  if (!record) return null;
  return new Map(Object.entries(record).map(([k, v]) => [valueKey(k), v]));
}

export interface PlanContext {
  /** Custom-field definitions of the entity: their labels are headers too. */
  customFields: { key: string; labelZh: string; labelEn: string }[];
  defaultDateFormat: string | undefined;
  defaultUnit: AmountUnit;
}

export function compilePlan(
  file: string,
  headers: string[],
  mapping: FileMapping,
  context: PlanContext,
): FilePlan {
  const entity = mapping.entity;
  const index = headerIndex(entity);
  const explicit = new Map<string, ColumnTarget | ColumnTarget[] | null>();
  for (const [header, target] of Object.entries(mapping.columns ?? {}))
    explicit.set(headerKey(header).key, target);
  const fileValues = new Map(
    Object.entries(mapping.values ?? {}).map(([field, map]) => [field, valueMap(map)!]),
  );
  const custom = new Map<string, string>();
  for (const cf of context.customFields) {
    for (const name of [cf.key, cf.labelZh, cf.labelEn, `custom.${cf.key}`])
      custom.set(headerKey(name).key, `custom.${cf.key}`);
  }
  const columns: ColumnPlan[] = [];
  const unmapped: string[] = [];
  const taken = new Set<string>();
  headers.forEach((header, i) => {
    if (!header.trim()) return;
    const { key, unit } = headerKey(header);
    const toTarget = (t: ColumnTarget): Target => {
      const spec = typeof t === 'string' ? { field: t } : t;
      return {
        field: spec.field,
        values: valueMap('values' in spec ? spec.values : undefined),
        dateFormat: 'dateFormat' in spec ? spec.dateFormat : undefined,
        unit: ('unit' in spec ? spec.unit : undefined) ?? unit,
        lookup: ('lookup' in spec ? spec.lookup : undefined) ?? null,
      };
    };
    if (explicit.has(key)) {
      const target = explicit.get(key);
      if (target === null || target === undefined) return;
      const targets = (Array.isArray(target) ? target : [target]).map(toTarget);
      targets.forEach((t) => taken.add(t.field));
      columns.push({ index: i, header, targets });
      return;
    }
    if (mapping.autoHeaders === false || entity === 'lookup') {
      if (entity === 'lookup') columns.push({ index: i, header, targets: [toTarget(header)] });
      else unmapped.push(header);
      return;
    }
    const def: FieldDef | undefined = index.get(key);
    const field = def ? def.key : custom.get(key);
    if (!field) {
      unmapped.push(header);
      return;
    }
    if (def?.exportOnly) return;
    columns.push({ index: i, header, targets: [toTarget(field)] });
  });
  // An automatically matched column does not take a field the mapping gave to another column.
  const filtered = columns.map((c) =>
    explicit.has(headerKey(c.header).key)
      ? c
      : { ...c, targets: c.targets.filter((t) => !taken.has(t.field) || false) },
  );
  for (const c of filtered) {
    for (const t of c.targets) {
      const shared = fileValues.get(t.field);
      if (shared) t.values = t.values ? new Map([...shared, ...t.values]) : shared;
    }
  }
  return {
    file,
    entity,
    columns: filtered.filter((c) => c.targets.length > 0),
    unmapped,
    defaults: new Map(Object.entries(mapping.defaults ?? {})),
    dateFormat: mapping.dateFormat ?? context.defaultDateFormat,
    unit: mapping.amountUnit ?? context.defaultUnit,
    mapping,
    fieldColumns: new Map(
      filtered
        .flatMap((c) => c.targets.map((t) => [t.field, c.header] as [string, string]))
        .reverse(),
    ),
  };
}

export interface LookupMiss {
  column: string;
  value: string;
  lookup: string;
}

/**
 * One row through the plan. Several columns may fill one field: the first non-empty one wins
 * (so a mapping can say "engage_date, else close_date"). Defaults fill what stays empty.
 */
export function readRow(
  plan: FilePlan,
  row: number,
  cells: Cell[],
  lookups: Lookups,
  misses: LookupMiss[],
): RawRecord {
  const record: RawRecord = new Map();
  for (const column of plan.columns) {
    const original = cells[column.index] ?? null;
    for (const target of column.targets) {
      if (record.has(target.field)) continue;
      let cell: Cell = original;
      if (target.values && !isBlank(cell)) {
        const mapped = target.values.get(valueKey(textOf(cell)));
        if (mapped !== undefined) cell = mapped;
      }
      if (target.lookup && !isBlank(cell)) {
        const table = lookups.get(target.lookup.name);
        const found = table?.rows.get(valueKey(textOf(cell)));
        if (!found) {
          misses.push({ column: column.header, value: textOf(cell), lookup: target.lookup.name });
          continue;
        }
        cell = found.get(target.lookup.column) ?? null;
      }
      if (isBlank(cell)) continue;
      record.set(target.field, {
        cell,
        column: column.header,
        file: plan.file,
        row,
        dateFormat: target.dateFormat ?? plan.dateFormat,
        unit: target.unit ?? plan.unit,
        defaulted: false,
      });
    }
  }
  for (const [field, value] of plan.defaults) {
    if (record.has(field)) continue;
    record.set(field, {
      cell: value,
      column: field,
      file: plan.file,
      row,
      dateFormat: plan.dateFormat,
      unit: plan.unit,
      defaulted: true,
    });
  }
  return record;
}

/** The fields a plan fills, to know e.g. whether the file has amounts at all. */
const plannedCache = new WeakMap<FilePlan, Set<string>>();

export function plannedFields(plan: FilePlan): Set<string> {
  const cached = plannedCache.get(plan);
  if (cached) return cached;
  const fields = new Set<string>();
  plannedCache.set(plan, fields);
  for (const c of plan.columns) for (const t of c.targets) fields.add(t.field);
  for (const field of plan.defaults.keys()) fields.add(field);
  return fields;
}

export function knownField(entity: ImportEntity, field: string): boolean {
  return field.startsWith('custom.') || FIELDS[entity].some((d) => d.key === field);
}
