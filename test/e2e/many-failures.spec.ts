// Many clients against nothing, and a stop the student asked for: failures grouped with a count, one
// line for the stop, and a final status.

import { expect, test } from './fixtures'
import { open, serverPane, startServer, stopServer, unusedPort } from './ui'

test('every client refused: one group with its count, and the run says it failed', async ({ page, app }) => {
  const port = await unusedPort()
  await open(page, app, 'many-clients')
  await page.getByTestId('many-host').fill('127.0.0.1')
  await page.getByTestId('many-port').fill(String(port))
  await page.getByTestId('many-count').fill('20')
  await page.getByTestId('many-start').click()
  await expect(page.getByTestId('many-state')).toHaveText('Failed: no client got through')
  await expect(page.getByTestId('many-failure')).toHaveCount(1)
  await expect(page.getByTestId('many-failure')).toContainText('×20')
  // The log groups them too: not 20 identical lines.
  const console = page.getByTestId('many-console')
  expect(await console.locator('.console-line').count()).toBeLessThan(10)
})

test('a stop the student asked for is one line, not an error per client', async ({ page, app }) => {
  await open(page, app, 'adder')
  const port = await startServer(page)
  await page.getByTestId('nav-many-clients').click()
  await page.getByTestId('many-host').fill('127.0.0.1')
  await page.getByTestId('many-port').fill(String(port))
  await page.getByTestId('many-count').fill('30')
  await page.getByTestId('many-start').click()
  await expect(page.getByTestId('many-connected')).toHaveText('30')
  await page.getByTestId('many-stop').click()
  await expect(page.getByTestId('many-state')).toHaveText('Stopped')
  await expect(page.getByTestId('many-errors')).toHaveText('0')
  const console = page.getByTestId('many-console')
  await expect(console.locator('.console-line.is-error')).toHaveCount(0)
  expect(await console.locator('.console-line').count()).toBeLessThan(10)
  await page.getByTestId('nav-adder').click()
  await expect(serverPane(page).getByTestId('server-status')).toHaveText('Listening')
  await stopServer(page)
})
