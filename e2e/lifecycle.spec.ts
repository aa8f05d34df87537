/**
 * A rep's day: create an account (near-duplicate warning) and an opportunity, bad input shows the
 * field's error, drag the card across stages with reasons and the stage gate, log and plan
 * follow-ups, close won and lost.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  ApiClient,
  fieldHelp,
  launch,
  modal,
  openSession,
  pickOption,
  screenshot,
  signIn,
  USERS,
  type Session,
} from './helpers';

let browser: Browser;
let session: Session;
const stamp = Date.now().toString(36);
const accountName = `鹭岛${stamp}量子测控技术有限公司`;
const opportunityName = `测试商机 ${stamp}`;
let opportunityId = '';

before(async () => {
  browser = await launch();
  session = await openSession(browser, 'zh-CN');
  await signIn(session.page, USERS.repWang, 'zh-CN');
});
after(async () => {
  await session?.context.close();
  await browser?.close();
});

void test('create an account; a near-duplicate name is warned about', async () => {
  const { page } = session;
  const api = await ApiClient.as(USERS.repWang);
  const existing = await api.get<{ items: { name: string }[] }>('/accounts?pageSize=1');
  await page.goto('/accounts');
  await page.getByTestId('create-account').click();
  await page.getByTestId('account-name').fill(existing.items[0]!.name);
  await page.getByTestId('duplicate-warning').waitFor();
  await screenshot(page, 'account-duplicate-zh-CN');
  await page.getByTestId('account-name').fill(accountName);
  await page.getByTestId('duplicate-warning').waitFor({ state: 'hidden' });
  await page.locator('.ant-modal-footer .ant-btn-primary').click();
  await modal(page, 'account-form').waitFor({ state: 'hidden' });
  // the new account opens at once, ready for its contacts
  await page.getByTestId('account-drawer').getByText(accountName).first().waitFor();
  // a contact with a bad phone: the API's field error shows under the field
  await page.getByTestId('add-contact').click();
  await page.getByTestId('contact-name').fill('李经理');
  await page.getByTestId('contact-phone').fill('call me');
  await page.locator('[data-testid=contact-form] .ant-modal-footer .ant-btn-primary').click();
  await fieldHelp(page, 'phone').waitFor();
  assert.match(await fieldHelp(page, 'phone').innerText(), /\S/);
  await screenshot(page, 'contact-field-error-zh-CN');
  await page.getByTestId('contact-phone').fill('13800138000');
  await page.locator('[data-testid=contact-form] .ant-modal-footer .ant-btn-primary').click();
  await modal(page, 'contact-form').waitFor({ state: 'hidden' });
  await page.locator('[data-testid=account-drawer]').getByText('李经理').waitFor();
  await page.keyboard.press('Escape');
  session.assertClean();
});

void test('create an opportunity; bad input shows the field error', async () => {
  const { page } = session;
  await page.getByTestId('new-opportunity').click();
  await page.getByTestId('create-opportunity').waitFor();
  await page.getByTestId('create-submit').click();
  await fieldHelp(page, 'name').waitFor();
  await page.getByTestId('field-name').fill(opportunityName);
  await page.locator('#accountId').fill(accountName.slice(0, 8));
  await page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', {
      hasText: accountName,
    })
    .click();
  await page.locator('#expectedAmount').fill('12.345');
  await page.getByTestId('create-submit').click();
  await fieldHelp(page, 'expectedAmount').waitFor();
  assert.match(await fieldHelp(page, 'expectedAmount').innerText(), /两位小数/);
  await screenshot(page, 'create-field-error-zh-CN');
  await page.locator('#expectedAmount').fill('680000');
  await page.locator('#needsDescription').fill('产线数据采集与质量追溯,预算 60-80 万');
  await pickOption(page, 'source', '转介绍');
  await page.getByTestId('create-submit').click();
  await page.getByTestId('opportunity-detail').waitFor();
  opportunityId = page.url().split('/').pop()!;
  assert.match(opportunityId, /^[0-9a-f-]{36}$/);
  await screenshot(page, 'detail-new-zh-CN');
  session.assertClean();
});

async function boardCard() {
  const { page } = session;
  await page.goto(`/board?q=${encodeURIComponent(opportunityName)}`);
  const card = page.locator(`[data-testid=board-card][data-opportunity-id="${opportunityId}"]`);
  await card.waitFor();
  return card;
}

function column(name: string) {
  return session.page.locator(`[data-testid=board-column][data-stage-name="${name}"]`);
}

void test('drag across stages: skipping needs a reason, the gate shows missing fields', async () => {
  const { page } = session;
  let card = await boardCard();
  // 线索获取 -> 方案呈现 skips 需求确认
  await card.dragTo(column('方案呈现'));
  const dialog = modal(page, 'move-dialog');
  await dialog.waitFor();
  assert.equal(await dialog.getByTestId('move-kind').innerText(), '跨阶段');
  await dialog.getByTestId('gate-missing').waitFor(); // 方案呈现 wants contacts
  await dialog.locator('.ant-btn-primary').click();
  await fieldHelp(page, 'reason').waitFor();
  await screenshot(page, 'move-dialog-zh-CN');
  await page.getByTestId('move-reason').fill('老客户转介绍,需求已明确');
  await dialog.locator('.ant-btn-primary').click();
  await dialog.waitFor({ state: 'hidden' });
  await column('方案呈现').locator(`[data-opportunity-id="${opportunityId}"]`).waitFor();

  // back to 需求确认: a reason again
  card = await boardCard();
  await card.dragTo(column('需求确认'));
  await dialog.waitFor();
  assert.equal(await dialog.getByTestId('move-kind').innerText(), '回退');
  await page.getByTestId('move-reason').fill('客户重新评估需求');
  await dialog.locator('.ant-btn-primary').click();
  await dialog.waitFor({ state: 'hidden' });

  // 商务谈判 blocks without an expected close date: fill it in the dialog
  card = await boardCard();
  await card.dragTo(column('商务谈判'));
  await dialog.waitFor();
  await dialog.getByTestId('gate-missing').waitFor();
  assert.match(await dialog.getByTestId('gate-missing').innerText(), /预计成交日期/);
  await page.getByTestId('move-reason').fill('已进入报价');
  await dialog.locator('.ant-btn-primary').click();
  await fieldHelp(page, 'expectedCloseDate').waitFor();
  await page.locator('#expectedCloseDate').click();
  await page.locator('#expectedCloseDate').fill('2027-03-31');
  await page.keyboard.press('Enter');
  await dialog.locator('.ant-btn-primary').click();
  await dialog.waitFor({ state: 'hidden' });
  await column('商务谈判').locator(`[data-opportunity-id="${opportunityId}"]`).waitFor();
  await screenshot(page, 'board-after-moves-zh-CN');

  const api = await ApiClient.as(USERS.repWang);
  const changes = await api.get<{ reason: string | null }[]>(
    `/opportunities/${opportunityId}/stage-changes`,
  );
  assert.deepEqual(changes.map((c) => c.reason).filter(Boolean), [
    '老客户转介绍,需求已明确',
    '客户重新评估需求',
    '已进入报价',
  ]);
  session.assertClean();
});

void test('log and plan follow-ups', async () => {
  const { page } = session;
  await page.goto(`/opportunities/${opportunityId}`);
  await page.getByTestId('log-follow-up').click();
  const log = modal(page, 'log-follow-up-dialog');
  await log.waitFor();
  await page.getByTestId('follow-up-content').fill('电话沟通报价细节,客户对交付周期有疑问');
  await page.locator('#nextAction').fill('发送交付计划');
  await log.locator('.ant-btn-primary').click();
  await log.waitFor({ state: 'hidden' });
  await page
    .getByTestId('follow-up-timeline')
    .getByText('电话沟通报价细节,客户对交付周期有疑问')
    .waitFor();
  await page.getByTestId('plan-follow-up').click();
  const plan = modal(page, 'plan-follow-up-dialog');
  await plan.waitFor();
  await page.getByTestId('plan-goal').fill('确认交付计划');
  await plan.locator('.ant-btn-primary').click();
  await plan.waitFor({ state: 'hidden' });
  await page.getByTestId('planned-follow-up').filter({ hasText: '确认交付计划' }).waitFor();
  await screenshot(page, 'detail-follow-ups-zh-CN');
  await page.goto('/follow-ups?bucket=upcoming');
  await page.getByTestId('follow-up-list').getByText(opportunityName).first().waitFor();
  await screenshot(page, 'follow-ups-zh-CN');
  session.assertClean();
});

void test('a change made meanwhile by someone else: the page says so and reloads', async () => {
  const { page } = session;
  await page.goto(`/opportunities/${opportunityId}`);
  await page.getByTestId('edit-budgetRange').waitFor();
  const api = await ApiClient.as(USERS.repWang);
  const current = await api.get<{ version: number }>(`/opportunities/${opportunityId}`);
  await api.request('PATCH', `/opportunities/${opportunityId}`, {
    version: current.version,
    marketNotes: '另一处的修改',
  });
  await page.getByTestId('edit-budgetRange').click();
  await page.getByTestId('edit-budgetRange-editor').locator('input').fill('60-80 万元');
  await page.getByTestId('edit-budgetRange-editor').locator('.ant-btn-primary').click();
  await page.getByTestId('version-conflict').waitFor();
  await screenshot(page, 'detail-version-conflict-zh-CN');
  await page.getByTestId('version-conflict').locator('.ant-btn').click();
  await page.getByTestId('version-conflict').waitFor({ state: 'hidden' });
  await page.getByTestId('detail-fields').getByText('另一处的修改').waitFor();
  // after the reload the edit goes through
  await page.getByTestId('edit-budgetRange').click();
  await page.getByTestId('edit-budgetRange-editor').locator('input').fill('60-80 万元');
  await page.getByTestId('edit-budgetRange-editor').locator('.ant-btn-primary').click();
  await page.getByTestId('edit-budgetRange').filter({ hasText: '60-80 万元' }).waitFor();
  session.assertClean();
});

void test('close won by dropping on the won zone, and close another as lost', async () => {
  const { page } = session;
  const card = await boardCard();
  await card.dragTo(page.getByTestId('drop-won'));
  const won = modal(page, 'dialog-won');
  await won.waitFor();
  await won.locator('.ant-btn-primary').click();
  await won.waitFor({ state: 'hidden' });
  const api = await ApiClient.as(USERS.repWang);
  const closed = await api.get<{ status: string; won: { amount: string } | null }>(
    `/opportunities/${opportunityId}`,
  );
  assert.equal(closed.status, 'won');
  assert.equal(closed.won?.amount, '680000.00');

  const other = await api.post<{ opportunity: { id: string } }>('/opportunities', {
    name: `输单测试 ${stamp}`,
    accountId: (await api.get<{ account: { id: string } }>(`/opportunities/${opportunityId}`))
      .account.id,
  });
  await page.goto(`/opportunities/${other.opportunity.id}`);
  await page.getByTestId('action-lost').click();
  const lost = modal(page, 'dialog-lost');
  await lost.waitFor();
  // the form must be mounted before submitting it empty, or the click can land on the opening modal
  await page.locator('#reason').waitFor();
  await lost.locator('.ant-btn-primary').click();
  await fieldHelp(page, 'reason').waitFor();
  await pickOption(page, 'reason', '价格过高');
  await page.locator('#competitor').fill('测试竞品科技');
  await lost.locator('.ant-btn-primary').click();
  await lost.waitFor({ state: 'hidden' });
  await page.getByText('输单').first().waitFor();
  const lostOpportunity = await api.get<{ status: string; lost: { competitor: { name: string } } }>(
    `/opportunities/${other.opportunity.id}`,
  );
  assert.equal(lostOpportunity.status, 'lost');
  assert.equal(lostOpportunity.lost.competitor.name, '测试竞品科技');
  await screenshot(page, 'detail-lost-zh-CN');
  session.assertClean();
});

void test('contact details masked for a rep are visibly marked', async () => {
  const { page } = session;
  const api = await ApiClient.as(USERS.repWang);
  const contacts = await api.get<{
    items: { name: string; accountName: string; masked: boolean }[];
  }>('/contacts?pageSize=200');
  const masked = contacts.items.find((c) => c.masked);
  assert.ok(masked, 'the demo has contacts masked for a rep');
  await page.goto(`/accounts?q=${encodeURIComponent(masked.accountName)}`);
  await page.locator('tbody tr.ant-table-row').first().click();
  const drawer = page.getByTestId('account-drawer');
  await drawer.locator('tr', { hasText: masked.name }).getByTestId('masked-tag').waitFor();
  await screenshot(page, 'account-masked-contacts-zh-CN');
  session.assertClean();
});
