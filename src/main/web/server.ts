// Browser mode: the same host behind a WebSocket on 127.0.0.1, for machines where the Electron window
// cannot open. A random per-launch token in the URL; connections without it, or from another Origin,
// are refused. The page is the very renderer the desktop window loads.

import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import type { WebFrame, WebRequest } from '@shared/contract'
import type { Host } from '../host/host'
import { CONTENT_SECURITY_POLICY } from '../security'

export interface WebServerOptions {
  /** The built renderer (out/renderer). */
  staticDir: string
  /** 0 picks a free port. */
  port?: number
  token?: string
}

export interface WebServer {
  url: string
  port: number
  token: string
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

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

export async function startWebServer(host: Host, options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  const root = resolve(options.staticDir)
  let origin = ''

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end()
      return
    }
    const path = url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname)
    if (path === '/index.html' && !sameToken(url.searchParams.get('token'), token)) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end('SocketLab: open the full address printed by "npm start" (it includes the access token).\n')
      return
    }
    const file = normalize(join(root, path))
    if (!file.startsWith(root + sep)) {
      res.writeHead(404).end()
      return
    }
    try {
      const body = await readFile(file)
      const headers: Record<string, string> = { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }
      if (path === '/index.html') {
        headers['Content-Security-Policy'] = `${CONTENT_SECURITY_POLICY}; connect-src 'self' ${origin.replace('http', 'ws')}`
        headers['Cache-Control'] = 'no-store'
      }
      res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body)
    } catch {
      res.writeHead(404).end()
    }
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME })
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const allowed = url.pathname === '/bridge' && sameToken(url.searchParams.get('token'), token) && req.headers.origin === origin
    if (!allowed) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws))
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
      const result = await host.call(request.name, request.args)
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ kind: 'result', id: request.id, result } satisfies WebFrame))
    })
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject)
    // Loopback only: browser mode is for this machine's own browser.
    server.listen(options.port ?? 0, '127.0.0.1', () => resolvePromise())
  })
  const port = (server.address() as AddressInfo).port
  origin = `http://127.0.0.1:${port}`
  return {
    url: `${origin}/?token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe()
      for (const ws of sockets) ws.terminate()
      wss.close()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}
