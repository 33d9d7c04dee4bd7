import { expect, test, type Page } from '@playwright/test';
import { login } from './helpers';

// Server rendering and the browser must create the same resources in the same order, or the
// browser reads another resource's data and hydration panics. Whether it went wrong used to depend
// on timing (one load in a few of the slot admin page failed), so each page is loaded several
// times and every load must hydrate with no error in the console.
const PAGES: Array<{ who: string | null; path: string; loads: number }> = [
  // The busiest pages (several resources, nested Suspense) get the most loads.
  { who: 'admin', path: '/admin/slots', loads: 8 },
  { who: 'admin', path: '/admin/catalog', loads: 8 },
  { who: 'admin', path: '/admin/staff', loads: 8 },
  { who: 'chief01', path: '/chief', loads: 8 },
  { who: 'clerk01', path: '/clerk', loads: 8 },
  { who: 'clerk01', path: '/clerk/queue', loads: 8 },
  { who: 'clerk01', path: '/clerk/appointments', loads: 8 },
  { who: 'super01', path: '/supervisor', loads: 8 },
  { who: 'admin', path: '/admin/calendar', loads: 4 },
  { who: 'admin', path: '/admin/units', loads: 4 },
  { who: 'admin', path: '/admin/windows', loads: 4 },
  { who: 'admin', path: '/admin/centers', loads: 4 },
  { who: 'clerk01', path: '/clerk/inquiries', loads: 4 },
  { who: 'clerk01', path: '/clerk/receive', loads: 4 },
  { who: null, path: '/booking?center=1', loads: 4 },
  { who: null, path: '/kiosk?center=1', loads: 4 },
  { who: null, path: '/display?center=1', loads: 4 },
  { who: null, path: '/guide', loads: 4 },
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

  for (const { who, path, loads } of PAGES) {
    test(`${path} hydrates without error on every one of ${loads} loads${who ? ` (${who})` : ''}`, async ({ page }) => {
      if (who) await login(page, who);
      for (let load = 1; load <= loads; load++) {
        const errors = await loadsCleanly(page, path);
        expect(errors, `load ${load} of ${path}:\n${errors.join('\n')}`).toEqual([]);
      }
    });
  }
});
