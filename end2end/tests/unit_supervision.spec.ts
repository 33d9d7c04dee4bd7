import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { expectAccessible, hallURL, hydrated, login, DEMO_PASSWORD } from './helpers';

// The responsible unit's side of supervision (issue #13) on /unit/supervision: a clerk reports
// a fix with an evidence file and a supervisor closes it out; the chief representative records
// the 回访 of a bad rating and appeals it; the chief submits the month's list. On the hall server
// (business hours, 2026-03-04), at tablet and phone sizes; both projects share the server, so
// every record made here is named after the project.
test.use({ baseURL: hallURL });

async function signIn(request: APIRequestContext, staff: string) {
  const r = await request.post('/api/v1/auth/login', { data: { staff_number: staff, password: DEMO_PASSWORD } });
  expect(r.ok()).toBeTruthy();
}

async function openUnitPage(page: Page, from: string, link: string) {
  await page.goto(from);
  await hydrated(page);
  await page.getByRole('link', { name: link }).click();
  await expect(page.getByRole('heading', { name: '本单位整改与评价', level: 1 })).toBeVisible();
  await hydrated(page);
}

// The smallest PNG signature the server accepts as a photo.
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('evidence')]);

test('a unit clerk reports a fix with an evidence file and a supervisor closes it out', async ({ page, playwright }, info) => {
  const description = `暗访发现窗口人员未佩戴工牌（${info.project.name}-${Date.now()}）`;
  const boss = await playwright.request.newContext({ baseURL: hallURL });
  await signIn(boss, 'super01');
  const filed = await boss.post('/api/v1/supervision/problems', {
    data: { source: 'mystery_visit', kind: 'conduct', unit_id: 1, description, working_days: 5 },
  });
  expect(filed.status()).toBe(201);
  const problem = await filed.json();

  await login(page, 'clerk01');
  await openUnitPage(page, '/clerk', '本单位整改与评价');
  await expect(page.getByRole('heading', { name: '本单位整改清单' })).toBeVisible();
  await expectAccessible(page);

  const form = page.getByRole('form', { name: `报告整改：${description}` });
  await expect(form).toBeVisible();
  // Both texts missing: both are told at once (the second waited for the first to be written).
  await form.getByRole('button', { name: '报告整改' }).click();
  await expect(form.getByLabel('整改措施')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('整改情况（证据说明）')).toHaveAttribute('aria-invalid', 'true');
  // A missing measure is said at its field; what was typed stays.
  await form.getByLabel('整改情况（证据说明）').fill('已对窗口人员进行批评教育，现场复查均已佩戴工牌');
  await form.getByRole('button', { name: '报告整改' }).click();
  await expect(form.getByText('请填写整改措施').first()).toBeVisible();
  await expect(form.getByLabel('整改措施')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('整改情况（证据说明）')).toHaveValue('已对窗口人员进行批评教育，现场复查均已佩戴工牌');
  await expectAccessible(page);

  // A file that calls itself a photo but is not one: the server's 422 is shown at the file field.
  await form.getByLabel('整改措施').fill('每日班前检查工牌佩戴');
  await form.getByLabel(/证据文件/).setInputFiles({ name: '伪装照片.png', mimeType: 'image/png', buffer: Buffer.from('MZ not a photo') });
  await form.getByRole('button', { name: '报告整改' }).click();
  await expect(form.getByText('只能上传 JPEG、PNG 照片或 PDF 文件').first()).toBeVisible();
  await expect(form.getByLabel('整改措施')).toHaveValue('每日班前检查工牌佩戴');
  let item = await (await boss.get(`/api/v1/supervision/rectifications/${problem.rectification_id}`)).json();
  expect(item.status).toBe('open');

  // With a real photo the fix is reported and the item waits for 销号, read only.
  await form.getByLabel(/证据文件/).setInputFiles({ name: '整改照片.png', mimeType: 'image/png', buffer: PNG });
  await form.getByRole('button', { name: '报告整改' }).click();
  await expect(page.getByRole('status').filter({ hasText: `已报告整改：${description}` })).toBeVisible();
  await expect(page.getByRole('form', { name: `报告整改：${description}` })).toHaveCount(0);
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: description }) });
  await expect(card.getByText('待销号')).toBeVisible();
  await expect(card.getByRole('link', { name: '整改照片.png' })).toBeVisible();
  await expectAccessible(page);
  item = await (await boss.get(`/api/v1/supervision/rectifications/${problem.rectification_id}`)).json();
  expect(item.status).toBe('reported');
  expect(item.measure).toBe('每日班前检查工牌佩戴');

  // The supervisor sees it 待销号 with its evidence, and closes it out after a second look.
  await page.context().clearCookies();
  await login(page, 'super01');
  await page.goto('/supervisor/rectifications');
  await hydrated(page);
  const row = page.getByRole('listitem').filter({ hasText: description });
  await expect(row.getByText('待销号')).toBeVisible();
  await expect(row.getByText('整改措施：每日班前检查工牌佩戴')).toBeVisible();
  await row.getByRole('link', { name: description }).click();
  await expect(page.getByRole('link', { name: '整改照片.png' })).toBeVisible();
  await page.goto('/supervisor/rectifications');
  await hydrated(page);
  await expectAccessible(page);
  // Sending back needs the reason the unit works on (it had no button at all).
  await page.getByRole('button', { name: `退回整改：${description}` }).click();
  const reason = page.getByLabel('退回理由（单位将据此继续整改）');
  await expect(reason).toBeFocused();
  await page.getByRole('button', { name: '确认退回' }).click();
  await expect(reason).toHaveAccessibleDescription(/请写明退回的理由/);
  await expectAccessible(page);
  await page.getByRole('button', { name: '取消' }).click();
  await page.getByRole('button', { name: `销号：${description}` }).click();
  await page.getByRole('button', { name: '确认销号' }).click();
  // The 销号 button hides as soon as the second look opens, so wait for the answer itself.
  await expect(page.getByRole('status').filter({ hasText: `已销号：${description}` })).toBeVisible();
  await expect(page.getByRole('button', { name: `销号：${description}` })).toHaveCount(0);
  item = await (await boss.get(`/api/v1/supervision/rectifications/${problem.rectification_id}`)).json();
  expect(item.status).toBe('closed');
});

