// The ladder diagram of a TCP connection, as a model: a client lane and a server lane, each TCP segment
// an arrow (flags, length, seq/ack, the text it carried), the student's socket calls on their lanes
// (`connect()` leaving as the SYN, `accept()` returning after the third packet, `send()`/`recv()` with
// their bytes, `close()` as the FIN), and the handshake, the teardown and a reset bracketed. Built from
// structured facts only: captured packets (tshark), or, where tshark cannot run, the app's own socket
// events, in which case the model says so and its segments are the ones the calls cause. Pure, no Node:
// the renderer, the SVG writer, the answer sheet and the CLI all draw from this one model.

import type {
  CapturedPacket,
  ConnectionInfo,
  Endpoint,
  PacketPhase,
  Side,
  TcpFlag,
  TeardownStep,
  TrafficMessage,
} from './contract'
import { formatEndpoint } from './endpoint'

export type Lane = Side

export interface LadderArrow {
  /** Its index in `arrows`. */
  index: number
  from: Lane
  t: number
  /** The frame number in the capture; absent when drawn from socket events. */
  no?: number
  flags: TcpFlag[]
  len: number
  /** Relative numbers, as Wireshark shows them; absent when drawn from socket events. */
  seq?: number
  ack?: number
  phase: PacketPhase
  step?: 1 | 2 | 3
  teardown?: TeardownStep
  /** The text on the arrow: the payload as captured (escaped), or the message as sent. */
  text?: string
  /** The payload is longer than `text`. */
  textCut?: boolean
  /** The Traffic messages (TrafficMessage.seq) it carried. */
  messages: number[]
  /** A retransmission: the frame it sends again, when known. */
  retransmits?: number
  /** Drawn from socket events: the segment the call causes, not one seen on the wire. */
  inferred?: true
}

export type SocketCall = 'connect' | 'accept' | 'send' | 'recv' | 'close'

export interface LadderCall {
  lane: Lane
  call: SocketCall
  /** The arrow the call sends (`at: 'start'`) or returns on (`at: 'end'`). */
  arrow: number
  at: 'start' | 'end'
  /** send()/recv(): the bytes; 0 is recv() returning b'' because the peer closed. */
  bytes?: number
}

export type BracketKind = 'handshake' | 'teardown' | 'reset'

export interface LadderBracket {
  kind: BracketKind
  /** First and last arrow (indices) inside the bracket. */
  first: number
  last: number
  /** Handshake: all three packets; teardown: both FINs and the last ACK. */
  complete: boolean
}

export interface Ladder {
  source: 'capture' | 'socket-events'
  /** tshark's stream index (capture). */
  stream?: number
  client?: Endpoint
  server?: Endpoint
  arrows: LadderArrow[]
  calls: LadderCall[]
  brackets: LadderBracket[]
  /** The SocketLab connections at either end. */
  connIds: string[]
  /** Socket events: who closed first was not known, so the FINs are drawn client first. */
  closeOrderUnknown?: true
  /** Socket events: it ended with no FIN or RST to draw: TCP gave up on a silent peer, or a socket error. */
  endedWithout?: 'timeout' | 'error'
}

// ---------- from captured packets ----------

function streamKey(p: CapturedPacket): string {
  if (p.stream >= 0) return `#${p.stream}`
  const a = formatEndpoint(p.src)
  const b = formatEndpoint(p.dst)
  return a < b ? `${a} ${b}` : `${b} ${a}`
}

function sameEndpoint(a: Endpoint | undefined, b: Endpoint): boolean {
  return !!a && a.port === b.port && a.address === b.address
}

/**
 * One ladder per connection in the capture, in order of appearance (at most `max`).
 * @param port the exercise port: tells the lanes apart when the capture missed the SYN.
 */
export function laddersFromPackets(packets: readonly CapturedPacket[], options: { port?: number; max?: number } = {}): Ladder[] {
  const groups = new Map<string, CapturedPacket[]>()
  for (const p of packets) {
    const key = streamKey(p)
    let g = groups.get(key)
    if (!g) {
      if (options.max !== undefined && groups.size >= options.max) continue
      groups.set(key, (g = []))
    }
    g.push(p)
  }
  return [...groups.values()].map((g) => ladderFromPackets(g, options.port))
}

