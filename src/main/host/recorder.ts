// Every socket event is recorded here: exact counters per connection, bounded logs of recent messages
// (the exercises' and the Many-clients crowd's apart, so a crowd never pushes out a student's own
// exchange), recent console lines and results (a reloaded page shows what it showed before), and
// lifecycle events. Front ends read it two ways: raw events as they happen (CLI, tests) and batches a
// few times a second (the renderer). The hot path bumps a counter, writes one ring slot and marks its
// connection changed, so recording never slows the sockets down and a batch visits only what changed.

import type {
  CloseHow,
  ConnectionInfo,
  ConsoleLine,
  Counters,
  EngineEvent,
  EventBatch,
  ExerciseResult,
  ResultRecord,
  Snapshot,
  TrafficMessage,
} from '@shared/contract'
import { TRAFFIC_LOG_MESSAGES } from '@shared/contract'
import type { LimitName } from '@shared/settings'
import type { ConnectionHandle, ConnectionPatch, ConnectionSink, LineLevel, NewConnection, SinkEvent } from '../sink'
import { shorten } from '../wire/text'
import { boundResult } from './bound-result'
import { MessageRing, type RecordedMessage } from './message-ring'

export type { RecordedMessage }

export interface RecorderOptions {
  /** How many recent messages the traffic log keeps (the exercises'; the crowd's log keeps as many). */
  ringSize?: number
  /** How many bytes of message data each log keeps. */
  ringBytes?: number
  /** How many closed connections stay listed as "recent". */
  recentClosed?: number
  /** At most this many messages, lines and results go to the renderer per batch. */
  batchMessages?: number
  batchLines?: number
  batchResults?: number
  /** Console lines and results kept for a page that reloads. */
  historyLines?: number
  historyResults?: number
}

type Listener = (event: EngineEvent) => void

/** Text and hex of a message in a batch or the snapshot: enough to read it; the log keeps the bytes. */
const PREVIEW_BYTES = 1024
/** A console line is never longer than this (peer text in it is shortened before). */
const MAX_LINE = 600

export function decodeText(data: Uint8Array, max = PREVIEW_BYTES): string {
  const shown = data.length > max ? data.subarray(0, max) : data
  return Buffer.from(shown.buffer, shown.byteOffset, shown.byteLength).toString('utf8')
}

export function toHex(data: Uint8Array, max = PREVIEW_BYTES): string {
  const shown = data.length > max ? data.subarray(0, max) : data
  const hex = Buffer.from(shown.buffer, shown.byteOffset, shown.byteLength).toString('hex')
  let out = ''
  for (let i = 0; i < hex.length; i += 2) out += (i ? ' ' : '') + hex.slice(i, i + 2)
  return out
}

export function toTrafficMessage(m: RecordedMessage, many = false): TrafficMessage {
  const msg: TrafficMessage = {
    seq: m.seq,
    t: m.t,
    connId: m.connId,
    dir: m.dir,
    size: m.size,
    text: decodeText(m.data),
    hex: toHex(m.data),
  }
  if (many) msg.many = true
  return msg
}

function endKey(e: { address: string; port: number }): string {
  return `${e.address}|${e.port}`
}

/** A bounded history: the newest `max` items, oldest first (a ring: a push overwrites the oldest, nothing is copied). */
class History<T> {
  private readonly items: T[] = []
  /** Once full: where the oldest item is, and the next push goes. */
  private oldest = 0
  constructor(private readonly max: number) {}
  push(item: T): void {
    if (this.items.length < this.max) {
      this.items.push(item)
      return
    }
    this.items[this.oldest] = item
    if (++this.oldest === this.max) this.oldest = 0
  }
  list(): T[] {
    return this.oldest === 0 ? [...this.items] : [...this.items.slice(this.oldest), ...this.items.slice(0, this.oldest)]
  }
}

/**
 * One connection's record. The counters are the handle's own fields, and its id is kept beside them:
 * under load every request bumps them, and a request should touch as few objects as it can (at 1000
 * clients each one is a cache miss). `info` holds the rest; `snapshot()` puts the two together.
 */
