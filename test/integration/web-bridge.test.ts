// Browser mode's server over a real Host, with real HTTP requests and WebSockets: the browser signs in
// once with a one-time code and gets an HttpOnly SameSite=Strict cookie; the page, its assets and the
// bridge need that cookie (the bridge also the page's own Origin); Host must name this server; and
// nothing malformed, on either the HTTP or the upgrade path, does more than get a 400: after every
// hostile request of this file the same host still runs a real adder exchange.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { CommandResult, EngineEvent, NetworkInterfaceInfo, WebFrame } from '@shared/contract'
import { Host } from '../../src/main/host/host'
import { CONTENT_SECURITY_POLICY } from '../../src/main/security'
import { startWebServer, type WebServer } from '../../src/main/web/server'

let host: Host
let web: WebServer
let staticDir: string
let origin: string
/** `name=value` of a signed-in browser's cookie. */
let cookie: string
let signIns = 0
let lockedNotices = 0

interface Reply {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

function request(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: web.port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

const get = (path: string, headers: Record<string, string> = {}): Promise<Reply> => request(path, { headers })
const signedIn = (path: string, headers: Record<string, string> = {}): Promise<Reply> => get(path, { Cookie: cookie, ...headers })

/** Bytes straight onto a socket (requests an HTTP client would not send); resolves with the status line. */
function raw(text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(web.port, '127.0.0.1')
    let got = ''
    socket.setEncoding('utf8')
    socket.on('data', (c: string) => (got += c))
    socket.on('error', () => resolve(got.split('\r\n')[0]))
    socket.on('close', () => resolve(got.split('\r\n')[0]))
    socket.setTimeout(5000, () => socket.destroy())
    socket.write(text)
  })
}

/** The cookie a sign-in answer sets, as `name=value`. */
function cookieOf(reply: Reply): string {
  const set = reply.headers['set-cookie']
  expect(set, 'a Set-Cookie header').toHaveLength(1)
  return set![0].split(';')[0]
}

beforeAll(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 'socketlab-web-'))
  writeFileSync(
    join(staticDir, 'index.html'),
    '<!doctype html><title>SocketLab</title><script type="module" src="./app.js"></script>',
  )
  writeFileSync(join(staticDir, 'app.js'), 'console.log(1)')
  host = new Host()
  web = await startWebServer(host, { staticDir, onSignIn: () => signIns++, onLocked: () => lockedNotices++ })
  origin = `http://127.0.0.1:${web.port}`
  const first = await get(new URL(web.signInUrl()).pathname + new URL(web.signInUrl()).search)
  cookie = cookieOf(first)
})

afterAll(async () => {
  await web?.close()
  await host?.close()
  rmSync(staticDir, { recursive: true, force: true })
})

describe('signing in', () => {
  it('a sign-in address works once, sets an HttpOnly SameSite=Strict cookie and leaves the code behind', async () => {
    const url = new URL(web.signInUrl())
    expect(url.origin).toBe(origin)
    expect(url.pathname).toBe('/login')
    const before = signIns
    const first = await get(url.pathname + url.search)
    expect(first.status).toBe(200)
    expect(signIns).toBe(before + 1)
    const set = String(first.headers['set-cookie'])
    expect(set).toMatch(new RegExp(`^socketlab-${web.port}=[A-Za-z0-9_-]{40,}; `))
    expect(set).toContain('HttpOnly')
    expect(set).toContain('SameSite=Strict')
    expect(set).toContain('Path=/')
    // The page it answers with leaves for "/" by its own script (the CSP allows no inline one).
    expect(first.body).toContain('<script src="/login.js"></script>')
    expect(first.body).not.toContain(url.searchParams.get('code'))
    const script = await get('/login.js')
    expect(script.body).toContain("location.replace('/'")
    expect(script.headers['content-type']).toContain('text/javascript')

    // Replayed: refused, and no cookie.
    const again = await get(url.pathname + url.search)
    expect(again.status).toBe(403)
    expect(again.headers['set-cookie']).toBeUndefined()
    expect(again.body).toContain('already used')
    expect(signIns).toBe(before + 1)
  })

  it('the opened browser posts its code in a form, which also works once', async () => {
    const code = web.issueCode()
    const post = (): Promise<Reply> =>
      request('/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `code=${encodeURIComponent(code)}`,
      })
    const first = await post()
    expect(first.status).toBe(200)
    const session = cookieOf(first)
    expect((await signedIn('/', { Cookie: session })).status).toBe(200)
    expect((await post()).status).toBe(403)
  })

  it('unknown, empty and oversized codes are refused; HEAD never spends a code', async () => {
    for (const path of ['/login', '/login?code=', '/login?code=nope', `/login?code=${'A'.repeat(4000)}`]) {
      const res = await get(path)
      expect(res.status, path).toBe(403)
      expect(res.headers['set-cookie'], path).toBeUndefined()
    }
    const tooBig = await request('/login', { method: 'POST', body: `code=${'A'.repeat(10_000)}` })
    expect(tooBig.status).toBe(400)
    const url = new URL(web.signInUrl())
    expect((await request(url.pathname + url.search, { method: 'HEAD' })).headers['set-cookie']).toBeUndefined()
    expect((await get(url.pathname + url.search)).status).toBe(200)
  })

  it('a refused page asks the launcher for a fresh sign-in address, at most once per 10 s', async () => {
    const before = lockedNotices
    await get('/')
    await get('/')
    await get('/index.html')
    expect(lockedNotices - before).toBeLessThanOrEqual(1)
    expect(lockedNotices).toBeGreaterThanOrEqual(1)
  })
})

