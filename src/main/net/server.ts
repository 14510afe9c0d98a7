// A server hosting one exercise: many clients at once (Lab 2 question 2), or one at a time like the
// handout's sequential accept loop (question 1), where the next client waits until the current leaves.
// It listens on a classroom network where anyone can connect, so its limits protect everyone else:
// a bound per remote address and in all (never past the process's open-file limit, so "server full"
// is said before the OS would drop a student silently), an idle limit after the handshake, and TCP
// keepalive so a machine that vanished frees its slot and the one-at-a-time queue moves on.

import net from 'node:net'
import os from 'node:os'
import type { CloseHow, ServerInfo } from '@shared/contract'
import { formatEndpoint, isLoopbackAddress, plainAddress, type Endpoint } from '@shared/endpoint'
import { DEFAULT_LIMITS, type Exercise, type LimitName, type ServerLimits, type WireSettings } from '@shared/settings'
import { createServerMachine } from '../exercises'
import { pythonAddress } from '../exercises/machine'
import type { Rng } from '@shared/lab'
import { CLOSED_BY_US, type ConnectionHandle, type ConnectionSink } from '../sink'
import { ConsoleGate } from './console-gate'
import { connectionBudget, releaseDescriptor, releaseGrace, takeDescriptor, takeGrace } from './descriptors'
import { serverError } from './errors'
import { nextId } from './ids'
import { Session, socketErrorHow } from './session'
import { LinkTiming, RttMemory } from './timing'

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

/** TCP keepalive: probes start after this much silence, so a vanished peer is found within a minute or so. */
export const KEEPALIVE_MS = 15_000

/** How long a refused or dismissed peer has to close its side after our FIN before its socket is cut. */
const DISMISS_GRACE_MS = 1000

/** `all` listens on every interface (IPv6 and IPv4 where the OS has both), `loopback` on 127.0.0.1. */
function bindAddress(host: string): string {
  if (host === 'all') return '::'
  if (host === 'loopback') return '127.0.0.1'
  return host
}

interface Waiting {
  socket: net.Socket
  conn: ConnectionHandle
  address: string
}

/** This machine's own addresses: a client there is on loopback as far as timing goes. */
function localAddresses(): Set<string> {
  const out = new Set<string>()
  for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) out.add(plainAddress(a.address))
  return out
}

export class ExerciseServer {
  readonly serverId: string
  private readonly server: net.Server
  private readonly sessions = new Set<Session>()
  private readonly waiting: Waiting[] = []
  private readonly perAddress = new Map<string, number>()
  /** Many-clients runs of this app aimed at this server: each may bring its crowd from one address. */
  private readonly crowds = new Map<string, number>()
  private readonly rtt = new RttMemory()
  private readonly local = localAddresses()
  private readonly console: ConsoleGate
  private readonly consoleOpen: () => boolean
  private readonly onLimit: (limit: LimitName, detail: string) => void
  private active: Session | null = null
  private info: ServerInfo | null = null
  private stopping: Promise<void> | null = null
  private open = 0
  /** The one sweep that closes idle clients (a timer per connection would cost memory per student). */
  private idleSweep: NodeJS.Timeout | null = null
  private readonly floors: { quietMs: number; paceMs: number }

  constructor(
    private readonly config: ServerConfig,
    private readonly sink: ConnectionSink,
  ) {
    this.serverId = config.serverId ?? nextId('srv')
    this.console = new ConsoleGate(sink, this.serverId, config.limits.consoleLinesPerSecond)
    // One function each for every session (not a closure per connection).
    this.consoleOpen = () => this.console.open
    this.onLimit = (limit, detail) => this.sink.emit({ type: 'limit', ownerId: this.serverId, limit, detail })
    this.floors = { quietMs: config.wire.quietMs, paceMs: config.wire.paceMs }
    this.server = net.createServer({ noDelay: true, allowHalfOpen: true }, (socket) => this.accept(socket))
    this.server.on('error', (err) => this.sink.line(this.serverId, `Server error: ${err.message}`, 'error'))
  }

  get connections(): number {
    return this.open
  }

  /** One at a time, and serving a client now: a new client will wait for its turn. */
  get busy(): boolean {
    return this.config.oneAtATime && this.active !== null
  }

  get exercise(): Exercise {
    return this.config.exercise
  }

  describe(): ServerInfo | null {
    return this.info
  }

  /** Let a Many-clients run of this app bring `count` more connections from its one address. */
  allowCrowd(id: string, count: number): void {
    this.crowds.set(id, count)
  }

  releaseCrowd(id: string): void {
    this.crowds.delete(id)
  }

  /** Connections one address may hold; a crowd of this app's own comes from this machine. */
  private perAddressLimit(address: string): number {
    let n = this.info!.limits.maxPerAddress
    if (this.local.has(address) || isLoopbackAddress(address)) for (const c of this.crowds.values()) n += c
    return n
  }

