import { defineConfig } from '@playwright/test';

/** Browser tests: Debian's Chromium (never a downloaded browser), the real server, a real sshd fleet. */
export default defineConfig({
  testDir: 'e2e',
  // a whole flow (issue, distribute, renew) on a loaded 2-core machine takes minutes: the limit is for hangs, not speed
  timeout: 360_000,
  expect: { timeout: 20_000 },
  workers: 1,
  retries: 0,
  outputDir: '.artifacts/playwright',
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
