// The connection doctor next to a failed client connection: a client pointed at a port where nothing
// listens gets the diagnosis (refused) step by step, with "Start the server" (this exercise's, on that
// port) and "Try again" as buttons that work; Many clients aimed at nothing shows the same advice.

import { expect, test } from './fixtures'
import { clientPane, open, runClient, serverPane, shot, stopServer, unusedPort } from './ui'

test('a refused connection: the doctor says why, and “Start the server” starts it on that port', async ({ page, app }) => {
  await open(page, app, 'adder')
  const port = await unusedPort()
  await runClient(page, '127.0.0.1', port)
  const doctor = clientPane(page).getByTestId('client-doctor')
  await expect(doctor).toBeVisible()
  await expect(doctor).toHaveAttribute('data-code', 'refused')
  await expect(doctor).toContainText(`127.0.0.1:${port}`)
  await expect(doctor.locator('ol li').first()).not.toBeEmpty()
  await expect(doctor.getByTestId('doctor-action-retry')).toBeVisible()
  await shot(page, 'check-doctor-client')

  await doctor.getByTestId('doctor-start-server').click()
  await expect(serverPane(page).getByTestId('server-actual-port')).toHaveText(String(port))
  // The cause is gone, and so is the advice; connecting now works.
  await expect(clientPane(page).getByTestId('client-doctor')).toHaveCount(0)
  await clientPane(page).getByTestId('client-run').click()
  await expect(clientPane(page).getByTestId('client-state')).not.toHaveText(/failed/i)
  await expect(clientPane(page).getByTestId('client-doctor')).toHaveCount(0)
  await stopServer(page)
})

test('Many clients aimed at nothing: the doctor’s advice beside the grouped failures', async ({ page, app }) => {
  await open(page, app, 'many-clients')
  const port = await unusedPort()
  await page.getByTestId('many-host').fill('127.0.0.1')
  await page.getByTestId('many-port').fill(String(port))
  await page.getByTestId('many-count').fill('3')
  await page.getByTestId('many-start').click()
  const doctor = page.getByTestId('many-doctor')
  await expect(doctor).toBeVisible()
  await expect(doctor).toHaveAttribute('data-code', 'refused')
  await expect(doctor.getByTestId('doctor-action-retry')).toBeVisible()
})
