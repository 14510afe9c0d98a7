// Many clients: N adder clients against one server, each with its unique name, requesting flat out
// (or with a pause) and checking every sum. The Lab 2 question 2 demo — and, against a one-at-a-time
// server, the question 1 contrast: one client is served, the others show as waiting for their turn.
// Failures are counted by what went wrong (200 clients refused is one line with a count), a stop the
// student asked for is one line, and the run ends with a final status.

import { formatEndpoint, type Endpoint } from '@shared/endpoint'
import { newManyClientsStats, type FailureGroup, type ManyClientsStats } from '@shared/contract'
import type { WireSettings } from '@shared/settings'
import { clientName, type Rng } from '@shared/lab'
import { AdderClient } from '../exercises/adder'
import type { ConnectionSink } from '../sink'
import { ExerciseClient, type OwnServer } from './client'
import { nextId } from './ids'

export interface ManyClientsConfig {
  manyClientsId?: string
  host: string
  port: number
  count: number
  baseName: string
  wire: WireSettings
  thinkMs: number
  rng: Rng
  findOwnServer?: (remote: Endpoint) => OwnServer | undefined
}

/** How many clients may be connecting at once, so a crowd does not overflow the server's backlog. */
const CONNECTING_AT_ONCE = 64
/** Once every client is connected, how long the crowd waits for the last `ack`s before requesting. */
const ACK_GRACE_MS = 1000
const MAX_FAILURE_GROUPS = 20

export class ManyClients {
  readonly manyClientsId: string
  private readonly clients: ExerciseClient[] = []
  private launched = 0
  private connecting = 0
  private running = true
  /** Clients past their name/ack handshake, waiting for the crowd: requests start when all are. */
  private ready: ExerciseClient[] = []
  private settledCount = 0
  private requesting = false
  private graceTimer: NodeJS.Timeout | null = null
  readonly stats: ManyClientsStats

  constructor(
    private readonly config: ManyClientsConfig,
    private readonly sink: ConnectionSink,
    private readonly onChange: (stats: ManyClientsStats) => void = () => undefined,
  ) {
    this.manyClientsId = config.manyClientsId ?? nextId('many')
    this.stats = newManyClientsStats(this.manyClientsId, config.count)
  }

  start(): void {
    const where = formatEndpoint({ address: this.config.host, port: this.config.port })
    this.sink.line(this.manyClientsId, `Starting ${this.config.count} adder clients against ${where}`)
    this.launchMore()
  }

  private launchMore(): void {
    while (this.running && this.launched < this.config.count && this.connecting < CONNECTING_AT_ONCE) this.launch()
  }

  private launch(): void {
    const { host, port, wire, rng, baseName, thinkMs } = this.config
    this.launched++
    this.connecting++
    const uniqueName = `${clientName(baseName, rng)}-${this.launched}`
    let settled = false
    let opened = false
    let waiting = false
    const stillConnecting = (): void => {
      if (settled) return
      settled = true
      this.connecting--
      this.launchMore()
      this.maybeStartRequests()
    }
    const request = (): void => {
      if (!this.running) return
      if (thinkMs > 0) setTimeout(() => client.command('a'), thinkMs)
      else setImmediate(() => client.command('a'))
    }
    const client: ExerciseClient = new ExerciseClient(
      {
        exercise: 'adder',
        host,
        port,
        wire,
        params: {},
        rng,
        ownerId: this.manyClientsId,
        many: true,
        findOwnServer: this.config.findOwnServer,
        machine: (ctx) =>
          new AdderClient(ctx, uniqueName, {
            print: false,
            nudge: false,
            onReady: () => {
              if (this.requesting) request()
              else {
                this.ready.push(client)
                this.maybeStartRequests()
              }
            },
          }),
      },
      this.sink,
      {
        onOpen: () => {
          opened = true
          this.stats.connected++
          stillConnecting()
          this.onChange(this.stats)
        },
        onPhase: (phase) => {
          const now = phase === 'waiting'
          if (now === waiting) return
          waiting = now
          this.stats.waiting += now ? 1 : -1
          this.onChange(this.stats)
        },
        onResult: (r) => {
          if (r.kind !== 'adder') return
          this.stats.answered++
          if (r.correct === false) this.stats.wrong++
          this.onChange(this.stats)
          request()
        },
        onEnd: (outcome) => {
          stillConnecting()
          this.settledCount++
          if (opened) this.stats.connected--
          this.stats.closed++
          if (!outcome.ok && this.running) {
            this.stats.errors++
            countFailure(this.stats.failures, outcome.error ?? 'failed')
          }
          this.onChange(this.stats)
          this.maybeStartRequests()
          this.maybeFinished()
        },
      },
    )
    this.clients.push(client)
    client.start()
  }

