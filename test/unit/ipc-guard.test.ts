import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { CHANNEL_BATCH, CHANNEL_COMMAND } from '@shared/contract'
import {
  appPages,
  decideNavigation,
  devServerUrl,
  headerPolicy,
  isAppPage,
  isPermissionAllowed,
  isTrustedSender,
  type AppPages,
} from '../../src/main/ipc-guard'
import { CONTENT_SECURITY_POLICY, SECURE_WEB_PREFERENCES } from '../../src/main/security'

const indexFile = '/opt/Socket Lab/resources/app/out/renderer/index.html'
const indexUrl = pathToFileURL(indexFile).href // file:///opt/Socket%20Lab/…/index.html
const built = appPages(indexFile, null, 'linux')
const dev = appPages(indexFile, 'http://localhost:5173/', 'linux')

const ours = { fromOurWindow: true, isMainFrame: true }

describe('isTrustedSender', () => {
  it('accepts the main frame of our window showing the built index.html', () => {
    expect(isTrustedSender({ ...ours, url: indexUrl }, built)).toBe(true)
    expect(isTrustedSender({ ...ours, url: `${indexUrl}#/connections` }, built)).toBe(true)
    expect(isTrustedSender({ ...ours, url: `${indexUrl}?view=traffic` }, built)).toBe(true)
  })

  it('accepts the same path however Chromium escapes it', () => {
    expect(isTrustedSender({ ...ours, url: 'file:///opt/Socket Lab/resources/app/out/renderer/index.html' }, built)).toBe(true)
    expect(
      isTrustedSender({ ...ours, url: 'file://localhost/opt/Socket%20Lab/resources/app/out/renderer/index.html' }, built),
    ).toBe(true)
  })

  it('refuses another window, an iframe or a frame that is gone', () => {
    expect(isTrustedSender({ fromOurWindow: false, isMainFrame: true, url: indexUrl }, built)).toBe(false)
    expect(isTrustedSender({ fromOurWindow: true, isMainFrame: false, url: indexUrl }, built)).toBe(false)
    expect(isTrustedSender({ ...ours, url: undefined }, built)).toBe(false)
    expect(isTrustedSender({ ...ours, url: '' }, built)).toBe(false)
  })

  it('refuses any other file, however close', () => {
    for (const url of [
      'file:///opt/Socket%20Lab/resources/app/out/renderer/other.html',
      'file:///opt/Socket%20Lab/resources/app/out/renderer/index.html.evil.html',
      'file:///opt/Socket%20Lab/resources/app/out/renderer/../renderer2/index.html',
      'file:///tmp/index.html',
      'file:///home/student/Downloads/out/renderer/index.html',
      'file://evil.example/opt/Socket%20Lab/resources/app/out/renderer/index.html',
      'file:///OPT/Socket%20Lab/resources/app/out/renderer/index.html',
    ]) {
      expect(isTrustedSender({ ...ours, url }, built), url).toBe(false)
    }
  })

  it('refuses web pages, data:, blob:, about:blank and garbage', () => {
    for (const url of [
      'https://example.com/',
      'http://localhost:5173/',
      'http://127.0.0.1:5173/index.html',
      'data:text/html,<script>1</script>',
      `blob:${indexUrl}`,
      'about:blank',
      'devtools://devtools/bundled/inspector.html',
      'not a url',
    ]) {
      expect(isTrustedSender({ ...ours, url }, built), url).toBe(false)
    }
  })

  it('in development, accepts the dev server origin only', () => {
    expect(isTrustedSender({ ...ours, url: 'http://localhost:5173/' }, dev)).toBe(true)
    expect(isTrustedSender({ ...ours, url: 'http://localhost:5173/index.html#x' }, dev)).toBe(true)
    expect(isTrustedSender({ ...ours, url: indexUrl }, dev)).toBe(true)
    expect(isTrustedSender({ ...ours, url: 'http://localhost:5174/' }, dev)).toBe(false)
    expect(isTrustedSender({ ...ours, url: 'https://localhost:5173/' }, dev)).toBe(false)
    expect(isTrustedSender({ ...ours, url: 'http://127.0.0.1:5173/' }, dev)).toBe(false)
    expect(isTrustedSender({ ...ours, url: 'http://localhost.evil.com:5173/' }, dev)).toBe(false)
    expect(isTrustedSender({ fromOurWindow: true, isMainFrame: false, url: 'http://localhost:5173/' }, dev)).toBe(false)
  })

  it('compares Windows paths without regard to case', () => {
    const win: AppPages = {
      indexUrl: 'file:///C:/Program%20Files/SocketLab/resources/app/out/renderer/index.html',
      devOrigin: null,
      caseInsensitive: true,
    }
    expect(isAppPage('file:///c:/program%20files/socketlab/resources/app/out/renderer/index.html', win)).toBe(true)
    expect(isAppPage('file:///C:/Program%20Files/SocketLab/resources/app/out/renderer/other.html', win)).toBe(false)
    expect(isAppPage('file:///D:/Program%20Files/SocketLab/resources/app/out/renderer/index.html', win)).toBe(false)
  })
})

