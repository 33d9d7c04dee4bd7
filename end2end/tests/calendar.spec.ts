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
