// What each captured packet means, in the words of the lab: the flags in words, the payload as text,
// where the packet sits in the life of its connection (handshake 1/3 … teardown), and which message of
// the Traffic view it carried. Pure: tshark parses the packets, this file only explains them.

import type { CapturedPacket, Endpoint } from '@shared/contract'

/** One packet as tshark reports it, before any explanation. */
/** A packet as tshark prints it: the contract's CapturedPacket before its flags and payload are put in words. */
export interface RawPacket extends Omit<CapturedPacket, 'flags' | 'payload' | 'note' | 'messageSeq'> {
  /** The TCP flag bits (tcp.flags). */
  flags: number
  payload: Uint8Array
}

// ---------- flags ----------

const FLAG_NAMES: [number, string][] = [
  [0x001, 'FIN'],
  [0x002, 'SYN'],
  [0x004, 'RST'],
  [0x008, 'PSH'],
  [0x010, 'ACK'],
  [0x020, 'URG'],
  [0x040, 'ECE'],
  [0x080, 'CWR'],
  [0x100, 'AE'],
]

export const FIN = 0x001
export const SYN = 0x002
export const RST = 0x004
export const PSH = 0x008
export const ACK = 0x010

/** `0x0012` or 18 → `SYN/ACK`; in Wireshark's order (FIN, SYN, RST, PSH, ACK, URG, ECE, CWR). */
export function flagsInWords(flags: string | number): string {
  const n = typeof flags === 'number' ? flags : parseFlags(flags)
  if (!Number.isFinite(n) || n < 0) return '?'
  const names = FLAG_NAMES.filter(([bit]) => (n & bit) !== 0).map(([, name]) => name)
  return names.length ? names.join('/') : 'none'
}

/** `0x0018` → 24; anything unreadable → NaN. */
export function parseFlags(text: string): number {
  const t = text.trim()
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t.slice(2), 16)
  if (/^\d+$/.test(t)) return Number(t)
  return NaN
}

// ---------- payload ----------

/** `54:68:61`, `546861` or `54 68 61` → bytes. Stops at the first character that is not hex. */
export function hexToBytes(hex: string): Uint8Array {
  const clean = hex.replace(/[\s:]/g, '')
  const n = Math.floor(clean.length / 2)
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const v = parseInt(clean.slice(2 * i, 2 * i + 2), 16)
    if (Number.isNaN(v)) return out.subarray(0, i)
    out[i] = v
  }
  return out
}

const ESCAPES: Record<number, string> = { 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x5c: '\\\\' }

/**
 * The payload as readable text: printable ASCII and valid UTF-8 as is, newline/return/tab as `\n`,
 * `\r`, `\t`, a backslash as `\\`, any other byte as `\xNN`. At most `max` bytes, then `…`.
 */
export function payloadText(bytes: Uint8Array, max = 2048): string {
  const end = Math.min(bytes.length, max)
  let out = ''
  let i = 0
  while (i < end) {
    const b = bytes[i]
    if (b >= 0x20 && b < 0x7f && b !== 0x5c) {
      out += String.fromCharCode(b)
      i++
      continue
    }
    if (ESCAPES[b]) {
      out += ESCAPES[b]
      i++
      continue
    }
    const n = utf8Length(bytes, i, end)
    if (n > 1) {
      const ch = Buffer.from(bytes.buffer, bytes.byteOffset + i, n).toString('utf8')
      // Printable letters only; invisible or control code points still show as bytes.
      if (/^[\p{L}\p{N}\p{P}\p{S}\p{Zs}]$/u.test(ch)) {
        out += ch
        i += n
        continue
      }
    }
    out += `\\x${b.toString(16).padStart(2, '0')}`
    i++
  }
  if (bytes.length > max) out += '…'
  return out
}

