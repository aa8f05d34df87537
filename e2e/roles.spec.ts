/**
 * Each role sees only what it may: menu items, controls, and exactly the API's cards for that
 * user on the board (a rep only their own). A manager reassigns in bulk.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  ApiClient,
  launch,
  modal,
  openSession,
  pickOption,
  screenshot,
  signIn,
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

interface Me {
  user: { id: string };
  role: string;
}
interface Pipeline {
  id: string;
  isDefault: boolean;
  stages: { id: string; kind: string }[];
}

const roleLabels: Record<string, Record<UiLocale, string>> = {
  admin: { 'zh-CN': '管理员', en: 'Admin' },
  director: { 'zh-CN': '销售总监', en: 'Sales director' },
  manager: { 'zh-CN': '销售经理', en: 'Sales manager' },
  rep: { 'zh-CN': '销售代表', en: 'Sales rep' },
};

const cases: { email: string; locale: UiLocale }[] = [
  { email: USERS.admin, locale: 'zh-CN' },
  { email: USERS.director, locale: 'en' },
  { email: USERS.managerEast, locale: 'zh-CN' },
  { email: USERS.repWang, locale: 'en' },
  { email: USERS.repLi, locale: 'zh-CN' },
];

for (const { email, locale } of cases) {
  void test(`${email} sees what the role may see (${locale})`, async () => {
    const session = await openSession(browser, locale);
    const { page } = session;
    try {
      const api = await ApiClient.as(email);
      const me = await api.get<Me>('/auth/me');
      await signIn(page, email, locale);
      // reps land on their board, managers and above on the dashboard
      assert.match(page.url(), me.role === 'rep' ? /\/board/ : /\/dashboard/);
      assert.equal(await page.getByTestId('user-role').innerText(), roleLabels[me.role]![locale]);
      const menu = await page.getByTestId('main-menu').innerText();
      const zh = locale === 'zh-CN';
      assert.equal(menu.includes(zh ? '设置' : 'Settings'), me.role === 'admin');
      assert.ok(menu.includes(zh ? '仪表盘' : 'Dashboard'), 'everyone has the dashboard');
      assert.equal(menu.includes(zh ? '目标' : 'Targets'), me.role !== 'rep');
      assert.equal(menu.includes(zh ? '导入' : 'Import'), me.role !== 'rep');
      assert.equal(
        menu.includes(zh ? '审计日志' : 'Audit log'),
        me.role === 'director' || me.role === 'admin',
      );
      if (me.role !== 'rep') {
        await page.goto('/board');
        await page.getByTestId('board').waitFor();
      }
      await page.locator('[data-testid=board-card]').first().waitFor();

      // the board shows exactly the API's open opportunities for this user, per stage
      const pipelines = await api.get<Pipeline[]>('/pipelines');
      const pipeline = pipelines.find((p) => p.isDefault)!;
      const summary = await api.get<{ stageId: string; count: number }[]>(
        `/opportunities/summary?status=open&pipelineId=${pipeline.id}`,
      );
      for (const stage of pipeline.stages.filter((s) => s.kind === 'open')) {
        const column = page.locator(`[data-testid=board-column][data-stage-id="${stage.id}"]`);
        const shown = Number(
          (await column.getByTestId('column-count').innerText()).replace(/\D/g, ''),
        );
        const expected = summary.find((s) => s.stageId === stage.id)?.count ?? 0;
        assert.equal(shown, expected, `stage ${stage.id} count`);
      }
      const visible = await api.get<{
        items: { id: string; owner: { id: string } }[];
        total: number;
      }>(`/opportunities?status=open&pipelineId=${pipeline.id}&pageSize=500`);
      const visibleIds = new Set(visible.items.map((o) => o.id));
      const cardIds = await page
        .locator('[data-testid=board-card]')
        .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-opportunity-id')));
      assert.ok(cardIds.length > 0, 'the board shows cards');
      for (const id of cardIds) assert.ok(visibleIds.has(id!), `card ${id} is visible to ${email}`);
      if (me.role === 'rep') {
        assert.ok(
          visible.items.every((o) => o.owner.id === me.user.id),
          'a rep sees only own',
        );
      }
      await screenshot(page, `board-${me.role}-${email.split('@')[0]}-${locale}`);

      // bulk reassign is for managers and above; settings for admins
      await page.goto('/opportunities');
      await page
        .getByTestId('opportunity-table')
        .locator('tbody tr.ant-table-row')
        .first()
        .waitFor();
      assert.equal(await page.getByTestId('bulk-reassign').count(), me.role === 'rep' ? 0 : 1);
      await page.goto('/settings');
      if (me.role === 'admin')
        await page.getByTestId('pipeline-editor').or(page.locator('#name')).first().waitFor();
      else await page.locator('.ant-result-403').waitFor();

      // sign out
      await page.getByTestId('user-menu').click();
      await page.locator('.ant-dropdown-menu-item').last().click();
      await page.waitForURL(/\/sign-in/);
      session.assertClean();
    } finally {
      await session.context.close();
    }
  });
}

void test('a manager reassigns several opportunities at once, each with its version', async () => {
  const session = await openSession(browser, 'zh-CN');
  const { page } = session;
  try {
    const api = await ApiClient.as(USERS.managerEast);
    const me = await api.get<Me>('/auth/me');
    await signIn(page, USERS.managerEast, 'zh-CN');
    await page.goto('/opportunities?status=open&sort=code');
    const rows = page.getByTestId('opportunity-table').locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    const ids = await rows.evaluateAll((trs) =>
      trs.slice(0, 2).map((tr) => tr.getAttribute('data-row-key')),
    );
    for (let i = 0; i < 2; i++) await rows.nth(i).locator('.ant-checkbox-input').check();
    await page.getByTestId('bulk-reassign').click();
    const dialog = modal(page, 'reassign-dialog');
    await dialog.waitFor();
    await pickOption(page, 'ownerId', '华东');
    const chosen = await page
      .locator('#ownerId')
      .evaluate((input) => input.closest('.ant-select')?.textContent ?? '');
    await page.locator('#reason').fill('周会调整负责人');
    await dialog.locator('.ant-modal-footer .ant-btn-primary').click();
    await dialog.waitFor({ state: 'hidden' });
    for (const id of ids) {
      const opportunity = await api.get<{ owner: { name: string } }>(`/opportunities/${id}`);
      assert.ok(chosen.startsWith(opportunity.owner.name), `${id} now owned by ${chosen}`);
    }
    assert.ok(me.user.id);
    session.assertClean();
  } finally {
    await session.context.close();
  }
});
