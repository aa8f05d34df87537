/**
 * The problems of an import, as they are found: every one goes to a CSV file (downloadable, any
 * number of rows, written as it goes so memory does not grow), the first few stay in memory for
 * the job resource, and the counts decide whether the import may be committed.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { problemMessage, type ImportProblem, type ProblemCode } from '@funnel/contracts';

export interface ProblemInput {
  file: string;
  row: number;
  column: string;
  severity: 'error' | 'warning';
  code: ProblemCode;
  params?: Record<string, string | number>;
  value?: string;
}

const KEEP_IN_MEMORY = 200;

export function csvField(value: string | number): string {
  const text = String(value);
  // A leading = + - @ would be read as a formula by a spreadsheet: quote it with a tab guard.
  const guarded = /^[=+\-@]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export class ProblemLog {
  readonly first: ImportProblem[] = [];
  errors = 0;
  warnings = 0;
  private fd: number | null;
  private buffer = '';

  constructor(
    private readonly locale: 'en' | 'zh-CN',
    readonly csvPath: string | null,
  ) {
    this.fd = csvPath ? openSync(csvPath, 'w') : null;
    const header =
      locale === 'zh-CN'
        ? ['文件', '行', '列', '级别', '代码', '说明', '值']
        : ['file', 'row', 'column', 'severity', 'code', 'message', 'value'];
    this.buffer = `\uFEFF${header.join(',')}\r\n`;
  }

  get count(): number {
    return this.errors + this.warnings;
  }

  add(input: ProblemInput): void {
    const problem: ImportProblem = {
      file: input.file,
      row: input.row,
      column: input.column,
      severity: input.severity,
      code: input.code,
      message: problemMessage(this.locale, input.code, {
        value: input.value ?? '',
        ...input.params,
      }),
      value: (input.value ?? '').slice(0, 500),
    };
    if (input.severity === 'error') this.errors++;
    else this.warnings++;
    if (this.first.length < KEEP_IN_MEMORY) this.first.push(problem);
    if (this.fd !== null) {
      this.buffer += `${[problem.file, problem.row, problem.column, problem.severity, problem.code, problem.message, problem.value].map(csvField).join(',')}\r\n`;
      if (this.buffer.length > 64 * 1024) this.flush();
    }
  }

  private flush(): void {
    if (this.fd !== null && this.buffer) writeSync(this.fd, this.buffer);
    this.buffer = '';
  }

  close(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
