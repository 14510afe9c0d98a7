// The connection doctor on real sockets on this machine's loopback: nothing listening, SocketLab's own
// server on another port, a server bound to 127.0.0.1 reached through another local address, one bound
// to 127.0.1.1, localhost meaning ::1 or 127.0.0.1, and the handout client's fixed port 32451 still in
// TIME_WAIT. Each real failure gets the expected diagnosis code, facts and next steps.

import net from 'node:net'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { diagnose, diagnoseSync } from '../../src/main/doctor/doctor'
import { statesOfLocalPort } from '../../src/main/doctor/system'
import { clientError } from '../../src/main/net/errors'
import { runCheck, STUDENTS } from '../helpers/check-cli'
import { ok, watchedHost } from '../helpers/host'
import { freePort } from '../helpers/raw-peer'

/** A real connection attempt and how it failed. */
function failedConnect(host: string, port: number): Promise<{ err: NodeJS.ErrnoException; elapsedMs: number }> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port, autoSelectFamily: false })
    s.once('connect', () => {
      s.destroy()
      reject(new Error(`connected to ${host}:${port}`))
    })
    s.once('error', (err: NodeJS.ErrnoException) => resolve({ err, elapsedMs: Date.now() - started }))
  })
}

async function listener(host: string): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((s) => s.destroy())
  await new Promise<void>((r) => server.listen({ host, port: 0, ipv6Only: host.includes(':') }, () => r()))
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((r) => server.close(() => r())) }
}