describe('the page', () => {
  it('is refused to a browser that has not signed in, however its path is spelled', async () => {
    for (const path of [
      '/',
      '/index.html',
      '//',
      '//index.html',
      '/%2findex.html',
      '/./index.html',
      '/INDEX.html',
      '/app.js',
      '/?token=x',
    ]) {
      const res = await get(path)
      expect(res.status, path).toBe(403)
      expect(res.body, path).not.toContain('<title>')
    }
    const wrong = await get('/', { Cookie: `socketlab-${web.port}=${'x'.repeat(43)}` })
    expect(wrong.status).toBe(403)
    const otherPort = await get('/', { Cookie: cookie.replace(`socketlab-${web.port}=`, `socketlab-${web.port + 1}=`) })
    expect(otherPort.status).toBe(403)
  })

  it('is served to a signed-in browser with the CSP header and no caching, on every spelling of its path', async () => {
    for (const path of [
      '/',
      '/index.html',
      '//',
      '//index.html',
      '/%2findex.html',
      '/%2Findex.html',
      '/./index.html',
      '/x/../index.html',
    ]) {
      const res = await signedIn(path)
      expect(res.status, path).toBe(200)
      expect(res.body, path).toContain('<title>SocketLab</title>')
      const csp = String(res.headers['content-security-policy'])
      expect(csp.startsWith(CONTENT_SECURITY_POLICY), path).toBe(true)
      expect(csp, path).toContain(`connect-src 'self' ws://127.0.0.1:${web.port}`)
      expect(csp, path).not.toContain('unsafe-eval')
      expect(res.headers['cache-control'], path).toBe('no-store')
      expect(res.headers['x-content-type-options'], path).toBe('nosniff')
    }
    // Under its other name the policy names that one.
    const byName = await signedIn('/', { Host: `localhost:${web.port}` })
    expect(byName.status).toBe(200)
    expect(String(byName.headers['content-security-policy'])).toContain(`connect-src 'self' ws://localhost:${web.port}`)
  })

  it('serves its assets but nothing outside the static folder', async () => {
    expect((await signedIn('/app.js')).status).toBe(200)
    expect((await signedIn('/nothing.js')).status).toBe(404)
    expect((await signedIn('/../../../../etc/passwd')).status).toBe(404)
    expect((await signedIn('/%2e%2e/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404)
  })

  it('answers other methods with 405', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      expect((await request('/', { method, headers: { Cookie: cookie } })).status, method).toBe(405)
    }
    expect((await request('/login', { method: 'PUT' })).status).toBe(405)
  })
})

describe('malformed and misdirected requests get 400, and nothing stops', () => {
  it('paths that do not decode or do not belong in a URL', async () => {
    for (const path of ['/%E0', '/%E0%A4%A', '/%', '/%zz', '/%00', '/a%00.html', '/%5c..%5cetc', '/login%E0']) {
      expect((await get(path)).status, path).toBe(400)
      expect((await signedIn(path)).status, path).toBe(400)
    }
  })

  it('a Host header that is not this server (DNS rebinding), or none at all', async () => {
    for (const name of [
      'evil.example',
      `evil.example:${web.port}`,
      '127.0.0.1',
      `127.0.0.1:${web.port + 1}`,
      `127.0.0.2:${web.port}`,
    ]) {
      const res = await signedIn('/', { Host: name })
      expect(res.status, name).toBe(400)
      expect(res.body, name).not.toContain('<title>')
    }
    expect(await raw('GET / HTTP/1.0\r\n\r\n')).toBe('HTTP/1.1 400 Bad Request')
    expect(await raw(`GET http://127.0.0.1:${web.port}/ HTTP/1.1\r\nHost: 127.0.0.1:${web.port}\r\n\r\n`)).toContain(' 400 ')
    // A sign-in through a rebound name is refused before the code is looked at.
    const url = new URL(web.signInUrl())
    expect((await get(url.pathname + url.search, { Host: `evil.example:${web.port}` })).status).toBe(400)
  })

  it("requests Node's own parser rejects", async () => {
    expect(await raw('NOT HTTP AT ALL\r\n\r\n')).toContain('400')
    expect(await raw(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${web.port}\r\nBad Header\r\n\r\n`)).toContain('400')
  })
})

/** Opens a WebSocket; resolves with the open socket, or with the HTTP status it was refused with. */
function connect(path: string, headers: Record<string, string>): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}${path}`, { headers })
    ws.once('open', () => resolve({ ws }))
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode })
      ws.terminate()
    })
    ws.once('error', () => resolve({ status: 0 }))
  })
}