/** The ladder of one connection's packets (all of one stream). */
export function ladderFromPackets(packets: readonly CapturedPacket[], port?: number): Ladder {
  let client: Endpoint | undefined
  let server: Endpoint | undefined
  for (const p of packets) {
    if (!p.from) continue
    client = p.from === 'client' ? p.src : p.dst
    server = p.from === 'client' ? p.dst : p.src
    break
  }
  if (!client && packets.length) {
    const p = packets[0]
    const fromServer = port !== undefined && p.src.port === port
    client = fromServer ? p.dst : p.src
    server = fromServer ? p.src : p.dst
  }
  const laneOf = (p: CapturedPacket): Lane => p.from ?? (sameEndpoint(client, p.src) ? 'client' : 'server')

  const connIds = new Set<string>()
  const arrows: LadderArrow[] = packets.map((p, index) => {
    for (const id of p.connIds ?? []) connIds.add(id)
    return {
      index,
      from: laneOf(p),
      t: p.t,
      no: p.no,
      flags: p.flags,
      len: p.len,
      seq: p.seq,
      ack: p.ack,
      phase: p.phase,
      ...(p.step ? { step: p.step } : {}),
      ...(p.teardown ? { teardown: p.teardown } : {}),
      ...(p.len > 0 ? { text: p.payload } : {}),
      ...(p.payloadCut ? { textCut: true } : {}),
      messages: (p.messages ?? []).map((m) => m.seq),
      ...(p.retransmits !== undefined ? { retransmits: p.retransmits } : {}),
    }
  })
  return {
    source: 'capture',
    ...(packets.length ? { stream: packets[0].stream } : {}),
    ...(client ? { client } : {}),
    ...(server ? { server } : {}),
    arrows,
    calls: callsFor(arrows),
    brackets: bracketsFor(arrows),
    connIds: [...connIds],
  }
}

const other = (lane: Lane): Lane => (lane === 'client' ? 'server' : 'client')

/** The socket calls each segment stands for, on the lane that makes them. */
function callsFor(arrows: readonly LadderArrow[]): LadderCall[] {
  const calls: LadderCall[] = []
  let connected = false
  let accepted = false
  let sawSynAck = false
  const closed = new Set<Lane>()
  for (const a of arrows) {
    if (a.phase === 'retransmission') continue
    if (a.step === 1 && !connected) {
      connected = true
      calls.push({ lane: 'client', call: 'connect', arrow: a.index, at: 'start' })
    }
    if (a.step === 2) sawSynAck = true
    // accept() returns once the third packet is in (or the client's first data, which acknowledges too).
    if (!accepted && sawSynAck && a.from === 'client' && (a.step === 3 || a.len > 0)) {
      accepted = true
      calls.push({ lane: 'server', call: 'accept', arrow: a.index, at: 'end' })
    }
    if (a.len > 0 && a.phase === 'data') {
      calls.push({ lane: a.from, call: 'send', arrow: a.index, at: 'start', bytes: a.len })
      if (!closed.has(other(a.from))) calls.push({ lane: other(a.from), call: 'recv', arrow: a.index, at: 'end', bytes: a.len })
    }
    if (a.teardown === 'fin' && !closed.has(a.from)) {
      calls.push({ lane: a.from, call: 'close', arrow: a.index, at: 'start' })
      // The peer's recv() returns b'' once this FIN is in, unless it has closed already.
      if (!closed.has(other(a.from))) calls.push({ lane: other(a.from), call: 'recv', arrow: a.index, at: 'end', bytes: 0 })
      closed.add(a.from)
    }
  }
  return calls
}

function bracketsFor(arrows: readonly LadderArrow[]): LadderBracket[] {
  const out: LadderBracket[] = []
  const syns = arrows.filter((a) => a.flags.includes('SYN'))
  const third = arrows.find((a) => a.step === 3)
  if (syns.length) {
    const steps = new Set(arrows.map((a) => a.step).filter(Boolean))
    const last = Math.max(syns[syns.length - 1].index, third?.index ?? -1)
    out.push({ kind: 'handshake', first: syns[0].index, last, complete: steps.has(1) && steps.has(2) && steps.has(3) })
  }
  const tear = arrows.filter((a) => a.teardown)
  if (tear.length) {
    const finSides = new Set(tear.filter((a) => a.teardown === 'fin').map((a) => a.from))
    out.push({
      kind: 'teardown',
      first: tear[0].index,
      last: tear[tear.length - 1].index,
      complete: finSides.size === 2 && tear.some((a) => a.teardown === 'last-ack'),
    })
  }
  for (const a of arrows) if (a.phase === 'reset') out.push({ kind: 'reset', first: a.index, last: a.index, complete: true })
  return out
}

// ---------- from the app's own socket events ----------

/** What the app itself saw of one connection: its two ends, the messages in order, how it ended. */
export interface SocketTrace {
  client?: Endpoint | null
  server?: Endpoint | null
  openedAt: number
  messages: readonly { seq: number; t: number; from: Lane; text: string; size: number }[]
  /** Absent while the connection is open. */
  closed?: {
    t: number
    /** The side that called close() first, when known. */
    first?: Lane
    /** Ended by a reset (ECONNRESET) rather than two FINs. */
    reset?: boolean
    /** Ended with neither: a timeout (ETIMEDOUT) or another socket error. */
    without?: 'timeout' | 'error'
  }
  connIds?: readonly string[]
}

