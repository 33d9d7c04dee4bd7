// Ad-hoc screenshots for looking at pages as a user would (not a test).
// Usage: node shot.mjs BASE_URL OUT_DIR [who] [path...]
import { chromium } from '@playwright/test';

const [base, out, who, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
for (const [name, viewport] of [['tablet', { width: 1024, height: 768 }], ['phone', { width: 390, height: 844 }]]) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log(`[${name}] console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => console.log(`[${name}] pageerror: ${e.message}`));
  if (who && who !== '-') {
    await page.goto(`${base}/login`);
    await page.getByLabel('工号').fill(who);
    await page.getByLabel('密码').fill('chuangkou-demo');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForLoadState('networkidle');
  }
  for (const p of paths) {
    await page.goto(`${base}${p}`);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(500);
    const file = `${out}/${name}${p.replaceAll('/', '_') || '_home'}.png`;
    await page.screenshot({ path: file, fullPage: true });
    console.log('saved', file);
  }
  await context.close();
}
await browser.close();
