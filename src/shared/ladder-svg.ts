// The ladder diagram as a standalone SVG document, written without a renderer: for the CLI's
// `--diagram`, the answer sheet (inline) and the evidence bundle. Every flag (`SYN`, `SYN/ACK`,
// `PSH/ACK`, `FIN/ACK`, `RST`) and every payload text is real <text>, so it can be searched and
// selected; long texts wrap onto more lines and are never cut. Peer text is made visible (control
// characters escaped) and XML-escaped, so the document is always well-formed. Pure, no Node.

import { formatEndpoint } from './endpoint'
import { arrowFlags, type Ladder, type LadderArrow, type LadderBracket, type LadderCall } from './ladder'
import { bytesText, visibleText } from './ladder-words'

export interface SvgOptions {
  /** A title above everything (default: "TCP ladder diagram"). */
  title?: string
  /** Lines under the title: the display filter, the interface… */
  notes?: string[]
}

export const SVG_WIDTH = 960
const CLIENT_X = 300
const SERVER_X = 720
const MID_X = (CLIENT_X + SERVER_X) / 2
/** Characters per line of payload text between the lanes (monospace 12 px ≈ 7.3 px a character). */
export const TEXT_COLUMNS = 52
const LINE = 16
const CALL_LINE = 15
const SANS = 'font-family="\'DejaVu Sans\', Helvetica, Arial, sans-serif"'
const MONO = 'font-family="\'DejaVu Sans Mono\', Menlo, Consolas, monospace"'

const COLOURS: Record<string, string> = {
  handshake: '#1b7f3b',
  data: '#1f5fbf',
  ack: '#6b7280',
  teardown: '#7c3aad',
  reset: '#c62828',
  retransmission: '#d97706',
}
const BAND: Record<LadderBracket['kind'], { fill: string; stroke: string }> = {
  handshake: { fill: '#e9f6ee', stroke: '#1b7f3b' },
  teardown: { fill: '#f3ecfa', stroke: '#7c3aad' },
  reset: { fill: '#fdecec', stroke: '#c62828' },
}

/** Text as XML character data or an attribute value: control characters made visible, markup escaped. */
export function xmlText(s: string): string {
  const v = visibleText(s)
  let out = ''
  let from = 0
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i)
    const rep =
      c === 0x26 ? '&amp;' : c === 0x3c ? '&lt;' : c === 0x3e ? '&gt;' : c === 0x22 ? '&quot;' : c === 0x27 ? '&#39;' : ''
    if (!rep) continue
    out += v.slice(from, i) + rep
    from = i + 1
  }
  return from === 0 ? v : out + v.slice(from)
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

interface Block {
  svg: string
  height: number
}

function text(x: number, y: number, body: string, attrs = ''): string {
  return `<text x="${x}" y="${y}" ${attrs}>${body}</text>`
}

