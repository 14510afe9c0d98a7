// Where everything of a ladder diagram goes: the lane heads, each arrow with its label, its payload
// text wrapped onto lines and the socket calls beside the lanes, and the bands of the handshake, the
// teardown and a reset. Coordinates and words only, no markup: the SVG file (ladder-svg.ts) and the
// app's live diagram (the renderer's Ladder component) both draw this one layout, so the picture on
// screen and the exported one agree to the pixel. Pure, no Node.

import { formatEndpoint } from './endpoint'
import { arrowFlags, type Ladder, type LadderArrow, type LadderBracket, type LadderCall } from './ladder'
import { bytesText } from './ladder-words'

export const SVG_WIDTH = 960
export const CLIENT_X = 300
export const SERVER_X = 720
export const MID_X = (CLIENT_X + SERVER_X) / 2
/** Characters per line of payload text between the lanes (monospace 12 px ≈ 7.3 px a character). */
export const TEXT_COLUMNS = 52
const LINE = 16
const CALL_LINE = 15

/** Arrow and label colours per phase (light paper: the diagram is a document, in the app as in the file). */
export const PHASE_COLOURS: Record<LadderArrow['phase'], string> = {
  handshake: '#1b7f3b',
  data: '#1f5fbf',
  ack: '#6b7280',
  teardown: '#7c3aad',
  reset: '#c62828',
  retransmission: '#d97706',
}

export const BAND_COLOURS: Record<LadderBracket['kind'], { fill: string; stroke: string }> = {
  handshake: { fill: '#e9f6ee', stroke: '#1b7f3b' },
  teardown: { fill: '#f3ecfa', stroke: '#7c3aad' },
  reset: { fill: '#fdecec', stroke: '#c62828' },
}

export const SOCKET_EVENTS_NOTE =
  'Drawn from socket events (no packet capture): the segments are the ones the calls cause, without sequence numbers or ACKs.'
export const CLOSE_ORDER_NOTE = 'Who closed first is not known here: the FINs are drawn client first.'
/** Why a ladder drawn from socket events ends with no FIN or RST. */
export const ENDED_WITHOUT_NOTE: Record<NonNullable<Ladder['endedWithout']>, string> = {
  timeout: 'It ended without a FIN or a reset: the peer stopped answering and TCP gave up (timed out).',
  error: 'It ended on a socket error, without a FIN or a reset the app could see.',
}

/**
 * Wrap text to lines of at most `columns` characters (code points), breaking after a space where one
 * is near the end of the line, else anywhere. Every character stays: joined, the lines are the text.
 */
export function wrapText(text: string, columns = TEXT_COLUMNS): string[] {
  const chars = Array.from(text)
  if (chars.length <= columns) return [text]
  const lines: string[] = []
  let start = 0
  while (start < chars.length) {
    let end = Math.min(start + columns, chars.length)
    if (end < chars.length) {
      let space = -1
      for (let k = end - 1; k > start + columns / 2; k--) {
        if (chars[k] === ' ') {
          space = k
          break
        }
      }
      if (space > 0) end = space + 1
    }
    lines.push(chars.slice(start, end).join(''))
    start = end
  }
  return lines
}

/** `SYN/ACK  Seq=0 Ack=1 Len=0`, prefixed by the frame number and, for a retransmission, what it repeats. */
export function arrowLabel(a: LadderArrow): string {
  const parts: string[] = []
  if (a.no !== undefined) parts.push(`#${a.no}`)
  if (a.phase === 'retransmission')
    parts.push(a.retransmits !== undefined ? `Retransmission of #${a.retransmits}` : 'Retransmission')
  parts.push(arrowFlags(a))
  const numbers = a.seq !== undefined ? `Seq=${a.seq} Ack=${a.ack ?? 0} Len=${a.len}` : `Len=${a.len}`
  return `${parts.join('  ')}  ${numbers}`
}

