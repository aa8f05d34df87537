/**
 * Reads a table from a file as a stream of rows, whatever wrote it: CSV in UTF-8 (with or
 * without BOM) or GBK/GB18030 (detected), comma, tab or semicolon separated, CRLF or LF; or a
 * sheet of an .xlsx workbook, read with exceljs's streaming reader. Memory stays bounded by the
 * longest row, not by the file.
 */
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import ExcelJS from './exceljs';

/** A cell as read: text from CSV; typed values from a workbook. */
export type Cell = string | number | boolean | Date | null;

export interface TableRow {
  /** 1-based row number as a spreadsheet shows it (the header is row 1). */
  row: number;
  cells: Cell[];
}

export interface TableSource {
  headers: string[];
  rows: AsyncIterable<TableRow>;
  /** Bytes of the file consumed so far (for progress). */
  bytesRead(): number;
  totalBytes: number;
  /** What was detected: e.g. "csv utf-8 ','" or "xlsx Sheet1". */
  description: string;
}

export interface ReadOptions {
  sheet?: string | undefined;
  encoding?: 'auto' | 'utf-8' | 'gbk' | 'gb18030' | undefined;
  delimiter?: 'auto' | ',' | '\t' | ';' | undefined;
}

export class TableReadError extends Error {}

export function isWorkbook(file: string): boolean {
  return /\.xlsx$/i.test(file);
}

export async function openTable(file: string, options: ReadOptions = {}): Promise<TableSource> {
  return isWorkbook(file) ? openWorkbook(file, options) : openCsv(file, options);
}

/** The first bytes of a file, to detect its encoding and separator. */
function sample(file: string, size = 64 * 1024): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(size);
    const n = readSync(fd, buffer, 0, size, 0);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** UTF-8 when the sample decodes strictly (a BOM settles it); otherwise GB18030 (a superset of GBK). */
export function detectEncoding(bytes: Buffer): 'utf-8' | 'gb18030' {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return 'utf-8';
  // A multi-byte character may be cut at the end of the sample: drop up to 3 trailing bytes.
  let end = bytes.length;
  for (let i = 0; i < 3 && end > 0 && (bytes[end - 1]! & 0xc0) === 0x80; i++) end--;
  if (end > 0 && bytes[end - 1]! >= 0xc0) end--;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/** The separator that occurs most in the header line (outside quotes). */
export function detectDelimiter(firstLine: string): ',' | '\t' | ';' {
  const counts = { ',': 0, '\t': 0, ';': 0 };
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch as ',']++;
  }
  if (counts['\t'] > counts[','] && counts['\t'] >= counts[';']) return '\t';
  if (counts[';'] > counts[',']) return ';';
  return ',';
}

async function openCsv(file: string, options: ReadOptions): Promise<TableSource> {
  const totalBytes = statSync(file).size;
  const head = sample(file);
  const requested = options.encoding ?? 'auto';
  const encoding = requested === 'auto' ? detectEncoding(head) : requested;
  const decodedHead = iconv.decode(head, encoding).replace(/^\uFEFF/, '');
  const delimiter =
    !options.delimiter || options.delimiter === 'auto'
      ? detectDelimiter(decodedHead.split(/\r?\n/, 1)[0] ?? '')
      : options.delimiter;
  let bytes = 0;
  const input = createReadStream(file, { highWaterMark: 256 * 1024 });
  input.on('data', (chunk) => (bytes += chunk.length));
  const decoded =
    encoding === 'utf-8' ? input : input.pipe(iconv.decodeStream(encoding, { stripBOM: true }));
  const parser = decoded.pipe(
    parse({
      bom: true,
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: false,
    }),
  );
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const first = await iterator.next();
  if (first.done) {
    input.destroy();
    throw new TableReadError('the file is empty');
  }
  const headers = first.value.map((h) => clean(h));
  async function* rows(): AsyncGenerator<TableRow> {
    let row = 1;
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        row++;
        const cells = next.value.map((v) => clean(v));
        if (cells.every((c) => c === '')) continue;
        yield { row, cells };
      }
    } finally {
      input.destroy();
    }
  }
  return {
    headers,
    rows: rows(),
    bytesRead: () => bytes,
    totalBytes,
    description: `csv ${encoding} ${delimiter === '\t' ? 'tab' : delimiter}`,
  };
}

/** NUL cannot be stored in PostgreSQL text; spreadsheets sometimes carry it. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.includes('\u0000') ? text.replace(/\u0000/g, '') : text;
}

/** An exceljs cell value as a plain value: rich text joined, formulas by their result, links by their text. */
export function plainCellValue(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return clean(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText))
      return (v.richText as { text: string }[]).map((r) => r.text).join('');
    if ('result' in v) return plainCellValue(v.result);
    if ('text' in v) return plainCellValue(v.text);
    if ('error' in v) return null;
  }
  return null;
}

interface SheetRows {
  name: string;
  iterator: AsyncIterator<{ number: number; values: unknown }>;
}

async function openWorkbook(file: string, options: ReadOptions): Promise<TableSource> {
  const totalBytes = statSync(file).size;
  let bytes = 0;
  const input = createReadStream(file, { highWaterMark: 256 * 1024 });
  input.on('data', (chunk) => (bytes += chunk.length));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  const sheets = reader[Symbol.asyncIterator]() as AsyncIterator<{
    name?: string;
    [Symbol.asyncIterator](): AsyncIterator<{ number: number; values: unknown }>;
  }>;
  let chosen: SheetRows | null = null;
  const seen: string[] = [];
  for (;;) {
    const next = await sheets.next();
    if (next.done) break;
    const sheet = next.value;
    const name = sheet.name ?? `Sheet${seen.length + 1}`;
    seen.push(name);
    if (!options.sheet || options.sheet === name) {
      chosen = { name, iterator: sheet[Symbol.asyncIterator]() };
      break;
    }
    // Skip a sheet that is not wanted: its rows must be consumed for the reader to go on.
    for await (const _row of sheet) void _row;
  }
  if (!chosen) {
    input.destroy();
    throw new TableReadError(
      options.sheet
        ? `no sheet "${options.sheet}" (sheets: ${seen.join(', ') || 'none'})`
        : 'the workbook has no sheet',
    );
  }
  const sheetRows = chosen.iterator;
  const toCells = (values: unknown): Cell[] => {
    const array = Array.isArray(values) ? (values as unknown[]) : [];
    const cells: Cell[] = [];
    for (let i = 1; i < array.length; i++) cells.push(plainCellValue(array[i]));
    return cells;
  };
  let headerRow: { number: number; values: unknown } | null = null;
  for (;;) {
    const next = await sheetRows.next();
    if (next.done) break;
    if (toCells(next.value.values).some((c) => c !== null && c !== '')) {
      headerRow = next.value;
      break;
    }
  }
  if (!headerRow) {
    input.destroy();
    throw new TableReadError(`sheet "${chosen.name}" is empty`);
  }
  const headers = toCells(headerRow.values).map((c) => (c === null ? '' : cellText(c)));
  async function* rows(): AsyncGenerator<TableRow> {
    try {
      for (;;) {
        const next = await sheetRows.next();
        if (next.done) return;
        const cells = toCells(next.value.values);
        if (cells.every((c) => c === null || c === '')) continue;
        // Report rows as the sheet numbers them, so a problem points at the right line.
        yield { row: next.value.number, cells };
      }
    } finally {
      input.destroy();
    }
  }
  return {
    headers,
    rows: rows(),
    bytesRead: () => bytes,
    totalBytes,
    description: `xlsx ${path.basename(file)}#${chosen.name}`,
  };
}

export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString();
  return String(cell);
}
