// Browser mode's bridge over a real Host: the page and the WebSocket need the per-launch token and the
// server's own Origin, and the server listens on loopback only.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { CommandResult, NetworkInterfaceInfo, WebFrame } from '@shared/contract'
import { Host } from '../../src/main/host/host'
import { CONTENT_SECURITY_POLICY } from '../../src/main/security'
import { startWebServer, type WebServer } from '../../src/main/web/server'

let host: Host
let web: WebServer
let staticDir: string
let origin: string

beforeAll(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 'socketlab-web-'))
  writeFileSync(
    join(staticDir, 'index.html'),
    '<!doctype html><title>SocketLab</title><script type="module" src="./app.js"></script>',
  )
  writeFileSync(join(staticDir, 'app.js'), 'console.log(1)')
  host = new Host()
  web = await startWebServer(host, { staticDir })
  origin = `http://127.0.0.1:${web.port}`
})

afterAll(async () => {
  await web?.close()
  await host?.close()
  rmSync(staticDir, { recursive: true, force: true })
})

function get(path: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${origin}${path}`, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      })
      .on('error', reject)
  })
}

/** Opens a WebSocket; resolves with the open socket, or with the HTTP status it was refused with. */
function connect(query: string, headers: Record<string, string>): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/bridge${query}`, { headers })
    ws.once('open', () => resolve({ ws }))
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode })
      ws.terminate()
    })
    ws.once('error', (err) => reject(err))
  })
}

function request(ws: WebSocket, id: number, name: string, args: unknown): Promise<CommandResult<unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${name}`)), 10_000)
    const onMessage = (data: WebSocket.RawData): void => {
      const frame = JSON.parse(data.toString()) as WebFrame
      if (frame.kind === 'result' && frame.id === id) {
        clearTimeout(timer)
        ws.off('message', onMessage)
        resolve(frame.result)
      }
    }
    ws.on('message', onMessage)
    ws.send(JSON.stringify({ id, name, args }))
  })
}

describe('the page', () => {
  it('is refused without the token or with a wrong one', async () => {
    for (const path of ['/', '/index.html', '/?token=', `/?token=${web.token}x`, `/?token=${web.token.slice(1)}`]) {
      const res = await get(path)
      expect(res.status, path).toBe(403)
      expect(res.body, path).not.toContain('<title>')
    }
  })

  it('is served with the token, with the CSP header and no caching', async () => {
    const res = await get(`/?token=${web.token}`)
    expect(res.status).toBe(200)
    expect(res.body).toContain('<title>SocketLab</title>')
    const csp = String(res.headers['content-security-policy'])
    expect(csp.startsWith(CONTENT_SECURITY_POLICY)).toBe(true)
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${web.port}`)
    expect(csp).not.toContain('unsafe-eval')
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(web.url).toBe(`${origin}/?token=${web.token}`)
  })

  it('serves its assets but nothing outside the static folder', async () => {
    expect((await get('/app.js')).status).toBe(200)
    expect((await get('/../../../../etc/passwd')).status).toBe(404)
    expect((await get('/%2e%2e/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404)
  })
})

describe('the WebSocket bridge', () => {
  it('runs commands for the page with the token and the right Origin', async () => {
    const { ws, status } = await connect(`?token=${web.token}`, { Origin: origin })
    expect(status).toBeUndefined()
    try {
      const result = await request(ws!, 1, 'systemInterfaces', {})
      expect(result.ok).toBe(true)
      const list = (result as { ok: true; value: NetworkInterfaceInfo[] }).value
      expect(list.some((i) => i.address === '127.0.0.1')).toBe(true)

      const bad = await request(ws!, 2, 'serverStart', { exercise: 'nope', host: 'loopback', port: -1 })
      expect(bad.ok).toBe(false)
      expect((bad as { error: string }).error).toBeTruthy()

      const unknown = await request(ws!, 3, 'rm -rf', {})
      expect(unknown).toMatchObject({ ok: false })
    } finally {
      ws!.close()
    }
  })

  it('pushes batches of events to the page', async () => {
    const { ws } = await connect(`?token=${web.token}`, { Origin: origin })
    try {
      const batch = new Promise<WebFrame>((resolve) => {
        ws!.on('message', (data) => {
          const frame = JSON.parse(data.toString()) as WebFrame
          if (frame.kind === 'batch' && frame.batch.events.some((e) => e.type === 'server-started')) resolve(frame)
        })
      })
      const started = await request(ws!, 1, 'serverStart', { exercise: 'greeting', host: 'loopback', port: 0, oneAtATime: false })
      expect(started.ok).toBe(true)
      await batch
      const { serverId } = (started as { ok: true; value: { serverId: string } }).value
      expect(await request(ws!, 2, 'serverStop', { serverId })).toEqual({ ok: true, value: null })
    } finally {
      ws!.close()
    }
  })

  it('refuses a connection without the token, with a wrong token, from another Origin or with no Origin', async () => {
    const cases: [string, Record<string, string>][] = [
      ['', { Origin: origin }],
      ['?token=', { Origin: origin }],
      [`?token=${web.token}x`, { Origin: origin }],
      [`?token=${web.token.toUpperCase() === web.token ? web.token.toLowerCase() : web.token.toUpperCase()}`, { Origin: origin }],
      [`?token=${web.token}`, { Origin: 'http://evil.example' }],
      [`?token=${web.token}`, { Origin: `http://localhost:${web.port}` }],
      [`?token=${web.token}`, { Origin: 'null' }],
      [`?token=${web.token}`, {}],
    ]
    for (const [query, headers] of cases) {
      const { ws, status } = await connect(query, headers)
      ws?.close()
      expect(status, `${query} ${JSON.stringify(headers)}`).toBe(403)
    }
  })

  it('refuses any other path', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/other?token=${web.token}`, { headers: { Origin: origin } })
    const status = await new Promise<number>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.once('open', () => resolve(101))
      ws.once('error', () => resolve(0))
    })
    ws.terminate()
    expect(status).toBe(403)
  })
})

describe('listening', () => {
  function reachable(address: string, family: 4 | 6): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = net.connect({ host: address, port: web.port, family })
      socket.setTimeout(2000)
      socket.once('connect', () => (socket.destroy(), resolve(true)))
      socket.once('error', () => resolve(false))
      socket.once('timeout', () => (socket.destroy(), resolve(false)))
    })
  }

  it('is on 127.0.0.1 only: not on the rest of the loopback range, not on ::1', async () => {
    expect(new URL(web.url).hostname).toBe('127.0.0.1')
    expect(await reachable('127.0.0.1', 4)).toBe(true)
    // A server bound to 0.0.0.0 would accept these; one bound to 127.0.0.1 does not.
    if (process.platform === 'linux') expect(await reachable('127.0.0.2', 4)).toBe(false)
    expect(await reachable('::1', 6)).toBe(false)
  })
})
