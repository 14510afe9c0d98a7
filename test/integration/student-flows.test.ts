// What the engine tells a student (issue 11): a client waiting its turn at a one-at-a-time server says so
// and never times out; Many clients counts the waiting ones; a port held by our own server says which;
// a client that reached our own server of another exercise is told; a reloaded page gets its history;
// Many clients' stops and failures are one line each, with a final status; its traffic is kept apart;
// both ends of a connection carry the client's name; the adder's consoles read like terminals.

import { afterEach, describe, expect, it } from 'vitest'
import type { EngineEvent } from '@shared/contract'
import { clientEnded, ok, watchedHost, type Watched } from '../helpers/host'
import { freePort } from '../helpers/raw-peer'

let w: Watched
afterEach(() => w?.host.close())

const updates = (clientId: string) =>
  w.events.filter(
    (e): e is Extract<EngineEvent, { type: 'client-updated' }> => e.type === 'client-updated' && e.clientId === clientId,
  )

describe('one client at a time (Lab 2 question 1)', () => {
  it('the second client is "waiting" for its turn, past any reply timeout, and served when the first quits', async () => {
    w = watchedHost()
    const srv = ok(await w.host.call('serverStart', { exercise: 'adder', host: 'loopback', port: 0, oneAtATime: true }))
    const first = ok(
      await w.host.call('clientStart', { exercise: 'adder', host: '127.0.0.1', port: srv.port, params: { name: 'first' } }),
    )
    await w.waitUntil(() => updates(first.clientId).some((u) => u.phase === 'ready'), 'the first client ready')
    const second = ok(
      await w.host.call('clientStart', {
        exercise: 'adder',
        host: '127.0.0.1',
        port: srv.port,
        params: { name: 'second' },
        wire: { replyTimeoutMs: 300 },
      }),
    )
    expect(second.ownServer).toEqual({ serverId: srv.serverId, exercise: 'adder' })
    await w.waitUntil(
      () => updates(second.clientId).some((u) => u.phase === 'waiting' && u.waitingReason === 'one-at-a-time'),
      'the second client waiting, and why',
    )
    await w.waitUntil(
      () => w.lines(second.clientId).includes('waiting: the server is serving another client (one at a time)'),
      'the waiting line',
    )
    // Well past its reply timeout: still waiting, not failed (the handout's client would wait in recv()).
    await new Promise((r) => setTimeout(r, 1200))
    expect(w.events.some(clientEnded(second.clientId))).toBe(false)
    ok(await w.host.call('clientCommand', { clientId: second.clientId, command: 'a' }))
    ok(await w.host.call('clientCommand', { clientId: first.clientId, command: 'q' }))
    await w.waitUntil(() => w.lines(second.clientId).some((l) => l.startsWith('answer received from Server = ')), 'second served')
    expect(updates(second.clientId).some((u) => u.phase === 'ready')).toBe(true)
    expect(w.lines(srv.serverId)).toEqual(
      expect.arrayContaining(['Connection initiated by first', 'first closed the connection', 'Connection initiated by second']),
    )
  })

  it('Many clients against a one-at-a-time server: one is served, the others count as waiting', async () => {
    w = watchedHost()
    const srv = ok(await w.host.call('serverStart', { exercise: 'adder', host: 'loopback', port: 0, oneAtATime: true }))
    const many = ok(await w.host.call('manyClientsStart', { host: '127.0.0.1', port: srv.port, count: 5, thinkMs: 50 }))
    await w.waitUntil(() => {
      w.host.flush()
      const s = w.host.snapshot().manyClients[0]
      return s.connected === 5 && s.waiting === 4 && s.answered > 3
    }, 'one served and four waiting')
    ok(await w.host.call('manyClientsStop', { manyClientsId: many.manyClientsId }))
    const stats = w.host.snapshot().manyClients[0]
    expect(stats).toMatchObject({ running: false, ended: 'stopped', errors: 0 })
    // One line for a stop the student asked for, not one per client.
    expect(w.lines(many.manyClientsId).filter((l) => l.startsWith('Stopped by you'))).toHaveLength(1)
  })
})

describe('Many clients says what happened once', () => {
  it('nothing listening: the failures grouped with a count, and a final status', async () => {
    w = watchedHost()
    const port = await freePort()
    const many = ok(await w.host.call('manyClientsStart', { host: '127.0.0.1', port, count: 20 }))
    await w.waitUntil(() => w.host.snapshot().manyClients[0].ended === 'failed', 'the run over')
    const stats = w.host.snapshot().manyClients[0]
    expect(stats.failures).toHaveLength(1)
    expect(stats.failures[0]).toMatchObject({ count: 20, error: expect.stringMatching(/^Nothing is listening/) })
    const lines = w.lines(many.manyClientsId)
    expect(lines.filter((l) => l.includes('Nothing is listening'))).toHaveLength(1)
    expect(lines.at(-1)).toMatch(/^All 20 clients failed: Nothing is listening .* \(20\)$/)
  })

  it('a crowd’s traffic has its own log: the exercises’ messages stay', async () => {
    w = watchedHost()
    const srv = ok(await w.host.call('serverStart', { exercise: 'greeting', host: 'loopback', port: 0, oneAtATime: false }))
    const cli = ok(await w.host.call('clientStart', { exercise: 'greeting', host: '127.0.0.1', port: srv.port }))
    await w.waitFor(clientEnded(cli.clientId))
    const adder = ok(await w.host.call('serverStart', { exercise: 'adder', host: 'loopback', port: 0, oneAtATime: false }))
    const many = ok(await w.host.call('manyClientsStart', { host: '127.0.0.1', port: adder.port, count: 50 }))
    await w.waitUntil(() => w.host.snapshot().manyClients[0].answered > 30_000, 'a crowd larger than the log', 60_000)
    ok(await w.host.call('manyClientsStop', { manyClientsId: many.manyClientsId }))
    const history = w.host.snapshot().messages
    expect(history.some((m) => !m.many && m.text === 'Thank you for connecting')).toBe(true)
    expect(history.some((m) => m.many)).toBe(true)
  })
})

