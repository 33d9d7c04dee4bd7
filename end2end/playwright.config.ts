import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverBin as server, serverEnv } from './tests/own_server';

// The server under test: the debug build made by `cargo leptos build`, on a fresh SQLite file with
// the demo organisation. Debian's Chromium only; never a downloaded browser.
const port = Number(process.env.CHUANGKOU_E2E_PORT ?? 3457);
const dataDir = mkdtempSync(join(tmpdir(), 'chuangkou-e2e-'));
// A second server whose clock starts on a working-day morning, so that the hall is open (tickets,
// calls) whatever time the suite runs; see `hallURL` in tests/helpers.ts.
const hallPort = Number(process.env.CHUANGKOU_E2E_HALL_PORT ?? 3458);
const hallDataDir = mkdtempSync(join(tmpdir(), 'chuangkou-e2e-hall-'));
// A test that needs the minutes before the after-hours slot starts a server of its own when it
// runs (`startOwnServer` in tests/own_server.ts), on CHUANGKOU_E2E_EVENING_PORT.

const chromium = {
  browserName: 'chromium' as const,
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  },
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
};

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  // One at a time: the specs share two servers and their data (the same clerk at the same
  // window, the same hall's queue), and two at once raced each other on a 2-core machine.
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/results.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'tablet', use: { ...chromium, viewport: { width: 1024, height: 768 }, hasTouch: true } },
    { name: 'phone', use: { ...chromium, viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true } },
  ],
  webServer: [
    {
      command: `${server} --demo --addr 127.0.0.1:${port}`,
      cwd: '..',
      url: `http://127.0.0.1:${port}/api/v1/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      env: serverEnv(dataDir),
    },
    {
      command: `${server} --demo --demo-clock 2026-03-04T09:30:00+08:00 --addr 127.0.0.1:${hallPort}`,
      cwd: '..',
      url: `http://127.0.0.1:${hallPort}/api/v1/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      env: serverEnv(hallDataDir),
    },
  ],
});
