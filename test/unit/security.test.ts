// The desktop app's security settings, checked so that weakening any of them fails a test: the constants,
// the way src/main/index.ts uses them, and what the preload puts on the page.

import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { CHANNEL_BATCH, CHANNEL_COMMAND, COMMAND_NAMES, type SocketLabBridge } from '@shared/contract'
import { CONTENT_SECURITY_POLICY, SECURE_WEB_PREFERENCES, isSafeExternalUrl } from '../../src/main/security'

const root = resolve(__dirname, '../..')
const read = (path: string): string => readFileSync(join(root, path), 'utf8')

function directives(policy: string): Map<string, string[]> {
  const map = new Map<string, string[]>()
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/)
    if (name) {
      expect(map.has(name), `directive ${name} appears twice`).toBe(false)
      map.set(name, values)
    }
  }
  return map
}

describe('SECURE_WEB_PREFERENCES', () => {
  it('isolates and sandboxes the renderer', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    })
  })

  it('sets no preference outside a reviewed list (enableBlinkFeatures, preload, additionalArguments, …)', () => {
    const reviewed = new Set([
      'contextIsolation',
      'sandbox',
      'nodeIntegration',
      'nodeIntegrationInWorker',
      'nodeIntegrationInSubFrames',
      'webSecurity',
      'allowRunningInsecureContent',
      'experimentalFeatures',
      'webviewTag',
      'spellcheck',
      'safeDialogs',
      'navigateOnDragDrop',
      'disableBlinkFeatures',
    ])
    for (const key of Object.keys(SECURE_WEB_PREFERENCES)) expect(reviewed.has(key), key).toBe(true)
  })
})

describe('CONTENT_SECURITY_POLICY', () => {
  const csp = directives(CONTENT_SECURITY_POLICY)

  it('allows scripts from the app only: no eval, no inline script, no remote host', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval')
    expect(CONTENT_SECURITY_POLICY).not.toContain('wasm-unsafe-eval')
    expect(csp.get('script-src')).toEqual(["'self'"])
    expect(csp.get('default-src')).toEqual(["'self'"])
  })

  it('blocks plugins, <base> hijacking, form posts and framing', () => {
    expect(csp.get('object-src')).toEqual(["'none'"])
    expect(csp.get('base-uri')).toEqual(["'none'"])
    expect(csp.get('form-action')).toEqual(["'none'"])
    expect(csp.get('frame-ancestors')).toEqual(["'none'"])
  })

  it('names no remote source anywhere', () => {
    for (const [name, values] of csp) {
      for (const v of values) expect(v, `${name} ${v}`).toMatch(/^('self'|'none'|'unsafe-inline'|data:|blob:)$/)
    }
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"])
  })
})

describe('isSafeExternalUrl', () => {
  it('lets only https links out to the system browser', () => {
    expect(isSafeExternalUrl('https://docs.python.org/3/')).toBe(true)
    for (const url of [
      'http://example.com',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://x/y',
      'ms-msdt:/id',
      'nonsense',
      '',
    ])
      expect(isSafeExternalUrl(url), url).toBe(false)
  })
})

