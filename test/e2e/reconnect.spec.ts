// Browser mode: when the bridge WebSocket drops, a banner says so, the page reconnects by itself and
// picks up where the engine is (servers keep running there).

import { expect, test } from './fixtures'
import { open, serverPane, startServer, stopServer } from './ui'

test('a dropped bridge shows a banner, reconnects and resynchronises', async ({ page, app }) => {
  let connections = 0
  let dropFirst: (() => void) | null = null
  await page.routeWebSocket(/\/bridge$/, (ws) => {
    connections++
    // The 2nd and 3rd attempts fail at once, so the banner stays up for a moment.
    if (connections === 2 || connections === 3) {
      ws.close()
      return
    }
    ws.connectToServer()
    if (connections === 1) dropFirst = () => ws.close()
  })
  await open(page, app, 'greeting')
  const port = await startServer(page)

  dropFirst!()
  const banner = page.getByTestId('link-banner')
  await expect(banner).toContainText('Lost the connection to SocketLab')
  await expect(banner).toBeHidden({ timeout: 15_000 })
  expect(connections).toBeGreaterThanOrEqual(4)

  // After the reconnection: the server still runs, and commands work again.
  await expect(serverPane(page).getByTestId('server-actual-port')).toHaveText(String(port))
  await stopServer(page)
})
