// The traffic log: the most recent messages, bounded both in count and in bytes. Recording a message
// copies its bytes into one preallocated buffer and fills a few typed-array slots, so the hot path
// allocates nothing and keeps no reference to the socket's chunks. Reading builds objects on demand.

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

function byteSize(data: Uint8Array | string): number {
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length
}

export class MessageRing {
  private readonly store: Buffer
  private readonly seqs: Float64Array
  private readonly times: Float64Array
  private readonly starts: Float64Array
  private readonly kept: Uint32Array
  private readonly sizes: Float64Array
  private readonly dirs: Uint8Array
  private readonly conns: (string | undefined)[]
  /** Bytes ever stored (a position in an endless stream; the store holds the last `bytes` of it). */
  private written = 0
  /** The newest sequence number recorded, and the oldest one still readable. */
  newest = 0
  private oldestValid = 1
  private readonly maxKept: number

  constructor(private readonly opts: RingOptions) {
    // Not zero-filled: only the bytes of recorded messages are ever read, and untouched pages cost no memory.
    this.store = Buffer.allocUnsafeSlow(opts.bytes)
    this.seqs = new Float64Array(opts.entries)
    this.times = new Float64Array(opts.entries)
    this.starts = new Float64Array(opts.entries)
    this.kept = new Uint32Array(opts.entries)
    this.sizes = new Float64Array(opts.entries)
    this.dirs = new Uint8Array(opts.entries)
    this.conns = new Array(opts.entries)
    // One message may use at most a quarter of the store, so a big one cannot wipe out the log.
    this.maxKept = Math.floor(opts.bytes / 4)
  }

  /** Messages that are no longer readable (the log is bounded). */
  get dropped(): number {
    return this.oldestValid - 1
  }

  /** `size` is the data's length in bytes, when the caller already knows it. */
  push(connId: string, dir: 'in' | 'out', data: Uint8Array | string, t: number, size = byteSize(data)): number {
    const seq = ++this.newest
    const slot = seq % this.opts.entries
    const keep = Math.min(size, this.maxKept)
    const start = this.written
    this.copyIn(data, keep, size)
    this.written += keep
    this.seqs[slot] = seq
    this.times[slot] = t
    this.starts[slot] = start
    this.kept[slot] = keep
    this.sizes[slot] = size
    this.dirs[slot] = dir === 'in' ? IN : OUT
    this.conns[slot] = connId
    this.forgetOverwritten()
    return seq
  }

  private copyIn(data: Uint8Array | string, keep: number, size: number): void {
    const at = this.written % this.opts.bytes
    const store = this.store
    if (keep === size && keep <= SMALL && at + keep <= this.opts.bytes) {
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
    if (typeof data === 'string' && keep === size && at + keep <= this.opts.bytes) {
      store.write(data, at, 'utf8')
      return
    }
    const bytes = typeof data === 'string' ? Buffer.from(data) : data
    const first = Math.min(keep, this.opts.bytes - at)
    this.store.set(bytes.subarray(0, first), at)
    if (first < keep) this.store.set(bytes.subarray(first, keep), 0)
  }

  /** Advance past messages that left the ring or whose bytes were overwritten. */
  private forgetOverwritten(): void {
    const firstByte = this.written - this.opts.bytes
    while (this.oldestValid <= this.newest) {
      const s = this.oldestValid
      const slot = s % this.opts.entries
      const gone = s <= this.newest - this.opts.entries || this.seqs[slot] !== s || this.starts[slot] < firstByte
      if (!gone) break
      this.oldestValid++
    }
  }

  get(seq: number): RecordedMessage | undefined {
    if (seq < this.oldestValid || seq > this.newest) return undefined
    const slot = seq % this.opts.entries
    if (this.seqs[slot] !== seq) return undefined
    const keep = this.kept[slot]
    const at = this.starts[slot] % this.opts.bytes
    const data = Buffer.allocUnsafe(keep)
    const first = Math.min(keep, this.opts.bytes - at)
    this.store.copy(data, 0, at, at + first)
    if (first < keep) this.store.copy(data, first, 0, keep - first)
    return {
      seq,
      t: this.times[slot],
      connId: this.conns[slot]!,
      dir: this.dirs[slot] === IN ? 'in' : 'out',
      data,
      size: this.sizes[slot],
    }
  }

  /** The connection of a message, without copying its bytes. */
  connOf(seq: number): string | undefined {
    if (seq < this.oldestValid || seq > this.newest) return undefined
    const slot = seq % this.opts.entries
    return this.seqs[slot] === seq ? this.conns[slot] : undefined
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