describe('devServerUrl', () => {
  it('takes a loopback http(s) URL only', () => {
    expect(devServerUrl('http://localhost:5173')).toBe('http://localhost:5173/')
    expect(devServerUrl('http://127.0.0.1:5173/')).toBe('http://127.0.0.1:5173/')
    expect(devServerUrl('http://[::1]:5173/')).toBe('http://[::1]:5173/')
    expect(devServerUrl(undefined)).toBeNull()
    expect(devServerUrl('')).toBeNull()
    expect(devServerUrl('https://evil.example/')).toBeNull()
    expect(devServerUrl('http://192.168.1.10:5173/')).toBeNull()
    expect(devServerUrl('file:///tmp/index.html')).toBeNull()
    expect(devServerUrl('javascript:alert(1)')).toBeNull()
    expect(devServerUrl('nonsense')).toBeNull()
  })
})

describe('decideNavigation', () => {
  it('stays on our page, sends https links to the system browser, refuses the rest', () => {
    expect(decideNavigation(`${indexUrl}#/x`, built)).toBe('allow')
    expect(decideNavigation('https://docs.python.org/3/library/socket.html', built)).toBe('open-external')
    expect(decideNavigation('http://example.com/', built)).toBe('deny')
    expect(decideNavigation('file:///etc/passwd', built)).toBe('deny')
    expect(decideNavigation('javascript:alert(1)', built)).toBe('deny')
    expect(decideNavigation('smb://server/share', built)).toBe('deny')
    expect(decideNavigation('http://localhost:5173/', built)).toBe('deny')
    expect(decideNavigation('http://localhost:5173/', dev)).toBe('allow')
  })
})

describe('isPermissionAllowed', () => {
  it('refuses every permission except a clipboard write from our own page', () => {
    for (const p of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'fullscreen',
      'hid',
      'usb',
      'serial',
      'unknown',
    ]) {
      expect(isPermissionAllowed(p, indexUrl, built), p).toBe(false)
    }
    expect(isPermissionAllowed('clipboard-sanitized-write', indexUrl, built)).toBe(true)
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://example.com/', built)).toBe(false)
    expect(isPermissionAllowed('clipboard-sanitized-write', undefined, built)).toBe(false)
  })
})

describe('headerPolicy', () => {
  it('is exactly the app policy outside development', () => {
    expect(headerPolicy(false)).toBe(CONTENT_SECURITY_POLICY)
  })
  it("in development only adds inline scripts (Vite's React refresh preamble), never eval", () => {
    const policy = headerPolicy(true)
    expect(policy).toContain("script-src 'self' 'unsafe-inline'")
    expect(policy).not.toContain('unsafe-eval')
    expect(policy.replace("script-src 'self' 'unsafe-inline'", "script-src 'self'")).toBe(CONTENT_SECURITY_POLICY)
  })
})