/** Length of the valid UTF-8 multi-byte sequence at i (within end), or 0. */
function utf8Length(bytes: Uint8Array, i: number, end: number): number {
  const b = bytes[i]
  const n = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0
  if (!n || i + n > end) return 0
  for (let k = 1; k < n; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return 0
  // Overlong and surrogate forms are not valid UTF-8.
  if (b === 0xe0 && bytes[i + 1] < 0xa0) return 0
  if (b === 0xed && bytes[i + 1] >= 0xa0) return 0
  if (b === 0xf0 && bytes[i + 1] < 0x90) return 0
  if (b === 0xf4 && bytes[i + 1] >= 0x90) return 0
  return n
}

// ---------- endpoints ----------

/** `127.0.0.1:5555`, `[::1]:5555`; IPv4-mapped IPv6 shown as IPv4, like the Connections view. */
export function endpoint(address: string, port: number): string {
  const a = normalAddress(address)
  return a.includes(':') ? `[${a}]:${port}` : `${a}:${port}`
}

function normalAddress(address: string): string {
  let a = address.trim().toLowerCase()
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1)
  const pct = a.indexOf('%')
  if (pct > 0) a = a.slice(0, pct)
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/.test(a)) a = a.slice(7)
  return a
}

/** `127.0.0.1:5555` / `[::1]:5555` / `localhost:5555` → address and port, or null. */
export function parseEndpoint(text: string): { address: string; port: number } | null {
  const m = /^\[(.*)\]:(\d+)$/.exec(text) ?? /^([^:]*):(\d+)$/.exec(text)
  if (!m) return null
  return { address: normalAddress(m[1]), port: Number(m[2]) }
}

// ---------- connection life: handshake, data, teardown ----------

interface ConnLife {
  /** The side that sent the SYN (the client), when the capture saw it. */
  client?: string
  phase: 'syn' | 'synack' | 'open' | 'reset'
  /** Endpoints that have sent a FIN, in order. */
  fins: string[]
}

export const NOTE = {
  syn: 'handshake 1/3 (SYN)',
  synAck: 'handshake 2/3 (SYN/ACK)',
  ack3: 'handshake 3/3 (ACK)',
  data: 'data',
  ack: 'ack',
  finAck: 'teardown (ACK of FIN)',
  lastAck: 'teardown (last ACK)',
  reset: 'reset',
} as const

/** Key of a connection, the same both ways: its two endpoints in sorted order. */
export function connectionKey(p: Pick<RawPacket, 'src' | 'dst' | 'srcPort' | 'dstPort'>): string {
  const a = endpoint(p.src, p.srcPort)
  const b = endpoint(p.dst, p.dstPort)
  return a < b ? `${a} ${b}` : `${b} ${a}`
}

/**
 * Follows every connection (4-tuple) through the capture and names what each packet is in its life:
 * `handshake 1/3 (SYN)`, `handshake 2/3 (SYN/ACK)`, `handshake 3/3 (ACK)`, `data`, `ack`,
 * `teardown (FIN from server)`, `teardown (ACK of FIN)`, `teardown (FIN from client)`,
 * `teardown (last ACK)`, `reset`.
 */
export class ConnectionTracker {
  private readonly conns = new Map<string, ConnLife>()

  /** @param serverPort the exercise port: tells client from server when the capture missed the SYN. */
  constructor(
    private readonly serverPort?: number,
    private readonly maxConnections = 20_000,
  ) {}

  note(p: Pick<RawPacket, 'src' | 'dst' | 'srcPort' | 'dstPort' | 'flags' | 'len'>): string {
    const key = connectionKey(p)
    const from = endpoint(p.src, p.srcPort)
    const f = p.flags
    let life = this.conns.get(key)

    if (f & RST) {
      if (life) life.phase = 'reset'
      return NOTE.reset
    }
    if (f & SYN && !(f & ACK)) {
      // A new connection (or a retried SYN) on this 4-tuple starts its life over.
      this.conns.delete(key)
      this.remember(key, { client: from, phase: 'syn', fins: [] })
      return NOTE.syn
    }
    if (f & SYN) {
      if (!life || life.phase === 'syn') {
        life ??= this.remember(key, { client: endpoint(p.dst, p.dstPort), phase: 'synack', fins: [] })
        life.phase = 'synack'
      }
      return NOTE.synAck
    }
    if (!life) life = this.remember(key, { phase: 'open', fins: [] })

    const data = p.len > 0
    if (life.phase === 'synack' && (data || (f & ACK && life.client === from))) {
      life.phase = 'open'
      if (!data && !(f & FIN)) return NOTE.ack3
    }
    if (f & FIN) {
      if (!life.fins.includes(from)) life.fins.push(from)
      const note = `teardown (FIN from ${this.side(life, p)})`
      return data ? `data + ${note}` : note
    }
    if (data) return NOTE.data
    if (life.fins.length === 1 && life.fins[0] !== from) return NOTE.finAck
    if (life.fins.length === 2 && life.fins[0] === from) return NOTE.lastAck
    return NOTE.ack
  }

