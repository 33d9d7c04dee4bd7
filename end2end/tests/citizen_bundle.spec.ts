import { expect, test, type Page } from '@playwright/test';
import { hydrated } from './helpers';

// Issue 14 point 6: a citizen opening a public page on a phone loads the citizen bundle (the app
// without the staff and hall-device pages' code, `scripts/citizen-bundle`), not the full one; a
// staff page reached from there opens with the full bundle.

const CITIZEN_PAGES = ['/', '/guide', '/guide/640106-XK-0001', '/track', '/booking', '/rate'];

/** The wasm files the page asks for while `act` runs, by file name. */
async function wasmLoaded(page: Page, act: () => Promise<void>): Promise<string[]> {
  const names: string[] = [];
  const onRequest = (r: { url(): string }) => {
    if (r.url().endsWith('.wasm')) names.push(r.url().split('/').pop() ?? '');
  };
  page.on('request', onRequest);
  await act();
  page.off('request', onRequest);
  return names;
}

const CITIZEN_WASM = /^chuangkou-citizen\.[0-9a-f]{16}\.wasm$/;
const FULL_WASM = /^chuangkou\.[0-9a-f]{16}\.wasm$/;

for (const path of CITIZEN_PAGES) {
  test(`${path} becomes interactive on the citizen bundle, without the staff pages' code`, async ({ page, request }) => {
    const loaded = await wasmLoaded(page, async () => {
      await page.goto(path);
      await hydrated(page);
    });
    expect(loaded).toHaveLength(1);
    expect(loaded[0]).toMatch(CITIZEN_WASM);

    // The full bundle, as a staff page names it, is more than twice its size.
    const login = await (await request.get('/login')).text();
    const full = login.match(/chuangkou\.[0-9a-f]{16}\.wasm/)?.[0];
    expect(full).toBeTruthy();
    const size = async (name: string) =>
      Number((await request.head(`/pkg/${name}`, { headers: { 'accept-encoding': 'identity' } }))
        .headers()['content-length']);
    expect(await size(loaded[0])).toBeLessThan((await size(full!)) / 2);
  });
}

test('a staff page reached from a citizen page opens with the full bundle, and back returns', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  const loaded = await wasmLoaded(page, async () => {
    await page.getByRole('link', { name: '工作人员登录' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole('heading', { name: '工作人员登录' })).toBeVisible();
    await hydrated(page);
  });
  expect(loaded.some((name) => FULL_WASM.test(name)), loaded.join(', ')).toBe(true);
  await page.getByLabel('工号').fill('clerk01');
  await expect(page.getByLabel('工号')).toHaveValue('clerk01');

  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('link', { name: '办事指南' }).first()).toBeVisible();
});

test('a citizen page followed inside the citizen bundle stays on it', async ({ page }) => {
  await page.goto('/guide/640106-XK-0001');
  await hydrated(page);
  const loaded = await wasmLoaded(page, async () => {
    await page.getByRole('link', { name: /预约办理/ }).first().click();
    await expect(page).toHaveURL(/\/booking/);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  });
  expect(loaded).toEqual([]);
});
