// A client running one exercise against any host:port (IPv4, IPv6 or a host name). The connect time
// is its first round-trip sample, so every later wait follows the link. It reports where it is in the
// exchange (connecting, waiting for its turn, ready, busy) so a pane enables exactly what works, and it
// notices when the server it reached is one of this app's own (a one-at-a-time server busy with another
// client makes it say so, and wait).

import net from 'node:net'
import type { ClientInfo, ClientParams, ClientPhase, ErrorDetail, ExerciseResult, WaitingReason } from '@shared/contract'
import { plainAddress, type Endpoint } from '@shared/endpoint'
import type { Exercise, WireSettings } from '@shared/settings'
import { DEFAULT_LIMITS } from '@shared/settings'
import { createClientMachine } from '../exercises'
import type { PeerContext, PeerMachine } from '../exercises/machine'
import type { Rng } from '@shared/lab'
import { CLOSED_BY_US, type ConnectionSink } from '../sink'
import { releaseDescriptor, takeDescriptor } from './descriptors'
import { clientError } from './errors'
import { nextId } from './ids'
import { KEEPALIVE_MS } from './server'
import { Session } from './session'
import { LinkTiming } from './timing'

/** One of this app's own servers, as a client that reached it sees it. */
export interface OwnServer {
  serverId: string
  exercise: Exercise
  readonly busy: boolean
}

export interface ClientConfig {
  clientId?: string
  exercise: Exercise
  host: string
  port: number
  localPort?: number
  wire: WireSettings
  params: ClientParams
  rng: Rng
  /** Build the machine (Many clients makes quiet adder clients); default: the exercise's client. */
  machine?: (ctx: PeerContext) => PeerMachine
  /** Many-clients members report to their run, not a console of their own. */
  ownerId?: string
  many?: boolean
  /** Which of this app's servers, if any, takes connections to this endpoint. */
  findOwnServer?: (remote: Endpoint) => OwnServer | undefined
  /** This app's listening servers, for the connection doctor ("your own server listens on 127.0.0.1 only"). */
  ownServers?: () => { exercise: Exercise; address: string; port: number }[]
}

export interface ClientOutcome {
  ok: boolean
  error?: string
  field?: string
  /** A connection that could not be made: the doctor's diagnosis, for the steps next to the error. */
  detail?: ErrorDetail
}

export interface ClientHooks {
  onResult?(r: ExerciseResult): void
  onOpen?(): void
  onEnd?(o: ClientOutcome): void
  onPhase?(phase: ClientPhase, reason?: WaitingReason): void
}

export class ExerciseClient {
  readonly clientId: string
  readonly machine: PeerMachine
  private readonly timing: LinkTiming
  private session: Session | null = null
  private socket: net.Socket | null = null
  private outcome: ClientOutcome | null = null
  private readonly settled: Promise<ClientOutcome>
  private settle!: (o: ClientOutcome) => void
  private stopped = false
  private markConnected!: (connected: boolean) => void
  private own: OwnServer | undefined
  /** Resolves true once connected, false when the client ended before it could connect. */
  readonly connected: Promise<boolean>
  connId: string | null = null
  phase: ClientPhase = 'connecting'
  waitingReason: WaitingReason | undefined

  constructor(
    private readonly config: ClientConfig,
    private readonly sink: ConnectionSink,
    private readonly hooks: ClientHooks = {},
  ) {
    this.clientId = config.clientId ?? nextId('cli')
    this.settled = new Promise((resolve) => (this.settle = resolve))
    this.connected = new Promise((resolve) => (this.markConnected = resolve))
    const { wire, rng } = config
    this.timing = new LinkTiming({ quietMs: wire.quietMs, paceMs: wire.paceMs })
    const ctx = { wire, rng, peerLabel: '', timing: this.timing, serverBusy: () => this.own?.busy === true }
    this.machine = config.machine ? config.machine(ctx) : createClientMachine(config.exercise, ctx, config.params)
  }

  get ownerId(): string {
    return this.config.ownerId ?? this.clientId
  }

  get name(): string | undefined {
    return 'name' in this.machine ? String((this.machine as { name: string }).name) : undefined
  }

  describe(): ClientInfo {
    const { exercise, host, port } = this.config
    const info: ClientInfo = { clientId: this.clientId, exercise, host, port, name: this.name, phase: this.phase }
    if (this.waitingReason) info.waitingReason = this.waitingReason
    if (this.own) info.ownServer = { serverId: this.own.serverId, exercise: this.own.exercise }
    return info
  }

  /** Resolves when the exchange is over: ok when it went as the handout says. */
  get done(): Promise<ClientOutcome> {
    return this.settled
  }

