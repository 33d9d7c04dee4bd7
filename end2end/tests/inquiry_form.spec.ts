import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, login } from './helpers';

// 首问负责 at the counter: a clerk records an inquiry. A tester's form emptied itself on an error
// (a phone number too short), so everything had to be typed again; now the values stay until the
// inquiry is recorded. Both sizes.
test('the new-inquiry form keeps what was typed after an error and empties once recorded', async ({ page }, info) => {
  await login(page, 'clerk01');
  await page.goto('/clerk/inquiries');
  await hydrated(page);
  const topic = page.getByLabel('咨询事项');
  const phone = page.getByLabel('电话（可选）');
  const asked = `开饭馆需要办什么证（${info.project.name}）`;
  await topic.fill(asked);
  await phone.fill('123');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await expect(page.getByRole('alert').first()).toBeVisible();
  await expect(topic).toHaveValue(asked);
  await expect(phone).toHaveValue('123');
  await expectAccessible(page);
  await phone.fill('13995012345');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await expect(topic).toHaveValue('');
  await expect(page.getByText(asked).first()).toBeVisible();
});

// A half-written answer to one inquiry survived nothing: registering another caller reloaded
// the list and wiped the choice and the typed answer. The drafts now belong to the page.
test('a half-written answer stays while another inquiry is registered', async ({ page }, info) => {
  await login(page, 'clerk01');
  await page.goto('/clerk/inquiries');
  await hydrated(page);
  const first = `营业执照遗失怎么补办（${info.project.name}）`;
  await page.getByLabel('咨询事项').fill(first);
  await page.getByRole('button', { name: '登记', exact: true }).click();
  const form = page.getByRole('form', { name: `处理结果：${first}` });
  await form.getByLabel('当场解答').check();
  await form.getByLabel('解答内容').fill('登报声明后到窗口申请补领');
  await page.getByLabel('咨询事项').fill(`另一位群众的咨询（${info.project.name}）`);
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await expect(page.getByText(`另一位群众的咨询（${info.project.name}）`).first()).toBeVisible();
  await expect(form.getByLabel('当场解答')).toBeChecked();
  await expect(form.getByLabel('解答内容')).toHaveValue('登报声明后到窗口申请补领');
});
