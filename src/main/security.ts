// The app's security settings in one place, with no Electron import, so tests can check them and
// fail if any is weakened.

/** Scripts and styles only from the app itself; no inline script, no eval, no remote content. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** BrowserWindow webPreferences: the renderer is an untrusted web page that talks only to the preload. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
} as const

/**
 * The one window's options: the secure preferences plus the preload, nothing else; small enough for an
 * 800×600 screen (the page folds its sidebar and shows the two panes as tabs there).
 */
export function windowOptions(preload: string) {
  return {
    width: 1360,
    height: 860,
    minWidth: 800,
    minHeight: 560,
    title: 'SocketLab',
    show: false,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload },
  } as const
}

/** External links open in the system browser, and only https ones. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:'
  } catch {
    return false
  }
}
