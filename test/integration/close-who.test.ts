// Who closed a connection, and how, on real loopback sockets: a peer that closes first, SocketLab
// closing first, and a reset each leave the right closedBy and closeKind in the recorded ConnectionInfo
// (and in its conn-closed event), on the server's side and on the client's.

import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { ConnectionInfo, EngineEvent, ServerInfo } from '@shared/contract'
import type { ServerLimits } from '@shared/settings'
import { adderSession, clientEnded, ok, watchedHost, type Watched } from '../helpers/host'
import { rawPeer, type RawPeer } from '../helpers/raw-peer'

let w: Watched | undefined
let rawServer: net.Server | undefined
afterEach(async () => {
  rawServer?.close()
  rawServer = undefined
  await w?.host.close()
  w = undefined
})

/** The recorded connection once it is closed. */
async function closedConn(find: (c: ConnectionInfo) => boolean, what: string): Promise<ConnectionInfo> {
  let found: ConnectionInfo | undefined
  await w!.waitUntil(() => {
    found = w!.host.recorder.allConnections().find((c) => find(c) && c.state === 'closed')
    return found !== undefined
  }, what)
  return found!
}

const closedEvent = (connId: string): Extract<EngineEvent, { type: 'conn-closed' }> | undefined =>
  w!.events.find((e): e is Extract<EngineEvent, { type: 'conn-closed' }> => e.type === 'conn-closed' && e.connId === connId)

/** A watched host with our adder server on the loopback (`extra`: one at a time, or limits of its own). */
async function adderServer(extra: { oneAtATime?: boolean; limits?: Partial<ServerLimits> } = {}): Promise<ServerInfo> {
  w = watchedHost()
  return ok(await w.host.call('serverStart', { exercise: 'adder', host: 'loopback', port: 0, oneAtATime: false, ...extra }))
}

/** Our adder server and a raw peer that has been acknowledged. */
async function acknowledgedPeer(): Promise<{ peer: RawPeer; serverSide: () => ConnectionInfo | undefined }> {
  const srv = await adderServer()
  const peer = await rawPeer(srv.port)
  peer.send('mallory\n')
  await peer.until((t) => t.includes('ack'))
  const port = peer.socket.localPort
  const serverSide = (): ConnectionInfo | undefined =>
    w!.host.recorder.allConnections().find((c) => c.ownerId === srv.serverId && c.remote.port === port)
  return { peer, serverSide }
}

