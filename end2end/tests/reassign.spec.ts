import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, login } from './helpers';
import { startOwnServer } from './own_server';

// 延时服务 (Seed §二(四)三): a clerk who cannot serve reports to the chief representative, who
// assigns someone else. A chief on a phone was offered only the clerk who had reported, and
// every choice was refused (须安排另一位工作人员): the page now offers only people the server
// accepts, and says plainly when there is nobody and what to do. On a server of the test's own:
// the ticket reported stays with the chief, out of the other tests' queue.
const port = Number(process.env.CHUANGKOU_E2E_REASSIGN_PORT ?? 3460);

test('the chief is never offered the clerk who reported, and is told when nobody else can take the ticket', async ({ browser }, info) => {
  test.skip(info.project.name !== 'phone', 'one run: the chief on a phone, the clerk on a tablet');
  test.setTimeout(180_000);
  const hall = await startOwnServer(info.config.configFile!, '2026-03-04T10:00:00+08:00', port);
  try {
    const tablet = await browser.newContext({ viewport: { width: 1024, height: 768 }, baseURL: hall.url });
    const clerk = await tablet.newPage();
    await login(clerk, 'clerk01');
    const ticket = await clerk.request.post('/api/v1/public/queue-tickets', { data: { center_id: 1, queue_id: 1 } });
    expect(ticket.status()).toBe(201);
    const called = await clerk.request.post('/api/v1/queue/call-next', { data: { window_id: 1 } });
    expect(called.ok(), await called.text()).toBeTruthy();
    const t = await called.json();
    const reported = await clerk.request.post(`/api/v1/queue-tickets/${t.id}/cannot-serve`, {
      data: { version: t.version, reason: '需要食品许可专业人员核对' },
    });
    expect(reported.ok(), await reported.text()).toBeTruthy();

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, baseURL: hall.url });
    const chief = await phone.newPage();
    await login(chief, 'chief01');
    await chief.goto('/chief');
    await hydrated(chief);
    const staff = chief.getByLabel(`指派人员 ${t.number}`);
    const offered = await staff.locator('option').allTextContents();
    expect(offered).not.toContain('王晓燕');
    if (offered.length <= 1) {
      // Only 请选择: the demo's unit has no other clerk at a window.
      await expect(chief.getByRole('note')).toContainText('本单位没有其他在窗口值守的工作人员可以指派');
      await expect(chief.getByRole('button', { name: `指派 ${t.number}` })).toBeHidden();
    }
    await expectAccessible(chief);
    await phone.close();
    await tablet.close();
  } finally {
    await hall.close();
  }
});
