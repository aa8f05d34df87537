import { describe, expect, it } from 'vitest';
import {
  monthSlices,
  periodDays,
  readSelection,
  selectionToQuery,
  writePeriod,
} from './analytics-query';

describe('analytics selection in the URL', () => {
  it('reads period, pipeline and the board filters, ignoring the rest', () => {
    const params = new URLSearchParams(
      'period=quarter&date=2026-11-02&pipeline=p1&ownerId=a,b&source=trade_show&q=x&status=open',
    );
    const selection = readSelection(params);
    expect(selection).toEqual({
      period: 'quarter',
      date: '2026-11-02',
      pipelineId: 'p1',
      filters: { ownerId: 'a,b', source: 'trade_show' },
    });
    expect(selectionToQuery(selection)).toMatchObject({
      period: 'quarter',
      date: '2026-11-02',
      pipelineId: 'p1',
      ownerId: 'a,b',
      source: 'trade_show',
    });
  });

  it('defaults to the month; a custom period needs both days (in order)', () => {
    expect(readSelection(new URLSearchParams('period=decade')).period).toBe('month');
    expect(readSelection(new URLSearchParams('period=custom&from=2026-01-01')).period).toBe(
      'month',
    );
    expect(
      readSelection(new URLSearchParams('period=custom&from=2026-03-31&to=2026-01-01')),
    ).toMatchObject({ period: 'custom', from: '2026-01-01', to: '2026-03-31' });
    expect(readSelection(new URLSearchParams('date=26-1-1')).date).toBeUndefined();
  });

  it('writes the period and keeps the filters', () => {
    const next = writePeriod(
      new URLSearchParams('period=month&date=2026-11-02&region=east'),
      'custom',
      {
        from: '2026-10-01',
        to: '2026-10-15',
      },
    );
    expect(next.toString()).toBe('region=east&period=custom&from=2026-10-01&to=2026-10-15');
  });

  it('turns the API period back into calendar days of the zone', () => {
    expect(
      periodDays({
        from: '2026-09-30T16:00:00.000Z',
        to: '2026-12-31T16:00:00.000Z',
        timeZone: 'Asia/Shanghai',
      }),
    ).toEqual({ first: '2026-10-01', last: '2026-12-31' });
  });

  it('cuts a period at month ends', () => {
    expect(monthSlices('2026-10-01', '2026-12-31')).toEqual([
      { month: '2026-10', from: '2026-10-01', to: '2026-10-31' },
      { month: '2026-11', from: '2026-11-01', to: '2026-11-30' },
      { month: '2026-12', from: '2026-12-01', to: '2026-12-31' },
    ]);
    expect(monthSlices('2026-11-30', '2026-12-06')).toEqual([
      { month: '2026-11', from: '2026-11-30', to: '2026-11-30' },
      { month: '2026-12', from: '2026-12-01', to: '2026-12-06' },
    ]);
    expect(monthSlices('2026-12-15', '2027-01-02').map((s) => s.month)).toEqual([
      '2026-12',
      '2027-01',
    ]);
  });
});
