/**
 * End-to-end helpers: Debian's Chromium through playwright-core, a page that fails the spec on
 * any console error or missing i18n key, sign-in, API calls as a given user, screenshots.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';

export const BASE_URL = process.env.E2E_BASE_URL ?? 'http://localhost:3300';
export const PASSWORD = 'demo1234';
export const SCREENSHOTS = path.resolve(import.meta.dirname, '../artifacts/screenshots');

export const USERS = {
  admin: 'admin@funnel.demo',
  director: 'director@funnel.demo',
  managerEast: 'manager.east@funnel.demo',
  managerNorth: 'manager.north@funnel.demo',
  repWang: 'rep.wang@funnel.demo',
  repLi: 'rep.li@funnel.demo',
  repZhang: 'rep.zhang@funnel.demo',
} as const;

export type UiLocale = 'zh-CN' | 'en';

function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and missing i18n keys seen so far. */
  problems: string[];
  assertClean: () => void;
}

/** A fresh browser context in a language; every console error is collected as a problem. */
export async function openSession(
  browser: Browser,
  locale: UiLocale,
  options: { width?: number; height?: number; allow?: RegExp[] } = {},
): Promise<Session> {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    locale: locale === 'zh-CN' ? 'zh-CN' : 'en-US',
    viewport: { width: options.width ?? 1440, height: options.height ?? 900 },
  });
  await context.addInitScript(
    ([key, value]) => window.localStorage.setItem(key!, value!),
    ['funnel.locale', locale],
  );
  const page = await context.newPage();
  const problems: string[] = [];
  // The browser logs every non-2xx response as a console error. Validation (400), version
  // conflicts (409) and stage gates (422) are answers the UI shows by design; anything else
  // (401, 403, 404, 5xx) is a problem.
  const handled = /Failed to load resource: the server responded with a status of (400|409|422)\b/;
  const allowed = (text: string) =>
    handled.test(text) || (options.allow ?? []).some((re) => re.test(text));
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && !allowed(text)) problems.push(`console.error: ${text}`);
    if (text.includes('[i18n] missing key')) problems.push(text);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return {
    context,
    page,
    problems,
    assertClean: () => {
      if (problems.length > 0) throw new Error(`Problems in the page:\n${problems.join('\n')}`);
    },
  };
}

export async function signIn(page: Page, email: string, locale?: UiLocale): Promise<void> {
  // The language remembered on the server for this user wins over the browser's at sign-in, and
  // other specs change it. Remember the wanted one first, so the page opens in it (checking the
  // page's language once, just after sign-in, raced with the switch to the remembered one).
  if (locale) await (await ApiClient.as(email)).patch('/auth/me', { locale });
  await page.goto('/sign-in');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('button[type=submit]').click();
  // reps land on their board, managers and above on the dashboard
  await page.waitForURL(/\/(board|dashboard)/);
  await page.getByTestId('board').or(page.getByTestId('dashboard')).first().waitFor();
  if (locale) await page.waitForFunction((lang) => document.documentElement.lang === lang, locale);
}

/**
 * Opens an antd Select (by its input id, or a locator of the select) and picks the option with
 * this text, then waits until it took: until `picked` resolves, by default until the select shows
 * the text. A pick that did not take is logged and made again, up to three times: on a loaded
 * machine a click can land on something that moved or covered the list meanwhile (the header's
 * language switch once had a hover tooltip over its first option, which made Playwright scroll
 * and the click miss; that tooltip is gone). A line "pickOption: … picking it again" in a run's
 * output is worth a look.
 */
