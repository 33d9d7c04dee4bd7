import { expect, type APIRequestContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const DEMO_PASSWORD = 'chuangkou-demo';

/** The server whose clock starts on Wednesday 2026-03-04 09:30, hall time: the hall is open. */
export const hallURL = `http://127.0.0.1:${process.env.CHUANGKOU_E2E_HALL_PORT ?? 3458}`;

/** Signs in through the login page, as a person would. */
export async function login(page: Page, staffNumber: string) {
  await page.goto('/login');
  await page.getByLabel('工号').fill(staffNumber);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('button', { name: '退出' })).toBeVisible();
}

/** Waits until the wasm bundle has taken over the page (the server-rendered page works before). */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => (window as unknown as { __chuangkou_hydrated?: boolean }).__chuangkou_hydrated === true);
}

/** No serious or critical accessibility violation on the current page. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, bad.join('\n')).toEqual([]);
}

/** A case received at the counter through the API by the signed-in clerk of `request`. */
export async function receiveAtCounter(request: APIRequestContext, item: string, applicant: object, phone: string) {
  const created = await request.post('/api/v1/cases', { data: { item_code: item, applicant, phone, channel: 'counter' } });
  expect(created.status()).toBe(201);
  return created.json();
}
