// The captured packets, as Wireshark's packet list but in the lab's words: flags spelled out, the
// payload as text, what each packet is in its connection's life, and the Traffic message it carried.
// Virtualised (only visible rows exist); each connection has its own colour on the left edge, the
// handshake and teardown rows are tagged.

import { memo, useCallback, useEffect, useRef, type ReactNode } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { nextIndex, onListKey } from './listKeys'
import type { CapturedPacket } from '@shared/contract'
import { flagsText, packetNote, phaseDetail } from '@shared/ladder-words'
import { endpoint, messageSeqOf, PHASE_LABEL, relativeTime, type PacketRow } from '../packets'

export const PACKET_ROW_HEIGHT = 28

interface RowProps {
  row: PacketRow
  t0: number
  top: number
  selected: boolean
  onSelect(p: CapturedPacket): void
  onMessage(p: CapturedPacket): void
}

const Row = memo(function Row({ row, t0, top, selected, onSelect, onMessage }: RowProps) {
  const { p, phase, colour } = row
  const detail = phaseDetail(p)
  const messageSeq = messageSeqOf(p)
  return (
    <div
      className={`vrow packet-row conn-c${colour} phase-${phase} ${selected ? 'selected' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      role="option"
      aria-selected={selected}
      id={`pkt-${p.no}`}
      data-testid="packet-row"
      data-no={p.no}
      data-flags={flagsText(p.flags)}
      data-phase={phase}
      data-from={p.from}
      data-retransmits={p.retransmits}
      data-conn={row.key}
      onClick={() => onSelect(p)}
    >
      <span className="c-no mono">{p.no}</span>
      <span className="c-time mono">{relativeTime(p.t, t0)}</span>
      <span className="c-route mono" title={`${endpoint(p.src)} → ${endpoint(p.dst)}`}>
        {endpoint(p.src)} <span className="arrow">→</span> {endpoint(p.dst)}
      </span>
      <span className="c-flags mono" data-testid="packet-flags">
        {flagsText(p.flags)}
      </span>
      <span className="c-num mono">{p.seq}</span>
      <span className="c-num mono">{p.ack}</span>
      <span className="c-num mono">{p.len}</span>
      <span className="c-note" title={packetNote(p)} data-testid="packet-note">
        {phase !== 'ack' && (
          <span className={`tag tag-${phase}`} data-testid="packet-tag">
            {PHASE_LABEL[phase]}
          </span>
        )}{' '}
        <span className={phase === 'ack' ? 'muted' : ''}>{phase === 'ack' ? 'ACK' : detail}</span>
      </span>
      <span className="c-payload mono" data-testid="packet-payload" title={p.payload || undefined}>
        {p.payload}
      </span>
      <span className="c-msg">
        {messageSeq !== undefined && (
          <button
            type="button"
            className="btn ghost small msg-link"
            tabIndex={-1}
            data-testid="packet-message"
            data-seq={messageSeq}
            title={`Open message #${messageSeq} in Traffic`}
            onClick={(e) => {
              e.stopPropagation()
              onMessage(p)
            }}
          >
            msg #{messageSeq}
          </button>
        )}
      </span>
    </div>
  )
})

interface PacketListProps {
  rows: readonly PacketRow[]
  selectedNo?: number
  onSelect(p: CapturedPacket | undefined): void
  onMessage(p: CapturedPacket): void
  empty: ReactNode
}

export function PacketList(p: PacketListProps): ReactNode {
  const scroller = useRef<HTMLDivElement>(null)
  // Follow new packets only once the student has scrolled to the end: a live capture must not push
  // the handshake out of view while it is being read.
  const atBottom = useRef(false)
  const t0 = p.rows.length ? p.rows[0].p.t : 0
  const packetRows = p.rows
  const getItemKey = useCallback((i: number) => packetRows[i].p.no, [packetRows])
  const v = useVirtualizer({
    count: p.rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => PACKET_ROW_HEIGHT,
    overscan: 12,
    getItemKey,
  })

  // Keep the newest packet in view while scrolled to the bottom, as a live capture goes on.
  useEffect(() => {
    if (atBottom.current && p.rows.length) v.scrollToIndex(p.rows.length - 1, { align: 'end' })
  }, [p.rows.length, v])

  // A packet selected elsewhere (the ladder, the step-through) is scrolled into view.
  const selectedIndex = p.selectedNo === undefined ? -1 : p.rows.findIndex((r) => r.p.no === p.selectedNo)
  useEffect(() => {
    if (selectedIndex >= 0) v.scrollToIndex(selectedIndex, { align: 'auto' })
  }, [selectedIndex, v])

  const move = (delta: number): void => {
    const list = p.rows
    if (!list.length) return
    const next = nextIndex(p.selectedNo === undefined ? -1 : list.findIndex((r) => r.p.no === p.selectedNo), delta, list.length)
    p.onSelect(list[next].p)
    v.scrollToIndex(next, { align: 'auto' })
  }

  return (
    <div className="vlist-wrap packet-list">
      <div className="vhead packet-head" aria-hidden="true">
        <span>No.</span>
        <span>Time</span>
        <span>Source → Destination</span>
        <span>Flags</span>
        <span className="right">Seq</span>
        <span className="right">Ack</span>
        <span className="right">Len</span>
        <span>What it is</span>
        <span>Payload (text)</span>
        <span>Traffic</span>
      </div>
      <div
        ref={scroller}
        className="vlist"
        role="listbox"
        aria-label="Captured packets"
        tabIndex={0}
        data-testid="packet-list"
        aria-activedescendant={p.selectedNo !== undefined ? `pkt-${p.selectedNo}` : undefined}
        onScroll={(e) => {
          const el = e.currentTarget
          atBottom.current =
            el.scrollHeight > el.clientHeight && el.scrollHeight - el.scrollTop - el.clientHeight < PACKET_ROW_HEIGHT * 2
        }}
        onKeyDown={(e) => onListKey(e, move, () => p.onSelect(undefined))}
      >
        {p.rows.length === 0 ? (
          <div className="vlist-empty">{p.empty}</div>
        ) : (
          <div style={{ height: v.getTotalSize(), position: 'relative' }}>
            {v.getVirtualItems().map((item) => {
              const row = p.rows[item.index]
              return (
                <Row
                  key={row.p.no}
                  row={row}
                  t0={t0}
                  top={item.start}
                  selected={row.p.no === p.selectedNo}
                  onSelect={p.onSelect}
                  onMessage={p.onMessage}
                />
              )
            })}
          </div>
        )}
      </div>
    </div>
  )
}
