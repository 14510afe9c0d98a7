// Lab 2, questions 1 and 2: a one-at-a-time server keeps a second client waiting in recv(), as the
// handout's client would; it is served when the first quits. The adder consoles read like a terminal.

import { expect, test } from './fixtures'
import { clientPane, docShot, handoutAdderClient, open, serverPane, startServer, stopServer } from './ui'

test('a second client waits its turn at a one-at-a-time server, without timing out, and is served when the first quits', async ({
  page,
  app,
}) => {
  await page.setViewportSize({ width: 1360, height: 860 })
  await open(page, app, 'adder')
  // A reply timeout shorter than the wait below: it must not apply while the client waits its turn.
  await page.getByTestId('wire-toggle').click()
  await page.getByTestId('wire-replyTimeoutMs').fill('1000')
  await page.getByTestId('wire-toggle').click()
  const port = await startServer(page, '0', { oneAtATime: true })
  const first = await handoutAdderClient(port, 'first-1111')
  await first.acked
  await expect(serverPane(page).getByTestId('server-console')).toContainText('Connection initiated by first-1111')

  await clientPane(page).getByTestId('adder-name').fill('second-2222')
  await clientPane(page).getByTestId('client-host').fill('127.0.0.1')
  await clientPane(page).getByTestId('client-port').fill(String(port))
  await clientPane(page).getByTestId('client-run').click()
  const pane = clientPane(page)
  await expect(pane.getByTestId('client-state')).toHaveText('Waiting')
  await expect(pane.getByTestId('client-waiting')).toHaveText('waiting: the server is serving another client (one at a time)')
  await expect(pane.getByTestId('adder-command')).toBeDisabled()
  await expect(pane.getByTestId('adder-a')).toBeDisabled()
  // The picture opens at the page's top (the wire settings' toggle scrolled it down).
  await page.getByTestId('page-adder').evaluate((el) => el.scrollIntoView({ block: 'start' }))
  await docShot(page, 'waiting-client')

  // Longer than the reply timeout: still waiting, no error.
  await page.waitForTimeout(2500)
  await expect(pane.getByTestId('client-state')).toHaveText('Waiting')
  await expect(pane.getByTestId('error-command')).toHaveCount(0)
  await expect(pane.locator('.field-error')).toHaveCount(0)

  // The first quits: the second is served, and its command box opens.
  first.quit()
  await expect(serverPane(page).getByTestId('server-console')).toContainText('first-1111 closed the connection')
  await expect(serverPane(page).getByTestId('server-console')).toContainText('Connection initiated by second-2222')
  await expect(pane.getByTestId('client-state')).toHaveText('Connected')
  await expect(pane.getByTestId('adder-command')).toBeEnabled()

  // A terminal: each command echoed, Invalid command, the sums on the server console too, q.
  const command = pane.getByTestId('adder-command')
  await command.fill('x')
  await command.press('Enter')
  const client = pane.getByTestId('client-console')
  await expect(client.locator('.console-line.is-input', { hasText: '> x' })).toBeVisible()
  await expect(client).toContainText('Invalid command')
  await command.fill('a')
  await command.press('Enter')
  await expect(client.locator('.console-line.is-input', { hasText: '> a' })).toBeVisible()
  await expect(client).toContainText(/answer received from Server = \d+/)
  await expect(serverPane(page).getByTestId('server-console')).toContainText(/second-2222: \d+ \+ \d+ = \d+/)
  await pane.getByTestId('adder-q').click()
  await expect(client.locator('.console-line.is-input', { hasText: '> q' })).toBeVisible()
  await expect(serverPane(page).getByTestId('server-console')).toContainText('second-2222 closed the connection')
  await expect(pane.getByTestId('client-state')).toHaveText('Done')
  await stopServer(page)
})

test('Many clients counts the clients a one-at-a-time server keeps waiting', async ({ page, app }) => {
  await open(page, app, 'adder')
  const port = await startServer(page, '0', { oneAtATime: true })
  await page.getByTestId('nav-many-clients').click()
  await page.getByTestId('many-host').fill('127.0.0.1')
  await page.getByTestId('many-port').fill(String(port))
  await page.getByTestId('many-count').fill('5')
  await page.getByTestId('many-start').click()
  await expect(page.getByTestId('many-waiting')).toHaveText('4')
  await expect(page.getByTestId('many-waiting-note')).toContainText('one client at a time')
  await expect(page.getByTestId('many-errors')).toHaveText('0')
  await page.getByTestId('many-stop').click()
  await expect(page.getByTestId('many-state')).toHaveText('Stopped')
  await page.getByTestId('nav-adder').click()
  await stopServer(page)
})