  /** Does this server take connections made to `remote` (an address of this machine and our port)? */
  accepts(remote: Endpoint): boolean {
    const info = this.info
    if (!info || this.stopping || remote.port !== info.port) return false
    const address = plainAddress(remote.address)
    if (!this.local.has(address) && !isLoopbackAddress(address)) return false
    const bound = plainAddress(info.address)
    return bound === '::' || bound === '0.0.0.0' || bound === address
  }

  async start(): Promise<ServerInfo> {
    const { host, port, exercise, oneAtATime, limits, wire } = this.config
    const address = await this.listen(bindAddress(host), port)
      .catch(async (err: NodeJS.ErrnoException) => {
        // A machine without IPv6 cannot listen on `::`; all-interfaces then means 0.0.0.0.
        if (host === 'all' && (err.code === 'EAFNOSUPPORT' || err.code === 'EADDRNOTAVAIL')) return this.listen('0.0.0.0', port)
        throw err
      })
      .catch((err: NodeJS.ErrnoException) => {
        throw serverError(err, host, port)
      })
    // The effective limit: never more clients than the open-file limit leaves room for.
    const effective = { ...limits, maxClients: Math.min(limits.maxClients, connectionBudget()) }
    this.info = {
      serverId: this.serverId,
      exercise,
      address: address.address,
      port: address.port,
      oneAtATime,
      limits: effective,
      wire,
      startedAt: Date.now(),
    }
    const idle = limits.idleTimeoutMs
    this.idleSweep = setInterval(
      () => {
        const now = Date.now()
        for (const s of this.sessions) s.checkIdle(now)
      },
      Math.max(50, Math.min(1000, Math.floor(idle / 4))),
    )
    this.idleSweep.unref()
    this.sink.emit({ type: 'server-started', server: this.info })
    this.sink.line(this.serverId, `host ip ${shownHostIp(host, address.address)}`)
    const where =
      address.address === '::' || address.address === '0.0.0.0'
        ? `every address of this machine, port ${address.port}`
        : `${plainAddress(address.address)} port ${address.port}${isLoopbackAddress(address.address) ? ' (this machine only)' : ''}`
    this.sink.line(this.serverId, `Listening on ${where}; ${oneAtATime ? 'one client at a time' : 'many clients at a time'}`)
    // Said only when the student asked for more than this computer allows (the default always fits).
    if (effective.maxClients < limits.maxClients && limits.maxClients !== DEFAULT_LIMITS.maxClients)
      this.sink.line(
        this.serverId,
        `At most ${effective.maxClients} clients at once: this computer lets SocketLab open only so many connections`,
      )
    return this.info
  }

