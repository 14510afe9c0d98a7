// The engine's promises with real sockets on 127.0.0.1: many clients, one at a time, bad input that
// does not touch anyone else, plain-language client errors, a clean close that frees fixed ports.

import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { clientEnded, ok, watchedHost, type Watched } from '../helpers/host'

let w: Watched
afterEach(async () => {
  await w?.host.close()
})

/** A raw peer: send chunks, collect what comes back until the server closes or `ms` passes. */
function rawPeer(port: number) {
  const socket = net.connect({ host: '127.0.0.1', port })
  let received = ''
  socket.on('data', (d) => (received += d.toString('latin1')))
  socket.on('error', () => undefined)
  const closed = new Promise<void>((r) => socket.on('close', () => r()))
  return {
    socket,
    send: (data: string | Buffer) => socket.write(data),
    received: () => received,
    closed,
    async until(pred: (text: string) => boolean, ms = 5000): Promise<string> {
      const start = Date.now()
      while (!pred(received)) {
        if (Date.now() - start > ms) throw new Error(`raw peer timed out; got ${JSON.stringify(received)}`)
        await new Promise((r) => setTimeout(r, 5))
      }
      return received
    },
  }
}

describe('many clients at a time (Lab 2 question 2)', () => {
  it('200 concurrent adder clients, every answer checked', async () => {
    w = watchedHost()
    const srv = ok(await w.host.call('serverStart', { exercise: 'adder', host: 'loopback', port: 0, oneAtATime: false }))
    const many = ok(await w.host.call('manyClientsStart', { host: '127.0.0.1', port: srv.port, count: 200 }))
    await w.waitUntil(
      () => {
        w.host.flush()
        const s = w.host.snapshot().manyClients[0]
        return s.connected === 200 && s.answered >= 2000
      },
      '200 clients with 2000 answers',
      30_000,
    )
    ok(await w.host.call('manyClientsStop', { manyClientsId: many.manyClientsId }))
    const stats = w.host.snapshot().manyClients[0]
    expect(stats.wrong).toBe(0)
    expect(stats.errors).toBe(0)
    const names = new Set(w.lines(srv.serverId).filter((l) => l.startsWith('Connection initiated by ')))
    expect(names.size).toBe(200)
    // Every answer the server sent is recorded: the results equal the sums.
    const results = w.results(srv.serverId)
    expect(results.length).toBeGreaterThanOrEqual(2000)
    for (const r of results) if (r.kind === 'adder') expect(r.answer).toBe(r.a + r.b)
    // The exact counters lose nothing under load: every byte one side sent, the other side received.
    await w.waitUntil(() => w.host.snapshot().connections.every((c) => c.state === 'closed'), 'all 400 ends closed')
    const conns = w.host.snapshot().connections
    const sum = (role: string, key: 'bytesIn' | 'bytesOut' | 'messagesIn' | 'messagesOut') =>
      conns.filter((c) => c.role === role).reduce((n, c) => n + c.counters[key], 0)
    expect(sum('server', 'bytesIn')).toBe(sum('client', 'bytesOut'))
    expect(sum('client', 'bytesIn')).toBe(sum('server', 'bytesOut'))
    expect(sum('server', 'messagesOut')).toBe(200 + w.results(srv.serverId).length) // one ack per client, one answer per request
  })
})

