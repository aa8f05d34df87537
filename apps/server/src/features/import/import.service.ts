/**
 * Imports (SPEC F-9): a dry run that checks every row and reports every problem, then an
 * all-or-nothing commit in one transaction (a crash or kill leaves the database as it was).
 * The API keeps jobs in this process (uploaded files in a temporary folder, progress polled by
 * the web app); the command line calls `dryRun` and `commit` directly.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { ImportCounts, ImportJob, ImportMapping, ImportProblem } from '@funnel/contracts';
import type { Db } from '../../db/database';
import { failureMessage } from '../../db/pg-errors';
import { DomainError, invalid, notFound } from '../../http/domain-error';
import { requireRole } from '../access/access';
import type { Actor } from '../access/actor';
import {
  ImportRun,
  type FileColumnsReport,
  type ImportCarry,
  type ImportFile,
  type ImportProgress,
} from './import-run';
import { ProblemLog } from './problems';

export interface ImportOptions {
  pipeline?: string | undefined;
  createMissingOwners?: boolean | undefined;
  skipInvalidRows?: boolean | undefined;
}

export interface CheckResult {
  counts: ImportCounts;
  problems: ImportProblem[];
  errors: number;
  warnings: number;
  canCommit: boolean;
  carry: ImportCarry;
  columns: FileColumnsReport[];
}

interface Job {
  id: string;
  actor: Actor;
  locale: 'en' | 'zh-CN';
  dir: string;
  mapping: ImportMapping;
  announced: string[];
  files: ImportFile[];
  status: ImportJob['status'];
  progress: ImportProgress & { startedAt: number };
  counts: ImportCounts | null;
  problems: ImportProblem[];
  problemCount: number;
  errors: number;
  carry: ImportCarry | null;
  columns: FileColumnsReport[];
  error: string | null;
  createdAt: Date;
}

const JOB_TTL_MS = 24 * 3_600_000;

export function withOptions(mapping: ImportMapping, options: ImportOptions): ImportMapping {
  return {
    ...mapping,
    ...(options.pipeline ? { pipeline: options.pipeline } : {}),
    ...(options.createMissingOwners !== undefined
      ? { createMissingOwners: options.createMissingOwners }
      : {}),
    ...(options.skipInvalidRows !== undefined ? { skipInvalidRows: options.skipInvalidRows } : {}),
  };
}

export class ImportService {
  private readonly jobs = new Map<string, Job>();
  private readonly root: string;

  constructor(private readonly deps: { db: Db; clock: () => Date; workDir?: string }) {
    this.root = deps.workDir ?? path.join(os.tmpdir(), 'funnel-imports');
  }

  private requireImporter(actor: Actor) {
    requireRole(actor, 'admin', 'director', 'manager');
  }

  /** Checks every row; writes nothing. `problemsPath` receives every problem as CSV. */
  async dryRun(
    actor: Actor,
    files: ImportFile[],
    mapping: ImportMapping,
    options: {
      locale?: 'en' | 'zh-CN';
      problemsPath?: string | null;
      onProgress?: (p: ImportProgress) => void;
    } = {},
  ): Promise<CheckResult> {
    this.requireImporter(actor);
    const log = new ProblemLog(options.locale ?? 'en', options.problemsPath ?? null);
    try {
      const run = new ImportRun(this.deps.db, {
        actor,
        files,
        mapping,
        mode: 'check',
        problems: log,
        now: this.deps.clock(),
        onProgress: options.onProgress,
      });
      const { counts, carry, columns } = await run.execute();
      return {
        counts,
        columns,
        problems: log.first,
        errors: log.errors,
        warnings: log.warnings,
        canCommit: log.errors === 0 || !!mapping.skipInvalidRows,
        carry,
      };
    } finally {
      log.close();
    }
  }

  /** Writes everything in one transaction, checking every row again on the way. */
  async commit(
    actor: Actor,
    files: ImportFile[],
    mapping: ImportMapping,
    options: {
      carry?: ImportCarry | undefined;
      jobId?: string;
      onProgress?: (p: ImportProgress) => void;
    } = {},
  ): Promise<ImportCounts> {
    this.requireImporter(actor);
    const log = new ProblemLog('en', null);
    return this.deps.db.transaction(async (tx) => {
      const run = new ImportRun(tx, {
        actor,
        files,
        mapping,
        mode: 'commit',
        problems: log,
        now: this.deps.clock(),
        onProgress: options.onProgress,
        carry: options.carry,
        ...(options.jobId ? { jobId: options.jobId } : {}),
      });
      return (await run.execute()).counts;
    });
  }

  // ---- jobs for the API ----

  private purge() {
    const limit = Date.now() - JOB_TTL_MS;
    for (const job of this.jobs.values()) {
      if (
        job.createdAt.getTime() < limit &&
        job.status !== 'committing' &&
        job.status !== 'checking'
      )
        this.discard(job);
    }
  }

  private discard(job: Job) {
    rmSync(job.dir, { recursive: true, force: true });
    this.jobs.delete(job.id);
  }

  createJob(
    actor: Actor,
    locale: 'en' | 'zh-CN',
    input: { files: string[]; mapping?: ImportMapping | undefined } & ImportOptions,
  ): ImportJob {
    this.requireImporter(actor);
    this.purge();
    const names = input.files.map(safeName);
    if (new Set(names).size !== names.length) throw invalid('files', 'duplicate');
    const id = randomUUID();
    const dir = path.join(this.root, id);
    mkdirSync(dir, { recursive: true });
    const job: Job = {
      id,
      actor,
      locale,
      dir,
      mapping: withOptions(input.mapping ?? {}, input),
      announced: names,
      files: [],
      status: 'uploading',
      progress: { phase: 'upload', rows: 0, doneBytes: 0, totalBytes: 0, startedAt: Date.now() },
      counts: null,
      problems: [],
      problemCount: 0,
      errors: 0,
      carry: null,
      columns: [],
      error: null,
      createdAt: this.deps.clock(),
    };
    this.jobs.set(id, job);
    return this.view(job);
  }

  private find(actor: Actor, id: string): Job {
    const job = this.jobs.get(id);
    // Someone else's job does not exist for you (same rule as records: 404, not 403).
    if (!job || job.actor.workspaceId !== actor.workspaceId || job.actor.userId !== actor.userId)
      throw notFound('import');
    return job;
  }

  /** Stores one announced file; when the last one is in, the dry run starts. */
  async addFile(actor: Actor, id: string, name: string, body: Readable): Promise<ImportJob> {
    const job = this.find(actor, id);
    const fileName = safeName(name);
    if (job.status !== 'uploading' || !job.announced.includes(fileName))
      throw invalid('fileName', 'invalid');
    const target = path.join(job.dir, fileName);
    await pipeline(body, createWriteStream(target));
    job.files = [...job.files.filter((f) => f.name !== fileName), { name: fileName, path: target }];
    if (job.announced.every((n) => job.files.some((f) => f.name === n))) this.startCheck(job);
    return this.view(job);
  }

  /**
   * Runs the dry run again on the files already uploaded, with a new mapping (when given) and
   * options, in the language of this request. Only a checked (or failed) job can be re-checked:
   * one that is checking or committing is busy, a committed one has no files any more.
   */
  recheck(
    actor: Actor,
    locale: 'en' | 'zh-CN',
    id: string,
    input: { mapping?: ImportMapping | undefined } & ImportOptions,
  ): ImportJob {
    const job = this.find(actor, id);
    if ((job.status !== 'checked' && job.status !== 'failed') || job.files.length === 0)
      throw new DomainError('VALIDATION_FAILED', {}, [{ path: 'status', key: 'invalid' }], {
        status: job.status,
      });
    job.mapping = withOptions(input.mapping ?? job.mapping, input);
    job.locale = locale;
    job.counts = null;
    job.problems = [];
    job.problemCount = 0;
    job.errors = 0;
    job.carry = null;
    job.columns = [];
    job.error = null;
    this.startCheck(job);
    return this.view(job);
  }

  private onProgress(job: Job) {
    return (p: ImportProgress) => {
      job.progress = { ...p, startedAt: job.progress.startedAt };
    };
  }

  private startCheck(job: Job) {
    job.status = 'checking';
    job.progress = { phase: 'check', rows: 0, doneBytes: 0, totalBytes: 0, startedAt: Date.now() };
    void this.dryRun(job.actor, job.files, job.mapping, {
      locale: job.locale,
      problemsPath: path.join(job.dir, 'problems.csv'),
      onProgress: this.onProgress(job),
    }).then(
      (result) => {
        job.counts = result.counts;
        job.problems = result.problems;
        job.problemCount = result.errors + result.warnings;
        job.errors = result.errors;
        job.carry = result.carry;
        job.columns = result.columns;
        job.status = 'checked';
      },
      (error: unknown) => this.fail(job, error),
    );
  }

  private fail(job: Job, error: unknown) {
    job.status = 'failed';
    job.error =
      error instanceof DomainError
        ? `${error.code}${error.fields.length ? `: ${error.fields.map((f) => `${f.path} ${f.key}`).join(', ')}` : ''}`
        : failureMessage(error);
  }

  startCommit(actor: Actor, id: string): ImportJob {
    const job = this.find(actor, id);
    if (job.status !== 'checked' || !this.canCommit(job))
      throw new DomainError('VALIDATION_FAILED', {}, [{ path: 'status', key: 'invalid' }], {
        status: job.status,
        errors: job.errors,
      });
    job.status = 'committing';
    job.progress = { phase: 'commit', rows: 0, doneBytes: 0, totalBytes: 0, startedAt: Date.now() };
    void this.commit(job.actor, job.files, job.mapping, {
      carry: job.carry ?? undefined,
      jobId: job.id,
      onProgress: this.onProgress(job),
    }).then(
      (counts) => {
        job.counts = counts;
        job.status = 'committed';
        for (const f of job.files) rmSync(f.path, { force: true });
      },
      (error: unknown) => this.fail(job, error),
    );
    return this.view(job);
  }

  private canCommit(job: Job): boolean {
    return job.errors === 0 || !!job.mapping.skipInvalidRows;
  }

  getJob(actor: Actor, id: string): ImportJob {
    return this.view(this.find(actor, id));
  }

  problemsFile(actor: Actor, id: string): string {
    const job = this.find(actor, id);
    const file = path.join(job.dir, 'problems.csv');
    try {
      statSync(file);
    } catch {
      throw notFound('import');
    }
    return file;
  }

  deleteJob(actor: Actor, id: string): void {
    const job = this.find(actor, id);
    if (job.status === 'committing' || job.status === 'checking')
      throw new DomainError('IN_USE', { entity: 'import', count: 1 });
    this.discard(job);
  }

  /** Waits for a job to leave the checking / committing states (tests and scripts). */
  async settle(actor: Actor, id: string, timeoutMs = 60_000): Promise<ImportJob> {
    const started = Date.now();
    for (;;) {
      const job = this.find(actor, id);
      if (job.status !== 'checking' && job.status !== 'committing') return this.view(job);
      if (Date.now() - started > timeoutMs) return this.view(job);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private view(job: Job): ImportJob {
    const seconds = Math.max((Date.now() - job.progress.startedAt) / 1000, 0.001);
    return {
      id: job.id,
      status: job.status,
      files: job.files.map((f) => {
        const report = job.columns.find((c) => c.file === f.name);
        return {
          name: f.name,
          entity: report?.entity ?? null,
          size: statSize(f.path),
          columns: report?.columns ?? [],
        };
      }),
      awaiting: job.announced.filter((n) => !job.files.some((f) => f.name === n)),
      progress: {
        phase: job.progress.phase,
        rows: job.progress.rows,
        totalBytes: job.progress.totalBytes,
        doneBytes: job.progress.doneBytes,
        rowsPerSecond: Math.round(job.progress.rows / seconds),
      },
      counts: job.counts,
      problems: job.problems,
      problemCount: job.problemCount,
      canCommit: job.status === 'checked' && this.canCommit(job),
      error: job.error,
      createdAt: job.createdAt.toISOString(),
    };
  }
}

function statSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** A file name kept as the user gave it, but never a path (no folders, no dot files). */
export function safeName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).replace(/^\.+/, '').trim();
  if (!base || base.length > 200) throw invalid('fileName', 'invalid');
  return base;
}
