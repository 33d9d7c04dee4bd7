import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, hydrated, login } from './helpers';

// Issue 12, finding 10: pages run under a Content-Security-Policy with a per-response nonce and
// still hydrate; the login form works with JavaScript off from our own page, and a login form on
// another site cannot sign the browser in (login CSRF).

const PAGES = ['/', '/login', '/guide', '/booking?center=1', '/kiosk?center=1', '/display?center=1', '/track'];

test.describe('content security policy', () => {
  test.skip(({ isMobile }) => isMobile, 'the same headers at both sizes; once is enough');

  for (const path of PAGES) {
    test(`${path} hydrates under its policy with no violation`, async ({ page }) => {
      const violations: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      const response = await page.goto(path);
      const csp = response?.headers()['content-security-policy'] ?? '';
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]{16,}'/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response?.headers()['x-frame-options']).toBe('DENY');
      await hydrated(page);
      expect(violations).toEqual([]);
    });
  }

  test('a signed-in workbench hydrates under its policy with no violation', async ({ page }) => {
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await login(page, 'clerk01');
    await page.goto('/clerk');
    await hydrated(page);
    expect(violations).toEqual([]);
  });
});

test.describe('login without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the form posted from our own login page signs in and goes to the role home', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('工号').fill('chief01');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page).toHaveURL(/\/chief$/);
    await expect(page.getByRole('button', { name: '退出' })).toBeVisible();
  });
});

test.describe('login CSRF', () => {
  test('a login form on another site cannot sign the browser in', async ({ page, baseURL }) => {
    // A page of another site whose form posts our login form with the attacker's account.
    await page.route('http://evil.test/**', (route) =>
      route.fulfill({
        contentType: 'text/html; charset=utf-8',
        body: `<!DOCTYPE html><html lang="en"><title>trap</title>
          <form method="post" action="${baseURL}/session/login">
            <input name="staff_number" value="clerk02"><input name="password" value="${DEMO_PASSWORD}">
            <input name="next" value="/clerk"><button>go</button>
          </form></html>`,
      }),
    );
    await page.goto('http://evil.test/trap');
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/session/login')),
      page.getByRole('button', { name: 'go' }).click(),
    ]);
    expect(answer.status()).toBe(403);
    // Not signed in: the staff page still asks to log in.
    await page.goto('/clerk');
    await expect(page.getByRole('button', { name: '退出' })).toHaveCount(0);
  });
});
