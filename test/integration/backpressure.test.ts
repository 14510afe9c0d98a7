// Backpressure the Node way, seen from the socket: what one pump answers goes out in one write, a peer
// that never reads leaves one 'drain' listener on its socket (not one per blocked write), and while its
// answers wait no more of its requests are answered.

import net from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ServerInfo } from '@shared/contract'
import { ok, watchedHost, type Watched } from '../helpers/host'
import { rawPeer } from '../helpers/raw-peer'

let w: Watched | undefined
afterEach(async () => {
  vi.restoreAllMocks()
  await w?.host.close()
  w = undefined
})

async function adderServer(): Promise<ServerInfo> {
  w = watchedHost()
  return ok(await w.host.call('serverStart', { exercise: 'adder', host: 'loopback', port: 0, oneAtATime: false }))
}

/** Every write our server makes on a socket of `port`, and that socket. */
function watchServerWrites(port: number): { writes: string[]; sockets: Set<net.Socket> } {
  const writes: string[] = []
  const sockets = new Set<net.Socket>()
  const write = net.Socket.prototype.write
  vi.spyOn(net.Socket.prototype, 'write').mockImplementation(function (this: net.Socket, ...args: unknown[]) {
    if (this.localPort === port) {
      writes.push(String(args[0]))
      sockets.add(this)
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args)
  })
  return { writes, sockets }
}

describe('backpressure', () => {
  it('requests pipelined in one chunk are answered in a few writes, not one write each', async () => {
    const srv = await adderServer()
    const peer = await rawPeer(srv.port)
    peer.send('pipeliner\n')
    await peer.until((t) => t.includes('ack'))
    const { writes } = watchServerWrites(srv.port)
    const n = 64
    peer.send('3 7\n'.repeat(n))
    await peer.until((t) => (t.match(/10/g) ?? []).length >= n)
    // Every answer is there, in order, and right.
    expect(
      peer
        .text()
        .replace(/^ack\s*/, '')
        .trim()
        .split(/\s+/),
    ).toEqual(Array(n).fill('10'))
    // 16 requests per connection per turn: 4 pumps, so about 4 writes; one write per answer would be 64.
    expect(writes.length).toBeGreaterThan(0)
    expect(writes.length).toBeLessThanOrEqual(n / 16 + 4)
  })

  it("a peer that never reads: one 'drain' listener however many answers wait, and its requests stop being answered", async () => {
    const srv = await adderServer()
    const peer = await rawPeer(srv.port)
    peer.send('sponge\n')
    await peer.until((t) => t.includes('ack'))
    const { writes, sockets } = watchServerWrites(srv.port)
    peer.socket.pause()
    // 16 MB of requests, never reading the answers (8 MB of them: more than loopback's buffers hold).
    const chunk = Buffer.from('123456 654321\n'.repeat(16_384))
    for (let i = 0; i < 72; i++) peer.socket.write(chunk)
    await w!.waitUntil(
      () => w!.events.some((e) => e.type === 'limit' && e.limit === 'maxPendingOutputBytes'),
      'the event stream saying the peer does not read its answers',
      20_000,
    )
    const [socket] = [...sockets]
    expect(socket).toBeDefined()
    // Old engine: a listener per blocked write (4,245 on one socket, and a MaxListenersExceededWarning).
    expect(socket.listenerCount('drain')).toBe(1)
    // Answering has stopped: no write is made while its answers wait.
    const before = writes.length
    await new Promise((r) => setTimeout(r, 500))
    expect(writes.length).toBe(before)
    // Reading resumes once it reads, and the answers flow again.
    peer.socket.resume()
    await peer.until((t) => (t.match(/777777/g) ?? []).length > 4096, 20_000)
    expect(writes.length).toBeGreaterThan(before)
  }, 60_000)
})