class RecordedConnection implements ConnectionHandle {
  dirty = false
  /** Whether this server-side end was checked for being one of this app's own Many-clients crowd. */
  crowdChecked = false
  bytesIn = 0
  bytesOut = 0
  messagesIn = 0
  messagesOut = 0
  readonly connId: string
  constructor(
    readonly info: Omit<ConnectionInfo, 'counters'>,
    public many: boolean,
    private readonly recorder: Recorder,
  ) {
    this.connId = info.connId
  }

  get counters(): Counters {
    return { bytesIn: this.bytesIn, bytesOut: this.bytesOut, messagesIn: this.messagesIn, messagesOut: this.messagesOut }
  }

  /** The connection as it is now, counters included (a copy). */
  snapshot(): ConnectionInfo {
    return { ...this.info, counters: this.counters }
  }

  received(bytes: number): void {
    this.bytesIn += bytes
    if (!this.dirty) this.recorder.markDirty(this)
  }

  message(dir: 'in' | 'out', data: Uint8Array | string, size?: number, t?: number): number {
    if (dir === 'in') this.messagesIn++
    else {
      const n = size ?? (typeof data === 'string' ? Buffer.byteLength(data) : data.length)
      this.messagesOut++
      this.bytesOut += n
      size = n
    }
    if (!this.dirty) this.recorder.markDirty(this)
    return this.recorder.recordMessage(this, dir, data, size, t)
  }

  update(patch: ConnectionPatch): void {
    this.recorder.updateConnection(this, patch)
  }

  close(reason: string, limit?: LimitName, how?: CloseHow): void {
    this.recorder.closeConnection(this, reason, limit, how)
  }

  result(ownerId: string, result: ExerciseResult, t?: number): void {
    this.recorder.result(ownerId, this.connId, result, t, this.many)
  }
}

/**
 * What a listener hears: every event but messages (the default), messages too, console lines only, or
 * only the kinds it names.
 */
export interface EventOptions {
  messages?: boolean
  linesOnly?: boolean
  types?: readonly EngineEvent['type'][]
}

export class Recorder implements ConnectionSink {
  private readonly ring: MessageRing
  private readonly manyRing: MessageRing
  private lineSeq = 0
  /** The last connection's `seq`: connections are numbered in the order they were made. */
  private connSeq = 0
  private readonly connections = new Map<string, RecordedConnection>()
  private readonly closedOrder: string[] = []
  private readonly dirty = new Set<RecordedConnection>()
  /** Local endpoints of this app's Many-clients connections: their server ends belong to the crowd too. */
  private readonly crowdEnds = new Set<string>()
  private readonly listeners = new Set<Listener>()
  private readonly messageListeners = new Set<Listener>()
  private readonly lineListeners = new Set<Listener>()
  /** Listeners for some kinds of event only (a terminal that waits for one event does not pay for the rest). */
  private readonly typedListeners = new Map<EngineEvent['type'], Set<Listener>>()
  /** Does anyone hear each message, or each result? (Kept as listeners come and go: the hot path asks per request.) */
  private hearsMessages = false
  private hearsResults = false
  private readonly lineHistory: History<ConsoleLine>
  private readonly resultHistory: History<ResultRecord>
  // Pending for the next batch.
  private events: EventBatch['events'] = []
  private lines: ConsoleLine[] = []
  private droppedLines = 0
  private resultsInBatch = 0
  private droppedResults = 0
  private flushedSeq = 0
  private flushedManySeq = 0
  private readonly opts: Required<RecorderOptions>
  /** Batches are collected only while someone reads them (the renderer); the CLI reads raw events. */
  batching = false

  constructor(options: RecorderOptions = {}) {
    this.opts = {
      ringSize: TRAFFIC_LOG_MESSAGES,
      ringBytes: 8 * 1024 * 1024,
      recentClosed: 2_000,
      batchMessages: 500,
      batchLines: 1_000,
      batchResults: 500,
      historyLines: 4_000,
      historyResults: 1_000,
      ...options,
    }
    this.ring = new MessageRing({ entries: this.opts.ringSize, bytes: this.opts.ringBytes })
    this.manyRing = new MessageRing({ entries: this.opts.ringSize, bytes: this.opts.ringBytes })
    this.lineHistory = new History(this.opts.historyLines)
    this.resultHistory = new History(this.opts.historyResults)
  }

  /** Raw events as they happen. Message events only with `{ messages: true }`; `{ linesOnly: true }` for a console. */
  onEvent(listener: Listener, options: EventOptions = {}): () => void {
    const unsubscribe = this.subscribe(listener, options)
    this.listenersChanged()
    return () => {
      unsubscribe()
      this.listenersChanged()
    }
  }

