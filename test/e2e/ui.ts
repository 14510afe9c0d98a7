// Helpers shared by the e2e specs: open a page of the app, start a server from the UI and read its
// real port, run the client, save a screenshot of a page.

import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import net from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Locator, Page } from '@playwright/test'
import { expect, type WebApp } from './fixtures'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const SCREENSHOTS = join(root, 'test-results', 'screenshots')
/** The README's screenshots. */
export const DOC_SCREENSHOTS = join(root, 'docs', 'screenshots')

export type PageId =
  'machine' | 'greeting' | 'dedup' | 'intersection' | 'adder' | 'many-clients' | 'connections' | 'traffic' | 'capture'

/** Load the app on one page and wait until it talks to the host. */
export async function open(page: Page, app: WebApp, id: PageId): Promise<void> {
  await page.goto(`${app.url}#/${id}`)
  await expect(page.getByTestId(`page-${id}`)).toBeVisible()
  await expect(page.locator('.brand-dot.ok')).toBeVisible()
}

/** Switch page through the sidebar, as a student would. */
export async function go(page: Page, id: PageId): Promise<void> {
  await page.getByTestId(`nav-${id}`).click()
  await expect(page.getByTestId(`page-${id}`)).toBeVisible()
}

export const serverPane = (page: Page): Locator => page.getByTestId('server-pane')
export const clientPane = (page: Page): Locator => page.getByTestId('client-pane')

/** Start the page's server on `port` (0: any free one) and return the port it really got. */
export async function startServer(page: Page, port = '0', options: { oneAtATime?: boolean } = {}): Promise<number> {
  const pane = serverPane(page)
  // A server left running by an earlier test in this worker is stopped first.
  if (await pane.getByTestId('server-stop').isVisible()) {
    await pane.getByTestId('server-stop').click()
    await expect(pane.getByTestId('server-start')).toBeVisible()
  }
  await pane.getByTestId('server-port').fill(port)
  if (options.oneAtATime) await pane.getByTestId('server-sequential').check()
  await pane.getByTestId('server-start').click()
  const shown = pane.getByTestId('server-actual-port')
  await expect(shown).toHaveText(/^\d+$/)
  const actual = Number(await shown.textContent())
  expect(actual).toBeGreaterThan(0)
  return actual
}

export async function stopServer(page: Page): Promise<void> {
  const pane = serverPane(page)
  // The pane first (just after a page change it may not be drawn yet), then its Stop button if it runs.
  await expect(pane.getByTestId('server-status')).toBeVisible()
  if (await pane.getByTestId('server-stop').isVisible()) await pane.getByTestId('server-stop').click()
  await expect(pane.getByTestId('server-status')).toHaveText('Stopped')
}

/** tshark runs on this machine (the specs that capture for real skip where it is not installed). */
export function tsharkInstalled(): boolean {
  return spawnSync('tshark', ['-v'], { encoding: 'utf8' }).status === 0
}

/** Start a capture of `port` on lo from the Capture page and wait until it says it is ready. */
export async function startCapture(page: Page, port: number): Promise<void> {
  await go(page, 'capture')
  await expect(page.getByTestId('capture-interface')).toBeEnabled({ timeout: 20_000 })
  await page.getByTestId('capture-interface').selectOption('lo')
  await page.getByTestId('capture-port').fill(String(port))
  await page.getByTestId('capture-start').click()
  await expect(page.getByTestId('capture-ready')).toHaveAttribute('data-ready', 'true', { timeout: 25_000 })
}

/** Fill host and port and press Run (or Connect). */
export async function runClient(page: Page, host: string, port: number | string): Promise<void> {
  const pane = clientPane(page)
  await pane.getByTestId('client-host').fill(host)
  await pane.getByTestId('client-port').fill(String(port))
  await pane.getByTestId('client-run').click()
}

/** A port on 127.0.0.1 that nobody listens on (bound a moment ago, then released). */
export async function unusedPort(): Promise<number> {
  const srv = net.createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()))
  const port = (srv.address() as net.AddressInfo).port
  await new Promise<void>((r) => srv.close(() => r()))
  return port
}

/**
 * Save the window as test-results/screenshots/<name>.png, tall enough for the whole page (the main
 * column scrolls by itself, so a full-page screenshot would not show more).
 */
export async function shot(page: Page, name: string, options: { fit?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const before = page.viewportSize()
  if (options.fit !== false && before) {
    const content = await page.evaluate(() => document.querySelector('.page')?.scrollHeight ?? 0)
    const height = Math.min(1500, Math.max(before.height, content + 8))
    if (height !== before.height) await page.setViewportSize({ width: before.width, height })
  }
  // Let the last batch land and the layout settle.
  await page.waitForTimeout(400)
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })
  if (before) await page.setViewportSize(before)
}

/** The same page in the dark theme (the app follows prefers-color-scheme). */
export async function shotDark(page: Page, name: string, options: { fit?: boolean } = {}): Promise<void> {
  await page.emulateMedia({ colorScheme: 'dark' })
  await shot(page, name, options)
  await page.emulateMedia({ colorScheme: 'light' })
}

/** Save the window as docs/screenshots/<name>.png, for the README (as it is: no resizing). */
export async function docShot(page: Page, name: string): Promise<void> {
  mkdirSync(DOC_SCREENSHOTS, { recursive: true })
  await page.waitForTimeout(400)
  await page.screenshot({ path: join(DOC_SCREENSHOTS, `${name}.png`) })
}

/** A handout client of the adder, played by the test: connects, sends its name, reads `ack`, holds on. */
export async function handoutAdderClient(port: number, name: string): Promise<{ acked: Promise<void>; quit(): void }> {
  const socket = net.connect(port, '127.0.0.1')
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('error', reject)
  })
  socket.write(name)
  const acked = new Promise<void>((resolve) => {
    let got = ''
    socket.on('data', (d) => {
      got += d.toString('utf8')
      if (got.includes('ack')) resolve()
    })
  })
  socket.on('error', () => {})
  return { acked, quit: () => socket.end() }
}
