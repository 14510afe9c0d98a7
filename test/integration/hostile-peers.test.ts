// Hostile and broken clients against every exercise's server. In every case the server answers
// `error: …` or closes as documented, the event stream and counters record what happened, and a
// well-behaved client running at the same time gets every answer right.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EngineEvent, ServerInfo } from '@shared/contract'
import type { Exercise } from '@shared/settings'
import { clientEnded, ok, watchedHost, type Watched } from '../helpers/host'
import { rawPeer, type RawPeer } from '../helpers/raw-peer'

const LIMITS = { maxMessageBytes: 1024, handshakeTimeoutMs: 800 }

interface Case {
  name: string
  payload: string | Buffer
}

/** Everything the issue lists, for a server expecting a pair (adder) or a list (dedup, intersection). */
function badInputs(kind: 'pair' | 'list'): Case[] {
  const common: Case[] = [
    { name: 'whitespace', payload: '    \n' },
    // Plain words before a list are an acknowledgement to a list server; in brackets they are a bad list.
    { name: 'non-numbers', payload: kind === 'pair' ? 'hello world\n' : '[hello, world]\n' },
    { name: 'floats', payload: kind === 'pair' ? '1.5 2.25\n' : '[1.5, 2]\n' },
    {
      name: 'huge numbers',
      payload: kind === 'pair' ? '123456789012345678901234567890 1\n' : '[123456789012345678901234567890]\n',
    },
    { name: 'invalid UTF-8', payload: Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0x0a]) },
    {
      name: 'a pickle that would run code',
      payload: Buffer.from('8004951d000000000000008c05706f736978948c0673797374656d9493948c046563686f94859452942e', 'hex'),
    },
  ]
  if (kind === 'pair')
    return [
      ...common,
      // Raw bytes are a list to a list server (`bytes([1, 2])`), but never a pair.
      { name: 'raw binary', payload: Buffer.from([0x01, 0x02, 0x03, 0xfe, 0xff, 0x7f, 0x0a]) },
      { name: 'one number', payload: '3\n' },
      { name: 'three numbers', payload: '1 2 3\n' },
      { name: 'a list of three', payload: '[3, 4, 5]\n' },
    ]
  return [...common, { name: 'mixed', payload: '[1, two, 3]\n' }]
}

const SETUP: Record<
  Exclude<Exercise, 'greeting'>,
  { kind: 'pair' | 'list'; prefix(p: RawPeer): Promise<void>; good: string; answer: RegExp }
> = {
  adder: {
    kind: 'pair',
    prefix: async (p) => {
      p.send('mallory\n')
      await p.until((t) => t.includes('ack'))
    },
    good: '-5 12\n',
    // The peer ends its lines with \n, so the answers do too.
    answer: /7\n?$/,
  },
  // The final list, then the duplicates as a second message.
  dedup: { kind: 'list', prefix: async () => undefined, good: '[4, 4, 2]\n', answer: /\[4, 2\]\n?\[4\]\n?$/ },
  intersection: { kind: 'list', prefix: async () => undefined, good: '[1, 2, 3]\n', answer: /\[[\d, ]*\]\n?$/ },
}

