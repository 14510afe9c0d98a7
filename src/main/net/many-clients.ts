// Many clients: N adder clients against one server, each with its unique name, requesting flat out
// (or with a pause) and checking every sum. The Lab 2 question 2 demo.

import { newManyClientsStats, type FailureGroup, type ManyClientsStats } from '@shared/contract'
import type { WireSettings } from '@shared/settings'
import { AdderClient, adderName } from '../exercises/adder'
import type { Rng } from '../exercises/sets'
import type { ConnectionSink } from '../sink'
import { ExerciseClient } from './client'
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
}

/** How many clients may be connecting at once, so a crowd does not overflow the server's backlog. */
const CONNECTING_AT_ONCE = 64

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
  readonly stats: ManyClientsStats

  constructor(
    private readonly config: ManyClientsConfig,
    private readonly recorder: ConnectionSink,
    private readonly onChange: (stats: ManyClientsStats) => void = () => undefined,
  ) {
    this.manyClientsId = config.manyClientsId ?? nextId('many')
    this.stats = newManyClientsStats(this.manyClientsId, config.count)
  }

  start(): void {
    this.recorder.line(
      this.manyClientsId,
      `Starting ${this.config.count} adder clients against ${this.config.host}:${this.config.port}`,
    )
    this.launchMore()
  }

  private launchMore(): void {
    while (this.running && this.launched < this.config.count && this.connecting < CONNECTING_AT_ONCE) {
      this.launch()
    }
  }

  private launch(): void {
    const { host, port, wire, rng, baseName, thinkMs } = this.config
    this.launched++
    this.connecting++
    const name = adderName(baseName, rng)
    const uniqueName = `${name}-${this.launched}`
    const machine = new AdderClient({ wire, rng, peerLabel: '' }, uniqueName, {
      print: false,
      onReady: () => {
        this.ready.push(client)
        this.startWhenAllReady()
      },
    })
    let settled = false
    let opened = false
    const stillConnecting = (): void => {
      if (settled) return
      settled = true
      this.connecting--
      this.launchMore()
    }
    const client = new ExerciseClient(
      { exercise: 'adder', host, port, wire, params: {}, rng, machine, ownerId: this.manyClientsId },
      this.recorder,
      {
        onOpen: () => {
          stillConnecting()
          opened = true
          this.stats.connected++
          this.onChange(this.stats)
        },
        onResult: (r) => {
          if (r.kind !== 'adder') return
          this.stats.answered++
          if (r.correct === false) this.stats.wrong++
          this.onChange(this.stats)
          if (!this.running) return
          if (thinkMs > 0) setTimeout(() => client.command('a'), thinkMs)
          else setImmediate(() => client.command('a'))
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
          this.startWhenAllReady()
        },
      },
    )
    this.clients.push(client)
    client.start()
  }

  /**
   * Requests start only once the whole crowd is past its handshake (or failed), so late clients'
   * handshakes are not starved by early clients requesting flat out.
   */
  private startWhenAllReady(): void {
    if (this.requesting || !this.running) return
    if (this.launched < this.config.count || this.ready.length + this.settledCount < this.config.count) return
    this.requesting = true
    for (const client of this.ready) client.command('a')
    this.ready = []
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
    for (const c of this.clients) c.stop('Many clients stopped')
    // A stopped crowd keeps only its counts: a demo run again and again must not pile up clients.
    this.clients.length = 0
    this.ready = []
    this.recorder.line(
      this.manyClientsId,
      `Stopped: ${this.stats.answered} answers, ${this.stats.wrong} wrong, ${this.stats.errors} errors`,
    )
    this.onChange(this.stats)
  }
}

/** Failures grouped by their text, most frequent first; a bounded list so a crowd of distinct errors stays small. */
function countFailure(groups: FailureGroup[], error: string): void {
  const hit = groups.find((g) => g.error === error)
  if (hit) hit.count++
  else if (groups.length < 20) groups.push({ error, count: 1 })
  groups.sort((a, b) => b.count - a.count)
}
