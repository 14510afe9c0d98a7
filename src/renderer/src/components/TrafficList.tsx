// A virtualised list of messages (the Traffic view and a connection's timeline): only the visible
// rows exist in the DOM, and each row re-renders only when its own message or connection changes.

import { memo, useCallback, useEffect, useRef, type ReactNode } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { nextIndex, onListKey } from './listKeys'
import type { TrafficMessage } from '@shared/contract'
import { endpointText } from '@shared/endpoint'
import { formatBytes, formatTime, oneLine } from '../format'
import { useApp } from '../store'

export const ROW_HEIGHT = 26

const ConnLabel = memo(function ConnLabel({ connId }: { connId: string }) {
  const conn = useApp((s) => s.connections[connId])
  if (!conn) return <span className="mono">{connId}</span>
  return (
    <span className="mono" title={`${endpointText(conn.local)} ⇄ ${endpointText(conn.remote)}`}>
      {connId} <span className="muted">{endpointText(conn.remote)}</span>
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

export function TrafficList(p: TrafficListProps): ReactNode {
  const scroller = useRef<HTMLDivElement>(null)
  const atBottom = useRef(true)
  const showConn = p.showConn ?? true
  // A stable key function: a new one each render makes the virtualiser re-measure every row.
  const messages = p.messages
  const getItemKey = useCallback((i: number) => messages[i].seq, [messages])
  const v = useVirtualizer({
    count: p.messages.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey,
  })

  useEffect(() => {
    if ((p.follow ?? true) && atBottom.current && p.messages.length) v.scrollToIndex(p.messages.length - 1, { align: 'end' })
  }, [p.messages.length, p.follow, v])

  const revealed = useRef(false)
  useEffect(() => {
    if (p.revealSeq === undefined || revealed.current) return
    const i = p.messages.findIndex((m) => m.seq === p.revealSeq)
    if (i < 0) return
    revealed.current = true
    atBottom.current = false
    v.scrollToIndex(i, { align: 'center' })
  }, [p.revealSeq, p.messages, v])

  const move = (delta: number): void => {
    const list = p.messages
    if (!list.length) return
    const next = nextIndex(p.selectedSeq === undefined ? -1 : list.findIndex((m) => m.seq === p.selectedSeq), delta, list.length)
    p.onSelect(list[next])
    v.scrollToIndex(next, { align: 'auto' })
  }

  return (
    <div className="vlist-wrap">
      <div className={`vhead traffic-head ${showConn ? '' : 'no-conn'}`} aria-hidden="true">
        <span>Time</span>
        <span>Dir</span>
        {showConn && <span>Connection</span>}
        <span className="right">Size</span>
        <span>{p.hex ? 'Bytes (hex)' : 'Text'}</span>
      </div>
      <div
        ref={scroller}
        className="vlist"
        role="listbox"
        aria-label={p.label}
        tabIndex={0}
        data-testid={p.testid}
        aria-activedescendant={p.selectedSeq !== undefined ? `msg-${p.selectedSeq}` : undefined}
        onScroll={(e) => {
          const el = e.currentTarget
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 2
        }}
        onKeyDown={(e) => onListKey(e, move, () => p.onSelect(undefined))}
      >
        {p.messages.length === 0 ? (
          <div className="vlist-empty">{p.empty}</div>
        ) : (
          <div style={{ height: v.getTotalSize(), position: 'relative' }}>
            {v.getVirtualItems().map((item) => {
              const m = p.messages[item.index]
              return (
                <Row
                  key={m.seq}
                  m={m}
                  hex={p.hex}
                  top={item.start}
                  selected={m.seq === p.selectedSeq}
                  showConn={showConn}
                  onSelect={p.onSelect}
                  onConn={p.onConn}
                />
              )
            })}
          </div>
        )}
      </div>
    </div>
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
