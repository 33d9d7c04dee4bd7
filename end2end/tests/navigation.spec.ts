import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, login } from './helpers';

const WORKSPACES = ['窗口工作台', '首席代表', '督查', '系统管理'];

const ROLES: Array<{ who: string; sees: string; heading: string }> = [
  { who: 'clerk01', sees: '窗口工作台', heading: '窗口工作台' },
  { who: 'chief01', sees: '首席代表', heading: '首席代表' },
  { who: 'super01', sees: '督查', heading: '督查' },
  { who: 'admin', sees: '系统管理', heading: '系统管理' },
];

for (const { who, sees, heading } of ROLES) {
  test(`${who} logs in and sees only the ${sees} navigation`, async ({ page, isMobile }) => {
    await login(page, who);
    const nav = page.getByRole('navigation', { name: '主导航' });
    // On a phone the links are folded into the 菜单 (the header stays one row).
    if (isMobile) await nav.getByText('菜单', { exact: true }).click();
    await expect(nav.getByRole('link', { name: sees })).toBeVisible();
    for (const other of WORKSPACES.filter((w) => w !== sees)) {
      await expect(nav.getByRole('link', { name: other, exact: true })).toHaveCount(0);
    }
    await nav.getByRole('link', { name: sees }).click();
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expectAccessible(page);
  });
}

test('the public home needs no login and shows the centers with today\'s hours', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: '政务窗口' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '金凤区政务服务中心' })).toBeVisible();
  await expect(page.getByRole('link', { name: '工作人员登录' })).toBeVisible();
  await expectAccessible(page);
});

test('the login page refuses a wrong password with a message a clerk understands', async ({ page }) => {
  await page.goto('/login');
  await expectAccessible(page);
  await page.getByLabel('工号').fill('clerk01');
  await page.getByLabel('密码').fill('not-the-password');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toHaveText('工号或密码不正确');
});

test('logging out returns to the public home', async ({ page }) => {
  await login(page, 'clerk02');
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page.getByRole('link', { name: '工作人员登录' })).toBeVisible();
});

test('a staff page asks an anonymous visitor to log in', async ({ page }) => {
  await page.goto('/clerk');
  await expect(page.getByRole('heading', { name: '请先登录' })).toBeVisible();
});

test('a supervisor on a phone reaches every supervision page from the menu', async ({ page, isMobile }) => {
  test.skip(!isMobile, 'the menu folds the links on a phone');
  await login(page, 'super01');
  const nav = page.getByRole('navigation', { name: '主导航' });
  await nav.getByText('菜单', { exact: true }).click();
  // A tester's menu held 督查 alone; the pages were reachable only from the overview.
  for (const name of ['督查总览', '整改清单', '问题列表', '整改清单月报表', '月通报', '周巡查', '约谈']) {
    await expect(nav.getByRole('link', { name, exact: true })).toBeVisible();
  }
  await nav.getByRole('link', { name: '问题列表', exact: true }).click();
  await expect(page).toHaveURL(/\/supervisor\/problems/);
});

// The skip link moved the address to #main but left the focus on itself: the next Tab went back
// to the header's first link.
test('the skip link moves the keyboard into the page\'s main content', async ({ page }) => {
  await login(page, 'clerk01');
  await page.goto('/clerk/receive');
  await hydrated(page);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: '跳到主要内容' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
});
