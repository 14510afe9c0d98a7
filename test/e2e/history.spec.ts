// A reload or a second tab shows what the page showed before: the host hands over the consoles, the
// results and the recent traffic in its snapshot, and the pages adopt what still runs.

import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { clientPane, go, open, runClient, serverPane, startServer, stopServer } from './ui'

async function expectGreetingHistory(page: Page, port: number): Promise<void> {
  await expect(serverPane(page).getByTestId('server-actual-port')).toHaveText(String(port))
  await expect(serverPane(page).getByTestId('server-console')).toContainText('Got connection from')
  await expect(serverPane(page).getByTestId('server-console')).not.toContainText('Start the server')
  await expect(clientPane(page).getByTestId('client-console')).toContainText('Thank you for connecting')
  await expect(page.getByTestId('results')).toContainText('Client received')
  await go(page, 'traffic')
  await expect(page.getByTestId('traffic-row').filter({ hasText: 'Thank you for connecting' }).first()).toBeVisible()
  await go(page, 'greeting')
}

test('a reload and a second tab keep the consoles, the result and the traffic', async ({ page, app, context }) => {
  await open(page, app, 'greeting')
  const port = await startServer(page)
  await runClient(page, '127.0.0.1', port)
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')

  await page.reload()
  await expect(page.locator('.brand-dot.ok')).toBeVisible()
  await expectGreetingHistory(page, port)
  // How the client ended, as before the reload.
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')

  const second = await context.newPage()
  await open(second, app, 'greeting')
  await expectGreetingHistory(second, port)
  await second.close()
  await stopServer(page)
})