  private subscribe(listener: Listener, options: EventOptions): () => void {
    if (options.types) {
      const sets = options.types.map((type) => {
        let set = this.typedListeners.get(type)
        if (!set) this.typedListeners.set(type, (set = new Set()))
        set.add(listener)
        return [type, set] as const
      })
      return () => {
        for (const [type, set] of sets) {
          set.delete(listener)
          if (set.size === 0 && this.typedListeners.get(type) === set) this.typedListeners.delete(type)
        }
      }
    }
    const set = options.linesOnly ? this.lineListeners : options.messages ? this.messageListeners : this.listeners
    set.add(listener)
    return () => set.delete(listener)
  }

  private listenersChanged(): void {
    this.hearsMessages = this.messageListeners.size > 0 || this.typedListeners.has('message')
    this.hearsResults = this.listeners.size > 0 || this.messageListeners.size > 0 || this.typedListeners.has('result')
  }

  emit(event: SinkEvent): void {
    if (this.batching) this.events.push(event)
    this.deliver(event)
  }

  private deliver(event: EngineEvent): void {
    for (const l of this.listeners) l(event)
    for (const l of this.messageListeners) l(event)
    const typed = this.typedListeners.get(event.type)
    if (typed) for (const l of typed) l(event)
  }

  // ---- connections ----

  open(conn: NewConnection): ConnectionHandle {
    const { many, ...rest } = conn
    const handle = new RecordedConnection({ ...rest, seq: ++this.connSeq }, many === true, this)
    this.connections.set(handle.connId, handle)
    this.emit({ type: 'conn-opened', conn: handle.snapshot() })
    return handle
  }

  markDirty(conn: RecordedConnection): void {
    conn.dirty = true
    this.dirty.add(conn)
  }

  updateConnection(conn: RecordedConnection, patch: ConnectionPatch): void {
    Object.assign(conn.info, patch)
    if (conn.many && patch.local) this.crowdEnds.add(endKey(patch.local))
    this.emit({ type: 'conn-updated', connId: conn.connId, ...patch })
  }

  closeConnection(conn: RecordedConnection, reason: string, limit?: LimitName, how: CloseHow = {}): void {
    const info = conn.info
    if (info.state === 'closed') return
    info.state = 'closed'
    info.closedAt = Date.now()
    info.closeReason = reason
    if (limit) info.closeLimit = limit
    if (how.closedBy) info.closedBy = how.closedBy
    if (how.closeKind) info.closeKind = how.closeKind
    this.dirty.delete(conn)
    conn.dirty = false
    if (conn.many && info.role === 'client' && info.local) this.crowdEnds.delete(endKey(info.local))
    this.emit({
      type: 'conn-closed',
      connId: info.connId,
      reason,
      ...(limit ? { limit } : {}),
      ...(how.closedBy ? { closedBy: how.closedBy } : {}),
      ...(how.closeKind ? { closeKind: how.closeKind } : {}),
      counters: conn.counters,
      at: info.closedAt,
    })
    this.closedOrder.push(info.connId)
    while (this.closedOrder.length > this.opts.recentClosed) this.connections.delete(this.closedOrder.shift()!)
  }

  connection(connId: string): ConnectionInfo | undefined {
    return this.connections.get(connId)?.snapshot()
  }

  allConnections(): ConnectionInfo[] {
    return [...this.connections.values()].map((c) => c.snapshot())
  }

  liveCount(): number {
    let n = 0
    for (const c of this.connections.values()) if (c.info.state !== 'closed') n++
    return n
  }

  // ---- messages, lines, results ----

  /** Messages that fell out of the traffic logs (they are bounded). */
  get ringDropped(): number {
    return this.ring.dropped + this.manyRing.dropped
  }