  private side(life: ConnLife, p: Pick<RawPacket, 'src' | 'srcPort' | 'dstPort'>): string {
    const from = endpoint(p.src, p.srcPort)
    if (life.client) return life.client === from ? 'client' : 'server'
    if (this.serverPort !== undefined) {
      if (p.srcPort === this.serverPort) return 'server'
      if (p.dstPort === this.serverPort) return 'client'
    }
    return from
  }

  private remember(key: string, life: ConnLife): ConnLife {
    this.conns.set(key, life)
    if (this.conns.size > this.maxConnections) this.conns.delete(this.conns.keys().next().value as string)
    return life
  }
}

// ---------- matching payloads to Traffic messages ----------

/** What the matcher needs of the Recorder (which satisfies it as is). */
export interface MessageSource {
  recentMessages(
    connId?: string,
    fromSeq?: number,
  ): readonly { seq: number; t: number; connId: string; dir: 'in' | 'out'; data: Uint8Array }[]
  connection(connId: string): { local: Endpoint | null; remote: Endpoint } | undefined
}

interface Msg {
  seq: number
  data: Uint8Array
}

/** The messages of one connection in one direction, and how far the captured bytes have got. */
interface Stream {
  msgs: Msg[]
  /** Exact bytes on the wire (our own sends) or frames as received (terminators may be left out). */
  exact: boolean
  /** Next unmatched byte: message seq (the first message with seq ≥ this) and offset inside it. */
  cursor: { seq: number; offset: number }
}

export type MatchResult = { seq: number } | { wait: true } | null

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

/**
 * Finds which app-level message (TrafficMessage.seq) each captured payload carried, by endpoints and
 * bytes. A payload sent by one of SocketLab's own connections is matched against that connection's
 * sent messages (`out`, byte-exact, in order), so one message in one segment, several messages in
 * one segment and one message over several segments all resolve; otherwise against the received
 * messages (`in`) of the connection at the other end. The segment gets the seq of the message its
 * first byte belongs to.
 */
export class MessageMatcher {
  private lastSeq: number
  /** connId → endpoints key `local remote`, once seen. */
  private readonly connKey = new Map<string, string | null>()
  /** `local remote` → connId (the newest connection with those endpoints). */
  private readonly byEndpoints = new Map<string, string>()
  /** `connId in|out` → stream. */
  private readonly streams = new Map<string, Stream>()

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

  private readonly port?: number
  private readonly maxConnections: number
  private readonly maxMessages: number

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
      s.msgs.push({ seq: m.seq, data: m.data })
      if (s.msgs.length > this.maxMessages) s.msgs.splice(0, s.msgs.length - this.maxMessages)
    }
  }

  /** Is this connection one of the captured port's? Learns its endpoints the first time. */
  private track(connId: string): boolean {
    const known = this.connKey.get(connId)
    if (known !== undefined) return known !== null
    const conn = this.source.connection(connId)
    const local = conn?.local && { address: normalAddress(conn.local.address), port: conn.local.port }
    const remote = conn && { address: normalAddress(conn.remote.address), port: conn.remote.port }
    if (!local || !remote || (this.port !== undefined && local.port !== this.port && remote.port !== this.port)) {
      // Not ours, or not connected yet: decide again on its next message.
      if (conn && local && remote) this.connKey.set(connId, null)
      return false
    }
    const key = `${endpoint(local.address, local.port)} ${endpoint(remote.address, remote.port)}`
    this.connKey.set(connId, key)
    this.byEndpoints.set(key, connId)
    // A client given a host name (`localhost:5555`) is found by ports.
    if (!isIpLiteral(remote.address)) this.byEndpoints.set(`${endpoint(local.address, local.port)} *:${remote.port}`, connId)
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
   * The message this payload carried: `{ seq }`; `{ wait: true }` when a connection of ours fits but
   * the message may not be recorded yet (a received message is recorded once complete); null when
   * nothing fits.
   */
  match(p: Pick<RawPacket, 'src' | 'dst' | 'srcPort' | 'dstPort' | 'payload'>): MatchResult {
    if (p.payload.length === 0) return null
    const src = endpoint(p.src, p.srcPort)
    const dst = endpoint(p.dst, p.dstPort)
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
      if (r && 'seq' in r) return r
      if (r) waiting = true
    }
    return waiting ? { wait: true } : null
  }
}

