import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { expectAccessible, hallURL, hydrated, login, DEMO_PASSWORD } from './helpers';

// Issue 13 on the supervisor's phone (and tablet): 申诉复核 — a unit's appeal against a bad
// rating decided with a note from the ratings list — and 约谈 — a person flagged by the quarter's
// problems, the talk recorded with its date and outcome. On the hall server (business hours, so
// that a ticket can be served and rated). Each viewport uses its own people, as both run on the
// same server one after the other.
test.use({ baseURL: hallURL });

async function signIn(request: APIRequestContext, staff: string) {
  const r = await request.post('/api/v1/auth/login', { data: { staff_number: staff, password: DEMO_PASSWORD } });
  expect(r.ok()).toBeTruthy();
  return r.json();
}

/** A ticket served at window 1 by clerk01 and its rating code. */
async function servedTicketCode(anon: APIRequestContext, clerk: APIRequestContext, page: Page): Promise<string> {
  const taken = await anon.post('/api/v1/public/queue-tickets', { data: { center_id: 1, queue_id: 1 } });
  expect(taken.status()).toBe(201);
  // Window 1 serves one ticket at a time, and other specs may have left one there: whatever it
  // holds is served to the end first (any served ticket can be rated), else the next is called.
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
  const code = await clerk.post('/api/v1/supervision/rating-codes', { data: { subject: 'ticket', subject_id: done!.id } });
  expect(code.ok()).toBeTruthy();
  return (await code.json()).code;
}

test('a supervisor decides a unit\'s appeal against a bad rating with a note', async ({ page, playwright }, testInfo) => {
  const reason = `评价人当天未在本窗口办理业务（${testInfo.project.name}）`;
  const clerk = await playwright.request.newContext({ baseURL: hallURL });
  await signIn(clerk, 'clerk01');
  const anon = await playwright.request.newContext({ baseURL: hallURL });
  const code = await servedTicketCode(anon, clerk, page);
  const rated = await anon.post(`/api/v1/public/ratings/${code}`, { data: { level: 'dissatisfied', comment: '态度不好' } });
  expect(rated.status(), await rated.text()).toBe(201);
  const rating = await rated.json();
  const chief = await playwright.request.newContext({ baseURL: hallURL });
  await signIn(chief, 'chief01');
  const appealed = await chief.post(`/api/v1/supervision/ratings/${rating.id}/appeal`, { data: { reason } });
  expect(appealed.status()).toBe(201);

  await login(page, 'super01');
  await page.goto('/supervisor/overview');
  await hydrated(page);
  await expect(page.getByRole('link', { name: /待复核申诉/ })).toBeVisible();
  await page.getByRole('navigation', { name: '督查' }).getByRole('link', { name: '申诉复核' }).click();
  await expect(page).toHaveURL(/\/supervisor\/ratings\?appeal=pending$/);
  await expect(page.getByRole('heading', { level: 1, name: '好差评：待复核申诉' })).toBeVisible();
  await hydrated(page);
  const card = page.getByRole('article').filter({ hasText: reason });
  await expect(card).toContainText(`申诉理由：${reason}`);
  await expectAccessible(page);

  // A decision without a note is refused at the field.
  await card.getByRole('button', { name: '申诉成立（撤销评价）' }).click();
  await expect(card.getByRole('alert')).toContainText('请填写复核意见');
  const note = card.getByLabel(/复核意见/);
  await expect(note).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);

  await note.fill('经调取监控，评价人当天未到本窗口，属误评');
  await card.getByRole('button', { name: '申诉成立（撤销评价）' }).click();
  await expect(card.getByRole('status')).toContainText('复核结果：申诉成立，评价已撤销');
  await expect(card).toContainText('经调取监控，评价人当天未到本窗口，属误评');
  await expect(card).toContainText('（申诉成立，已撤销）');
  await expect(card.getByRole('button', { name: /申诉/ })).toHaveCount(0);
  await expectAccessible(page);

  const boss = await playwright.request.newContext({ baseURL: hallURL });
  await signIn(boss, 'super01');
  const after = await (await boss.get(`/api/v1/supervision/ratings/${rating.id}`)).json();
  expect(after.struck).toBe(true);
  expect(after.appeal.status).toBe('upheld');

  // Decided, it leaves the list of appeals to review.
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('article').filter({ hasText: reason })).toHaveCount(0);
});

test('a supervisor records a 约谈 with a person flagged by three problems this quarter', async ({ page, playwright }, testInfo) => {
  // Someone no other spec files problems against: one person per viewport.
  const who = testInfo.project.name === 'phone' ? 'chief02' : 'clerk03';
  const person = await signIn(await playwright.request.newContext({ baseURL: hallURL }), who);
  const name: string = person.staff.name;
  const boss = await playwright.request.newContext({ baseURL: hallURL });
  await signIn(boss, 'super01');
  for (const n of [1, 2, 3]) {
    const filed = await boss.post('/api/v1/supervision/problems', {
      data: {
        source: 'video_check', kind: 'conduct', unit_id: person.staff.unit_id, staff_id: person.staff.id,
        description: `视频监控发现${name}脱岗（第${n}次）`,
      },
    });
    expect(filed.status(), await filed.text()).toBe(201);
  }

  await login(page, 'super01');
  await page.goto('/supervisor/overview');
  await hydrated(page);
  await page.getByRole('navigation', { name: '督查' }).getByRole('link', { name: '约谈' }).click();
  await expect(page).toHaveURL(/\/supervisor\/interviews$/);
  await expect(page.getByRole('heading', { level: 1, name: '约谈' })).toBeVisible();
  await hydrated(page);
  const flag = page.getByRole('article', { name: `${name}（人员）` });
  await expect(flag).toContainText('2026年第1季度问题 3 次（约谈线 3 次）');
  await expectAccessible(page);

  // The form keeps what was typed and says at the field what is wrong.
  await flag.getByRole('button', { name: `记录约谈：${name}` }).click();
  await expect(flag.getByLabel(/约谈日期/)).toHaveValue('2026-03-04');
  await flag.getByRole('button', { name: '保存约谈记录' }).click();
  await expect(flag.getByRole('alert')).toContainText('请填写约谈情况和结果');
  await expect(flag.getByLabel(/约谈情况和结果/)).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);
  const outcome = `已约谈${name}，指出三次脱岗问题，本人作出书面检查并承诺整改`;
  await flag.getByLabel(/约谈情况和结果/).fill(outcome);
  await flag.getByLabel(/约谈日期/).fill('2026-03-05');
  await flag.getByRole('button', { name: '保存约谈记录' }).click();
  await expect(flag.getByRole('alert')).toContainText('约谈日期不能晚于今天');
  await expect(flag.getByLabel(/约谈情况和结果/)).toHaveValue(outcome);
  await flag.getByLabel(/约谈日期/).fill('2026-03-04');
  await flag.getByRole('button', { name: '保存约谈记录' }).click();

  await expect(page.getByRole('status').filter({ hasText: `已记录对${name}的约谈` })).toBeVisible();
  await expect(flag).toContainText('本季度已约谈');
  const records = page.getByRole('region', { name: '约谈记录' });
  await expect(records.getByRole('listitem').filter({ hasText: outcome })).toContainText('约谈人：赵督查');
  await expectAccessible(page);

  // On to the person's problems of the quarter.
  await flag.getByRole('link', { name: `查看${name}的问题` }).click();
  await expect(page.getByRole('heading', { level: 1, name: '问题列表' })).toBeVisible();
  await expect(page.getByRole('link', { name: new RegExp(`视频监控发现${name}脱岗`) })).toHaveCount(3);
});
