// Mistakes a student makes, shown in plain words right next to the control that caused them.

import { expect, test } from './fixtures'
import { clientPane, open, runClient, serverPane, shot, unusedPort } from './ui'

test('a port out of range is refused next to the server port field', async ({ page, app }) => {
  await open(page, app, 'greeting')
  const pane = serverPane(page)
  await pane.getByTestId('server-port').fill('70000')
  await pane.getByTestId('server-start').click()
  const error = pane.getByTestId('error-port')
  await expect(error).toHaveText('Port must be 0 to 65535.')
  await expect(pane.getByTestId('server-port')).toHaveAttribute('aria-invalid', 'true')
  await expect(pane.getByTestId('server-status')).toHaveText('Stopped')
  // The error stays where it belongs: not in the client pane.
  await expect(clientPane(page).getByTestId('error-port')).toHaveCount(0)
  // Not a number at all: said before anything is sent.
  await pane.getByTestId('server-port').fill('12a')
  await pane.getByTestId('server-start').click()
  await expect(error).toHaveText('Port must be a whole number, not "12a".')
  // Fixed: the error goes away.
  await pane.getByTestId('server-port').fill('0')
  await pane.getByTestId('server-start').click()
  await expect(pane.getByTestId('server-status')).toHaveText('Listening')
  await expect(error).toHaveCount(0)
  await pane.getByTestId('server-stop').click()
  await expect(pane.getByTestId('server-status')).toHaveText('Stopped')
})

test('a refused connection is shown next to the client port', async ({ page, app }) => {
  const port = await unusedPort()
  await open(page, app, 'dedup')
  await runClient(page, '127.0.0.1', port)
  const error = clientPane(page).getByTestId('error-port')
  await expect(error).toContainText(`Nothing is listening at 127.0.0.1:${port}`)
  await expect(clientPane(page).getByTestId('client-port')).toHaveAttribute('aria-invalid', 'true')
  await expect(clientPane(page).getByTestId('client-run')).toBeVisible()
  await shot(page, 'error-refused')
})

test('a client port out of range, and a missing host', async ({ page, app }) => {
  await open(page, app, 'adder')
  await runClient(page, '127.0.0.1', 70000)
  await expect(clientPane(page).getByTestId('error-port')).toHaveText(/^Port must be [01] to 65535\.$/)
  await runClient(page, '', 12345)
  await expect(clientPane(page).getByTestId('error-host')).toHaveText(
    'Type the server’s IP address or host name (127.0.0.1 for this machine).',
  )
  await expect(clientPane(page).getByTestId('error-port')).toHaveCount(0)
})

test('a port already in use is explained next to the port', async ({ page, app }) => {
  const port = await unusedPort()
  await open(page, app, 'greeting')
  await serverPane(page).getByTestId('server-port').fill(String(port))
  await serverPane(page).getByTestId('server-start').click()
  await expect(serverPane(page).getByTestId('server-actual-port')).toHaveText(String(port))
  // The same port for another exercise's server.
  await page.getByTestId('nav-dedup').click()
  await serverPane(page).getByTestId('server-port').fill(String(port))
  await serverPane(page).getByTestId('server-start').click()
  await expect(serverPane(page).getByTestId('error-port')).toContainText(`Port ${port} is already in use`)
  await page.getByTestId('nav-greeting').click()
  await serverPane(page).getByTestId('server-stop').click()
  await expect(serverPane(page).getByTestId('server-status')).toHaveText('Stopped')
})
