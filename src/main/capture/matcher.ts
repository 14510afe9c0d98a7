// Which app-level messages (Traffic messages) each captured payload carried, found by endpoints and
// bytes, so a packet and its message point at each other. A payload sent by one of SocketLab's own
// connections is matched against that connection's sent messages (`out`, byte-exact, in order), so one
// message in one segment, several messages glued in one segment and one message over several segments
// all resolve; otherwise against the received messages (`in`) of the connection at the other end, whose
// end markers may have been dropped in framing. Also which SocketLab connections sit at either end.

import type { Endpoint } from '@shared/contract'
import { formatEndpoint, ipFamily } from '@shared/endpoint'
import type { RawPacket } from './fields'
import { plain } from './tracker'

/** What the matcher needs of the Recorder (which satisfies it as is). */
export interface MessageSource {
  recentMessages(
    connId?: string,
    fromSeq?: number,
  ): readonly { seq: number; t: number; connId: string; dir: 'in' | 'out'; data: Uint8Array; size?: number }[]
  connection(connId: string): { local: Endpoint | null; remote: Endpoint } | undefined
  /** Every connection still listed; read at most a few times a second, to find the connections of a packet. */
  allConnections?(): readonly { connId: string; local: Endpoint | null; remote: Endpoint }[]
}

interface Msg {
  seq: number
  data: Uint8Array
  size: number
}

/** The messages of one connection in one direction, and how far the captured bytes have got. */
interface Stream {
  msgs: Msg[]
  /** Exact bytes on the wire (our own sends) or frames as received (terminators may be left out). */
  exact: boolean
  /** Next unmatched byte: message seq (the first message with seq ≥ this) and offset inside it. */
  cursor: { seq: number; offset: number }
}

export interface Matched {
  /** The messages the payload carried, in order (a message split over segments is in each of them). */
  msgs: { seq: number; data: Uint8Array; size: number }[]
}

export type MatchResult = Matched | { wait: true } | null

function ep(address: string, port: number): string {
  return formatEndpoint({ address: plain(address), port })
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  if (needle.length === 0 || needle.length > hay.length) return -1
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(
    Buffer.from(needle.buffer, needle.byteOffset, needle.byteLength),
    from,
  )
}

function sameBytes(a: Uint8Array, aFrom: number, b: Uint8Array, bFrom: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (a[aFrom + k] !== b[bFrom + k]) return false
  return true
}

const INDEX_EVERY_MS = 250

export class MessageMatcher {
  private lastSeq: number
  /** connId → endpoints key `local remote`, once seen (null: not of the captured port). */
  private readonly connKey = new Map<string, string | null>()
  /** `local remote` → connId (the newest connection with those endpoints). */
  private readonly byEndpoints = new Map<string, string>()
  /** `connId in|out` → stream. */
  private readonly streams = new Map<string, Stream>()
  private readonly port?: number
  private readonly maxConnections: number
  private readonly maxMessages: number
  /** Every listed connection by `local remote`, rebuilt at most every INDEX_EVERY_MS when a lookup misses. */
  private index = new Map<string, string>()
  private indexedAt = -Infinity

  constructor(
    private readonly source: MessageSource,
    options: {
      /** Only connections with this local or remote port (the captured port). */
      port?: number
      /** Ignore messages up to this seq (recorded before the capture started). */
      afterSeq?: number
      maxConnections?: number
      maxMessagesPerStream?: number
    } = {},
  ) {
    this.port = options.port
    this.lastSeq = options.afterSeq ?? 0
    this.maxConnections = options.maxConnections ?? 20_000
    this.maxMessages = options.maxMessagesPerStream ?? 2_000
  }

