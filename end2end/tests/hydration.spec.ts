import { expect, test, type Page } from '@playwright/test';
import { login } from './helpers';

// Server rendering and the browser must create the same resources in the same order, or the
// browser reads another resource's data and hydration panics. Whether it went wrong used to depend
// on timing (one load in a few of the slot admin page failed), so each page is loaded several
// times and every load must hydrate with no error in the console.
const LOADS = 8;

const PAGES: Array<{ who: string | null; path: string }> = [
  { who: 'admin', path: '/admin/slots' },
  { who: 'admin', path: '/admin/catalog' },
  { who: 'admin', path: '/admin/staff' },
  { who: 'chief01', path: '/chief' },
  { who: 'clerk01', path: '/clerk' },
  { who: 'clerk01', path: '/clerk/queue' },
  { who: 'clerk01', path: '/clerk/appointments' },
  { who: 'super01', path: '/supervisor' },
  { who: null, path: '/booking?center=1' },
  { who: null, path: '/kiosk?center=1' },
];

async function loadsCleanly(page: Page, path: string): Promise<string[]> {
  const errors: string[] = [];
  const onConsole = (m: { type(): string; text(): string }) => {
    if (m.type() === 'error') errors.push(m.text().split('\n')[0]);
  };
  const onError = (e: Error) => errors.push(e.message);
  page.on('console', onConsole);
  page.on('pageerror', onError);
  await page.goto(path);
  const hydrated = await page
    .waitForFunction(() => (window as unknown as { __chuangkou_hydrated?: boolean }).__chuangkou_hydrated === true, null, { timeout: 20_000 })
    .then(() => true, () => false);
  page.off('console', onConsole);
  page.off('pageerror', onError);
  if (!hydrated) errors.push('the page never became interactive');
  return errors;
}

test.describe('hydration', () => {
  test.skip(({ isMobile }) => isMobile, 'the same bundle at both sizes; once is enough');

  for (const { who, path } of PAGES) {
    test(`${path} hydrates without error on every one of ${LOADS} loads${who ? ` (${who})` : ''}`, async ({ page }) => {
      if (who) await login(page, who);
      for (let load = 1; load <= LOADS; load++) {
        const errors = await loadsCleanly(page, path);
        expect(errors, `load ${load} of ${path}:\n${errors.join('\n')}`).toEqual([]);
      }
    });
  }
});
