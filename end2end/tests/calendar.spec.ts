import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, login } from './helpers';

test('an admin adds 2027 by hand on the calendar page', async ({ page }, info) => {
  test.skip(info.project.name !== 'tablet', 'an admin task, once');
  await login(page, 'admin');
  await page.goto('/admin/calendar');
  await hydrated(page);
  await expectAccessible(page);
  await page.getByLabel('年份').fill('2027');
  await page.getByLabel('粘贴（每行：日期,holiday 或 workday,名称）').fill(
    ['2027-01-01,holiday,元旦', '2027-02-06,holiday,春节', '2027-02-07,holiday,春节', '2027-02-08,holiday,春节',
      '2027-02-20,workday,春节调休上班'].join('\n'),
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
});