  /** Take in the messages recorded since the last call. */
  refresh(): void {
    const all = this.source.recentMessages(undefined, this.lastSeq + 1)
    // The ring is oldest first: walk back to the first new one.
    let i = all.length
    while (i > 0 && all[i - 1].seq > this.lastSeq) i--
    for (; i < all.length; i++) {
      const m = all[i]
      this.lastSeq = m.seq
      if (m.data.length === 0 || !this.track(m.connId)) continue
      const key = `${m.connId} ${m.dir}`
      let s = this.streams.get(key)
      if (!s) {
        s = { msgs: [], exact: m.dir === 'out', cursor: { seq: 0, offset: 0 } }
        this.streams.set(key, s)
      }
      s.msgs.push({ seq: m.seq, data: m.data, size: m.size ?? m.data.length })
      if (s.msgs.length > this.maxMessages) s.msgs.splice(0, s.msgs.length - this.maxMessages)
    }
  }

  /** Is this connection one of the captured port's? Learns its endpoints the first time. */
  private track(connId: string): boolean {
    const known = this.connKey.get(connId)
    if (known !== undefined) return known !== null
    const conn = this.source.connection(connId)
    const local = conn?.local
    const remote = conn?.remote
    if (!local || !remote || (this.port !== undefined && local.port !== this.port && remote.port !== this.port)) {
      // Not ours, or not connected yet: decide again on its next message.
      if (conn && local && remote) this.connKey.set(connId, null)
      return false
    }
    const key = `${ep(local.address, local.port)} ${ep(remote.address, remote.port)}`
    this.connKey.set(connId, key)
    this.byEndpoints.set(key, connId)
    // A client given a host name (`localhost:5555`) is found by ports.
    if (ipFamily(plain(remote.address)) === 0) this.byEndpoints.set(`${ep(local.address, local.port)} *:${remote.port}`, connId)
    if (this.connKey.size > this.maxConnections) this.forget(this.connKey.keys().next().value as string)
    return true
  }

  private forget(connId: string): void {
    const key = this.connKey.get(connId)
    this.connKey.delete(connId)
    if (key && this.byEndpoints.get(key) === connId) this.byEndpoints.delete(key)
    this.streams.delete(`${connId} in`)
    this.streams.delete(`${connId} out`)
  }

  private connFor(local: string, remote: string, remotePort: number): string | undefined {
    return this.byEndpoints.get(`${local} ${remote}`) ?? this.byEndpoints.get(`${local} *:${remotePort}`)
  }

  /**
   * The SocketLab connections at either end of a packet (one per end that SocketLab runs), found by
   * endpoints; a connection that has sent nothing yet is found in the source's list.
   */
  connectionsOf(p: Pick<RawPacket, 'src' | 'dst' | 'srcPort' | 'dstPort'>): string[] {
    const src = ep(p.src, p.srcPort)
    const dst = ep(p.dst, p.dstPort)
    const ends = [
      [src, dst, p.dstPort],
      [dst, src, p.srcPort],
    ] as const
    const out: string[] = []
    for (const [local, remote, remotePort] of ends) {
      const id = this.connFor(local, remote, remotePort) ?? this.lookUp(`${local} ${remote}`)
      if (id && !out.includes(id)) out.push(id)
    }
    return out
  }

  private lookUp(key: string): string | undefined {
    const found = this.index.get(key)
    if (found || !this.source.allConnections) return found
    const now = Date.now()
    if (now - this.indexedAt < INDEX_EVERY_MS) return undefined
    this.indexedAt = now
    this.index = new Map()
    for (const c of this.source.allConnections()) {
      if (!c.local) continue
      if (this.port !== undefined && c.local.port !== this.port && c.remote.port !== this.port) continue
      this.index.set(`${ep(c.local.address, c.local.port)} ${ep(c.remote.address, c.remote.port)}`, c.connId)
    }
    return this.index.get(key)
  }

  /**
   * The messages this payload carried; `{ wait: true }` when a connection of ours fits but the message
   * may not be recorded yet (a received message is recorded once complete); null when nothing fits.
   */
  match(p: Pick<RawPacket, 'src' | 'dst' | 'srcPort' | 'dstPort' | 'payload'>): MatchResult {
    if (p.payload.length === 0) return null
    const src = ep(p.src, p.srcPort)
    const dst = ep(p.dst, p.dstPort)
    const sender = this.connFor(src, dst, p.dstPort)
    const receiver = this.connFor(dst, src, p.srcPort)
    let waiting = false
    for (const [connId, dir] of [
      [sender, 'out'],
      [receiver, 'in'],
    ] as const) {
      if (!connId) continue
      const s = this.streams.get(`${connId} ${dir}`)
      if (!s) {
        waiting = true
        continue
      }
      const r = matchStream(s, p.payload)
      if (r && 'msgs' in r) return r
      if (r) waiting = true
    }
    return waiting ? { wait: true } : null
  }
}

