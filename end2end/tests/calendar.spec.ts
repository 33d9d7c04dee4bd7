import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, login } from './helpers';

test('an admin adds 2027 by hand on the calendar page', async ({ page, browser }, info) => {
  test.skip(info.project.name !== 'tablet', 'an admin task, once');
  // A clerk's preview reaching into 2027 is provisional (暂定) until 2027 is entered.
  const clerk = await (await browser.newContext({ viewport: { width: 1024, height: 768 }, baseURL: info.project.use.baseURL })).newPage();
  const preview = async () => {
    await clerk.goto('/clerk');
    await hydrated(clerk);
    await clerk.getByLabel('受理日期').fill('2026-12-20');
    await clerk.getByLabel('承诺时限（工作日）').fill('20');
    await expect(clerk.getByTestId('due-preview')).toContainText('2027年');
  };
  await login(clerk, 'clerk01');
  await preview();
  await expect(clerk.getByText('暂定', { exact: true })).toBeVisible();
  await login(page, 'admin');
  await page.goto('/admin/calendar');
  await hydrated(page);
  await expectAccessible(page);
  await page.getByLabel('年份').fill('2027');
  await page.getByLabel('粘贴（每行：日期,放假 或 上班,名称）').fill(
    ['2027-01-01,放假,元旦', '2027-02-06,放假,春节', '2027-02-07,放假,春节', '2027-02-08,放假,春节',
      '2027-02-20,上班,春节调休上班'].join('\n'),
  );
  await page.getByRole('button', { name: '导入粘贴内容' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已导入 5 行' })).toBeVisible();
  // A make-up day on a weekday is refused before anything is sent, with the rule's message.
  await page.getByRole('button', { name: '添加一行' }).click();
  const rows = page.getByRole('row');
  const last = rows.last();
  await last.getByLabel('日期').fill('2027-03-03');
  await last.getByLabel('类型').selectOption({ label: '调休上班' });
  await last.getByLabel('名称').fill('错误的调休');
  await page.getByRole('button', { name: '保存该年度' }).click();
  await expect(page.getByRole('alert')).toContainText('调休');
  await last.getByRole('button', { name: '删除此行' }).click();
  await page.getByRole('button', { name: '保存该年度' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已保存 2027 年' })).toBeVisible();
  await expect(page.getByRole('button', { name: '2027 年' })).toBeVisible();

  // Saving replaces the whole year: one pasted day of this year is refused for a day gone by,
  // and the message, beside the button, says so and how to change only the days to come.
  const year = new Date().getFullYear();
  await page.reload();
  await hydrated(page);
  await page.getByLabel('年份').fill(String(year));
  await page.getByLabel('粘贴（每行：日期,放假 或 上班,名称）').fill(`${year}-12-31,放假,测试假`);
  await page.getByRole('button', { name: '导入粘贴内容' }).click();
  await page.getByRole('button', { name: '保存该年度' }).click();
  const refusal = page.getByRole('alert').filter({ hasText: '载入到右侧编辑' });
  await expect(refusal).toContainText(`替换${year}年全年安排`);
  await expect(refusal).toBeInViewport();

  // The same preview is now final.
  await preview();
  await expect(clerk.getByText('暂定', { exact: true })).toHaveCount(0);
});

test('every problem of the calendar form is told at once, each at its row, and every row is kept', async ({ page }) => {
  await login(page, 'admin');
  await page.goto('/admin/calendar');
  await hydrated(page);
  const year = page.getByLabel('年份');
  await page.getByRole('button', { name: '添加一行' }).click();
  await page.getByRole('button', { name: '添加一行' }).click();
  const rows = page.getByRole('row');
  const blank = rows.nth(-2);
  const weekday = rows.last();
  await blank.getByLabel('名称').fill('清明节');
  await weekday.getByLabel('日期').fill('2027-03-03');
  await weekday.getByLabel('类型').selectOption({ label: '调休上班' });
  await weekday.getByLabel('名称').fill('错误的调休');
  await page.getByRole('button', { name: '保存该年度' }).click();
  // Without a year the rules cannot judge the days: the year and the empty date are told.
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('请填写年份');
  await expect(summary).toContainText('请填写日期');
  await expect(year).toHaveAttribute('aria-invalid', 'true');
  await expect(blank.getByLabel('日期')).toHaveAccessibleDescription(/请填写日期/);

  await year.fill('2027');
  await page.getByRole('button', { name: '保存该年度' }).click();
  await expect(summary).toContainText('请填写日期');
  await expect(summary).toContainText('调休');
  await expect(summary).not.toContainText('请填写年份');
  await expect(year).not.toHaveAttribute('aria-invalid', 'true');
  await expect(blank.getByLabel('日期')).toHaveAccessibleDescription(/请填写日期/);
  await expect(weekday.getByLabel('日期')).toHaveAccessibleDescription(/调休/);
  await summary.getByRole('link', { name: /调休/ }).click();
  await expect(weekday.getByLabel('日期')).toBeFocused();
  await expect(weekday.getByLabel('日期')).toHaveValue('2027-03-03');
  await expect(weekday.getByLabel('名称')).toHaveValue('错误的调休');
  await expect(blank.getByLabel('名称')).toHaveValue('清明节');
  await expectAccessible(page);
});

test('every bad pasted line is told at once at the paste box, and none is taken', async ({ page }) => {
  await login(page, 'admin');
  await page.goto('/admin/calendar');
  await hydrated(page);
  const paste = page.getByLabel('粘贴（每行：日期,放假 或 上班,名称）');
  const text = ['2027-01-01,放假,元旦', '2027-13-01,放假,坏日期', '2027-02-06,休息,坏类型'].join('\n');
  await paste.fill(text);
  await page.getByRole('button', { name: '导入粘贴内容' }).click();
  await expect(paste).toHaveAccessibleDescription(/第 2 行日期无效.*第 3 行类型无效/);
  await expect(paste).toHaveValue(text);
  await expect(page.getByRole('row')).toHaveCount(1);
});
