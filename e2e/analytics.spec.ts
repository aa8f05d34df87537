/**
 * The dashboard shows the API's numbers (same user, same filter), every rate's fraction on
 * hover, and says whether it shows the cohort or the period flow; the target decomposition
 * gives the SPEC's 120 / 10 / 50 / 10; targets, collections, the audit log, paged follow-ups
 * and the list's new sorts work end to end. Also measures the time to an interactive dashboard.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import {
  ApiClient,
  launch,
  modal,
  openSession,
  SCREENSHOTS,
  screenshot,
  signIn,
  USERS,
} from './helpers';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

interface Rate {
  numerator: number;
  denominator: number;
  value: number | null;
}
interface FunnelAnswer {
  mode: 'cohort' | 'flow';
  result: {
    cohortSize?: number;
    stages: { stageId: string; reached?: number; entered?: number }[];
    steps: { fromStageId: string; rate: Rate }[];
  };
}

const percent = (rate: Rate) =>
  rate.denominator === 0 || rate.value === null ? '—' : `${(rate.value * 100).toFixed(1)}%`;

/** Every stage row's count and step rate equal the API's answer. */
async function assertStageTable(page: Page, answer: FunnelAnswer) {
  const rows = page.getByTestId('stage-row');
  assert.equal(await rows.count(), answer.result.stages.length, 'one row per funnel stage');
  for (const stage of answer.result.stages) {
    const row = page.locator(`[data-testid=stage-row][data-stage-id="${stage.stageId}"]`);
    const shown = Number((await row.getByTestId('stage-count').innerText()).replace(/\D/g, ''));
    const expected = answer.mode === 'cohort' ? stage.reached : stage.entered;
    assert.equal(shown, expected, `${answer.mode} count of ${stage.stageId}`);
    const step = answer.result.steps.find((s) => s.fromStageId === stage.stageId);
    if (!step) continue;
    const rate = row.getByTestId('stage-step-rate');
    assert.equal(await rate.innerText(), percent(step.rate));
    assert.equal(Number(await rate.getAttribute('data-numerator')), step.rate.numerator);
    assert.equal(Number(await rate.getAttribute('data-denominator')), step.rate.denominator);
  }
}

async function waitForDashboard(page: Page) {
  await page.getByTestId('stage-row').first().waitFor();
  await page
    .getByTestId('funnel-chart')
    .locator('canvas')
    .or(page.getByTestId('funnel-chart-empty'))
    .first()
    .waitFor();
}

