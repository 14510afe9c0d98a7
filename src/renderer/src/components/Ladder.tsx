// The ladder diagram of one connection, live: the client lane and the server lane, an arrow per TCP
// segment with its flags, numbers and the text it carried, the socket calls beside the lanes, the
// handshake, teardown and a reset bracketed and named. Drawn from the very layout the exported SVG is
// written from (@shared/ladder-layout), so the screen and the file agree. An arrow is a button: it
// selects that packet (and the message it carried) in the view around it.

import { memo, useEffect, useId, useMemo, useRef, type KeyboardEvent, type ReactNode } from 'react'
import type { Ladder as LadderModel, LadderArrow } from '@shared/ladder'
import { BAND_COLOURS, layoutLadder, PHASE_COLOURS, type Placed } from '@shared/ladder-layout'
import { flagsText, visibleText } from '@shared/ladder-words'
import { firstArrows } from './LadderSource'

interface Props {
  ladder: LadderModel
  /** Above the lanes (default: the two ends). */
  heading: string
  /** The selected arrow (its index). */
  selected?: number
  onSelect?(arrow: LadderArrow): void
  testid?: string
  /** The diagram scrolls within this height (px); default: as tall as it is. */
  maxHeight?: number
}

const ANCHOR = { start: 'start', middle: 'middle', end: 'end' } as const

function Text({ p, className }: { p: Placed; className: string }): ReactNode {
  return (
    <text x={p.x} y={p.y} className={className} textAnchor={p.anchor ? ANCHOR[p.anchor] : undefined}>
      {visibleText(p.text)}
    </text>
  )
}

/** Keep `el` in view inside `box` (only the box scrolls, never the page). */
function keepInView(box: HTMLElement, el: Element): void {
  const b = box.getBoundingClientRect()
  const r = el.getBoundingClientRect()
  if (r.top < b.top) box.scrollTop -= b.top - r.top + 8
  else if (r.bottom > b.bottom) box.scrollTop += Math.min(r.bottom - b.bottom + 8, r.top - b.top - 8)
}

