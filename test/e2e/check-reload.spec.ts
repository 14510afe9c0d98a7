// A reload or a second tab shows the Check page's results as before: the host keeps the recent check runs
// (their rows, each result, the report) in its snapshot, and the page rebuilds its tabs from it.

import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { freePort, openCheck, startRun, STUDENTS, verdicts } from './check-helpers'

/** Every row of the tab's run: its id and the verdict it shows, in order, and the run's own verdict. */
async function rows(page: Page): Promise<{ verdict: string; rows: [string, string][] }> {
  const run = page.getByTestId('check-run-program')
  await expect(run.getByTestId('check-verdict')).toHaveText(/^(PASS|FAIL)/, { timeout: 45_000 })
  const cells = run.locator('[data-testid^="check-verdict-"]')
  const out: [string, string][] = []
  for (const cell of await cells.all())
    out.push([(await cell.getAttribute('data-testid'))!.slice('check-verdict-'.length), (await cell.textContent()) ?? ''])
  return { verdict: (await run.getByTestId('check-verdict').textContent()) ?? '', rows: out }
}

test('a reload and a second tab show the same check run, row by row', async ({ page, app, context }) => {
  await openCheck(page, app, 'program')
  await page.getByTestId('check-program-side').selectOption('server')
  await page.getByTestId('check-program-question').selectOption('adder')
  await page.getByTestId('check-program-command').fill(`python3 ${join(STUDENTS, 'adder_server_ack_newline.py')} {port}`)
  await page.getByTestId('check-program-port').fill(String(await freePort()))
  await startRun(page, 'program')
  expect(await verdicts(page, 'program', ['ack', 'sums'])).toEqual({ ack: 'fail', sums: 'pass' })
  const before = await rows(page)
  expect(before.rows.length).toBeGreaterThan(3)
  const runId = await page.getByTestId('check-run-program').getAttribute('data-run')

  await page.reload()
  await expect(page.locator('.brand-dot.ok')).toBeVisible()
  await page.getByTestId('check-tab-program').click()
  await expect(page.getByTestId('check-run-program')).toHaveAttribute('data-run', runId!)
  expect(await rows(page)).toEqual(before)
  // The failing row still opens what to change.
  await page.getByTestId('check-run-program').getByTestId('check-toggle-ack').click()
  await expect(page.getByTestId('check-run-program').getByTestId('check-fix-ack')).toContainText('send exactly')

  const second = await context.newPage()
  await openCheck(second, app, 'program')
  await expect(second.getByTestId('check-run-program')).toHaveAttribute('data-run', runId!)
  expect(await rows(second)).toEqual(before)
  await second.close()
})