// A ticket served at window 1 by clerk01 (区市场监督管理局), rated 非常不满意 with `comment`.
async function badRating(playwright: { request: { newContext: (o: { baseURL: string }) => Promise<APIRequestContext> } }, page: Page, comment: string) {
  const anon = await playwright.request.newContext({ baseURL: hallURL });
  const taken = await anon.post('/api/v1/public/queue-tickets', { data: { center_id: 1, queue_id: 1 } });
  expect(taken.status()).toBe(201);
  const clerk = await playwright.request.newContext({ baseURL: hallURL });
  await signIn(clerk, 'clerk01');
  // Whatever window 1 holds (other specs share it) is served to the end, else the next is called.
  let done: { id: number } | null = null;
  for (let attempt = 0; attempt < 10 && !done; attempt++) {
    const board = await (await clerk.get('/api/v1/queue/windows/1')).json();
    let current = board.current;
    if (!current) {
      const called = await clerk.post('/api/v1/queue/call-next', { data: { window_id: 1 } });
      current = called.ok() ? await called.json() : null;
    }
    for (const action of ['start', 'finish']) {
      if (!current || current.status === 'done') break;
      if (action === 'start' && current.status !== 'called') continue;
      const r = await clerk.post(`/api/v1/queue-tickets/${current.id}/${action}`, { data: { version: current.version } });
      current = r.ok() ? await r.json() : null;
    }
    if (current && current.status === 'done') done = current;
    else await page.waitForTimeout(500);
  }
  expect(done).toBeTruthy();
  const codeAnswer = await clerk.post('/api/v1/supervision/rating-codes', { data: { subject: 'ticket', subject_id: done!.id } });
  expect(codeAnswer.ok()).toBeTruthy();
  const { code } = await codeAnswer.json();
  const rated = await anon.post(`/api/v1/public/ratings/${code}`, { data: { level: 'very_dissatisfied', comment } });
  expect(rated.status(), await rated.text()).toBe(201);
}

