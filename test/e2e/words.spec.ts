// Words a student understands: a verdict that cannot be known, where a server listens, the handout's
// ranges flagged before sending, a list box tall enough, and an in-app light/dark choice that persists.

import net from 'node:net'
import { expect, test } from './fixtures'
import { clientPane, open, runClient, serverPane, startServer, stopServer } from './ui'

/** A classmate's intersection server: answers with the smallest three numbers of the client's set, sorted. */
async function classmateIntersection(): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer((socket) => {
    let got = ''
    socket.on('data', (d) => {
      got += d.toString('utf8')
      if (!got.includes(']')) return
      const numbers = (got.match(/\d+/g) ?? []).map(Number).sort((a, b) => a - b)
      socket.end(`[${numbers.slice(0, 3).join(', ')}]`)
    })
    socket.on('error', () => {})
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

test('an intersection against a classmate: "looks valid", never "correct", without the server’s set', async ({ page, app }) => {
  const classmate = await classmateIntersection()
  try {
    await open(page, app, 'intersection')
    await runClient(page, '127.0.0.1', classmate.port)
    await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
    const results = page.getByTestId('results')
    await expect(results.getByTestId('result-verdict')).toHaveText('looks valid')
    await expect(results.getByTestId('result-why')).toHaveText(
      "Looks valid (sorted, all from your set); cannot be checked without the server's set.",
    )
    await expect(results).not.toContainText(/correct/i)
  } finally {
    await classmate.close()
  }
})

test('values outside 1..100 and N = 500 are flagged before sending; a set size out of range is refused', async ({
  page,
  app,
}) => {
  await open(page, app, 'dedup')
  const pane = clientPane(page)
  await pane.getByTestId('dedup-count').fill('500')
  await pane.getByTestId('dedup-regenerate').click()
  await expect(pane.getByTestId('dedup-warning').first()).toHaveText('N = 500: the handout draws N from 25 to 100.')
  await pane.getByTestId('dedup-numbers').fill('[3, 0, 250, 3]')
  await expect(pane.getByTestId('dedup-warning').filter({ hasText: 'Outside 1..100: 0, 250' })).toBeVisible()
  // Tall enough for the handout's 100 numbers.
  await pane.getByTestId('dedup-count').fill('100')
  await pane.getByTestId('dedup-regenerate').click()
  const box = pane.getByTestId('dedup-numbers')
  const fits = await box.evaluate((el) => el.scrollHeight <= el.clientHeight + 2)
  expect(fits).toBe(true)

  await page.getByTestId('nav-intersection').click()
  await clientPane(page).getByTestId('intersection-size').fill('500')
  await runClient(page, '127.0.0.1', 12345)
  await expect(clientPane(page).getByTestId('error-size')).toHaveText('Set size must be 1 to 100, not 500.')
  await clientPane(page).getByTestId('intersection-size').fill('25')
})

test('where a server listens and why it stopped, in plain words', async ({ page, app }) => {
  await open(page, app, 'greeting')
  await startServer(page)
  await expect(serverPane(page).getByTestId('server-listening')).toContainText('on all interfaces (0.0.0.0 and ::) port')
  await expect(serverPane(page).getByTestId('server-listening')).not.toContainText('[::]')
  await stopServer(page)
  await expect(serverPane(page).getByTestId('server-stopped-reason')).toHaveText('Stopped.')
  await expect(serverPane(page)).not.toContainText('Stopped (stopped)')
})

test('the light/dark choice is in the app and survives a reload', async ({ page, app }) => {
  await page.emulateMedia({ colorScheme: 'light' })
  await open(page, app, 'greeting')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  await page.getByTestId('theme-select').selectOption('dark')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
  expect(bg).toBe('rgb(21, 24, 29)')
  await page.waitForTimeout(500) // settings are saved a moment after a change
  await page.reload()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await page.getByTestId('theme-select').selectOption('system')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
})