function call(ws: WebSocket, id: number, name: string, args: unknown): Promise<CommandResult<unknown>> {
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

function value<T>(r: CommandResult<unknown>): T {
  if (!r.ok) throw new Error(r.error)
  return r.value as T
}

/** The first event of a batch that matches. */
function event(ws: WebSocket, match: (e: EngineEvent) => boolean): Promise<EngineEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no such event within 10 s')), 10_000)
    const onMessage = (data: WebSocket.RawData): void => {
      const frame = JSON.parse(data.toString()) as WebFrame
      const found = frame.kind === 'batch' ? frame.batch.events.find(match) : undefined
      if (found) {
        clearTimeout(timer)
        ws.off('message', onMessage)
        resolve(found)
      }
    }
    ws.on('message', onMessage)
  })
}

describe('the WebSocket bridge', () => {
  it('runs commands for a signed-in page from its own Origin', async () => {
    const { ws, status } = await connect('/bridge', { Origin: origin, Cookie: cookie })
    expect(status).toBeUndefined()
    try {
      const list = value<NetworkInterfaceInfo[]>(await call(ws!, 1, 'systemInterfaces', {}))
      expect(list.some((i) => i.address === '127.0.0.1')).toBe(true)
      const bad = await call(ws!, 2, 'serverStart', { exercise: 'nope', host: 'loopback', port: -1 })
      expect(bad.ok).toBe(false)
      expect((bad as { error: string }).error).toBeTruthy()
      expect(await call(ws!, 3, 'rm -rf', {})).toMatchObject({ ok: false })
    } finally {
      ws!.close()
    }
  })

  it('refuses a page with no cookie, a wrong or replayed one, or another Origin', async () => {
    const cases: [string, Record<string, string>][] = [
      ['no cookie', { Origin: origin }],
      ['a wrong cookie', { Origin: origin, Cookie: `socketlab-${web.port}=nope` }],
      ['an old-style token', { Origin: origin }],
      ['another site', { Origin: 'http://evil.example', Cookie: cookie }],
      ['a rebound name', { Origin: `http://evil.example:${web.port}`, Cookie: cookie }],
      ['another port', { Origin: `http://127.0.0.1:${web.port + 1}`, Cookie: cookie }],
      ['an opaque Origin', { Origin: 'null', Cookie: cookie }],
      ['no Origin', { Cookie: cookie }],
    ]
    for (const [what, headers] of cases) {
      const { ws, status } = await connect(what === 'an old-style token' ? '/bridge?token=x' : '/bridge', headers)
      ws?.close()
      expect(status, what).toBe(403)
    }
  })

  it('refuses any other path, a bad Host, and a malformed upgrade', async () => {
    for (const path of ['/other', '/', '//', '/bridge/x']) {
      expect((await connect(path, { Origin: origin, Cookie: cookie })).status, path).toBe(403)
    }
    expect((await connect('/%E0', { Origin: origin, Cookie: cookie })).status).toBe(400)
    expect((await connect('/bridge', { Origin: origin, Cookie: cookie, Host: `evil.example:${web.port}` })).status).toBe(400)
    const upgrade = (extra: string): string =>
      `GET /bridge HTTP/1.1\r\nHost: 127.0.0.1:${web.port}\r\nOrigin: ${origin}\r\nCookie: ${cookie}\r\n` +
      `Connection: Upgrade\r\nUpgrade: websocket\r\n${extra}\r\n`
    expect(await raw(upgrade('Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: not-a-key\r\n'))).toContain('400')
    expect(await raw(upgrade('Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n'))).toContain('400')
    expect(await raw(upgrade(''))).toContain('400')
  })

  it('the page signed in under localhost may open it from that Origin', async () => {
    const { ws, status } = await connect('/bridge', { Origin: `http://localhost:${web.port}`, Cookie: cookie })
    expect(status).toBeUndefined()
    ws!.close()
  })

  it('after all of the above the host still serves a real adder exchange, and pushes its events', async () => {
    const { ws } = await connect('/bridge', { Origin: origin, Cookie: cookie })
    try {
      const started = event(ws!, (e) => e.type === 'server-started')
      const srv = value<{ serverId: string; port: number }>(
        await call(ws!, 1, 'serverStart', { exercise: 'adder', host: 'loopback', port: 0, oneAtATime: false }),
      )
      await started
      const answered = event(ws!, (e) => e.type === 'result' && e.result.kind === 'adder')
      const cli = value<{ clientId: string }>(
        await call(ws!, 2, 'clientStart', { exercise: 'adder', host: '127.0.0.1', port: srv.port, params: { name: 'web-test' } }),
      )
      expect(await call(ws!, 3, 'clientCommand', { clientId: cli.clientId, command: 'a' })).toEqual({ ok: true, value: null })
      const result = await answered
      if (result.type !== 'result' || result.result.kind !== 'adder') throw new Error('not an adder result')
      expect(result.result.answer).toBe(result.result.a + result.result.b)
      const ended = event(ws!, (e) => e.type === 'client-ended' && e.clientId === cli.clientId)
      expect(await call(ws!, 4, 'clientCommand', { clientId: cli.clientId, command: 'q' })).toEqual({ ok: true, value: null })
      expect(await ended).toMatchObject({ ok: true })
      expect(await call(ws!, 5, 'serverStop', { serverId: srv.serverId })).toEqual({ ok: true, value: null })
    } finally {
      ws!.close()
    }
  })
})

