import { expect, test, type APIRequestContext } from '@playwright/test';
import { expectAccessible, hallURL, hydrated, login, DEMO_PASSWORD } from './helpers';

// Supervision on the supervisor's phone (issue #13): the overview with its SVG charts, the
// drill-down from a figure to the list, the problem and its case, one-tap 销号, and a citizen's
// rating from the code printed on a ticket. On the hall server (business hours).
test.use({ baseURL: hallURL });
test.skip(({ viewport }) => (viewport?.width ?? 0) > 500, 'the supervisor works on a phone (390×844)');

async function signIn(request: APIRequestContext, staff: string) {
  const r = await request.post('/api/v1/auth/login', { data: { staff_number: staff, password: DEMO_PASSWORD } });
  expect(r.ok()).toBeTruthy();
}

// A food-licence application received at the counter by the signed-in clerk.
async function receiveFoodCase(clerk: APIRequestContext) {
  const received = await clerk.post('/api/v1/cases', {
    data: {
      item_code: '640106-XK-0001',
      applicant: { kind: 'company', name: '银川金味餐饮有限公司', id_number: '91350100M000100Y43' },
      phone: '13995012345',
      channel: 'counter',
    },
  });
  expect(received.ok()).toBeTruthy();
  return received.json();
}

test('a supervisor drills from the overview to a case and closes out an item in one tap', async ({ page, playwright }) => {
  // The data: a case received by clerk01, a complaint about it filed by the supervisor, and the
  // unit's reported fix.
  const clerk = await playwright.request.newContext({ baseURL: hallURL });
  await signIn(clerk, 'clerk01');
  const caseBody = await receiveFoodCase(clerk);
  const caseId = caseBody.summary.id;
  const caseNumber = caseBody.summary.number;

  const boss = await playwright.request.newContext({ baseURL: hallURL });
  await signIn(boss, 'super01');
  const filed = await boss.post('/api/v1/supervision/problems', {
    data: { source: 'complaint', kind: 'conduct', unit_id: 1, case_id: caseId, description: '群众投诉：窗口未一次性告知所需材料' },
  });
  expect(filed.status()).toBe(201);
  const problem = await filed.json();

  const chief = await playwright.request.newContext({ baseURL: hallURL });
  await signIn(chief, 'chief01');
  const item = await (await chief.get(`/api/v1/supervision/rectifications/${problem.rectification_id}`)).json();
  const reported = await chief.post(`/api/v1/supervision/rectifications/${item.id}/report`, {
    data: { version: item.version, measure: '重新培训一次性告知制度', note: '已组织窗口人员学习并向群众致歉' },
  });
  expect(reported.ok()).toBeTruthy();

  // The phone.
  await login(page, 'super01');
  await page.goto('/supervisor/overview');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: '督查总览' })).toBeVisible();
  await expect(page.getByRole('img', { name: /本月问题（按类型）/ })).toBeVisible();
  await expectAccessible(page);

  // Figure → list → problem → case.
  // Other specs file complaints on the same hall server: the count is at least this one.
  await page.getByRole('link', { name: /其他服务问题：\d+件/ }).click();
  await expect(page.getByRole('heading', { name: '问题列表' })).toBeVisible();
  await page.getByRole('link', { name: /群众投诉：窗口未一次性告知/ }).click();
  await expect(page.getByRole('heading', { name: '其他服务问题' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: '查看办件' }).click();
  await expect(page.getByText(caseNumber).first()).toBeVisible();

  // The rectification list: the reported item is closed out after a second look.
  await page.goto('/supervisor/rectifications');
  await hydrated(page);
  await expectAccessible(page);
  await page.getByRole('button', { name: /销号：群众投诉/ }).click();
  // A second look, with the review note: one tap closed an item for good.
  await expect(page.getByLabel('复核意见（销号后整改事项结束）')).toBeFocused();
  await page.getByRole('button', { name: '确认销号' }).click();
  await expect(page.getByRole('button', { name: /销号：群众投诉/ })).toHaveCount(0);
  // The card left the list: the list says what became of it.
  await expect(page.getByRole('status').filter({ hasText: /已销号：群众投诉/ })).toBeVisible();
  const after = await (await boss.get(`/api/v1/supervision/rectifications/${item.id}`)).json();
  expect(after.status).toBe('closed');

  // The month's report (attachment 1) shows it closed out, with the XLSX to download.
  await page.goto('/supervisor/monthly?month=2026-03');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: /问题整改清单月报表（2026年3月）/ })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: '整改情况' })).toBeVisible();
  await expect(page.getByRole('row', { name: /群众投诉：窗口未一次性告知.*已销号/ })).toBeVisible();
  await expect(page.getByRole('button', { name: '导出 Excel（XLSX）' })).toBeVisible();
  await expectAccessible(page);
});