  /**
   * Requests start once the whole crowd is connected and past its handshake, so late clients'
   * handshakes are not starved by early ones requesting flat out. Clients still without `ack` a moment
   * after the last one connected are waiting for their turn (a one-at-a-time server): the others start.
   */
  private maybeStartRequests(): void {
    if (this.requesting || !this.running) return
    if (this.launched < this.config.count || this.connecting > 0) return
    if (this.ready.length + this.settledCount >= this.config.count) return this.startRequests()
    this.graceTimer ??= setTimeout(() => this.startRequests(), ACK_GRACE_MS)
  }

  private startRequests(): void {
    if (this.graceTimer) clearTimeout(this.graceTimer)
    this.graceTimer = null
    if (this.requesting || !this.running) return
    this.requesting = true
    for (const client of this.ready) client.command('a')
    this.ready = []
  }

  /** Every client has ended without a stop: the run is over, and says how. */
  private maybeFinished(): void {
    if (!this.running || this.settledCount < this.config.count) return
    this.running = false
    this.stats.running = false
    const allFailed = this.stats.errors === this.config.count
    this.stats.ended = allFailed ? 'failed' : 'finished'
    const groups = this.stats.failures.map((g) => `${g.error} (${g.count})`).join('; ')
    this.sink.line(
      this.manyClientsId,
      allFailed
        ? `All ${this.config.count} clients failed: ${groups}`
        : `Finished: ${this.summary()}${groups ? `; failures: ${groups}` : ''}`,
      allFailed ? 'error' : 'info',
    )
    this.release()
    this.onChange(this.stats)
  }

  private summary(): string {
    const s = this.stats
    return `${s.answered} answers, ${s.wrong} wrong, ${s.errors} clients failed`
  }

  closeConnection(connId: string): boolean {
    const client = this.clients.find((c) => c.connId === connId)
    client?.stop('closed from the Connections view')
    return client !== undefined
  }

  stop(): void {
    if (!this.running) return
    this.running = false
    this.stats.running = false
    this.stats.ended = 'stopped'
    for (const c of this.clients) c.stop('Many clients stopped')
    this.sink.line(this.manyClientsId, `Stopped by you: ${this.summary()}`)
    this.release()
    this.onChange(this.stats)
  }

  /** A finished crowd keeps only its counts: a demo run again and again must not pile up clients. */
  private release(): void {
    if (this.graceTimer) clearTimeout(this.graceTimer)
    this.graceTimer = null
    this.clients.length = 0
    this.ready = []
  }
}

/** Failures grouped by their text, most frequent first; a bounded list so a crowd of distinct errors stays small. */
function countFailure(groups: FailureGroup[], error: string): void {
  const hit = groups.find((g) => g.error === error)
  if (hit) hit.count++
  else if (groups.length < MAX_FAILURE_GROUPS) groups.push({ error, count: 1 })
  else {
    const other = groups.find((g) => g.error === 'other errors')
    if (other) other.count++
    else groups[groups.length - 1] = { error: 'other errors', count: groups[groups.length - 1].count + 1 }
  }
  groups.sort((a, b) => b.count - a.count)
}
