/**
 * The mapping as the wizard edits it, and the `ImportMapping` it sends (docs/import-export.md).
 * After each dry run the draft takes the columns as the server matched them (`job.files[].columns`)
 * and writes every column out explicitly, so that a saved mapping says exactly what each column
 * meant; details a saved mapping gave a column (unit, lookup, its own value map) are kept as long
 * as the column still fills that field.
 */
import { fileMatches } from '@funnel/contracts/import-fields';
import type {
  FileMapping,
  ImportEntity,
  ImportJob,
  ImportMapping,
  ImportProblem,
} from '../../api/types';

type ColumnTarget = Exclude<NonNullable<FileMapping['columns']>[string], null | unknown[]>;
type ColumnSpec = ColumnTarget | ColumnTarget[] | null;
export type AmountUnit = NonNullable<ImportMapping['amountUnit']>;
export type ValueMaps = Record<string, Record<string, string | null>>;

export interface FileDraft {
  name: string;
  entity: ImportEntity;
  /** header -> target(s); undefined lets the server match the headers by their names. */
  columns?: Record<string, ColumnSpec>;
  /** field -> (their value -> ours). */
  values: ValueMaps;
  dateFormat?: string;
  amountUnit?: AmountUnit;
  /** The rest of a saved mapping's entry for this file (sheet, defaults, lookup key …), as it was. */
  rest: Omit<FileMapping, 'file' | 'entity' | 'columns' | 'values' | 'dateFormat' | 'amountUnit'>;
}

export interface MappingDraft {
  /** Everything of the mapping but its files (pipeline, createMissingOwners, date format …). */
  options: Omit<ImportMapping, 'files'>;
  files: FileDraft[];
}

/** A file as chosen in the first step: its kind, or undefined to let the server tell. */
export interface ChosenFile {
  name: string;
  entity?: ImportEntity | undefined;
}

/**
 * The entry of a saved mapping meant for a file: the one whose name pattern matches, else the
 * one for the kind chosen for the file, else (one file, one entry) that entry.
 */
export function savedEntryFor(
  saved: ImportMapping | null | undefined,
  file: ChosenFile,
  fileCount: number,
): FileMapping | undefined {
  const entries = saved?.files ?? [];
  return (
    entries.find((e) => fileMatches(e.file, file.name)) ??
    (file.entity ? entries.find((e) => e.entity === file.entity) : undefined) ??
    (entries.length === 1 && fileCount === 1 ? entries[0] : undefined)
  );
}

function fileDraftFrom(name: string, entry: FileMapping, entity?: ImportEntity): FileDraft {
  const {
    file: _file,
    entity: savedEntity,
    columns,
    values,
    dateFormat,
    amountUnit,
    ...rest
  } = entry;
  const changedKind = entity !== undefined && entity !== savedEntity;
  return {
    name,
    entity: entity ?? savedEntity,
    // a different kind of file has other fields: let the server match its headers afresh
    ...(columns && !changedKind ? { columns } : {}),
    values: changedKind ? {} : { ...(values ?? {}) },
    ...(dateFormat ? { dateFormat } : {}),
    ...(amountUnit ? { amountUnit } : {}),
    rest,
  };
}

/** The draft the upload starts with: the saved mapping (if any) fitted to these files. */
export function startingDraft(
  files: ChosenFile[],
  saved: ImportMapping | null | undefined,
  options: Omit<ImportMapping, 'files'>,
): MappingDraft {
  const { files: _files, ...savedOptions } = saved ?? {};
  const drafts: FileDraft[] = [];
  for (const file of files) {
    const entry = savedEntryFor(saved, file, files.length);
    if (entry) drafts.push(fileDraftFrom(file.name, entry, file.entity));
    else if (file.entity)
      drafts.push({ name: file.name, entity: file.entity, values: {}, rest: {} });
  }
  return { options: { ...savedOptions, ...options }, files: drafts };
}

const norm = (header: string) => header.normalize('NFKC').trim().toLowerCase();

function targetsOf(spec: ColumnSpec | undefined): ColumnTarget[] {
  if (spec === null || spec === undefined) return [];
  return Array.isArray(spec) ? spec : [spec];
}

const fieldOf = (target: ColumnTarget) => (typeof target === 'string' ? target : target.field);

/** A column's spec for these fields, keeping the details the previous spec gave each field. */
export function specFor(fields: string[], previous: ColumnSpec | undefined): ColumnSpec {
  if (fields.length === 0) return null;
  const before = targetsOf(previous);
  const targets = fields.map((field) => before.find((t) => fieldOf(t) === field) ?? field);
  return targets.length === 1 ? targets[0]! : targets;
}