test('a citizen rates a served ticket from its code on the phone', async ({ page, playwright }) => {
  const anon = await playwright.request.newContext({ baseURL: hallURL });
  const taken = await anon.post('/api/v1/public/queue-tickets', { data: { center_id: 1, queue_id: 1 } });
  expect(taken.status()).toBe(201);
  const clerk = await playwright.request.newContext({ baseURL: hallURL });
  await signIn(clerk, 'clerk01');
  // Window 1 serves one ticket at a time, and earlier specs (same clerk, same window, same
  // server) may have left one called or in service there: whatever the window holds is served
  // to the end first (any served ticket can be rated), else the next one is called.
  let t: { id: number; version: number; status: string } | null = null;
  for (let attempt = 0; attempt < 10 && !t; attempt++) {
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
    if (current && current.status === 'done') t = current;
    else await page.waitForTimeout(500);
  }
  expect(t).toBeTruthy();
  t = t!;
  const code = (await (await clerk.post('/api/v1/supervision/rating-codes', { data: { subject: 'ticket', subject_id: t.id } })).json()).code;

  await page.goto(`/rate/${code}`);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: '服务评价（好差评）' })).toBeVisible();
  await expectAccessible(page);
  // Sending without a level keeps the form and says what is missing at the field.
  await page.getByLabel('意见建议（可选）').fill('等候时间较长');
  await page.getByRole('button', { name: '提交评价' }).click();
  await expect(page.getByRole('alert')).toContainText('请选择整体满意度');
  await expect(page.getByLabel('意见建议（可选）')).toHaveValue('等候时间较长');
  await page.getByRole('radio', { name: '不满意', exact: true }).check();
  await page.getByLabel('服务态度').selectOption({ label: '满意' });
  await page.getByRole('button', { name: '提交评价' }).click();
  await expect(page.getByRole('status')).toContainText('感谢您的评价');
  await expectAccessible(page);

  // The bad rating opened a rectification for the unit that served.
  const boss = await playwright.request.newContext({ baseURL: hallURL });
  await signIn(boss, 'super01');
  const bad = await (await boss.get('/api/v1/supervision/problems?kind=bad_rating')).json();
  expect(bad.length).toBeGreaterThan(0);
  expect(bad[0].rectification_status).toBe('open');

  // The supervisor drills from the rating down to the ticket's record (read-only).
  await login(page, 'super01');
  await page.goto('/supervisor/ratings?level=dissatisfied');
  await hydrated(page);
  await page
    .getByRole('link', { name: '查看号票记录' })
    .and(page.locator(`[href="/supervisor/tickets/${t.id}"]`))
    .click();
  await expect(page.getByRole('heading', { name: '号票记录' })).toBeVisible();
  await hydrated(page);
  await expect(page.getByRole('definition').filter({ hasText: '已办结' })).toBeVisible();
  await expect(page.getByRole('term').filter({ hasText: '办理人' })).toBeVisible();
  await expectAccessible(page);
});

test('a supervisor fills in the weekly patrol on the phone and a finding joins the rectification list', async ({ page }) => {
  await login(page, 'super01');
  await page.goto('/supervisor/overview');
  await hydrated(page);
  await page.getByRole('link', { name: '周巡查' }).click();
  await expect(page.getByRole('heading', { name: '周巡查' })).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);
  // A finding without what was found or the unit is refused at its fields, keeping what was typed.
  await page.getByLabel('第1项发现问题').check();
  await page.getByLabel('第1项问题情况').fill('A02 窗口 9:40 无人在岗');
  await page.getByRole('button', { name: '提交巡查结果' }).click();
  await expect(page.getByText('请选择责任单位')).toBeVisible();
  await expect(page.getByLabel('第1项问题情况')).toHaveValue('A02 窗口 9:40 无人在岗');
  await expect(page.getByLabel('第1项责任单位')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);
  await page.getByLabel('第1项责任单位').selectOption({ label: '区市场监督管理局' });
  await page.getByRole('button', { name: '提交巡查结果' }).click();
  await expect(page.getByRole('status')).toContainText('发现问题 1 项');
  await page.getByRole('link', { name: '查看整改清单' }).click();
  await hydrated(page);
  await expect(page.getByText(/A02 窗口 9:40 无人在岗/).first()).toBeVisible();
});

test('a day of the on-time trend opens the cases decided that day and on to the case', async ({ page, playwright }) => {
  // A case received, accepted and approved today by clerk01.
  const clerk = await playwright.request.newContext({ baseURL: hallURL });
  await signIn(clerk, 'clerk01');
  let c = await receiveFoodCase(clerk);
  const verdicts = ['application_form', 'business_license', 'id_card', 'layout_docs', 'safety_rules'].map(
    (key) => ({ key, verdict: { verdict: 'ok' } }),
  );
  const reviewed = await clerk.post(`/api/v1/cases/${c.summary.id}/review`, { data: { version: c.summary.version, verdicts } });
  expect(reviewed.ok()).toBeTruthy();
  c = (await reviewed.json()).case;
  for (const [action, body] of [['start-review', {}], ['decision', { decision: 'approved' }]] as const) {
    const r = await clerk.post(`/api/v1/cases/${c.summary.id}/${action}`, { data: { ...body, version: c.summary.version } });
    expect(r.ok(), await r.text()).toBeTruthy();
    c = await r.json();
  }

  await login(page, 'super01');
  await page.goto('/supervisor/overview');
  await hydrated(page);
  await expect(page.getByRole('table', { name: '各中心排队（今日）' })).toBeVisible();
  await page.getByText('逐日查看办结的办件').click();
  await page.getByRole('link', { name: /按时办结率/ }).first().click();
  await expect(page.getByRole('heading', { name: '当日办结的办件' })).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);
  await page.getByRole('link', { name: new RegExp(c.summary.number) }).click();
  await expect(page.getByText(c.summary.number).first()).toBeVisible();
});
