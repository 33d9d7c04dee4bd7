import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, hydrated, login } from './helpers';

// Issue 14 point 13: a tablet on the hall's Wi-Fi loses the network in the middle of its work.

/** A food licence case received by clerk01 through the API; the page is signed in as clerk01. */
async function receiveCase(page: Page, phone: string) {
  await login(page, 'clerk01');
  const created = await page.request.post('/api/v1/cases', {
    data: {
      item_code: '640106-XK-0001',
      applicant: { kind: 'company', name: '银川金味餐饮有限公司', id_number: '91350100M000100Y43' },
      phone,
      channel: 'counter',
    },
  });
  expect(created.status()).toBe(201);
  return (await created.json()).summary.id as number;
}

test('offline mid-action: a banner, the action refused with a clear message and never lost or applied twice, and the page catches up on reconnection', async ({ page, context }, info) => {
  // Several pages hydrate one after another (a debug build on a shared machine).
  test.slow();
  const id = await receiveCase(page, `1399513${info.project.name === 'phone' ? 2 : 3}001`);
  await page.goto(`/clerk/cases/${id}`);
  await hydrated(page);
  const banner = page.getByRole('alert').filter({ hasText: '页面上显示的可能不是最新情况' });
  await expect(banner).toHaveCount(0);

  // The review is filled in, then the Wi-Fi drops before it is sent.
  await page.getByRole('button', { name: '全部齐全' }).click();
  await context.setOffline(true);
  await expect(banner).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: '提交审查结果' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '操作未发送' })).toBeVisible();
  await page.screenshot({ path: info.outputPath(`offline-${info.project.name}.png`), fullPage: true });
  // Nothing reached the server (page.request does not go through the browser's network).
  const during = await (await page.request.get(`/api/v1/cases/${id}`)).json();
  expect(during.summary.state).toBe('received');

  // Back online: the banner goes, and the same review, sent again, is applied once.
  await context.setOffline(false);
  await expect(banner).toHaveCount(0);
  await page.getByRole('button', { name: '提交审查结果' }).click();
  await expect(page.getByText('已受理', { exact: true }).first()).toBeVisible();
  const history = page.getByRole('region', { name: '办理记录' }).getByRole('listitem');
  await expect(history.filter({ hasText: '第 1 次受理审查' })).toHaveCount(1);
  await expect(history.filter({ hasText: '第 2 次受理审查' })).toHaveCount(0);

  // Offline again while someone else moves the case on: on reconnection the page catches up
  // by itself, without a reload.
  await context.setOffline(true);
  await expect(banner).toBeVisible();
  const detail = await (await page.request.get(`/api/v1/cases/${id}`)).json();
  const moved = await page.request.post(`/api/v1/cases/${id}/start-review`, {
    data: { version: detail.summary.version },
  });
  expect(moved.ok()).toBeTruthy();
  await context.setOffline(false);
  await expect(page.getByRole('heading', { name: '审查环节' })).toBeVisible();
  await expect(banner).toHaveCount(0);
});
