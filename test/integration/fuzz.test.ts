// A bounded fuzz of every exercise's server: random byte strings in random splits. No unhandled
// exception, every connection answered or closed, and a good client still served afterwards.
// The seed is printed on failure; replay with FUZZ_SEED=<seed>.

import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ServerInfo } from '@shared/contract'
import { EXERCISES } from '@shared/settings'
import { clientEnded, ok, watchedHost, type Watched } from '../helpers/host'
import { seeded } from '../helpers/rng'

const SEED = Number(process.env.FUZZ_SEED ?? 20261122)
const CONNECTIONS = 60

/** Inputs that are mostly garbage, with some near-misses of valid messages mixed in. */
function randomInput(rng: () => number): Buffer {
  const pieces = [
    '3 7',
    '[1, 2, 2]',
    'ack',
    'It was nice talking to you',
    '\n',
    '\0',
    '\r\n',
    ',',
    '[',
    ']',
    '-',
    '+',
    '99999999999999999999',
    '\x80\x04',
    'q',
  ]
  const parts: Buffer[] = []
  const n = 1 + Math.floor(rng() * 8)
  for (let i = 0; i < n; i++) {
    if (rng() < 0.5) parts.push(Buffer.from(pieces[Math.floor(rng() * pieces.length)], 'latin1'))
    else parts.push(Buffer.from(Array.from({ length: Math.floor(rng() * 40) }, () => Math.floor(rng() * 256))))
  }
  return Buffer.concat(parts)
}

function oneConnection(port: number, input: Buffer, rng: () => number): Promise<{ answered: boolean; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    let answered = false
    socket.on('data', () => (answered = true))
    socket.on('error', () => undefined)
    socket.on('close', () => resolve({ answered, closed: true }))
    socket.on('connect', async () => {
      // Random splits with random pauses: TCP may deliver the pieces in any grouping.
      let at = 0
      while (at < input.length) {
        const size = 1 + Math.floor(rng() * Math.min(16, input.length - at))
        socket.write(input.subarray(at, at + size))
        at += size
        if (rng() < 0.3) await new Promise((r) => setTimeout(r, Math.floor(rng() * 30)))
      }
      // Leave it to the server: it must answer or close within its limits. An acknowledgement alone is
      // rightly not answered (the list may follow), so the idle limit closes it; an unclosed list waits
      // a few round trips (3 s at least) before it is answered as malformed.
      setTimeout(() => {
        resolve({ answered, closed: socket.destroyed })
        socket.destroy()
      }, 6000)
    })
  })
}

for (const exercise of EXERCISES) {
  describe(`fuzz: ${exercise} server (seed ${SEED})`, () => {
    let w: Watched
    let srv: ServerInfo
    const unhandled: unknown[] = []
    const onUnhandled = (err: unknown): void => void unhandled.push(err)

    beforeAll(async () => {
      process.on('uncaughtException', onUnhandled)
      process.on('unhandledRejection', onUnhandled)
      w = watchedHost()
      srv = ok(
        await w.host.call('serverStart', {
          exercise,
          host: 'loopback',
          port: 0,
          oneAtATime: false,
          limits: { handshakeTimeoutMs: 1000, idleTimeoutMs: 1500, maxMessageBytes: 512 },
        }),
      )
    })
    afterAll(async () => {
      process.off('uncaughtException', onUnhandled)
      process.off('unhandledRejection', onUnhandled)
      await w.host.close()
    })

    it(`${CONNECTIONS} random connections are each answered or closed`, async () => {
      const rng = seeded(SEED + exercise.length)
      const inputs = Array.from({ length: CONNECTIONS }, () => randomInput(rng))
      const outcomes = await Promise.all(inputs.map((input, i) => oneConnection(srv.port, input, seeded(SEED * 31 + i))))
      const silent = outcomes.map((o, i) => (o.answered || o.closed ? -1 : i)).filter((i) => i >= 0)
      expect(silent, `seed ${SEED}: inputs ${silent.map((i) => inputs[i].toString('hex')).join(', ')} got no answer`).toEqual([])
      expect(unhandled, `seed ${SEED}`).toEqual([])
    })

    it('a well-behaved client is still served right', async () => {
      const cli = ok(
        await w.host.call('clientStart', { exercise, host: '127.0.0.1', port: srv.port, params: { name: 'after-fuzz' } }),
      )
      if (exercise === 'adder')
        for (const c of ['a', 'q']) await w.host.call('clientCommand', { clientId: cli.clientId, command: c })
      expect((await w.waitFor(clientEnded(cli.clientId))).ok).toBe(true)
    })
  })
}
