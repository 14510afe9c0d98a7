import { existsSync } from 'node:fs'
import { defineConfig } from '@playwright/test'

// Debian's Chromium where it is installed (this machine, CI); elsewhere Playwright's own
// (`npx playwright install chromium`), or SOCKETLAB_CHROMIUM=/path/to/chrome.
const chromium = process.env.SOCKETLAB_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined)

export default defineConfig({
  // Both projects start real servers and windows: one test file at a time keeps ports and memory predictable.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  outputDir: 'test-results',
  use: {
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      // The desktop app through Playwright's Electron driver. Skipped where the Electron runtime is not
      // installed (it is downloaded from GitHub on first run). Needs `npm run build` first.
      name: 'electron',
      testDir: 'test/electron',
    },
    // ---------- e2e: the renderer in a real browser over browser mode ----------
    // Owned by the renderer engineer: specs go in test/e2e, with `test` from test/e2e/fixtures.ts
    // (a worker-scoped `app` fixture runs `node out/main/web.js --no-open`). Needs `npm run build` first.
    {
      name: 'e2e',
      testDir: 'test/e2e',
      use: {
        browserName: 'chromium',
        headless: true,
        // Every test leaves a screenshot in test-results/ to look at, not only the failures.
        screenshot: 'on',
        viewport: { width: 1360, height: 860 },
        launchOptions: {
          executablePath: chromium,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--no-first-run',
          ],
        },
      },
    },
  ],
})
