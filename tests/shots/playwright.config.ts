// Playwright configuration for `cargo xtask shots`: the whole screenshot matrix, split into as
// many shards as there are workers (shots.spec.ts). The browser, its switches and the base URL
// are the end-to-end tests' own (tests/e2e/playwright.config.ts); xtask starts the server.
//
//   BASE_URL=http://127.0.0.1:8123 SHOTS_DIR=target/shots \
//     npx playwright test --config tests/shots/playwright.config.ts

import * as path from 'node:path';
import { defineConfig } from '@playwright/test';
import e2e from '../e2e/playwright.config';

export const SHARDS = Number(process.env.SHOTS_WORKERS ?? 2);

export default defineConfig({
  ...e2e,
  testDir: '.',
  testMatch: 'shots.spec.ts',
  outputDir: path.join(process.env.SHOTS_DIR ?? '../../target/shots', 'test-results'),
  globalSetup: undefined,
  fullyParallel: true,
  workers: SHARDS,
  // A shard walks hundreds of drawings: no time limit for the test as a whole.
  timeout: 0,
  reporter: 'list',
  use: { ...e2e.use, trace: 'off', screenshot: 'off' },
});
