import { expect, test, type Browser, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORD, expectAccessible, hallURL, hydrated, login, receiveAtCounter } from './helpers';

// Issue 13 (好差评): the rating code reaches the citizen. The window's clerk finishes a ticket and
// a 服务评价 slip shows the code and the rating page's QR code; the citizen types the code on a
// phone and rates. The slip names what it rates and survives a reload of the panel. A delivered
// case's page and its printed decision carry the code too (a kept appointment's slip:
// appointment_slip.spec.ts).

const TABLET = { width: 1024, height: 768 };
const PHONE = { width: 390, height: 844 };
const SHOTS = process.env.RATING_SHOTS;
/** Numbered reasons of a denial that bring its applicant's copy to the foot of the first A4
 * sheet just where the rating slip begins (found by printing 1 to 10 of them: 2 to 4 do). */
const DENIAL_PARAGRAPHS = 3;

/** Saves a screenshot of `page` at both sizes when `RATING_SHOTS` names a directory. */
async function shots(page: Page, name: string) {
  if (!SHOTS) return;
  const size = page.viewportSize();
  for (const [label, viewport] of [['tablet', TABLET], ['phone', PHONE]] as const) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}/${label}_${name}.png`, fullPage: true });
  }
  if (size) await page.setViewportSize(size);
}

/** The page as Chromium prints it on A4, as the text of each sheet (pdftotext, from poppler). */
async function printedPages(page: Page): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'chuangkou-print-'));
  try {
    const file = join(dir, 'printed.pdf');
    writeFileSync(file, await page.pdf({ preferCSSPageSize: true }));
    if (SHOTS) writeFileSync(`${SHOTS}/printed.pdf`, await page.pdf({ preferCSSPageSize: true }));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    return text.split('\f').filter((sheet) => sheet.trim() !== '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A case received at the counter by the signed-in clerk, through the API. */
async function phonePage(browser: Browser, baseURL: string) {
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, baseURL, locale: 'zh-CN' });
  return context.newPage();
}

/**
 * Serves whatever the window has now, then calls the next citizen and serves them. The board has
 * loaded once its 当前号码 is shown; each step is awaited before the next is looked for, so a
 * ticket an earlier test left called or in service is finished first.
 */
async function serveNext(clerk: Page) {
  const current = clerk.getByRole('region', { name: '当前号码' });
  const start = current.getByRole('button', { name: '开始办理', exact: true });
  const finish = current.getByRole('button', { name: '办结', exact: true });
  await expect(current).toBeVisible();
  // A clerk holds one ticket at a time: one an earlier test left at another window is finished
  // there first (the panel links to it).
  const back = current.getByRole('link', { name: /^回到 .+ 号窗口$/ });
  if (await back.isVisible()) {
    const here = clerk.url();
    await back.click();
    await hydrated(clerk);
    await expect(finish.or(start)).toBeVisible();
    if (await start.isVisible()) await start.click();
    await finish.click();
    await expect(finish).toBeHidden();
    await clerk.goto(here);
    await hydrated(clerk);
    await expect(current).toBeVisible();
  }
  if (await start.isVisible()) {
    await start.click();
    await expect(finish).toBeVisible();
  }
  if (await finish.isVisible()) {
    await finish.click();
    await expect(finish).toBeHidden();
  }
  await clerk.getByRole('button', { name: '叫下一位' }).click();
  await start.click();
  await finish.click();
  await expect(finish).toBeHidden();
}

test('a clerk finishes a ticket, the slip shows the code, the citizen types it on a phone and rates', async ({ browser, request }, info) => {
  test.skip(info.project.name !== 'tablet', 'one run drives the tablet and the phone itself');
  // A citizen takes a ticket at the kiosk of the open hall.
  const taken = await request.post(`${hallURL}/api/v1/public/queue-tickets`, { data: { center_id: 1, queue_id: 1 } });
  expect(taken.status()).toBe(201);

  const clerk = await (await browser.newContext({ viewport: TABLET, hasTouch: true, baseURL: hallURL, locale: 'zh-CN' })).newPage();
  await login(clerk, 'clerk01');
  await clerk.goto('/clerk/queue?window=2');
  await hydrated(clerk);
  await serveNext(clerk);
  const slip = clerk.getByRole('region', { name: '服务评价' });
  await expect(slip).toBeVisible();
  await expect(slip).toContainText('请扫码，或打开评价页输入评价码，对本次服务进行评价');
  await expect(slip.getByRole('img', { name: '评价页面的二维码' })).toBeVisible();
  await expect(slip.getByRole('button', { name: '打印评价码' })).toBeVisible();
  const code = (await slip.getByTestId('rating-code').getAttribute('data-code')) ?? '';
  expect(code).toMatch(/^[23456789A-HJKMNP-Z]{10}$/);
  // Large and readable: shown in two groups of five.
  await expect(slip.getByTestId('rating-code')).toHaveText(`${code.slice(0, 5)} ${code.slice(5)}`);
  await expectAccessible(clerk);
  await shots(clerk, 'clerk_queue_slip');
  // On paper, only the slip: the rest of the page is left out.
  await clerk.evaluate(() => document.documentElement.setAttribute('data-print', 'rating-slip'));
  await clerk.emulateMedia({ media: 'print' });
  await expect(slip).toBeVisible();
  await expect(clerk.getByRole('region', { name: '等候（' , exact: false })).toBeHidden();
  await expect(clerk.getByRole('button', { name: '叫下一位' })).toBeHidden();
  await clerk.emulateMedia({ media: 'screen' });
  await clerk.evaluate(() => document.documentElement.removeAttribute('data-print'));
  // The slip stays while the board refreshes (another citizen takes a ticket meanwhile).
  const another = await request.post(`${hallURL}/api/v1/public/queue-tickets`, { data: { center_id: 1, queue_id: 1 } });
  expect(another.status()).toBe(201);
  await clerk.waitForTimeout(1500);
  await expect(slip.getByTestId('rating-code')).toHaveAttribute('data-code', code);

  // The citizen, on a phone: the code typed by hand.
  const phone = await phonePage(browser, hallURL);
  await phone.goto('/');
  await phone.getByRole('link', { name: /输入评价码/ }).click();
  await expect(phone).toHaveURL(/\/rate$/);
  await hydrated(phone);
  await expectAccessible(phone);
  await phone.getByLabel('评价码').fill('ABC01');
  await phone.getByRole('button', { name: '去评价' }).click();
  await expect(phone.getByRole('alert')).toContainText('评价码不正确，请核对');
  await expect(phone.getByLabel('评价码')).toHaveAttribute('aria-invalid', 'true');
  await expect(phone.getByLabel('评价码')).toHaveValue('ABC01');
  // Ten letters and digits, but with a 1: the message says which characters never occur
  // (it said "should be 10 letters or digits" to a citizen who had typed exactly that).
  await phone.getByLabel('评价码').fill('ABCDE12345');
  await phone.getByRole('button', { name: '去评价' }).click();
  await expect(phone.getByRole('alert')).toContainText('不含数字 0、1');
  await phone.getByLabel('评价码').fill('ABC01');
  await expectAccessible(phone);
  await shots(phone, 'rate_entry_error');
  await phone.getByLabel('评价码').fill(`${code.slice(0, 5).toLowerCase()} ${code.slice(5)}`);
  await phone.getByRole('button', { name: '去评价' }).click();
  await expect(phone).toHaveURL(new RegExp(`/rate/${code}$`));
  await hydrated(phone);
  await phone.getByRole('radio', { name: '满意', exact: true }).check();
  await expectAccessible(phone);
  await phone.getByRole('button', { name: '提交评价' }).click();
  await expect(phone.getByRole('status')).toContainText('感谢您的评价');
  await phone.context().close();
  // 一次一评: the slip, read again, says the citizen has rated, with no code left to scan or
  // print (a used code was still offered).
  await clerk.reload();
  await hydrated(clerk);
  await expect(slip).toContainText('完成评价（一次一评）');
  await expect(slip.getByRole('img', { name: '评价页面的二维码' })).toHaveCount(0);
  await expect(slip.getByRole('button', { name: '打印评价码' })).toHaveCount(0);
  await expectAccessible(clerk);
  await shots(clerk, 'clerk_queue_slip_used');
});

test('the slip stays until the clerk closes it or calls the next citizen', async ({ browser, request }, info) => {
  test.skip(info.project.name !== 'tablet', 'the window is a tablet');
  for (let i = 0; i < 2; i++) {
    const taken = await request.post(`${hallURL}/api/v1/public/queue-tickets`, { data: { center_id: 1, queue_id: 1 } });
    expect(taken.status()).toBe(201);
  }
  const clerk = await (await browser.newContext({ viewport: TABLET, hasTouch: true, baseURL: hallURL, locale: 'zh-CN' })).newPage();
  await login(clerk, 'clerk01');
  await clerk.goto('/clerk/queue?window=2');
  await hydrated(clerk);
  await serveNext(clerk);
  const slip = clerk.getByRole('region', { name: '服务评价' });
  await expect(slip).toBeVisible();
  await slip.getByRole('button', { name: '关闭评价码' }).click();
  await expect(slip).toBeHidden();
  await serveNext(clerk);
  await expect(slip).toBeVisible();
  const first = await slip.getByTestId('rating-code').getAttribute('data-code');
  await clerk.getByRole('button', { name: '叫下一位' }).click();
  await expect(slip).toBeHidden();
  expect(first).toMatch(/^[23456789A-HJKMNP-Z]{10}$/);
});

test('a delivered case shows the code on its page and on its printed decision, not before', async ({ page }, info) => {
  test.skip(info.project.name !== 'tablet', 'the clerk works on a tablet');
  await login(page, 'clerk01');
  const api = page.request;
  const received = await receiveAtCounter(page.request, '640106-XK-0003', { kind: 'person', name: '李建华', id_number: '11010519491231002X' }, '13800138000');
  const id = received.summary.id as number;
  const reviewed = await api.post(`/api/v1/cases/${id}/review`, {
    data: {
      version: received.summary.version,
      verdicts: ['application_form', 'id_card', 'business_license'].map((key) => ({ key, verdict: { verdict: 'ok' } })),
    },
  });
  expect(reviewed.ok()).toBeTruthy();
  const approved = (await reviewed.json()).case;
  expect(approved.summary.state).toBe('approved');
  const decision = (approved.notices as { id: number; kind: string }[]).find((n) => n.kind === 'approval_decision');
  expect(decision).toBeTruthy();

  // Printed before delivery: no code, and no error either.
  await page.goto(`/notices/${decision!.id}/print`);
  await hydrated(page);
  await expect(page.getByRole('region', { name: '申请人联' })).toBeVisible();
  await expect(page.getByRole('region', { name: '服务评价' })).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);

  const delivered = await api.post(`/api/v1/cases/${id}/delivery`, {
    data: { version: approved.summary.version, method: '当场领取' },
  });
  expect(delivered.ok()).toBeTruthy();

  await page.goto(`/clerk/cases/${id}`);
  await hydrated(page);
  const slip = page.getByRole('region', { name: '服务评价' });
  await expect(slip).toBeVisible();
  const code = (await slip.getByTestId('rating-code').getAttribute('data-code')) ?? '';
  expect(code).toMatch(/^[23456789A-HJKMNP-Z]{10}$/);
  await expect(slip.getByRole('img', { name: '评价页面的二维码' })).toBeVisible();
  await expectAccessible(page);
  await shots(page, 'clerk_case_slip');

  // The decision printed now carries the same code, in the applicant's copy (not the archive's).
  await page.goto(`/notices/${decision!.id}/print`);
  await hydrated(page);
  const applicant = page.getByRole('region', { name: '申请人联' });
  await expect(applicant.getByRole('region', { name: '服务评价' })).toBeVisible();
  await expect(applicant.getByTestId('rating-code')).toHaveAttribute('data-code', code);
  await expect(page.getByRole('region', { name: '存档联' }).getByTestId('rating-code')).toHaveCount(0);
  await expect(applicant.getByRole('button', { name: '打印评价码' })).toHaveCount(0);
  await expectAccessible(page);
  await page.emulateMedia({ media: 'print' });
  await expect(applicant.getByRole('img', { name: '评价页面的二维码' })).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
  await shots(page, 'notice_print_slip');
});

test('the slip survives a reload of the queue panel, names the ticket number and still closes', async ({ browser, request }, info) => {
  // The panel at the project's size: the window's tablet, and a phone.
  const viewport = info.project.use.viewport ?? TABLET;
  const taken = await request.post(`${hallURL}/api/v1/public/queue-tickets`, { data: { center_id: 1, queue_id: 1 } });
  expect(taken.status()).toBe(201);
  const context = await browser.newContext({ viewport, hasTouch: true, isMobile: info.project.name === 'phone', baseURL: hallURL, locale: 'zh-CN' });
  const clerk = await context.newPage();
  await login(clerk, 'clerk01');
  await clerk.goto('/clerk/queue?window=2');
  await hydrated(clerk);
  await serveNext(clerk);
  const finished = (await clerk.getByRole('status').filter({ hasText: '已办结' }).textContent()) ?? '';
  const number = /([A-Z]\d+) 已办结/.exec(finished)?.[1] ?? '';
  expect(number).not.toBe('');
  const slip = clerk.getByRole('region', { name: '服务评价' });
  await expect(slip.getByTestId('rating-subject')).toHaveText(`取号办理：${number}号 · 2026年3月4日（周三）`);
  const code = (await slip.getByTestId('rating-code').getAttribute('data-code')) ?? '';
  expect(code).toMatch(/^[23456789A-HJKMNP-Z]{10}$/);
  await expect(clerk).toHaveURL(/[?&]slip=\d+/);

  // Reloaded before the citizen had it (the tablet restarted, a slip from the printer jammed):
  // the same slip, still to print.
  await clerk.reload();
  await hydrated(clerk);
  await expect(slip.getByTestId('rating-code')).toHaveAttribute('data-code', code);
  await expect(slip.getByTestId('rating-subject')).toContainText(`${number}号`);
  await expect(slip.getByRole('img', { name: '评价页面的二维码' })).toBeVisible();
  await expect(slip.getByRole('button', { name: '打印评价码' })).toBeVisible();
  await expectAccessible(clerk);
  await shots(clerk, 'clerk_queue_slip_reloaded');

  // Closed, it stays closed after a reload.
  await slip.getByRole('button', { name: '关闭评价码' }).click();
  await expect(slip).toBeHidden();
  await expect(clerk).not.toHaveURL(/slip=/);
  await clerk.reload();
  await hydrated(clerk);
  await expect(clerk.getByRole('region', { name: '当前号码' })).toBeVisible();
  await expect(slip).toBeHidden();
  await context.close();
});

test('a long denial printed after delivery keeps the rating slip whole on one A4 page', async ({ page }, info) => {
  test.skip(info.project.name !== 'tablet', 'printed from the clerk’s tablet');
  await login(page, 'clerk01');
  const api = page.request;
  let c = await receiveAtCounter(page.request, '640106-XK-0001', { kind: 'company', name: '银川金味餐饮有限公司', id_number: '91350100M000100Y43' }, '13995012345');
  const id = c.summary.id as number;
  const step = async (path: string, data: object) => {
    const r = await api.post(`/api/v1/cases/${id}/${path}`, { data: { version: c.summary.version, ...data } });
    expect(r.ok(), await r.text()).toBeTruthy();
    const body = await r.json();
    c = body.case ?? body;
  };
  const materials = ['application_form', 'business_license', 'id_card', 'layout_docs', 'safety_rules'];
  await step('review', { verdicts: materials.map((key) => ({ key, verdict: { verdict: 'ok' } })) });
  await step('start-review', {});
  // Reasons of a length that brings the slip to the foot of the first sheet.
  const reasons = Array.from({ length: DENIAL_PARAGRAPHS }, (_, i) =>
    `${i + 1}. 经现场核查，申请人经营场所与污染源的距离不符合《食品经营许可审查通则》第十条的要求，加工操作间布局未能做到生进熟出，清洗消毒设施与食品处理区未有效分隔。`,
  ).join('');
  await step('decision', { decision: 'denied', reasons });
  const denial = (c.notices as { id: number; title: string }[]).find((n) => n.title === '不予行政许可决定书');
  expect(denial).toBeTruthy();
  await step('delivery', { method: '当场领取' });

  await page.goto(`/notices/${denial!.id}/print`);
  await hydrated(page);
  const applicant = page.getByRole('region', { name: '申请人联' });
  const code = (await applicant.getByTestId('rating-code').getAttribute('data-code')) ?? '';
  expect(code).toMatch(/^[23456789A-HJKMNP-Z]{10}$/);
  // The slip's title, the words asking for a rating, its code and the rating page's address.
  const parts = ['服务评价', '请扫码，或打开评价页', `${code.slice(0, 5)} ${code.slice(5)}`, '评价页：'];
  const sheetsOf = (pages: string[]) => parts.map((part) => pages.findIndex((t) => t.includes(part)));
  // Let the slip break like running text: this page breaks it across two sheets, so the check
  // below means something.
  await page.evaluate(() =>
    document.querySelectorAll<HTMLElement>('.rating-slip.on-notice').forEach((slip) => {
      slip.style.setProperty('break-inside', 'auto', 'important');
      slip.style.setProperty('page-break-inside', 'auto', 'important');
    }),
  );
  expect(new Set(sheetsOf(await printedPages(page))).size, 'a slip that may break').toBe(2);
  // As printed: the whole slip on one sheet, the applicant's copy's second.
  await page.reload();
  await hydrated(page);
  await expect(applicant.getByTestId('rating-code')).toHaveAttribute('data-code', code);
  const sheets = sheetsOf(await printedPages(page));
  expect(sheets).toEqual(parts.map(() => 1));
});

test('an unknown code is said at a field that holds it, to correct on the spot', async ({ page }) => {
  await page.goto('/rate/ZZZZZZZZZZ');
  await hydrated(page);
  const field = page.getByLabel('评价码');
  await expect(field).toHaveValue('ZZZZZZZZZZ');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription(/没有这个评价码/);
  await expectAccessible(page);
  await field.fill('ZZZZZ');
  await page.getByRole('button', { name: '去评价' }).click();
  await expect(field).toHaveAccessibleDescription(/10 位/);
});

// A phone on a slow network shows the form seconds before the page's script runs: what the
// citizen chose and typed meanwhile is what the rating sends (hydration emptied the comment, and
// the checked level was not seen: "请选择整体满意度").
test('what a citizen chose and typed before the page\'s script ran is what the rating sends', async ({ page, request }) => {
  const signIn = await request.post('/api/v1/auth/login', { data: { staff_number: 'clerk01', password: DEMO_PASSWORD } });
  expect(signIn.ok()).toBeTruthy();
  const received = await receiveAtCounter(request, '640106-XK-0003', { kind: 'person', name: '李建华', id_number: '11010519491231002X' }, '13800138000');
  const id = received.summary.id as number;
  const reviewed = await request.post(`/api/v1/cases/${id}/review`, {
    data: {
      version: received.summary.version,
      verdicts: ['application_form', 'id_card', 'business_license'].map((key) => ({ key, verdict: { verdict: 'ok' } })),
    },
  });
  expect(reviewed.ok()).toBeTruthy();
  const approved = (await reviewed.json()).case;
  const delivered = await request.post(`/api/v1/cases/${id}/delivery`, {
    data: { version: approved.summary.version, method: '当场领取' },
  });
  expect(delivered.ok()).toBeTruthy();
  const made = await request.post('/api/v1/supervision/rating-codes', { data: { subject: 'case', subject_id: id } });
  expect(made.ok()).toBeTruthy();
  const code = (await made.json()).code as string;

  // The page's script is held back until the citizen has filled the form.
  let release = () => {};
  const held = new Promise<void>((resolve) => { release = resolve; });
  await page.route('**/*.wasm', async (route) => { await held; await route.continue(); });
  await page.goto(`/rate/${code}`, { waitUntil: 'domcontentloaded' });
  await page.getByRole('radio', { name: '满意', exact: true }).check();
  await page.getByLabel('意见建议（可选）').fill('材料一次讲清楚了');
  release();
  await hydrated(page);
  await expect(page.getByLabel('意见建议（可选）')).toHaveValue('材料一次讲清楚了');
  await expect(page.getByRole('radio', { name: '满意', exact: true })).toBeChecked();
  await page.getByRole('button', { name: '提交评价' }).click();
  await expect(page.getByRole('status')).toContainText('感谢您的评价');
  const form = await (await request.get(`/api/v1/public/ratings/${code}`)).json();
  expect(form.already_rated).toBe(true);
});

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false, baseURL: hallURL });

  // A tester's rating went out as `?level=fair` and was never saved: the plain form posts, an
  // empty one comes back with the message at the level, and a rating given is thanked for.
  test('a citizen rates with the plain form and a form without a level says so', async ({ page, playwright }) => {
    const clerk = await playwright.request.newContext({ baseURL: hallURL });
    await clerk.post('/api/v1/auth/login', { data: { staff_number: 'clerk01', password: DEMO_PASSWORD } });
    // Whatever window A01 holds is finished first, then a new ticket is served.
    const board = await (await clerk.get('/api/v1/queue/windows/1')).json();
    let held = board.current;
    if (held?.status === 'called') {
      held = await (await clerk.post(`/api/v1/queue-tickets/${held.id}/start`, { data: { version: held.version } })).json();
    }
    if (held) {
      await clerk.post(`/api/v1/queue-tickets/${held.id}/finish`, { data: { version: held.version } });
    }
    expect((await clerk.post('/api/v1/public/queue-tickets', { data: { center_id: 1, queue_id: 1 } })).status()).toBe(201);
    let ticket = await (await clerk.post('/api/v1/queue/call-next', { data: { window_id: 1 } })).json();
    for (const action of ['start', 'finish']) {
      ticket = await (await clerk.post(`/api/v1/queue-tickets/${ticket.id}/${action}`, { data: { version: ticket.version } })).json();
    }
    const made = await clerk.post('/api/v1/supervision/rating-codes', { data: { subject: 'ticket', subject_id: ticket.id } });
    expect(made.ok()).toBeTruthy();
    const code = (await made.json()).code;

    await page.goto(`/rate/${code}`);
    await page.getByLabel('服务态度').selectOption({ label: '满意' });
    await page.getByLabel('意见建议（可选）').fill('等候时间略长');
    await page.getByRole('button', { name: '提交评价' }).click();
    await expect(page).toHaveURL(new RegExp(`/rate/${code}\\?.*error=level_required`));
    await expect(page.getByRole('alert')).toContainText('请选择整体满意度');
    // Everything chosen and typed is still there; the comment never in the address (it reached
    // the browser's history).
    expect(decodeURIComponent(page.url())).not.toContain('等候时间略长');
    await expect(page.getByLabel('意见建议（可选）')).toHaveValue('等候时间略长');
    await expect(page.getByLabel('服务态度')).toHaveValue('satisfied');
    await page.getByRole('radio', { name: '基本满意', exact: true }).check();
    await page.getByRole('button', { name: '提交评价' }).click();
    // The page thanks for this rating (it had said "rated before").
    await expect(page).toHaveURL(new RegExp(`/rate/${code}\\?rated=1$`));
    await expect(page.getByRole('status')).toContainText('感谢您的评价');
    const form = await (await clerk.get(`/api/v1/public/ratings/${code}`)).json();
    expect(form.already_rated).toBe(true);
  });
});
