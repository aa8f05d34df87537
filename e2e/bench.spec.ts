/**
 * Board with 5,000 open opportunities (seeded by seed-board.ts): time from navigation to an
 * interactive board (column totals and the first cards shown), the number of cards in the DOM
 * (virtualised), and the time to load the next page when a column is scrolled.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ApiClient, launch, openSession, SCREENSHOTS, screenshot, signIn, USERS } from './helpers';

void test('board with 5,000 open opportunities', async () => {
  const api = await ApiClient.as(USERS.admin);
  const open = await api.get<{ total: number }>('/opportunities?status=open&pageSize=1');
  assert.ok(open.total >= 5000, `seeded ${open.total} open opportunities`);
  const browser = await launch();
  const session = await openSession(browser, 'zh-CN');
  const { page } = session;
  await signIn(page, USERS.admin, 'zh-CN');
  const timings: number[] = [];
  for (let run = 0; run < 5; run++) {
    await page.goto('/accounts');
    await page.waitForLoadState('networkidle');
    const started = Date.now();
    await page.goto('/board', { waitUntil: 'commit' });
    await page.waitForFunction(() => {
      const columns = [...document.querySelectorAll('[data-testid=board-column]')];
      if (columns.length === 0) return false;
      const totals = document.querySelector('[data-testid=board-totals]')?.textContent ?? '';
      const loaded = columns.every(
        (c) => c.querySelector('[data-testid=board-card]') || c.querySelector('.ant-empty'),
      );
      return loaded && /[1-9]/.test(totals);
    });
    timings.push(Date.now() - started);
  }
  const cardsInDom = await page.locator('[data-testid=board-card]').count();
  // scroll the fullest column to its end: the next page loads on demand
  const body = page.locator('[data-testid=board-column]').first().getByTestId('column-body');
  const before = await page
    .locator('[data-testid=board-column]')
    .first()
    .locator('[data-testid=board-card]')
    .count();
  const scrollStarted = Date.now();
  await body.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await page.waitForResponse((r) => r.url().includes('page=2'));
  await page.waitForTimeout(50);
  const nextPageMs = Date.now() - scrollStarted;
  await screenshot(page, 'bench-board-5000-zh-CN');
  const sorted = [...timings].sort((a, b) => a - b);
  const result = {
    openOpportunities: open.total,
    interactiveMs: {
      runs: timings,
      median: sorted[Math.floor(sorted.length / 2)],
      best: sorted[0],
    },
    cardsInDom,
    cardsInFirstColumnBeforeScroll: before,
    nextPageMs,
    firstPageJsGzip: Number(process.env.E2E_FIRST_PAGE_GZIP ?? 0),
  };
  console.log(JSON.stringify(result, null, 2));
  writeFileSync(path.join(SCREENSHOTS, '..', 'bench-web.json'), JSON.stringify(result, null, 2));
  assert.ok(cardsInDom < 200, 'cards are virtualised, not all in the DOM');
  session.assertClean();
  await session.context.close();
  await browser.close();
});
