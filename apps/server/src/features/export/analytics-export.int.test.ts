/**
 * Analytics reports exported through the API: the cells hold the JSON report's numbers for the
 * same query, typed (percents as fractions with a percent format, money with two decimals, counts,
 * dates), one sheet per table with a frozen bold header, Chinese headers under zh-CN, CSV tables
 * one after another; a rep's export holds only what the rep may see; bad parameters answer 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worksheet } from 'exceljs';
import type { z } from 'zod';
import type {
  CohortFunnelOut,
  ForecastResponse,
  FunnelResponse,
  LossReasonsResponse,
  TeamResponse,
  TrendResponse,
} from '@funnel/contracts';
import ExcelJS from '../import/exceljs';
import {
  createOpportunity,
  createTestContext,
  type Client,
  type TestContext,
} from '../../../test/harness';

let t: TestContext;
let director: Client;
let repA: Client;
const MAY = 'period=month&date=2024-05-15';

beforeAll(async () => {
  t = await createTestContext();
  director = await t.as('director');
  repA = await t.as('repA');
  const repC = await t.as('repC');
  const stages = t.world.stages;
  const won = await createOpportunity(repA, { expectedAmount: '600000', winProbability: 80 });
  const lost = await createOpportunity(repA, { source: 'referral' });
  const lostToo = await createOpportunity(repA, { source: 'website' });
  await createOpportunity(repA, { expectedAmount: '120000.50', expectedCloseDate: '2024-05-30' });
  const lostC = await createOpportunity(repC, { source: 'website' });
  const openC = await createOpportunity(repC, { expectedAmount: '80000' });
  t.setNow('2024-05-20T02:00:00Z');
  for (const o of [won, openC]) {
    const moved = await (o === won ? repA : repC).post(`/api/v1/opportunities/${o.id}/move`, {
      version: o.version,
      stageId: stages[1]!.id,
    });
    expect(moved.statusCode, moved.body).toBe(200);
  }
  const closed = await repA.post(`/api/v1/opportunities/${won.id}/close-won`, {
    version: won.version + 1,
    amount: '580000.25',
    signedDate: '2024-05-20',
  });
  expect(closed.statusCode, closed.body).toBe(200);
  for (const [client, o, reason] of [
    [repA, lost, 'price_too_high'],
    [repA, lostToo, 'price_too_high'],
    [repC, lostC, 'chose_competitor'],
  ] as const) {
    const res = await client.post(`/api/v1/opportunities/${o.id}/close-lost`, {
      version: o.version,
      reason,
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  t.setNow('2024-05-21T02:00:00Z');
});
afterAll(async () => t?.close());

type Row = Record<string, unknown>;
type Funnel = z.infer<typeof FunnelResponse>;
type Forecast = z.infer<typeof ForecastResponse>;
type Team = z.infer<typeof TeamResponse>;
type LossReasons = z.infer<typeof LossReasonsResponse>;
type Trend = z.infer<typeof TrendResponse>;
const cohort = (funnel: Funnel) => funnel.result as z.infer<typeof CohortFunnelOut>;

async function workbook(client: Client, url: string) {
  const res = await client.get(url);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(res.rawPayload as never);
  return { book, disposition: String(res.headers['content-disposition']) };
}

/** A sheet's rows as objects keyed by the header, and each header's number format. */
function read(sheet: Worksheet) {
  const headers = (sheet.getRow(1).values as string[]).slice(1);
  const rows: Row[] = [];
  const formats: Record<string, string | undefined> = {};
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const values: Row = {};
    headers.forEach((h, i) => {
      const cell = row.getCell(i + 1);
      values[h] = cell.value;
      formats[h] ??= cell.numFmt;
    });
    rows.push(values);
  }
  return { headers, rows, formats };
}

function expectFrozenBoldHeader(sheet: Worksheet) {
  expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
}

/** The CSV's tables: a name line, a header line and rows each, separated by an empty line. */
function csvTables(body: string) {
  const parseLine = (line: string) => {
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          field += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else field += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') {
        fields.push(field);
        field = '';
      } else field += ch;
    }
    fields.push(field);
    return fields;
  };
  expect(body.startsWith('\uFEFF')).toBe(true);
  return body
    .slice(1)
    .replace(/\r\n$/, '')
    .split('\r\n\r\n')
    .map((section) => {
      const [name, header, ...rows] = section.split('\r\n');
      const headers = parseLine(header!);
      return {
        name: name!,
        headers,
        rows: rows.map((line) => {
          const cells = parseLine(line);
          return Object.fromEntries(headers.map((h, i) => [h, cells[i]]));
        }),
      };
    });
}

