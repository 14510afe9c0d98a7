// A client running one exercise against any host:port (IPv4, IPv6 or a host name).

import net from 'node:net'
import type { ClientInfo, ClientParams, ClientPhase, ExerciseResult } from '@shared/contract'
import type { Exercise, WireSettings } from '@shared/settings'
import { DEFAULT_LIMITS } from '@shared/settings'
import { createClientMachine } from '../exercises'
import type { PeerMachine } from '../exercises/machine'
import type { Rng } from '../exercises/sets'
import type { ConnectionSink } from '../sink'
import { clientError } from './errors'
import { plainAddress } from '@shared/endpoint'
import { nextId } from './ids'
import { Session } from './session'

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
  machine?: PeerMachine
  /** ManyClients members record no console lines of their own. */
  ownerId?: string
}

export interface ClientOutcome {
  ok: boolean
  error?: string
  field?: string
}

export class ExerciseClient {
  readonly clientId: string
  readonly machine: PeerMachine
  private session: Session | null = null
  private socket: net.Socket | null = null
  private outcome: ClientOutcome | null = null
  private readonly settled: Promise<ClientOutcome>
  private settle!: (o: ClientOutcome) => void
  private stopped = false
  private markConnected!: (connected: boolean) => void
  /** Resolves true once connected, false when the client ended before it could connect. */
  readonly connected: Promise<boolean>
  connId: string | null = null
  phase: ClientPhase = 'connecting'

  constructor(
    private readonly config: ClientConfig,
    private readonly recorder: ConnectionSink,
    private readonly hooks: { onResult?(r: ExerciseResult): void; onOpen?(): void; onEnd?(o: ClientOutcome): void } = {},
  ) {
    this.clientId = config.clientId ?? nextId('cli')
    this.settled = new Promise((resolve) => (this.settle = resolve))
    this.connected = new Promise((resolve) => (this.markConnected = resolve))
    this.machine =
      config.machine ?? createClientMachine(config.exercise, { wire: config.wire, rng: config.rng, peerLabel: '' }, config.params)
  }

  get ownerId(): string {
    return this.config.ownerId ?? this.clientId
  }

  get name(): string | undefined {
    return 'name' in this.machine ? String((this.machine as { name: string }).name) : undefined
  }

  describe(): ClientInfo {
    const { exercise, host, port } = this.config
    return { clientId: this.clientId, exercise, host, port, name: this.name, phase: this.phase }
  }

  /** Resolves when the exchange is over: ok when it went as the handout says. */
  get done(): Promise<ClientOutcome> {
    return this.settled
  }

  private end(outcome: ClientOutcome): void {
    if (this.outcome) return
    this.outcome = outcome
    this.markConnected(false)
    this.hooks.onEnd?.(outcome)
    this.settle(outcome)
  }

  start(): void {
    const { host, port, localPort, wire } = this.config
    const connId = nextId('conn')
    this.connId = connId
    const socket = net.connect({ host, port, localPort: localPort || undefined, noDelay: true, allowHalfOpen: true })
    this.socket = socket
    const counters = this.recorder.open({
      connId,
      role: 'client',
      exercise: this.config.exercise,
      ownerId: this.ownerId,
      local: null,
      remote: { address: host, port },
      clientName: undefined,
      state: 'connecting',
      openedAt: Date.now(),
      counters: { bytesIn: 0, bytesOut: 0, messagesIn: 0, messagesOut: 0 },
    })
    const timer = setTimeout(() => {
      const err = Object.assign(new Error('connect timeout'), { code: 'CONNECT_TIMEOUT' })
      socket.destroy(err)
    }, wire.connectTimeoutMs)
    const onConnectError = (err: Error): void => {
      clearTimeout(timer)
      const plain = this.stopped ? { message: 'stopped' } : clientError(err, host, port)
      if (!this.stopped) this.recorder.line(this.ownerId, plain.message, 'error', connId)
      this.recorder.close(connId, plain.message)
      this.end({ ok: false, error: plain.message, field: plain.field })
    }
    socket.once('error', onConnectError)
    socket.once('connect', () => {
      clearTimeout(timer)
      socket.off('error', onConnectError)
      const local = { address: plainAddress(socket.localAddress ?? '?'), port: socket.localPort ?? 0 }
      const remote = { address: plainAddress(socket.remoteAddress ?? host), port: socket.remotePort ?? port }
      this.recorder.update(connId, { state: 'open', local, remote })
      if (this.stopped) {
        socket.destroy()
        return
      }
      let lastError: string | undefined
      this.session = new Session(socket, this.machine, {
        connId,
        ownerId: this.ownerId,
        wire,
        maxMessageBytes: DEFAULT_LIMITS.maxMessageBytes,
        recorder: this.recorder,
        counters,
        // Results are not kept here: Many clients produces thousands a second (the recorder counts them).
        onResult: (r) => this.hooks.onResult?.(r),
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
