// Playwright configuration for the Journeykit end-to-end tests.
//
// Run from the repository root against a running server and the two page origins (xtask starts
// the server in dev mode with a fresh SQLite database, the demo's and the tests' tenants, and
// serves InsurGroup's pages and the tests' own; README.md in this folder):
//
//   BASE_URL=http://127.0.0.1:8123 SITE_URL=http://localhost:8081 \
//     E2E_SITE_URL=http://localhost:8082 npx playwright test --config tests/e2e/playwright.config.ts
//
// The browser is the system Chromium; Playwright never downloads one.

import { defineConfig } from '@playwright/test';

const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:8123').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  // Paths below are relative to this file.
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: 'test-results',
  globalSetup: './global-setup.ts',

  // Every test uses its own email address, so tests may run side by side; 2 cores.
  fullyParallel: true,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',

  // Generous: debug builds, argon2 on the server, a 2-core machine.
  timeout: 120_000,
  expect: { timeout: 15_000 },

  use: {
    baseURL: BASE_URL,
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    },
    timezoneId: 'UTC',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },

  projects: [{ name: 'chromium' }],
});
