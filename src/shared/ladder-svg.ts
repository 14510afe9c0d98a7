// The ladder diagram as a standalone SVG document, written without a renderer: the layout of
// ladder-layout.ts as markup, for the CLI's `--diagram`, the answer sheet (inline) and the evidence
// bundle. Every flag (`SYN`, `SYN/ACK`,
// `PSH/ACK`, `FIN/ACK`, `RST`) and every payload text is real <text>, so it can be searched and
// selected; long texts wrap onto more lines and are never cut. Peer text is made visible (control
// characters escaped) and XML-escaped, so the document is always well-formed. Pure, no Node.

import type { Ladder } from './ladder'
import {
  BAND_COLOURS,
  connectionHeading,
  layoutLadder,
  PHASE_COLOURS,
  SVG_WIDTH,
  type LadderLayout,
  type Placed,
} from './ladder-layout'
import { visibleText } from './ladder-words'

export { arrowLabel, bracketLabel, BRACKET_TITLE, callLabel, SVG_WIDTH, TEXT_COLUMNS, wrapText } from './ladder-layout'

export interface SvgOptions {
  /** A title above everything (default: "TCP ladder diagram"). */
  title?: string
  /** Lines under the title: the display filter, the interface… */
  notes?: string[]
}

const SANS = 'font-family="\'DejaVu Sans\', Helvetica, Arial, sans-serif"'
const MONO = 'font-family="\'DejaVu Sans Mono\', Menlo, Consolas, monospace"'

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

function text(p: Placed, attrs = ''): string {
  const anchor = p.anchor && p.anchor !== 'start' ? ` text-anchor="${p.anchor}"` : ''
  return `<text x="${p.x}" y="${p.y}" ${attrs}${anchor}>${xmlText(p.text)}</text>`
}

/** One connection's laid-out ladder as SVG markup. */
function ladderMarkup(l: LadderLayout): string {
  const out: string[] = []
  const note = `${SANS} font-size="12" fill="#92400e"`
  l.notes.forEach((n, i) =>
    out.push(text(n, i === 0 && l.ladder.source === 'socket-events' ? `${note} class="source-note"` : note)),
  )
  for (const h of l.heads) {
    out.push(`<rect x="${h.x - 95}" y="${h.y}" width="190" height="38" rx="6" fill="#f3f4f6" stroke="#374151"/>`)
    out.push(
      text({ x: h.x, y: h.y + 16, text: h.name, anchor: 'middle' }, `${SANS} font-size="13" font-weight="bold" fill="#111"`),
    )
    out.push(text({ x: h.x, y: h.y + 31, text: h.endpoint, anchor: 'middle' }, `${MONO} font-size="12" fill="#374151"`))
  }
  const rows: string[] = []
  for (const r of l.arrows) {
    const a = r.arrow
    const colour = PHASE_COLOURS[a.phase] ?? '#111'
    const g: string[] = []
    g.push(
      `<g class="arrow phase-${a.phase}" data-arrow="${a.index}"${a.no !== undefined ? ` data-no="${a.no}"` : ''} data-from="${a.from}">`,
    )
    g.push(text(r.label, `${SANS} font-size="12" font-weight="bold" fill="${colour}" class="flags"`))
    const { x1, y1, x2, y2 } = r.line
    g.push(
      `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${colour}" stroke-width="2"${r.dashed ? ' stroke-dasharray="6 4"' : ''} marker-end="url(#head-${a.phase})"/>`,
    )
    if (r.text.length) {
      const tspans = r.text
        .map((t, k) => `<tspan x="${t.x}" ${k === 0 ? `y="${t.y}"` : `dy="${t.y - r.text[k - 1].y}"`}>${xmlText(t.text)}</tspan>`)
        .join('')
      g.push(
        `<text ${MONO} font-size="12" text-anchor="middle" fill="#111" xml:space="preserve" class="payload">${tspans}</text>`,
      )
    }
    for (const c of r.calls) g.push(text(c, `${MONO} font-size="12" fill="#374151" class="call call-${c.call}"`))
    g.push('</g>')
    rows.push(g.join(''))
  }
  if (l.empty) out.push(text(l.empty, `${SANS} font-size="12" fill="#6b7280"`))
  // Bands behind the rows, then the lanes, then the arrows on top.
  const bands = l.brackets.map((b) => {
    const s = BAND_COLOURS[b.bracket.kind]
    return (
      `<g class="bracket bracket-${b.bracket.kind}"><rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="6" fill="${s.fill}" stroke="${s.stroke}" stroke-opacity="0.5"/>` +
      text(b.label, `${SANS} font-size="12" font-weight="bold" fill="${s.stroke}"`) +
      '</g>'
    )
  })
  const lanes = l.lanes
    .map((x) => `<line x1="${x.x}" y1="${x.top}" x2="${x.x}" y2="${x.bottom}" stroke="#9ca3af" stroke-width="2"/>`)
    .join('')
  const heading = text(l.heading, `${SANS} font-size="15" font-weight="bold" fill="#111"`)
  return [heading, ...bands, ...out, lanes, ...rows].join('\n')
}

/** The arrowheads, one per phase colour. */
export function markers(): string {
  return Object.entries(PHASE_COLOURS)
    .map(
      ([phase, colour]) =>
        `<marker id="head-${phase}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`,
    )
    .join('')
}

/** The <svg> element (no XML declaration), for inlining in HTML; with its size. */
export function ladderSvg(ladders: readonly Ladder[], options: SvgOptions = {}): { svg: string; width: number; height: number } {
  const parts: string[] = []
  const title = options.title ?? 'TCP ladder diagram'
  parts.push(text({ x: 16, y: 26, text: title }, `${SANS} font-size="18" font-weight="bold" fill="#111"`))
  let y = 30
  for (const note of options.notes ?? []) {
    y += 18
    parts.push(text({ x: 16, y, text: note }, `${SANS} font-size="12" fill="#374151" class="note"`))
  }
  y += 10
  ladders.forEach((ladder, i) => {
    const block = layoutLadder(ladder, connectionHeading(ladder, i, ladders.length))
    parts.push(`<g class="ladder" transform="translate(0 ${y})">${ladderMarkup(block)}</g>`)
    y += block.height
  })
  if (ladders.length === 0) {
    parts.push(text({ x: 16, y: y + 20, text: 'No connection in this capture yet.' }, `${SANS} font-size="13" fill="#6b7280"`))
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