  recordMessage(conn: RecordedConnection, dir: 'in' | 'out', data: Uint8Array | string, size?: number, at?: number): number {
    if (!conn.crowdChecked) {
      // A server end's first message comes after its client connected: by then the crowd's ends are known.
      conn.crowdChecked = true
      if (conn.info.role === 'server' && this.crowdEnds.has(endKey(conn.info.remote))) conn.many = true
    }
    const t = at ?? Date.now()
    const seq = (conn.many ? this.manyRing : this.ring).push(conn.connId, dir, data, t, size)
    if (this.hearsMessages) {
      const typed = this.typedListeners.get('message')
      const bytes = typeof data === 'string' ? Buffer.from(data) : data
      const event: EngineEvent = { type: 'message', connId: conn.connId, dir, t, data: bytes }
      for (const l of this.messageListeners) l(event)
      if (typed) for (const l of typed) l(event)
    }
    return seq
  }

  line(ownerId: string, text: string, level: LineLevel = 'info', connId?: string): void {
    const line: ConsoleLine = { seq: ++this.lineSeq, t: Date.now(), ownerId, text: shorten(text, MAX_LINE), level }
    if (connId) line.connId = connId
    this.lineHistory.push(line)
    if (this.batching) {
      if (this.lines.length < this.opts.batchLines) this.lines.push(line)
      else this.droppedLines++
    }
    const event: EngineEvent = { type: 'line', line }
    for (const l of this.lineListeners) l(event)
    this.deliver(event)
  }

  /** Results are many under load (one per adder request): the batch keeps the first few, counters stay exact. */
  result(ownerId: string, connId: string, result: ExerciseResult, t = Date.now(), many = false): void {
    const record: ResultRecord = { ownerId, connId, t, result: boundResult(result) }
    // A crowd's results are counted by its stats; only the exercises' results are history.
    if (!many) this.resultHistory.push(record)
    if (!this.batching && !this.hearsResults) return
    const event: EngineEvent = { type: 'result', ...record }
    if (this.batching) {
      if (this.resultsInBatch < this.opts.batchResults) {
        this.events.push(event)
        this.resultsInBatch++
      } else this.droppedResults++
    }
    this.deliver(event)
  }

  /** Recent messages of the exercises' log, oldest first (optionally of one connection, or from a number on). */
  recentMessages(connId?: string, fromSeq = 1): RecordedMessage[] {
    return this.ring.range(fromSeq, connId)
  }

  /** Recent messages of the Many-clients log. */
  recentManyMessages(connId?: string, fromSeq = 1): RecordedMessage[] {
    return this.manyRing.range(fromSeq, connId)
  }

  get messageCount(): number {
    return this.ring.newest
  }

  /** What a page that reloads needs to show what it showed before. */
  history(maxMessages = 2000): Pick<Snapshot, 'lines' | 'results' | 'messages' | 'droppedMessages'> {
    const own = this.ring.range(Math.max(1, this.ring.newest - maxMessages + 1)).map((m) => toTrafficMessage(m))
    const many = this.manyRing
      .range(Math.max(1, this.manyRing.newest - Math.floor(maxMessages / 4) + 1))
      .map((m) => toTrafficMessage(m, true))
    return {
      lines: this.lineHistory.list(),
      results: this.resultHistory.list(),
      messages: [...own, ...many],
      droppedMessages: this.ringDropped,
    }
  }

  // ---- batches for the renderer ----

  /** Everything since the last flush, or null when nothing happened. */
  flush(): EventBatch | null {
    const counters: Record<string, Counters> = {}
    for (const conn of this.dirty) {
      counters[conn.connId] = conn.counters
      conn.dirty = false
    }
    const changed = this.dirty.size
    this.dirty.clear()
    const pending = this.ring.newest - this.flushedSeq
    const pendingMany = this.manyRing.newest - this.flushedManySeq
    if (!changed && !pending && !pendingMany && !this.events.length && !this.lines.length) return null
    // The exercises' messages first; the crowd's fill what room is left, at least a tenth.
    const take = Math.min(pending, this.opts.batchMessages - Math.min(pendingMany, Math.floor(this.opts.batchMessages / 10)))
    const takeMany = Math.min(pendingMany, this.opts.batchMessages - take)
    const messages: TrafficMessage[] = this.ring.range(this.ring.newest - take + 1).map((m) => toTrafficMessage(m))
    for (const m of this.manyRing.range(this.manyRing.newest - takeMany + 1)) messages.push(toTrafficMessage(m, true))
    this.flushedSeq = this.ring.newest
    this.flushedManySeq = this.manyRing.newest
    const batch: EventBatch = {
      events: this.events,
      messages,
      lines: this.lines,
      counters,
      droppedMessages: pending + pendingMany - messages.length,
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
