/**
 * Writes tables of typed values (a list view, or the tables of an analytics report) as .xlsx with
 * typed cells (numbers, money, dates, percents), one sheet per table, each with a frozen bold
 * header row and headers in the requester's language, or as CSV in UTF-8 with a BOM (so that
 * Excel shows Chinese). Rows are pulled from an iterable and streamed out, so an export of a
 * million rows stays small.
 */
import type { Writable } from 'node:stream';
import ExcelJS from '../import/exceljs';
import { formatMoney, localParts } from '@funnel/domain';
import { csvField } from '../import/problems';

export type ColumnType =
  'text' | 'integer' | 'number' | 'days' | 'money' | 'percent' | 'date' | 'datetime';

export interface ColumnDef {
  key: string;
  zh: string;
  en: string;
  type: ColumnType;
}

/**
 * Values by type: money as a number in 分 or as the API's decimal string in 元 ("1200.50"),
 * percent as a fraction (0.25 is 25%), date as 'YYYY-MM-DD', datetime as a Date (shown in the
 * workspace's time zone), numbers and days as numbers, text as text; null is empty.
 */
export type RowValues = Record<string, string | number | boolean | Date | null | undefined>;

export interface ExportTable {
  name: { zh: string; en: string };
  columns: ColumnDef[];
  rows: AsyncIterable<RowValues> | Iterable<RowValues>;
}

export interface WriteOptions {
  format: 'xlsx' | 'csv';
  locale: 'en' | 'zh-CN';
  timeZone: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as local wall-clock time with its offset: 2024-05-10T10:00:00.000+08:00. */
export function localIso(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const offset = Math.round((wall - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  const ms = String(instant.getUTCMilliseconds()).padStart(3, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}.${ms}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

function csvValue(type: ColumnType, value: RowValues[string], timeZone: string): string {
  if (value === null || value === undefined || value === '') return '';
  switch (type) {
    case 'money':
      return typeof value === 'string' ? value : formatMoney(Number(value));
    case 'datetime':
      return value instanceof Date ? localIso(value, timeZone) : String(value);
    case 'integer':
    case 'number':
    case 'days':
    case 'percent':
    case 'date':
    case 'text':
      return String(value);
  }
}

function xlsxValue(type: ColumnType, value: RowValues[string], timeZone: string) {
  if (value === null || value === undefined || value === '') return null;
  switch (type) {
    case 'money':
      // 分 / 100 and the decimal string read as a number give the same double for whole 分.
      return typeof value === 'string' ? Number(value) : Number(value) / 100;
    case 'percent':
    case 'integer':
    case 'number':
    case 'days':
      return Number(value);
    case 'date': {
      const [y, m, d] = String(value).split('-').map(Number) as [number, number, number];
      return new Date(Date.UTC(y, m - 1, d));
    }
    case 'datetime': {
      if (!(value instanceof Date)) return String(value);
      // A workbook has no time zones: write the workspace's wall-clock time.
      const p = localParts(value, timeZone);
      return new Date(
        Date.UTC(
          p.year,
          p.month - 1,
          p.day,
          p.hour,
          p.minute,
          p.second,
          value.getUTCMilliseconds(),
        ),
      );
    }
    case 'text':
      return typeof value === 'string' ? value : String(value);
  }
}

const NUMBER_FORMATS: Partial<Record<ColumnType, string>> = {
  money: '#,##0.00',
  percent: '0.00%',
  integer: '0',
  days: '0.0',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm:ss',
};

/** Excel's rules for sheet names: at most 31 characters, none of : \\ / ? * [ ], unique. */
function sheetNames(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    const base =
      name
        .replace(/[:\\/?*[\]]+/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 31)
        .trim() || 'Sheet';
    let unique = base;
    for (let n = 2; used.has(unique.toLowerCase()); n++)
      unique = `${base.slice(0, 31 - String(n).length - 1)} ${n}`;
    used.add(unique.toLowerCase());
    return unique;
  });
}

/** One table: a plain CSV, or a workbook of one sheet. Returns the number of rows written. */
export function writeTable(table: ExportTable, out: Writable, options: WriteOptions) {
  return writeWorkbook([table], out, options);
}

/**
 * Several tables (an analytics report): in .xlsx one sheet per table, named in the export's
 * language; in CSV the tables one after another, each preceded by a line with its name and
 * separated by an empty line (one table alone is written without the name line, so that a
 * list export stays a plain CSV that imports back). Returns the number of rows written.
 */
export async function writeWorkbook(tables: ExportTable[], out: Writable, options: WriteOptions) {
  const label = (named: { zh: string; en: string }) =>
    options.locale === 'zh-CN' ? named.zh : named.en;
  let count = 0;
  if (options.format === 'csv') {
    const write = (text: string) =>
      new Promise<void>((resolve, reject) => {
        if (out.write(text)) resolve();
        else {
          out.once('drain', resolve);
          out.once('error', reject);
        }
      });
    let buffer = '\uFEFF';
    for (const [index, table] of tables.entries()) {
      if (index > 0) buffer += '\r\n';
      if (tables.length > 1) buffer += `${csvField(label(table.name))}\r\n`;
      buffer += `${table.columns.map((c) => csvField(label(c))).join(',')}\r\n`;
      for await (const row of table.rows) {
        buffer += `${table.columns.map((c) => csvField(csvValue(c.type, row[c.key], options.timeZone))).join(',')}\r\n`;
        count++;
        if (buffer.length > 64 * 1024) {
          await write(buffer);
          buffer = '';
        }
      }
    }
    await write(buffer);
    await new Promise<void>((resolve) => out.end(resolve));
    return count;
  }
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const names = sheetNames(tables.map((t) => label(t.name)));
  for (const [index, table] of tables.entries()) {
    const headers = table.columns.map(label);
    const sheet = workbook.addWorksheet(names[index], {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    sheet.columns = table.columns.map((c, i) => ({
      header: headers[i],
      key: c.key,
      width: Math.min(Math.max(headers[i]!.length * 2, c.type === 'datetime' ? 20 : 12), 40),
      style: NUMBER_FORMATS[c.type] ? { numFmt: NUMBER_FORMATS[c.type] } : {},
    }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for await (const row of table.rows) {
      sheet
        .addRow(table.columns.map((c) => xlsxValue(c.type, row[c.key], options.timeZone)))
        .commit();
      count++;
    }
    sheet.commit();
  }
  await workbook.commit();
  return count;
}
