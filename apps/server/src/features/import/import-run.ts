/**
 * One pass of an import over its files, in one of two modes: `check` (the dry run: every row
 * read, mapped and validated, every problem reported, nothing written) and `commit` (the same
 * pass again inside the caller's transaction, writing in batches). One code path for both means
 * the dry run cannot promise what the commit would not do.
 *
 * Order: owners and teams, lookups, accounts, the opportunities (with merged files and stage
 * histories held by code), then contacts and follow-ups. The main files stream; the secondary
 * ones (lookups, merges, histories, owners) are held in memory by key.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  accountNameKey,
  codePeriodKey,
  computePriority,
  formatOpportunityCode,
  localDate,
  localParts,
  type Priority,
  stayStartsOf,
} from '@funnel/domain';
import type {
  FileMapping,
  ImportCounts,
  ImportEntity,
  ImportMapping,
  ProblemCode,
} from '@funnel/contracts';
import { fileMatches } from '@funnel/contracts';
import type { SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { DomainError } from '../../http/domain-error';
import { canAssignTo } from '../access/access';
import type { Actor } from '../access/actor';
import { recordAudit } from '../audit/audit.repository';
import * as people from '../people/people.repository';
import * as pipelines from '../pipelines/pipelines.repository';
import * as settingsRepo from '../settings/settings.repository';
import { loadWorkspaceSettings, type WorkspaceSettings } from '../workspace/workspace.service';
import { guessEntity } from './fields';
import * as repo from './import.repository';
import {
  compilePlan,
  plannedFields,
  readRow,
  valueKey,
  type FieldValue,
  type FilePlan,
  type LookupMiss,
  type Lookups,
  type RawRecord,
} from './mapping';
import type { ProblemLog } from './problems';
import { openTable, TableReadError, type Cell, type TableSource } from './read-table';
import { StageMatcher } from './stage-names';
import { buildTimeline, type StageInfo, type Status } from './timeline';
import {
  calendarDate,
  guessMethod,
  looksMasked,
  parseAmountCell,
  parseBooleanCell,
  parseDateCell,
  parseNumberCell,
  parsePriority,
  parseStatus,
  textOf,
  toInstant,
  type LocalDateTime,
} from './values';

export interface ImportFile {
  name: string;
  path: string;
}

export interface ImportProgress {
  phase: string;
  rows: number;
  doneBytes: number;
  totalBytes: number;
}

/** What the dry run learnt that the commit needs again: the file's codes (to generate others around them). */
export interface ImportCarry {
  fileCodes: { has(code: string): boolean };
  /** Whether the dry run saw codes twice (then the commit must look for them again). */
  duplicateCodes: boolean;
}

export interface ImportRunInput {
  actor: Actor;
  files: ImportFile[];
  mapping: ImportMapping;
  mode: 'check' | 'commit';
  problems: ProblemLog;
  now: Date;
  onProgress?: ((progress: ImportProgress) => void) | undefined;
  carry?: ImportCarry | undefined;
  jobId?: string;
}

const BATCH = 1000;
const NO_VALUES: Record<string, unknown> = Object.freeze({});
const SYSTEM_USER_ID = '00000000-0000-0000-0000-000000000000';
const LIST_KINDS = {
  source: 'source',
  industry: 'industry',
  region: 'region',
  productLine: 'product_line',
  lossReason: 'loss_reason',
} as const;
type ListField = keyof typeof LIST_KINDS;

interface Member {
  id: string;
  name: string;
  email: string;
  teamId: string | null;
  isNew: boolean;
}

interface PlannedFile {
  file: ImportFile;
  mapping: FileMapping;
  entity: ImportEntity;
}

interface AccountEntry {
  id: string;
  isNew: boolean;
  written: boolean;
  name: string;
  ownerId: string | null;
  values: Record<string, unknown>;
}

/** The batch statement being run and the next one, built while the first runs. */
interface WritePipeline {
  sending: Promise<void>;
  ready: SQL | null;
}

interface OpportunityRecord {
  row: Record<string, unknown>;
  events: Record<string, unknown>[];
  priorityChange: Record<string, unknown>;
  followUps: Record<string, unknown>[];
  contact: { key: string; values: Record<string, unknown> } | null;
  accountKey: string;
  code: string | null;
  naturalKey: string | null;
  acquiredAt: Date;
  periodKey: string;
  ok: boolean;
  source: { file: string; row: number };
}

/** Reads a field of a record, reporting what is wrong with it against its file, row and column. */
class FieldReader {
  hasError = false;
  constructor(
    private readonly run: ImportRun,
    readonly record: RawRecord,
    readonly file: string,
    readonly row: number,
    private readonly columns?: Map<string, string>,
  ) {}

  has(field: string): boolean {
    return this.record.has(field);
  }

  /** Whether the file has a column for this field (the cell may still be empty in this row). */
  mapped(field: string): boolean {
    return this.columns?.has(field) ?? this.record.has(field);
  }

  problem(
    field: string,
    code: ProblemCode,
    severity: 'error' | 'warning',
    params = {},
    value?: string,
  ) {
    const v = this.record.get(field);
    if (severity === 'error') this.hasError = true;
    this.run.problems.add({
      file: v?.file ?? this.file,
      row: v?.row ?? this.row,
      column: v?.column ?? this.columns?.get(field) ?? field,
      severity,
      code,
      params: { field, ...params },
      value: value ?? (v ? textOf(v.cell) : ''),
    });
  }

  private used(field: string): FieldValue | undefined {
    const v = this.record.get(field);
    return v;
  }

  text(field: string, max = 10_000): string | null {
    const v = this.used(field);
    if (!v) return null;
    const text = textOf(v.cell);
    if (text.length > max) {
      this.problem(field, 'too_long', 'error', { max });
      return null;
    }
    return text;
  }

  required(field: string, max?: number): string | null {
    const text = this.text(field, max);
    if (text === null) this.problem(field, 'missing_required', 'error');
    return text;
  }

  localDateTime(field: string): LocalDateTime | null {
    const v = this.used(field);
    if (!v) return null;
    const parsed = parseDateCell(v.cell, v.dateFormat);
    if (!parsed.ok) {
      this.problem(field, 'bad_date', 'error', { format: v.dateFormat ?? 'YYYY-MM-DD' });
      return null;
    }
    return parsed.value;
  }

  date(field: string): string | null {
    const p = this.localDateTime(field);
    return p ? calendarDate(p) : null;
  }

  instant(field: string): Date | null {
    const p = this.localDateTime(field);
    return p ? toInstant(p, this.run.timeZone) : null;
  }

  amount(field: string): number | null {
    const v = this.used(field);
    if (!v) return null;
    const parsed = parseAmountCell(v.cell, v.unit);
    if (parsed.ok) return parsed.value;
    this.problem(field, parsed.negative ? 'negative_amount' : 'bad_amount', 'error');
    return null;
  }

  number(field: string): number | null {
    const v = this.used(field);
    if (!v) return null;
    const n = parseNumberCell(v.cell);
    if (n === null) this.problem(field, 'bad_number', 'error');
    return n;
  }

  boolean(field: string): boolean | null {
    const v = this.used(field);
    if (!v) return null;
    const b = parseBooleanCell(v.cell);
    if (b === null) this.problem(field, 'bad_number', 'error');
    return b;
  }
}

/** How each column of a file was read: the fields it fills and a few of its values (for a mapping UI). */
export interface FileColumnsReport {
  file: string;
  entity: ImportEntity;
  columns: { header: string; fields: string[]; samples: string[] }[];
}

const SAMPLE_LIMIT = 20;

export class ImportRun {
  /** Per file, its columns with the fields they map to and up to 20 distinct values each. */
  readonly columnReports = new Map<
    string,
    { entity: ImportEntity; columns: { header: string; fields: string[]; samples: Set<string> }[] }
  >();
  readonly problems: ProblemLog;
  timeZone = 'Asia/Shanghai';
  private readonly actor: Actor;
  private readonly mode: 'check' | 'commit';
  private readonly now: Date;
  private settings!: WorkspaceSettings;
  private pipelineId!: string;
  private pipelineName = '';
  private stages: StageInfo[] = [];
  private matcher!: StageMatcher;
  private members = new Map<string, Member>();
  private membersByEmail = new Map<string, Member>();
  private membersByName = new Map<string, Member[]>();
  private ownerSpecs = new Map<
    string,
    { name: string; email: string | null; team: string | null; parentTeam: string | null }
  >();
  private teams = new Map<string, string>();
  private newTeams = new Map<string, { id: string; parent: string | null }>();
  private lists = new Map<string, Map<string, string>>();
  private listSizes = new Map<string, number>();
  private newListValues = new Map<string, Set<string>>();
  private competitors = new Map<string, string>();
  private newCompetitors = new Map<string, string>();
  private accounts = new Map<string, AccountEntry>();
  private unwrittenAccounts: string[] = [];
  private contactKeys = new Set<string>();
  private customFields = new Map<
    string,
    { key: string; type: string; options: string[]; labelZh: string; labelEn: string }[]
  >();
  private lookups: Lookups = new Map();
  private merges = new Map<string, RawRecord>();
  private mergeUsed = new Set<string>();
  private histories = new Map<
    string,
    { stage: StageInfo; at: Date; reason: string | null; file: string; row: number }[]
  >();
  private fileCodes = new Map<string, number>();
  private duplicateCodes = false;

