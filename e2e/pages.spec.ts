/**
 * Every page in both languages: screenshots for a person to look at, no raw message keys, no
 * English left in the Chinese UI; the language switch is remembered across sign-ins.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  ApiClient,
  englishUiWords,
  launch,
  openSession,
  rawKeysOnPage,
  screenshot,
  signIn,
  switchLanguage,
  USERS,
  type UiLocale,
} from './helpers';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// Latin words that may appear in the Chinese UI: the product name, data (English account names,
// product names such as ERP/CRM), codes and units.
const ALLOWED_LATIN = new Set([
  'Funnel',
  'English',
  'Evergreen',
  'Pioneer',
  'Systems',
  'Limited',
  'Manufacturing',
  'Ltd',
  'Email',
  'Shanghai',
  'Asia',
  'CNY',
]);

async function checkPage(page: Page, name: string, locale: UiLocale) {
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
  const keys = await rawKeysOnPage(page);
  assert.deepEqual(keys, [], `${name}: raw message keys on the page`);
  if (locale === 'zh-CN') {
    const words = (await englishUiWords(page)).filter((w) => !ALLOWED_LATIN.has(w));
    assert.deepEqual(words, [], `${name}: English words in the Chinese UI`);
  }
  await screenshot(page, `${name}-${locale}`);
}

for (const locale of ['zh-CN', 'en'] as const) {
  void test(`every page renders translated (${locale})`, async () => {
    const session = await openSession(browser, locale);
    const { page } = session;
    try {
      await page.goto('/sign-in');
      await page.locator('#email').waitFor();
      await checkPage(page, 'sign-in', locale);
      await signIn(page, USERS.admin, locale);
      await page.goto('/dashboard?period=quarter');
      await page.getByTestId('stage-row').first().waitFor();
      await page.getByTestId('funnel-chart').locator('canvas').waitFor();
      await checkPage(page, 'dashboard', locale);
      await page.goto('/dashboard?period=quarter&mode=flow&trend=quarter');
      await page.getByTestId('stage-row').first().waitFor();
      await page.getByTestId('funnel-chart').locator('canvas').waitFor();
      await checkPage(page, 'dashboard-flow', locale);
      await page.goto('/targets');
      await page.getByTestId('decomposition-result').waitFor();
      await checkPage(page, 'targets', locale);
      await page.goto('/audit');
      await page.getByTestId('audit-log').locator('tbody tr.ant-table-row').first().waitFor();
      await checkPage(page, 'audit-log', locale);
      await page.goto('/board');
      await page.getByTestId('board').waitFor();
      await checkPage(page, 'board', locale);
      await page.goto('/opportunities');
      await page.locator('tbody tr.ant-table-row').first().waitFor();
      await checkPage(page, 'list', locale);
      const api = await ApiClient.as(USERS.admin);
      const list = await api.get<{ items: { id: string }[] }>(
        '/opportunities?status=open&sort=-expectedAmount&pageSize=1',
      );
      await page.goto(`/opportunities/${list.items[0]!.id}`);
      await page.getByTestId('opportunity-detail').waitFor();
      await checkPage(page, 'detail', locale);
      for (const tab of ['contacts', 'stages', 'audit'] as const) {
        await page.locator(`.ant-tabs-tab[data-node-key="${tab}"]`).click();
        await checkPage(page, `detail-${tab}`, locale);
      }
      await page.goto('/opportunities/new');
      await page.getByTestId('create-opportunity').waitFor();
      await checkPage(page, 'create', locale);
      await page.goto('/follow-ups?scope=team');
      await page.getByTestId('follow-up-list').waitFor();
      await checkPage(page, 'follow-ups', locale);
      await page.goto('/accounts');
      await page.locator('tbody tr.ant-table-row').first().waitFor();
      await checkPage(page, 'accounts', locale);
      for (const tab of ['workspace', 'pipelines', 'lists', 'rules', 'people']) {
        await page.goto(`/settings/${tab}`);
        await page.locator('.ant-tabs-tab-active').waitFor();
        await checkPage(page, `settings-${tab}`, locale);
      }
      session.assertClean();
    } finally {
      await session.context.close();
    }
  });
}

void test('the language switch changes every string and is remembered', async () => {
  const session = await openSession(browser, 'en');
  const { page } = session;
  try {
    await signIn(page, USERS.director, 'en');
    assert.match(await page.getByTestId('main-menu').innerText(), /Pipeline board/);
    await switchLanguage(page, 'zh-CN');
    assert.match(await page.getByTestId('main-menu').innerText(), /管道看板/);
    const words = (await englishUiWords(page)).filter((w) => !ALLOWED_LATIN.has(w));
    assert.deepEqual(words, []);
    const api = await ApiClient.as(USERS.director);
    const me = await api.get<{ user: { locale: string | null } }>('/auth/me');
    assert.equal(me.user.locale, 'zh-CN');
    // a new browser with an English default still gets the remembered Chinese after sign-in
    const other = await openSession(browser, 'en');
    await signIn(other.page, USERS.director);
    await other.page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    assert.match(await other.page.getByTestId('main-menu').innerText(), /管道看板/);
    await switchLanguage(other.page, 'en');
    other.assertClean();
    await other.context.close();
    session.assertClean();
  } finally {
    await session.context.close();
  }
});
