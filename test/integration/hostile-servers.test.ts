// Every exercise's client against broken servers: garbage, a wrong answer, no answer, closing at once.
// The client reports it plainly, never hangs past its timeout, never crashes.

import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { Exercise } from '@shared/settings'
import { clientEnded, ok, watchedHost, type Watched } from '../helpers/host'

let w: Watched
const servers: net.Server[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) s.close()
  await w?.host.close()
})

type Script = (socket: net.Socket) => void

/** The clients' reply timeout here; a client that gives up is expected to do so after it. */
const REPLY_TIMEOUT_MS = 600
/** No timing assertion tighter than 10× the expected value. */
const IN_TIME_MS = 10 * REPLY_TIMEOUT_MS

/** A fake server that behaves as `script` says on every connection. */
async function fake(script: Script): Promise<number> {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined)
    script(socket)
  })
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return (server.address() as net.AddressInfo).port
}

/** After the client's first message (or at once for the greeting), reply with `reply`. */
const answerWith =
  (reply: string | Buffer, opts: { greetFirst?: boolean } = {}): Script =>
  (socket) => {
    if (opts.greetFirst) socket.write(reply)
    let first = true
    socket.on('data', () => {
      if (opts.greetFirst) return
      if (first) {
        first = false
        socket.write(reply)
      }
    })
  }

/** The adder's handshake, then `reply` to every request. */
const adderThen =
  (reply: string | Buffer | null, closeAfterAck = false): Script =>
  (socket) => {
    let named = false
    socket.on('data', () => {
      if (!named) {
        named = true
        socket.write('ack')
        if (closeAfterAck) setTimeout(() => socket.end(), 50)
        return
      }
      if (reply !== null) socket.write(reply)
    })
  }

async function runClient(exercise: Exercise, port: number, extra: Record<string, unknown> = {}) {
  const started = Date.now()
  const cli = ok(
    await w.host.call('clientStart', {
      exercise,
      host: '127.0.0.1',
      port,
      wire: { replyTimeoutMs: REPLY_TIMEOUT_MS, acknowledge: 'never' },
      ...extra,
    }),
  )
  if (exercise === 'adder') {
    await w.host.call('clientCommand', { clientId: cli.clientId, command: 'a' })
    await w.host.call('clientCommand', { clientId: cli.clientId, command: 'q' })
  }
  const end = await w.waitFor(clientEnded(cli.clientId), IN_TIME_MS)
  return { end, elapsed: Date.now() - started, lines: w.lines(cli.clientId) }
}

const GARBAGE = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x9f, 0x92, 0x96])

describe('greeting client', () => {
  it('garbage greeting is shown as received (any wording is a greeting) and acknowledged', async () => {
    w = watchedHost()
    const port = await fake(answerWith(GARBAGE, { greetFirst: true }))
    const { end } = await runClient('greeting', port)
    expect(end.ok).toBe(true)
  })
  it('an error line instead of a greeting is reported', async () => {
    w = watchedHost()
    const port = await fake(answerWith('error: go away', { greetFirst: true }))
    const { end } = await runClient('greeting', port)
    expect(end).toMatchObject({ ok: false, error: 'The server answered with an error: "error: go away"' })
  })
  it('no greeting: gives up after the reply timeout', async () => {
    w = watchedHost()
    const port = await fake(() => undefined)
    const { end, elapsed } = await runClient('greeting', port)
    expect(end.error).toBe('No greeting from the server within 0.6 s')
    expect(elapsed).toBeLessThan(IN_TIME_MS)
  })
  it('closes at once', async () => {
    w = watchedHost()
    const port = await fake((s) => s.end())
    const { end } = await runClient('greeting', port)
    expect(end.error).toBe('The server closed the connection before sending its greeting')
  })
})