  /** Codes of the main files: gathered by this pass, or known from the dry run. */
  private hasFileCode(code: string): boolean {
    return this.fileCodes.has(code) || (this.carry?.fileCodes.has(code) ?? false);
  }
  private naturalKeys = new Map<string, number>();
  private sequences = new Map<string, number>();
  private takenCodes = new Map<string, Set<string>>();
  private codePattern: RegExp | null = null;
  private readonly carry: ImportCarry | undefined;
  private readonly counts: ImportCounts = {
    rows: 0,
    errorRows: 0,
    warnings: 0,
    opportunities: 0,
    existingOpportunities: 0,
    accounts: 0,
    existingAccounts: 0,
    contacts: 0,
    followUps: 0,
    stageChanges: 0,
    owners: 0,
    teams: 0,
  };
  private progress: ImportProgress = { phase: 'start', rows: 0, doneBytes: 0, totalBytes: 0 };
  private bytesBefore = 0;
  private lastProgress = 0;

  constructor(
    private readonly q: Executor,
    private readonly input: ImportRunInput,
  ) {
    this.actor = input.actor;
    this.mode = input.mode;
    this.now = input.now;
    this.problems = input.problems;
    this.carry = input.carry;
  }

  private get writing(): boolean {
    return this.mode === 'commit';
  }

  private get mapping(): ImportMapping {
    return this.input.mapping;
  }

  async execute(): Promise<{
    counts: ImportCounts;
    carry: ImportCarry;
    columns: FileColumnsReport[];
  }> {
    await this.loadContext();
    const planned = await this.planFiles();
    this.progress.totalBytes = planned.reduce((sum, p) => sum + (p.size ?? 0), 0);
    const byEntity = (e: ImportEntity) => planned.filter((p) => p.entity === e);

    for (const p of byEntity('owners')) await this.readOwners(p);
    for (const p of byEntity('lookup')) await this.readLookup(p);
    for (const p of byEntity('stage_history')) await this.readHistory(p);
    for (const p of byEntity('opportunities').filter((p) => p.mapping.mergeInto))
      await this.readMerge(p);
    await this.ensureOwnersAndTeams();
    for (const p of byEntity('accounts')) await this.readAccounts(p);
    for (const p of byEntity('opportunities').filter((p) => !p.mapping.mergeInto))
      await this.readOpportunities(p);
    for (const [code, record] of this.merges) {
      if (this.mergeUsed.has(code)) continue;
      const v = [...record.values()][0]!;
      this.problems.add({
        file: v.file,
        row: v.row,
        column: 'code',
        severity: 'error',
        code: 'unknown_opportunity',
        value: code,
      });
    }
    for (const [code, rows] of this.histories) {
      if (this.hasFileCode(code)) continue;
      this.problems.add({
        file: rows[0]!.file,
        row: rows[0]!.row,
        column: 'opportunity',
        severity: 'error',
        code: 'unknown_opportunity',
        value: code,
      });
    }
    for (const p of byEntity('contacts')) await this.readContacts(p);
    for (const p of byEntity('follow_ups')) await this.readFollowUps(p);

    if (this.writing) await this.finish();
    this.counts.warnings = this.problems.warnings;
    this.report('done', true);
    return {
      counts: this.counts,
      columns: [...this.columnReports.entries()].map(([file, r]) => ({
        file,
        entity: r.entity,
        columns: r.columns.map((c) => ({
          header: c.header,
          fields: c.fields,
          samples: [...c.samples],
        })),
      })),
      // The map itself, not a copy: at a million rows a copy is another hundred megabytes.
      carry: {
        fileCodes: this.carry?.fileCodes ?? this.fileCodes,
        duplicateCodes: this.duplicateCodes,
      },
    };
  }

  // ---------------------------------------------------------------- context

  private async loadContext() {
    const ws = this.actor.workspaceId;
    this.settings = await loadWorkspaceSettings(this.q, ws);
    this.timeZone = this.mapping.timeZone ?? this.settings.timeZone;
    const wanted = this.mapping.pipeline;
    let pipeline: pipelines.PipelineRow | undefined;
    if (wanted) {
      const all = await pipelines.listPipelines(this.q, ws);
      pipeline = all.find((p) => p.id === wanted || p.name === wanted);
      if (!pipeline)
        throw new DomainError('VALIDATION_FAILED', {}, [
          { path: 'pipeline', key: 'unknown_reference', params: { entity: 'pipeline' } },
        ]);
    } else pipeline = await pipelines.findDefaultPipeline(this.q, ws);
    if (!pipeline)
      throw new DomainError('VALIDATION_FAILED', {}, [
        { path: 'pipeline', key: 'unknown_reference', params: { entity: 'pipeline' } },
      ]);
    this.pipelineId = pipeline.id;
    this.pipelineName = pipeline.name;
    this.stages = (await pipelines.stagesOf(this.q, ws, [pipeline.id])).map((s) => ({
      id: s.id,
      name: s.name,
      kind: s.kind,
      position: s.position,
      winProbability: s.winProbability,
    }));
    this.matcher = new StageMatcher(this.stages);
    for (const m of await repo.workspaceMembers(this.q, ws))
      this.addMember({ id: m.id, name: m.name, email: m.email, teamId: m.team_id, isNew: false });
    for (const t of await people.listTeams(this.q, ws)) this.teams.set(t.name, t.id);
    for (const row of await settingsRepo.listPicklist(this.q, ws)) {
      const map = this.lists.get(row.kind) ?? new Map<string, string>();
      for (const label of [row.code, row.labelZh, row.labelEn]) map.set(valueKey(label), row.code);
      this.lists.set(row.kind, map);
      this.listSizes.set(row.kind, (this.listSizes.get(row.kind) ?? 0) + 1);
    }
    for (const c of await settingsRepo.listCompetitors(this.q, ws))
      this.competitors.set(valueKey(c.name), c.id);
    for (const entity of ['opportunity', 'account'] as const) {
      const defs = await settingsRepo.listCustomFields(this.q, ws, entity);
      this.customFields.set(
        entity,
        defs
          .filter((d) => d.active)
          .map((d) => ({
            key: d.key,
            type: d.type,
            options: d.options as string[],
            labelZh: d.labelZh,
            labelEn: d.labelEn,
          })),
      );
    }
    for (const a of await repo.accountKeys(this.q, ws))
      this.accounts.set(a.normalized_name, {
        id: a.id,
        isNew: false,
        written: true,
        name: '',
        ownerId: a.owner_id,
        values: {},
      });
    this.contactKeys = await repo.contactKeys(this.q, ws);
    this.codePattern = codeRegex(this.settings.codeFormat);
    if (this.writing) this.sequences = await repo.codeSequenceValues(this.q, ws);
    if (this.mapping.createMissingOwners && !['admin', 'director'].includes(this.actor.role))
      throw new DomainError('FORBIDDEN');
  }

  private addMember(m: Member) {
    this.members.set(m.id, m);
    this.membersByEmail.set(m.email.toLowerCase(), m);
    const key = valueKey(m.name);
    this.membersByName.set(key, [...(this.membersByName.get(key) ?? []), m]);
  }

  private async planFiles() {
    const result: (PlannedFile & { size: number })[] = [];
    const { statSync } = await import('node:fs');
    for (const file of this.input.files) {
      const sheetHint = file.name.includes('#') ? file.name.split('#')[1] : undefined;
      const mapping = this.mapping.files?.find((f) => fileMatches(f.file, file.name)) ?? {
        file: file.name,
        entity: guessEntity(path.basename(file.name), []),
        ...(sheetHint ? { sheet: sheetHint } : {}),
      };
      const size = statSync(file.path).size;
      result.push({ file, mapping, entity: mapping.entity, size });
    }
    return result;
  }

