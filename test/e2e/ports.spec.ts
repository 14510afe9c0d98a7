// Port collisions with the app's own servers, messages that go when their cause is fixed, one look for
// failure, and the host box's typos explained next to it.

import { expect, test } from './fixtures'
import { clientPane, open, runClient, serverPane, startServer, stopServer, unusedPort } from './ui'

test('a port held by our own Greeting server: which one, "Stop it", and the message goes once it stopped', async ({
  page,
  app,
}) => {
  await open(page, app, 'greeting')
  const port = await startServer(page)
  await page.getByTestId('nav-dedup').click()
  await serverPane(page).getByTestId('server-port').fill(String(port))
  await serverPane(page).getByTestId('server-start').click()
  const error = serverPane(page).getByTestId('error-port')
  await expect(error).toContainText(`Port ${port} is already in use by your Greeting server`)
  await serverPane(page).getByTestId('port-stop-holder').click()
  // Its cause is gone: so is the message.
  await expect(error).toHaveCount(0)
  await serverPane(page).getByTestId('server-start').click()
  await expect(serverPane(page).getByTestId('server-actual-port')).toHaveText(String(port))
  await stopServer(page)
  await page.getByTestId('nav-greeting').click()
  await expect(serverPane(page).getByTestId('server-status')).toHaveText('Stopped')
  await expect(serverPane(page).getByTestId('server-stopped-reason')).toHaveText('Stopped.')
})

test('"Use" the free port offered next to a port in use', async ({ page, app }) => {
  await open(page, app, 'greeting')
  const port = await startServer(page)
  await page.getByTestId('nav-intersection').click()
  await serverPane(page).getByTestId('server-port').fill(String(port))
  await serverPane(page).getByTestId('server-start').click()
  const use = serverPane(page).getByTestId('port-use-free')
  await expect(use).toHaveText(/^Use \d+$/)
  const free = (await use.textContent())!.replace('Use ', '')
  await use.click()
  await expect(serverPane(page).getByTestId('server-port')).toHaveValue(free)
  await expect(serverPane(page).getByTestId('error-port')).toHaveCount(0)
  await serverPane(page).getByTestId('server-start').click()
  await expect(serverPane(page).getByTestId('server-actual-port')).toHaveText(free)
  await stopServer(page)
  await page.getByTestId('nav-greeting').click()
  await stopServer(page)
})

test('a Dedup client that reached our own Greeting server is told so', async ({ page, app }) => {
  await open(page, app, 'greeting')
  const port = await startServer(page)
  await page.getByTestId('nav-dedup').click()
  await runClient(page, '127.0.0.1', port)
  await expect(clientPane(page).getByTestId('client-own-server')).toContainText('You reached your own Greeting server')
  await page.getByTestId('nav-greeting').click()
  await stopServer(page)
})

test('"Nothing is listening" goes once a server listens there; a refused client looks failed', async ({ page, app }) => {
  const port = await unusedPort()
  await open(page, app, 'dedup')
  await runClient(page, '127.0.0.1', port)
  const error = clientPane(page).getByTestId('error-port')
  await expect(error).toContainText(`Nothing is listening at 127.0.0.1:${port}`)
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Failed')
  await expect(clientPane(page).getByTestId('client-state')).toHaveClass(/\berr\b/)
  await startServer(page, String(port))
  await expect(error).toHaveCount(0)
  // A new run's outcome replaces the old one.
  await clientPane(page).getByTestId('client-run').click()
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
  await expect(clientPane(page).locator('.field-error')).toHaveCount(0)
  await stopServer(page)
})

for (const [typed, words] of [
  ['127.0.0.256', 'each of the 4 numbers is 0–255'],
  ['127.0.0.l', 'Did you mean 127.0.0.1?'],
  ['127.0.0.1:23460', 'Put the port in the Port box'],
  ['127 0 0 1', 'Separate the 4 numbers with dots'],
] as const) {
  test(`the host box says what is wrong with ${typed}`, async ({ page, app }) => {
    await open(page, app, 'greeting')
    await runClient(page, typed, 12345)
    const error = clientPane(page).getByTestId('error-host')
    await expect(error).toContainText(words)
    await expect(clientPane(page).getByTestId('client-host')).toHaveAttribute('aria-invalid', 'true')
    await expect(clientPane(page).getByTestId('client-run')).toBeVisible()
  })
}
