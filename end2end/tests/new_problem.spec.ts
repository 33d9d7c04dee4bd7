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

  // Sent empty: the unit and the description are both asked for at once, at their fields
  // (the form told one at a time, and "没有这个单位" for a unit not chosen).
  await page.getByRole('button', { name: '登记问题' }).click();
  await expect(page.locator('#unit-error')).toContainText('请选择责任单位');
  await expect(page.locator('#description-error')).toContainText('请填写问题描述');
  await expect(page.getByLabel('责任单位')).toHaveAttribute('aria-invalid', 'true');

  const description = `明察暗访：窗口人员未一次性告知所需材料（${test.info().project.name}）`;
  await page.getByLabel('问题来源').selectOption({ label: '明察暗访' });
  await page.getByLabel('责任单位').selectOption({ label: market.name });
  // The person and the window concerned, offered from the unit chosen.
  await page.getByLabel(/责任人/).selectOption({ label: '王晓燕（clerk01）' });
  await page.getByLabel(/^窗口/).selectOption({ index: 1 });
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
  expect(problem.staff_name).toBe('王晓燕');
  expect(problem.window_id).toBeTruthy();
  expect(problem.files).toHaveLength(1);
  expect(problem.rectification_id).toBeTruthy();
  await expectAccessible(page);
});

// A tester attached a text file: the page said the file was refused, yet the problem had been
// filed, and each new try filed it again (three items in the monthly report for one). A file
// of the wrong kind now files nothing; a file the server refuses after the problem is filed
// leaves one problem, and sending again only attaches the file.
test('a refused file never files the problem twice and the form keeps what was typed', async ({ page, playwright }) => {
  const boss = await playwright.request.newContext({ baseURL: hallURL });
  await boss.post('/api/v1/auth/login', { data: { staff_number: 'super01', password: DEMO_PASSWORD } });
  const description = `视频监控：窗口空岗（${test.info().project.name}）`;
  // Newest first: the page of the latest problems holds every one this test files.
  const count = async () => (await (await boss.get('/api/v1/supervision/problems')).json())
    .filter((p: { description: string }) => p.description === description).length;
  const before = await count();

  await login(page, 'super01');
  await page.goto('/supervisor/new-problem');
  await hydrated(page);
  await page.getByLabel('责任单位').selectOption({ index: 1 });
  await page.getByLabel('问题描述').fill(description);
  const evidence = page.getByLabel(/照片或文件/);
  await evidence.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('x') });
  await page.getByRole('button', { name: '登记问题' }).click();
  await expect(evidence).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#evidence-error')).toContainText('只能上传 JPEG、PNG 照片或 PDF 文件');
  await expect(page.getByLabel('问题描述')).toHaveValue(description);
  expect(await count()).toBe(before);
  await expectAccessible(page);

  // Declared a PNG, but not one: the server refuses the bytes after the problem is filed.
  await evidence.setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not a png') });
  await page.getByRole('button', { name: '登记问题' }).click();
  await expect(page.locator('#evidence-error')).toContainText('问题已登记');
  await expect(page.getByRole('status')).toContainText('问题已登记');
  // The summary does not say the submission failed: the problem is on file.
  await expect(page.getByRole('alert').filter({ hasText: '已登记，但有以下问题' })).toBeVisible();
  await expect(page.getByText('提交未成功')).toHaveCount(0);
  expect(await count()).toBe(before + 1);

  await evidence.setInputFiles({ name: 'visit.png', mimeType: 'image/png', buffer: PNG });
  await page.getByRole('button', { name: '登记问题' }).click();
  await expect(page).toHaveURL(/\/supervisor\/problems\/\d+$/);
  await expect(page.getByRole('link', { name: 'visit.png' })).toBeVisible();
  expect(await count()).toBe(before + 1);
});

// A tap on 登记问题 before the page's script ran (a slow network) reloaded the page and threw
// away the description; the button waits for the script, so nothing typed is lost to it.
test('the problem form cannot be sent before the page can send it', async ({ browser }, info) => {
  const ctx = await browser.newContext({ ...info.project.use, baseURL: hallURL, javaScriptEnabled: false });
  const page = await ctx.newPage();
  const signedIn = await page.request.post('/api/v1/auth/login', { data: { staff_number: 'super01', password: DEMO_PASSWORD } });
  expect(signedIn.ok()).toBeTruthy();
  await page.goto('/supervisor/new-problem');
  await expect(page.getByRole('button', { name: '登记问题' })).toBeDisabled();
  await ctx.close();
});
