// Browser mode, smallest possible check: a signed-in browser gets the page (with its CSP), one that
// has not signed in gets nothing, and the bridge WebSocket lets in only a signed-in page from its own
// Origin.

import WebSocket from 'ws'
import { expect, test, type WebApp } from './fixtures'

/** The HTTP status a WebSocket handshake is answered with (101 when it opens). */
function handshake(app: WebApp, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${app.port}/bridge`, { headers })
    ws.once('open', () => {
      ws.close()
      resolve(101)
    })
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate()
      resolve(res.statusCode ?? 0)
    })
    ws.once('error', () => resolve(0))
  })
}

test('the page opens for a signed-in browser and is titled SocketLab', async ({ page, app }) => {
  const response = await page.goto(app.url)
  expect(response?.status()).toBe(200)
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'")
  await expect(page).toHaveTitle('SocketLab')
})

test('the page is refused to a browser that has not signed in', async ({ browser, app }) => {
  const stranger = await browser.newContext()
  try {
    const response = await (await stranger.newPage()).goto(app.url)
    expect(response?.status()).toBe(403)
  } finally {
    await stranger.close()
  }
})

test("the bridge opens only with the sign-in cookie and the page's Origin", async ({ app }) => {
  const cookie = `${app.cookie.name}=${app.cookie.value}`
  expect(await handshake(app, { Origin: app.origin, Cookie: cookie })).toBe(101)
  expect(await handshake(app, { Origin: app.origin })).toBe(403)
  expect(await handshake(app, { Origin: app.origin, Cookie: `${cookie}x` })).toBe(403)
  expect(await handshake(app, { Origin: 'http://evil.example', Cookie: cookie })).toBe(403)
  expect(await handshake(app, { Cookie: cookie })).toBe(403)
})
