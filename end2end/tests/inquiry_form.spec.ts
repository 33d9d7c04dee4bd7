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

// A tester's form told one problem at a time, at the top of the page: a missing topic hid a
// wrong phone until the next attempt. Every problem now shows at once, each at its field.
test('every problem of a new inquiry is told at once, each at its field', async ({ page }, info) => {
  await login(page, 'clerk01');
  await page.goto('/clerk/inquiries');
  await hydrated(page);
  const topic = page.getByLabel('咨询事项');
  const name = page.getByLabel('姓名（可选）');
  const phone = page.getByLabel('电话（可选）');
  await name.fill('张三');
  await phone.fill('123');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await expect(topic).toHaveAccessibleDescription(/请填写咨询事项/);
  await expect(phone).toHaveAccessibleDescription(/电话号码格式不正确/);
  await expect(topic).toHaveAttribute('aria-invalid', 'true');
  await expect(phone).toHaveAttribute('aria-invalid', 'true');
  await expect(name).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert').filter({ hasText: '提交未成功' })).toBeVisible();
  await expect(name).toHaveValue('张三');
  await expect(phone).toHaveValue('123');
  await expectAccessible(page);
  const asked = `个体户变更经营范围（${info.project.name}）`;
  await topic.fill(asked);
  await phone.fill('13995012345');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await expect(topic).toHaveValue('');
  await expect(page.getByText(asked).first()).toBeVisible();
  await expect(phone).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert').filter({ hasText: '提交未成功' })).toHaveCount(0);
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

// A tester's escalation question stood in the feedback box once the chief had answered (the two
// boxes shared one value): one tap recorded the clerk's own question as what the applicant was
// told. The feedback box starts empty.
test('the feedback after an escalation starts empty, not with the question asked', async ({ page, browser }, info) => {
  await login(page, 'clerk01');
  await page.goto('/clerk/inquiries');
  await hydrated(page);
  const topic = `材料齐全与否有争议（${info.project.name}）`;
  await page.getByLabel('咨询事项').fill(topic);
  await page.getByRole('button', { name: '登记', exact: true }).click();
  const form = page.getByRole('form', { name: `处理结果：${topic}` });
  await form.getByLabel('提请首席代表').check();
  const question = `申请人坚持认为材料齐全，请首席代表定夺（${info.project.name}）`;
  await form.getByLabel('需协调的问题').fill(question);
  await form.getByRole('button', { name: '确定' }).click();
  await expect(page.getByRole('status').first()).toBeVisible();

  const chiefCtx = await browser.newContext({ ...info.project.use });
  const chief = await chiefCtx.newPage();
  await login(chief, 'chief01');
  await chief.goto('/chief');
  await hydrated(chief);
  const row = chief.getByRole('listitem').filter({ hasText: question });
  await row.getByLabel('协调处理意见').fill('请按补正告知办理，另行说明依据');
  await row.getByRole('button', { name: '答复' }).click();
  await expect(chief.getByRole('status').filter({ hasText: '已答复' })).toBeVisible();
  await chiefCtx.close();

  const feedback = page.getByRole('form', { name: `反馈：${topic}` }).getByLabel('已向申请人反馈的内容');
  await expect(feedback).toBeVisible();
  await expect(feedback).toHaveValue('');
});

// An external referral told one problem at a time, in a banner at the top of the page: a missing
// address hid a wrong phone until the next attempt. Every problem shows at once, at its field.
test('every problem of an outcome is told at once, each at its field, before anything is sent', async ({ page }, info) => {
  await login(page, 'clerk01');
  await page.goto('/clerk/inquiries');
  await hydrated(page);
  const topic = `办理护照（${info.project.name}-${Date.now()}）`;
  await page.getByLabel('咨询事项').fill(topic);
  await page.getByRole('button', { name: '登记', exact: true }).click();
  const form = page.getByRole('form', { name: `处理结果：${topic}` });
  await form.getByLabel('外部指引').check();
  await form.getByLabel('单位名称').fill('银川市公安局出入境管理支队');
  await form.getByLabel('电话').fill('abc');
  await form.getByRole('button', { name: '确定' }).click();
  const address = form.getByLabel('地址');
  const phone = form.getByLabel('电话');
  await expect(address).toHaveAccessibleDescription(/请填写指引单位地址/);
  await expect(phone).toHaveAccessibleDescription(/电话/);
  await expect(address).toHaveAttribute('aria-invalid', 'true');
  await expect(phone).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('单位名称')).not.toHaveAttribute('aria-invalid', 'true');
  await expect(address).toBeFocused();
  await expect(phone).toHaveValue('abc');
  await expectAccessible(page);
  await address.fill('金凤区人民广场东街');
  await phone.fill('0951-1234567');
  await form.getByRole('button', { name: '确定' }).click();
  await expect(page.getByRole('form', { name: `处理结果：${topic}` })).toHaveCount(0);
});
