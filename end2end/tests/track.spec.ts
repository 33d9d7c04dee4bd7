import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, hydrated, login } from './helpers';

// Issue 14 point 10: a 收件凭证 at receipt (printable on A4, readable on a phone) and a case
// lookup that takes the number with or without hyphens and says where the case stands.

const FOOD = '食品经营许可（新办）（承诺件，5 个工作日）';

async function noSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test('the clerk receives a case and prints its receipt', async ({ page }, info) => {
  test.skip(info.project.name !== 'tablet', 'the clerk works on a tablet');
  await login(page, 'clerk01');
  await page.getByRole('link', { name: '收件' }).click();
  await hydrated(page);
  await page.getByLabel('办理事项').selectOption({ label: FOOD });
  const handedIn = page.getByRole('group', { name: '收到的申请材料（列入收件凭证）' });
  await handedIn.getByRole('checkbox', { name: /食品经营许可申请书/ }).check();
  await handedIn.getByRole('checkbox', { name: /法定代表人（负责人）居民身份证/ }).check();
  const company = `银川金味餐饮有限公司第${Date.now() % 100000}分店`;
  await page.getByLabel('单位名称').fill(company);
  await page.getByLabel('统一社会信用代码').fill('91350100M000100Y43');
  await page.getByLabel('联系手机').fill('13995012345');
  // A double tap receives the case once (two taps 5 ms apart had made two cases).
  await page.getByRole('button', { name: '建立办件并开始受理审查' }).dblclick();
  await expect(page).toHaveURL(/\/clerk\/cases\/\d+$/);
  await hydrated(page);
  const mine = await (await page.request.get('/api/v1/cases?limit=200')).json();
  expect(mine.items.filter((c: { applicant_name: string }) => c.applicant_name === company)).toHaveLength(1);
  await page.getByRole('link', { name: '打印收件凭证' }).click();
  await expect(page).toHaveURL(/\/clerk\/cases\/\d+\/receipt$/);
  const copy = page.getByRole('article', { name: '收件凭证（申请人联）' });
  await expect(copy).toBeVisible();
  await expect(page.getByRole('article', { name: '收件凭证（存档联）' })).toBeVisible();
  await expect(copy).toContainText('食品经营许可申请书');
  await expect(copy).toContainText('法定代表人（负责人）居民身份证');
  await expect(copy).not.toContainText('营业执照或者其他主体资格证明文件');
  await expect(copy.getByTestId('receipt-promised')).toContainText('年');
  await expect(copy.getByTestId('receipt-code')).toHaveText(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  await expect(page.getByRole('button', { name: '打印收件凭证（A4）' })).toBeVisible();
  await expectAccessible(page);
  // On paper: the two copies only, no toolbar.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: '打印收件凭证（A4）' })).toBeHidden();
  await expect(copy).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
});

// Seed §二(三)二: an immediate item's minutes run from the moment the last correction comes in;
// its receipt said 次日起计算 as a promised item's does.
test('an immediate item\'s receipt counts from the moment, not the next day', async ({ page, request }) => {
  const signIn = await request.post('/api/v1/auth/login', { data: { staff_number: 'clerk01', password: 'chuangkou-demo' } });
  expect(signIn.ok()).toBeTruthy();
  const created = await request.post('/api/v1/cases', {
    data: {
      item_code: '640106-XK-0003',
      applicant: { kind: 'person', name: '李建华', id_number: '11010519491231002X' },
      phone: '13800138000',
      channel: 'counter',
      materials: ['application_form'],
    },
  });
  expect(created.status()).toBe(201);
  const summary = (await created.json()).summary as { id: number };
  await login(page, 'clerk01');
  await page.goto(`/clerk/cases/${summary.id}/receipt`);
  const copy = page.getByRole('article', { name: '收件凭证（申请人联）' });
  await expect(copy.getByTestId('receipt-promised')).toHaveText('当场办结');
  await expect(copy).toContainText('自收到全部补正材料之时起计算');
  await expect(copy).not.toContainText('次日起计算');
  await noSidewaysScroll(page);
  await expectAccessible(page);
});

test('the receipt reads on a phone and its code opens the case lookup', async ({ page, request }) => {
  const signIn = await request.post('/api/v1/auth/login', { data: { staff_number: 'clerk01', password: 'chuangkou-demo' } });
  expect(signIn.ok()).toBeTruthy();
  const created = await request.post('/api/v1/cases', {
    data: {
      item_code: '640106-XK-0001',
      applicant: { kind: 'company', name: '银川金味餐饮有限公司', id_number: '91350100M000100Y43' },
      phone: '13995012345',
      channel: 'counter',
      materials: ['application_form', 'id_card'],
    },
  });
  expect(created.status()).toBe(201);
  const summary = (await created.json()).summary as { id: number; number: string };
  const receipt = await (await request.get(`/api/v1/cases/${summary.id}/receipt`)).json();
  const code = receipt.lookup_code as string;

  // The receipt page at this size: nothing cut off, nothing to scroll sideways.
  await login(page, 'clerk01');
  await page.goto(`/clerk/cases/${summary.id}/receipt`);
  const copy = page.getByRole('article', { name: '收件凭证（申请人联）' });
  await expect(copy).toContainText(summary.number);
  await expect(copy.getByTestId('receipt-code')).toHaveText(code);
  await noSidewaysScroll(page);
  await expectAccessible(page);

  // The citizen types the number without hyphens and the code from the receipt.
  await page.getByRole('button', { name: '退出' }).click();
  await page.goto('/track');
  await hydrated(page);
  await page.getByLabel('申请编号').fill(summary.number.replaceAll('-', ''));
  await page.getByLabel('查询码（见收件凭证，可不填）').fill(code.toLowerCase());
  await page.getByRole('button', { name: '查询' }).click();
  const progress = page.getByRole('region', { name: '办理进度' });
  await expect(progress).toContainText(summary.number);
  await expect(progress).toContainText('正在进行受理审查');
  // Not yet accepted: the date the receipt promised, not a bare "—".
  await expect(page.getByTestId('track-promised')).toContainText('收件凭证所载');
  await expect(page.getByRole('region', { name: '您还需要做什么' })).toContainText('目前无需您做任何事');
  const history = page.getByRole('region', { name: '办理记录（最新在前）' });
  await expect(history.getByRole('listitem').first()).toContainText('窗口收件，出具收件凭证');
  await expect(page.getByText('银川金味餐饮有限公司')).toHaveCount(0);
  // Whom to ask, a tap away on a phone.
  await expect(progress.getByRole('link', { name: '0951-6888123' })).toHaveAttribute('href', 'tel:0951-6888123');
  await noSidewaysScroll(page);
  await expectAccessible(page);

  // Accepted: the days left are counted in working days.
  const detail = await (await request.get(`/api/v1/cases/${summary.id}`)).json();
  const ok = (key: string) => ({ key, verdict: { verdict: 'ok' } });
  const reviewed = await request.post(`/api/v1/cases/${summary.id}/review`, {
    data: {
      version: detail.summary.version,
      verdicts: ['application_form', 'business_license', 'id_card', 'layout_docs', 'safety_rules'].map(ok),
    },
  });
  expect(reviewed.ok()).toBeTruthy();
  await page.goto(`/track?number=${summary.number}&phone=139-9501-2345`);
  await expect(page.getByTestId('track-days-left')).toHaveText(/还剩 \d+ 个工作日/);
  await expect(history.getByRole('listitem').first()).toContainText('出具《受理通知书》');
  await expectAccessible(page);
});

test('a look-up refused for a missing phone marks the phone field and is described by the message', async ({ page }) => {
  await page.goto('/track');
  await hydrated(page);
  await page.getByLabel('申请编号').fill('2026-01-00001');
  await page.getByRole('button', { name: '查询' }).click();
  const phone = page.getByLabel('申请时所留手机号');
  await expect(phone).toHaveAttribute('aria-invalid', 'true');
  await expect(phone).toHaveAccessibleDescription(/请输入申请时所留的手机号/);
  await expect(page.getByLabel('申请编号')).not.toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);
});
