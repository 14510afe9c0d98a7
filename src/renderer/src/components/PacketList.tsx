// The captured packets, as Wireshark's packet list but in the lab's words: flags spelled out, the
// payload as text, what each packet is in its connection's life, and the Traffic message it carried.
// Virtualised (only visible rows exist); each connection has its own colour on the left edge, the
// handshake and teardown rows are tagged.

import { memo, type ReactNode } from 'react'
import { VirtualList } from './VirtualList'
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
      {/* In a narrow window only the ports show (both ends' addresses stay in the title). */}
      <span className="c-route mono" title={`${endpoint(p.src)} → ${endpoint(p.dst)}`}>
        <span className="wide-only">
          {endpoint(p.src)} <span className="arrow">→</span> {endpoint(p.dst)}
        </span>
        <span className="narrow-only">
          {p.src.port} <span className="arrow">→</span> {p.dst.port}
        </span>
      </span>
      <span className="c-flags mono" data-testid="packet-flags" title={flagsText(p.flags)}>
        {flagsText(p.flags)}
      </span>
      <span className="c-num mono" title={`Seq=${p.seq}`}>
        {p.seq}
      </span>
      <span className="c-num mono" title={`Ack=${p.ack}`}>
        {p.ack}
      </span>
      <span className="c-num mono" title={`Len=${p.len}`}>
        {p.len}
      </span>
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
          // Not a button: a row of a listbox holds no controls of its own (keyboard users open the message
          // from the selected packet's detail). A click here is a shortcut for the mouse.
          <span
            className="btn ghost small msg-link"
            data-testid="packet-message"
            data-seq={messageSeq}
            title={`Open message #${messageSeq} in Traffic`}
            onClick={(e) => {
              e.stopPropagation()
              onMessage(p)
            }}
          >
            msg #{messageSeq}
          </span>
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

const packetKey = (r: PacketRow): number => r.p.no
const packetId = (r: PacketRow): string => `pkt-${r.p.no}`

export function PacketList(p: PacketListProps): ReactNode {
  const t0 = p.rows.length ? p.rows[0].p.t : 0
  const { onSelect, onMessage } = p
  return (
    <VirtualList
      className="packet-list"
      items={p.rows}
      rowHeight={PACKET_ROW_HEIGHT}
      itemKey={packetKey}
      rowId={packetId}
      selectedIndex={p.selectedNo === undefined ? -1 : p.rows.findIndex((r) => r.p.no === p.selectedNo)}
      onSelect={(r) => onSelect(r?.p)}
      label="Captured packets"
      testid="packet-list"
      empty={p.empty}
      // A live capture must not push the handshake out of view while it is read: follow new packets only
      // once the student has scrolled to the end; a packet picked in the ladder or the step is shown.
      followAfterScroll
      revealSelected
      header={
        <div className="vhead packet-head" aria-hidden="true">
          <span>No.</span>
          <span>Time</span>
          <span>
            <span className="wide-only">Source → Destination</span>
            <span className="narrow-only">Ports</span>
          </span>
          <span>Flags</span>
          <span className="right">Seq</span>
          <span className="right">Ack</span>
          <span className="right">Len</span>
          <span>What it is</span>
          <span>
            Payload<span className="wide-only"> (text)</span>
          </span>
          <span>Traffic</span>
        </div>
      }
      renderRow={(row, top) => (
        <Row
          key={row.p.no}
          row={row}
          t0={t0}
          top={top}
          selected={row.p.no === p.selectedNo}
          onSelect={onSelect}
          onMessage={onMessage}
        />
      )}
    />
  )
}
