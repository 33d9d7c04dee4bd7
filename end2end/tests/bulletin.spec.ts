import { expect, test, type APIRequestContext } from '@playwright/test';
import { expectAccessible, hallURL, hydrated, login, DEMO_PASSWORD } from './helpers';

/** What a unit's 按时办结 row says: its rate, or that nothing was decided (never 100 % of nothing). */
function onTimeText(unit: { decided: number; on_time_rate: number }): string {
  return unit.decided === 0 ? '本月无办结' : `按时办结率 ${unit.on_time_rate}%`;
}

// 月通报 (issue 13): a month's figures per unit, reached from the supervisor's overview, the same
// figures as the API's, printable on A4; and 附件2 (首问负责制等七项制度), public and printable,
// linked from every page's footer. At both sizes, on the hall server (clock 2026-03-04).
test.use({ baseURL: hallURL });

async function signIn(request: APIRequestContext, staff: string) {
  const r = await request.post('/api/v1/auth/login', { data: { staff_number: staff, password: DEMO_PASSWORD } });
  expect(r.ok()).toBeTruthy();
}

test('a supervisor opens the monthly bulletin from the overview and prints it', async ({ page, playwright }) => {
  // Data: a complaint about the market unit (unit 1), filed this month.
  const boss = await playwright.request.newContext({ baseURL: hallURL });
  await signIn(boss, 'super01');
  const filed = await boss.post('/api/v1/supervision/problems', {
    data: { source: 'complaint', kind: 'conduct', unit_id: 1, description: '群众投诉：窗口工作人员离岗' },
  });
  expect(filed.status()).toBe(201);
  const api = await (await boss.get('/api/v1/supervision/bulletin?month=2026-03&unit_id=1')).json();
  const unit = api.units[0];
  expect(unit.problems).toBeGreaterThan(0);

  // A page's own <style> is refused by the content security policy: the print rules live in
  // the stylesheet (a tester's bulletin printed portrait, its columns cut off).
  const refused: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy/.test(m.text())) refused.push(m.text()); });
  await login(page, 'super01');
  await page.goto('/supervisor/overview');
  await hydrated(page);
  await page.getByRole('link', { name: '月通报' }).click();
  await expect(page.getByRole('heading', { name: /落实情况月通报（2026年3月）/ })).toBeVisible();
  // Every unit: the summary table and the hall's total.
  await expect(page.getByRole('table', { name: '各单位汇总' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '全部单位合计' })).toBeVisible();
  await expectAccessible(page);

  // One unit, chosen in the form (the month typed is kept): its figures are the API's.
  await page.getByLabel('单位', { exact: true }).selectOption({ label: unit.unit_name });
  await page.getByRole('button', { name: '查看' }).click();
  await expect(page).toHaveURL(/unit_id=1/);
  await hydrated(page);
  await expect(page.getByLabel('月份')).toHaveValue('2026-03');
  const block = page.getByRole('article', { name: unit.unit_name });
  await expect(block.getByRole('row', { name: /发现问题/ })).toContainText(`共 ${unit.problems} 件`);
  await expect(block.getByRole('row', { name: /发现问题/ })).toContainText('其他服务问题');
  await expect(block.getByRole('row', { name: /问题整改/ })).toContainText(
    `已销号 ${unit.closed} 项，整改中 ${unit.in_progress} 项，逾期 ${unit.overdue} 项`);
  await expect(block.getByRole('row', { name: /按时办结/ })).toContainText(onTimeText(unit));
  await expect(block.getByRole('row', { name: /好差评/ })).toContainText(
    unit.ratings === 0 ? '本月无评价' : `满意率 ${unit.satisfaction_rate}%`);
  await expect(page.getByRole('table', { name: '各单位汇总' })).toHaveCount(0);
  await expectAccessible(page);

  // On paper: the form, the print button and the site's frame are left out; the figures stay.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: '打印月通报' })).toBeHidden();
  await expect(page.getByLabel('月份')).toBeHidden();
  await expect(page.getByRole('contentinfo')).toBeHidden();
  await expect(block).toBeVisible();
  const sheet = await page.locator('section.bulletin').evaluate((e) => getComputedStyle(e).getPropertyValue('page'));
  expect(sheet).toBe('bulletin'); // @page bulletin: A4 landscape
  await page.emulateMedia({ media: 'screen' });
  expect(refused).toEqual([]);
});

test('a unit\'s chief representative reads their own unit\'s bulletin from the desk, not another\'s', async ({ page, playwright }) => {
  const chief = await playwright.request.newContext({ baseURL: hallURL });
  await signIn(chief, 'chief01');
  const api = await (await chief.get('/api/v1/supervision/bulletin?month=2026-03')).json();
  const own = api.units[0];
  expect(api.units).toHaveLength(1);

  await login(page, 'chief01');
  await page.goto('/chief');
  await hydrated(page);
  await page.getByRole('link', { name: '本单位月通报' }).click();
  await expect(page).toHaveURL(/\/chief\/bulletin$/);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: /落实情况月通报（2026年3月）/ })).toBeVisible();
  const block = page.getByRole('article', { name: own.unit_name });
  await expect(block.getByRole('row', { name: /问题整改/ })).toContainText(
    `已销号 ${own.closed} 项，整改中 ${own.in_progress} 项，逾期 ${own.overdue} 项`);
  await expect(block.getByRole('row', { name: /按时办结/ })).toContainText(onTimeText(own));
  // One unit: no choice of unit, no summary of every unit, the way back to the desk.
  await expect(page.getByLabel('单位', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('table', { name: '各单位汇总' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: '返回首席代表工作台' })).toBeVisible();
  await expectAccessible(page);

  // Another unit's, asked for in the address: the server refuses it and the page says so.
  await page.goto('/chief/bulletin?month=2026-03&unit_id=2');
  await hydrated(page);
  await expect(page.getByRole('alert').filter({ hasText: '只能查看本单位的月通报' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /落实情况月通报/ })).toHaveCount(0);
});

test('the monthly bulletin is for supervisors and chief representatives: a clerk is turned away', async ({ page }) => {
  await login(page, 'clerk01');
  await page.goto('/supervisor/bulletin?month=2026-03');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: '无权访问' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /落实情况月通报/ })).toHaveCount(0);
});

test('anyone reads the seven service systems from the footer and can print them', async ({ page }) => {
  await page.goto('/guide');
  await hydrated(page);
  await page.getByRole('contentinfo').getByRole('link', { name: '金凤区政务服务首问负责制等七项制度' }).click();
  await expect(page).toHaveURL(/\/systems$/);
  await expect(page.getByRole('heading', { level: 1, name: '金凤区政务服务首问负责制等七项制度' })).toBeVisible();
  const systems = ['首问负责制', '一次性告知制', '限时办结制', '延时服务制', '告知承诺制', '问题清单整改销号制',
    '监督考核与责任追究制'];
  const headings = page.getByRole('heading', { level: 2 });
  await expect(headings).toHaveCount(7);
  for (const [i, name] of systems.entries()) await expect(headings.nth(i)).toContainText(name);
  await expect(page.getByText(/本页是金凤区政务服务大厅对本厅服务制度的说明/)).toBeVisible();
  await expectAccessible(page);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: '打印' })).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: '金凤区政务服务首问负责制等七项制度' })).toBeVisible();
});
