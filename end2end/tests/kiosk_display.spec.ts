import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, hallURL, hydrated, login } from './helpers';

// Issue 14, the hall's devices: the kiosk by the door and the call display, at both sizes.
// On the hall server (its clock starts on a working-day morning: the hall is open). Tickets are
// taken in queue B so that the queue spec (queue A, "no other tickets") is not disturbed.
test.use({ baseURL: hallURL });

/** A picture of the page for the test's output (looked at by a person, not compared). */
async function picture(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

/** Every button and link on the page is at least `min` px in both directions. */
async function expectLargeTargets(page: Page, min: number) {
  const small: string[] = [];
  for (const target of await page.getByRole('button').or(page.getByRole('link')).all()) {
    if (!(await target.isVisible())) continue;
    const box = await target.boundingBox();
    if (box && (box.width < min || box.height < min)) {
      small.push(`${(await target.textContent())?.trim()} ${box.width}×${box.height}`);
    }
  }
  expect(small, small.join('\n')).toEqual([]);
}

/** No site header, navigation, staff login or footer. */
async function expectNoSiteFrame(page: Page) {
  await expect(page.getByRole('banner')).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: '主导航' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: '工作人员登录' })).toHaveCount(0);
  await expect(page.getByRole('contentinfo')).toHaveCount(0);
}

/** Takes a ticket of queue B at the kiosk; the page then shows the ticket. */
async function takeTicket(page: Page) {
  await page.getByRole('button', { name: /人社业务/ }).click();
  await expect(page.getByRole('article')).toHaveAccessibleName(/^B\d{3}$/);
}

test.describe('point 12: kiosk mode', () => {
  test('the kiosk shows no site header and no staff login, and every control is large', async ({ page }, info) => {
    await page.goto('/kiosk?center=1');
    await expect(page.getByRole('heading', { name: '请选择要办理的业务，取号' })).toBeVisible();
    await expectNoSiteFrame(page);
    await expectLargeTargets(page, 64);
    await expectAccessible(page);
    await picture(page, `kiosk-start-${info.project.name}`);

    await takeTicket(page);
    await expectNoSiteFrame(page);
    await expect(page.getByRole('button', { name: '打印号票' })).toBeVisible();
    await expectLargeTargets(page, 64);
    await expectAccessible(page);
    await picture(page, `kiosk-ticket-${info.project.name}`);
  });

  test('after 60 s without a touch the ticket screen goes back to the start screen, and a touch restarts the minute', async ({ page }) => {
    await page.clock.install();
    await page.goto('/kiosk?center=1');
    await takeTicket(page);
    await hydrated(page);
    const slip = page.getByRole('article');
    await expect(page.getByText('60 秒无人操作')).toBeVisible();

    await page.clock.fastForward(50_000);
    await expect(slip).toBeVisible();
    // A touch: the minute starts again.
    await slip.tap();
    await page.clock.fastForward(50_000);
    await expect(slip).toBeVisible();
    await page.clock.fastForward(11_000);
    await expect(page).toHaveURL(/\/kiosk\?center=1$/);
    await expect(page.getByRole('heading', { name: '请选择要办理的业务，取号' })).toBeVisible();
  });

  test('once the ticket is printed the kiosk goes back to its start screen; a timeout set on the kiosk is kept', async ({ page }) => {
    // The kiosk's printer: printing ends at once.
    await page.addInitScript(() => {
      window.print = () => {
        window.dispatchEvent(new Event('beforeprint'));
        window.dispatchEvent(new Event('afterprint'));
      };
    });
    await page.clock.install();
    await page.goto('/kiosk?center=1&idle=15');
    await takeTicket(page);
    expect(page.url()).toContain('idle=15');
    await hydrated(page);
    await page.getByRole('button', { name: '打印号票' }).click();
    await expect(page).toHaveURL(/\/kiosk\?center=1&idle=15$/);

    // The shorter timeout of this kiosk, on the next ticket.
    await takeTicket(page);
    await hydrated(page);
    await expect(page.getByText('15 秒无人操作')).toBeVisible();
    await page.clock.fastForward(16_000);
    await expect(page).toHaveURL(/\/kiosk\?center=1&idle=15$/);
  });
});

test.describe('point 12: the call display', () => {
  test('the call display fills the screen with no header and no control on it', async ({ page }, info) => {
    await page.goto('/display?center=1');
    await hydrated(page);
    await expect(page.getByRole('heading', { level: 1, name: /叫号/ })).toBeVisible();
    await expectNoSiteFrame(page);
    await expect(page.getByRole('button')).toHaveCount(0);
    await expect(page.getByRole('link')).toHaveCount(0);
    const board = await page.getByRole('main').boundingBox();
    expect(board!.height).toBeGreaterThanOrEqual(page.viewportSize()!.height);
    await expectAccessible(page);
    await picture(page, `display-${info.project.name}`);
  });
});

test.describe('point 2: the hall is closed', () => {
  test('after the day is closed, the kiosk and the display say when tickets can next be taken and show a QR code to the booking page', async ({ page, browser }, info) => {
    test.slow();
    // The town center of the hall server: closing its day disturbs no other spec.
    const centers = (await (await page.request.get('/api/v1/public/centers')).json()).centers;
    const town = centers.find((c: { name: string }) => c.name === '良田镇民生服务中心').id as number;
    const admin = await (await browser.newContext({ baseURL: hallURL })).newPage();
    await login(admin, 'admin');
    expect((await admin.request.post('/api/v1/queue/close-day', { data: { center_id: town } })).status()).toBe(204);
    try {
      const qr = await (await page.request.get(`/api/v1/public/booking-qr?center=${town}`)).json();
      expect(qr.url).toBe(`${hallURL}/booking?center=${town}`);
      expect(qr.svg).toMatch(/^<svg[\s\S]*<\/svg>$/);

      const closed = page.getByRole('region', { name: '现在不能取号' });
      const code = closed.getByRole('img', { name: '预约办理页面的二维码' });
      await page.goto(`/kiosk?center=${town}`);
      await expect(closed).toContainText('下次开放取号：');
      await expect(code).toBeVisible();
      expect((await code.boundingBox())!.width).toBeGreaterThanOrEqual(150);
      // The booking page by its code only: a link would leave the kiosk on the public site, its
      // header and staff login, where a tester's tap stranded it.
      await expect(closed.getByRole('link')).toHaveCount(0);
      await expect(closed).toContainText('可用手机扫描二维码预约延时服务');
      await expectAccessible(page);
      await picture(page, `kiosk-closed-${info.project.name}`);

      await page.goto(`/display?center=${town}`);
      await hydrated(page);
      await expect(closed).toContainText('下次开放取号：');
      await expect(code).toBeVisible();
      // Nobody taps a TV: the code, no link.
      await expect(page.getByRole('link')).toHaveCount(0);
      await expectAccessible(page);
      await picture(page, `display-closed-${info.project.name}`);
    } finally {
      await admin.request.post('/api/v1/queue/reopen-day', { data: { center_id: town } });
    }
  });
});
