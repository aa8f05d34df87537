/** `funnel analytics` run as a user would: printed tables, JSON, and the .xlsx / CSV export. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { TeamResponse, TrendResponse } from '@funnel/contracts';
import ExcelJS from '../../../server/src/features/import/exceljs';
import { freshDatabaseLocation } from '../../../server/test/harness';

const run = promisify(execFile);
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/funnel.mjs');
let location: Awaited<ReturnType<typeof freshDatabaseLocation>>;
let where: string[];
let dir: string;
const MAY = ['--period', 'month', '--date', '2024-05-15'];

async function funnel(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...where, ...args], {
      env: { ...process.env, DATABASE_URL: '' },
      timeout: 120_000,
      maxBuffer: 32 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  location = await freshDatabaseLocation();
  where = location.databaseUrl
    ? ['--database-url', location.databaseUrl]
    : ['--data-dir', location.dataDir!];
  dir = mkdtempSync(path.join(os.tmpdir(), 'funnel-analytics-cli-'));
  expect((await funnel('demo', '--as-of', '2024-05-31')).code).toBe(0);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await location?.cleanup();
});

describe('funnel analytics', () => {
  it('writes the same numbers to .xlsx as --json prints, under the rights of --as', async () => {
    const json = JSON.parse(
      (await funnel('analytics', 'trend', ...MAY, '--count', '3', '--json')).stdout,
    ) as z.infer<typeof TrendResponse>;
    const file = path.join(dir, 'trend.xlsx');
    const written = await funnel(
      'analytics',
      'trend',
      ...MAY,
      '--count',
      '3',
      '--out',
      file,
      '--lang',
      'en',
    );
    expect(written.code, written.stderr).toBe(0);
    expect(written.stderr).toContain(`Exported trend (2 tables) to ${file}`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Trend', 'About']);
    const sheet = book.getWorksheet('Trend')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const headers = (sheet.getRow(1).values as string[]).slice(1);
    const cell = (row: number, header: string) =>
      sheet.getRow(row).getCell(headers.indexOf(header) + 1);
    json.points.forEach((p, i) => {
      expect(cell(i + 2, 'Month').value).toBe(p.bucket);
      expect(cell(i + 2, 'Conversion').value).toBe(p.conversion.value);
      expect(cell(i + 2, 'Conversion: created').value).toBe(p.conversion.denominator);
      expect(cell(i + 2, 'Won amount').value).toBe(Number(p.wonAmount));
    });
    expect(json.points.some((p) => p.conversion.denominator > 0)).toBe(true);
    expect(cell(2, 'Conversion').numFmt).toBe('0.00%');

    const all = JSON.parse((await funnel('analytics', 'team', ...MAY, '--json')).stdout) as z.infer<
      typeof TeamResponse
    >;
    expect(all.reps.length).toBeGreaterThan(1);
    const own = await funnel(
      'analytics',
      'team',
      ...MAY,
      '--format',
      'csv',
      '--as',
      'rep.wang@funnel.demo',
    );
    expect(own.code, own.stderr).toBe(0);
    const [title, header, ...rows] = own.stdout.replace(/^\uFEFF/, '').split('\r\n');
    expect(title).toBe('团队对比'); // the demo workspace speaks Chinese
    expect(header!.split(',').slice(0, 4)).toEqual([
      '销售代表',
      '转化率',
      '转化率:赢单',
      '转化率:新建',
    ]);
    expect(rows.indexOf('')).toBe(1); // one rep, then the next table
    expect(all.reps.map((r) => r.name)).toContain(rows[0]!.split(',')[0]);
  });

  it('prints the same tables in a terminal, and names a bad option', async () => {
    const printed = await funnel('analytics', 'loss-reasons', ...MAY, '--lang', 'en');
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain('Top loss reasons');
    expect(printed.stdout).toMatch(/Share\s/);
    expect(printed.stdout).toMatch(/\d+\.\d\d% \(\d+\/\d+\)/);
    const bad = await funnel('analytics', 'trend', '--count', '99', '--format', 'csv');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('count:');
    const noFormat = await funnel('analytics', 'trend', '--out', path.join(dir, 'trend.pdf'));
    expect(noFormat.code).toBe(2);
    expect(noFormat.stderr).toContain('--format xlsx or csv');
    const help = await funnel('analytics', '--help');
    expect(help.stdout).toContain('--format <format>');
    expect(help.stdout).toContain('funnel analytics forecast --format xlsx --out forecast.xlsx');
  });
});