describe('the fast lane under load (a console at its limit) answers exactly as the usual way', () => {
  it.each([
    ['\r\n', 'crlf'],
    ['\n', 'lf'],
    ['\0', 'nul'],
    ['', 'none'],
  ])('requests ended by %j', async (ending, terminator) => {
    w = watchedHost()
    const srv = ok(
      await w.host.call('serverStart', {
        exercise: 'adder',
        host: 'loopback',
        port: 0,
        oneAtATime: false,
        limits: { consoleLinesPerSecond: 1 },
      }),
    )
    const peer = rawPeer(srv.port)
    peer.send(`alice${ending}`)
    let expected = `ack${ending}`
    await peer.until((t) => t === expected)
    // Lock-step, as a student's client: after the first sum's line the console is closed for the second.
    const requests = 60
    for (let i = 0; i < requests; i++) {
      peer.send(`${i} ${i + 1}${ending}`)
      expected += `${2 * i + 1}${ending}`
      await peer.until((t) => t === expected)
    }
    expect(w.lines(srv.serverId).filter((l) => l.startsWith('alice: '))).toEqual(['alice: 0 + 1 = 1'])
    const results = w.results(srv.serverId)
    expect(results).toEqual(Array.from({ length: requests }, (_, i) => ({ kind: 'adder', a: i, b: i + 1, answer: 2 * i + 1 })))
    const snap = w.host.snapshot()
    const conn = snap.connections.find((c) => c.role === 'server' && c.state === 'open')!
    expect(conn.convention?.terminator ?? 'none').toBe(terminator)
    expect(conn.counters).toEqual({
      bytesIn:
        Buffer.byteLength(`alice${ending}`) +
        [...Array(requests).keys()].reduce((n, i) => n + `${i} ${i + 1}${ending}`.length, 0),
      bytesOut: Buffer.byteLength(expected),
      messagesIn: requests + 1,
      messagesOut: requests + 1,
    })
    // The traffic log has every message as the peer framed it (without its ending) and every answer as sent.
    const log = snap.messages.filter((m) => m.connId === conn.connId).map((m) => [m.dir, m.text])
    expect(log).toEqual([
      ['in', 'alice'],
      ['out', `ack${ending}`],
      ...Array.from({ length: requests }, (_, i) => [
        ['in', `${i} ${i + 1}`],
        ['out', `${2 * i + 1}${ending}`],
      ]).flat(),
    ])
    peer.socket.end()
    await peer.closed
  })
})

describe('one client at a time (Lab 2 question 1)', () => {
  it('the second client waits until the first leaves', async () => {
    w = watchedHost()
    const srv = ok(await w.host.call('serverStart', { exercise: 'adder', host: 'loopback', port: 0, oneAtATime: true }))
    const first = ok(
      await w.host.call('clientStart', { exercise: 'adder', host: '127.0.0.1', port: srv.port, params: { name: 'first' } }),
    )
    await w.waitUntil(() => w.lines(srv.serverId).includes('Connection initiated by first'), 'first served')
    const second = ok(
      await w.host.call('clientStart', { exercise: 'adder', host: '127.0.0.1', port: srv.port, params: { name: 'second' } }),
    )
    ok(await w.host.call('clientCommand', { clientId: second.clientId, command: 'a' }))
    await new Promise((r) => setTimeout(r, 400))
    // Connected at the TCP level, but not served: no name printed, no answer.
    expect(w.lines(srv.serverId)).not.toContain('Connection initiated by second')
    expect(w.lines(second.clientId).some((l) => l.startsWith('answer received'))).toBe(false)
    expect(w.host.snapshot().connections.some((c) => c.role === 'server' && c.state === 'waiting')).toBe(true)
    ok(await w.host.call('clientCommand', { clientId: first.clientId, command: 'q' }))
    await w.waitUntil(() => w.lines(second.clientId).some((l) => l.startsWith('answer received from Server = ')), 'second served')
    const order = w.lines(srv.serverId).filter((l) => l.startsWith('Connection initiated by'))
    expect(order).toEqual(['Connection initiated by first', 'Connection initiated by second'])
  })
})

