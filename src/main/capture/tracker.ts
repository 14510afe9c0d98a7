// The life of each TCP connection in a capture, as the lab names it: the three-way handshake (SYN,
// SYN/ACK, ACK), data, bare ACKs, the teardown (each side's FIN and its ACK), an abort (RST), and a
// segment sent again. Which side is the client is learnt from the SYN (or, for a capture started
// mid-connection, from the exercise port). Retransmissions are tshark's own TCP analysis; a SYN sent
// again with the same initial sequence number is one too, not a new connection. Pure: facts in, facts out.

import type { PacketPhase, Side, TeardownStep } from '@shared/contract'
import { formatEndpoint } from '@shared/endpoint'
import type { RawPacket } from './fields'

export const FIN = 0x001
export const SYN = 0x002
export const RST = 0x004
export const PSH = 0x008
export const ACK = 0x010

/** What the tracker says of one packet. */
export interface PacketLife {
  phase: PacketPhase
  step?: 1 | 2 | 3
  teardown?: TeardownStep
  from?: Side
}

interface ConnLife {
  /** The endpoint that sent the SYN (the client), when the capture saw it. */
  client?: string
  /** The SYN's raw sequence number: the same again is that SYN retransmitted. */
  synSeq?: number
  state: 'syn' | 'synack' | 'open' | 'reset'
  /** Endpoints that have sent a FIN, in order. */
  fins: string[]
}

type Facts = Pick<RawPacket, 'src' | 'dst' | 'srcPort' | 'dstPort' | 'flags' | 'len' | 'stream' | 'rawSeq' | 'retransmission'>

function endpointOf(address: string, port: number): string {
  return formatEndpoint({ address: plain(address), port })
}

/** tshark's address spellings as the endpoint module expects them (no brackets, no zone). */
export function plain(address: string): string {
  let a = address.trim().toLowerCase()
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1)
  const pct = a.indexOf('%')
  if (pct > 0) a = a.slice(0, pct)
  return a
}

/** Key of a connection: tshark's stream index, else its two endpoints in sorted order. */
export function connectionKey(p: Pick<RawPacket, 'src' | 'dst' | 'srcPort' | 'dstPort' | 'stream'>): string {
  if (p.stream >= 0) return `#${p.stream}`
  const a = endpointOf(p.src, p.srcPort)
  const b = endpointOf(p.dst, p.dstPort)
  return a < b ? `${a} ${b}` : `${b} ${a}`
}

export class ConnectionTracker {
  private readonly conns = new Map<string, ConnLife>()

  /** @param serverPort the exercise port: tells client from server when the capture missed the SYN. */
  constructor(
    private readonly serverPort?: number,
    private readonly maxConnections = 20_000,
  ) {}

  life(p: Facts): PacketLife {
    const key = connectionKey(p)
    const from = endpointOf(p.src, p.srcPort)
    const f = p.flags
    let life = this.conns.get(key)

    if (f & SYN && !(f & ACK)) {
      const again = life && life.state !== 'open' && life.state !== 'reset' && life.synSeq === p.rawSeq
      if (again || (life && p.retransmission)) return { phase: 'retransmission', from: 'client' }
      // A new connection on this 4-tuple (or stream) starts its life over.
      this.conns.delete(key)
      this.remember(key, { client: from, synSeq: p.rawSeq, state: 'syn', fins: [] })
      return { phase: 'handshake', step: 1, from: 'client' }
    }
    if (f & SYN) {
      if (!life) {
        // The capture missed the SYN: the SYN/ACK still says who the client is.
        this.remember(key, { client: endpointOf(p.dst, p.dstPort), state: 'synack', fins: [] })
        return { phase: 'handshake', step: 2, from: 'server' }
      }
      if (life.state === 'synack' || p.retransmission) return { phase: 'retransmission', from: 'server' }
      life.state = 'synack'
      return { phase: 'handshake', step: 2, from: 'server' }
    }
    if (!life) life = this.remember(key, { state: 'open', fins: [] })
    const side = this.side(life, p)
    const sideField = side ? { from: side } : {}
    if (f & RST) {
      life.state = 'reset'
      return { phase: 'reset', ...sideField }
    }

    const data = p.len > 0
    let teardown: TeardownStep | undefined
    if (f & FIN) {
      if (!life.fins.includes(from)) life.fins.push(from)
      teardown = 'fin'
    } else if (!data && life.fins.length === 1 && life.fins[0] !== from) teardown = 'ack-of-fin'
    else if (!data && life.fins.length === 2 && life.fins[0] === from) teardown = 'last-ack'
    const tear = teardown ? { teardown } : {}

    if (p.retransmission) return { phase: 'retransmission', ...sideField, ...tear }
    if (life.state === 'synack' && (data || (f & ACK && life.client === from))) {
      life.state = 'open'
      if (!data && !(f & FIN)) return { phase: 'handshake', step: 3, ...sideField }
    }
    if (data) return { phase: 'data', ...sideField, ...tear }
    if (teardown) return { phase: 'teardown', ...sideField, ...tear }
    return { phase: 'ack', ...sideField }
  }

  private side(life: ConnLife, p: Pick<RawPacket, 'src' | 'srcPort' | 'dstPort'>): Side | undefined {
    if (life.client) return life.client === endpointOf(p.src, p.srcPort) ? 'client' : 'server'
    if (this.serverPort !== undefined && p.srcPort !== p.dstPort) {
      if (p.srcPort === this.serverPort) return 'server'
      if (p.dstPort === this.serverPort) return 'client'
    }
    return undefined
  }

  private remember(key: string, life: ConnLife): ConnLife {
    this.conns.set(key, life)
    if (this.conns.size > this.maxConnections) this.conns.delete(this.conns.keys().next().value as string)
    return life
  }
}
