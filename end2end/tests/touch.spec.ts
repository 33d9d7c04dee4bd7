import { expect, test, type Page } from '@playwright/test';
import { hallURL, hydrated, login } from './helpers';

// Issue 14 point 9 (touch): on every page, as every role, at both sizes — every tap target at least
// 44×44 px on the phone, the phone's header at most 64 px tall, and no page scrolling sideways.
// On the hall server, whose hall is open (the kiosk shows its buttons, the queue panel its calls).
test.use({ baseURL: hallURL });

const FOOD_CODE = '640106-XK-0001';

const PAGES: Array<{ who: string | null; paths: string[] }> = [
  {
    who: null,
    paths: ['/', '/guide', `/guide/${FOOD_CODE}`, `/guide/${FOOD_CODE}/notice`, '/track', '/booking',
      '/booking?center=1', '/booking/view', '/login', '/kiosk?center=1', '/display?center=1', '/systems'],
  },
  {
    who: 'clerk01',
    paths: ['/clerk', '/clerk/receive', '/clerk/inquiries', '/clerk/queue', '/clerk/appointments'],
  },
  { who: 'chief01', paths: ['/chief', '/chief/bulletin?month=2026-03'] },
  {
    who: 'super01',
    paths: ['/supervisor', '/supervisor/overview', '/supervisor/problems', '/supervisor/rectifications',
      '/supervisor/monthly', '/supervisor/patrol', '/supervisor/decided?day=2026-03-04',
      '/supervisor/bulletin?month=2026-03', '/supervisor/scores', '/supervisor/ratings?level=satisfied',
      '/supervisor/new-problem'],
  },
  {
    who: 'admin',
    paths: ['/admin', '/admin/centers', '/admin/units', '/admin/windows', '/admin/staff', '/admin/catalog',
      '/admin/calendar', '/admin/slots'],
  },
];

/** What a person can tap that is smaller than 44×44 (a box and a label count together). */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = 'a[href], button, input, select, textarea, summary, [role="button"], [role="link"]';
    const small: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      if (el.closest('[hidden], [aria-hidden="true"], .sr-only')) continue;
      let rect = el.getBoundingClientRect();
      // A box or a radio inside its label: the label is what is tapped.
      const label = el.closest('label');
      if (label && el instanceof HTMLInputElement) rect = label.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      // Off screen until focused (the skip link).
      if (rect.right <= 0 || rect.bottom <= 0) continue;
      if (parseFloat(style.opacity) === 0 && !label) continue;
      if (rect.width < 43.5 || rect.height < 43.5) {
        const name = (el.getAttribute('aria-label') ?? el.textContent ?? el.getAttribute('name') ?? '').trim();
        small.push(`${el.tagName.toLowerCase()} "${name.slice(0, 30)}" ${Math.round(rect.width)}×${Math.round(rect.height)}`);
      }
    }
    return small;
  });
}

/** How far the page scrolls sideways (0 when it does not). */
async function sideways(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

for (const { who, paths } of PAGES) {
  test(`every page of ${who ?? 'citizens'} fits the screen and is made for fingers`, async ({ page }, info) => {
    test.slow();
    if (who) await login(page, who);
    const phone = info.project.name === 'phone';
    const problems: string[] = [];
    for (const path of paths) {
      await page.goto(path);
      await hydrated(page);
      const name = `${who ?? 'public'}${path.replace(/[^a-z0-9]+/gi, '-')}-${info.project.name}`;
      await page.screenshot({ path: info.outputPath(`${name}.png`) });
      const over = await sideways(page);
      if (over > 0) problems.push(`${path}: scrolls sideways by ${over} px`);
      if (phone) {
        const header = page.getByRole('banner');
        if (await header.count()) {
          const height = (await header.boundingBox())!.height;
          if (height > 64) problems.push(`${path}: the header is ${height} px tall`);
        }
        for (const s of await smallTargets(page)) problems.push(`${path}: ${s}`);
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });
}

test("on a phone the clerk's cases are a list of cards, not a table", async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'the tablet keeps the table');
  await login(page, 'clerk01');
  // A case of clerk01's, so that the list is not empty.
  const created = await page.request.post('/api/v1/cases', {
    data: {
      item_code: FOOD_CODE,
      applicant: { kind: 'company', name: '银川金味餐饮有限公司', id_number: '91350100M000100Y43' },
      phone: '13995090001',
      channel: 'counter',
    },
  });
  expect(created.status()).toBe(201);
  const number = (await created.json()).summary.number as string;
  await page.goto('/clerk');
  await hydrated(page);
  const mine = page.getByRole('region', { name: '我的办件（按紧急程度）' });
  await expect(mine.getByRole('table')).toHaveCount(0);
  const card = mine.getByRole('listitem').filter({ hasText: number });
  await expect(card).toBeVisible();
  await expect(card.getByRole('link', { name: new RegExp(`办理 ${number}`) })).toBeVisible();
  expect(await sideways(page)).toBe(0);
});
