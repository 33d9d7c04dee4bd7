import { expect, test } from '@playwright/test';
import { expectAccessible, hallURL, hydrated, login, DEMO_PASSWORD } from './helpers';

// Issue 13, 季考核/年评定: each unit's score with the line of the formula behind every point, reached
// from the supervisor's overview; the same figures as the API's. At both sizes, on the hall server.
test.use({ baseURL: hallURL });

test('a supervisor reads each unit\'s score and its breakdown from the overview', async ({ page, playwright }) => {
  const boss = await playwright.request.newContext({ baseURL: hallURL });
  const signedIn = await boss.post('/api/v1/auth/login', { data: { staff_number: 'super01', password: DEMO_PASSWORD } });
  expect(signedIn.ok()).toBeTruthy();
  const rows = await (await boss.get('/api/v1/supervision/scores?level=unit')).json();
  const market = rows.find((r: { id: number }) => r.id === 1);
  // The four systems (首问负责 too), 好差评 and 整改销号.
  expect(market.breakdown.lines).toHaveLength(6);

  await login(page, 'super01');
  await page.goto('/supervisor/overview');
  await hydrated(page);
  await page.getByRole('link', { name: '季考核/年评定' }).click();
  await expect(page).toHaveURL(/\/supervisor\/scores$/);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: '季考核与年评定' })).toBeVisible();
  const card = page.getByRole('article', { name: new RegExp(market.name) });
  // A unit with nothing to count in the period is not scored (its 100 would outrank working units).
  await expect(card.getByRole('heading', { level: 2 })).toContainText(
    market.breakdown.assessed ? `${market.breakdown.total} 分` : '本期无可考核业务，不评分');
  for (const line of market.breakdown.lines) {
    const row = card.getByRole('row', { name: new RegExp(line.label_zh) });
    await expect(row).toContainText(`${line.points} / ${line.weight}`);
    if (!line.assessed) await expect(row).toContainText('本期无此项业务（按满分计）');
  }
  await expectAccessible(page);

  // People instead of units, for the year.
  await page.getByLabel('考核对象').selectOption({ label: '人员' });
  await page.getByLabel(/考核期/).fill('2026');
  await page.getByRole('button', { name: '查看' }).click();
  await expect(page).toHaveURL(/level=staff/);
  await hydrated(page);
  const people = await (await boss.get('/api/v1/supervision/scores?level=staff&period=2026')).json();
  await expect(page.getByRole('article').first()).toContainText(people[0].name);
  await expectAccessible(page);

  // Windows too (per unit, window and person; `level=window` was refused).
  await page.getByLabel('考核对象').selectOption({ label: '窗口' });
  await page.getByRole('button', { name: '查看' }).click();
  await expect(page).toHaveURL(/level=window/);
  await hydrated(page);
  const windows = await (await boss.get('/api/v1/supervision/scores?level=window&period=2026')).json();
  expect(windows.length).toBeGreaterThan(0);
  await expect(page.getByRole('article', { name: new RegExp(windows[0].name) })).toBeVisible();
  await expect(page.getByLabel('考核对象')).toHaveValue('window');
  await expectAccessible(page);

  // A period the formula does not know: the server's message.
  await page.goto('/supervisor/scores?period=2026Q5');
  await hydrated(page);
  await expect(page.getByRole('alert').filter({ hasText: '考核期格式应为 2026Q1 或 2026' })).toBeVisible();
});

test('a bar of the overview\'s ratings chart opens the ratings of its level', async ({ page }) => {
  await login(page, 'super01');
  await page.goto('/supervisor/overview');
  await hydrated(page);
  const chart = page.getByRole('figure', { name: '本月好差评' });
  await chart.getByRole('link', { name: /^非常满意：/ }).click();
  await expect(page).toHaveURL(/\/supervisor\/ratings\?level=very_satisfied$/);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: '好差评：非常满意' })).toBeVisible();
  await expect(page.getByRole('link', { name: '返回总览' })).toBeVisible();
  await expectAccessible(page);
});
