// The Electron main process: one window showing the renderer, one Host owning every socket. This is the
// only file that imports electron. The page is treated as untrusted: it runs sandboxed, can reach
// nothing but the narrow bridge of the preload, and every command it sends is validated by the host.

import { app, BrowserWindow, ipcMain, session, shell } from 'electron'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CHANNEL_BATCH, CHANNEL_COMMAND } from '@shared/contract'
import { Host } from './host/host'
import { appPages, decideNavigation, devServerUrl, headerPolicy, isPermissionAllowed, isTrustedSender } from './ipc-guard'
import { windowOptions } from './security'

// electron-vite builds the main process as ESM: no CommonJS __dirname.
const here = dirname(fileURLToPath(import.meta.url))
const indexFile = join(here, '../renderer/index.html')
const devUrl = app.isPackaged ? null : devServerUrl(process.env.ELECTRON_RENDERER_URL)
const pages = appPages(indexFile, devUrl)

const host = new Host()
let win: BrowserWindow | null = null

app.enableSandbox()

function createWindow(): void {
  const window = new BrowserWindow(windowOptions(join(here, '../preload/index.cjs')))
  win = window
  const contents = window.webContents

  contents.setWindowOpenHandler(({ url }) => {
    if (decideNavigation(url, pages) === 'open-external') void shell.openExternal(url)
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event) => {
    const decision = decideNavigation(event.url, pages)
    if (decision === 'allow') return
    event.preventDefault()
    if (decision === 'open-external') void shell.openExternal(event.url)
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())

  const unsubscribe = host.onBatch((batch) => {
    if (!contents.isDestroyed()) contents.send(CHANNEL_BATCH, batch)
  })
  window.once('ready-to-show', () => window.show())
  window.on('closed', () => {
    unsubscribe()
    if (win === window) win = null
  })

  const loading = devUrl ? window.loadURL(devUrl) : window.loadFile(indexFile)
  loading.catch((err: unknown) => {
    console.error(`SocketLab could not load its window: ${err instanceof Error ? err.message : String(err)}`)
    window.show()
  })
}

ipcMain.handle(CHANNEL_COMMAND, (event, name: unknown, args: unknown) => {
  const frame = event.senderFrame
  const sender = {
    fromOurWindow: win !== null && !win.isDestroyed() && event.sender === win.webContents,
    isMainFrame: frame !== null && frame.parent === null,
    url: frame?.url,
  }
  if (!isTrustedSender(sender, pages)) throw new Error('SocketLab refused a command that did not come from its own window')
  return host.call(typeof name === 'string' ? name : '', args)
})

app.whenReady().then(
  () => {
    const ses = session.defaultSession
    ses.setPermissionRequestHandler((_contents, permission, callback, details) =>
      callback(isPermissionAllowed(permission, details.requestingUrl, pages)),
    )
    ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
      isPermissionAllowed(permission, details.requestingUrl ?? requestingOrigin, pages),
    )
    // http(s) responses only (the dev server); the built page is file:// and carries the policy in a <meta> tag.
    const policy = headerPolicy(devUrl !== null)
    ses.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } })
    })

    createWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow()
    })
  },
  (err: unknown) => {
    console.error(`SocketLab could not start: ${err instanceof Error ? err.message : String(err)}`)
    app.exit(1)
  },
)

// One window is the whole app: closing it stops every server and client, on macOS too.
app.on('window-all-closed', () => app.quit())

let hostClosed = false
app.on('will-quit', (event) => {
  if (hostClosed) return
  event.preventDefault()
  hostClosed = true
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 3000).unref())
  void Promise.race([host.close().catch(() => undefined), timeout]).finally(() => app.quit())
})

process.once('SIGINT', () => app.quit())
process.once('SIGTERM', () => app.quit())