describe('stopping', () => {
  it('says goodbye to every open page (a frame, then close code 1001) before it closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'socketlab-web-'))
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>SocketLab</title>')
    const own = new Host()
    const server = await startWebServer(own, { staticDir: dir })
    try {
      const url = new URL(server.signInUrl())
      const signedInReply = await new Promise<Reply>((resolve, reject) => {
        http
          .get(url, (res) => {
            res.resume()
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' }))
          })
          .on('error', reject)
      })
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/bridge`, {
        headers: { Origin: server.origin, Cookie: cookieOf(signedInReply) },
      })
      await new Promise((r) => ws.once('open', r))
      const frames: WebFrame[] = []
      ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as WebFrame))
      const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)))
      await server.close()
      expect(await closed).toBe(1001)
      expect(frames.at(-1)).toEqual({ kind: 'goodbye' })
      // And it is really gone.
      await expect(
        new Promise((resolve, reject) => http.get(url, { agent: false }, resolve).on('error', reject)),
      ).rejects.toThrow(/ECONNREFUSED/)
    } finally {
      await server.close()
      await own.close()
      rmSync(dir, { recursive: true, force: true })
    }
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
    expect(web.origin).toBe(`http://127.0.0.1:${web.port}`)
    expect(await reachable('127.0.0.1', 4)).toBe(true)
    // A server bound to 0.0.0.0 would accept these; one bound to 127.0.0.1 does not.
    if (process.platform === 'linux') expect(await reachable('127.0.0.2', 4)).toBe(false)
    expect(await reachable('::1', 6)).toBe(false)
  })
})

describe('capture files streamed to the browser', () => {
  it('a prepared capture file is a signed-in download: refused without the cookie, a plain 404 when not ready', async () => {
    expect((await get('/capture-file/0123456789abcdef01234567')).status).toBe(403)
    const missing = await signedIn('/capture-file/0123456789abcdef01234567')
    expect(missing.status).toBe(404)
    expect(missing.body).toBe('That file is not ready any more: save it again.\n')
    expect((await signedIn('/capture-file/../../etc/passwd')).status).not.toBe(200)
  })
})
