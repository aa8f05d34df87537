import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import ExcelJS from '../import/exceljs';
import { writeTable, writeWorkbook, type ExportTable, type WriteOptions } from './table-writer';

async function written(tables: ExportTable[], options: WriteOptions) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const rows = await writeWorkbook(tables, out, options);
  return { rows, bytes: Buffer.concat(chunks) };
}

const rates: ExportTable = {
  name: { zh: '转化', en: 'Conversion: by stage [all]' },
  columns: [
    { key: 'stage', zh: '阶段', en: 'Stage', type: 'text' },
    { key: 'rate', zh: '转化率', en: 'Rate', type: 'percent' },
    { key: 'won', zh: '成交金额', en: 'Won', type: 'money' },
    { key: 'days', zh: '天数', en: 'Days', type: 'days' },
  ],
  rows: [
    { stage: '需求确认', rate: 1 / 3, won: '580000.25', days: 12.34 },
    { stage: '=SUM(A1)', rate: null, won: 1234567, days: null },
  ],
};
const second: ExportTable = {
  name: { zh: '转化', en: 'Conversion: by stage [all]' },
  columns: [{ key: 'n', zh: '数量', en: 'Count', type: 'integer' }],
  rows: [{ n: 3 }],
};

describe('writeWorkbook', () => {
  it('writes several tables to CSV one after another, each under its name', async () => {
    const { rows, bytes } = await written([rates, second], {
      format: 'csv',
      locale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
    });
    expect(rows).toBe(3);
    expect(bytes.toString('utf8')).toBe(
      '\uFEFF转化\r\n阶段,转化率,成交金额,天数\r\n需求确认,0.3333333333333333,580000.25,12.34\r\n' +
        "'=SUM(A1),,12345.67,\r\n\r\n转化\r\n数量\r\n3\r\n",
    );
  });

  it('writes one table as a plain CSV (a list export imports back)', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    await writeTable(second, out, { format: 'csv', locale: 'en', timeZone: 'UTC' });
    expect(Buffer.concat(chunks).toString('utf8')).toBe('\uFEFFCount\r\n3\r\n');
  });

  it('writes a sheet per table with names Excel accepts, typed cells and a frozen header', async () => {
    const long: ExportTable = {
      name: { zh: '长', en: 'A table name much longer than thirty-one characters' },
      columns: [],
      rows: [],
    };
    const { bytes } = await written([rates, second, long], {
      format: 'xlsx',
      locale: 'en',
      timeZone: 'Asia/Shanghai',
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as never);
    expect(book.worksheets.map((s) => s.name)).toEqual([
      'Conversion by stage all',
      'Conversion by stage all 2',
      'A table name much longer than t',
    ]);
    const sheet = book.worksheets[0]!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).values).toEqual([undefined, 'Stage', 'Rate', 'Won', 'Days']);
    const row = sheet.getRow(2);
    expect(row.getCell(2).value).toBe(1 / 3);
    expect(row.getCell(2).numFmt).toBe('0.00%');
    expect(row.getCell(3).value).toBe(580000.25);
    expect(row.getCell(3).numFmt).toBe('#,##0.00');
    expect(row.getCell(4).value).toBe(12.34);
    expect(sheet.getRow(3).getCell(3).value).toBe(12345.67);
  });
});
