// What the Capture view derives from the packet list: which connection each packet belongs to (for
// its colour), what phase of that connection's life it is (handshake, data, teardown), and, per
// connection, the answer to the lab's question — the handshake packets, the texts, the teardown.

import type { CapturedPacket } from '@shared/contract'

export type Phase = 'handshake' | 'data' | 'teardown' | 'reset' | 'ack'

/** How many connection colours the list cycles through (`conn-c0` … in the CSS). */
export const CONN_COLOURS = 6

/** `127.0.0.1:5555`, `[::1]:5555`. */
export function endpoint(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`
}

/** The same for both directions: the two endpoints in sorted order. */
export function connectionKey(p: Pick<CapturedPacket, 'src' | 'dst' | 'srcPort' | 'dstPort'>): string {
  const a = endpoint(p.src, p.srcPort)
  const b = endpoint(p.dst, p.dstPort)
  return a < b ? `${a} ${b}` : `${b} ${a}`
}

/** The engine's note (`handshake 2/3 (SYN/ACK)`, `data + teardown (FIN from client)`, …) → its phase. */
export function phaseOf(p: Pick<CapturedPacket, 'note' | 'flags' | 'len'>): Phase {
  const note = p.note ?? ''
  if (note.startsWith('handshake')) return 'handshake'
  if (note.includes('teardown')) return note.startsWith('data') ? 'data' : 'teardown'
  if (note === 'reset' || /\bRST\b/.test(p.flags)) return 'reset'
  if (note === 'data' || p.len > 0) return 'data'
  return 'ack'
}

export const PHASE_LABEL: Record<Phase, string> = {
  handshake: 'Handshake',
  data: 'Data',
  teardown: 'Teardown',
  reset: 'Reset',
  ack: 'ACK',
}

/** The note without the phase's own word: `handshake 1/3 (SYN)` → `1/3 (SYN)`, `teardown (FIN from server)` → `FIN from server`. */
export function noteDetail(note: string | undefined): string {
  if (!note) return ''
  const m = /^handshake\s+(.*)$/.exec(note)
  if (m) return m[1]
  const t = /^(data \+ )?teardown \((.*)\)$/.exec(note)
  if (t) return t[1] ? `+ ${t[2]}` : t[2]
  if (note === 'data' || note === 'reset' || note === 'ack') return ''
  return note
}

export interface PacketRow {
  p: CapturedPacket
  key: string
  /** The connection's colour: 0 … CONN_COLOURS-1, by order of appearance. */
  colour: number
  phase: Phase
}

/** Every packet with its connection colour and phase (one pass; the list is bounded). */
export function packetRows(packets: readonly CapturedPacket[]): PacketRow[] {
  const colours = new Map<string, number>()
  return packets.map((p) => {
    const key = connectionKey(p)
    let colour = colours.get(key)
    if (colour === undefined) colours.set(key, (colour = colours.size % CONN_COLOURS))
    return { p, key, colour, phase: phaseOf(p) }
  })
}

export interface ConnectionStory {
  key: string
  colour: number
  /** The side that sent the SYN, when the capture saw it. */
  client?: string
  server?: string
  handshake: CapturedPacket[]
  data: CapturedPacket[]
  teardown: CapturedPacket[]
  reset: CapturedPacket[]
  /** The handshake's three packets are all there. */
  complete: boolean
}

/** Each connection in the capture, in order of appearance, told as the lab asks. */
export function connectionStories(rows: readonly PacketRow[]): ConnectionStory[] {
  const byKey = new Map<string, ConnectionStory>()
  for (const { p, key, colour, phase } of rows) {
    let c = byKey.get(key)
    if (!c) {
      c = { key, colour, handshake: [], data: [], teardown: [], reset: [], complete: false }
      byKey.set(key, c)
    }
    if (p.note?.startsWith('handshake 1/3')) {
      // A SYN: the client speaks first.
      c.client = endpoint(p.src, p.srcPort)
      c.server = endpoint(p.dst, p.dstPort)
    }
    if (phase === 'handshake') c.handshake.push(p)
    else if (phase === 'data') {
      c.data.push(p)
      if (p.note?.includes('teardown')) c.teardown.push(p)
    } else if (phase === 'teardown') c.teardown.push(p)
    else if (phase === 'reset') c.reset.push(p)
  }
  for (const c of byKey.values()) {
    const notes = new Set(c.handshake.map((p) => p.note?.slice(0, 13)))
    c.complete = notes.has('handshake 1/3') && notes.has('handshake 2/3') && notes.has('handshake 3/3')
  }
  return [...byKey.values()]
}

/** Who sent a packet, in the lab's words: client or server (or its endpoint when the SYN was missed). */
export function sideOf(c: Pick<ConnectionStory, 'client' | 'server'>, p: CapturedPacket, port?: number): string {
  const from = endpoint(p.src, p.srcPort)
  if (c.client) return from === c.client ? 'client' : 'server'
  if (port !== undefined) {
    if (p.srcPort === port) return 'server'
    if (p.dstPort === port) return 'client'
  }
  return from
}

/** Seconds since the first packet, as Wireshark's Time column: `0.000123`. */
export function relativeTime(t: number, t0: number): string {
  return ((t - t0) / 1000).toFixed(6)
}

/** base64 → bytes, for a download. */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}
