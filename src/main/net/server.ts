// A server hosting one exercise: many clients at once (Lab 2 question 2), or one at a time like the
// handout's sequential accept loop (question 1), where the next client waits until the current leaves.

import net from 'node:net'
import os from 'node:os'
import type { Counters, ServerInfo } from '@shared/contract'
import type { Exercise, ServerLimits, WireSettings } from '@shared/settings'
import { createServerMachine } from '../exercises'
import { pythonAddress } from '../exercises/machine'
import type { Rng } from '../exercises/sets'
import type { ConnectionSink } from '../sink'
import { serverError, type PlainError } from './errors'
import { Session } from './session'
import { formatEndpoint, plainAddress } from '@shared/endpoint'
import { nextId } from './ids'

export interface ServerConfig {
  serverId?: string
  exercise: Exercise
  host: string
  port: number
  oneAtATime: boolean
  wire: WireSettings
  limits: ServerLimits
  setSize: number
  rng: Rng
}

/** `all` listens on every interface (IPv6 and IPv4 where the OS has both), `loopback` on 127.0.0.1. */
function bindAddress(host: string): string {
  if (host === 'all') return '::'
  if (host === 'loopback') return '127.0.0.1'
  return host
}

export class StartError extends Error {
  constructor(readonly plain: PlainError) {
    super(plain.message)
  }
}

export class ExerciseServer {
  readonly serverId: string
  private readonly server: net.Server
  private readonly sessions = new Set<Session>()
  private readonly waiting: { socket: net.Socket; connId: string; counters: Counters }[] = []
  private active: Session | null = null
  private info: ServerInfo | null = null
  private stopping: Promise<void> | null = null

  constructor(
    private readonly config: ServerConfig,
    private readonly recorder: ConnectionSink,
  ) {
    this.serverId = config.serverId ?? nextId('srv')
    this.server = net.createServer({ noDelay: true, allowHalfOpen: true }, (socket) => this.accept(socket))
    this.server.on('error', (err) => this.recorder.line(this.serverId, `Server error: ${err.message}`, 'error'))
  }

  get connections(): number {
    return this.sessions.size + this.waiting.length
  }

  describe(): ServerInfo | null {
    return this.info
  }

  async start(): Promise<ServerInfo> {
    const { host, port, exercise, oneAtATime, limits, wire } = this.config
    const address = await this.listen(bindAddress(host), port)
      .catch(async (err: NodeJS.ErrnoException) => {
        // A machine without IPv6 cannot listen on `::`; all-interfaces then means 0.0.0.0.
        if (host === 'all' && (err.code === 'EAFNOSUPPORT' || err.code === 'EADDRNOTAVAIL')) return this.listen('0.0.0.0', port)
        throw err
      })
      .catch((err: unknown) => {
        throw new StartError(serverError(err, host, port))
      })
    this.info = {
      serverId: this.serverId,
      exercise,
      address: address.address,
      port: address.port,
      oneAtATime,
      limits,
      wire,
      startedAt: Date.now(),
    }
    this.recorder.emit({ type: 'server-started', server: this.info })
    this.recorder.line(this.serverId, `host ip ${shownHostIp(host, address.address)}`)
    this.recorder.line(
      this.serverId,
      `Listening on ${formatEndpoint(address)} (${oneAtATime ? 'one client at a time' : 'many clients at a time'})`,
    )
    return this.info
  }