  private async open(p: PlannedFile): Promise<{ table: TableSource; plan: FilePlan } | null> {
    let table: TableSource;
    try {
      table = await openTable(p.file.path, p.mapping);
    } catch (error) {
      if (!(error instanceof TableReadError) && !(error instanceof Error)) throw error;
      this.problems.add({
        file: p.file.name,
        row: 0,
        column: '',
        severity: 'error',
        code: 'bad_file',
        value: error.message,
      });
      return null;
    }
    let mapping = p.mapping;
    if (!this.mapping.files?.some((f) => fileMatches(f.file, p.file.name))) {
      // No mapping entry: decide the kind from the name, the sheet name, then the headers.
      const sheet = table.description.split('#')[1] ?? '';
      mapping = { ...mapping, entity: guessEntity(`${p.file.name} ${sheet}`, table.headers) };
      if (
        !/follow|histor|contact|account|customer|team|rep|owner|agent|opportunit|pipeline|deal|lead|跟进|阶段|联系人|客户|团队|机会|商机|线索/i.test(
          `${p.file.name} ${sheet}`,
        )
      )
        mapping.entity = guessEntity('', table.headers);
      p.entity = mapping.entity;
    }
    const customEntity = mapping.entity === 'accounts' ? 'account' : 'opportunity';
    const plan = compilePlan(p.file.name, table.headers, mapping, {
      customFields: this.customFields.get(customEntity) ?? [],
      defaultDateFormat: this.mapping.dateFormat,
      defaultUnit: this.mapping.amountUnit ?? 'yuan',
    });
    if (!this.columnReports.has(p.file.name)) {
      const fieldsOf = new Map(plan.columns.map((c) => [c.index, c.targets.map((t) => t.field)]));
      this.columnReports.set(p.file.name, {
        entity: plan.entity,
        columns: table.headers.map((header, i) => ({
          header,
          fields: fieldsOf.get(i) ?? [],
          samples: new Set<string>(),
        })),
      });
    }
    for (const header of plan.unmapped)
      this.problems.add({
        file: p.file.name,
        row: 1,
        column: header,
        severity: 'warning',
        code: 'unmapped_column',
        value: header,
      });
    return { table, plan };
  }

  private async *rowsOf(p: PlannedFile, phase: string) {
    const opened = await this.open(p);
    if (!opened) return;
    const { table, plan } = opened;
    const misses: LookupMiss[] = [];
    const report = this.columnReports.get(p.file.name);
    for await (const { row, cells } of table.rows) {
      misses.length = 0;
      if (report) {
        report.columns.forEach((column, i) => {
          const value = cells[i];
          if (
            column.samples.size < SAMPLE_LIMIT &&
            value !== null &&
            value !== undefined &&
            String(value).trim() !== ''
          ) {
            column.samples.add(String(value).trim().slice(0, 100));
          }
        });
      }
      const record = readRow(plan, row, cells, this.lookups, misses);
      for (const miss of misses)
        this.problems.add({
          file: p.file.name,
          row,
          column: miss.column,
          severity: 'error',
          code: 'unknown_lookup',
          params: { lookup: miss.lookup },
          value: miss.value,
        });
      this.progress.doneBytes = this.bytesBefore + table.bytesRead();
      yield { record, row, plan, cells, headers: table.headers, lookupFailed: misses.length > 0 };
      this.progress.rows++;
      this.report(phase);
    }
    this.bytesBefore += table.totalBytes;
  }

  private report(phase: string, force = false) {
    this.progress.phase = phase;
    const t = Date.now();
    if (!force && t - this.lastProgress < 250) return;
    this.lastProgress = t;
    this.input.onProgress?.({ ...this.progress });
  }

  // ---------------------------------------------------------------- owners, teams, lookups

  private async readOwners(p: PlannedFile) {
    for await (const { record, row, plan } of this.rowsOf(p, 'owners')) {
      const r = new FieldReader(this, record, p.file.name, row, plan.fieldColumns);
      const name = r.required('name', 100);
      if (!name) continue;
      const email = r.text('email', 200)?.toLowerCase() ?? null;
      this.ownerSpecs.set(valueKey(name), {
        name,
        email,
        team: r.text('team', 100),
        parentTeam: r.text('parentTeam', 100),
      });
      if (email)
        this.ownerSpecs.set(email, {
          name,
          email,
          team: r.text('team', 100),
          parentTeam: r.text('parentTeam', 100),
        });
    }
  }

  private async readLookup(p: PlannedFile) {
    const name = p.mapping.name ?? path.basename(p.file.name).replace(/\.[^.]+$/, '');
    const opened = await this.open(p);
    if (!opened) return;
    const keyColumn = p.mapping.key ?? opened.table.headers[0]!;
    const keyIndex = opened.table.headers.findIndex((h) => h === keyColumn);
    const rows = new Map<string, Map<string, Cell>>();
    for await (const { cells } of opened.table.rows) {
      const values = new Map<string, Cell>();
      opened.table.headers.forEach((h, i) => values.set(h, cells[i] ?? null));
      rows.set(valueKey(textOf(cells[Math.max(keyIndex, 0)] ?? null)), values);
    }
    this.bytesBefore += opened.table.totalBytes;
    this.lookups.set(name, { key: keyColumn, rows });
  }

  private async readHistory(p: PlannedFile) {
    for await (const { record, row, plan } of this.rowsOf(p, 'stage history')) {
      const r = new FieldReader(this, record, p.file.name, row, plan.fieldColumns);
      const code = r.required('opportunity', 60);
      const stageName = r.required('stage');
      const at = r.instant('changedAt');
      if (!at && !r.has('changedAt')) r.problem('changedAt', 'missing_required', 'error');
      const stage = stageName ? this.matcher.match(stageName) : null;
      if (stageName && !stage)
        r.problem('stage', 'unknown_stage', 'error', { pipeline: this.pipelineName });
      if (!code || !stage || !at) continue;
      const list = this.histories.get(code) ?? [];
      list.push({ stage, at, reason: r.text('reason', 2000), file: p.file.name, row });
      this.histories.set(code, list);
    }
    for (const list of this.histories.values())
      list.sort((a, b) => a.at.getTime() - b.at.getTime() || a.row - b.row);
  }

  private async readMerge(p: PlannedFile) {
    for await (const { record, row } of this.rowsOf(p, 'merge')) {
      const code = record.get('code');
      if (!code) {
        new FieldReader(this, record, p.file.name, row).problem(
          'code',
          'missing_required',
          'error',
        );
        continue;
      }
      const key = textOf(code.cell);
      if (this.merges.has(key)) {
        const first = [...this.merges.get(key)!.values()][0]!;
        this.problems.add({
          file: p.file.name,
          row,
          column: code.column,
          severity: 'error',
          code: 'duplicate_code',
          params: { other: first.row },
          value: key,
        });
        continue;
      }
      record.delete('code');
      this.merges.set(key, record);
    }
  }

  /** The member an owner cell names: by e-mail, by unique name, else one to create (when allowed). */
  private resolveOwner(r: FieldReader, field: string, emailField: string | null): Member | null {
    const email = emailField ? r.text(emailField, 200)?.toLowerCase() : null;
    const value = r.text(field, 200);
    const text = email || value;
    if (!text) return null;
    const byEmail = this.membersByEmail.get(text.toLowerCase());
    let member: Member | undefined = byEmail;
    if (!member) {
      const named = this.membersByName.get(valueKey(text));
      if (named && named.length > 1) {
        r.problem(emailField && email ? emailField : field, 'ambiguous_owner', 'error', {}, text);
        return null;
      }
      member = named?.[0];
    }
    if (!member) {
      const spec = this.ownerSpecs.get(text.toLowerCase()) ?? this.ownerSpecs.get(valueKey(text));
      const specMember = spec?.email ? this.membersByEmail.get(spec.email) : undefined;
      if (specMember) member = specMember;
      else if (this.mapping.createMissingOwners) {
        member = this.plannedOwner(
          value ?? text,
          email ?? spec?.email ?? null,
          spec?.team ?? (r.has('team') ? r.text('team', 100) : null),
          spec?.parentTeam ?? null,
        );
      } else {
        r.problem(emailField && email ? emailField : field, 'unknown_owner', 'error', {}, text);
        return null;
      }
    }
    if (member.isNew && member.teamId === null && r.has('team')) {
      // A historic rep first met without a team (e.g. as an account owner) gets it from a later row.
      const team = r.text('team', 100);
      if (team) {
        member.teamId = this.teamId(team, null);
        this.teamChanged.add(member.id);
      }
    }
    if (!canAssignTo(this.actor, { userId: member.id, teamId: member.teamId })) {
      r.problem(field, 'owner_out_of_scope', 'error', {}, text);
      return null;
    }
    return member;
  }

  private plannedOwner(
    name: string,
    email: string | null,
    team: string | null,
    parentTeam: string | null,
  ): Member {
    const address = (email ?? `${slug(name)}.${shortHash(name)}@imported.invalid`).toLowerCase();
    const existing = this.membersByEmail.get(address);
    if (existing) return existing;
    const spec = this.ownerSpecs.get(valueKey(name));
    const teamName = team ?? spec?.team ?? null;
    const teamId = teamName ? this.teamId(teamName, parentTeam ?? spec?.parentTeam ?? null) : null;
    const member: Member = { id: randomUUID(), name, email: address, teamId, isNew: true };
    this.addMember(member);
    this.counts.owners++;
    return member;
  }

  private teamId(name: string, parent: string | null): string {
    const known = this.teams.get(name);
    if (known) return known;
    const parentId = parent ? this.teamId(parent, null) : null;
    const id = randomUUID();
    this.teams.set(name, id);
    this.newTeams.set(name, { id, parent: parentId });
    this.counts.teams++;
    return id;
  }

