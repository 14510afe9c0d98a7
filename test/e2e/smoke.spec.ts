// Browser mode, smallest possible check: the page opens with its token, and the bridge WebSocket lets in
// nobody without the token and the page's own Origin.

import WebSocket from 'ws'
import { expect, test, type WebApp } from './fixtures'

/** The HTTP status a WebSocket handshake is answered with (101 when it opens). */
function handshake(app: WebApp, query: string, origin: string | undefined): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${app.port}/bridge${query}`, origin ? { headers: { Origin: origin } } : {})
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

test('the page opens with its token and is titled SocketLab', async ({ page, app }) => {
  const response = await page.goto(app.url)
  expect(response?.status()).toBe(200)
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'")
  await expect(page).toHaveTitle('SocketLab')
})

test('the page is refused without its token', async ({ page, app }) => {
  const response = await page.goto(`${app.origin}/`)
  expect(response?.status()).toBe(403)
})

test("the bridge opens only with the token and the page's Origin", async ({ app }) => {
  expect(await handshake(app, `?token=${app.token}`, app.origin)).toBe(101)
  expect(await handshake(app, '', app.origin)).toBe(403)
  expect(await handshake(app, `?token=wrong${app.token}`, app.origin)).toBe(403)
  expect(await handshake(app, `?token=${app.token}`, 'http://evil.example')).toBe(403)
  expect(await handshake(app, `?token=${app.token}`, undefined)).toBe(403)
})