export async function pickOption(
  page: Page,
  select: string | Locator,
  option: string | RegExp,
  picked?: (timeout: number) => Promise<unknown>,
): Promise<void> {
  const opener = typeof select === 'string' ? page.locator(`#${select}`) : select;
  const root = typeof select === 'string' ? page.locator('.ant-select', { has: opener }) : select;
  const took = picked ?? ((timeout) => root.filter({ hasText: option }).waitFor({ timeout }));
  for (let attempt = 1; ; attempt++) {
    await opener.click();
    const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last();
    await dropdown.locator('.ant-select-item-option', { hasText: option }).first().click();
    try {
      await took(5_000);
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      console.log(`pickOption: picking ${String(option)} did not take; picking it again`);
      await page.keyboard.press('Escape');
    }
  }
}

export async function switchLanguage(page: Page, locale: UiLocale): Promise<void> {
  // Picking the language already shown changes nothing and sends nothing: say so at once.
  const current = await page.evaluate(() => document.documentElement.lang);
  if (current === locale) throw new Error(`switchLanguage: the page is already in ${locale}`);
  const remembered = page.waitForResponse(
    (r) => r.url().endsWith('/api/v1/auth/me') && r.request().method() === 'PATCH',
  );
  await pickOption(
    page,
    page.locator('.app-header [data-testid=language-switch]'),
    locale === 'zh-CN' ? '简体中文' : 'English',
    (timeout) =>
      page.waitForFunction((lang) => document.documentElement.lang === lang, locale, { timeout }),
  );
  await remembered;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  // let transitions and messages settle
  await page.waitForTimeout(400);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/** The API as one user (cookie session + CSRF), to compare what the UI shows with the data. */
export class ApiClient {
  private cookie = '';
  private csrf = '';

  static async as(email: string): Promise<ApiClient> {
    const client = new ApiClient();
    const response = await fetch(`${BASE_URL}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    if (!response.ok) throw new Error(`sign-in ${email}: ${response.status}`);
    const me = (await response.json()) as { csrfToken: string };
    client.csrf = me.csrfToken;
    client.cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return client;
  }

  async request<T>(method: string, url: string, body?: unknown): Promise<T> {
    const response = await fetch(`${BASE_URL}/api/v1${url}`, {
      method,
      headers: {
        cookie: this.cookie,
        'x-csrf-token': this.csrf,
        'accept-language': 'en',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  get<T>(url: string): Promise<T> {
    return this.request<T>('GET', url);
  }
  post<T>(url: string, body: unknown): Promise<T> {
    return this.request<T>('POST', url, body);
  }
  patch<T>(url: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', url, body);
  }
}

/** Text nodes of the page that look like raw message keys (e.g. "board.title"). */
export async function rawKeysOnPage(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const keyLike =
      /^(nav|board|move|close|list|detail|followUps?|account|contact|create|settings|field|status|priority|method|role|stage|picklist|filters|action|error|validation|unit|common|auth|forecast|intent|competitor|collection|dashboard|targets|audit|priorityChange|stageChange|import|export)\.[\w.-]+$/;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      if (keyLike.test(text)) found.push(text);
    }
    return found;
  });
}

/** Latin words in a Chinese page that are not data (names, codes, units) hint at untranslated UI. */
export async function englishUiWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found = new Set<string>();
    const selectors =
      'button, .ant-tabs-tab, .ant-menu-item, th, label, .ant-form-item-label, .ant-modal-title, .ant-empty-description, .ant-segmented-item-label, h1, h2, h3, h4, h5';
    for (const element of document.querySelectorAll(selectors)) {
      const text = (element as HTMLElement).innerText?.trim() ?? '';
      for (const word of text.match(/\b[A-Za-z]{4,}\b/g) ?? []) found.add(word);
    }
    return [...found];
  });
}

/** The form item around an input, to read the message shown next to it. */
export function fieldHelp(page: Page, inputId: string) {
  return page
    .locator('.ant-form-item', { has: page.locator(`#${inputId}`) })
    .locator('.ant-form-item-explain-error');
}

/** An antd modal by the data-testid given to <Modal> (which lands on its zero-size root). */
export function modal(page: Page, testId: string) {
  return page.locator(`[data-testid="${testId}"] .ant-modal`);
}
