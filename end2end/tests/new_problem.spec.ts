import { expect, test } from '@playwright/test';
import { expectAccessible, hallURL, hydrated, login, DEMO_PASSWORD } from './helpers';

// Issue 13: a supervisor on a mystery visit files the problem on the phone with the photo taken
// there; it opens its rectification item, and the photo is on the problem's page. Both sizes.
test.use({ baseURL: hallURL });

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64');

test('a supervisor files a problem from a mystery visit with a photo', async ({ page, playwright }) => {
  const boss = await playwright.request.newContext({ baseURL: hallURL });
  const signedIn = await boss.post('/api/v1/auth/login', { data: { staff_number: 'super01', password: DEMO_PASSWORD } });
  expect(signedIn.ok()).toBeTruthy();
  const units = (await (await boss.get('/api/v1/units')).json()).items;
  const market = units.find((u: { id: number }) => u.id === 1);

  await login(page, 'super01');
  await page.goto('/supervisor/overview');
  await hydrated(page);
  await page.getByRole('link', { name: '登记问题' }).click();
  await expect(page).toHaveURL(/\/supervisor\/new-problem$/);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: '登记问题' })).toBeVisible();
  await expectAccessible(page);

  const description = `明察暗访：窗口人员未一次性告知所需材料（${test.info().project.name}）`;
  await page.getByLabel('问题来源').selectOption({ label: '明察暗访' });
  await page.getByLabel('责任单位').selectOption({ label: market.name });
  await page.getByLabel('问题描述').fill(description);
  await page.getByLabel(/照片或文件/).setInputFiles({ name: 'visit.png', mimeType: 'image/png', buffer: PNG });
  await page.getByRole('button', { name: '登记问题' }).click();

  await expect(page).toHaveURL(/\/supervisor\/problems\/\d+$/);
  await expect(page.getByText(description)).toBeVisible();
  await expect(page.getByRole('link', { name: 'visit.png' })).toBeVisible();
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  const problem = await (await boss.get(`/api/v1/supervision/problems/${id}`)).json();
  expect(problem.source).toBe('mystery_visit');
  expect(problem.unit_id).toBe(1);
  expect(problem.files).toHaveLength(1);
  expect(problem.rectification_id).toBeTruthy();
  await expectAccessible(page);
});