/** One connection's ladder, drawn from y = 0 down; returns its markup and height. */
function ladderBlock(ladder: Ladder, heading: string): Block {
  const out: string[] = []
  let y = 22
  out.push(text(16, y, xmlText(heading), `${SANS} font-size="15" font-weight="bold" fill="#111"`))
  if (ladder.source === 'socket-events') {
    y += 18
    out.push(
      text(
        16,
        y,
        xmlText(
          'Drawn from socket events (no packet capture): the segments are the ones the calls cause, without sequence numbers or ACKs.',
        ),
        `${SANS} font-size="12" fill="#92400e" class="source-note"`,
      ),
    )
  }
  if (ladder.closeOrderUnknown) {
    y += 16
    out.push(
      text(
        16,
        y,
        xmlText('Who closed first is not known here: the FINs are drawn client first.'),
        `${SANS} font-size="12" fill="#92400e"`,
      ),
    )
  }
  // Lane heads.
  y += 14
  const headTop = y
  for (const [x, name, ep] of [
    [CLIENT_X, 'Client', ladder.client],
    [SERVER_X, 'Server', ladder.server],
  ] as const) {
    out.push(`<rect x="${x - 95}" y="${headTop}" width="190" height="38" rx="6" fill="#f3f4f6" stroke="#374151"/>`)
    out.push(text(x, headTop + 16, name, `${SANS} font-size="13" font-weight="bold" text-anchor="middle" fill="#111"`))
    out.push(
      text(x, headTop + 31, xmlText(ep ? formatEndpoint(ep) : '—'), `${MONO} font-size="12" text-anchor="middle" fill="#374151"`),
    )
  }
  y = headTop + 38 + 14
  const lanesTop = headTop + 38

  const startsAt = new Map<number, LadderBracket[]>()
  for (const b of ladder.brackets) startsAt.set(b.first, [...(startsAt.get(b.first) ?? []), b])
  const callsAt = new Map<number, LadderCall[]>()
  for (const c of ladder.calls) callsAt.set(c.arrow, [...(callsAt.get(c.arrow) ?? []), c])
  const rowTop: number[] = []
  const rowBottom: number[] = []
  const rows: string[] = []

  for (const a of ladder.arrows) {
    const opening = startsAt.get(a.index) ?? []
    // A strip above the first arrow of each bracket, for its name.
    y += opening.length * 20
    rowTop[a.index] = y - opening.length * 20
    const colour = COLOURS[a.phase] ?? '#111'
    const x1 = a.from === 'client' ? CLIENT_X : SERVER_X
    const x2 = a.from === 'client' ? SERVER_X : CLIENT_X
    const ay1 = y + 24
    const ay2 = y + 38
    const dash = a.inferred || a.phase === 'retransmission' ? ' stroke-dasharray="6 4"' : ''
    const g: string[] = []
    g.push(
      `<g class="arrow phase-${a.phase}" data-arrow="${a.index}"${a.no !== undefined ? ` data-no="${a.no}"` : ''} data-from="${a.from}">`,
    )
    g.push(
      text(
        MID_X,
        y + 14,
        xmlText(arrowLabel(a)),
        `${SANS} font-size="12" font-weight="bold" text-anchor="middle" fill="${colour}" class="flags"`,
      ),
    )
    g.push(
      `<line x1="${x1}" y1="${ay1}" x2="${x2}" y2="${ay2}" stroke="${colour}" stroke-width="2"${dash} marker-end="url(#head-${a.phase})"/>`,
    )
    let lines = 0
    if (a.text !== undefined && a.len > 0) {
      const wrapped = wrapText(`"${a.text}"${a.textCut ? ' …' : ''}`)
      lines = wrapped.length
      const tspans = wrapped
        .map((l, k) => `<tspan x="${MID_X}" ${k === 0 ? `y="${ay2 + 18}"` : `dy="${LINE}"`}>${xmlText(l)}</tspan>`)
        .join('')
      g.push(
        `<text ${MONO} font-size="12" text-anchor="middle" fill="#111" xml:space="preserve" class="payload">${tspans}</text>`,
      )
      if (a.textCut) lines++
    }
    // The socket calls beside the lanes: client calls to the left of its lane, server calls to the right.
    const calls = callsAt.get(a.index) ?? []
    const stacked: Record<string, number> = {}
    for (const c of calls) {
      const key = `${c.lane} ${c.at}`
      const k = (stacked[key] = (stacked[key] ?? -1) + 1)
      const lx = c.lane === 'client' ? CLIENT_X - 12 : SERVER_X + 12
      // A call on the sending lane sits where the arrow leaves; on the receiving lane, where it arrives.
      const ly = (c.lane === a.from ? ay1 : ay2) + 4 + k * CALL_LINE
      const anchor = c.lane === 'client' ? 'end' : 'start'
      g.push(
        text(
          lx,
          ly,
          xmlText(callLabel(c)),
          `${MONO} font-size="12" text-anchor="${anchor}" fill="#374151" class="call call-${c.call}"`,
        ),
      )
    }
    g.push('</g>')
    rows.push(g.join(''))
    const callRows = Math.max(0, ...Object.values(stacked)) + 1
    const height = Math.max(44 + lines * LINE, 38 + callRows * CALL_LINE) + 10
    y += height
    rowBottom[a.index] = y
  }
  if (ladder.arrows.length === 0) {
    out.push(text(MID_X, y + 16, 'No packets yet.', `${SANS} font-size="12" text-anchor="middle" fill="#6b7280"`))
    y += 30
  }
  const bottom = y + 6
  // Bands behind the rows, then the lanes, then the arrows on top.
  const bands: string[] = []
  for (const b of ladder.brackets) {
    const top = rowTop[b.first]
    const end = rowBottom[b.last]
    if (top === undefined || end === undefined) continue
    const s = BAND[b.kind]
    const inset = b.kind === 'reset' ? 10 : 4
    bands.push(
      `<g class="bracket bracket-${b.kind}"><rect x="${inset}" y="${top + 2}" width="${SVG_WIDTH - 2 * inset}" height="${end - top - 4}" rx="6" fill="${s.fill}" stroke="${s.stroke}" stroke-opacity="0.5"/>` +
        text(
          inset + 10,
          top + 16,
          xmlText(bracketLabel(b, ladder)),
          `${SANS} font-size="12" font-weight="bold" fill="${s.stroke}"`,
        ) +
        '</g>',
    )
  }
  const lanes = [CLIENT_X, SERVER_X]
    .map((x) => `<line x1="${x}" y1="${lanesTop}" x2="${x}" y2="${bottom}" stroke="#9ca3af" stroke-width="2"/>`)
    .join('')
  return { svg: [...out.slice(0, 1), ...bands, ...out.slice(1), lanes, ...rows].join('\n'), height: bottom + 10 }
}

