import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, hydrated, login } from './helpers';

const TOWN = '良田镇民生服务中心';

async function openSlots(page: Page) {
  await login(page, 'admin');
  await page.goto('/admin/slots');
  await hydrated(page);
}

/** Fills the rule form: town center, one weekday, a time range and a capacity. */
async function fillRule(page: Page, rule: { name: string; day: string; start: string; end: string; capacity: string }) {
  await page.getByLabel('服务中心', { exact: true }).selectOption({ label: TOWN });
  await page.getByLabel('时段名称').fill(rule.name);
  await page.getByRole('group', { name: '星期' }).getByLabel(rule.day).check();
  await page.getByLabel('开始时间').fill(rule.start);
  await page.getByLabel('结束时间').fill(rule.end);
  await page.getByLabel('容量（人）').fill(rule.capacity);
}

test.describe('admin after-hours slots', () => {
  test.skip(({ isMobile }) => isMobile, 'an admin task, done on the tablet');

  test('the slots page passes the accessibility check', async ({ page }) => {
    await openSlots(page);
    await expect(page.getByRole('heading', { level: 1, name: '预约时段' })).toBeVisible();
    await expect(page.getByRole('heading', { name: '值班排班' })).toBeVisible();
    await expectAccessible(page);
  });

  test('an admin adds a Saturday evening slot at the town center and sees it listed', async ({ page }) => {
    await openSlots(page);
    // After-hours slots lie outside office hours (the town center opens on Saturday mornings).
    await fillRule(page, { name: '周六晚间便民', day: '周六', start: '18:00', end: '20:00', capacity: '8' });
    await page.getByRole('group', { name: '默认值班人员' }).getByRole('checkbox').first().check();
    await page.getByRole('button', { name: '保存时段' }).click();
    await expect(page.getByRole('status').filter({ hasText: '已保存：周六晚间便民' })).toBeVisible();
    const row = page.getByRole('row').filter({ hasText: '周六晚间便民' });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('cell', { name: TOWN, exact: true })).toBeVisible();
    await expect(row.getByRole('cell', { name: '周六', exact: true })).toBeVisible();
    await expect(row.getByRole('cell', { name: '18:00–20:00', exact: true })).toBeVisible();
    await expect(row.getByRole('cell', { name: '8', exact: true })).toBeVisible();
    await expect(row.getByRole('cell', { name: '启用', exact: true })).toBeVisible();
    // The form is empty again for the next rule.
    await expect(page.getByLabel('时段名称')).toHaveValue('');
  });

  test('a slot that ends before it starts is refused in Chinese and nothing is saved', async ({ page }) => {
    await openSlots(page);
    await fillRule(page, { name: '倒置时段', day: '周日', start: '11:00', end: '09:00', capacity: '5' });
    await page.getByRole('button', { name: '保存时段' }).click();
    await expect(page.getByRole('alert')).toContainText('结束时间须晚于开始时间');
    await page.reload();
    await hydrated(page);
    await expect(page.getByRole('row').filter({ hasText: '倒置时段' })).toHaveCount(0);
  });

  test('every problem of a slot is told at its field at once, and every typed value stays', async ({ page }) => {
    await openSlots(page);
    await fillRule(page, { name: ' ', day: '周日', start: '11:00', end: '09:00', capacity: '900' });
    await page.getByRole('button', { name: '保存时段' }).click();
    const summary = page.getByRole('alert');
    await expect(summary).toContainText('提交未成功');
    await expect(summary.getByRole('link')).toHaveCount(3);
    await expect(page.getByLabel('时段名称')).toHaveAccessibleDescription(/请填写时段名称/);
    await expect(page.getByLabel('结束时间')).toHaveAccessibleDescription(/结束时间须晚于开始时间/);
    await expect(page.getByLabel('容量（人）')).toHaveAccessibleDescription(/须为 1–500/);
    await expect(page.getByLabel('开始时间')).not.toHaveAttribute('aria-invalid');
    await summary.getByRole('link', { name: /结束时间须晚于开始时间/ }).click();
    await expect(page.getByLabel('结束时间')).toBeFocused();
    await expect(page.getByLabel('结束时间')).toHaveValue('09:00');
    await expect(page.getByLabel('容量（人）')).toHaveValue('900');
    await expectAccessible(page);
  });

  test('the duty roster of a date lists its slots and saves a new duty', async ({ page }) => {
    await openSlots(page);
    // The demo district hall has a weekday evening slot (17:00–19:00) with two people on duty.
    // Slots exist only inside the booking window (issue 12): a Tuesday two to eight days ahead.
    const day = new Date();
    day.setDate(day.getDate() + 2);
    while (day.getDay() !== 2) day.setDate(day.getDate() + 1);
    const iso = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
    await page.getByLabel('日期').fill(iso);
    await page.getByLabel('中心', { exact: true }).selectOption({ label: '金凤区政务服务中心' });
    // Until the new day is in, the roster shown is today's (with the same evening slot).
    const title = `${day.getFullYear()}年${day.getMonth() + 1}月${day.getDate()}日（周二） · 金凤区政务服务中心`;
    await expect(page.getByText(title)).toBeVisible();
    const duty = page.getByRole('group', { name: '值班人员 17:00–19:00' });
    await expect(duty).toBeVisible();
    await expect(page.getByText('容量 10 人 · 已约 0 人 · 剩余 10 人')).toBeVisible();
    // The demo roster puts 王晓燕 (clerk01) and 李建军 (clerk02) on that slot; take 李建军 off.
    await expect(duty.getByLabel('王晓燕')).toBeChecked();
    await duty.getByLabel('李建军').uncheck();
    await page.getByRole('button', { name: '保存排班 17:00–19:00' }).click();
    await expect(page.getByRole('status').filter({ hasText: '已保存 17:00–19:00 的排班' })).toBeVisible();
    await expect(page.getByText('值班：王晓燕（未签到）', { exact: true })).toBeVisible();
    await expect(page.getByRole('group', { name: '值班人员 17:00–19:00' }).getByLabel('李建军')).not.toBeChecked();
  });
});