void test('the dashboard funnel equals the API for the same filter; hover shows the fraction; cohort/flow labelled', async () => {
  const session = await openSession(browser, 'zh-CN');
  const { page } = session;
  try {
    const api = await ApiClient.as(USERS.director);
    await signIn(page, USERS.director, 'zh-CN');
    const filter = 'period=quarter&priority=A,B';
    await page.goto(`/dashboard?${filter}`);
    await waitForDashboard(page);
    const cohort = await api.get<FunnelAnswer>(`/analytics/funnel?${filter}`);
    assert.ok((cohort.result.cohortSize ?? 0) > 0, 'the demo quarter has a cohort');
    assert.match(await page.getByTestId('funnel-mode-label').innerText(), /同期群/);
    assert.match(await page.getByTestId('stage-table-label').innerText(), /同期群/);
    assert.match(await page.getByTestId('funnel-chart-label').innerText(), /同期群/);
    await assertStageTable(page, cohort);

    // Export → Excel: the workbook of the dashboard has the funnel the page shows
    await page.getByTestId('export-analytics-dashboard').click();
    const download = page.waitForEvent('download');
    await page.getByTestId('export-analytics-dashboard-xlsx').click();
    const file = await download;
    assert.match(file.suggestedFilename(), /\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await file.path());
    const sheet = workbook.getWorksheet('漏斗各阶段');
    assert.ok(sheet, `a funnel sheet among ${workbook.worksheets.map((w) => w.name).join(', ')}`);
    const header = Array.from(sheet.getRow(1).values as (string | undefined)[], (v) => v ?? '');
    const reachedColumn = header.findIndex((h) => h.includes('到达数'));
    assert.ok(reachedColumn > 0, `a reached column in ${header.join(' | ')}`);
    const exported = cohort.result.stages.map((_, i) =>
      Number(sheet.getRow(i + 2).getCell(reachedColumn).value),
    );
    assert.deepEqual(
      exported,
      cohort.result.stages.map((s) => s.reached),
    );

    // hovering a conversion shows numerator / denominator
    const first = cohort.result.steps[0]!;
    await page.getByTestId('stage-step-rate').first().hover();
    const tip = page.locator('.ant-tooltip:not(.ant-tooltip-hidden) [data-testid=rate-fraction]');
    await tip.waitFor();
    assert.ok(
      (await tip.innerText()).includes(`${first.rate.numerator} / ${first.rate.denominator}`),
      `tooltip shows ${first.rate.numerator} / ${first.rate.denominator}`,
    );
    // and so does the chart: the second stage's conversion from the first
    const chart = page.getByTestId('funnel-chart');
    const box = (await chart.boundingBox())!;
    const stages = cohort.result.stages.length;
    await page.mouse.move(box.x + box.width * 0.3, box.y + 8 + ((box.height - 16) / stages) * 1.5);
    const chartTip = chart.locator('.chart-tooltip');
    await chartTip.waitFor({ state: 'visible' });
    assert.ok(
      (await chartTip.innerText()).includes(
        `(${first.rate.numerator} / ${first.rate.denominator})`,
      ),
      'the chart tooltip shows the fraction',
    );
    await screenshot(page, 'dashboard-hover-zh-CN');

    // the period flow: the labels say so and the numbers are the flow's
    await page.getByTestId('funnel-mode').getByText('期间流量').click();
    await page.getByTestId('funnel-mode-label').filter({ hasText: '期间流量' }).waitFor();
    await page.waitForLoadState('networkidle');
    assert.match(await page.getByTestId('stage-table-label').innerText(), /期间流量/);
    assert.match(await page.getByTestId('funnel-chart-label').innerText(), /期间流量/);
    assert.match(page.url(), /mode=flow/);
    const flow = await api.get<FunnelAnswer>(`/analytics/funnel?${filter}&mode=flow`);
    await page.waitForFunction(
      (entered) =>
        document.querySelector('[data-testid=stage-row] [data-testid=stage-count]')?.textContent ===
        String(entered),
      flow.result.stages[0]!.entered,
    );
    await assertStageTable(page, flow);
    await screenshot(page, 'dashboard-flow-priority-zh-CN');

    // grouped cohort and the configured benchmark
    await page.goto(`/dashboard?${filter}&groupBy=team&benchmark=configured`);
    await page.getByTestId('grouped-funnel').locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByTestId('bottlenecks').locator('.ant-empty, .ant-alert').first().waitFor();
    await screenshot(page, 'dashboard-grouped-zh-CN');
    session.assertClean();
  } finally {
    await session.context.close();
  }
});

void test('a manager sees the numbers of the team, as the API gives them to the manager (en)', async () => {
  const session = await openSession(browser, 'en');
  const { page } = session;
  try {
    const api = await ApiClient.as(USERS.managerEast);
    await signIn(page, USERS.managerEast, 'en');
    assert.match(page.url(), /\/dashboard/);
    await page.goto('/dashboard?period=quarter');
    await waitForDashboard(page);
    const cohort = await api.get<FunnelAnswer>('/analytics/funnel?period=quarter');
    assert.match(await page.getByTestId('funnel-mode-label').innerText(), /Cohort/);
    await assertStageTable(page, cohort);
    // bottlenecks are verdicts only when significant; small samples say so
    const bottlenecks = await api.get<{ rows: { verdict: string }[] }>(
      '/analytics/bottlenecks?period=quarter',
    );
    assert.equal(
      await page.getByTestId('bottleneck-below').count(),
      bottlenecks.rows.filter((r) => r.verdict === 'below').length,
    );
    if (bottlenecks.rows.some((r) => r.verdict === 'insufficient_data'))
      assert.match(
        await page.getByTestId('bottleneck-insufficient').innerText(),
        /Not enough data/,
      );
    await screenshot(page, 'dashboard-manager-en');

    // time to an interactive dashboard on the demo data (director's whole pipeline below)
    session.assertClean();
  } finally {
    await session.context.close();
  }
});

