// What the Capture view derives from the packet list: which connection each packet belongs to (for
// its colour), its phase as the engine sent it, and, per connection, the answer to the lab's question:
// the handshake packets, the texts, the teardown. Every fact is a field of the packet; the words come
// from @shared/ladder-words.

import type { CapturedPacket, Endpoint, PacketPhase } from '@shared/contract'
import { formatEndpoint } from '@shared/endpoint'

export type Phase = PacketPhase

export { PHASE_LABEL } from '@shared/ladder-words'

/** How many connection colours the list cycles through (`conn-c0` … in the CSS). */
export const CONN_COLOURS = 6

/** `127.0.0.1:5555`, `[::1]:5555`. */
export function endpoint(e: Endpoint): string {
  return formatEndpoint(e)
}

/** The same for both directions: tshark's stream index. */
export function connectionKey(p: Pick<CapturedPacket, 'stream' | 'src' | 'dst'>): string {
  if (p.stream >= 0) return `#${p.stream}`
  const a = formatEndpoint(p.src)
  const b = formatEndpoint(p.dst)
  return a < b ? `${a} ${b}` : `${b} ${a}`
}

/** The Traffic message a packet links to: the first one its payload carried. */
export function messageSeqOf(p: Pick<CapturedPacket, 'messages'>): number | undefined {
  return p.messages?.[0]?.seq
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
    return { p, key, colour, phase: p.phase }
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
  for (const { p, key, colour } of rows) {
    let c = byKey.get(key)
    if (!c) {
      c = { key, colour, handshake: [], data: [], teardown: [], reset: [], complete: false }
      byKey.set(key, c)
    }
    if (!c.client && p.from) {
      c.client = endpoint(p.from === 'client' ? p.src : p.dst)
      c.server = endpoint(p.from === 'client' ? p.dst : p.src)
    }
    if (p.phase === 'handshake') c.handshake.push(p)
    else if (p.phase === 'data') c.data.push(p)
    else if (p.phase === 'reset') c.reset.push(p)
    if (p.teardown) c.teardown.push(p)
  }
  for (const c of byKey.values()) {
    const steps = new Set(c.handshake.map((p) => p.step))
    c.complete = steps.has(1) && steps.has(2) && steps.has(3)
  }
  return [...byKey.values()]
}

/** Who sent a packet, in the lab's words: client or server (or its endpoint when the engine could not tell). */
export function sideOf(p: CapturedPacket): string {
  return p.from ?? endpoint(p.src)
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
