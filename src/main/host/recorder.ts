// Every socket event is recorded here: exact counters per connection, a bounded ring of recent
// messages, console lines and lifecycle events. Front ends read it two ways: raw events as they
// happen (CLI, tests) and batches a few times a second (the renderer). The hot path only bumps
// counters and writes one ring slot, so recording never slows the sockets down.

import { MessageRing, type RecordedMessage } from './message-ring'
import type {
  ConnectionInfo,
  ConsoleLine,
  Counters,
  EngineEvent,
  EventBatch,
  ExerciseResult,
  TrafficMessage,
} from '@shared/contract'

export type { RecordedMessage }

export interface RecorderOptions {
  /** How many recent messages the traffic log keeps. */
  ringSize?: number
  /** How many bytes of message data the traffic log keeps. */
  ringBytes?: number
  /** How many closed connections stay listed as "recent". */
  recentClosed?: number
  /** At most this many messages and lines go to the renderer per batch. */
  batchMessages?: number
  batchLines?: number
  batchResults?: number
}

type Listener = (event: EngineEvent) => void

const PREVIEW_BYTES = 2048

export function decodeText(data: Uint8Array): string {
  const shown = data.length > PREVIEW_BYTES ? data.subarray(0, PREVIEW_BYTES) : data
  return Buffer.from(shown.buffer, shown.byteOffset, shown.byteLength).toString('utf8')
}

export function toHex(data: Uint8Array): string {
  const shown = data.length > PREVIEW_BYTES ? data.subarray(0, PREVIEW_BYTES) : data
  return Buffer.from(shown.buffer, shown.byteOffset, shown.byteLength)
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ')
}

export function toTrafficMessage(m: RecordedMessage): TrafficMessage {
  return { seq: m.seq, t: m.t, connId: m.connId, dir: m.dir, size: m.size, text: decodeText(m.data), hex: toHex(m.data) }
}

export class Recorder {
  private readonly ring: MessageRing
  private lineSeq = 0
  private readonly connections = new Map<string, ConnectionInfo>()
  private readonly closedOrder: string[] = []
  private readonly listeners = new Set<Listener>()
  private readonly messageListeners = new Set<Listener>()
  private readonly lineListeners = new Set<Listener>()
  // Pending for the next batch.
  private events: EventBatch['events'] = []
  private lines: ConsoleLine[] = []
  private droppedLines = 0
  private resultsInBatch = 0
  private droppedResults = 0
  private flushedSeq = 0
  private readonly sentCounters = new Map<string, string>()
  private readonly opts: Required<RecorderOptions>
  /** Batches are collected only while someone reads them (the renderer); the CLI reads raw events. */
  batching = false

  constructor(options: RecorderOptions = {}) {
    this.opts = {
      ringSize: 10_000,
      ringBytes: 8 * 1024 * 1024,
      recentClosed: 2_000,
      batchMessages: 500,
      batchLines: 1_000,
      batchResults: 500,
      ...options,
    }
    this.ring = new MessageRing({ entries: this.opts.ringSize, bytes: this.opts.ringBytes })
  }

  /** Raw events as they happen. Message events only with `{ messages: true }`; `{ linesOnly: true }` for a console. */
  onEvent(listener: Listener, options: { messages?: boolean; linesOnly?: boolean } = {}): () => void {
    const set = options.linesOnly ? this.lineListeners : options.messages ? this.messageListeners : this.listeners
    set.add(listener)
    return () => set.delete(listener)
  }

  emit(event: Exclude<EngineEvent, { type: 'message' } | { type: 'line' }>): void {
    if (this.batching) this.events.push(event)
    this.deliver(event)
  }

  private deliver(event: EngineEvent): void {
    for (const l of this.listeners) l(event)
    for (const l of this.messageListeners) l(event)
  }

  // ---- connections ----

  open(conn: ConnectionInfo): Counters {
    this.connections.set(conn.connId, conn)
    this.emit({ type: 'conn-opened', conn: { ...conn, counters: { ...conn.counters } } })
    return conn.counters
  }

  update(connId: string, patch: Omit<Extract<EngineEvent, { type: 'conn-updated' }>, 'type' | 'connId'>): void {
    const conn = this.connections.get(connId)
    if (!conn) return
    Object.assign(conn, patch)
    this.emit({ type: 'conn-updated', connId, ...patch })
  }

