// Which pages are the app's own, and what they may do. Pure functions with no Electron import, so the
// decisions the main process makes about every IPC message, navigation and permission can be unit-tested.

import { pathToFileURL } from 'node:url'
import { CONTENT_SECURITY_POLICY, isSafeExternalUrl } from './security'

export interface AppPages {
  /** file:// URL of the built renderer's index.html. */
  indexUrl: string
  /** Origin of the electron-vite dev server (`npm run dev` only), or null. */
  devOrigin: string | null
  /** Windows paths compare case-insensitively. */
  caseInsensitive: boolean
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** ELECTRON_RENDERER_URL counts only when it is an http(s) server on this machine; anything else is ignored. */
export function devServerUrl(value: string | undefined): string | null {
  if (!value) return null
  try {
    const url = new URL(value)
    if ((url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname)) return url.href
  } catch {
    // not a URL
  }
  return null
}

export function appPages(indexFile: string, devUrl: string | null, platform: NodeJS.Platform = process.platform): AppPages {
  return {
    indexUrl: pathToFileURL(indexFile).href,
    devOrigin: devUrl ? new URL(devUrl).origin : null,
    caseInsensitive: platform === 'win32',
  }
}

function filePath(url: URL, caseInsensitive: boolean): string {
  let path: string
  try {
    path = decodeURIComponent(url.pathname)
  } catch {
    path = url.pathname
  }
  return caseInsensitive ? path.toLowerCase() : path
}

/** The built index.html (any #hash or ?query) or, in development, any page of the dev server. */
export function isAppPage(url: string | undefined, pages: AppPages): boolean {
  if (!url) return false
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol === 'file:') {
    const index = new URL(pages.indexUrl)
    return (
      (parsed.host === '' || parsed.host === 'localhost') &&
      filePath(parsed, pages.caseInsensitive) === filePath(index, pages.caseInsensitive)
    )
  }
  return pages.devOrigin !== null && parsed.origin === pages.devOrigin
}

export interface SenderInfo {
  /** The IPC came from our window's webContents (not another window, webview or devtools). */
  fromOurWindow: boolean
  /** `event.senderFrame` exists and is the top-level frame (not an iframe). */
  isMainFrame: boolean
  /** `event.senderFrame.url`. */
  url: string | undefined
}

/** An IPC command is honoured only from the main frame of our own window showing our own page. */
export function isTrustedSender(sender: SenderInfo, pages: AppPages): boolean {
  return sender.fromOurWindow && sender.isMainFrame && isAppPage(sender.url, pages)
}

export type NavigationDecision = 'allow' | 'open-external' | 'deny'

/** `will-navigate`: stay on our page; an https link opens in the system browser; anything else is refused. */
export function decideNavigation(url: string, pages: AppPages): NavigationDecision {
  if (isAppPage(url, pages)) return 'allow'
  return isSafeExternalUrl(url) ? 'open-external' : 'deny'
}

/**
 * Permissions (camera, notifications, geolocation, …) are all refused, except writing plain text to the
 * clipboard from our own page, so "Copy" buttons work.
 */
export function isPermissionAllowed(permission: string, requestingUrl: string | undefined, pages: AppPages): boolean {
  return permission === 'clipboard-sanitized-write' && isAppPage(requestingUrl, pages)
}

/**
 * The Content-Security-Policy response header. It applies to http(s) pages only: Chromium sends no
 * headers for file://, so the built page carries the same policy in a <meta> tag. The one http page the
 * window ever shows is the dev server's, where Vite's React fast-refresh preamble is an inline script.
 */
export function headerPolicy(dev: boolean): string {
  return dev ? CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'") : CONTENT_SECURITY_POLICY
}