for (const exercise of ['adder', 'dedup', 'intersection'] as const) {
  describe(`${exercise} server under hostile input`, () => {
    let w: Watched
    let srv: ServerInfo
    let running = true
    let goodRuns = 0
    const goodFailures: string[] = []
    let background: Promise<void>
    const setup = SETUP[exercise]

    beforeAll(async () => {
      w = watchedHost()
      srv = ok(
        await w.host.call('serverStart', {
          exercise,
          host: 'loopback',
          port: 0,
          oneAtATime: false,
          limits: LIMITS,
          wire: { greetFirst: 'never' },
        }),
      )
      // A well-behaved client of the same exercise, over and over, for the whole suite.
      background = (async () => {
        while (running) {
          const cli = ok(
            await w.host.call('clientStart', { exercise, host: '127.0.0.1', port: srv.port, params: { name: 'good-client' } }),
          )
          if (exercise === 'adder')
            for (const c of ['a', 'a', 'q']) await w.host.call('clientCommand', { clientId: cli.clientId, command: c })
          const end = await w.waitFor(clientEnded(cli.clientId), 20_000)
          goodRuns++
          if (!end.ok) goodFailures.push(end.error ?? '?')
        }
      })()
    })

    afterAll(async () => {
      running = false
      await background
      expect(goodFailures).toEqual([])
      expect(goodRuns).toBeGreaterThan(3)
      await w.host.close()
    })

    for (const c of badInputs(setup.kind)) {
      it(`${c.name}: answered with error:, and the session goes on`, async () => {
        const p = await rawPeer(srv.port)
        await setup.prefix(p)
        const before = p.received().length
        p.send(c.payload)
        await p.until((t) => t.slice(before).startsWith('error: '))
        // Binary input has no boundaries of its own: let the peer's quiet moment end what is left of it.
        await new Promise((r) => setTimeout(r, 250))
        // One line: ended as the peer ends its lines (\n here), nothing more.
        expect(p.text().slice(before).replace(/\n$/, '')).not.toContain('\n')
        const again = p.received().length
        p.send(setup.good)
        await p.until((t) => t.length > again && setup.answer.test(t))
        p.socket.destroy()
      })
    }

    if (setup.kind === 'list')
      it('an unclosed list is not cut by a quiet moment: the handshake limit closes it, with error:', async () => {
        const p = await rawPeer(srv.port)
        const t0 = Date.now()
        p.send('[1, 2, 3')
        await p.closed
        // An opened [ waits a few round trips (3 s at least) before a quiet moment may end it; the 0.8 s
        // handshake limit comes first.
        expect(p.text()).toBe('error: no message within 0.8 s of connecting')
        expect(Date.now() - t0).toBeGreaterThanOrEqual(LIMITS.handshakeTimeoutMs - 50)
      })

    it('an empty line is ignored, not answered', async () => {
      const p = await rawPeer(srv.port)
      await setup.prefix(p)
      const before = p.received().length
      p.send('\n\r\n')
      p.send(setup.good)
      await p.until((t) => setup.answer.test(t))
      expect(p.text().slice(before)).not.toContain('error')
      p.socket.destroy()
    })

    it('a message over the size limit gets an error and the connection is closed', async () => {
      const p = await rawPeer(srv.port)
      await setup.prefix(p)
      const limits = w.events.filter((e) => e.type === 'limit').length
      p.send('9'.repeat(LIMITS.maxMessageBytes + 10))
      await p.closed
      expect(p.text()).toContain(`error: message too long (limit ${LIMITS.maxMessageBytes} bytes)`)
      await w.waitUntil(() => w.events.filter((e) => e.type === 'limit').length > limits, 'a limit event')
    })

    it('a request dribbled one byte at a time is answered right', async () => {
      const p = await rawPeer(srv.port)
      if (exercise === 'adder') {
        await p.dribble('dribbler\n', 5)
        await p.until((t) => t.includes('ack'))
      }
      await p.dribble(setup.good.trim(), 5)
      await p.until((t) => setup.answer.test(t))
      p.socket.destroy()
    })

    it('a client that connects and says nothing is closed after the handshake timeout, and it is reported', async () => {
      const p = await rawPeer(srv.port)
      const start = Date.now()
      await p.closed
      expect(Date.now() - start).toBeGreaterThanOrEqual(LIMITS.handshakeTimeoutMs - 50)
      expect(p.text()).toMatch(/error: no message within 0\.8 s of connecting$/)
      await w.waitUntil(
        () => w.events.some((e) => e.type === 'conn-closed' && e.limit === 'handshakeTimeoutMs'),
        'conn-closed with the handshake reason',
      )
    })

    it('a client that resets mid-exchange is recorded as reset, and nothing else is touched', async () => {
      const p = await rawPeer(srv.port)
      await setup.prefix(p)
      p.send(setup.good.slice(0, 3))
      await new Promise((r) => setTimeout(r, 20))
      p.socket.resetAndDestroy()
      await w.waitUntil(
        () => w.events.some((e) => e.type === 'conn-closed' && e.reason === 'reset by the peer'),
        'a reset recorded',
      )
    })

    it('a half-close after the request still gets the answer, then the server closes', async () => {
      const p = await rawPeer(srv.port)
      await setup.prefix(p)
      p.send(setup.good.trim())
      p.socket.end()
      await p.closed
      expect(setup.answer.test(p.text())).toBe(true)
    })

    it('counters record exactly what was sent and received', async () => {
      const p = await rawPeer(srv.port)
      await setup.prefix(p)
      p.send(setup.good)
      await p.until((t) => setup.answer.test(t))
      const sent = exercise === 'adder' ? 'mallory\n'.length + setup.good.length : setup.good.length
      const received = p.received().length
      p.socket.end()
      await p.closed
      await w.waitUntil(() => {
        const conn = w.host
          .snapshot()
          .connections.find(
            (c) => c.role === 'server' && c.state === 'closed' && c.counters.bytesIn === sent && c.counters.bytesOut === received,
          )
        return conn !== undefined
      }, `a closed connection with bytesIn ${sent} and bytesOut ${received}`)
      const closedEvents = w.events.filter((e): e is Extract<EngineEvent, { type: 'conn-closed' }> => e.type === 'conn-closed')
      expect(
        closedEvents.some((e) => e.counters.bytesIn === sent && e.counters.messagesIn === (exercise === 'adder' ? 2 : 1)),
      ).toBe(true)
    })
  })
}

describe('greeting server under hostile input', () => {
  let w: Watched
  let srv: ServerInfo
  beforeAll(async () => {
    w = watchedHost()
    srv = ok(
      await w.host.call('serverStart', { exercise: 'greeting', host: 'loopback', port: 0, oneAtATime: false, limits: LIMITS }),
    )
  })
  afterAll(() => w.host.close())

  it('any text, even binary, is an acknowledgement: printed, then the server closes', async () => {
    const p = await rawPeer(srv.port)
    await p.until((t) => t === 'Thank you for connecting')
    p.send(Buffer.from([0xff, 0xfe, 0x41]))
    await p.closed
    await w.waitUntil(() => w.lines(srv.serverId).includes('\ufffd\ufffdA'), 'the ack printed with replacement characters')
  })

  it('an acknowledgement over the size limit is refused with an error', async () => {
    const p = await rawPeer(srv.port)
    p.send('x'.repeat(LIMITS.maxMessageBytes + 1))
    await p.closed
    expect(p.text()).toContain('error: message too long')
  })

  it('a client that never acknowledges is closed after the handshake timeout', async () => {
    const p = await rawPeer(srv.port)
    await p.closed
    expect(p.text()).toBe('Thank you for connectingerror: no message within 0.8 s of connecting')
  })

  it('a half-close without an acknowledgement is reported', async () => {
    const p = await rawPeer(srv.port)
    p.socket.end()
    await p.closed
    await w.waitUntil(() => w.lines(srv.serverId).includes('The client closed without an acknowledgement'), 'the report')
  })
})