/** `connect()`, `accept() returns`, `send() 24 bytes`, `recv() → 24 bytes`, `recv() → b'' (peer closed)`, `close()`. */
export function callLabel(c: LadderCall): string {
  switch (c.call) {
    case 'connect':
      return 'connect()'
    case 'accept':
      return 'accept() returns'
    case 'send':
      return `send() ${bytesText(c.bytes ?? 0)}`
    case 'recv':
      return c.bytes === 0 ? "recv() → b'' (peer closed)" : `recv() → ${bytesText(c.bytes ?? 0)}`
    case 'close':
      return 'close()'
  }
}

export const BRACKET_TITLE: Record<LadderBracket['kind'], string> = {
  handshake: 'Three-way handshake',
  teardown: 'Teardown',
  reset: 'Reset (RST): the connection was aborted',
}

/** The bracket's name with the packets it spans: `Three-way handshake (packets 1–3)`. */
export function bracketLabel(b: LadderBracket, ladder: Ladder): string {
  const first = ladder.arrows[b.first]?.no
  const last = ladder.arrows[b.last]?.no
  const span = first === undefined ? '' : first === last ? ` (packet ${first})` : ` (packets ${first}–${last})`
  const incomplete = b.complete
    ? ''
    : b.kind === 'handshake'
      ? ': not all three packets were captured'
      : ': not finished in this capture'
  return `${BRACKET_TITLE[b.kind]}${span}${incomplete}`
}

/** A line of words at a place; `anchor` as SVG's text-anchor. */
export interface Placed {
  x: number
  y: number
  text: string
  anchor?: 'start' | 'middle' | 'end'
}

export interface PlacedCall extends Placed {
  call: LadderCall['call']
  lane: LadderCall['lane']
}

export interface ArrowLayout {
  arrow: LadderArrow
  /** The row the arrow owns (its label, line, text and calls), for a highlight behind it. */
  top: number
  bottom: number
  label: Placed
  line: { x1: number; y1: number; x2: number; y2: number }
  /** Dashed: a retransmission, or a segment inferred from socket events. */
  dashed: boolean
  /** The payload's lines, quoted and wrapped (not escaped: each writer escapes for its own medium). */
  text: Placed[]
  calls: PlacedCall[]
}

export interface BracketLayout {
  bracket: LadderBracket
  x: number
  y: number
  width: number
  height: number
  label: Placed
}

export interface LaneHead {
  x: number
  y: number
  name: 'Client' | 'Server'
  endpoint: string
}

export interface LadderLayout {
  ladder: Ladder
  heading: Placed
  /** The socket-events and close-order notes, when they apply. */
  notes: Placed[]
  heads: LaneHead[]
  lanes: { x: number; top: number; bottom: number }[]
  arrows: ArrowLayout[]
  brackets: BracketLayout[]
  /** "No packets yet." when there is no arrow. */
  empty?: Placed
  width: number
  height: number
}