describe('our server: who closed first', () => {
  it('the peer closes first (FIN): closed by the peer, in order', async () => {
    const { peer, serverSide } = await acknowledgedPeer()
    let weEndedFirst = false
    peer.socket.once('end', () => (weEndedFirst = !peer.socket.writableEnded))
    peer.socket.end()
    await peer.closed
    const conn = await closedConn((c) => c.connId === serverSide()?.connId, 'the server side to close')
    expect(weEndedFirst).toBe(false)
    expect(conn).toMatchObject({ closedBy: 'peer', closeKind: 'fin' })
    expect(closedEvent(conn.connId)).toMatchObject({ closedBy: 'peer', closeKind: 'fin' })
  })

  it('SocketLab closes first (the Connections view’s close): its FIN reaches the peer before the peer closes', async () => {
    const { peer, serverSide } = await acknowledgedPeer()
    let finWhileOpen = false
    peer.socket.once('end', () => (finWhileOpen = !peer.socket.writableEnded))
    ok(await w!.host.call('connectionClose', { connId: serverSide()!.connId }))
    await peer.closed
    const conn = await closedConn((c) => c.connId === serverSide()?.connId, 'the server side to close')
    expect(finWhileOpen).toBe(true)
    expect(conn).toMatchObject({ closedBy: 'us', closeKind: 'fin', closeReason: 'closed from the Connections view' })
    expect(closedEvent(conn.connId)).toMatchObject({ closedBy: 'us', closeKind: 'fin' })
  })

  it('the peer resets (RST): reset by the peer', async () => {
    const { peer, serverSide } = await acknowledgedPeer()
    const connId = serverSide()!.connId
    peer.socket.resetAndDestroy()
    const conn = await closedConn((c) => c.connId === connId, 'the server side to close')
    expect(conn).toMatchObject({ closedBy: 'peer', closeKind: 'reset', closeReason: 'reset by the peer' })
    expect(closedEvent(connId)).toMatchObject({ closedBy: 'peer', closeKind: 'reset' })
  })

  it('a peer that pipelines and never reads: SocketLab resets it (no FIN would ever get through), and records a reset', async () => {
    const srv = await adderServer({ limits: { maxPendingOutputBytes: 4096 } })
    const peer = net.connect({ host: '127.0.0.1', port: srv.port })
    let code: string | undefined
    peer.on('error', (e: NodeJS.ErrnoException) => (code = e.code))
    const gone = new Promise<void>((r) => peer.once('close', () => r()))
    await new Promise<void>((r) => peer.once('connect', () => r()))
    // It never reads: its answers back up in its receive window, then in our socket, past the cap.
    peer.pause()
    peer.write('mallory\n')
    const port = peer.localPort
    const flood = Buffer.from('3 7\n'.repeat(16384))
    const pump = setInterval(() => void (peer.writableLength < 1 << 20 && !peer.destroyed && peer.write(flood)), 5)
    try {
      const conn = await closedConn((c) => c.ownerId === srv.serverId && c.remote.port === port, 'the server side to close')
      expect(conn).toMatchObject({ closedBy: 'us', closeKind: 'reset' })
      expect(conn.closeReason).toMatch(/does not read its answers/)
      expect(closedEvent(conn.connId)).toMatchObject({ closedBy: 'us', closeKind: 'reset' })
      await gone
      expect(code).toBe('ECONNRESET')
    } finally {
      clearInterval(pump)
      peer.destroy()
    }
  })

  it('a client waiting its turn on a one-at-a-time server, closed from the Connections view: it gets a FIN, not a reset', async () => {
    const srv = await adderServer({ oneAtATime: true })
    const first = await rawPeer(srv.port)
    first.send('alice\n')
    await first.until((t) => t.includes('ack'))
    // The second sends its name while it waits: unread input, which a plain close would answer with a reset.
    const second = await rawPeer(srv.port)
    second.send('bob\n' + 'x'.repeat(200_000))
    let code: string | undefined
    second.socket.on('error', (e: NodeJS.ErrnoException) => (code = e.code))
    const port = second.socket.localPort
    const waiting = (): ConnectionInfo | undefined =>
      w!.host.recorder.allConnections().find((c) => c.ownerId === srv.serverId && c.remote.port === port)
    await w!.waitUntil(() => waiting()?.state === 'waiting', 'the second client waiting')
    let ended = false
    second.socket.once('end', () => (ended = true))
    ok(await w!.host.call('connectionClose', { connId: waiting()!.connId }))
    await second.closed
    const conn = await closedConn((c) => c.connId === waiting()?.connId, 'the waiting connection to close')
    expect(ended).toBe(true)
    expect(code).toBeUndefined()
    expect(conn).toMatchObject({ closedBy: 'us', closeKind: 'fin', closeReason: 'closed from the Connections view' })
    // The one being served goes on.
    first.send('3 7\n')
    await first.until((t) => t.includes('10'))
  })

  it('a client refused because the server is full: it reads the reason, then a FIN, even after sending a lot', async () => {
    const srv = await adderServer({ limits: { maxClients: 1 } })
    const first = await rawPeer(srv.port)
    first.send('alice\n')
    await first.until((t) => t.includes('ack'))
    const refused = await rawPeer(srv.port)
    let code: string | undefined
    refused.socket.on('error', (e: NodeJS.ErrnoException) => (code = e.code))
    const port = refused.socket.localPort
    refused.send('bob\n' + 'x'.repeat(200_000))
    await refused.closed
    expect(refused.text()).toContain('error: server full')
    expect(code).toBeUndefined()
    const conn = await closedConn((c) => c.ownerId === srv.serverId && c.remote.port === port, 'the refused connection')
    expect(conn).toMatchObject({ closedBy: 'us', closeKind: 'fin', closeLimit: 'maxClients' })
  })

  it('both ends of one connection between our own client and server agree on who closed', async () => {
    w = watchedHost()
    const { serverId, clientId } = await adderSession(w)
    const client = await closedConn((c) => c.ownerId === clientId, 'the client side to close')
    const server = await closedConn(
      (c) => c.ownerId === serverId && c.remote.port === client.local?.port,
      'the server side to close',
    )
    expect(client.closeKind).toBe('fin')
    expect(server.closeKind).toBe('fin')
    expect([client.closedBy, server.closedBy].sort()).toEqual(['peer', 'us'])
    // Connections are numbered in the order they were made: the client's before the server accepted it.
    expect(client.seq).toBeLessThan(server.seq)
  })
})

describe('our client: who closed first', () => {
  /** A raw adder server on the loopback that does `then` with each connection once the client's name came. */
  async function rawAdderServer(then: (s: net.Socket) => void): Promise<number> {
    rawServer = net.createServer((s) => {
      s.on('error', () => undefined)
      s.once('data', () => then(s))
    })
    await new Promise<void>((r) => rawServer!.listen(0, '127.0.0.1', r))
    return (rawServer.address() as net.AddressInfo).port
  }

  /** Our adder client against it (it waits for the acknowledgement, so the server moves first). */
  async function clientConn(port: number): Promise<ConnectionInfo> {
    w = watchedHost()
    const cli = ok(await w.host.call('clientStart', { exercise: 'adder', host: '127.0.0.1', port, params: { name: 'bob-1' } }))
    await w.waitFor(clientEnded(cli.clientId))
    return closedConn((c) => c.ownerId === cli.clientId, 'the client connection to close')
  }

  it('the server closes instead of acknowledging: closed by the peer', async () => {
    const port = await rawAdderServer((s) => s.end())
    expect(await clientConn(port)).toMatchObject({ role: 'client', closedBy: 'peer', closeKind: 'fin' })
  })

  it('the server resets instead of acknowledging: reset by the peer', async () => {
    const port = await rawAdderServer((s) => s.resetAndDestroy())
    expect(await clientConn(port)).toMatchObject({ role: 'client', closedBy: 'peer', closeKind: 'reset' })
  })

  it('the student stops the client while it waits: closed by SocketLab', async () => {
    const port = await rawAdderServer(() => undefined)
    w = watchedHost()
    const cli = ok(await w.host.call('clientStart', { exercise: 'adder', host: '127.0.0.1', port, params: { name: 'bob-1' } }))
    await w.waitUntil(
      () => w!.host.recorder.allConnections().some((c) => c.ownerId === cli.clientId && c.counters.bytesOut > 0),
      'the name sent',
    )
    ok(await w.host.call('clientStop', { clientId: cli.clientId }))
    const conn = await closedConn((c) => c.ownerId === cli.clientId, 'the client connection to close')
    expect(conn).toMatchObject({ role: 'client', closedBy: 'us', closeKind: 'fin' })
  })
})
