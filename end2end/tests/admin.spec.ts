import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, login } from './helpers';

test('an admin adds a street center and sees it listed', async ({ page }, info) => {
  await login(page, 'admin');
  await page.goto('/admin/centers');
  await hydrated(page);
  await expectAccessible(page);
  const name = `${info.project.name}街道民生服务中心`;
  await page.getByLabel('名称').fill(name);
  await page.getByLabel('类型').selectOption({ label: '街道民生服务中心' });
  await page.getByLabel('地址').fill('金凤区某街道 1 号');
  await page.getByLabel('电话').fill('0951-7001234');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('status')).toContainText(`已保存：${name}`);
  await expect(page.getByRole('cell', { name, exact: true })).toBeVisible();
});

test('an admin sees a clear message for a bad phone number and nothing is saved', async ({ page }) => {
  await login(page, 'admin');
  await page.goto('/admin/centers');
  await hydrated(page);
  await page.getByLabel('名称').fill('错误电话中心');
  await page.getByLabel('地址').fill('某地');
  await page.getByLabel('电话').fill('123');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('alert')).toContainText('电话号码格式不正确');
  await expect(page.getByRole('cell', { name: '错误电话中心' })).toHaveCount(0);
});

test('every admin page passes the accessibility check', async ({ page }) => {
  await login(page, 'admin');
  for (const path of ['/admin', '/admin/units', '/admin/windows', '/admin/staff', '/admin/calendar']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectAccessible(page);
  }
});