export const Ladder = memo(function Ladder({ ladder: whole, heading, selected, onSelect, testid = 'ladder', maxHeight }: Props) {
  const { ladder, omitted } = useMemo(() => firstArrows(whole), [whole])
  const layout = useMemo(() => layoutLadder(ladder, heading), [ladder, heading])
  const ids = useId().replace(/:/g, '')
  const box = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (selected === undefined || !box.current) return
    const el = box.current.querySelector(`[data-arrow="${selected}"]`)
    if (el) keepInView(box.current, el)
  }, [selected, ladder])

  const pick = (a: LadderArrow): void => onSelect?.(a)
  const onKey = (e: KeyboardEvent, a: LadderArrow): void => {
    if (e.key !== 'Enter' && e.key !== ' ') return
    e.preventDefault()
    pick(a)
  }

  return (
    <div
      ref={box}
      className="ladder-box"
      style={maxHeight ? { maxHeight } : undefined}
      data-testid={testid}
      data-source={ladder.source}
      data-arrows={whole.arrows.length}
    >
      <svg
        className="ladder-svg"
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        width={layout.width}
        height={layout.height}
        // A group, not an image: its arrows are buttons (each named by the words on it).
        role="group"
        aria-label={`Ladder diagram. ${heading}`}
      >
        <defs>
          {Object.entries(PHASE_COLOURS).map(([phase, colour]) => (
            <marker
              key={phase}
              id={`${ids}-head-${phase}`}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="8"
              markerHeight="8"
              orient="auto-start-reverse"
            >
              <path d="M0,0 L10,5 L0,10 z" fill={colour} />
            </marker>
          ))}
        </defs>
        <rect width={layout.width} height={layout.height} className="ladder-paper" />
        <Text p={layout.heading} className="ladder-heading" />
        {layout.brackets.map((b) => {
          const s = BAND_COLOURS[b.bracket.kind]
          return (
            <g
              key={`${b.bracket.kind}-${b.bracket.first}`}
              className={`bracket bracket-${b.bracket.kind}`}
              data-testid="ladder-bracket"
              data-kind={b.bracket.kind}
              data-complete={b.bracket.complete}
            >
              <rect
                x={b.x}
                y={b.y}
                width={b.width}
                height={b.height}
                rx={6}
                fill={s.fill}
                stroke={s.stroke}
                strokeOpacity={0.5}
              />
              <text x={b.label.x} y={b.label.y} className="ladder-bracket-label" fill={s.stroke}>
                {b.label.text}
              </text>
            </g>
          )
        })}
        {layout.notes.map((n, i) => (
          <Text key={i} p={n} className="ladder-note" />
        ))}
        {layout.heads.map((h) => (
          <g key={h.name} className="ladder-head">
            <rect x={h.x - 95} y={h.y} width={190} height={38} rx={6} />
            <text x={h.x} y={h.y + 16} textAnchor="middle" className="ladder-head-name">
              {h.name}
            </text>
            <text x={h.x} y={h.y + 31} textAnchor="middle" className="ladder-head-endpoint">
              {h.endpoint}
            </text>
          </g>
        ))}
        {layout.lanes.map((l) => (
          <line key={l.x} x1={l.x} y1={l.top} x2={l.x} y2={l.bottom} className="ladder-lane" />
        ))}
        {layout.empty && <Text p={layout.empty} className="ladder-empty" />}
        {layout.arrows.map((r) => {
          const a = r.arrow
          const colour = PHASE_COLOURS[a.phase]
          const isSelected = selected === a.index
          return (
            <g
              key={a.index}
              className={`arrow phase-${a.phase}${isSelected ? ' selected' : ''}`}
              data-testid="ladder-arrow"
              data-arrow={a.index}
              data-no={a.no}
              data-flags={flagsText(a.flags)}
              data-phase={a.phase}
              data-from={a.from}
              data-selected={isSelected}
              data-messages={a.messages.join(' ') || undefined}
              role={onSelect ? 'button' : undefined}
              tabIndex={onSelect ? 0 : undefined}
              aria-pressed={onSelect ? isSelected : undefined}
              onClick={() => pick(a)}
              onKeyDown={(e) => onKey(e, a)}
            >
              <rect x={2} y={r.top} width={layout.width - 4} height={r.bottom - r.top} rx={4} className="ladder-row" />
              <text x={r.label.x} y={r.label.y} textAnchor="middle" className="ladder-flags" fill={colour}>
                {r.label.text}
              </text>
              <line
                x1={r.line.x1}
                y1={r.line.y1}
                x2={r.line.x2}
                y2={r.line.y2}
                stroke={colour}
                strokeWidth={isSelected ? 3 : 2}
                strokeDasharray={r.dashed ? '6 4' : undefined}
                markerEnd={`url(#${ids}-head-${a.phase})`}
              />
              {r.text.length > 0 && (
                <text className="ladder-payload" textAnchor="middle" data-testid="ladder-payload" xmlSpace="preserve">
                  {r.text.map((t, k) => (
                    <tspan key={k} x={t.x} y={t.y}>
                      {visibleText(t.text)}
                    </tspan>
                  ))}
                </text>
              )}
              {r.calls.map((c, k) => (
                <text
                  key={k}
                  x={c.x}
                  y={c.y}
                  textAnchor={c.anchor ? ANCHOR[c.anchor] : undefined}
                  className={`ladder-call call-${c.call}`}
                  data-testid="ladder-call"
                  data-call={c.call}
                  data-lane={c.lane}
                >
                  {c.text}
                </text>
              ))}
            </g>
          )
        })}
      </svg>
      {omitted > 0 && (
        <p className="small muted ladder-omitted" data-testid="ladder-omitted">
          The first {ladder.arrows.length} packets are drawn; {omitted} more are in the packet list and in the exported files.
        </p>
      )}
    </div>
  )
})
