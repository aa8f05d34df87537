import { describe, expect, it } from 'vitest';
import {
  calendarDate,
  headerKey,
  isBlank,
  looksMasked,
  parseAmountCell,
  parseDateCell,
  parsePriority,
  parseStatus,
  toInstant,
} from './values';

const date = (cell: string | number | Date, format?: string) => {
  const r = parseDateCell(cell, format);
  return r.ok ? calendarDate(r.value) : null;
};

describe('import values', () => {
  it('reads header names without case, spaces, punctuation, and takes the unit in brackets', () => {
    expect(headerKey('成交金额(万)')).toEqual({ key: '成交金额', unit: 'wan' });
    expect(headerKey('成交金额（万元）')).toEqual({ key: '成交金额', unit: 'wan' });
    expect(headerKey(' Deal Stage ')).toEqual({ key: 'dealstage', unit: null });
    expect(headerKey('跟进记录(最新)').key).toBe('跟进记录');
    expect(headerKey('opportunity_id').key).toBe('opportunityid');
  });

  it('parses dates in declared formats, ISO by default, Excel serials and workbook dates', () => {
    expect(date('2024-05-10')).toBe('2024-05-10');
    expect(date('2024/5/9')).toBe('2024-05-09');
    expect(date('2024年5月9日')).toBe('2024-05-09');
    expect(date('05/06/2024')).toBeNull(); // ambiguous without a format
    expect(date('05/06/2024', 'DD/MM/YYYY')).toBe('2024-06-05');
    expect(date('5/6/2024', 'M/D/YYYY')).toBe('2024-05-06');
    expect(date('26-02-2018 19:58', 'DD-MM-YYYY')).toBe('2018-02-26');
    expect(date('31-02-2018', 'DD-MM-YYYY')).toBeNull();
    expect(date(45422)).toBe('2024-05-10');
    expect(date(new Date(Date.UTC(2024, 4, 10)))).toBe('2024-05-10');
    const r = parseDateCell('26-02-2018 19:58', 'DD-MM-YYYY');
    expect(r.ok && toInstant(r.value, 'Asia/Shanghai').toISOString()).toBe(
      '2018-02-26T11:58:00.000Z',
    );
    const z = parseDateCell('2024-05-10T01:02:03Z', undefined);
    expect(z.ok && toInstant(z.value, 'Asia/Shanghai').toISOString()).toBe(
      '2024-05-10T01:02:03.000Z',
    );
  });

  it('parses exact amounts in 元 and 万 (cell unit wins), refusing negatives and junk', () => {
    expect(parseAmountCell('32', 'wan')).toEqual({ ok: true, value: 32_000_000 });
    expect(parseAmountCell('0.8', 'wan')).toEqual({ ok: true, value: 800_000 });
    expect(parseAmountCell(0.8, 'wan')).toEqual({ ok: true, value: 800_000 });
    expect(parseAmountCell('1,234.5', 'yuan')).toEqual({ ok: true, value: 123_450 });
    expect(parseAmountCell('¥1,200元', 'wan')).toEqual({ ok: true, value: 120_000 });
    expect(parseAmountCell('32万', 'yuan')).toEqual({ ok: true, value: 32_000_000 });
    expect(parseAmountCell('0.105', 'yuan')).toEqual({ ok: true, value: 11 });
    expect(parseAmountCell('-5', 'yuan')).toEqual({ ok: false, negative: true });
    expect(parseAmountCell(-5, 'yuan')).toEqual({ ok: false, negative: true });
    expect(parseAmountCell('abc', 'yuan')).toEqual({ ok: false, negative: false });
  });

  it('knows blanks, priorities, statuses and masked values', () => {
    expect(isBlank('—')).toBe(true);
    expect(isBlank(' ')).toBe(true);
    expect(isBlank('0')).toBe(false);
    expect([
      parsePriority('高'),
      parsePriority('中'),
      parsePriority('低'),
      parsePriority('x'),
    ]).toEqual(['A', 'B', 'C', null]);
    expect([
      parseStatus('Closed Won'),
      parseStatus('输单'),
      parseStatus('延期'),
      parseStatus('?'),
    ]).toEqual(['won', 'lost', 'postponed', null]);
    expect(looksMasked('138****5678')).toBe(true);
    expect(looksMasked('z***@x.com')).toBe(true);
    expect(looksMasked('13812345678')).toBe(false);
  });
});