  /** Owners named in the owners files are created before anything refers to them (commit). */
  private async ensureOwnersAndTeams() {
    if (this.mapping.createMissingOwners) {
      for (const spec of new Set(this.ownerSpecs.values())) {
        const known =
          (spec.email && this.membersByEmail.get(spec.email)) ||
          this.membersByName.get(valueKey(spec.name))?.[0];
        if (!known) this.plannedOwner(spec.name, spec.email, spec.team, spec.parentTeam);
        else if (spec.team && !this.teams.has(spec.team)) this.teamId(spec.team, spec.parentTeam);
      }
    }
    await this.writePeople();
  }

  private writtenTeams = new Set<string>();
  private teamChanged = new Set<string>();
  /** Planned people who turned out to exist already as users (of another workspace): planned id -> user id. */
  private idRemap = new Map<string, string>();
  private uid(id: string | null | undefined): string | null {
    return (id && this.idRemap.get(id)) || id || null;
  }
  private writtenMembers = new Set<string>();

  private async writePeople() {
    if (!this.writing) return;
    for (const [name, team] of this.newTeams) {
      if (this.writtenTeams.has(name)) continue;
      await repo.insertRows(
        this.q,
        'teams',
        { id: 'uuid', workspace_id: 'uuid', name: 'text', parent_id: 'uuid' },
        [{ id: team.id, workspace_id: this.actor.workspaceId, name, parent_id: team.parent }],
      );
      this.writtenTeams.add(name);
    }
    for (const id of this.teamChanged) {
      const m = this.members.get(this.uid(id) ?? id);
      if (m && this.writtenMembers.has(m.id))
        await people.updateMembership(this.q, this.actor.workspaceId, m.id, { teamId: m.teamId });
    }
    this.teamChanged.clear();
    const fresh = [...this.members.values()].filter(
      (m) => m.isNew && !this.writtenMembers.has(m.id),
    );
    if (fresh.length === 0) return;
    const existingUsers = await repo.usersByEmail(
      this.q,
      fresh.map((m) => m.email),
    );
    for (const m of fresh) {
      const userId = existingUsers.get(m.email);
      if (userId) {
        // The person exists in another workspace: add them here rather than a second user.
        this.members.delete(m.id);
        this.idRemap.set(m.id, userId);
        m.id = userId;
        this.members.set(m.id, m);
      } else {
        await repo.insertRows(this.q, 'users', { id: 'uuid', email: 'text', name: 'text' }, [
          { id: m.id, email: m.email, name: m.name },
        ]);
      }
      await people.insertMembership(this.q, {
        workspaceId: this.actor.workspaceId,
        userId: m.id,
        role: 'rep',
        teamId: m.teamId,
      });
      this.writtenMembers.add(m.id);
    }
  }

  // ---------------------------------------------------------------- value lists

  /** A value of an admin list as its code: by code or label; unknown values per the mapping. */
  private listValue(r: FieldReader, field: ListField, max: number): string | null {
    const text = r.text(field, max);
    if (text === null) return null;
    const kind = LIST_KINDS[field];
    const code = this.lists.get(kind)?.get(valueKey(text));
    if (code) return code;
    if (this.mapping.addMissingValues) {
      const set = this.newListValues.get(kind) ?? new Set<string>();
      set.add(text);
      this.newListValues.set(kind, set);
      this.lists.set(kind, (this.lists.get(kind) ?? new Map()).set(valueKey(text), text));
      return text;
    }
    if ((this.listSizes.get(kind) ?? 0) === 0) return text;
    if (field === 'source' && this.lists.get(kind)?.has('other')) {
      r.problem(field, 'source_other', 'warning');
      return 'other';
    }
    r.problem(field, 'unknown_value', 'error');
    return null;
  }

  private async writeListValues() {
    for (const [kind, values] of this.newListValues) {
      let position = this.listSizes.get(kind) ?? 0;
      for (const value of values) {
        if (value.length > 60 || !/^[\p{L}\p{N}_\-. ]+$/u.test(value)) continue;
        await settingsRepo.insertPicklistValue(this.q, {
          workspaceId: this.actor.workspaceId,
          kind,
          code: value,
          labelZh: value,
          labelEn: value,
          position: position++,
        });
      }
    }
    this.newListValues.clear();
  }