void test('time to an interactive dashboard on the demo data', async () => {
  const session = await openSession(browser, 'zh-CN');
  const { page } = session;
  try {
    await signIn(page, USERS.director, 'zh-CN');
    const timings: number[] = [];
    for (let run = 0; run < 5; run++) {
      await page.goto('/accounts');
      await page.waitForLoadState('networkidle');
      // a fresh period each run, so no answer comes from the client's cache
      const date = `2026-0${run + 1}-15`;
      const started = Date.now();
      await page.goto(`/dashboard?period=quarter&date=${date}`, { waitUntil: 'commit' });
      await waitForDashboard(page);
      await page.locator('[data-testid=figure-win-rate] .rate-value').waitFor();
      timings.push(Date.now() - started);
    }
    const sorted = [...timings].sort((a, b) => a - b);
    const result = { runs: timings, median: sorted[2], best: sorted[0] };
    console.log('dashboard interactive', JSON.stringify(result));
    writeFileSync(path.join(SCREENSHOTS, '..', 'dashboard-timing.json'), JSON.stringify(result));
    session.assertClean();
  } finally {
    await session.context.close();
  }
});

void test('target decomposition gives 120 / 10 / 50 / 10; a target set here shows as coverage', async () => {
  const session = await openSession(browser, 'en');
  const { page } = session;
  try {
    const api = await ApiClient.as(USERS.director);
    await signIn(page, USERS.director, 'en');
    await page.goto('/targets');
    const result = page.getByTestId('decomposition-result');
    await result.waitFor();
    const figure = async (id: string) =>
      Number(
        (await result.getByTestId(id).locator('.ant-statistic-content-value').innerText()).replace(
          /\D/g,
          '',
        ),
      );
    assert.equal(await figure('deals-needed'), 120);
    assert.equal(await figure('wins-per-week'), 10);
    assert.equal(await figure('new-per-week'), 50);
    assert.equal(await figure('reps-needed'), 10);
    await screenshot(page, 'targets-decomposition-en');
    // 241万: 120.5 -> 121 deals, 11 wins a week, 51 new a week, 11 reps
    await page.locator('#revenueTarget').fill('2410000');
    await page.getByTestId('decompose').click();
    await page.waitForFunction(() =>
      document
        .querySelector('[data-testid=deals-needed] .ant-statistic-content-value')
        ?.textContent?.includes('121'),
    );
    assert.equal(await figure('wins-per-week'), 11);
    assert.equal(await figure('new-per-week'), 51);
    assert.equal(await figure('reps-needed'), 11);

    // a workspace target for this quarter
    await page.getByTestId('add-target').click();
    const form = modal(page, 'target-form');
    await form.waitFor();
    await page.locator('#target-amount').fill('9000000');
    await form.locator('.ant-modal-footer .ant-btn-primary').click();
    await form.waitFor({ state: 'hidden' });
    const targets = await api.get<{ scope: string; periodKind: string; amount: string }[]>(
      '/targets?periodKind=quarter',
    );
    const set = targets.find((t) => t.scope === 'workspace' && t.amount === '9000000.00');
    assert.ok(set, 'the workspace target is stored');
    await page.getByTestId('target-table').getByText('¥9,000,000').first().waitFor();
    await screenshot(page, 'targets-en');
    await page.goto('/dashboard?period=quarter');
    await waitForDashboard(page);
    await page.getByTestId('figure-coverage').getByText('×').first().waitFor();
    session.assertClean();
  } finally {
    await session.context.close();
  }
});