describe('dedup and intersection clients', () => {
  const cases: [Exercise, string, RegExp][] = [
    ['dedup', '[1, 2, 2]', /^The answer is wrong: 2 appears more than once in the answer$/],
    ['dedup', '[1]', /^The answer is wrong: missing \[2\]$/],
    ['dedup', '[1, 2, 99]', /^The answer is wrong: 99 was never sent$/],
    ['intersection', '[2, 1]', /^The answer is wrong: the numbers are not sorted ascending without repeats$/],
    ['intersection', '[1, 77]', /^The answer is wrong: 77 is not in the client's set$/],
    ['dedup', '[1, two]', /^The server's answer is malformed: expected a list of numbers: "two" is not a number$/],
  ]
  for (const [exercise, reply, error] of cases) {
    it(`${exercise}: ${reply} is reported`, async () => {
      w = watchedHost()
      const port = await fake(answerWith(reply))
      const { end } = await runClient(exercise, port, { params: { numbers: [1, 2, 2] } })
      expect(end.ok).toBe(false)
      expect(end.error).toMatch(error)
    })
  }
  for (const exercise of ['dedup', 'intersection'] as const) {
    it(`${exercise}: binary garbage is a malformed answer`, async () => {
      w = watchedHost()
      const port = await fake(answerWith(Buffer.concat([Buffer.from('[1, '), GARBAGE, Buffer.from(']')])))
      const { end } = await runClient(exercise, port, { params: { numbers: [1, 2] } })
      expect(end.error).toMatch(/^The server's answer is malformed: /)
    })
    it(`${exercise}: a server that says nothing at all may be serving someone else: the client waits, says so, and can be stopped`, async () => {
      w = watchedHost()
      const port = await fake(() => undefined)
      const cli = ok(
        await w.host.call('clientStart', {
          exercise,
          host: '127.0.0.1',
          port,
          wire: { replyTimeoutMs: 600, acknowledge: 'never' },
          params: { numbers: [1, 2] },
        }),
      )
      await w.waitUntil(() => w.lines(cli.clientId).some((l) => l.startsWith('waiting: no reply yet')), 'the waiting line')
      // Well past the reply timeout, still waiting (as the handout's recv() would), not failed.
      await new Promise((r) => setTimeout(r, 1500))
      expect(w.events.some((e) => e.type === 'client-ended' && e.clientId === cli.clientId)).toBe(false)
      expect(w.events).toContainEqual({
        type: 'client-updated',
        clientId: cli.clientId,
        phase: 'waiting',
        waitingReason: 'no-reply-yet',
      })
      ok(await w.host.call('clientStop', { clientId: cli.clientId }))
      expect((await w.waitFor(clientEnded(cli.clientId))).ok).toBe(false)
    })
    it(`${exercise}: closes at once`, async () => {
      w = watchedHost()
      const port = await fake((s) => s.end())
      const { end } = await runClient(exercise, port, { params: { numbers: [1, 2] } })
      expect(end.error).toBe('The server closed the connection before answering')
    })
  }
})

describe('adder client', () => {
  it('a wrong sum is reported and the exchange fails', async () => {
    w = watchedHost()
    const port = await fake(adderThen('1000'))
    const { end, lines } = await runClient('adder', port)
    expect(end).toMatchObject({ ok: false, error: '1 of 1 answers were wrong' })
    expect(lines.some((l) => /^Wrong answer: \d+ \+ \d+ = \d+, not 1000$/.test(l))).toBe(true)
  })
  it('garbage instead of a sum is a malformed answer', async () => {
    w = watchedHost()
    const port = await fake(adderThen(GARBAGE))
    const { end } = await runClient('adder', port)
    expect(end.error).toMatch(/^The server's answer is malformed: /)
  })
  it('garbage instead of ack', async () => {
    w = watchedHost()
    const port = await fake(answerWith(GARBAGE))
    const { end } = await runClient('adder', port)
    expect(end.error).toMatch(/^Expected "ack" from the server, got /)
  })
  it('no answer gives up after the reply timeout', async () => {
    w = watchedHost()
    const port = await fake(adderThen(null))
    const { end, elapsed } = await runClient('adder', port)
    expect(end.error).toBe('No answer from the server within 0.6 s')
    expect(elapsed).toBeLessThan(IN_TIME_MS)
  })
  it('closes right after the ack', async () => {
    w = watchedHost()
    const port = await fake(adderThen(null, true))
    const cli = ok(await w.host.call('clientStart', { exercise: 'adder', host: '127.0.0.1', port }))
    const end = await w.waitFor(clientEnded(cli.clientId), 5000)
    expect(end.error).toBe('The server closed the connection')
  })
})