  private listen(host: string, port: number): Promise<net.AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err)
      this.server.once('error', onError)
      // The handout's listen(5) would refuse a crowd; a large backlog serves Lab 2 q2 and the demo.
      this.server.listen({ host, port, backlog: 1024, ipv6Only: false }, () => {
        this.server.off('error', onError)
        resolve(this.server.address() as net.AddressInfo)
      })
    })
  }

  private accept(socket: net.Socket): void {
    // A socket must never be left without an error listener, even for a moment.
    socket.on('error', () => undefined)
    socket.setKeepAlive(true, KEEPALIVE_MS)
    const counted = takeDescriptor()
    const address = plainAddress(socket.remoteAddress ?? '?')
    const remote = { address, port: socket.remotePort ?? 0 }
    const conn = this.sink.open({
      connId: nextId('conn'),
      role: 'server',
      exercise: this.config.exercise,
      ownerId: this.serverId,
      local: { address: plainAddress(socket.localAddress ?? '?'), port: socket.localPort ?? 0 },
      remote,
      state: 'open',
      openedAt: Date.now(),
    })
    this.open++
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1)
    socket.once('close', () => {
      this.open--
      const n = (this.perAddress.get(address) ?? 1) - 1
      if (n > 0) this.perAddress.set(address, n)
      else this.perAddress.delete(address)
      if (counted) releaseDescriptor()
    })
    if (this.stopping) return this.dismiss(socket, conn, 'server stopping', undefined, undefined, counted)
    if (!counted) return this.refuse(socket, conn, 'descriptors', 'server full (this computer allows no more connections)', false)
    const { maxClients } = this.info!.limits
    const maxPerAddress = this.perAddressLimit(address)
    if (this.open > maxClients) return this.refuse(socket, conn, 'maxClients', `server full (${maxClients} clients)`)
    if (this.perAddress.get(address)! > maxPerAddress)
      return this.refuse(socket, conn, 'maxPerAddress', `server full for your address (${maxPerAddress} connections)`)
    if (this.config.oneAtATime && this.active) {
      socket.pause()
      this.waiting.push({ socket, conn, address })
      conn.update({ state: 'waiting' })
      this.sink.line(this.serverId, `${formatEndpoint(remote)} is waiting: one client at a time`, 'info', conn.connId)
      // A waiting socket is not read, so only a reset or an error ends it from the client's side.
      let how: CloseHow = CLOSED_BY_US
      socket.once('error', (err: NodeJS.ErrnoException) => (how = socketErrorHow(err)))
      socket.once('close', () => {
        const i = this.waiting.findIndex((w) => w.socket === socket)
        if (i >= 0) {
          this.waiting.splice(i, 1)
          conn.close('client left while waiting', undefined, how)
        }
      })
      return
    }
    this.serve(socket, conn, address)
  }

  /** `counted`: the socket holds a descriptor of the budget (false: it is one past it). */
  private refuse(socket: net.Socket, conn: ConnectionHandle, limit: LimitName, detail: string, counted = true): void {
    this.sink.emit({ type: 'limit', ownerId: this.serverId, limit, detail })
    if (this.console.allow())
      this.sink.line(this.serverId, `Refused ${formatEndpoint(this.remoteOf(socket))}: ${detail}`, 'error', conn.connId)
    const msg = `error: ${detail}`
    conn.message('out', msg)
    this.dismiss(socket, conn, detail, limit, msg, counted)
  }

  /**
   * Close a connection that is not (or not yet) served: refused, waiting its turn, or accepted while
   * stopping. What it sent is read and dropped, so the peer gets our FIN rather than the reset the kernel
   * sends for unread input, and the record says so; a peer that never closes its side is cut after a second.
   */
  private dismiss(
    socket: net.Socket,
    conn: ConnectionHandle,
    reason: string,
    limit?: LimitName,
    last?: string,
    counted = true,
  ): void {
    socket.once('close', () => conn.close(reason, limit, CLOSED_BY_US))
    if (!counted && !takeGrace()) {
      // One past the budget, in a burst that has used the grace its reserve allows: told and closed at
      // once, inside this accept, so its descriptor is free before the next is accepted (the write of a
      // few bytes to a new socket goes out now). A peer whose first bytes were already in may see a reset.
      if (last !== undefined) socket.write(last)
      socket.destroy()
      return
    }
    if (!counted) socket.once('close', releaseGrace)
    socket.resume()
    if (last === undefined) socket.end()
    else socket.end(last)
    setTimeout(() => socket.destroy(), DISMISS_GRACE_MS).unref()
  }

  private remoteOf(socket: net.Socket): Endpoint {
    return { address: plainAddress(socket.remoteAddress ?? '?'), port: socket.remotePort ?? 0 }
  }

  private serve(socket: net.Socket, conn: ConnectionHandle, address: string): void {
    const { wire, limits, exercise, rng, setSize } = this.config
    const peerLabel = pythonAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0)
    // A server never sees the handshake's timing: start from what this address showed before, or from
    // a loopback round trip for this machine's own addresses, else from TCP's cautious 1 s.
    const known =
      this.rtt.get(address) ?? (this.local.has(address) || isLoopbackAddress(address) ? { srtt: 0.5, rttvar: 0.25 } : undefined)
    const timing = new LinkTiming(this.floors, known)
    const machine = createServerMachine(exercise, { wire, rng, peerLabel, timing, consoleOpen: this.consoleOpen }, { setSize })
    const session = new Session(socket, machine, {
      ownerId: this.serverId,
      wire,
      conn,
      sink: this.sink,
      console: this.console,
      timing,
      maxMessageBytes: limits.maxMessageBytes,
      handshakeTimeoutMs: limits.handshakeTimeoutMs,
      idleTimeoutMs: limits.idleTimeoutMs,
      maxPendingOutputBytes: limits.maxPendingOutputBytes,
      onLimit: this.onLimit,
      onClosed: () => {
        this.sessions.delete(session)
        this.rtt.remember(address, timing.estimate())
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
      next.conn.update({ state: 'open' })
      this.sink.line(this.serverId, `Now serving ${formatEndpoint(this.remoteOf(next.socket))}`, 'info', next.conn.connId)
      next.socket.resume()
      this.serve(next.socket, next.conn, next.address)
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
    const i = this.waiting.findIndex((w) => w.conn.connId === connId)
    if (i < 0) return false
    const [waiting] = this.waiting.splice(i, 1)
    this.dismiss(waiting!.socket, waiting!.conn, 'closed from the Connections view')
    return true
  }

  /** Close every session, stop listening and free the port. */
  stop(reason = 'stopped'): Promise<void> {
    if (this.stopping) return this.stopping
    if (this.idleSweep) clearInterval(this.idleSweep)
    this.stopping = new Promise<void>((resolve) => {
      this.server.close(() => resolve())
      for (const w of this.waiting.splice(0)) this.dismiss(w.socket, w.conn, `server ${reason}`)
      for (const s of this.sessions) s.close(`server ${reason}`)
      // Sessions end gracefully; any that do not close promptly are destroyed so the port is freed.
      setTimeout(() => {
        for (const s of this.sessions) s.socket.destroy()
      }, 500).unref()
    }).then(() => {
      this.console.dispose()
      if (this.info) {
        this.sink.line(this.serverId, reason === 'stopped' ? 'Server stopped' : `Server stopped (${reason})`)
        this.sink.emit({ type: 'server-stopped', serverId: this.serverId, reason })
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