function markers(): string {
  return Object.entries(COLOURS)
    .map(
      ([phase, colour]) =>
        `<marker id="head-${phase}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`,
    )
    .join('')
}

/** The <svg> element (no XML declaration), for inlining in HTML; with its size. */
export function ladderSvg(ladders: readonly Ladder[], options: SvgOptions = {}): { svg: string; width: number; height: number } {
  const parts: string[] = []
  let y = 0
  const title = options.title ?? 'TCP ladder diagram'
  parts.push(text(16, 26, xmlText(title), `${SANS} font-size="18" font-weight="bold" fill="#111"`))
  y = 30
  for (const note of options.notes ?? []) {
    y += 18
    parts.push(text(16, y, xmlText(note), `${SANS} font-size="12" fill="#374151" class="note"`))
  }
  y += 10
  ladders.forEach((ladder, i) => {
    const c = ladder.client ? formatEndpoint(ladder.client) : '?'
    const s = ladder.server ? formatEndpoint(ladder.server) : '?'
    const heading = `${ladders.length > 1 ? `Connection ${i + 1} of ${ladders.length}: ` : 'Connection: '}client ${c} ⇄ server ${s}`
    const block = ladderBlock(ladder, heading)
    parts.push(`<g class="ladder" transform="translate(0 ${y})">${block.svg}</g>`)
    y += block.height
  })
  if (ladders.length === 0) {
    parts.push(text(16, y + 20, 'No connection in this capture yet.', `${SANS} font-size="13" fill="#6b7280"`))
    y += 40
  }
  const height = Math.ceil(y + 10)
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SVG_WIDTH}" height="${height}" viewBox="0 0 ${SVG_WIDTH} ${height}" role="img">` +
    `<title>${xmlText(title)}</title><defs>${markers()}</defs>` +
    `<rect width="${SVG_WIDTH}" height="${height}" fill="#ffffff"/>\n${parts.join('\n')}\n</svg>`
  return { svg, width: SVG_WIDTH, height }
}

/** A standalone SVG file. */
export function ladderSvgDocument(ladders: readonly Ladder[], options: SvgOptions = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${ladderSvg(ladders, options).svg}\n`
}
