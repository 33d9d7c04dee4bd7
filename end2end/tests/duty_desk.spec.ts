import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, login } from './helpers';
import { startOwnServer } from './own_server';

// The duty clerk's appointments page (/clerk/appointments): a refused step showed in a banner
// above every slot, far from the button tapped on a phone, without saying which booking it was
// about, and it stayed beside the next booking's success. Now a refusal sits at its slot or row,
// naming the booking, and each attempt clears the messages of the last. On a server of the
// test's own whose clock starts at 09:40: the evening slot is hours away.
const port = Number(process.env.CHUANGKOU_E2E_REASSIGN_PORT ?? 3460);

test('a refused check-in or arrival shows at its slot or row and goes when the next attempt starts', async ({ browser }, info) => {
  test.setTimeout(120_000);
  const hall = await startOwnServer(info.config.configFile!, '2026-03-04T09:40:00+08:00', port);
  try {
    const ctx = await browser.newContext({ ...info.project.use, baseURL: hall.url });
    const page = await ctx.newPage();
    await login(page, 'clerk01');
    await page.goto('/clerk/appointments');
    await hydrated(page);
    const slot = page.getByRole('region', { name: /17:00/ });
    await slot.getByRole('button', { name: '签到' }).click();
    await expect(slot.getByRole('alert')).toContainText('签到未成功');

    const form = page.getByRole('region', { name: '代为预约' });
    // Sent empty: every missing field is said at once, each at its field (they came one at a
    // time, below the button).
    await form.getByLabel('手机号码').fill('1390');
    await form.getByRole('button', { name: '代为预约' }).click();
    await expect(form.getByLabel('办理事项')).toHaveAccessibleDescription(/请选择办理事项/);
    await expect(form.getByLabel('预约时段')).toHaveAccessibleDescription(/请选择预约时段/);
    await expect(form.getByLabel('姓名')).toHaveAccessibleDescription(/请填写姓名/);
    await expect(form.getByLabel('手机号码')).toHaveAttribute('aria-invalid', 'true');
    await expect(form.getByLabel('手机号码')).toHaveValue('1390');
    await expect(form.getByRole('alert').filter({ hasText: '提交未成功' })).toBeVisible();
    await form.getByLabel('办理事项').selectOption({ label: '食品经营许可（新办）' });
    await form.getByLabel('预约时段').selectOption({ index: 1 });
    await form.getByLabel('姓名').fill('张晓明');
    await form.getByLabel('手机号码').fill('139 9501 2345');
    await form.getByRole('button', { name: '代为预约' }).click();
    await expect(form.getByRole('status')).toContainText('已代为预约');
    await expect(form.getByRole('alert').filter({ hasText: '提交未成功' })).toHaveCount(0);
    // The check-in's refusal went when the booking was sent.
    await expect(slot.getByRole('alert')).toHaveCount(0);
    const code = (await form.getByRole('status').textContent())!.match(/预约码 (\S+)/)![1];

    // Too early to arrive: told at the booking's row, which it names.
    await slot.getByRole('button', { name: `已到达 ${code}` }).click();
    const refusal = slot.getByRole('alert');
    await expect(refusal).toContainText(`预约 ${code}：`);
    await expect(form.getByRole('status')).toHaveCount(0);
    await expectAccessible(page);
    await page.screenshot({ path: info.outputPath(`duty-desk-${info.project.name}.png`), fullPage: true });
    await ctx.close();
  } finally {
    await hall.close();
  }
});
