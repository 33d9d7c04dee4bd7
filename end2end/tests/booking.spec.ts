import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './helpers';

// A citizen books an after-hours appointment on a phone, one question per screen.
test.skip(({ viewport }) => (viewport?.width ?? 0) > 500, 'the citizen books on a phone');

/** Walks the booking steps up to the personal details; returns the chosen day's label. */
async function chooseATime(page: Page) {
  await page.goto('/booking');
  await expect(page.getByRole('heading', { name: '到哪个服务中心办理？' })).toBeVisible();
  await page.getByRole('link', { name: /金凤区政务服务中心/ }).click();
  await expect(page.getByRole('heading', { name: '办理什么事项？' })).toBeVisible();
  await page.getByRole('link', { name: /食品经营许可（新办）/ }).click();
  // 一次性告知: the full list of materials before any time is chosen.
  await expect(page.getByRole('heading', { name: '请先看清需要带的材料' })).toBeVisible();
  await expect(page.getByRole('table', { name: '需要带的材料' })).toContainText('法定代表人（负责人）居民身份证');
  await page.getByRole('link', { name: '我知道了，选择时间' }).click();
  await expect(page.getByRole('heading', { name: '哪一天来？' })).toBeVisible();
  await page.getByRole('link', { name: /还可预约/ }).first().click();
  await expect(page.getByRole('heading', { name: '什么时间来？' })).toBeVisible();
  await page.getByRole('link', { name: /还可预约/ }).first().click();
  await expect(page.getByRole('heading', { name: '留下您的姓名和手机号码' })).toBeVisible();
}

async function bookAndCancel(page: Page, phone: string, scripts = true) {
  await chooseATime(page);
  await page.getByLabel('姓名').fill('张晓明');
  await page.getByLabel('手机号码').fill(phone);
  await page.getByRole('button', { name: '确认预约' }).click();

  await expect(page.getByRole('status')).toContainText('预约成功');
  await expect(page.getByTestId('booking-code')).toHaveText(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  await expect(page.getByRole('table', { name: '需要带的材料' })).toContainText('法定代表人（负责人）居民身份证');
  // axe runs as a script in the page: only where scripts run.
  if (scripts) await expectAccessible(page);
  // Only a script can print: without one no dead button is offered.
  await expect(page.getByRole('button', { name: '打印或保存' })).toHaveCount(scripts ? 1 : 0);

  await page.getByRole('link', { name: '取消预约' }).click();
  await page.getByRole('button', { name: '确认取消预约' }).click();
  await expect(page.getByRole('status')).toContainText('已取消预约');
  await expect(page.getByText('已取消', { exact: true })).toBeVisible();
}

test('a citizen books on a phone, sees the materials, and cancels', async ({ page }) => {
  await bookAndCancel(page, '13995010001');
});

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('the same booking works as plain forms', async ({ page }) => {
    await bookAndCancel(page, '13995010002', false);
  });

  test('a name pasted with an invisible character comes back without it, the reason at the name', async ({ page }) => {
    await chooseATime(page);
    await page.getByLabel('姓名').fill('李\u200b四');
    await page.getByLabel('手机号码').fill('+86 139 9501 0003');
    await page.getByRole('button', { name: '确认预约' }).click();
    const name = page.getByLabel('姓名');
    await expect(name).toHaveAttribute('aria-invalid', 'true');
    await expect(name).toHaveAccessibleDescription(/姓名中含有看不见的字符/);
    await expect(name).toHaveValue('李四');
    await expect(page.getByLabel('手机号码')).toHaveValue('+86 139 9501 0003');
  });

  test('a wrong phone number is refused in words a citizen understands, and nothing is booked', async ({ page }) => {
    await chooseATime(page);
    await page.getByLabel('姓名').fill('张晓明');
    // The browser's own pattern check is bypassed to show the server's answer.
    await page.locator('form.booking-form').evaluate((f) => f.setAttribute('novalidate', ''));
    await page.getByLabel('手机号码').fill('12345');
    await page.getByLabel('身份证号码（选填）').fill('640106199001011234');
    await page.getByRole('button', { name: '确认预约' }).click();
    await expect(page.getByRole('heading', { name: '留下您的姓名和手机号码' })).toBeVisible();
    // Said at the field it concerns, every typed value kept (the ID number was lost before).
    const phone = page.getByLabel('手机号码');
    await expect(phone).toHaveAttribute('aria-invalid', 'true');
    await expect(phone).toHaveAccessibleDescription(/手机号码不正确/);
    await expect(phone).toHaveValue('12345');
    await expect(page.getByLabel('姓名')).toHaveValue('张晓明');
    await expect(page.getByLabel('身份证号码（选填）')).toHaveValue('640106199001011234');

    // A wrong ID number: said at the ID field, which still shows what was typed.
    await page.locator('form.booking-form').evaluate((f) => f.setAttribute('novalidate', ''));
    await phone.fill('13995010003');
    await page.getByRole('button', { name: '确认预约' }).click();
    const id = page.getByLabel('身份证号码（选填）');
    await expect(id).toHaveAttribute('aria-invalid', 'true');
    await expect(id).toHaveAccessibleDescription(/身份证号码不正确/);
    await expect(id).toHaveValue('640106199001011234');
    await expect(page.getByLabel('手机号码')).toHaveValue('13995010003');
  });
});

test('every booking screen passes the accessibility check', async ({ page }) => {
  await page.goto('/booking');
  await expectAccessible(page);
  await page.goto('/booking/view');
  await expectAccessible(page);
  await page.getByLabel('预约码').fill('ABCD-EFGH');
  await page.getByLabel('预约时填写的手机号码').fill('13995019999');
  await page.getByRole('button', { name: '查看预约' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectAccessible(page);
});