  private customValues(r: FieldReader, entity: 'opportunity' | 'account'): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const def of this.customFields.get(entity) ?? []) {
      const field = `custom.${def.key}`;
      if (!r.has(field)) continue;
      if (def.type === 'number') out[def.key] = r.number(field);
      else if (def.type === 'boolean') out[def.key] = r.boolean(field);
      else if (def.type === 'date') out[def.key] = r.date(field);
      else {
        const text = r.text(field, 2000);
        if (def.type === 'select' && text !== null && !def.options.includes(text)) {
          r.problem(field, 'unknown_value', 'error');
          continue;
        }
        out[def.key] = text;
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- accounts

  private account(
    name: string,
    ownerId: string | null,
    values: Record<string, unknown>,
  ): { key: string; entry: AccountEntry } {
    const key = accountNameKey(name);
    let entry = this.accounts.get(key);
    if (!entry) {
      entry = { id: randomUUID(), isNew: true, written: false, name, ownerId, values };
      this.accounts.set(key, entry);
      this.unwrittenAccounts.push(key);
      this.counts.accounts++;
    } else if (entry.isNew && !entry.written) {
      for (const [k, v] of Object.entries(values))
        if (entry.values[k] == null && v != null) entry.values[k] = v;
      entry.ownerId ??= ownerId;
    }
    return { key, entry };
  }

  private async readAccounts(p: PlannedFile) {
    for await (const { record, row, plan } of this.rowsOf(p, 'accounts')) {
      const r = new FieldReader(this, record, p.file.name, row, plan.fieldColumns);
      const name = r.required('name', 200);
      const owner =
        r.has('owner') || r.has('ownerEmail') ? this.resolveOwner(r, 'owner', 'ownerEmail') : null;
      const employees = r.number('employees');
      const values = {
        industry: this.listValue(r, 'industry', 100),
        employees: employees === null ? null : Math.round(employees),
        province: r.text('province', 100),
        city: r.text('city', 100),
        region: this.listValue(r, 'region', 100),
        tier: r.text('tier', 10),
        custom_fields: this.customValues(r, 'account'),
      };
      if (values.tier && !['A+', 'A', 'B', 'C'].includes(values.tier)) {
        r.problem('tier', 'unknown_value', 'error');
        values.tier = null;
      }
      this.counts.rows++;
      if (!name || r.hasError) {
        if (r.hasError) this.counts.errorRows++;
        continue;
      }
      const existed = this.accounts.get(accountNameKey(name));
      if (existed && !existed.isNew) this.counts.existingAccounts++;
      this.account(name, owner?.id ?? null, values);
    }
    await this.flushAccounts();
  }

  private async flushAccounts() {
    if (!this.writing) return;
    const rows = await this.takeAccountRows();
    for (let i = 0; i < rows.length; i += BATCH)
      await repo.insertRows(this.q, 'accounts', repo.ACCOUNT_COLUMNS, rows.slice(i, i + BATCH));
  }

  /** The new accounts not written yet, as rows, marked written (the caller writes them). */
  private async takeAccountRows(): Promise<Record<string, unknown>[]> {
    await this.writePeople();
    await this.writeListValues();
    const pending: Record<string, unknown>[] = [];
    const keys = this.unwrittenAccounts.splice(0);
    for (const key of keys) {
      const a = this.accounts.get(key)!;
      if (!a.isNew || a.written) continue;
      a.written = true;
      pending.push({
        id: a.id,
        workspace_id: this.actor.workspaceId,
        name: a.name,
        normalized_name: key,
        industry: a.values.industry ?? null,
        employees: a.values.employees ?? null,
        province: a.values.province ?? null,
        city: a.values.city ?? null,
        region: a.values.region ?? null,
        tier: a.values.tier ?? null,
        owner_id: this.uid(a.ownerId) ?? this.actorId,
        custom_fields: a.values.custom_fields ?? {},
        created_by: this.actorId,
        created_at: this.now,
        updated_at: this.now,
      });
      // Written: keep only what later rows need (the id, the owner) to stay small at a million rows.
      a.values = NO_VALUES;
      a.name = '';
    }
    return pending;
  }

  /** The system operator has no user row: record nobody rather than a dangling id. */
  private get actorId(): string | null {
    return this.actor.userId === SYSTEM_USER_ID ? null : this.actor.userId;
  }

  // ---------------------------------------------------------------- opportunities

  private async readOpportunities(p: PlannedFile) {
    let batch: OpportunityRecord[] = [];
    const pipeline: WritePipeline = { sending: Promise.resolve(), ready: null };
    let plan: FilePlan | null = null;
    for await (const item of this.rowsOf(p, 'opportunities')) {
      plan ??= item.plan;
      const code = item.record.get('code');
      if (code) {
        const merge = this.merges.get(textOf(code.cell));
        if (merge) {
          this.mergeUsed.add(textOf(code.cell));
          for (const [field, value] of merge) {
            const mine = item.record.get(field);
            if (!mine || mine.defaulted || !value.defaulted) item.record.set(field, value);
          }
        }
      }
      const built = this.buildOpportunity(item.record, item.plan, item.row, item.lookupFailed);
      this.counts.rows++;
      if (!built.ok) this.counts.errorRows++;
      batch.push(built);
      if (batch.length >= BATCH) {
        await this.nextBatch(batch, pipeline);
        batch = [];
      }
    }
    await this.nextBatch(batch, pipeline);
    await pipeline.sending;
    if (pipeline.ready) await repo.execute(this.q, pipeline.ready);
  }

  /**
   * Batches are written one behind the reading, so that the database and this process work at
   * the same time: while the database writes batch k, this process reads, checks and builds batch
   * k + 1 into its statement. The database waits only for batch k + 1's look-up of records that
   * existed before the import (a few milliseconds), which must run before batch k is written.
   * All statements go through the import's one transaction in program order.
   */
  private async nextBatch(batch: OpportunityRecord[], pipeline: WritePipeline) {
    await pipeline.sending;
    const fresh = await this.freshOpportunities(batch);
    if (!this.writing) {
      this.countDryRun(fresh);
      return;
    }
    if (pipeline.ready) {
      // Queries made while this one runs (new people, codes, competitors) wait in the driver's
      // queue of the transaction's one connection (node-postgres 8, PGlite), in program order.
      pipeline.sending = repo.execute(this.q, pipeline.ready);
      pipeline.sending.catch(() => undefined); // awaited before the next statement and at the end
      pipeline.ready = null;
    }
    try {
      pipeline.ready = await this.opportunityStatement(fresh);
    } catch (error) {
      // A statement of this batch failing because the one running before it failed (and aborted
      // the transaction) reports that first failure, not "transaction aborted".
      await pipeline.sending;
      throw error;
    }
  }

  private buildOpportunity(
    record: RawRecord,
    plan: FilePlan,
    row: number,
    lookupFailed: boolean,
  ): OpportunityRecord {
    const file = plan.file;
    const fields = plannedFields(plan);
    const r = new FieldReader(this, record, file, row, plan.fieldColumns);
    if (lookupFailed) r.hasError = true;
    const code = r.text('code', 60);
    const owner = this.resolveOwner(r, 'owner', 'ownerEmail');
    if (!owner && !r.has('owner') && !r.has('ownerEmail'))
      r.problem('owner', 'missing_required', 'error');
    const accountName = r.required('account', 200);

    // Status and stage, settling contradictions between them.
    const stageText = r.text('stage');
    let stage = stageText ? this.matcher.match(stageText) : null;
    if (stageText && !stage)
      r.problem('stage', 'unknown_stage', 'error', { pipeline: this.pipelineName });
    const lastOpenText = r.text('lastOpenStage');
    let lastOpen = lastOpenText ? this.matcher.match(lastOpenText) : null;
    if (lastOpenText && (!lastOpen || lastOpen.kind !== 'open')) {
      r.problem('lastOpenStage', 'unknown_stage', 'error', { pipeline: this.pipelineName });
      lastOpen = null;
    }
    const statusText = r.text('status');
    let explicit: Status | null = statusText ? parseStatus(statusText) : null;
    if (statusText && !explicit) r.problem('status', 'unknown_status', 'error');
    if (!explicit && (r.has('isClosed') || r.has('isWon'))) {
      const closed = r.boolean('isClosed');
      const won = r.boolean('isWon');
      explicit = won ? 'won' : closed ? 'lost' : 'open';
    }
    const stageStatus: Status | null = stage ? (stage.kind === 'open' ? 'open' : stage.kind) : null;
    let status: Status = explicit ?? stageStatus ?? 'open';
    const wonStage = this.stages.find((s) => s.kind === 'won')!;
    const lostStage = this.stages.find((s) => s.kind === 'lost')!;
    const firstOpen = this.stages.find((s) => s.kind === 'open')!;
    const stageDefaulted = record.get('stage')?.defaulted ?? false;
    if (
      stage &&
      explicit &&
      !stageDefaulted &&
      stageStatus !== explicit &&
      !(explicit === 'postponed' && stageStatus === 'open')
    ) {
      const keepStage = (this.mapping.conflicts ?? 'stage') === 'stage';
      r.problem(
        r.has('status') ? 'status' : 'isWon',
        'status_conflict',
        'warning',
        { status: explicit, stage: stage.name, kept: keepStage ? stage.name : explicit },
        statusText ?? explicit,
      );
      if (keepStage) status = stageStatus!;
      else {
        if (stage.kind === 'open') lastOpen ??= stage;
        stage = null;
      }
    }
    if (!stage || (stage.kind !== 'open' && (status === 'open' || status === 'postponed'))) {
      stage = status === 'won' ? wonStage : status === 'lost' ? lostStage : (lastOpen ?? firstOpen);
    }
    if (stage.kind === 'open' && (status === 'won' || status === 'lost')) {
      lastOpen ??= stage;
      stage = status === 'won' ? wonStage : lostStage;
    }
    const closed = status === 'won' || status === 'lost';

    // Dates.
    const acquiredGiven = r.instant('acquiredAt');
    const createdGiven = r.instant('createdAt');
    const closeDate = r.date('closeDate');
    const closedAtGiven = r.instant('closedAt');
    const wonDateGiven = r.date('wonDate');
    const startOf = (date: string) =>
      toInstant(
        { ...splitDate(date), hour: 0, minute: 0, second: 0, offsetMinutes: null, hasTime: false },
        this.timeZone,
      );
    const closedAt = closed
      ? (closedAtGiven ??
        (closeDate
          ? startOf(closeDate)
          : wonDateGiven && status === 'won'
            ? startOf(wonDateGiven)
            : null))
      : null;
    const history = code ? (this.histories.get(code) ?? []) : [];
    const id = randomUUID();
    const ownerId = owner?.id ?? this.actor.userId;
    const followUpLog = r.text('followUpLog');
    const followUps = followUpLog ? this.parseFollowUpLog(followUpLog, id, ownerId, null) : [];
    let acquiredAt = acquiredGiven ?? createdGiven ?? null;
    if (!acquiredAt && !r.has('acquiredAt') && !r.has('createdAt')) {
      // No acquisition date in the file: the earliest date the row knows, else now (reported).
      const known = [history[0]?.at, ...followUps.map((f) => f.occurred_at), closedAt].filter(
        (d): d is Date => d instanceof Date,
      );
      acquiredAt = known.length ? new Date(Math.min(...known.map((d) => d.getTime()))) : this.now;
      r.problem('acquiredAt', 'default_used', 'warning', {}, this.localStamp(acquiredAt));
    }
    acquiredAt ??= this.now;
    for (const f of followUps) f.occurred_at ??= acquiredAt;
    const expectedCloseDate =
      r.date('expectedCloseDate') ?? (!closed && closeDate ? closeDate : null);

    // Amounts (分).
    const expectedGiven = r.amount('expectedAmount');
    const amount = r.amount('amount');
    const wonGiven = r.amount('wonAmount');
    const expectedAmount = expectedGiven ?? amount ?? 0;
    const hasAmountColumn =
      fields.has('expectedAmount') ||
      fields.has('amount') ||
      (status === 'won' && fields.has('wonAmount'));
    if (
      hasAmountColumn &&
      expectedGiven === null &&
      amount === null &&
      !(status === 'won' && wonGiven !== null) &&
      !r.hasError
    )
      r.problem(
        fields.has('amount') ? 'amount' : 'expectedAmount',
        'default_used',
        'warning',
        {},
        '0',
      );
    const wonAmount = status === 'won' ? (wonGiven ?? amount ?? expectedAmount) : null;
    const winProbability = r.number('winProbability');
    if (winProbability !== null && (winProbability < 0 || winProbability > 100))
      r.problem('winProbability', 'bad_number', 'error');

    // Lists, texts.
    const source = this.listValue(r, 'source', 100);
    const sourceCell = record.get('source');
    const sourceText = sourceCell ? textOf(sourceCell.cell) : null;
    const sourceDetail =
      r.text('sourceDetail', 200) ??
      (source === 'other' &&
      sourceText &&
      this.lists.get('source')?.get(valueKey(sourceText)) !== 'other'
        ? sourceText
        : null);
    const industry = this.listValue(r, 'industry', 100);
    const region = this.listValue(r, 'region', 100);
    const productLine = this.listValue(r, 'productLine', 100);
    let marketNotes = r.text('marketNotes') ?? '';
    let lossReason: string | null = null;
    if (r.has('lossReason')) {
      if (status === 'lost') lossReason = this.listValue(r, 'lossReason', 100);
      else {
        const text = r.text('lossReason', 500)!;
        r.problem('lossReason', 'loss_reason_on_open', 'warning');
        marketNotes = [marketNotes, `未成交原因: ${text}`].filter(Boolean).join('\n');
      }
    }
    const competitorName = status === 'lost' ? r.text('lostToCompetitor', 200) : null;
    const needsDescription = r.text('needsDescription') ?? '';
    const productForName = productLine ?? '';
    const fileName = r.text('name', 200);
    const name =
      fileName ??
      (needsDescription
        ? firstLine(needsDescription, 60)
        : [accountName, productForName].filter(Boolean).join(' · ') || code || '');
    // A file without a name column is named this way on purpose (the SPEC template has none); an
    // empty cell of a name column is said, with the name it gets.
    if (fileName === null && name && r.mapped('name'))
      r.problem('name', 'default_used', 'warning', {}, name);
    const customFields = this.customValues(r, 'opportunity');
    const priorityText = r.text('priority');
    const filePriority = priorityText ? parsePriority(priorityText) : null;
    if (priorityText && !filePriority) r.problem('priority', 'unknown_value', 'error');
    const overrideReason = r.text('priorityOverrideReason', 500);
    const postponeReason = status === 'postponed' ? r.text('postponeReason', 200) : null;

    // Contact and follow-up log on the row.
    const contactName = r.text('contactName', 100);
    const contactDetail = this.contactDetails(r);

    if (code) {
      if (!this.carry || this.carry.duplicateCodes) {
        const first = this.fileCodes.get(code);
        if (first !== undefined) {
          r.problem('code', 'duplicate_code', 'error', { other: first });
          this.duplicateCodes = true;
        } else this.fileCodes.set(code, row);
      }
    }

    // Timeline.
    const timeline = buildTimeline({
      stages: this.stages,
      acquiredAt,
      status,
      stage,
      lastOpenStage: lastOpen,
      stageEnteredAt: r.instant('stageEnteredAt'),
      closedAt,
      history,
    });
    if (closedAt && closedAt < acquiredAt)
      r.problem('closeDate', 'history_before_creation', 'warning', {
        date: acquiredAt.toISOString(),
      });
    if (timeline.historyBeforeCreation)
      r.problem('acquiredAt', 'history_before_creation', 'warning', {
        date: acquiredAt.toISOString(),
      });
    if (timeline.reconciledAt)
      r.problem('stage', 'history_reconciled', 'warning', {
        date: timeline.reconciledAt.toISOString(),
      });

    const probability =
      status === 'won' ? 100 : (winProbability ?? timeline.lastOpenStage.winProbability);
    const computed = computePriority(
      this.settings.rules.priorityRules,
      status === 'won' ? wonAmount! : expectedAmount,
      stage.kind === 'open' ? (winProbability ?? stage.winProbability) : probability,
    );
    const override: Priority | null =
      filePriority && (filePriority !== computed || overrideReason) ? filePriority : null;
    const accountKey = accountName ? accountNameKey(accountName) : '';
    const { year, month } = localParts(acquiredAt, this.timeZone);
    const periodKey = codePeriodKey(this.settings.codeFormat, year, month);
    const naturalKey = code ? null : `${accountKey}|${name}|${acquiredAt.getTime()}`;
    if (naturalKey) {
      const first = this.naturalKeys.get(naturalKey);
      if (first !== undefined) r.problem('name', 'duplicate_row', 'error', { other: first });
      else this.naturalKeys.set(naturalKey, row);
    }
    const createdAt = createdGiven ?? acquiredAt;
    const effectiveCloseAt = timeline.closedAt;
    const wonDate =
      status === 'won'
        ? (wonDateGiven ?? (effectiveCloseAt ? localDate(effectiveCloseAt, this.timeZone) : null))
        : null;

    const rowValues: Record<string, unknown> = {
      id,
      workspace_id: this.actor.workspaceId,
      code,
      name,
      account_id: null,
      pipeline_id: this.pipelineId,
      stage_id: stage.id,
      status,
      owner_id: ownerId,
      team_id: owner?.teamId ?? null,
      needs_description: needsDescription,
      budget_range: r.text('budgetRange', 200),
      expected_amount: expectedAmount,
      expected_close_date: expectedCloseDate,
      source,
      source_detail: sourceDetail,
      industry,
      region,
      product_line: productLine,
      acquired_at: acquiredAt,
      late_entry: false,
      market_notes: marketNotes,
      partner: r.text('partner', 200),
      channel_manager: r.text('channelManager', 200),
      win_probability: winProbability,
      priority: override ?? computed,
      computed_priority: computed,
      priority_override: override,
      priority_override_reason: override ? (overrideReason ?? `imported: ${priorityText}`) : null,
      priority_override_by: override ? this.actorId : null,
      stage_entered_at: timeline.stageEnteredAt,
      reached_position: timeline.reachedPosition,
      won_amount: wonAmount,
      won_date: wonDate,
      loss_reason: status === 'lost' ? lossReason : null,
      lost_from_stage_id:
        status === 'lost'
          ? ([...timeline.events].reverse().find((e) => e.kind === 'lost')?.fromStageId ?? null)
          : null,
      lost_to_competitor_id: competitorName ? this.competitorId(competitorName) : null,
      loss_note: status === 'lost' ? r.text('lossNote', 2000) : null,
      postpone_reason: postponeReason ?? (status === 'postponed' ? '' : null),
      postpone_remedy: status === 'postponed' ? (r.text('postponeRemedy', 2000) ?? '') : null,
      postponed_until: status === 'postponed' ? r.date('postponedUntil') : null,
      closed_at: effectiveCloseAt,
      custom_fields: customFields,
      created_by: this.actorId,
      created_at: createdAt,
      updated_at: this.now,
    };
    const stays = stayStartsOf(
      timeline.events.map((e) => ({
        fromStageId: e.fromStageId,
        toStageId: e.toStageId,
        changedAt: e.at,
      })),
    );
    const events = timeline.events.map((e, i) => ({
      stay_started_at: stays[i],
      workspace_id: this.actor.workspaceId,
      opportunity_id: id,
      from_stage_id: e.fromStageId,
      to_stage_id: e.toStageId,
      kind: e.kind,
      status: e.status,
      changed_at: e.at,
      recorded_at: this.now,
      changed_by: this.actorId,
      reason:
        e.reason ??
        (e.kind === 'skip' || e.kind === 'back' || e.kind === 'reopen' ? 'imported' : null),
    }));
    const contact =
      contactName && accountKey
        ? {
            key: `${accountKey}|${contactName.toLowerCase()}|${contactDetail.phone ?? ''}|${contactDetail.email?.toLowerCase() ?? ''}|${contactDetail.im ?? ''}`,
            values: {
              name: contactName,
              phone: contactDetail.phone,
              email: contactDetail.email,
              im_handle: contactDetail.im,
              title: r.text('contactTitle', 100),
            },
          }
        : null;
    if (accountName && !r.hasError) this.account(accountName, ownerId, { industry, region });
    return {
      row: rowValues,
      events,
      priorityChange: {
        workspace_id: this.actor.workspaceId,
        opportunity_id: id,
        from_priority: null,
        to_priority: override ?? computed,
        computed_priority: computed,
        kind: override ? 'override' : 'computed',
        reason: override ? rowValues.priority_override_reason : null,
        changed_by: this.actorId,
        changed_at: this.now,
      },
      followUps,
      contact,
      accountKey,
      code,
      naturalKey,
      acquiredAt,
      periodKey,
      ok: !r.hasError,
      source: { file, row },
    };
  }

  private contactDetails(r: FieldReader): {
    phone: string | null;
    email: string | null;
    im: string | null;
  } {
    const out = {
      phone: null as string | null,
      email: r.text('contactEmail', 200),
      im: null as string | null,
    };
    const detail = r.text('contactPhone', 100);
    for (const [field, value] of [
      ['contactPhone', detail],
      ['contactEmail', out.email],
    ] as const) {
      if (value && looksMasked(value)) {
        r.problem(field, 'masked_value', 'warning');
        if (field === 'contactEmail') out.email = null;
        else return out;
      }
    }
    if (!detail) return out;
    if (detail.includes('@')) out.email ??= detail;
    else if (/^[+\d][\d\s\-()]{2,}$/.test(detail)) out.phone = detail;
    else out.im = detail.replace(/^(微信|wechat|wx|qq|钉钉|im)?\s*[:：]\s*/i, '') || detail;
    return out;
  }

  /** 跟进记录: lines such as "2024-05-10:客户要求…" become done follow-ups at that date. */
  private parseFollowUpLog(
    text: string,
    opportunityId: string,
    ownerId: string,
    fallback: Date | null,
  ) {
    const entries = text
      .split(/\r?\n|；|;(?=\s*\d{4}[-/.年])/)
      .map((s) => s.trim())
      .filter(Boolean);
    return entries.map((entry) => {
      const m =
        /^(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}:\d{2})?)\s*[:：]?\s*(.*)$/s.exec(
          entry,
        );
      let at: Date | null = fallback;
      let content = entry;
      if (m) {
        const parsed = parseDateCell(m[1]!.replace(/[/.年月]/g, '-').replace(/日/, ''), undefined);
        if (parsed.ok) {
          at = toInstant(parsed.value, this.timeZone);
          content = m[2]!.trim() || entry;
        }
      }
      return {
        id: randomUUID(),
        workspace_id: this.actor.workspaceId,
        opportunity_id: opportunityId,
        owner_id: ownerId,
        status: 'done',
        method: guessMethod(content),
        planned_at: null,
        goal: null,
        occurred_at: at,
        content,
        next_action: null,
        intent_change: null,
        late_entry: false,
        planned_by_cadence: false,
        logged_at: this.now,
        created_by: this.actorId,
        created_at: this.now,
      };
    });
  }

  private competitorId(name: string): string {
    const key = valueKey(name);
    const known = this.competitors.get(key) ?? this.newCompetitors.get(key);
    if (known) return known;
    const id = randomUUID();
    this.newCompetitors.set(key, id);
    return id;
  }

  /** The batch's valid rows that are not in the workspace already (by code or natural key). */
  private async freshOpportunities(batch: OpportunityRecord[]): Promise<OpportunityRecord[]> {
    if (batch.length === 0) return [];
    const ws = this.actor.workspaceId;
    const codes = batch.filter((b) => b.ok && b.code).map((b) => b.code!);
    const existing = await repo.existingCodes(this.q, ws, codes);
    const natural = batch.filter(
      (b) =>
        b.ok &&
        b.naturalKey &&
        this.accounts.get(b.accountKey) &&
        !this.accounts.get(b.accountKey)!.isNew,
    );
    const existingNatural = await repo.existingNaturalKeys(
      this.q,
      ws,
      natural.map((b) => ({
        account: this.accounts.get(b.accountKey)!.id,
        name: String(b.row.name),
        acquired: b.acquiredAt.toISOString(),
      })),
    );
    const fresh: OpportunityRecord[] = [];
    for (const b of batch) {
      // A row in error is neither written nor counted as present: its code may be a second copy
      // of one this import writes, which the database may or may not hold yet.
      if (!b.ok) continue;
      const account = this.accounts.get(b.accountKey);
      const isExisting =
        (b.code && existing.has(b.code)) ||
        (b.naturalKey &&
          account &&
          !account.isNew &&
          existingNatural.has(`${account.id}|${String(b.row.name)}|${b.acquiredAt.getTime()}`));
      if (isExisting) {
        this.counts.existingOpportunities++;
        continue;
      }
      fresh.push(b);
    }
    return fresh;
  }

  private countDryRun(fresh: OpportunityRecord[]) {
    for (const b of fresh) {
      this.counts.opportunities++;
      this.counts.stageChanges += b.events.length;
      this.counts.followUps += b.followUps.length;
      const account = this.accounts.get(b.accountKey);
      const key = b.contact?.key.replace(/^[^|]*/, account?.id ?? b.accountKey);
      if (key && !this.contactKeys.has(key)) {
        this.contactKeys.add(key);
        this.counts.contacts++;
      }
    }
  }

  /** The statement that writes the batch with its new accounts, history, follow-ups and contacts. */
  private async opportunityStatement(fresh: OpportunityRecord[]): Promise<SQL | null> {
    if (this.problems.errors > 0 && !this.mapping.skipInvalidRows) return null;
    const ws = this.actor.workspaceId;
    const accountRows = await this.takeAccountRows();
    await this.writeCompetitors();
    const contactRows: Record<string, unknown>[] = [];
    const links: Record<string, unknown>[] = [];
    for (const b of fresh) {
      b.row.owner_id = this.uid(b.row.owner_id as string);
      for (const f of b.followUps) f.owner_id = this.uid(f.owner_id as string);
      const account = this.accounts.get(b.accountKey)!;
      b.row.account_id = account.id;
      if (!b.code) b.row.code = await this.generateCode(b.acquiredAt);
      else this.noteFileCode(b.code);
      if (b.contact) {
        const key = b.contact.key.replace(/^[^|]*/, account.id);
        let contactId = this.contactIds.get(key);
        if (!contactId && !this.contactKeys.has(key)) {
          contactId = randomUUID();
          this.contactKeys.add(key);
          this.contactIds.set(key, contactId);
          contactRows.push({
            id: contactId,
            workspace_id: ws,
            account_id: account.id,
            ...b.contact.values,
            decision_role: null,
            owner_id: b.row.owner_id,
            created_by: this.actorId,
            created_at: this.now,
          });
          this.counts.contacts++;
        }
        if (contactId)
          links.push({
            workspace_id: ws,
            opportunity_id: b.row.id,
            contact_id: contactId,
            role: null,
          });
      }
    }
    for (const b of fresh) {
      // The board's follow-up dates from the row's own follow-ups (all of the new opportunity's),
      // written with it rather than by a second update of every row.
      const at = (status: string, column: string) =>
        b.followUps
          .filter((f) => f.status === status && f[column] instanceof Date)
          .map((f) => (f[column] as Date).getTime());
      const done = at('done', 'occurred_at');
      const planned = at('planned', 'planned_at');
      b.row.last_follow_up_at = done.length ? new Date(Math.max(...done)) : null;
      b.row.next_follow_up_at = planned.length ? new Date(Math.min(...planned)) : null;
    }
    const followUps = fresh.flatMap((b) => b.followUps);
    const statement = repo.insertManySql([
      // First: the keys of the rows after it are checked at the end of the statement.
      { table: 'accounts', columns: repo.ACCOUNT_COLUMNS, rows: accountRows },
      { table: 'opportunities', columns: repo.OPPORTUNITY_COLUMNS, rows: fresh.map((b) => b.row) },
      {
        table: 'stage_changes',
        columns: repo.STAGE_CHANGE_COLUMNS,
        rows: fresh.flatMap((b) => b.events),
      },
      {
        table: 'priority_changes',
        columns: repo.PRIORITY_CHANGE_COLUMNS,
        rows: fresh.map((b) => b.priorityChange),
      },
      { table: 'follow_ups', columns: repo.FOLLOW_UP_COLUMNS, rows: followUps },
      { table: 'contacts', columns: repo.CONTACT_COLUMNS, rows: contactRows },
      { table: 'opportunity_contacts', columns: repo.OPPORTUNITY_CONTACT_COLUMNS, rows: links },
    ]);
    this.counts.opportunities += fresh.length;
    this.counts.stageChanges += fresh.reduce((n, b) => n + b.events.length, 0);
    this.counts.followUps += followUps.length;
    return statement;
  }

  private contactIds = new Map<string, string>();

  /** An instant as the reader's calendar shows it: local date (and time unless midnight). */
  private localStamp(instant: Date): string {
    const { hour, minute } = localParts(instant, this.timeZone);
    const date = localDate(instant, this.timeZone);
    const two = (n: number) => String(n).padStart(2, '0');
    return hour || minute ? `${date} ${two(hour)}:${two(minute)}` : date;
  }

  private async writeCompetitors() {
    for (const [key, id] of this.newCompetitors) {
      await repo.insertRows(
        this.q,
        'competitors',
        { id: 'uuid', workspace_id: 'uuid', name: 'text' },
        [{ id, workspace_id: this.actor.workspaceId, name: key }],
      );
      this.competitors.set(key, id);
    }
    this.newCompetitors.clear();
  }

  /** The next free code of the workspace format in the acquisition month, around the file's own codes. */
  private async generateCode(acquiredAt: Date): Promise<string> {
    const { year, month } = localParts(acquiredAt, this.timeZone);
    const periodKey = codePeriodKey(this.settings.codeFormat, year, month);
    let taken = this.takenCodes.get(periodKey);
    if (!taken) {
      const prefix = formatOpportunityCode(this.settings.codeFormat, year, month, 0).replace(
        /0+$/,
        '',
      );
      taken = await repo.codesLike(this.q, this.actor.workspaceId, prefix);
      this.takenCodes.set(periodKey, taken);
    }
    let sequence = this.sequences.get(periodKey) ?? 0;
    for (;;) {
      sequence++;
      const code = formatOpportunityCode(this.settings.codeFormat, year, month, sequence);
      if (!taken.has(code) && !this.hasFileCode(code)) {
        taken.add(code);
        this.sequences.set(periodKey, sequence);
        this.raisedPeriods.add(periodKey);
        return code;
      }
    }
  }

  private raisedPeriods = new Set<string>();

  /** A file code in the workspace format moves that period's counter past it. */
  private noteFileCode(code: string) {
    const m = this.codePattern?.exec(code);
    if (!m?.groups) return;
    const year = Number(m.groups.y4 ?? (m.groups.y2 ? 2000 + Number(m.groups.y2) : 0));
    const month = Number(m.groups.m ?? 1);
    const periodKey = codePeriodKey(this.settings.codeFormat, year, month);
    const sequence = Number(m.groups.seq);
    if (sequence > (this.sequences.get(periodKey) ?? 0)) {
      this.sequences.set(periodKey, sequence);
      this.raisedPeriods.add(periodKey);
    }
  }

  // ---------------------------------------------------------------- contacts and follow-ups files

  private async readContacts(p: PlannedFile) {
    let links: { codes: string[]; contactId: string }[] = [];
    let rows: Record<string, unknown>[] = [];
    const flush = async () => {
      if (!this.writing) return;
      await this.flushAccounts();
      await repo.insertRows(this.q, 'contacts', repo.CONTACT_COLUMNS, rows);
      const codes = [...new Set(links.flatMap((l) => l.codes))];
      const found = await repo.opportunityIdsByCode(this.q, this.actor.workspaceId, codes);
      await repo.insertRows(
        this.q,
        'opportunity_contacts',
        repo.OPPORTUNITY_CONTACT_COLUMNS,
        links.flatMap((l) =>
          l.codes
            .filter((c) => found.has(c))
            .map((c) => ({
              workspace_id: this.actor.workspaceId,
              opportunity_id: found.get(c)!.id,
              contact_id: l.contactId,
              role: null,
            })),
        ),
      );
      rows = [];
      links = [];
    };
    for await (const { record, row, plan } of this.rowsOf(p, 'contacts')) {
      const r = new FieldReader(this, record, p.file.name, row, plan.fieldColumns);
      const accountName = r.required('account', 200);
      const name = r.required('name', 100);
      const owner =
        r.has('owner') || r.has('ownerEmail') ? this.resolveOwner(r, 'owner', 'ownerEmail') : null;
      const detail = (field: string, max: number) => {
        const v = r.text(field, max);
        if (v && looksMasked(v)) {
          r.problem(field, 'masked_value', 'warning');
          return null;
        }
        return v;
      };
      const phone = detail('phone', 100);
      const email = detail('email', 200);
      const im = detail('imHandle', 100);
      const codes = (r.text('opportunityCodes') ?? '').split(/[;,；，\s]+/).filter(Boolean);
      for (const code of codes) {
        if (
          !this.hasFileCode(code) &&
          !(await repo.existingCodes(this.q, this.actor.workspaceId, [code])).has(code)
        )
          r.problem('opportunityCodes', 'unknown_opportunity', 'error', {}, code);
      }
      this.counts.rows++;
      if (!accountName || !name || r.hasError) {
        this.counts.errorRows++;
        continue;
      }
      const { entry } = this.account(accountName, owner?.id ?? null, {});
      const key = `${entry.id}|${name.toLowerCase()}|${phone ?? ''}|${email?.toLowerCase() ?? ''}|${im ?? ''}`;
      if (this.contactKeys.has(key)) continue;
      this.contactKeys.add(key);
      this.counts.contacts++;
      const id = randomUUID();
      rows.push({
        id,
        workspace_id: this.actor.workspaceId,
        account_id: entry.id,
        name,
        title: r.text('title', 100),
        phone,
        email,
        im_handle: im,
        decision_role: r.text('decisionRole', 100),
        owner_id: this.uid(owner?.id ?? entry.ownerId ?? this.actorId),
        created_by: this.actorId,
        created_at: this.now,
      });
      if (codes.length) links.push({ codes, contactId: id });
      if (rows.length >= BATCH) await flush();
    }
    await flush();
  }

  private async readFollowUps(p: PlannedFile) {
    let batch: {
      values: Record<string, unknown>;
      code: string;
      ownerGiven: boolean;
      key: string;
    }[] = [];
    const flush = async () => {
      const found = await repo.opportunityIdsByCode(this.q, this.actor.workspaceId, [
        ...new Set(batch.map((b) => b.code)),
      ]);
      const before = await repo.existingFollowUps(
        this.q,
        [...found.values()].map((f) => f.id),
      );
      const rows: Record<string, unknown>[] = [];
      for (const b of batch) {
        const opp = found.get(b.code);
        if (!opp) {
          if (this.writing || !this.hasFileCode(b.code)) continue;
          this.counts.followUps++;
          continue;
        }
        if (before.has(`${opp.id}|${b.key}`)) continue;
        b.values.opportunity_id = opp.id;
        if (!b.ownerGiven) b.values.owner_id = opp.ownerId;
        rows.push(b.values);
        this.counts.followUps++;
      }
      if (this.writing) {
        await repo.insertRows(this.q, 'follow_ups', repo.FOLLOW_UP_COLUMNS, rows);
        await repo.refreshFollowUpDates(this.q, [
          ...new Set(rows.map((r) => String(r.opportunity_id))),
        ]);
      }
      batch = [];
    };
    for await (const { record, row, plan } of this.rowsOf(p, 'follow-ups')) {
      const r = new FieldReader(this, record, p.file.name, row, plan.fieldColumns);
      const code = r.required('opportunity', 60);
      const owner =
        r.has('owner') || r.has('ownerEmail') ? this.resolveOwner(r, 'owner', 'ownerEmail') : null;
      const statusText = (r.text('status') ?? '').toLowerCase();
      const status = /planned|计划|待/.test(statusText)
        ? 'planned'
        : /cancel|取消/.test(statusText)
          ? 'cancelled'
          : 'done';
      const plannedAt = r.instant('plannedAt');
      const occurredAt = r.instant('occurredAt');
      if (status === 'done' && !occurredAt && !r.has('occurredAt'))
        r.problem('occurredAt', 'missing_required', 'error');
      if (status === 'planned' && !plannedAt && !r.has('plannedAt'))
        r.problem('plannedAt', 'missing_required', 'error');
      const content = r.text('content');
      const goal = r.text('goal', 2000);
      const methodText = r.text('method') ?? content ?? '';
      if (
        code &&
        !this.hasFileCode(code) &&
        !(await repo.existingCodes(this.q, this.actor.workspaceId, [code])).has(code)
      )
        r.problem('opportunity', 'unknown_opportunity', 'error', {}, code);
      this.counts.rows++;
      if (!code || r.hasError) {
        this.counts.errorRows++;
        continue;
      }
      const at = occurredAt ?? plannedAt;
      batch.push({
        code,
        ownerGiven: !!owner,
        key: `${status}|${at ? at.getTime() : ''}|${content ?? goal ?? ''}`,
        values: {
          id: randomUUID(),
          workspace_id: this.actor.workspaceId,
          opportunity_id: null,
          owner_id: this.uid(owner?.id ?? null),
          status,
          method: guessMethod(methodText),
          planned_at: plannedAt,
          goal,
          occurred_at: status === 'done' ? occurredAt : null,
          content,
          next_action: r.text('nextAction', 2000),
          intent_change: r.text('intentChange', 200),
          late_entry: false,
          planned_by_cadence: false,
          logged_at: status === 'done' ? this.now : null,
          created_by: this.actorId,
          created_at: this.now,
        },
      });
      if (batch.length >= BATCH) await flush();
    }
    await flush();
  }

  // ---------------------------------------------------------------- the end

  private async finish() {
    if (this.problems.errors > 0 && !this.mapping.skipInvalidRows) {
      throw new DomainError('VALIDATION_FAILED', { problems: this.problems.errors }, [
        { path: 'file', key: 'invalid' },
      ]);
    }
    await this.writePeople();
    await this.flushAccounts();
    const raised = new Map([...this.raisedPeriods].map((k) => [k, this.sequences.get(k)!]));
    await repo.raiseCodeSequences(this.q, this.actor.workspaceId, raised);
    await recordAudit(this.q, {
      workspaceId: this.actor.workspaceId,
      actorId: this.actorId,
      action: 'import',
      entityType: 'import',
      entityId: this.input.jobId ?? randomUUID(),
      after: {
        files: this.input.files.map((f) => f.name),
        pipeline: this.pipelineName,
        counts: this.counts,
        problems: { errors: this.problems.errors, warnings: this.problems.warnings },
      },
    });
  }
}

function splitDate(date: string) {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

function firstLine(text: string, max: number): string {
  const line = text.split(/\r?\n/)[0]!.trim();
  return [...line].length > max ? `${[...line].slice(0, max - 1).join('')}…` : line;
}

function slug(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.+|\.+$/g, '');
  return ascii || 'rep';
}

function shortHash(text: string): string {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
  return (h >>> 0).toString(36).slice(0, 6);
}

/** A regular expression matching codes of a workspace format, with named groups. */
export function codeRegex(format: string): RegExp | null {
  let pattern = '';
  let last = 0;
  let hasSeq = false;
  for (const m of format.matchAll(/\{(YYYY|YY|MM|SEQ:(\d))\}/g)) {
    pattern += format.slice(last, m.index).replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    if (m[1] === 'YYYY') pattern += '(?<y4>\\d{4})';
    else if (m[1] === 'YY') pattern += '(?<y2>\\d{2})';
    else if (m[1] === 'MM') pattern += '(?<m>\\d{2})';
    else {
      pattern += `(?<seq>\\d{${m[2]},})`;
      hasSeq = true;
    }
    last = m.index + m[0].length;
  }
  pattern += format.slice(last).replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  return hasSeq ? new RegExp(`^${pattern}$`) : null;
}