describe('ports and servers of this app', () => {
  it('a port held by our own server says which, with a free port to use instead', async () => {
    w = watchedHost()
    const a = ok(await w.host.call('serverStart', { exercise: 'greeting', host: 'loopback', port: 0, oneAtATime: false }))
    const b = await w.host.call('serverStart', { exercise: 'dedup', host: 'loopback', port: a.port, oneAtATime: false })
    expect(b.ok).toBe(false)
    if (b.ok) return
    expect(b.error).toMatch(
      new RegExp(`^Port ${a.port} is already in use by your Greeting server: stop it, or use port \\d+\\.$`),
    )
    expect(b.detail).toMatchObject({ kind: 'port-in-use', port: a.port, holder: { serverId: a.serverId, exercise: 'greeting' } })
    const free = b.detail!.free!
    ok(await w.host.call('serverStart', { exercise: 'dedup', host: 'loopback', port: free, oneAtATime: false }))
  })

  it('a client that reached our own server of another exercise is told so', async () => {
    w = watchedHost()
    const greeting = ok(await w.host.call('serverStart', { exercise: 'greeting', host: 'loopback', port: 0, oneAtATime: false }))
    const cli = ok(await w.host.call('clientStart', { exercise: 'dedup', host: '127.0.0.1', port: greeting.port }))
    expect(cli.ownServer).toEqual({ serverId: greeting.serverId, exercise: 'greeting' })
    expect(w.lines(cli.clientId)[0]).toBe(
      'This is your own greeting server, not a dedup server: the exchange will not work. Check the port.',
    )
  })
})

describe('what a reloaded page gets back', () => {
  it('the snapshot carries the consoles, the results and the recent traffic', async () => {
    w = watchedHost()
    const srv = ok(await w.host.call('serverStart', { exercise: 'dedup', host: 'loopback', port: 0, oneAtATime: false }))
    const cli = ok(
      await w.host.call('clientStart', { exercise: 'dedup', host: '127.0.0.1', port: srv.port, params: { numbers: [1, 5, 5] } }),
    )
    await w.waitFor(clientEnded(cli.clientId))
    const snap = w.host.snapshot()
    expect(snap.lines.some((l) => l.ownerId === cli.clientId && l.text === 'Final list: [1, 5]')).toBe(true)
    expect(snap.lines.some((l) => l.ownerId === srv.serverId && l.text.startsWith('Got connection from'))).toBe(true)
    const clientResult = snap.results.find((r) => r.ownerId === cli.clientId)
    expect(clientResult?.result).toMatchObject({ kind: 'dedup', final: [1, 5], verdict: 'correct' })
    // As received: every message the server sent in this exchange (its greeting, the list, the duplicates), text and hex.
    expect(clientResult?.result.received?.map((r) => r.text)).toEqual(['Thank you for connecting', '[1, 5]', '[5]'])
    expect(clientResult?.result.received?.[1].hex).toBe(Buffer.from('[1, 5]').toString('hex'))
    expect(snap.messages.map((m) => m.text)).toEqual(expect.arrayContaining(['[1, 5, 5]', '[1, 5]', '[5]']))
  })
})

describe('both ends, and terminals', () => {
  it('both ends of an adder connection carry the client’s name; the consoles echo commands and show sums and departures', async () => {
    w = watchedHost()
    const srv = ok(await w.host.call('serverStart', { exercise: 'adder', host: 'loopback', port: 0, oneAtATime: false }))
    const cli = ok(
      await w.host.call('clientStart', { exercise: 'adder', host: '127.0.0.1', port: srv.port, params: { name: 'ada-1' } }),
    )
    for (const c of ['a', 'x', 'q']) ok(await w.host.call('clientCommand', { clientId: cli.clientId, command: c }))
    await w.waitFor(clientEnded(cli.clientId))
    const conns = w.host.snapshot().connections
    expect(
      conns
        .filter((c) => c.clientName === 'ada-1')
        .map((c) => c.role)
        .sort(),
    ).toEqual(['client', 'server'])
    const echoes = w.allLines().filter((l) => l.ownerId === cli.clientId && l.level === 'input')
    expect(echoes.map((l) => l.text)).toEqual(['> a', '> x', '> q'])
    expect(w.lines(cli.clientId)).toContain('Invalid command')
    const server = w.lines(srv.serverId)
    expect(server.some((l) => /^ada-1: \d+ \+ \d+ = \d+$/.test(l))).toBe(true)
    // The handout's client closes on q (it sends nothing); the server console says who left.
    await w.waitUntil(() => w.lines(srv.serverId).includes('ada-1 closed the connection'), 'the departure on the server console')
  })
})
