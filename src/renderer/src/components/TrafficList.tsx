// A virtualised list of messages (the Traffic view and a connection's timeline): only the visible
// rows exist in the DOM, and each row re-renders only when its own message or connection changes.

import { memo, useCallback, type ReactNode } from 'react'
import type { TrafficMessage } from '@shared/contract'
import { endpointText } from '@shared/endpoint'
import { formatBytes, formatTime, oneLine } from '../format'
import { exerciseModule } from '../exercises'
import { useApp } from '../store'
import { VirtualList } from './VirtualList'

export const ROW_HEIGHT = 26

const ConnLabel = memo(function ConnLabel({ connId }: { connId: string }) {
  const conn = useApp((s) => s.connections[connId])
  if (!conn) return <span className="mono">{connId}</span>
  return (
    <span className="conn-label" title={`${connId}: ${endpointText(conn.local)} ⇄ ${endpointText(conn.remote)}`}>
      <span className={`role-tag role-${conn.role}`} data-testid="traffic-role">
        {conn.role}
      </span>{' '}
      <span className="conn-ex" data-testid="traffic-exercise">
        {exerciseModule(conn.exercise).nav}
      </span>{' '}
      {conn.clientName && (
        <b className="conn-name" data-testid="traffic-name">
          {conn.clientName}
        </b>
      )}{' '}
      <span className="mono muted">{endpointText(conn.remote)}</span>
    </span>
  )
})

interface RowProps {
  m: TrafficMessage
  hex: boolean
  selected: boolean
  showConn: boolean
  top: number
  onSelect(m: TrafficMessage): void
  onConn?(connId: string): void
}

const Row = memo(function Row({ m, hex, selected, showConn, top, onSelect, onConn }: RowProps) {
  return (
    <div
      className={`vrow traffic-row ${m.dir} ${selected ? 'selected' : ''} ${showConn ? '' : 'no-conn'}`}
      style={{ transform: `translateY(${top}px)` }}
      role="option"
      aria-selected={selected}
      id={`msg-${m.seq}`}
      data-testid="traffic-row"
      onClick={() => onSelect(m)}
    >
      <span className="c-time mono">{formatTime(m.t)}</span>
      <span className={`c-dir dir-${m.dir}`} title={m.dir === 'in' ? 'received' : 'sent'}>
        {m.dir === 'in' ? '← in' : '→ out'}
      </span>
      {showConn && (
        <span
          className="c-conn"
          onClick={
            onConn
              ? (e) => {
                  e.stopPropagation()
                  onConn(m.connId)
                }
              : undefined
          }
          title="Show only this connection"
        >
          <ConnLabel connId={m.connId} />
        </span>
      )}
      <span className="c-size mono">{formatBytes(m.size)}</span>
      <span className="c-data mono">{hex ? m.hex : oneLine(m.text)}</span>
    </div>
  )
})

interface TrafficListProps {
  messages: readonly TrafficMessage[]
  hex: boolean
  selectedSeq?: number
  /** Scroll this message into view once it is in the list (a message opened from elsewhere). */
  revealSeq?: number
  onSelect(m: TrafficMessage | undefined): void
  onConn?(connId: string): void
  showConn?: boolean
  /** Keep the newest message in view while scrolled to the bottom. */
  follow?: boolean
  label: string
  testid: string
  empty: ReactNode
}

const messageKey = (m: TrafficMessage): number => m.seq
const messageId = (m: TrafficMessage): string => `msg-${m.seq}`

export function TrafficList(p: TrafficListProps): ReactNode {
  const showConn = p.showConn ?? true
  const { messages, onSelect } = p
  const reveal = p.revealSeq === undefined ? -1 : messages.findIndex((m) => m.seq === p.revealSeq)
  const select = useCallback((m: TrafficMessage | undefined) => onSelect(m), [onSelect])
  return (
    <VirtualList
      items={messages}
      rowHeight={ROW_HEIGHT}
      itemKey={messageKey}
      rowId={messageId}
      selectedIndex={p.selectedSeq === undefined ? -1 : messages.findIndex((m) => m.seq === p.selectedSeq)}
      onSelect={select}
      follow={p.follow}
      revealIndex={reveal >= 0 ? reveal : undefined}
      label={p.label}
      testid={p.testid}
      empty={p.empty}
      header={
        <div className={`vhead traffic-head ${showConn ? '' : 'no-conn'}`} aria-hidden="true">
          <span>Time</span>
          <span>Dir</span>
          {showConn && <span>Side and connection</span>}
          <span className="right">Size</span>
          <span>{p.hex ? 'Bytes (hex)' : 'Text'}</span>
        </div>
      }
      renderRow={(m, top) => (
        <Row
          key={m.seq}
          m={m}
          hex={p.hex}
          top={top}
          selected={m.seq === p.selectedSeq}
          showConn={showConn}
          onSelect={p.onSelect}
          onConn={p.onConn}
        />
      )}
    />
  )
}

/** The full text and bytes of one message. */
export function MessageDetail({ m }: { m: TrafficMessage }): ReactNode {
  const conn = useApp((s) => s.connections[m.connId])
  const truncated = m.size > 2048
  return (
    <div className="msg-detail" data-testid="message-detail">
      <div className="msg-meta">
        <b>#{m.seq}</b> · {formatTime(m.t)} · <span className={`dir-${m.dir}`}>{m.dir === 'in' ? 'received' : 'sent'}</span> ·{' '}
        {m.size} bytes · <span className="mono">{m.connId}</span>
        {conn && (
          <span data-testid="message-side">
            {' '}
            · {conn.role}
            {conn.clientName ? ` ${conn.clientName}` : ''} of {exerciseModule(conn.exercise).nav}
          </span>
        )}
        {conn && (
          <span className="mono muted">
            {' '}
            {endpointText(conn.local)} {m.dir === 'in' ? '←' : '→'} {endpointText(conn.remote)}
          </span>
        )}
        {truncated && <span className="muted"> · first 2048 bytes shown</span>}
      </div>
      <div className="msg-bodies">
        <div>
          <div className="small muted">Text (UTF-8)</div>
          <pre className="mono">{m.text}</pre>
        </div>
        <div>
          <div className="small muted">Bytes (hex)</div>
          <pre className="mono">{m.hex}</pre>
        </div>
      </div>
    </div>
  )
}