  private setPhase(phase: ClientPhase, reason?: WaitingReason): void {
    if (this.phase === phase && this.waitingReason === reason) return
    this.phase = phase
    this.waitingReason = phase === 'waiting' ? reason : undefined
    this.hooks.onPhase?.(phase, reason)
    if (!this.config.many) {
      this.sink.emit({
        type: 'client-updated',
        clientId: this.clientId,
        phase,
        ...(this.waitingReason ? { waitingReason: this.waitingReason } : {}),
      })
    }
  }

  private end(outcome: ClientOutcome): void {
    if (this.outcome) return
    this.outcome = outcome
    this.markConnected(false)
    this.setPhase('ended')
    this.hooks.onEnd?.(outcome)
    this.settle(outcome)
  }

  start(): void {
    const { host, port, localPort, wire } = this.config
    const connId = nextId('conn')
    this.connId = connId
    const conn = this.sink.open({
      connId,
      role: 'client',
      exercise: this.config.exercise,
      ownerId: this.ownerId,
      local: null,
      remote: { address: host, port },
      clientName: this.name,
      state: 'connecting',
      openedAt: Date.now(),
      many: this.config.many,
    })
    if (!takeDescriptor()) {
      const message = 'This app has as many connections open as this computer allows: stop some clients or servers first.'
      conn.close(message, 'descriptors')
      this.sink.line(this.ownerId, message, 'error', connId)
      return this.end({ ok: false, error: message })
    }
    const startedAt = Date.now()
    const socket = net.connect({ host, port, localPort: localPort || undefined, noDelay: true, allowHalfOpen: true })
    this.socket = socket
    socket.once('close', () => releaseDescriptor())
    const timer = setTimeout(() => {
      const err = Object.assign(new Error('connect timeout'), { code: 'CONNECT_TIMEOUT' })
      socket.destroy(err)
    }, wire.connectTimeoutMs)
    const onConnectError = (err: Error): void => {
      clearTimeout(timer)
      if (this.stopped) {
        conn.close('stopped')
        return this.end({ ok: false, error: 'stopped' })
      }
      const error = clientError(err, host, port, {
        elapsedMs: Date.now() - startedAt,
        localPort: localPort || undefined,
        ownServers: this.config.ownServers?.(),
      })
      if (!this.config.many) this.sink.line(this.ownerId, error.message, 'error', connId)
      conn.close(error.message)
      this.end({ ok: false, error: error.message, field: error.field, ...(error.detail ? { detail: error.detail } : {}) })
    }
    socket.once('error', onConnectError)
    socket.once('connect', () => {
      clearTimeout(timer)
      // The handshake's round trip: the first sample of this link.
      this.timing.sample(Date.now() - startedAt)
      socket.off('error', onConnectError)
      socket.on('error', () => undefined)
      socket.setKeepAlive(true, KEEPALIVE_MS)
      const local = { address: plainAddress(socket.localAddress ?? '?'), port: socket.localPort ?? 0 }
      const remote = { address: plainAddress(socket.remoteAddress ?? host), port: socket.remotePort ?? port }
      conn.update({ state: 'open', local, remote })
      if (this.stopped) {
        socket.destroy()
        conn.close('stopped by the user', undefined, CLOSED_BY_US)
        return
      }
      this.own = this.config.findOwnServer?.(remote)
      if (this.own && !this.config.many) {
        this.sink.emit({
          type: 'client-updated',
          clientId: this.clientId,
          ownServer: { serverId: this.own.serverId, exercise: this.own.exercise },
        })
        if (this.own.exercise !== this.config.exercise)
          this.sink.line(
            this.ownerId,
            `This is your own ${this.own.exercise} server, not a ${this.config.exercise} server: the exchange will not work. Check the port.`,
            'error',
            connId,
          )
      }
      let lastError: string | undefined
      this.session = new Session(socket, this.machine, {
        ownerId: this.ownerId,
        wire,
        conn,
        sink: this.sink,
        timing: this.timing,
        maxMessageBytes: DEFAULT_LIMITS.maxMessageBytes,
        maxPendingOutputBytes: DEFAULT_LIMITS.maxPendingOutputBytes,
        keepReceived: !this.config.many,
        printFailures: !this.config.many,
        // Results are not kept here: Many clients produces thousands a second (the recorder counts them).
        onResult: (r) => this.hooks.onResult?.(r),
        onPhase: (phase, reason) => this.setPhase(phase, reason),
        onFinish: (ok, error) => {
          lastError = error
          this.end({ ok, error })
        },
        onClosed: (reason) => {
          this.end({ ok: false, error: lastError ?? reason })
        },
      })
      this.session.begin()
      this.markConnected(true)
      this.hooks.onOpen?.()
    })
  }

  /** Adder: a command typed by the student. */
  command(command: string): boolean {
    if (!this.session || this.session.isClosed) return false
    this.session.command(command)
    return true
  }

  stop(reason = 'stopped by the user'): void {
    this.stopped = true
    if (this.session) this.session.close(reason)
    else this.socket?.destroy()
  }
}