// ---------- src/main/index.ts itself, against a fake electron ----------

type Listener = (...args: any[]) => any // eslint-disable-line @typescript-eslint/no-explicit-any

const fake = vi.hoisted(() => {
  class FakeWebContents {
    listeners = new Map<string, Listener>()
    openHandler: Listener | null = null
    sent: [string, unknown][] = []
    setWindowOpenHandler(handler: Listener): void {
      this.openHandler = handler
    }
    on(event: string, fn: Listener): this {
      this.listeners.set(event, fn)
      return this
    }
    send(channel: string, payload: unknown): void {
      this.sent.push([channel, payload])
    }
    isDestroyed(): boolean {
      return false
    }
  }
  class FakeBrowserWindow {
    static all: FakeBrowserWindow[] = []
    static getAllWindows(): FakeBrowserWindow[] {
      return FakeBrowserWindow.all
    }
    webContents = new FakeWebContents()
    loaded: [string, string] | null = null
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      FakeBrowserWindow.all.push(this)
    }
    loadFile(file: string): Promise<void> {
      this.loaded = ['file', file]
      return Promise.resolve()
    }
    loadURL(url: string): Promise<void> {
      this.loaded = ['url', url]
      return Promise.resolve()
    }
    once(): this {
      return this
    }
    on(): this {
      return this
    }
    show(): void {}
    isDestroyed(): boolean {
      return false
    }
  }
  const appListeners = new Map<string, Listener>()
  return {
    FakeBrowserWindow,
    appListeners,
    ipcHandlers: new Map<string, Listener>(),
    opened: [] as string[],
    quits: 0,
    sandboxed: false,
    permissionRequest: null as Listener | null,
    permissionCheck: null as Listener | null,
    headers: null as Listener | null,
  }
})

vi.mock('electron', () => ({
  app: {
    isPackaged: false,
    enableSandbox: () => (fake.sandboxed = true),
    whenReady: () => Promise.resolve(),
    on: (event: string, fn: Listener) => fake.appListeners.set(event, fn),
    quit: () => (fake.quits += 1),
    exit: () => undefined,
  },
  BrowserWindow: fake.FakeBrowserWindow,
  ipcMain: { handle: (channel: string, fn: Listener) => fake.ipcHandlers.set(channel, fn) },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (fn: Listener) => (fake.permissionRequest = fn),
      setPermissionCheckHandler: (fn: Listener) => (fake.permissionCheck = fn),
      webRequest: { onHeadersReceived: (fn: Listener) => (fake.headers = fn) },
    },
  },
  shell: { openExternal: async (url: string) => void fake.opened.push(url) },
}))