describe('bad input is answered with error: and touches no one else', () => {
  it('every class of malformed adder request while a good client keeps getting right answers', async () => {
    w = watchedHost()
    const srv = ok(await w.host.call('serverStart', { exercise: 'adder', host: 'loopback', port: 0, oneAtATime: false }))
    const good = ok(await w.host.call('manyClientsStart', { host: '127.0.0.1', port: srv.port, count: 3 }))
    const bad = rawPeer(srv.port)
    bad.send('mallory\n')
    await bad.until((t) => t.includes('ack'))
    const invalidUtf8 = Buffer.from([0xff, 0xfe, 0x01, 0x80, 0x33, 0x0a])
    const cases = ['hello\n', '3\n', '1 2 3\n', '3.5 2\n', '99999999999999999999 1\n', invalidUtf8, '   \n']
    for (const c of cases) {
      const before = bad.received().length
      bad.send(c)
      await bad.until((t) => t.length > before && t.slice(before).includes('error:'))
    }
    bad.send('-3 10\n')
    // The peer ends its lines with \n, so the answers do too.
    await bad.until((t) => t.endsWith('7\n'))
    await w.waitUntil(() => w.host.snapshot().manyClients[0].answered > 100, 'good clients answered meanwhile')
    ok(await w.host.call('manyClientsStop', { manyClientsId: good.manyClientsId }))
    const stats = w.host.snapshot().manyClients[0]
    expect(stats.answered).toBeGreaterThan(0)
    expect(stats.wrong).toBe(0)
    expect(stats.errors).toBe(0)
    const errors = bad
      .received()
      .split(/(?=error:)/)
      .filter((p) => p.startsWith('error:'))
    expect(errors.length).toBe(cases.length)
    bad.socket.destroy()
  })

  it('dedup: malformed lists get error: and the session goes on to a right answer', async () => {
    w = watchedHost()
    const srv = ok(
      await w.host.call('serverStart', {
        exercise: 'dedup',
        host: 'loopback',
        port: 0,
        oneAtATime: false,
        wire: { greetFirst: 'never' },
      }),
    )
    const peer = rawPeer(srv.port)
    peer.send('[1, two, 3]')
    await peer.until((t) => t.includes('error:'))
    peer.send('[4, 4, 5]\n')
    await peer.until((t) => t.includes('[4, 5]'))
    await peer.closed
  })
})

describe('client errors in plain language', () => {
  it('nothing listening', async () => {
    w = watchedHost()
    const probe = net.createServer()
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()))
    const port = (probe.address() as net.AddressInfo).port
    await new Promise<void>((r) => probe.close(() => r()))
    const res = await w.host.call('clientStart', { exercise: 'greeting', host: '127.0.0.1', port })
    expect(res.ok).toBe(false)
    if (!res.ok) {
      expect(res.error).toMatch(/Nothing is listening at 127\.0\.0\.1:\d+\. Is the server started/)
      expect(res.field).toBe('port')
    }
  })

  it('name not found', async () => {
    w = watchedHost()
    const res = await w.host.call('clientStart', { exercise: 'greeting', host: 'no-such-host.invalid', port: 12345 })
    expect(res.ok).toBe(false)
    if (!res.ok) expect(res.error).toMatch(/Name not found/)
  })

  it('a server that never answers: the client gives up after its reply timeout', async () => {
    w = watchedHost()
    const silent = net.createServer((s) => s.on('error', () => undefined))
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()))
    const port = (silent.address() as net.AddressInfo).port
    const cli = ok(
      await w.host.call('clientStart', { exercise: 'greeting', host: '127.0.0.1', port, wire: { replyTimeoutMs: 300 } }),
    )
    const end = await w.waitFor(clientEnded(cli.clientId))
    expect(end.ok).toBe(false)
    expect(end.error).toBe('No greeting from the server within 0.3 s')
    silent.close()
  })

  it('a server that closes before answering', async () => {
    w = watchedHost()
    const rude = net.createServer((s) => s.end())
    await new Promise<void>((r) => rude.listen(0, '127.0.0.1', () => r()))
    const port = (rude.address() as net.AddressInfo).port
    const cli = ok(await w.host.call('clientStart', { exercise: 'adder', host: '127.0.0.1', port }))
    const end = await w.waitFor(clientEnded(cli.clientId))
    expect(end.error).toBe('The server closed the connection before sending "ack"')
    rude.close()
  })

  it('a wrong answer is reported', async () => {
    w = watchedHost()
    const liar = net.createServer((s) => {
      s.on('error', () => undefined)
      s.once('data', () => {
        s.write('ack')
        s.on('data', () => s.write('1000'))
      })
    })
    await new Promise<void>((r) => liar.listen(0, '127.0.0.1', () => r()))
    const port = (liar.address() as net.AddressInfo).port
    const cli = ok(await w.host.call('clientStart', { exercise: 'adder', host: '127.0.0.1', port }))
    ok(await w.host.call('clientCommand', { clientId: cli.clientId, command: 'a' }))
    ok(await w.host.call('clientCommand', { clientId: cli.clientId, command: 'q' }))
    const end = await w.waitFor(clientEnded(cli.clientId))
    expect(end.ok).toBe(false)
    expect(w.lines(cli.clientId).some((l) => /^Wrong answer: \d+ \+ \d+ = \d+, not 1000$/.test(l))).toBe(true)
    liar.close()
  })
})