describe('src/main/index.ts', () => {
  const source = read('src/main/index.ts')
  // Comments do not count: only code can weaken the window.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')

  it('creates one window with windowOptions (SECURE_WEB_PREFERENCES plus the preload, nothing else)', () => {
    expect(code.match(/new BrowserWindow\(/g)).toHaveLength(1)
    expect(code).toContain("new BrowserWindow(windowOptions(join(here, '../preload/index.cjs')))")
    expect(code).toMatch(/import \{[^}]*\bwindowOptions\b[^}]*\} from '\.\/security'/)
  })

  it('never overrides a security preference in code', () => {
    for (const key of [
      'nodeIntegration',
      'contextIsolation',
      'sandbox:',
      'webSecurity',
      'allowRunningInsecureContent',
      'webviewTag',
      'enableBlinkFeatures',
      'experimentalFeatures',
      'unsafe-eval',
      'disable-web-security',
      'no-sandbox',
      'appendSwitch',
    ]) {
      expect(code, key).not.toContain(key)
    }
  })

  it('denies new windows, guards navigation, permissions and every IPC command', () => {
    expect(code).toMatch(/setWindowOpenHandler\([\s\S]*?return \{ action: 'deny' \}/)
    expect(code).toMatch(/'will-navigate'[\s\S]*?event\.preventDefault\(\)/)
    expect(code).toContain('setPermissionRequestHandler')
    expect(code).toContain('setPermissionCheckHandler')
    expect(code).toContain('app.enableSandbox()')
    expect(code).toContain('onHeadersReceived')
    const handler = code.slice(code.indexOf('ipcMain.handle(CHANNEL_COMMAND'))
    expect(handler.indexOf('isTrustedSender(')).toBeGreaterThan(0)
    expect(handler.indexOf('isTrustedSender(')).toBeLessThan(handler.indexOf('host.call('))
    expect(code.match(/ipcMain\.(handle|on)\(/g)).toHaveLength(1)
  })
})

// Which files may import electron is an ESLint rule (eslint.config.js); what the build makes of it is checked here.
describe('the built preload', () => {
  it.skipIf(!existsSync(join(root, 'out/preload/index.cjs')))('the built sandboxed preload requires nothing but electron', () => {
    const built = read('out/preload/index.cjs')
    const requires = [...built.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1])
    expect(requires).toEqual(['electron'])
    expect(built).not.toMatch(/\bimport\s*\(|^import /m)
  })
})

// ---------- The preload, run against a fake electron ----------

const electron = vi.hoisted(() => ({
  exposed: [] as [string, unknown][],
  invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 'from main' })),
  listeners: new Map<string, Set<(...args: unknown[]) => void>>(),
}))

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.push([key, api]) },
  ipcRenderer: {
    invoke: electron.invoke,
    on: (channel: string, fn: (...args: unknown[]) => void) => {
      if (!electron.listeners.has(channel)) electron.listeners.set(channel, new Set())
      electron.listeners.get(channel)!.add(fn)
    },
    removeListener: (channel: string, fn: (...args: unknown[]) => void) => electron.listeners.get(channel)?.delete(fn),
  },
}))

describe('the preload bridge', () => {
  let bridge: SocketLabBridge
  beforeAll(async () => {
    await import('../../src/preload/index')
    bridge = electron.exposed[0]?.[1] as SocketLabBridge
  })

  it('exposes exactly one object, window.socketlab', () => {
    expect(electron.exposed.map(([key]) => key)).toEqual(['socketlab'])
  })

  it('has one function per command, onBatch and mode, and nothing else', () => {
    expect(Object.keys(bridge).sort()).toEqual([...COMMAND_NAMES, 'mode', 'onBatch'].sort())
    for (const name of COMMAND_NAMES) expect(typeof bridge[name], name).toBe('function')
    expect(bridge.mode).toBe('electron')
    expect(bridge).not.toHaveProperty('ipcRenderer')
    expect(bridge).not.toHaveProperty('invoke')
    expect(bridge).not.toHaveProperty('send')
  })

  it('sends each command on the command channel with its own name', async () => {
    electron.invoke.mockClear()
    const args = { exercise: 'adder', host: 'loopback', port: 0, oneAtATime: false } as const
    await expect(bridge.serverStart(args)).resolves.toEqual({ ok: true, value: 'from main' })
    await bridge.snapshot({})
    expect(electron.invoke.mock.calls).toEqual([
      [CHANNEL_COMMAND, 'serverStart', args],
      [CHANNEL_COMMAND, 'snapshot', {}],
    ])
  })

  it('hands the page the batch, never the IPC event, and unsubscribes once', () => {
    const seen: unknown[][] = []
    const off = bridge.onBatch((...args: unknown[]) => seen.push(args))
    const listeners = electron.listeners.get(CHANNEL_BATCH)!
    expect(listeners.size).toBe(1)
    const batch = { events: [], messages: [], lines: [], counters: {}, droppedMessages: 0 }
    const fakeEvent = { sender: { send: () => undefined }, ports: [] }
    for (const fn of listeners) fn(fakeEvent, batch)
    expect(seen).toEqual([[batch]])
    off()
    off()
    expect(listeners.size).toBe(0)
  })

  it('refuses a listener that is not a function', () => {
    expect(() => bridge.onBatch('nope' as never)).toThrow(TypeError)
  })
})