test('the chief representative records the 回访 of a bad rating and appeals it', async ({ page, playwright }, info) => {
  const comment = `窗口人员态度生硬（${info.project.name}-${Date.now()}）`;
  await badRating(playwright, page, comment);

  // A clerk of the unit sees the rating; the 回访 and the appeal are the chief's.
  await login(page, 'clerk01');
  await page.goto('/unit/supervision');
  await hydrated(page);
  const clerkCard = page.getByRole('region', { name: '差评回访与申诉' }).getByRole('listitem').filter({ hasText: comment });
  await expect(clerkCard.getByText('待首席代表回访')).toBeVisible();
  await expect(clerkCard.getByRole('button', { name: '记录回访' })).toHaveCount(0);

  await page.context().clearCookies();
  await login(page, 'chief01');
  await openUnitPage(page, '/chief', '本单位整改与评价');
  await expect(page.getByRole('heading', { name: '差评回访与申诉' })).toBeVisible();
  await expectAccessible(page);
  // The bad rating opened a rectification item too: the card is the one in the ratings' section.
  const card = page.getByRole('region', { name: '差评回访与申诉' }).getByRole('listitem').filter({ hasText: comment });
  await expect(card.getByRole('heading', { name: /非常不满意/ })).toBeVisible();
  // The card names the ticket the citizen rated, and says there is no phone to call back.
  await expect(card.getByRole('heading', { name: /取号办理 [A-Z]\d{3}号/ })).toBeVisible();
  await expect(card.getByText('未留联系方式')).toBeVisible();

  // The 回访 record is required, said at its field.
  await card.getByRole('button', { name: '记录回访' }).click();
  await expect(card.getByText('请填写回访记录').first()).toBeVisible();
  await expect(card.getByLabel('回访记录')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);
  await card.getByLabel('回访记录').fill('3月4日电话回访申请人，已致歉并说明办理要求，申请人表示理解');
  await card.getByRole('button', { name: '记录回访' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已记录回访' })).toBeVisible();
  await expect(card.getByText(/已回访：3月4日电话回访申请人/)).toBeVisible();

  // The appeal: its reason typed, it is filed and waits for a supervisor's decision.
  await card.getByLabel('申诉理由').fill('经调取监控，窗口人员按规范办理，评价内容与事实不符');
  await card.getByRole('button', { name: '提出申诉' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已提出申诉' })).toBeVisible();
  await expect(card.getByText(/申诉复核：经调取监控/)).toBeVisible();
  await expect(card.getByRole('button', { name: '提出申诉' })).toHaveCount(0);
  await expectAccessible(page);
});

test('the chief representative submits the month’s rectification list', async ({ page }, info) => {
  // The two projects share the server: each submits for its own unit (once a month).
  const chief = info.project.name === 'tablet' ? 'chief01' : 'chief02';
  await login(page, chief);
  await page.goto('/unit/supervision');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: '月报提交' })).toBeVisible();
  await expect(page.getByText(/问题整改清单月报表（2026年3月）/)).toBeVisible();
  // 2026-03-04: before the reminder from the 15th.
  await expect(page.getByText('未到报送期')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: '提交月报' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已报送本月整改清单月报表' }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: '提交月报' })).toHaveCount(0);
  await expect(page.getByText('已报送', { exact: true })).toBeVisible();
  await expectAccessible(page);

  // The supervisors' month page says which units reported and on which day; February's
  // reports, due by the 22nd and never made, stand out in red as late.
  const unit = info.project.name === 'tablet' ? '区市场监督管理局' : '区人力资源和社会保障局';
  await page.context().clearCookies();
  await login(page, 'super01');
  await page.goto('/supervisor/monthly?month=2026-03');
  await hydrated(page);
  const march = page.getByRole('listitem').filter({ hasText: `${unit}：` });
  await expect(march).toHaveText(`${unit}：已报送，2026年3月4日（周三）报送`);
  await expect(march).not.toHaveClass(/overdue-text/);
  await page.goto('/supervisor/monthly?month=2026-02');
  await hydrated(page);
  const february = page.getByRole('listitem').filter({ hasText: `${unit}：` });
  await expect(february).toHaveText(`${unit}：逾期未报送`);
  await expect(february).toHaveClass(/overdue-text/);
  await expectAccessible(page);
});