  private listen(host: string, port: number): Promise<net.AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err)
      this.server.once('error', onError)
      // The handout's listen(5) would refuse a crowd; the OS default backlog serves Lab 2 q2 and the demo.
      this.server.listen({ host, port, backlog: 1024, ipv6Only: false }, () => {
        this.server.off('error', onError)
        resolve(this.server.address() as net.AddressInfo)
      })
    })
  }

  private accept(socket: net.Socket): void {
    // A socket must never be left without an error listener, even for a moment.
    socket.on('error', () => undefined)
    const connId = nextId('conn')
    const remote = { address: plainAddress(socket.remoteAddress ?? '?'), port: socket.remotePort ?? 0 }
    const local = { address: plainAddress(socket.localAddress ?? '?'), port: socket.localPort ?? 0 }
    const counters = this.recorder.open({
      connId,
      role: 'server',
      exercise: this.config.exercise,
      ownerId: this.serverId,
      local,
      remote,
      state: 'open',
      openedAt: Date.now(),
      counters: { bytesIn: 0, bytesOut: 0, messagesIn: 0, messagesOut: 0 },
    })
    if (this.stopping) {
      socket.destroy()
      this.recorder.close(connId, 'server stopping')
      return
    }
    const { maxClients } = this.config.limits
    if (this.connections >= maxClients) {
      const detail = `server full (${maxClients} clients)`
      this.recorder.emit({ type: 'limit', ownerId: this.serverId, limit: 'maxClients', detail })
      this.recorder.line(this.serverId, `Refused ${formatEndpoint(remote)}: ${detail}`, 'error', connId)
      const msg = Buffer.from(`error: ${detail}`)
      counters.bytesOut += msg.length
      counters.messagesOut++
      this.recorder.message(connId, 'out', msg)
      socket.end(msg)
      socket.on('close', () => this.recorder.close(connId, detail))
      setTimeout(() => socket.destroy(), 1000).unref()
      return
    }
    if (this.config.oneAtATime && this.active) {
      socket.pause()
      this.waiting.push({ socket, connId, counters })
      this.recorder.update(connId, { state: 'waiting' })
      this.recorder.line(this.serverId, `${formatEndpoint(remote)} is waiting: one client at a time`, 'info', connId)
      socket.on('close', () => {
        const i = this.waiting.findIndex((w) => w.socket === socket)
        if (i >= 0) {
          this.waiting.splice(i, 1)
          this.recorder.close(connId, 'client left while waiting')
        }
      })
      return
    }
    this.serve(socket, connId, counters)
  }

  private serve(socket: net.Socket, connId: string, counters: Counters): void {
    const { wire, limits, exercise, rng, setSize } = this.config
    const peerLabel = pythonAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0)
    const machine = createServerMachine(exercise, { wire, rng, peerLabel }, { setSize })
    const session = new Session(socket, machine, {
      connId,
      ownerId: this.serverId,
      wire,
      maxMessageBytes: limits.maxMessageBytes,
      handshakeTimeoutMs: limits.handshakeTimeoutMs,
      recorder: this.recorder,
      counters,
      onLimit: (limit, detail) => this.recorder.emit({ type: 'limit', ownerId: this.serverId, limit, detail }),
      onClosed: () => {
        this.sessions.delete(session)
        if (this.active === session) {
          this.active = null
          this.serveNextWaiting()
        }
      },
    })
    this.sessions.add(session)
    if (this.config.oneAtATime) this.active = session
    session.begin()
  }

  private serveNextWaiting(): void {
    while (this.waiting.length && !this.stopping) {
      const next = this.waiting.shift()!
      if (next.socket.destroyed) continue
      this.recorder.update(next.connId, { state: 'open' })
      next.socket.resume()
      this.serve(next.socket, next.connId, next.counters)
      return
    }
  }

  /** Close one connection (the Connections view's close button). */
  closeConnection(connId: string): boolean {
    for (const s of this.sessions) {
      if (s.connId === connId) {
        s.close('closed from the Connections view')
        return true
      }
    }
    const waiting = this.waiting.find((w) => w.connId === connId)
    waiting?.socket.destroy()
    return waiting !== undefined
  }

  /** Close every session, stop listening and free the port. */
  stop(reason = 'stopped'): Promise<void> {
    if (this.stopping) return this.stopping
    this.stopping = new Promise<void>((resolve) => {
      this.server.close(() => resolve())
      for (const w of this.waiting.splice(0)) {
        w.socket.destroy()
        this.recorder.close(w.connId, `server ${reason}`)
      }
      for (const s of this.sessions) s.close(`server ${reason}`)
      // Sessions end gracefully; any that do not close promptly are destroyed so the port is freed.
      setTimeout(() => {
        for (const s of this.sessions) s.socket.destroy()
      }, 500).unref()
    }).then(() => {
      if (this.info) {
        this.recorder.line(this.serverId, `Server stopped (${reason})`)
        this.recorder.emit({ type: 'server-stopped', serverId: this.serverId, reason })
      }
    })
    return this.stopping
  }
}

/** The handout's server prints `host ip <address>`: the address a neighbour should type. */
function shownHostIp(scope: string, bound: string): string {
  if (scope !== 'all') return bound
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address
  }
  return '127.0.0.1'
}