  close(connId: string, reason: string): void {
    const conn = this.connections.get(connId)
    if (!conn || conn.state === 'closed') return
    conn.state = 'closed'
    conn.closedAt = Date.now()
    conn.closeReason = reason
    this.emit({ type: 'conn-closed', connId, reason, counters: { ...conn.counters }, at: conn.closedAt })
    this.closedOrder.push(connId)
    while (this.closedOrder.length > this.opts.recentClosed) {
      const old = this.closedOrder.shift()!
      this.connections.delete(old)
      this.sentCounters.delete(old)
    }
  }

  connection(connId: string): ConnectionInfo | undefined {
    return this.connections.get(connId)
  }

  allConnections(): ConnectionInfo[] {
    return [...this.connections.values()].map((c) => ({ ...c, counters: { ...c.counters } }))
  }

  liveCount(): number {
    return this.connections.size - this.closedOrder.length
  }

  // ---- messages, lines, results ----

  /** Messages that fell out of the traffic log (it is bounded). */
  get ringDropped(): number {
    return this.ring.dropped
  }

  /** Record one message; returns the time it was recorded at. `size` in bytes, when already known. */
  message(connId: string, dir: 'in' | 'out', data: Uint8Array | string, size?: number): number {
    const t = Date.now()
    this.ring.push(connId, dir, data, t, size)
    if (this.messageListeners.size) {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data
      const event: EngineEvent = { type: 'message', connId, dir, t, data: bytes }
      for (const l of this.messageListeners) l(event)
    }
    return t
  }

  line(ownerId: string, text: string, level: 'info' | 'error' = 'info', connId?: string): void {
    const line: ConsoleLine = { seq: ++this.lineSeq, t: Date.now(), ownerId, connId, text, level }
    if (this.batching) {
      if (this.lines.length < this.opts.batchLines) this.lines.push(line)
      else this.droppedLines++
    }
    const event: EngineEvent = { type: 'line', line }
    for (const l of this.lineListeners) l(event)
    this.deliver(event)
  }

  /** Results are many under load (one per adder request): the batch keeps the first few, counters stay exact. */
  result(ownerId: string, connId: string, result: ExerciseResult): void {
    if (!this.batching && this.listeners.size === 0 && this.messageListeners.size === 0) return
    const event: EngineEvent = { type: 'result', ownerId, connId, t: Date.now(), result }
    if (this.batching) {
      if (this.resultsInBatch < this.opts.batchResults) {
        this.events.push(event)
        this.resultsInBatch++
      } else this.droppedResults++
    }
    this.deliver(event)
  }

  /** Recent messages, oldest first (optionally of one connection, or from a sequence number on). */
  recentMessages(connId?: string, fromSeq = 1): RecordedMessage[] {
    return this.ring.range(fromSeq, connId)
  }

  get messageCount(): number {
    return this.ring.newest
  }

  // ---- batches for the renderer ----

  /** Everything since the last flush, or null when nothing happened. */
  flush(): EventBatch | null {
    const counters: Record<string, Counters> = {}
    let changed = 0
    for (const [id, conn] of this.connections) {
      const c = conn.counters
      const key = `${c.bytesIn}/${c.bytesOut}/${c.messagesIn}/${c.messagesOut}`
      if (this.sentCounters.get(id) !== key) {
        this.sentCounters.set(id, key)
        counters[id] = { ...c }
        changed++
      }
    }
    const newest = this.ring.newest
    const pending = newest - this.flushedSeq
    if (!changed && !pending && !this.events.length && !this.lines.length) return null
    const take = Math.min(pending, this.opts.batchMessages)
    const messages: TrafficMessage[] = this.ring.range(newest - take + 1).map(toTrafficMessage)
    this.flushedSeq = newest
    const batch: EventBatch = {
      events: this.events,
      messages,
      lines: this.lines,
      counters,
      droppedMessages: pending - messages.length,
      droppedLines: this.droppedLines,
      droppedResults: this.droppedResults,
    }
    this.events = []
    this.lines = []
    this.droppedLines = 0
    this.droppedResults = 0
    this.resultsInBatch = 0
    return batch
  }
}
