// The packaged app's path, as far as it can be checked without the Electron runtime: the built renderer
// loaded from file:// (out/renderer/index.html, with its real Content-Security-Policy meta tag) in
// Chromium, with a stand-in for the preload's `window.socketlab` that forwards every command and batch
// to the browser-mode host, running an exercise end to end.

import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import WebSocket from 'ws'
import { COMMAND_NAMES, type WebFrame } from '../../src/shared/contract'
import { expect, test } from './fixtures'
import { clientPane, runClient, serverPane, startServer, stopServer } from './ui'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const indexFile = join(root, 'out', 'renderer', 'index.html')

// Chromium refuses module scripts from file:// unless told otherwise (Electron's file protocol allows them).
test.use({
  launchOptions: async ({ launchOptions }, use) =>
    use({ ...launchOptions, args: [...(launchOptions.args ?? []), '--allow-file-access-from-files'] }),
})

test('the built page from file://, under its own CSP, runs the greeting through a preload-shaped bridge', async ({
  page,
  app,
}) => {
  const html = readFileSync(indexFile, 'utf8')
  expect(html).toMatch(/<meta\s+http-equiv="Content-Security-Policy"\s+content="[^"]*script-src 'self'/)

  // The stand-in preload: the page's `window.socketlab`, forwarding to the host over its WebSocket.
  const ws = new WebSocket(`ws://127.0.0.1:${app.port}/bridge`, {
    headers: { Cookie: `${app.cookie.name}=${app.cookie.value}`, Origin: app.origin },
  })
  await new Promise<void>((ok, fail) => {
    ws.once('open', () => ok())
    ws.once('error', fail)
  })
  const pending = new Map<number, (result: unknown) => void>()
  let nextId = 1
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as WebFrame
    if (frame.kind === 'result') pending.get(frame.id)?.(frame.result)
    else if (frame.kind === 'batch')
      void page.evaluate((b) => (window as any).__socketlabDeliver?.(b), frame.batch).catch(() => {}) // eslint-disable-line @typescript-eslint/no-explicit-any
  })
  await page.exposeFunction('__socketlabCommand', (name: string, args: unknown) => {
    const id = nextId++
    return new Promise((ok) => {
      pending.set(id, ok)
      ws.send(JSON.stringify({ id, name, args }))
    })
  })
  await page.addInitScript((names: readonly string[]) => {
    const listeners = new Set<(batch: unknown) => void>()
    const w = window as any // eslint-disable-line @typescript-eslint/no-explicit-any
    w.__cspViolations = []
    document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`))
    w.__socketlabDeliver = (batch: unknown) => listeners.forEach((l) => l(batch))
    const bridge: Record<string, unknown> = {
      mode: 'electron',
      onBatch(listener: (batch: unknown) => void) {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
    }
    for (const name of names) bridge[name] = (args: unknown) => w.__socketlabCommand(name, args)
    w.socketlab = Object.freeze(bridge)
  }, COMMAND_NAMES)

  try {
    await page.goto(`${pathToFileURL(indexFile).href}#/greeting`)
    await expect(page.getByTestId('page-greeting')).toBeVisible()
    await expect(page.locator('.brand-dot.ok')).toBeVisible()
    const port = await startServer(page)
    await runClient(page, '127.0.0.1', port)
    await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
    await expect(serverPane(page).getByTestId('server-console')).toContainText('Got connection from')
    await expect(clientPane(page).getByTestId('client-console')).toContainText('Thank you for connecting')
    await expect(page.getByTestId('results')).toContainText('Client received')
    await stopServer(page)
    expect(await page.evaluate(() => (window as any).__cspViolations)).toEqual([]) // eslint-disable-line @typescript-eslint/no-explicit-any
  } finally {
    ws.close()
  }
})
