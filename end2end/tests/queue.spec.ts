import { expect, test } from '@playwright/test';
import { expectAccessible, hallURL, hydrated, login } from './helpers';

// The hall during business hours: the server started with a demo clock on a working-day morning.
test.use({ baseURL: hallURL });
test.skip(({ viewport }) => (viewport?.width ?? 0) < 500, 'the kiosk, the TV and the window are tablets or larger');

test('a citizen takes a ticket, a clerk calls the next ticket and the display shows it', async ({ browser }) => {
  const tablet = { viewport: { width: 1024, height: 768 }, baseURL: hallURL };

  // The kiosk by the door.
  const kiosk = await (await browser.newContext(tablet)).newPage();
  await kiosk.goto('/kiosk?center=1');
  await expectAccessible(kiosk);
  await kiosk.getByRole('button', { name: /市场监管业务/ }).click();
  const number = (await kiosk.locator('#ticket-number').textContent())?.trim() ?? '';
  expect(number).toMatch(/^A\d{3}$/);
  await expect(kiosk.getByRole('status')).toBeVisible();
  await expectAccessible(kiosk);

  // The hall's TV, live.
  const display = await (await browser.newContext({ viewport: { width: 1280, height: 720 }, baseURL: hallURL })).newPage();
  await display.goto('/display?center=1');
  await hydrated(display);
  await expectAccessible(display);

  // The window.
  const clerk = await (await browser.newContext(tablet)).newPage();
  await login(clerk, 'clerk01');
  await clerk.goto('/clerk/queue?window=1');
  await hydrated(clerk);
  await expectAccessible(clerk);
  await clerk.getByRole('button', { name: '叫下一位' }).click();
  const current = clerk.getByRole('region', { name: '当前号码' });
  await expect(current).toContainText(/A\d{3}/);
  const called = (await current.textContent())?.match(/A\d{3}/)?.[0];

  // The display follows within seconds, without a reload.
  await expect(display.getByTestId('display-number')).toHaveText(called!);
  await expect(display.getByText('请到 A01 号窗口')).toBeVisible();

  // This server's hall has no other tickets: the call was the kiosk's, and its page follows too.
  expect(called).toBe(number);
  await expect(kiosk.getByRole('status')).toContainText('请到 A01 号窗口');
});

test('the queue panel opens at the window this tablet chose last', async ({ page }) => {
  // clerk01 works at A01 and A02; sitting at A02, the panel opened at A01 every time and the
  // first 叫下一位 called a citizen to the wrong window.
  await login(page, 'clerk01');
  await page.goto('/clerk/queue');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('A01 号窗口');
  await page.getByLabel('窗口', { exact: true }).selectOption('2');
  await expect(page).toHaveURL(/window=2/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('A02 号窗口');
  await page.goto('/clerk');
  await hydrated(page);
  await page.goto('/clerk/queue');
  await hydrated(page);
  await expect(page).toHaveURL(/window=2/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('A02 号窗口');
  await expectAccessible(page);
});
