// Who may use browser mode, decided from the raw request before anything is served. Browser mode's
// server runs every server and client of the lab, so a request from anyone else must never reach the
// host, and no request, however malformed, may throw (one throw would stop every server and client):
// - the request target is decoded and normalised here once, with a null answer for anything
//   malformed, so the server decides on the same path it serves;
// - the Host header must name this server (127.0.0.1:<port> or localhost:<port>): a page on another
//   site whose name a DNS trick points at 127.0.0.1 (DNS rebinding) sends its own name and is refused;
// - the browser signs in with a one-time code (typed from the terminal, or posted by a private file the
//   launcher opens), exchanged for an HttpOnly SameSite=Strict session cookie: the secret never sits on
//   a command line, in the address bar or in the history, and a used code is dead.

import { createHash, randomBytes } from 'node:crypto'
import { posix } from 'node:path'

export interface Target {
  /** Decoded and normalised: starts with '/', no '.' or '..' segments, no repeated '/'. */
  path: string
  query: URLSearchParams
}

/** Longest request target accepted (browsers send far less; Node caps the whole head at 16 KB). */
const MAX_TARGET = 8 * 1024

/** The request target in origin form (`/path?query`), or null when it is malformed. Never throws. */
export function parseTarget(raw: string | undefined): Target | null {
  if (!raw || raw.length > MAX_TARGET || raw[0] !== '/') return null
  const q = raw.indexOf('?')
  const rawPath = q < 0 ? raw : raw.slice(0, q)
  let decoded: string
  try {
    decoded = decodeURIComponent(rawPath)
  } catch {
    return null // e.g. /%E0: not UTF-8
  }
  // A NUL ends a path for the OS; a backslash is a separator on Windows: neither belongs in a URL path.
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  const path = posix.normalize(decoded)
  if (path[0] !== '/') return null
  return { path, query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) }
}

/** The names this server answers to; anything else in Host or Origin is another site. */
export function hostNames(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`]
}

/** The Host header as one of this server's names (lower case), or null. */
export function checkHost(header: string | undefined, port: number): string | null {
  if (!header) return null
  const host = header.toLowerCase()
  return hostNames(port).includes(host) ? host : null
}

/** Is this the Origin of a page this server served? */
export function checkOrigin(header: string | undefined, port: number): boolean {
  if (!header) return false
  return hostNames(port).some((h) => header.toLowerCase() === `http://${h}`)
}

/** One cookie's value from a Cookie header, or null. Linear: one split, no regex. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return null
}

/** Codes waiting to be used; the oldest is dropped beyond this (each printed or opened one is one). */
const MAX_CODES = 8
/** Signed-in browsers (tabs share one); the oldest is signed out beyond this. */
const MAX_SESSIONS = 64

const digest = (secret: string): string => createHash('sha256').update(secret).digest('hex')

/**
 * The one-time codes and the sessions they became. Only digests are kept, so a lookup compares
 * digests, not the secrets themselves (no timing hint about a secret's first bytes).
 */
export class Access {
  readonly cookieName: string
  private readonly codes: string[] = []
  private readonly sessions: string[] = []

  constructor(readonly port: number) {
    // Cookies ignore the port: a name per port keeps two SocketLabs on one machine from signing each other out.
    this.cookieName = `socketlab-${port}`
  }

  /** A new one-time code. */
  issueCode(): string {
    const code = randomBytes(18).toString('base64url')
    this.codes.push(digest(code))
    if (this.codes.length > MAX_CODES) this.codes.shift()
    return code
  }

  /** Burn the code; returns the new session's secret, or null when the code is unknown or used. */
  redeem(code: string | null): string | null {
    if (!code) return null
    const i = this.codes.indexOf(digest(code))
    if (i < 0) return null
    this.codes.splice(i, 1)
    const session = randomBytes(32).toString('base64url')
    this.sessions.push(digest(session))
    if (this.sessions.length > MAX_SESSIONS) this.sessions.shift()
    return session
  }

  /** Does this Cookie header carry a session of ours? */
  signedIn(cookieHeader: string | undefined): boolean {
    const value = readCookie(cookieHeader, this.cookieName)
    return !!value && this.sessions.includes(digest(value))
  }

  /** The Set-Cookie value for a new session: script cannot read it, and no other site's page sends it. */
  cookie(session: string): string {
    return `${this.cookieName}=${session}; HttpOnly; SameSite=Strict; Path=/`
  }
}