describe('analytics export', () => {
  it('funnel: one sheet per table, frozen bold headers, percents with numerator, denominator and Wilson interval equal to the JSON', async () => {
    const json = (await director.get(`/api/v1/analytics/funnel?${MAY}`)).json<Funnel>();
    const { book, disposition } = await workbook(
      director,
      `/api/v1/exports/analytics/funnel?format=xlsx&lang=en&${MAY}`,
    );
    expect(disposition).toBe('attachment; filename="funnel-2024-05.xlsx"');
    expect(book.worksheets.map((s) => s.name)).toEqual([
      'Funnel stages',
      'Stage conversion',
      'About',
    ]);
    for (const sheet of book.worksheets) expectFrozenBoldHeader(sheet);

    const stages = read(book.getWorksheet('Funnel stages')!);
    expect(stages.formats['Cumulative conversion']).toBe('0.00%');
    expect(stages.formats['Cumulative conversion: reached']).toBe('0');
    expect(stages.rows).toEqual(
      cohort(json).stages.map((s) => ({
        Stage: s.name,
        'Cumulative conversion': s.cumulative.value,
        'Cumulative conversion: reached': s.cumulative.numerator,
        'Cumulative conversion: cohort': s.cumulative.denominator,
        'Drop-off': s.dropOff.value,
        'Drop-off: lost here': s.dropOff.numerator,
        'Drop-off: reached': s.dropOff.denominator,
      })),
    );
    expect(cohort(json).cohortSize).toBe(6);
    expect(stages.rows[0]!['Cumulative conversion: cohort']).toBe(6);

    const steps = read(book.getWorksheet('Stage conversion')!);
    expect(steps.rows).toEqual(
      cohort(json).steps.map((s) => ({
        'From stage': s.fromName,
        'To stage': s.toName,
        Conversion: s.rate.value,
        'Conversion: reached "to"': s.rate.numerator,
        'Conversion: reached "from"': s.rate.denominator,
        'Conversion: 95% low': s.interval?.lower ?? null,
        'Conversion: 95% high': s.interval?.upper ?? null,
      })),
    );
    expect(steps.rows[0]!.Conversion).toBeCloseTo(2 / 6, 12); // two of six reached the second stage
    expect(steps.formats['Conversion: 95% low']).toBe('0.00%');

    const about = read(book.getWorksheet('About')!);
    expect(about.rows[0]).toMatchObject({
      Report: 'funnel',
      Metric: 'cohort_conversion',
      Period: '2024-05',
      'First day': new Date(Date.UTC(2024, 4, 1)),
      'Last day': new Date(Date.UTC(2024, 4, 31)),
      'Time zone': 'Asia/Shanghai',
    });
    expect(about.formats['First day']).toBe('yyyy-mm-dd');
  });

  it('funnel grouped by source adds the group tables, headed by the grouping', async () => {
    const json = (
      await director.get(`/api/v1/analytics/funnel?groupBy=source&${MAY}`)
    ).json<Funnel>();
    const { book } = await workbook(
      director,
      `/api/v1/exports/analytics/funnel?format=xlsx&lang=en&groupBy=source&${MAY}`,
    );
    const grouped = read(book.getWorksheet('Funnel stages by group')!);
    expect(grouped.headers[0]).toBe('Source');
    const expected = json.groups!.flatMap((g) =>
      g.result.stages.map((s) => [g.label, s.name, s.cumulative.value]),
    );
    expect(grouped.rows.map((r) => [r.Source, r.Stage, r['Cumulative conversion']])).toEqual(
      expected,
    );
    expect(grouped.rows.map((r) => r.Source)).toContain('Trade show');
  });

  it('forecast: money as numbers with two decimals on every sheet, in Chinese under zh-CN', async () => {
    const json = (await director.get(`/api/v1/analytics/forecast?${MAY}`)).json<Forecast>();
    const { book } = await workbook(
      director,
      `/api/v1/exports/analytics/forecast?format=xlsx&lang=zh-CN&${MAY}`,
    );
    expect(book.worksheets.map((s) => s.name)).toEqual([
      '预测合计',
      '按月',
      '按销售',
      '按团队',
      '按预测类别',
      '按月与类别',
      '报表说明',
    ]);
    for (const sheet of book.worksheets) expectFrozenBoldHeader(sheet);
    const total = read(book.getWorksheet('预测合计')!);
    expect(total.formats['预测合计']).toBe('#,##0.00');
    expect(total.rows).toEqual([
      {
        已成交数: json.total.realisedCount,
        在途数: json.total.openCount,
        已成交金额: Number(json.total.realised),
        加权金额: Number(json.total.weighted),
        预测合计: Number(json.total.total),
        '无预计成交日:商机数': json.excluded.undated.count,
        '无预计成交日:加权金额': Number(json.excluded.undated.weighted),
        '已过预计成交日:商机数': json.excluded.overdue.count,
        '已过预计成交日:加权金额': Number(json.excluded.overdue.weighted),
      },
    ]);
    expect(total.rows[0]!['已成交金额']).toBe(580000.25);
    const byRep = read(book.getWorksheet('按销售')!);
    expect(byRep.rows).toEqual(
      json.byOwner.map((l) => ({
        负责人: l.label,
        已成交数: l.realisedCount,
        在途数: l.openCount,
        已成交金额: Number(l.realised),
        加权金额: Number(l.weighted),
        预测合计: Number(l.total),
      })),
    );
    const byMonth = read(book.getWorksheet('按月')!);
    expect(byMonth.rows.map((r) => [r['月份'], r['预测合计']])).toEqual(
      json.byMonth.map((l) => [l.key, Number(l.total)]),
    );
  });

  it('team: every rate with its numerator and denominator; a rep sees only their own row', async () => {
    const json = (await director.get(`/api/v1/analytics/team?${MAY}`)).json<Team>();
    const { book } = await workbook(
      director,
      `/api/v1/exports/analytics/team?format=xlsx&lang=en&${MAY}`,
    );
    const team = read(book.getWorksheet('Team')!);
    expect(team.rows).toHaveLength(json.reps.length);
    expect(team.rows.map((r) => r.Rep).sort()).toEqual(['repA', 'repC']);
    json.reps.forEach((rep, i) => {
      expect(team.rows[i]).toMatchObject({
        Rep: rep.name,
        Conversion: rep.conversion.value,
        'Conversion: won': rep.conversion.numerator,
        'Conversion: created': rep.conversion.denominator,
        'Follow-ups per opportunity': rep.followUpsPerOpportunity,
        'A-priority conversion': rep.priorityA.value,
        'On-time rate: on time': rep.compliance.onTimeRate.numerator,
        'Late-entry rate: recorded': rep.compliance.lateEntryRate.denominator,
      });
    });
    const a = team.rows.find((r) => r.Rep === 'repA')!;
    expect(a.Conversion).toBe(0.25);
    expect(team.formats.Conversion).toBe('0.00%');

    const own = await workbook(repA, `/api/v1/exports/analytics/team?format=xlsx&lang=en&${MAY}`);
    expect(read(own.book.getWorksheet('Team')!).rows.map((r) => r.Rep)).toEqual(['repA']);
    const ownFunnel = csvTables(
      (await repA.get(`/api/v1/exports/analytics/funnel?format=csv&lang=en&${MAY}`)).body,
    );
    expect(ownFunnel[0]!.rows[0]!['Cumulative conversion: cohort']).toBe('4');
  });

  it('loss reasons as CSV in Chinese: tables one after another, values as in the JSON', async () => {
    const zh = await t.signIn(t.world.users.director.email, 'zh-CN');
    const json = (await zh.get(`/api/v1/analytics/loss-reasons?${MAY}`)).json<LossReasons>();
    const res = await zh.get(`/api/v1/exports/analytics/loss-reasons?format=csv&${MAY}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="loss-reasons-2024-05.csv"',
    );
    const tables = csvTables(res.body);
    expect(tables.map((x) => x.name)).toEqual(['输单原因(前 3)', '按输单阶段', '报表说明']);
    const top = tables[0]!;
    expect(top.headers).toEqual([
      '输单原因',
      '原因代码',
      '占比',
      '占比:因此原因输单',
      '占比:输单总数',
    ]);
    expect(top.rows).toEqual(
      json.top.map((r) => ({
        输单原因: r.label,
        原因代码: r.reason,
        占比: String(r.share.value),
        '占比:因此原因输单': String(r.share.numerator),
        '占比:输单总数': String(r.share.denominator),
      })),
    );
    expect(top.rows[0]).toMatchObject({ 输单原因: '价格过高', 占比: String(2 / 3) });
    expect(tables[1]!.rows.map((r) => r['输单阶段'])).toEqual(
      json.byStage.flatMap((s) => s.top.map(() => s.name)),
    );
  });

  it('trend as xlsx and CSV: the same numbers as the JSON', async () => {
    const query = 'period=quarter&date=2024-04-15&count=3';
    const json = (await director.get(`/api/v1/analytics/trend?${query}`)).json<Trend>();
    const { book } = await workbook(
      director,
      `/api/v1/exports/analytics/trend?format=xlsx&lang=en&${query}`,
    );
    const trend = read(book.getWorksheet('Trend')!);
    const expected = json.points.map((p) => ({
      Month: p.bucket,
      Conversion: p.conversion.value,
      'Conversion: won': p.conversion.numerator,
      'Conversion: created': p.conversion.denominator,
      'Win rate': p.winRate.value,
      'Win rate: won': p.winRate.numerator,
      'Win rate: closed': p.winRate.denominator,
      Lost: p.lost,
      'Won amount': Number(p.wonAmount),
    }));
    expect(trend.rows).toEqual(expected);
    // the trend ends with the month holding today (21 May)
    expect(trend.rows.map((r) => r.Month)).toEqual(['2024-03', '2024-04', '2024-05']);
    expect(trend.rows[2]).toMatchObject({ 'Win rate': 0.25, 'Won amount': 580000.25 });
    expect(trend.formats['Won amount']).toBe('#,##0.00');

    const csv = csvTables(
      (await director.get(`/api/v1/exports/analytics/trend?format=csv&lang=en&${query}`)).body,
    );
    expect(csv[0]!.name).toBe('Trend');
    expect(csv[0]!.rows[2]).toMatchObject({
      Month: '2024-05',
      Conversion: String(json.points[2]!.conversion.value),
      'Win rate': '0.25',
      'Won amount': '580000.25',
    });
    expect(csv[1]!.rows[0]).toMatchObject({
      Report: 'trend',
      'First day': '2024-03-01',
      'Last day': '2024-05-31',
    });
  });

  it('exports every report, and audits each export', async () => {
    const reports = [
      'funnel?mode=flow',
      'outcomes?groupBy=owner',
      'dwell',
      'standard-funnel',
      'health?target=1000000',
      'forecast',
      'forecast-backtest?month=2024-05',
      'collections',
      'calibration',
      'velocity',
      'loss-reasons',
      'team',
      'channels',
      'missed-entry',
      'bottlenecks',
      'trend',
      'dashboard',
    ];
    for (const report of reports) {
      for (const format of ['xlsx', 'csv']) {
        const sep = report.includes('?') ? '&' : '?';
        const res = await director.get(
          `/api/v1/exports/analytics/${report}${sep}format=${format}&date=2024-05-15`,
        );
        expect(res.statusCode, `${report} ${format}: ${res.body}`).toBe(200);
      }
    }
    const health = await workbook(
      director,
      '/api/v1/exports/analytics/health?format=xlsx&lang=en&target=1000000&date=2024-05-15',
    );
    expect(read(health.book.getWorksheet('Funnel health')!).rows[0]).toMatchObject({
      Target: 1000000,
      Realised: 580000.25,
    });
    const audit = (
      await (await t.as('admin')).get('/api/v1/audit-log?entityType=analytics_report&pageSize=100')
    ).json();
    expect(audit.items.length).toBeGreaterThanOrEqual(reports.length * 2);
    expect(audit.items[0]).toMatchObject({ action: 'export', entityType: 'analytics_report' });
  });

  it('answers a bad parameter with 400 and the field named, before any file is sent', async () => {
    const cases: [string, string][] = [
      ['trend?count=100', 'count'],
      ['forecast-backtest', 'month'],
      ['forecast-backtest?month=2024-13', 'month'],
      ['funnel?format=pdf', 'format'],
      ['funnel?lang=fr', 'lang'],
      ['team?period=decade', 'period'],
      ['team?period=custom&to=2024-05-31', 'from'],
      ['forecast?date=2024-02-30', 'date'],
      ['channels?groupBy=shoe_size', 'groupBy'],
      ['health?target=-5', 'target'],
      ['bottlenecks?benchmark=gut', 'benchmark'],
      ['funnel?ownerId=nope', 'ownerId.0'],
    ];
    for (const [url, field] of cases) {
      const res = await director.get(`/api/v1/exports/analytics/${url}`);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      expect(res.headers['content-type']).toContain('application/json');
      expect(
        res.json().error.fields.map((f: { path: string }) => f.path),
        url,
      ).toContain(field);
    }
    expect((await t.app.inject({ url: '/api/v1/exports/analytics/funnel' })).statusCode).toBe(401);
  });
});
