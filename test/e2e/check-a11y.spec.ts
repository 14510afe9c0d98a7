// The Check page with axe-core: no serious or critical WCAG 2.1 A/AA violation on any of its tabs, in both
// themes, idle and with results shown (a failing report with a row open and its evidence, the connection
// doctor, the room board's grid with a cell open).

import AxeBuilder from '@axe-core/playwright'
import { join } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { freePort, openCheck, startRun, STUDENTS, studentServer, verdicts, type CheckTabId } from './check-helpers'

const children: ChildProcess[] = []
test.afterAll(() => {
  for (const c of children) c.kill('SIGKILL')
})

const TABS: CheckTabId[] = ['server', 'client', 'program', 'room']

async function violations(page: Page, state: string): Promise<string[]> {
  const found: string[] = []
  for (const theme of ['light', 'dark'] as const) {
    await page.getByTestId('theme-select').selectOption(theme)
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
    for (const tab of TABS) {
      await page.getByTestId(`check-tab-${tab}`).click()
      const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
      for (const v of result.violations)
        if (v.impact === 'serious' || v.impact === 'critical')
          found.push(
            `${state}, ${theme}, ${tab}: ${v.id}: ${v.nodes
              .map((n) => n.target.join(' '))
              .slice(0, 5)
              .join(' | ')}`,
          )
    }
  }
  await page.getByTestId('theme-select').selectOption('system')
  return found
}

test('the Check page: no serious or critical accessibility violation, idle and with results, in both themes', async ({
  page,
  app,
}) => {
  test.setTimeout(240_000)
  await openCheck(page, app, 'server')
  expect(await violations(page, 'idle')).toEqual([])

  // A failing report with its evidence open, and the doctor for a server that is not there.
  await page.getByTestId('check-tab-program').click()
  await page.getByTestId('check-program-side').selectOption('server')
  await page.getByTestId('check-program-command').fill(`python3 ${join(STUDENTS, 'adder_server_ack_newline.py')} {port}`)
  await page.getByTestId('check-program-port').fill(String(await freePort()))
  await startRun(page, 'program')
  await verdicts(page, 'program', ['ack'])
  await page.getByTestId('check-run-program').getByTestId('check-toggle-ack').click()
  await page.getByTestId('check-tab-server').click()
  await page.getByTestId('check-server-port').fill(String(await freePort()))
  await startRun(page, 'server')
  await expect(page.getByTestId('doctor-advice')).toBeVisible({ timeout: 30_000 })
  // The room board with a cell open.
  const port = await studentServer('adder_server_ack_newline.py', children)
  await page.getByTestId('check-tab-room').click()
  await page.getByTestId('check-roster-csv').fill(`team,host,port,question\nteam-a,127.0.0.1,${port},adder\n`)
  await page.getByTestId('check-roster-start').click()
  await expect(page.getByTestId('room-result-0')).toHaveText('FAIL', { timeout: 30_000 })
  await page.getByTestId('room-cell-0-ack').click()
  await expect(page.getByTestId('room-picked')).toBeVisible()
  expect(await violations(page, 'with results')).toEqual([])
})