type TraceClose = Omit<NonNullable<SocketTrace['closed']>, 't'>

/** How a closed connection ended, on the ladder's lanes: its side (`us`) is its role's lane. */
function closeOf(conn: Pick<ConnectionInfo, 'role' | 'closedBy' | 'closeKind'>): TraceClose {
  const first = conn.closedBy === 'us' ? conn.role : conn.closedBy === 'peer' ? other(conn.role) : undefined
  const kind = conn.closeKind
  return {
    ...(first ? { first } : {}),
    ...(kind === 'reset' ? { reset: true } : {}),
    ...(kind === 'timeout' || kind === 'error' ? { without: kind } : {}),
  }
}

/**
 * One SocketLab connection and its Traffic messages as a trace: which end is the client follows from
 * the connection's role, each message's sender from its direction, and how it ended from `closedBy` and
 * `closeKind` (unless `closed` says otherwise).
 */
export function socketTrace(
  conn: Pick<ConnectionInfo, 'connId' | 'role' | 'local' | 'remote' | 'openedAt' | 'closedAt' | 'closedBy' | 'closeKind'>,
  messages: readonly Pick<TrafficMessage, 'seq' | 't' | 'connId' | 'dir' | 'text' | 'size'>[],
  closed: TraceClose = closeOf(conn),
): SocketTrace {
  const mine: Lane = conn.role
  const theirs = other(mine)
  return {
    client: mine === 'client' ? conn.local : conn.remote,
    server: mine === 'server' ? conn.local : conn.remote,
    openedAt: conn.openedAt,
    messages: messages
      .filter((m) => m.connId === conn.connId)
      .map((m) => ({ seq: m.seq, t: m.t, from: m.dir === 'out' ? mine : theirs, text: m.text, size: m.size })),
    ...(conn.closedAt !== undefined ? { closed: { t: conn.closedAt, ...closed } } : {}),
    connIds: [conn.connId],
  }
}

/**
 * The same diagram without tshark: the segments that connect(), send() and close() cause, each marked
 * as inferred (no sequence numbers, no pure ACKs), with the messages' texts as the app recorded them.
 */
export function ladderFromSocketEvents(trace: SocketTrace): Ladder {
  const arrows: LadderArrow[] = []
  const add = (a: Omit<LadderArrow, 'index' | 'messages' | 'inferred'> & { messages?: number[] }): LadderArrow => {
    const arrow: LadderArrow = { ...a, index: arrows.length, messages: a.messages ?? [], inferred: true }
    arrows.push(arrow)
    return arrow
  }
  const t0 = trace.openedAt
  add({ from: 'client', t: t0, flags: ['SYN'], len: 0, phase: 'handshake', step: 1 })
  add({ from: 'server', t: t0, flags: ['SYN', 'ACK'], len: 0, phase: 'handshake', step: 2 })
  add({ from: 'client', t: t0, flags: ['ACK'], len: 0, phase: 'handshake', step: 3 })
  for (const m of trace.messages) {
    add({ from: m.from, t: m.t, flags: ['PSH', 'ACK'], len: m.size, phase: 'data', text: m.text, messages: [m.seq] })
  }
  let closeOrderUnknown = false
  const without = trace.closed?.without
  if (trace.closed && !without) {
    const first = trace.closed.first ?? 'client'
    closeOrderUnknown = !trace.closed.first
    if (trace.closed.reset) add({ from: first, t: trace.closed.t, flags: ['RST', 'ACK'], len: 0, phase: 'reset' })
    else {
      add({ from: first, t: trace.closed.t, flags: ['FIN', 'ACK'], len: 0, phase: 'teardown', teardown: 'fin' })
      add({ from: other(first), t: trace.closed.t, flags: ['FIN', 'ACK'], len: 0, phase: 'teardown', teardown: 'fin' })
    }
  }
  const brackets = bracketsFor(arrows).map((b) => (b.kind === 'teardown' ? { ...b, complete: true } : b))
  return {
    source: 'socket-events',
    ...(trace.client ? { client: trace.client } : {}),
    ...(trace.server ? { server: trace.server } : {}),
    arrows,
    // Each message is one send() and one recv(): the app records messages, not segments.
    calls: callsFor(arrows),
    brackets,
    connIds: [...(trace.connIds ?? [])],
    ...(closeOrderUnknown ? { closeOrderUnknown: true as const } : {}),
    ...(without ? { endedWithout: without } : {}),
  }
}

/** The arrow's short label: `SYN`, `SYN/ACK`, `PSH/ACK`, `FIN/ACK`, `RST`, `RST/ACK`. */
export function arrowFlags(a: Pick<LadderArrow, 'flags'>): string {
  return a.flags.length ? a.flags.join('/') : 'none'
}
