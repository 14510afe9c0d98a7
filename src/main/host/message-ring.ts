// The traffic log: the most recent messages, bounded both in count and in bytes. Recording a message
// copies its bytes into one preallocated buffer and fills one record of a typed array (its number, time,
// place in the buffer, sizes and direction side by side, so one message touches one cache line), so the
// hot path allocates nothing and keeps no reference to the socket's chunks. Reading builds objects on demand.

export interface RecordedMessage {
  seq: number
  t: number
  connId: string
  dir: 'in' | 'out'
  /** The bytes kept (a message longer than the per-message cap is kept in part). */
  data: Uint8Array
  /** The message's real size in bytes. */
  size: number
}

export interface RingOptions {
  /** How many messages are kept at most. */
  entries: number
  /** How many bytes of message data are kept at most. */
  bytes: number
}

const IN = 0
const OUT = 1
const SMALL = 64
/** One record per message in `meta`: these fields, in this order. */
const SEQ = 0
const TIME = 1
const START = 2
const KEPT = 3
const SIZE = 4
const DIR = 5
const FIELDS = 6

function byteSize(data: Uint8Array | string): number {
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length
}

export class MessageRing {
  private readonly store: Buffer
  private readonly meta: Float64Array
  private readonly conns: (string | undefined)[]
  /** Bytes ever stored (a position in an endless stream; the store holds the last `bytes` of it). */
  private written = 0
  /** The newest sequence number recorded, and the oldest one still readable. */
  newest = 0
  private oldestValid = 1
  private readonly maxKept: number
  /** The newest message's slot (`newest % entries`) and where the next bytes go (`written % bytes`), kept without dividing. */
  private slot = 0
  private at = 0
  private readonly entries: number
  private readonly bytes: number

  constructor(opts: RingOptions) {
    // Not zero-filled: only the bytes of recorded messages are ever read, and untouched pages cost no memory.
    this.store = Buffer.allocUnsafeSlow(opts.bytes)
    this.meta = new Float64Array(opts.entries * FIELDS)
    this.conns = new Array(opts.entries)
    // One message may use at most a quarter of the store, so a big one cannot wipe out the log.
    this.maxKept = Math.floor(opts.bytes / 4)
    this.entries = opts.entries
    this.bytes = opts.bytes
  }

  /** Messages that are no longer readable (the log is bounded). */
  get dropped(): number {
    return this.oldestValid - 1
  }

  /** `size` is the data's length in bytes, when the caller already knows it. */
  push(connId: string, dir: 'in' | 'out', data: Uint8Array | string, t: number, size = byteSize(data)): number {
    const seq = ++this.newest
    const slot = this.slot + 1 === this.entries ? 0 : this.slot + 1
    this.slot = slot
    const keep = Math.min(size, this.maxKept)
    const start = this.written
    this.copyIn(data, keep, size)
    this.written += keep
    // A message keeps at most a quarter of the store: one step back is enough.
    this.at += keep
    if (this.at >= this.bytes) this.at -= this.bytes
    const m = this.meta
    const r = slot * FIELDS
    m[r + SEQ] = seq
    m[r + TIME] = t
    m[r + START] = start
    m[r + KEPT] = keep
    m[r + SIZE] = size
    m[r + DIR] = dir === 'in' ? IN : OUT
    this.conns[slot] = connId
    this.forgetOverwritten()
    return seq
  }

  private copyIn(data: Uint8Array | string, keep: number, size: number): void {
    const at = this.at
    const store = this.store
    if (keep === size && keep <= SMALL && at + keep <= this.bytes) {
      // Most lab messages are a few bytes: a plain loop beats a native call and allocates nothing.
      if (typeof data !== 'string') {
        for (let i = 0; i < keep; i++) store[at + i] = data[i]
        return
      }
      if (keep === data.length) {
        // One byte per character: the string is ASCII.
        for (let i = 0; i < keep; i++) store[at + i] = data.charCodeAt(i)
        return
      }
    }
    if (typeof data === 'string' && keep === size && at + keep <= this.bytes) {
      store.write(data, at, 'utf8')
      return
    }
    const bytes = typeof data === 'string' ? Buffer.from(data) : data
    const first = Math.min(keep, this.bytes - at)
    this.store.set(bytes.subarray(0, first), at)
    if (first < keep) this.store.set(bytes.subarray(first, keep), 0)
  }

  /** Advance past messages that left the ring or whose bytes were overwritten. */
  private forgetOverwritten(): void {
    const firstByte = this.written - this.bytes
    while (this.oldestValid <= this.newest) {
      const s = this.oldestValid
      // Its slot was reused by a newer message.
      if (s <= this.newest - this.entries) {
        this.oldestValid++
        continue
      }
      // The store never wrapped: the bytes of every message still listed are there.
      if (firstByte <= 0 || this.meta[(s % this.entries) * FIELDS + START] >= firstByte) break
      this.oldestValid++
    }
  }

  get(seq: number): RecordedMessage | undefined {
    if (seq < this.oldestValid || seq > this.newest) return undefined
    const slot = seq % this.entries
    const m = this.meta
    const r = slot * FIELDS
    if (m[r + SEQ] !== seq) return undefined
    const keep = m[r + KEPT]
    const at = m[r + START] % this.bytes
    const data = Buffer.allocUnsafe(keep)
    const first = Math.min(keep, this.bytes - at)
    this.store.copy(data, 0, at, at + first)
    if (first < keep) this.store.copy(data, first, 0, keep - first)
    return {
      seq,
      t: m[r + TIME],
      connId: this.conns[slot]!,
      dir: m[r + DIR] === IN ? 'in' : 'out',
      data,
      size: m[r + SIZE],
    }
  }

  /** The connection of a message, without copying its bytes. */
  connOf(seq: number): string | undefined {
    if (seq < this.oldestValid || seq > this.newest) return undefined
    const slot = seq % this.entries
    return this.meta[slot * FIELDS + SEQ] === seq ? this.conns[slot] : undefined
  }

  /** Readable messages from `from` on (oldest first), optionally of one connection. */
  range(from: number, connId?: string): RecordedMessage[] {
    const out: RecordedMessage[] = []
    for (let s = Math.max(from, this.oldestValid); s <= this.newest; s++) {
      if (connId && this.connOf(s) !== connId) continue
      const m = this.get(s)
      if (m) out.push(m)
    }
    return out
  }
}