describe('servers', () => {
  it('the server closes first, so a client bound to a fixed port can run again at once', async () => {
    w = watchedHost()
    const srv = ok(await w.host.call('serverStart', { exercise: 'dedup', host: 'loopback', port: 0, oneAtATime: false }))
    const probe = net.createServer()
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()))
    const localPort = (probe.address() as net.AddressInfo).port
    await new Promise<void>((r) => probe.close(() => r()))
    for (let i = 0; i < 3; i++) {
      const cli = ok(
        await w.host.call('clientStart', {
          exercise: 'dedup',
          host: '127.0.0.1',
          port: srv.port,
          localPort,
          params: { count: 30 },
        }),
      )
      expect((await w.waitFor(clientEnded(cli.clientId))).ok).toBe(true)
    }
  })

  it('port in use is a plain error next to the port field; stop frees the port', async () => {
    w = watchedHost()
    const a = ok(await w.host.call('serverStart', { exercise: 'adder', host: 'loopback', port: 0, oneAtATime: false }))
    const b = await w.host.call('serverStart', { exercise: 'adder', host: 'loopback', port: a.port, oneAtATime: false })
    expect(b).toMatchObject({
      ok: false,
      field: 'port',
      error: expect.stringMatching(new RegExp(`^Port ${a.port} is already in use by your Adder server`)),
      detail: { kind: 'port-in-use', port: a.port, holder: { serverId: a.serverId, exercise: 'adder' } },
    })
    ok(await w.host.call('serverStop', { serverId: a.serverId }))
    ok(await w.host.call('serverStart', { exercise: 'adder', host: 'loopback', port: a.port, oneAtATime: false }))
  })

  it('stop closes every session cleanly', async () => {
    w = watchedHost()
    const srv = ok(await w.host.call('serverStart', { exercise: 'adder', host: 'loopback', port: 0, oneAtATime: false }))
    const clients = await Promise.all(
      [1, 2, 3].map(async () => ok(await w.host.call('clientStart', { exercise: 'adder', host: '127.0.0.1', port: srv.port }))),
    )
    await w.waitUntil(() => w.lines(srv.serverId).filter((l) => l.startsWith('Connection initiated')).length === 3, 'three named')
    ok(await w.host.call('serverStop', { serverId: srv.serverId }))
    for (const c of clients) await w.waitFor(clientEnded(c.clientId))
    await w.waitUntil(
      () => w.host.snapshot().connections.filter((c) => c.role === 'server' && c.state === 'closed').length === 3,
      'server sides closed',
    )
  })

  it('listens on IPv6 loopback and the client reaches it by ::1', async () => {
    w = watchedHost()
    const srv = await w.host.call('serverStart', { exercise: 'greeting', host: '::1', port: 0, oneAtATime: false })
    if (!srv.ok) return expect(srv.error).toMatch(/not on this machine/) // a machine without IPv6
    const cli = ok(await w.host.call('clientStart', { exercise: 'greeting', host: '::1', port: srv.value.port }))
    expect((await w.waitFor(clientEnded(cli.clientId))).ok).toBe(true)
    expect(w.lines(srv.value.serverId).some((l) => /^Got connection from \('::1', \d+, 0, 0\)$/.test(l))).toBe(true)
  })
})