type Aligned = { end: { seq: number; offset: number }; last: number }

/** Where in the stream's messages (from message index i, offset off) the payload lines up byte for byte. */
function align(s: Stream, i: number, off: number, payload: Uint8Array): Aligned | 'short' | null {
  let pos = 0
  let j = i
  let o = off
  let last = i
  while (pos < payload.length) {
    if (j >= s.msgs.length) return 'short'
    const data = s.msgs[j].data
    const n = Math.min(data.length - o, payload.length - pos)
    if (!sameBytes(payload, pos, data, o, n)) return null
    last = j
    pos += n
    o += n
    if (o === data.length) {
      j++
      o = 0
    }
  }
  const end = j < s.msgs.length ? { seq: s.msgs[j].seq, offset: o } : { seq: s.msgs[j - 1].seq + 1, offset: 0 }
  return { end, last }
}

function carried(s: Stream, first: number, last: number): Matched {
  return { msgs: s.msgs.slice(first, last + 1) }
}

function matchStream(s: Stream, payload: Uint8Array): MatchResult {
  const msgs = s.msgs
  let i = msgs.findIndex((m) => m.seq >= s.cursor.seq)
  if (i < 0) i = msgs.length
  const off = i < msgs.length && msgs[i].seq === s.cursor.seq ? s.cursor.offset : 0
  let short = false

  // 1. Where the previous segment ended: the usual case, byte for byte.
  if (i < msgs.length) {
    const r = align(s, i, off, payload)
    if (r && r !== 'short') {
      s.cursor = r.end
      return carried(s, i, r.last)
    }
    if (r === 'short') short = true
  } else {
    short = true
  }
  // 2. From the start of a later message (segments the capture missed), or an earlier one (a
  //    retransmission, which does not move the cursor).
  for (let k = i + 1; k < msgs.length; k++) {
    const r = align(s, k, 0, payload)
    if (r && r !== 'short') {
      s.cursor = r.end
      return carried(s, k, r.last)
    }
  }
  for (let k = Math.min(i, msgs.length) - 1; k >= 0 && k >= i - 50; k--) {
    const r = align(s, k, 0, payload)
    if (r && r !== 'short') return carried(s, k, r.last)
  }
  // 3. Received messages lose their end markers (a newline) in framing: the segment contains the
  //    message, or a long message contains the segment.
  if (!s.exact || !short) {
    const after = (k: number): { seq: number; offset: number } =>
      k + 1 < msgs.length ? { seq: msgs[k + 1].seq, offset: 0 } : { seq: msgs[k].seq + 1, offset: 0 }
    for (let k = i; k < msgs.length; k++) {
      const m = msgs[k]
      const partly = k === i && off > 0
      const whole = partly ? -1 : indexOfBytes(payload, m.data)
      if (whole >= 0) {
        // The segment holds this message, maybe the next ones too.
        let last = k
        let from = whole + m.data.length
        while (last + 1 < msgs.length) {
          const at = indexOfBytes(payload, msgs[last + 1].data, from)
          if (at < 0) break
          from = at + msgs[last + 1].data.length
          last++
        }
        s.cursor = after(last)
        return carried(s, k, last)
      }
      const at = indexOfBytes(m.data, payload, partly ? off : 0)
      if (at >= 0) {
        // One piece of a long message.
        const end = at + payload.length
        s.cursor = end < m.data.length ? { seq: m.seq, offset: end } : after(k)
        return carried(s, k, k)
      }
    }
  }
  return short || !s.exact ? { wait: true } : null
}