describe('connection doctor (loopback)', () => {
  const watched = watchedHost()
  afterAll(() => watched.host.close())

  it('refused, nothing listening on this machine: start the server, check the port; SocketLab’s own server offered', async () => {
    const own = ok(await watched.host.call('serverStart', { exercise: 'adder', host: 'loopback', port: 0, oneAtATime: false }))
    const port = await freePort()
    const { err, elapsedMs } = await failedConnect('127.0.0.1', port)
    const d = await diagnose({
      host: '127.0.0.1',
      port,
      err,
      elapsedMs,
      ownServers: [{ exercise: 'adder', address: '127.0.0.1', port: own.port }],
    })
    expect(d.code).toBe('refused')
    expect(d.facts).toMatchObject({ errno: 'ECONNREFUSED', thisMachine: true, listeners: [] })
    expect(d.steps.join(' ')).toMatch(/Start the server first/)
    expect(d.steps.join(' ')).toContain(`adder server listens on port ${own.port}`)
    expect(d.actions).toContainEqual({ kind: 'use-port', port: own.port })
  })

  it('a server bound to 127.0.0.1, reached through another address of this machine: loopback-only-server', async () => {
    const l = await listener('127.0.0.1')
    try {
      const { err, elapsedMs } = await failedConnect('127.0.0.2', l.port)
      const d = await diagnose({ host: '127.0.0.2', port: l.port, err, elapsedMs })
      expect(d.code).toBe('loopback-only-server')
      expect(d.facts.listeners).toEqual([{ address: '127.0.0.1', port: l.port }])
      expect(d.steps.join(' ')).toMatch(/s\.bind\(\(''/)
      expect(d.actions).toContainEqual({ kind: 'use-host', host: '127.0.0.1' })
      // The app's client error keeps its shape, with the doctor's words and the diagnosis.
      const error = clientError(err, '127.0.0.2', l.port)
      expect(error.field).toBe('host')
      expect(error.message).toMatch(/listens on 127\.0\.0\.1:\d+ only/)
      expect(error.detail).toMatchObject({ kind: 'connect-failed', diagnosis: { code: 'loopback-only-server' } })
      expect(error.cause).toBe(err)
    } finally {
      await l.close()
    }
  })

  it("a server bound to 127.0.1.1 (the handout's gethostbyname(gethostname()) on Debian): say so and how to fix it", async () => {
    const l = await listener('127.0.1.1')
    try {
      const r = await runCheck(['server', 'adder', '--host', '127.0.0.1', '--port', String(l.port)])
      expect(r.code).toBe(1)
      const d = r.json!.diagnosis as { code: string; steps: string[]; actions: unknown[] }
      expect(d.code).toBe('gethostbyname-127.0.1.1')
      expect(d.steps.join(' ')).toMatch(/gethostbyname\(socket\.gethostname\(\)\)` gives 127\.0\.1\.1/)
      expect(d.actions).toContainEqual({ kind: 'use-host', host: '127.0.1.1' })
      expect(r.stdout).toMatch(/Connection doctor: The server listens on 127\.0\.1\.1 only/)
    } finally {
      await l.close()
    }
  })

  it('localhost: ::1 refused while the server listens on 127.0.0.1 (and the other way round)', async () => {
    const v4 = await listener('127.0.0.1')
    try {
      const { err, elapsedMs } = await failedConnect('::1', v4.port)
      const d = await diagnose({ host: '::1', port: v4.port, err, elapsedMs })
      expect(d.code).toBe('localhost-ipv6')
      expect(d.actions).toContainEqual({ kind: 'use-host', host: '127.0.0.1' })
      expect(d.steps[0]).toMatch(/"localhost" is two addresses/)
    } finally {
      await v4.close()
    }
    const v6 = await listener('::1')
    try {
      const { err, elapsedMs } = await failedConnect('127.0.0.1', v6.port)
      const d = await diagnose({ host: 'localhost', port: v6.port, err, elapsedMs })
      expect(d.code).toBe('localhost-ipv6')
      expect(d.actions).toContainEqual({ kind: 'use-host', host: '::1' })
    } finally {
      await v6.close()
    }
  })

  it("the handout client's fixed port 32451 in TIME_WAIT: the second run cannot bind it, and the doctor says why", async () => {
    const port = await freePort()
    const args = [
      'client',
      'greeting',
      '--port',
      String(port),
      '--timeout',
      '10',
      '--',
      'python3',
      join(STUDENTS, 'greeting_client.py'),
      '127.0.0.1',
      '{port}',
      '32451',
    ]
    // The first run may pass or (if 32451 is still closing from an earlier run) fail; it leaves 32451 in TIME_WAIT.
    await runCheck(args)
    expect(statesOfLocalPort(32451)).toContain('TIME_WAIT')
    const second = await runCheck(args)
    expect(second.code).toBe(1)
    expect(second.check('connected').detail).toMatch(/Address already in use/)
    const d = second.json!.diagnosis as { code: string; facts: { localPort: number; localPortStates: string[] }; steps: string[] }
    expect(d.code).toBe('local-port-in-use')
    expect(d.facts.localPort).toBe(32451)
    expect(d.facts.localPortStates).toContain('TIME_WAIT')
    expect(d.steps.join(' ')).toMatch(/closes a TCP connection first keeps its port in TIME_WAIT/)
  })

  it('a name that does not resolve', () => {
    const d = diagnoseSync({ host: 'neighbours-laptop', port: 12345, err: Object.assign(new Error('x'), { code: 'ENOTFOUND' }) })
    expect(d.code).toBe('name-not-found')
    expect(d.actions).toContainEqual({ kind: 'use-host', host: '127.0.0.1' })
  })

  it("clientError keeps the lead's message for a plain refusal and adds the diagnosis", async () => {
    const port = await freePort()
    const { err } = await failedConnect('127.0.0.1', port)
    const error = clientError(err, '127.0.0.1', port)
    expect(error.message).toMatch(/^Nothing is listening at 127\.0\.0\.1:\d+/)
    expect(error.field).toBe('port')
    expect(error.detail).toMatchObject({
      kind: 'connect-failed',
      diagnosis: { code: 'refused', facts: { thisMachine: true, listeners: [] } },
    })
  })
})