function isIpLiteral(a: string): boolean {
  return /^[\d.]+$/.test(a) || a.includes(':')
}

/** Where in the stream's messages (from message index i, offset off) the payload lines up. */
function align(
  s: Stream,
  i: number,
  off: number,
  payload: Uint8Array,
): { end: { seq: number; offset: number } } | 'short' | null {
  let pos = 0
  let j = i
  let o = off
  while (pos < payload.length) {
    if (j >= s.msgs.length) return 'short'
    const data = s.msgs[j].data
    const n = Math.min(data.length - o, payload.length - pos)
    if (!sameBytes(payload, pos, data, o, n)) return null
    pos += n
    o += n
    if (o === data.length) {
      j++
      o = 0
    }
  }
  return { end: j < s.msgs.length ? { seq: s.msgs[j].seq, offset: o } : { seq: s.msgs[j - 1].seq + 1, offset: 0 } }
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
      return { seq: msgs[i].seq }
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
      return { seq: msgs[k].seq }
    }
  }
  for (let k = Math.min(i, msgs.length) - 1; k >= 0 && k >= i - 50; k--) {
    const r = align(s, k, 0, payload)
    if (r && r !== 'short') return { seq: msgs[k].seq }
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
        return { seq: m.seq }
      }
      const at = indexOfBytes(m.data, payload, partly ? off : 0)
      if (at >= 0) {
        // One piece of a long message.
        const end = at + payload.length
        s.cursor = end < m.data.length ? { seq: m.seq, offset: end } : after(k)
        return { seq: m.seq }
      }
    }
  }
  return short || !s.exact ? { wait: true } : null
}

// ---------- one packet, explained ----------

export function toCapturedPacket(raw: RawPacket, note: string, messageSeq?: number, maxPayload = 2048): CapturedPacket {
  return {
    no: raw.no,
    t: raw.t,
    src: normalAddress(raw.src),
    dst: normalAddress(raw.dst),
    srcPort: raw.srcPort,
    dstPort: raw.dstPort,
    flags: flagsInWords(raw.flags),
    seq: raw.seq,
    ack: raw.ack,
    len: raw.len,
    payload: payloadText(raw.payload, maxPayload),
    note,
    ...(messageSeq !== undefined ? { messageSeq } : {}),
  }
}

/**
 * One line of the terminal's packet list:
 * `  0.000123  127.0.0.1:40001 → 127.0.0.1:12345  SYN/ACK   seq=0 ack=1 len=0   handshake 2/3 (SYN/ACK)`
 * @param t0 time of the first packet (ms), for Wireshark's relative time column.
 */
export function packetLine(p: CapturedPacket, t0: number): string {
  const time = ((p.t - t0) / 1000).toFixed(6).padStart(10)
  const route = `${endpoint(p.src, p.srcPort)} → ${endpoint(p.dst, p.dstPort)}`
  const numbers = `seq=${p.seq} ack=${p.ack} len=${p.len}`
  const text = p.payload ? `  "${p.payload}"` : ''
  return `${String(p.no).padStart(5)} ${time}  ${route.padEnd(45)} ${p.flags.padEnd(11)} ${numbers.padEnd(28)} ${p.note ?? ''}${text}`
}