void test('a received collection is recorded on the detail page', async () => {
  const session = await openSession(browser, 'zh-CN');
  const { page } = session;
  try {
    const api = await ApiClient.as(USERS.director);
    const won = await api.get<{ items: { id: string }[] }>(
      '/opportunities?status=won&pageSize=1&sort=-expectedAmount',
    );
    const id = won.items[0]!.id;
    const created = await api.post<{ id: string }>(`/opportunities/${id}/collections`, {
      expectedDate: '2026-12-15',
      expectedAmount: '50000',
    });
    await signIn(page, USERS.director, 'zh-CN');
    await page.goto(`/opportunities/${id}`);
    await page.locator('.ant-tabs-tab[data-node-key="collections"]').click();
    await page.getByTestId('record-collection').first().click();
    const dialog = modal(page, 'collection-dialog');
    await dialog.waitFor();
    await page.locator('#actualAmount').fill('48000');
    await screenshot(page, 'collection-record-zh-CN');
    await dialog.locator('.ant-modal-footer .ant-btn-primary').click();
    await dialog.waitFor({ state: 'hidden' });
    const collections = await api.get<
      { id: string; actualDate: string | null; actualAmount: string | null }[]
    >(`/opportunities/${id}/collections`);
    const recorded = collections.find((c) => c.id === created.id)!;
    assert.equal(recorded.actualAmount, '48000.00');
    assert.ok(recorded.actualDate, 'the date is recorded');
    await page.getByTestId('collections').getByText('48,000.00 元').first().waitFor();
    session.assertClean();
  } finally {
    await session.context.close();
  }
});

void test('audit log, paged follow-ups and the list sorted by owner', async () => {
  const session = await openSession(browser, 'zh-CN');
  const { page } = session;
  try {
    const api = await ApiClient.as(USERS.admin);
    await signIn(page, USERS.admin, 'zh-CN');
    await page.goto('/audit?action=sign_in');
    const rows = page.getByTestId('audit-log').locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    const actions = await rows.locator('.ant-tag').allInnerTexts();
    assert.ok(actions.length > 0 && actions.every((a) => a === '登录'), 'only sign-ins');
    await screenshot(page, 'audit-log-sign-in-zh-CN');

    // a change reads in words: the field's label, names instead of ids, no raw JSON
    await api.patch('/auth/me', { locale: 'en' });
    await api.patch('/auth/me', { locale: 'zh-CN' });
    await page.goto('/audit?action=update&entityType=user');
    const change = page.getByTestId('audit-log').locator('tbody tr.ant-table-row').first();
    await change.waitFor();
    assert.match(await change.innerText(), /语言: en → zh-CN/);
    assert.doesNotMatch(await change.innerText(), /[{}"]|locale|passwordChanged/);

    const upcoming = await api.get<{ total: number }>(
      '/follow-ups?scope=all&bucket=upcoming&pageSize=1',
    );
    await page.goto('/follow-ups?scope=all&bucket=upcoming');
    await page.getByTestId('follow-up-item').first().waitFor();
    assert.equal(
      await page.getByTestId('follow-up-item').count(),
      Math.min(upcoming.total, 50),
      'the first page of the bucket',
    );

    await page.goto('/opportunities?sort=owner');
    const table = page.getByTestId('opportunity-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    const sorted = await api.get<{ items: { id: string; owner: { name: string } }[] }>(
      '/opportunities?sort=owner&pageSize=50',
    );
    const ownerOf = new Map(sorted.items.map((o) => [o.id, o.owner.name]));
    const shown = await table
      .locator('tbody tr.ant-table-row')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row-key') ?? ''));
    assert.deepEqual(
      shown.map((id) => ownerOf.get(id)),
      sorted.items.map((o) => o.owner.name),
      'rows in the order of their owners, as the API sorts them',
    );
    session.assertClean();
  } finally {
    await session.context.close();
  }
});
