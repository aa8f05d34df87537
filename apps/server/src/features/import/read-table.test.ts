import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import ExcelJS from './exceljs';
import { detectDelimiter, detectEncoding, openTable, type TableRow } from './read-table';

const dir = mkdtempSync(path.join(os.tmpdir(), 'funnel-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(name: string, content: Buffer | string, options = {}) {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  const table = await openTable(file, options);
  const rows: TableRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return { headers: table.headers, rows, description: table.description };
}

describe('reading tables', () => {
  it('detects UTF-8 (with BOM) and GB18030 and the separator', () => {
    expect(detectEncoding(Buffer.from('\uFEFF客户,金额'))).toBe('utf-8');
    expect(detectEncoding(Buffer.from('客户,金额'))).toBe('utf-8');
    expect(detectEncoding(iconv.encode('客户,金额', 'gbk'))).toBe('gb18030');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('"a,b";c;d')).toBe(';');
    expect(detectDelimiter('a,b')).toBe(',');
  });

  it('reads a UTF-8 CSV with BOM and CRLF, quoted separators and line breaks', async () => {
    const t = await read('a.csv', '\uFEFF编号,名称\r\nA1,"杭州,云帆"\r\n\r\nA2,"两\r\n行"\r\n');
    expect(t.headers).toEqual(['编号', '名称']);
    expect(t.rows).toEqual([
      { row: 2, cells: ['A1', '杭州,云帆'] },
      { row: 3, cells: ['A2', '两\r\n行'] },
    ]);
  });

  it('reads a GBK tab-separated file', async () => {
    const t = await read(
      'b.csv',
      iconv.encode('客户名称\t负责人\r\n北京星辰科技有限公司\t王芳\r\n', 'gbk'),
    );
    expect(t.description).toBe('csv gb18030 tab');
    expect(t.rows[0]!.cells).toEqual(['北京星辰科技有限公司', '王芳']);
  });

  it('reads the named sheet of a workbook with typed cells', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明').addRow(['nothing']);
    const ws = wb.addWorksheet('数据');
    ws.addRow(['编号', '金额', '日期']);
    ws.addRow(['LX1', 32, new Date(Date.UTC(2024, 4, 10))]);
    const file = path.join(dir, 'c.xlsx');
    await wb.xlsx.writeFile(file);
    const table = await openTable(file, { sheet: '数据' });
    const rows: TableRow[] = [];
    for await (const row of table.rows) rows.push(row);
    expect(table.headers).toEqual(['编号', '金额', '日期']);
    expect(rows).toEqual([{ row: 2, cells: ['LX1', 32, new Date(Date.UTC(2024, 4, 10))] }]);
    await expect(openTable(file, { sheet: 'nope' })).rejects.toThrow(/no sheet "nope"/);
  });

  it("keeps Chinese text intact across the reader's chunks in a large workbook", async () => {
    const file = path.join(dir, 'big.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: file,
      useSharedStrings: false,
    });
    const sheet = writer.addWorksheet('机会');
    sheet.addRow(['阶段', '客户']).commit();
    for (let i = 0; i < 6000; i++) sheet.addRow(['需求确认', `客户${i}有限公司`]).commit();
    sheet.commit();
    await writer.commit();
    const table = await openTable(file);
    let bad = 0;
    let n = 0;
    for await (const row of table.rows) {
      n++;
      if (row.cells[0] !== '需求确认' || !String(row.cells[1]).endsWith('有限公司')) bad++;
    }
    expect([n, bad]).toEqual([6000, 0]);
  });

  it('reads a workbook written by LibreOffice (typed dates, numbers, Chinese)', async () => {
    const file = path.join(
      path.dirname(fileURLToPath(import.meta.url)),
      'fixtures/spec-template-libreoffice.xlsx',
    );
    const table = await openTable(file);
    const rows: TableRow[] = [];
    for await (const row of table.rows) rows.push(row);
    expect(table.headers[11]).toBe('成交金额(万)');
    expect(rows).toHaveLength(4);
    expect(rows[0]!.cells.slice(0, 3)).toEqual(['LX202405001', '行业展会', '杭州云帆科技有限公司']);
    expect(rows[0]!.cells[10]).toEqual(new Date(Date.UTC(2024, 4, 20)));
    expect(rows[1]!.cells[11]).toBe(0.8);
  });
});
