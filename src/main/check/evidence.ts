// The evidence of a check: every byte sent and received, chunk by chunk as the socket delivered it,
// every connection event and the program's output, each stamped with the time since the report began.
// A check's result carries the entries of the connections it used, so a student sees exactly what their
// program sent (text and hex) beside the verdict. Bounded: a flooding program cannot grow a report.

import type { CheckEventKind, CheckEvidence, Endpoint, Received } from '@shared/contract'

/** Bytes of one entry shown as text and hex (the real size is kept). */
const PREVIEW_BYTES = 2048
/** Entries kept per connection; the rest are counted. */
const MAX_PER_CONN = 300

export function received(data: Uint8Array): Received {
  const shown = data.length > PREVIEW_BYTES ? data.subarray(0, PREVIEW_BYTES) : data
  const buf = Buffer.from(shown.buffer, shown.byteOffset, shown.byteLength)
  const hex = buf.toString('hex')
  let spaced = ''
  for (let i = 0; i < hex.length; i += 2) spaced += (i ? ' ' : '') + hex.slice(i, i + 2)
  return { text: buf.toString('utf8'), hex: spaced, size: data.length }
}

export class EvidenceLog {
  private readonly entries: CheckEvidence[] = []
  private readonly perConn = new Map<number, number>()
  private nextConn = 1
  /** Entries left out because a connection had too many. */
  dropped = 0

  constructor(readonly startedAt: number = Date.now()) {}

  /** A fresh connection number for this report. */
  newConn(): number {
    return this.nextConn++
  }

  private push(entry: CheckEvidence): void {
    const n = this.perConn.get(entry.conn) ?? 0
    if (n >= MAX_PER_CONN) {
      this.dropped++
      return
    }
    this.perConn.set(entry.conn, n + 1)
    this.entries.push(entry)
  }

  private now(): number {
    return Date.now() - this.startedAt
  }

  bytes(conn: number, dir: 'out' | 'in' | 'stdin' | 'stdout' | 'stderr', data: Uint8Array): void {
    this.push({ t: this.now(), conn, dir, data: received(data) })
  }

  event(conn: number, event: CheckEventKind, extra: { local?: Endpoint; remote?: Endpoint; code?: string } = {}): void {
    this.push({ t: this.now(), conn, dir: 'event', event, ...extra })
  }

  /** The entries of these connections (or program instances), in time order. */
  of(conns: Iterable<number>, dirs?: readonly CheckEvidence['dir'][]): CheckEvidence[] {
    const want = new Set(conns)
    return this.entries.filter((e) => want.has(e.conn) && (!dirs || dirs.includes(e.dir)))
  }

  all(): CheckEvidence[] {
    return [...this.entries]
  }
}
