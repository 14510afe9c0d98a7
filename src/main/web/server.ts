// Browser mode: the same host behind a WebSocket on 127.0.0.1, for machines where the Electron window
// cannot open. The page is the very renderer the desktop window loads. Since this one process runs
// every server and client of the lab, it answers anything malformed with 400 and never throws; it
// serves nothing (page, assets, bridge) to a browser that has not signed in with a one-time code
// (see access.ts), nor to a request whose Host or Origin names another site. On a deliberate stop it
// tells every page so (a `goodbye` frame) before it closes, so the page can say "stopped" rather
// than "reconnecting".

import { readFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { extname, join, resolve, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import type { WebFrame, WebRequest } from '@shared/contract'
import { DOWNLOAD_PREFIX, sendCaptureFile } from '../capture/download'
import type { Host } from '../host/host'
import { CONTENT_SECURITY_POLICY } from '../security'
import { Access, checkHost, checkOrigin, parseTarget } from './access'

export interface WebServerOptions {
  /** The built renderer (out/renderer). */
  staticDir: string
  /** 0 picks a free port. */
  port?: number
  /**
   * A browser asked for the page without being signed in (at most once per LOCKED_NOTICE_MS): the
   * launcher prints a fresh sign-in address for it.
   */
  onLocked?: () => void
  /** A browser signed in (a one-time code was used). */
  onSignIn?: () => void
}

export interface WebServer {
  /** http://127.0.0.1:<port> */
  origin: string
  port: number
  /** A new one-time code, to post to `${origin}/login` as the form field `code`. */
  issueCode(): string
  /** A new one-time sign-in address (GET it once); for the user to open when no browser can be. */
  signInUrl(): string
  /** Says goodbye to every page, then closes. */
  close(): Promise<void>
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

/** Largest command frame accepted from the page. */
const MAX_FRAME = 1024 * 1024
/** A page that stops reading is skipped rather than buffered without bound. */
const MAX_BUFFERED = 16 * 1024 * 1024
/** A sign-in form is one short field. */
const MAX_LOGIN_BODY = 4 * 1024
/** A fresh sign-in address is printed at most this often, whatever a page keeps requesting. */
export const LOCKED_NOTICE_MS = 10_000
/** How long a page gets to acknowledge the goodbye before its socket is cut. */
const GOODBYE_MS = 1_000

/**
 * After a sign-in the browser leaves the /login address by a navigation this page itself starts: its
 * own script (the CSP allows no inline one) replaces the entry, so history keeps no code, and the
 * SameSite=Strict cookie goes along (it would not after a redirect of a navigation another page began).
 */
const SIGNED_IN_HTML =
  '<!doctype html><html lang="en"><meta charset="utf-8"><title>SocketLab</title>' +
  '<script src="/login.js"></script><p>Signed in. <a href="/">Open SocketLab</a></p></html>\n'
const SIGNED_IN_JS = "location.replace('/' + location.hash)\n"

const NOT_SIGNED_IN =
  'SocketLab: this browser is not signed in. Open the newest sign-in address printed in the terminal\n' +
  'that runs SocketLab ("npm start"); each address works once.\n'
const CODE_USED =
  'SocketLab: this sign-in address was already used or is not valid (each one works once).\n' +
  'Open the newest sign-in address printed in the terminal that runs SocketLab ("npm start").\n'

function rawReply(socket: Duplex, status: string): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  else socket.destroy()
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolvePromise) => {
    let body = ''
    let over = false
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => {
      if (over) return
      body += chunk
      if (body.length > limit) over = true
    })
    req.on('end', () => resolvePromise(over ? null : body))
    req.on('error', () => resolvePromise(null))
  })
}