describe('src/main/index.ts with a fake electron', () => {
  const builtIndex = resolve(__dirname, '../../src/renderer/index.html')
  const builtIndexUrl = pathToFileURL(builtIndex).href
  let win: InstanceType<typeof fake.FakeBrowserWindow>
  let handle: Listener

  beforeAll(async () => {
    delete process.env.ELECTRON_RENDERER_URL
    await import('../../src/main/index')
    await new Promise((r) => setTimeout(r, 0))
    win = fake.FakeBrowserWindow.all[0]
    handle = fake.ipcHandlers.get(CHANNEL_COMMAND)!
  })

  const event = (over: Record<string, unknown> = {}) => ({
    sender: win.webContents,
    senderFrame: { url: builtIndexUrl, parent: null },
    ...over,
  })

  it('opens one sandboxed window with the secure preferences, the preload and the built page', () => {
    expect(fake.sandboxed).toBe(true)
    expect(fake.FakeBrowserWindow.all).toHaveLength(1)
    expect(win.options.webPreferences).toEqual({
      ...SECURE_WEB_PREFERENCES,
      preload: resolve(__dirname, '../../src/preload/index.cjs'),
    })
    expect(win.loaded).toEqual(['file', builtIndex])
  })

  it('runs a command from our page and refuses it from anywhere else', async () => {
    const result = await handle(event(), 'systemInterfaces', {})
    expect(result.ok).toBe(true)
    expect(await handle(event(), 'serverStart', { exercise: 'nope' })).toMatchObject({ ok: false })
    expect(await handle(event(), 42, {})).toMatchObject({ ok: false })
    const refused = [
      event({ sender: new (fake.FakeBrowserWindow as any)({ webPreferences: {} }).webContents }), // eslint-disable-line @typescript-eslint/no-explicit-any
      event({ senderFrame: null }),
      event({ senderFrame: { url: builtIndexUrl, parent: { url: builtIndexUrl } } }),
      event({ senderFrame: { url: 'https://evil.example/', parent: null } }),
      event({ senderFrame: { url: 'file:///tmp/index.html', parent: null } }),
    ]
    fake.FakeBrowserWindow.all.length = 1
    for (const e of refused) expect(() => handle(e, 'systemInterfaces', {})).toThrow(/refused/)
  })

  it("forwards the host's batches to the window", async () => {
    const started = await handle(event(), 'serverStart', { exercise: 'greeting', host: 'loopback', port: 0, oneAtATime: false })
    expect(started.ok).toBe(true)
    const deadline = Date.now() + 5000
    while (!win.webContents.sent.some(([channel]) => channel === CHANNEL_BATCH) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20))
    expect(win.webContents.sent.some(([channel]) => channel === CHANNEL_BATCH)).toBe(true)
    expect(await handle(event(), 'serverStop', { serverId: started.value.serverId })).toEqual({ ok: true, value: null })
  })

  it('denies new windows and navigation away; https goes to the system browser', () => {
    expect(win.webContents.openHandler!({ url: 'https://docs.python.org/' })).toEqual({ action: 'deny' })
    expect(win.webContents.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
    const navigate = win.webContents.listeners.get('will-navigate')!
    const away = { url: 'file:///etc/passwd', preventDefault: vi.fn() }
    navigate(away)
    expect(away.preventDefault).toHaveBeenCalled()
    const link = { url: 'https://realpython.com/python-sockets/', preventDefault: vi.fn() }
    navigate(link)
    expect(link.preventDefault).toHaveBeenCalled()
    const stay = { url: `${builtIndexUrl}#/traffic`, preventDefault: vi.fn() }
    navigate(stay)
    expect(stay.preventDefault).not.toHaveBeenCalled()
    expect(fake.opened).toEqual(['https://docs.python.org/', 'https://realpython.com/python-sockets/'])
    const webview = { preventDefault: vi.fn() }
    win.webContents.listeners.get('will-attach-webview')!(webview)
    expect(webview.preventDefault).toHaveBeenCalled()
  })

  it('refuses permissions and sets the CSP header', () => {
    const answers: boolean[] = []
    fake.permissionRequest!(win.webContents, 'media', (granted: boolean) => answers.push(granted), {
      requestingUrl: builtIndexUrl,
    })
    fake.permissionRequest!(win.webContents, 'geolocation', (granted: boolean) => answers.push(granted), {
      requestingUrl: builtIndexUrl,
    })
    expect(answers).toEqual([false, false])
    expect(fake.permissionCheck!(win.webContents, 'notifications', 'file:///', { requestingUrl: builtIndexUrl })).toBe(false)
    let headers: Record<string, string[]> = {}
    fake.headers!(
      { responseHeaders: { 'Content-Type': ['text/html'] } },
      (r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders),
    )
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] })
  })

  it('stops the host before quitting', async () => {
    const quit = { preventDefault: vi.fn() }
    fake.appListeners.get('will-quit')!(quit)
    expect(quit.preventDefault).toHaveBeenCalled()
    const deadline = Date.now() + 5000
    while (fake.quits === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    expect(fake.quits).toBe(1)
    const again = { preventDefault: vi.fn() }
    fake.appListeners.get('will-quit')!(again)
    expect(again.preventDefault).not.toHaveBeenCalled()
  })
})
