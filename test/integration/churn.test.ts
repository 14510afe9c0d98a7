// Churn: thousands of connect/handshake/disconnect cycles and a server restarted on the same port.
// Afterwards open file descriptors and sessions are back where they started and memory is bounded.

import { readdirSync } from 'node:fs'
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { Host } from '../../src/main/host/host'
import { ok } from '../helpers/host'
import { freePort } from '../helpers/raw-peer'

const CYCLES = 10_000
const AT_ONCE = 100
/**
 * Stated bound: after 10,000 cycles and a full collection the heap may have grown by at most this much
 * (the recent-connections list and the traffic log are bounded, whatever the number of cycles).
 */
const HEAP_BOUND_MB = 16

let host: Host
afterEach(async () => {
  await host?.close()
})

function heapUsedMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('run with --expose-gc (vitest.config.ts sets it for the integration project)')
  gc()
  gc()
  return process.memoryUsage().heapUsed / 2 ** 20
}

function openFds(): number {
  return readdirSync('/proc/self/fd').length
}

function cycle(port: number, i: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    let acked = false
    socket.on('error', () => undefined)
    socket.on('connect', () => socket.write(`churn-${i}\n`))
    socket.on('data', (d) => {
      // The name ended with \n, so the server's `ack` does too.
      if (!acked && d.toString() === 'ack\n') {
        acked = true
        socket.end()
      }
    })
    socket.on('close', () => resolve(acked))
  })
}

async function settle(check: () => boolean, ms = 10_000): Promise<void> {
  const start = Date.now()
  while (!check() && Date.now() - start < ms) await new Promise((r) => setTimeout(r, 50))
}

describe('churn', () => {
  it(`${CYCLES} connect/handshake/disconnect cycles leave no file descriptor, session or memory behind`, async () => {
    host = new Host()
    // Count the handout's lines without keeping them: the test must not hold memory itself.
    let named = 0
    host.onEvent((e) => void (e.type === 'line' && e.line.text.startsWith('Connection initiated by churn-') && named++), {
      linesOnly: true,
    })
    // All from one address, 100 at a time: above the default per-address limit, on purpose.
    const srv = ok(
      await host.call('serverStart', {
        exercise: 'adder',
        host: 'loopback',
        port: 0,
        oneAtATime: false,
        limits: { maxPerAddress: 200 },
      }),
    )
    // Warm up so lazily created things (timers, buffers) exist before the baseline.
    await Promise.all(Array.from({ length: AT_ONCE }, (_, i) => cycle(srv.port, i)))
    await settle(() => host.recorder.liveCount() === 0)
    const fdsBefore = openFds()
    const heapBefore = heapUsedMb()
    let acked = 0
    for (let i = 0; i < CYCLES; i += AT_ONCE) {
      const results = await Promise.all(Array.from({ length: AT_ONCE }, (_, j) => cycle(srv.port, i + j)))
      acked += results.filter(Boolean).length
    }
    expect(acked).toBe(CYCLES)
    await settle(() => host.recorder.liveCount() === 0 && openFds() <= fdsBefore)
    expect(host.recorder.liveCount()).toBe(0)
    expect(openFds()).toBeLessThanOrEqual(fdsBefore)
    // The recent-connections list is bounded, so it does not grow with the number of cycles.
    expect(host.snapshot().connections.length).toBeLessThanOrEqual(2_000)
    const grownMb = heapUsedMb() - heapBefore
    expect(grownMb, `heap grew by ${grownMb.toFixed(1)} MB`).toBeLessThan(HEAP_BOUND_MB)
    // The server still served every one of them.
    expect(named).toBe(CYCLES + AT_ONCE)
  })

  it('a server started and stopped 100 times on the same port frees it every time', async () => {
    host = new Host()
    const port = await freePort()
    const fdsBefore = openFds()
    for (let i = 0; i < 100; i++) {
      const srv = ok(await host.call('serverStart', { exercise: 'greeting', host: 'loopback', port, oneAtATime: false }))
      expect(srv.port).toBe(port)
      if (i % 10 === 0) expect(await cycleGreeting(port)).toBe(true)
      ok(await host.call('serverStop', { serverId: srv.serverId }))
    }
    await settle(() => openFds() <= fdsBefore)
    expect(openFds()).toBeLessThanOrEqual(fdsBefore)
  })
})

function cycleGreeting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    let greeted = false
    socket.on('error', () => undefined)
    socket.on('data', (d) => {
      greeted = d.toString() === 'Thank you for connecting'
      socket.end('thanks')
    })
    socket.on('close', () => resolve(greeted))
  })
}