export async function startWebServer(host: Host, options: WebServerOptions): Promise<WebServer> {
  const root = resolve(options.staticDir)
  let port = 0
  let access: Access | null = null
  let lockedNoticeAt = -Infinity

  const locked = (): void => {
    const now = Date.now()
    if (!options.onLocked || now - lockedNoticeAt < LOCKED_NOTICE_MS) return
    lockedNoticeAt = now
    options.onLocked()
  }

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const head = req.method === 'HEAD'
    const send = (status: number, body = '', headers: Record<string, string> = {}): void => {
      if (res.headersSent) return void res.destroy()
      // A client that sent something malformed gets no second chance on the same connection.
      if (status === 400) res.shouldKeepAlive = false
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers })
      res.end(head ? undefined : body)
    }
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    res.setHeader('Cache-Control', 'no-store')
    const target = parseTarget(req.url)
    const hostName = checkHost(req.headers.host, port)
    if (!target || !hostName || !access) return send(400, 'Bad request\n')
    // Every answer carries the policy, so no path (however spelled) serves the page without it.
    res.setHeader('Content-Security-Policy', `${CONTENT_SECURITY_POLICY}; connect-src 'self' ws://${hostName}`)
    res.setHeader('X-Frame-Options', 'DENY')
    const { path } = target

    if (path === '/login.js') {
      if (req.method !== 'GET' && !head) return send(405)
      return send(200, SIGNED_IN_JS, { 'Content-Type': TYPES['.js'] })
    }
    if (path === '/login') {
      let code: string | null
      if (req.method === 'POST') {
        const body = await readBody(req, MAX_LOGIN_BODY)
        if (body === null) return send(400, 'Bad request\n')
        code = new URLSearchParams(body).get('code')
      } else if (req.method === 'GET' || head) {
        code = target.query.get('code')
      } else {
        return send(405)
      }
      const signedIn = access.signedIn(req.headers.cookie)
      // HEAD never spends a code (link previews and scanners send it).
      const session = head ? null : access.redeem(code)
      if (session) options.onSignIn?.()
      else if (!signedIn) {
        locked()
        return send(403, CODE_USED)
      }
      return send(200, SIGNED_IN_HTML, {
        'Content-Type': TYPES['.html'],
        ...(session ? { 'Set-Cookie': access.cookie(session) } : {}),
      })
    }

    if (req.method !== 'GET' && !head) return send(405)
    const page = path === '/' || extname(path).toLowerCase() === '.html'
    if (!access.signedIn(req.headers.cookie)) {
      if (page) locked()
      return send(403, NOT_SIGNED_IN)
    }
    // A prepared capture file, streamed: neither side holds the whole .pcapng (signed in, like every path).
    if (path.startsWith(DOWNLOAD_PREFIX)) return sendCaptureFile(host.capture, path.slice(DOWNLOAD_PREFIX.length), res, head)
    const file = join(root, path === '/' ? 'index.html' : path)
    if (!file.startsWith(root + sep)) return send(404)
    let body: Buffer
    try {
      body = await readFile(file)
    } catch {
      return send(404) // missing, or a folder
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' })
    res.end(head ? undefined : body)
  }

  const server = http.createServer((req, res) => {
    req.on('error', () => undefined)
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(400).end()
      else res.destroy()
    })
  })
  // A request Node's own parser rejects (bad header bytes, oversized head) gets 400, never a throw.
  server.on('clientError', (_err, socket) => rawReply(socket, '400 Bad Request'))
  server.requestTimeout = 30_000
  server.headersTimeout = 15_000

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME })
  server.on('upgrade', (req, socket: Socket, head) => {
    socket.on('error', () => socket.destroy())
    try {
      const target = parseTarget(req.url)
      if (!target || !checkHost(req.headers.host, port) || !access) return rawReply(socket, '400 Bad Request')
      // The cookie proves a signed-in browser; the Origin that the page making the request is ours
      // (a page on another site in the same browser sends the cookie too, but its own Origin).
      const allowed = target.path === '/bridge' && checkOrigin(req.headers.origin, port) && access.signedIn(req.headers.cookie)
      if (!allowed) return rawReply(socket, '403 Forbidden')
      wss.handleUpgrade(req, socket, head, (ws) => serve(ws))
    } catch {
      rawReply(socket, '400 Bad Request')
    }
  })

  const sockets = new Set<WebSocket>()
  const unsubscribe = host.onBatch((batch) => {
    const frame = JSON.stringify({ kind: 'batch', batch } satisfies WebFrame)
    for (const ws of sockets) if (ws.bufferedAmount < MAX_BUFFERED) ws.send(frame)
  })

  function serve(ws: WebSocket): void {
    sockets.add(ws)
    ws.on('close', () => sockets.delete(ws))
    ws.on('error', () => ws.terminate())
    ws.on('message', async (data) => {
      let request: WebRequest
      try {
        request = JSON.parse(data.toString())
      } catch {
        return
      }
      if (typeof request !== 'object' || request === null || typeof request.id !== 'number') return
      let result
      try {
        result = await host.call(request.name, request.args)
      } catch (err) {
        result = {
          ok: false as const,
          error: `SocketLab could not run that command: ${err instanceof Error ? err.message : String(err)}`,
        }
      }
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ kind: 'result', id: request.id, result } satisfies WebFrame))
    })
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject)
    // Loopback only: browser mode is for this machine's own browser.
    server.listen(options.port ?? 0, '127.0.0.1', () => resolvePromise())
  })
  port = (server.address() as AddressInfo).port
  const signIn = new Access(port)
  access = signIn
  const origin = `http://127.0.0.1:${port}`

  const goodbye = (ws: WebSocket): Promise<void> =>
    new Promise((done) => {
      if (ws.readyState !== ws.OPEN) {
        ws.terminate()
        return done()
      }
      const timer = setTimeout(() => (ws.terminate(), done()), GOODBYE_MS)
      ws.once('close', () => (clearTimeout(timer), done()))
      ws.send(JSON.stringify({ kind: 'goodbye' } satisfies WebFrame))
      // 1001 "going away": the server is shutting down, not a network fault.
      ws.close(1001, 'SocketLab stopped')
    })

  let closing: Promise<void> | null = null
  return {
    origin,
    port,
    issueCode: () => signIn.issueCode(),
    signInUrl: () => `${origin}/login?code=${signIn.issueCode()}`,
    close: () =>
      (closing ??= (async () => {
        unsubscribe()
        await Promise.all([...sockets].map(goodbye))
        wss.close()
        server.closeAllConnections()
        await new Promise<void>((r) => server.close(() => r()))
      })()),
  }
}