/** One connection's ladder, laid out from y = 0 down. */
export function layoutLadder(ladder: Ladder, heading: string): LadderLayout {
  let y = 22
  const head: Placed = { x: 16, y, text: heading }
  const notes: Placed[] = []
  if (ladder.source === 'socket-events') {
    y += 18
    notes.push({ x: 16, y, text: SOCKET_EVENTS_NOTE })
  }
  if (ladder.closeOrderUnknown) {
    y += 16
    notes.push({ x: 16, y, text: CLOSE_ORDER_NOTE })
  }
  if (ladder.endedWithout) {
    y += 16
    notes.push({ x: 16, y, text: ENDED_WITHOUT_NOTE[ladder.endedWithout] })
  }
  y += 14
  const headTop = y
  const heads: LaneHead[] = [
    { x: CLIENT_X, y: headTop, name: 'Client', endpoint: ladder.client ? formatEndpoint(ladder.client) : '—' },
    { x: SERVER_X, y: headTop, name: 'Server', endpoint: ladder.server ? formatEndpoint(ladder.server) : '—' },
  ]
  y = headTop + 38 + 14
  const lanesTop = headTop + 38

  const openings = new Map<number, number>()
  for (const b of ladder.brackets) openings.set(b.first, (openings.get(b.first) ?? 0) + 1)
  const callsAt = new Map<number, LadderCall[]>()
  for (const c of ladder.calls) callsAt.set(c.arrow, [...(callsAt.get(c.arrow) ?? []), c])
  const rowTop: number[] = []
  const rowBottom: number[] = []
  const arrows: ArrowLayout[] = []

  for (const a of ladder.arrows) {
    // A strip above the first arrow of each bracket, for its name.
    const opening = openings.get(a.index) ?? 0
    y += opening * 20
    rowTop[a.index] = y - opening * 20
    const x1 = a.from === 'client' ? CLIENT_X : SERVER_X
    const x2 = a.from === 'client' ? SERVER_X : CLIENT_X
    const ay1 = y + 24
    const ay2 = y + 38
    const text: Placed[] = []
    let lines = 0
    if (a.text !== undefined && a.len > 0) {
      const wrapped = wrapText(`"${a.text}"${a.textCut ? ' …' : ''}`)
      lines = wrapped.length
      wrapped.forEach((l, k) => text.push({ x: MID_X, y: ay2 + 18 + k * LINE, text: l, anchor: 'middle' }))
      if (a.textCut) lines++
    }
    // The socket calls beside the lanes: client calls to the left of its lane, server calls to the right.
    const calls: PlacedCall[] = []
    const stacked: Record<string, number> = {}
    for (const c of callsAt.get(a.index) ?? []) {
      const key = `${c.lane} ${c.at}`
      const k = (stacked[key] = (stacked[key] ?? -1) + 1)
      // A call on the sending lane sits where the arrow leaves; on the receiving lane, where it arrives.
      calls.push({
        x: c.lane === 'client' ? CLIENT_X - 12 : SERVER_X + 12,
        y: (c.lane === a.from ? ay1 : ay2) + 4 + k * CALL_LINE,
        text: callLabel(c),
        anchor: c.lane === 'client' ? 'end' : 'start',
        call: c.call,
        lane: c.lane,
      })
    }
    const callRows = Math.max(0, ...Object.values(stacked)) + 1
    const height = Math.max(44 + lines * LINE, 38 + callRows * CALL_LINE) + 10
    arrows.push({
      arrow: a,
      top: y,
      bottom: y + height,
      label: { x: MID_X, y: y + 14, text: arrowLabel(a), anchor: 'middle' },
      line: { x1, y1: ay1, x2, y2: ay2 },
      dashed: !!a.inferred || a.phase === 'retransmission',
      text,
      calls,
    })
    y += height
    rowBottom[a.index] = y
  }
  let empty: Placed | undefined
  if (ladder.arrows.length === 0) {
    empty = { x: MID_X, y: y + 16, text: 'No packets yet.', anchor: 'middle' }
    y += 30
  }
  const bottom = y + 6
  const brackets: BracketLayout[] = []
  for (const b of ladder.brackets) {
    const top = rowTop[b.first]
    const end = rowBottom[b.last]
    if (top === undefined || end === undefined) continue
    const inset = b.kind === 'reset' ? 10 : 4
    brackets.push({
      bracket: b,
      x: inset,
      y: top + 2,
      width: SVG_WIDTH - 2 * inset,
      height: end - top - 4,
      label: { x: inset + 10, y: top + 16, text: bracketLabel(b, ladder) },
    })
  }
  return {
    ladder,
    heading: head,
    notes,
    heads,
    lanes: [CLIENT_X, SERVER_X].map((x) => ({ x, top: lanesTop, bottom })),
    arrows,
    brackets,
    ...(empty ? { empty } : {}),
    width: SVG_WIDTH,
    height: bottom + 10,
  }
}

/** The heading of one connection among several: `Connection 2 of 3: client 127.0.0.1:5000 ⇄ server 127.0.0.1:12345`. */
export function connectionHeading(ladder: Ladder, index: number, total: number): string {
  const c = ladder.client ? formatEndpoint(ladder.client) : '?'
  const s = ladder.server ? formatEndpoint(ladder.server) : '?'
  return `${total > 1 ? `Connection ${index + 1} of ${total}: ` : 'Connection: '}client ${c} ⇄ server ${s}`
}
