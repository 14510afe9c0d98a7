// The desktop app as it runs: the window's real security settings, the Content-Security-Policy in force,
// exactly what the preload exposes, and one adder exchange driven through window.socketlab.
// Runs only where the Electron runtime is installed; needs `npm run build` first.

import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test'
import { COMMAND_NAMES, type Snapshot } from '../../src/shared/contract'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** The runtime node_modules/electron would start, without its download-on-first-use. */
function electronBinary(): string | null {
  const dir = join(root, 'node_modules', 'electron')
  let relative = ''
  try {
    relative = readFileSync(join(dir, 'path.txt'), 'utf8')
  } catch {
    // never downloaded
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  const binary = override ? join(override, relative || 'electron') : relative ? join(dir, 'dist', relative) : ''
  return binary && existsSync(binary) ? binary : null
}

const executablePath = electronBinary()
const electronAvailable = executablePath !== null

test.skip(
  !electronAvailable,
  'Electron runtime is not installed on this machine (it is downloaded from GitHub on first run, which this network blocks)',
)

let app: ElectronApplication
let page: Page

test.beforeAll(async () => {
  if (!existsSync(join(root, 'out', 'main', 'index.js'))) throw new Error('run "npm run build" before the Electron tests')
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v
  app = await _electron.launch({ args: ['.'], executablePath: executablePath!, cwd: root, env })
  page = await app.firstWindow()
  await page.waitForLoadState('domcontentloaded')
})

test.afterAll(async () => {
  await app?.close()
})

test('one window, with the secure webPreferences really in force', async () => {
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const windows = BrowserWindow.getAllWindows()
    const contents = windows[0].webContents as unknown as { getLastWebPreferences(): Record<string, unknown> | null }
    return { count: windows.length, prefs: contents.getLastWebPreferences() }
  })
  expect(prefs.count).toBe(1)
  expect(prefs.prefs).toMatchObject({
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
  })
  expect(String(prefs.prefs?.preload).replaceAll('\\', '/')).toMatch(/\/out\/preload\/index\.cjs$/)
})

test('the page is our built index.html', async () => {
  const url = new URL(page.url())
  expect(url.protocol).toBe('file:')
  expect(decodeURIComponent(url.pathname).replaceAll('\\', '/')).toMatch(/\/out\/renderer\/index\.html$/)
  await expect(page).toHaveTitle('SocketLab')
})

test('a Content-Security-Policy is in force: no eval, no inline script', async () => {
  // file:// pages get no response headers, so the built page carries the policy in a <meta> tag.
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')
  expect(meta).toContain("script-src 'self'")
  expect(meta).not.toContain('unsafe-eval')
  const blocked = await page.evaluate(() => {
    let evalBlocked = false
    try {
      ;(0, eval)('1 + 1')
    } catch {
      evalBlocked = true
    }
    const w = window as unknown as { __inlineRan?: boolean }
    const script = document.createElement('script')
    script.textContent = 'window.__inlineRan = true'
    document.head.appendChild(script)
    return { evalBlocked, inlineRan: w.__inlineRan === true }
  })
  expect(blocked).toEqual({ evalBlocked: true, inlineRan: false })
})

test('window.socketlab has exactly the commands, onBatch and mode; no Node, no ipcRenderer', async () => {
  const shape = await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>
    const bridge = w.socketlab as Record<string, unknown>
    return {
      keys: Object.keys(bridge).sort(),
      functions: Object.keys(bridge)
        .filter((k) => typeof bridge[k] === 'function')
        .sort(),
      mode: bridge.mode,
      globals: ['ipcRenderer', 'require', 'process', 'module', 'Buffer', 'electron'].filter((k) => k in w),
    }
  })
  expect(shape.keys).toEqual([...COMMAND_NAMES, 'mode', 'onBatch'].sort())
  expect(shape.functions).toEqual([...COMMAND_NAMES, 'onBatch'].sort())
  expect(shape.mode).toBe('electron')
  expect(shape.globals).toEqual([])
})

test('new windows and navigation away are refused', async () => {
  const before = page.url()
  await page.evaluate(() => window.open('http://example.invalid/', '_blank'))
  await page.evaluate(() => {
    window.location.href = 'file:///etc/hostname'
  })
  await page.waitForTimeout(500)
  expect(app.windows()).toHaveLength(1)
  expect(page.url()).toBe(before)
})

test('an adder server and client exchange through window.socketlab, seen in a snapshot and in batches', async () => {
  const result = await page.evaluate(async () => {
    const bridge = window.socketlab!
    const batches: unknown[] = []
    const off = bridge.onBatch((batch) => batches.push(batch))
    const server = await bridge.serverStart({ exercise: 'adder', host: 'loopback', port: 0, oneAtATime: false })
    if (!server.ok) throw new Error(server.error)
    const client = await bridge.clientStart({
      exercise: 'adder',
      host: '127.0.0.1',
      port: server.value.port,
      params: { name: 'playwright-1' },
    })
    if (!client.ok) throw new Error(client.error)
    const command = await bridge.clientCommand({ clientId: client.value.clientId, command: 'a' })
    const deadline = Date.now() + 10_000
    let snapshot: Snapshot | null = null
    while (Date.now() < deadline) {
      const snap = await bridge.snapshot({})
      if (snap.ok && snap.value.connections.filter((c) => c.counters.messagesIn > 0).length >= 2) {
        snapshot = snap.value
        break
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    await new Promise((r) => setTimeout(r, 600))
    off()
    const bad = await bridge.serverStart({ exercise: 'nope' } as never)
    await bridge.clientCommand({ clientId: client.value.clientId, command: 'q' })
    await bridge.serverStop({ serverId: server.value.serverId })
    return { server: server.value, command, snapshot, batchCount: batches.length, bad }
  })
  expect(result.command).toEqual({ ok: true, value: null })
  expect(result.snapshot).not.toBeNull()
  const connections = result.snapshot!.connections
  expect(connections.some((c) => c.role === 'server' && c.ownerId === result.server.serverId)).toBe(true)
  expect(connections.some((c) => c.role === 'client' && c.remote.port === result.server.port)).toBe(true)
  expect(result.batchCount).toBeGreaterThan(0)
  expect(result.bad.ok).toBe(false)
})

// Typing for page.evaluate bodies above (the preload's declaration; kept local so this file stands alone).
declare global {
  interface Window {
    socketlab?: import('../../src/shared/contract').SocketLabBridge
  }
}
