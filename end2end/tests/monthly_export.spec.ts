import { expect, test } from '@playwright/test';
import { expectAccessible, hallURL, hydrated, login, DEMO_PASSWORD } from './helpers';

// Issue 13, "a long export shows progress": the monthly report's XLSX is made in the background;
// the page shows the job's progress bar and sentence, then the file to download. At both sizes,
// on the hall server (clock 2026-03-04).
test.use({ baseURL: hallURL });

test('a supervisor exports the monthly report and sees its progress, then downloads the file', async ({ page, playwright }) => {
  // Data: a complaint about the market unit, filed this month; the figures the API gives.
  const boss = await playwright.request.newContext({ baseURL: hallURL });
  const signedIn = await boss.post('/api/v1/auth/login', { data: { staff_number: 'super01', password: DEMO_PASSWORD } });
  expect(signedIn.ok()).toBeTruthy();
  const filed = await boss.post('/api/v1/supervision/problems', {
    data: { source: 'complaint', kind: 'conduct', unit_id: 1, description: '群众投诉：导出前登记的问题' },
  });
  expect(filed.status()).toBe(201);
  const report = await (await boss.get('/api/v1/supervision/monthly?month=2026-03')).json();
  const items = report.rows.length;
  expect(items).toBeGreaterThan(0);

  await login(page, 'super01');
  await page.goto('/supervisor/monthly?month=2026-03');
  await hydrated(page);
  await page.getByRole('button', { name: '导出 Excel（XLSX）' }).click();
  const bar = page.getByRole('progressbar', { name: '导出进度' });
  await expect(bar).toBeVisible();
  await expect(page.getByText(`导出完成：共 ${items} 项，可以下载。`)).toBeVisible();
  await expect(bar).toHaveAttribute('value', '100');
  await expectAccessible(page);

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: '下载 Excel（XLSX）' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('整改清单月报表-2026-03.xlsx');

  // On paper the export is left out; the report stays.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: '导出 Excel（XLSX）' })).toBeHidden();
  await expect(bar).toBeHidden();
  await expect(page.getByRole('columnheader', { name: '整改情况' })).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
});