/** Takes the columns as the dry run read them; the draft's own choices stay. */
export function syncWithJob(draft: MappingDraft, job: ImportJob): MappingDraft {
  const files = job.files.map((reported) => {
    const previous = draft.files.find((f) => f.name === reported.name);
    const entity = (reported.entity ?? previous?.entity ?? 'opportunities') as ImportEntity;
    if (reported.columns.length === 0)
      return previous ?? { name: reported.name, entity, values: {}, rest: {} };
    const before = new Map(Object.entries(previous?.columns ?? {}).map(([h, s]) => [norm(h), s]));
    const columns: Record<string, ColumnSpec> = {};
    for (const column of reported.columns) {
      if (!column.header.trim()) continue;
      columns[column.header] = specFor(column.fields, before.get(norm(column.header)));
    }
    return {
      name: reported.name,
      entity,
      columns,
      values: previous?.values ?? {},
      ...(previous?.dateFormat ? { dateFormat: previous.dateFormat } : {}),
      ...(previous?.amountUnit ? { amountUnit: previous.amountUnit } : {}),
      rest: previous?.rest ?? {},
    };
  });
  return { ...draft, files };
}

function updateFile(
  draft: MappingDraft,
  name: string,
  change: (file: FileDraft) => FileDraft,
): MappingDraft {
  return { ...draft, files: draft.files.map((f) => (f.name === name ? change(f) : f)) };
}

export function setColumnFields(
  draft: MappingDraft,
  fileName: string,
  header: string,
  fields: string[],
): MappingDraft {
  return updateFile(draft, fileName, (file) => ({
    ...file,
    columns: { ...file.columns, [header]: specFor(fields, file.columns?.[header]) },
  }));
}

/** Another kind of file: its fields differ, so the server matches the headers again. */
export function setEntity(draft: MappingDraft, fileName: string, entity: ImportEntity) {
  return updateFile(draft, fileName, (file) =>
    file.entity === entity
      ? file
      : {
          name: file.name,
          entity,
          values: {},
          rest: {},
          ...pick(file, 'dateFormat', 'amountUnit'),
        },
  );
}

function pick<T extends object, K extends keyof T>(object: T, ...keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (object[key] !== undefined) out[key] = object[key];
  return out;
}

/** Maps one of their values of a field onto ours; undefined removes the entry. */
export function setValue(
  draft: MappingDraft,
  fileName: string,
  field: string,
  theirs: string,
  ours: string | null | undefined,
): MappingDraft {
  return updateFile(draft, fileName, (file) => {
    const map = { ...file.values[field] };
    if (ours === undefined) delete map[theirs];
    else map[theirs] = ours;
    const values = { ...file.values, [field]: map };
    if (Object.keys(map).length === 0) delete values[field];
    return { ...file, values };
  });
}

export function setFileFormat(
  draft: MappingDraft,
  fileName: string,
  patch: { dateFormat?: string | undefined; amountUnit?: AmountUnit | undefined },
): MappingDraft {
  return updateFile(draft, fileName, (file) => {
    const next = { ...file, ...patch };
    if (!next.dateFormat) delete next.dateFormat;
    if (!next.amountUnit) delete next.amountUnit;
    return next;
  });
}

/** The mapping to send (and to save): every column explicit once the server has read them. */
export function toMapping(draft: MappingDraft): ImportMapping {
  const mapping: ImportMapping = { ...draft.options };
  if (draft.files.length > 0)
    mapping.files = draft.files.map((file) => {
      const entry: FileMapping = { file: file.name, entity: file.entity, ...file.rest };
      if (file.columns) entry.columns = file.columns;
      if (Object.keys(file.values).length > 0) entry.values = file.values;
      if (file.dateFormat) entry.dateFormat = file.dateFormat;
      if (file.amountUnit) entry.amountUnit = file.amountUnit;
      return entry;
    });
  return mapping;
}

/** The fields a column fills according to the draft (before the next check confirms it). */
export function fieldsOf(file: FileDraft | undefined, header: string, reported: string[]) {
  const spec = file?.columns?.[header];
  return spec === undefined ? reported : targetsOf(spec).map(fieldOf);
}

/** Problems that name a value of a column: the values a value map should translate. */
const VALUE_PROBLEMS = new Set([
  'unknown_stage',
  'unknown_status',
  'unknown_value',
  'source_other',
]);

/**
 * Their values of a field, to offer in the value map: the samples of every column filling it, the
 * values the dry run could not place, and those already mapped.
 */
export function valuesToMap(
  job: ImportJob,
  file: FileDraft,
  field: string,
  problems: ImportProblem[],
): string[] {
  const reported = job.files.find((f) => f.name === file.name)?.columns ?? [];
  const headers = reported
    .filter((c) => fieldsOf(file, c.header, c.fields).includes(field))
    .map((c) => c.header);
  const values = new Set<string>();
  for (const column of reported)
    if (headers.includes(column.header)) for (const v of column.samples) values.add(v);
  for (const p of problems)
    if (p.file === file.name && headers.includes(p.column) && VALUE_PROBLEMS.has(p.code) && p.value)
      values.add(p.value);
  for (const theirs of Object.keys(file.values[field] ?? {})) values.add(theirs);
  return [...values];
}
