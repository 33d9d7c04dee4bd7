import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, login } from './helpers';

test('the clerk previews a promised date computed in the browser', async ({ page }) => {
  await login(page, 'clerk01');
  await page.goto('/clerk');
  await hydrated(page);
  await expectAccessible(page);
  // Accepted Friday 2026-02-13, 1 working day: the make-up Saturday 02-14 counts.
  await page.getByLabel('受理日期').fill('2026-02-13');
  await page.getByLabel('承诺时限（工作日）').fill('1');
  await expect(page.getByTestId('due-preview')).toHaveText('2026年2月14日（周六） 17:00');
  // 20 working days from 2028-12-20 end in 2029, whose holidays nobody has entered: 暂定.
  // (Not 2027: the calendar spec adds 2027 to the same server.)
  await page.getByLabel('受理日期').fill('2028-12-20');
  await page.getByLabel('承诺时限（工作日）').fill('20');
  await expect(page.getByText('暂定', { exact: true })).toBeVisible();
});
