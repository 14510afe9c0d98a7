// Connections: every live and recent connection with exact byte and message counts. Virtualised,
// so a thousand clients scroll smoothly; select one for its message timeline, close it from here.

import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { ConnectionInfo, TrafficMessage } from '@shared/contract'
import { endpointText } from '@shared/endpoint'
import { isCapturePort } from '@shared/filters'
import { FormError } from '../components/fields'
import { ConnectionLadder } from '../components/LadderViews'
import { MessageDetail, TrafficList } from '../components/TrafficList'
import { WiresharkFilters } from '../components/WiresharkFilters'
import { downloadText, formatAge, formatBytes, formatCount } from '../format'
import { appStore, formKey, selectConnection, setTrafficFilter, useActions, useApp } from '../store'

const ROW = 30

/** `conn-42` → 42, for a natural order of ids. */
function idNumber(id: string): number {
  const m = /(\d+)$/.exec(id)
  return m ? Number(m[1]) : 0
}
type Show = 'all' | 'live' | 'closed'

const EXERCISE_SHORT: Record<string, string> = {
  greeting: 'Greeting',
  dedup: 'Dedup',
  intersection: 'Intersection',
  adder: 'Adder',
}

/** A clock for ages: one tick a second, shared by the visible rows. */
function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(t)
  }, [ms])
  return now
}

interface RowProps {
  c: ConnectionInfo
  selected: boolean
  now: number
  top: number
  onSelect(connId: string): void
  onClose(connId: string): void
}

const ConnRow = memo(function ConnRow({ c, selected, now, top, onSelect, onClose }: RowProps) {
  const live = c.state !== 'closed'
  const age = (c.closedAt ?? now) - c.openedAt
  return (
    <div
      className={`vrow conn-row ${live ? 'live' : 'closed'} ${selected ? 'selected' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      role="option"
      aria-selected={selected}
      id={`row-${c.connId}`}
      data-testid="conn-row"
      data-conn={c.connId}
      data-state={c.state}
      onClick={() => onSelect(c.connId)}
    >
      <span className={`c-role role-${c.role}`}>{c.role}</span>
      <span className="c-ex">{EXERCISE_SHORT[c.exercise] ?? c.exercise}</span>
      <span className="c-addr mono" title={endpointText(c.local)}>
        {endpointText(c.local)}
      </span>
      <span className="c-addr mono" title={endpointText(c.remote)}>
        {endpointText(c.remote)}
      </span>
      <span className="c-name" title={c.clientName}>
        {c.clientName ?? ''}
      </span>
      <span className={`c-state state-${c.state}`} title={c.closeReason}>
        {c.state}
      </span>
      <span className="c-num mono" title={`${c.counters.bytesIn} bytes in, ${c.counters.bytesOut} bytes out`}>
        {formatBytes(c.counters.bytesIn)} / {formatBytes(c.counters.bytesOut)}
      </span>
      <span className="c-num mono">
        {c.counters.messagesIn} / {c.counters.messagesOut}
      </span>
      <span className="c-age mono">{formatAge(age)}</span>
      <span className="c-act">
        {live && (
          <button
            type="button"
            className="btn ghost small"
            tabIndex={-1}
            data-testid="conn-close"
            aria-label={`Close ${c.connId}`}
            onClick={(e) => {
              e.stopPropagation()
              onClose(c.connId)
            }}
          >
            Close
          </button>
        )}
      </span>
    </div>
  )
})

export function ConnectionsPage(): ReactNode {
  const actions = useActions()
  const connections = useApp((s) => s.connections)
  const selectedId = useApp((s) => s.selectedConn)
  const [show, setShow] = useState<Show>('all')
  const [query, setQuery] = useState('')
  const q = useDeferredValue(query.trim().toLowerCase())
  const now = useNow()
  const scroller = useRef<HTMLDivElement>(null)

  const all = useMemo(() => Object.values(connections), [connections])
  const live = useMemo(() => all.reduce((n, c) => n + (c.state !== 'closed' ? 1 : 0), 0), [all])
  const rows = useMemo(() => {
    // Every word must match something: "client 127.0.0.1:12345" = client sides towards that server.
    const terms = q.split(/\s+/).filter(Boolean)
    const list = all.filter(
      (c) =>
        (show === 'all' || (show === 'live') === (c.state !== 'closed')) &&
        terms.every(
          (t) =>
            c.connId.includes(t) ||
            endpointText(c.local).includes(t) ||
            endpointText(c.remote).includes(t) ||
            c.exercise.includes(t) ||
            c.role.includes(t) ||
            c.ownerId.includes(t) ||
            c.state.includes(t) ||
            (c.clientName ?? '').toLowerCase().includes(t),
        ),
    )
    // Newest first; ids (conn-7 before conn-12) break ties so the order never jumps.
    return list.sort(
      (a, b) => b.openedAt - a.openedAt || idNumber(b.connId) - idNumber(a.connId) || (a.connId < b.connId ? 1 : -1),
    )
  }, [all, show, q])

  const getItemKey = useCallback((i: number) => rows[i].connId, [rows])
  const v = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 10,
    getItemKey,
  })

  const onSelect = useCallback((connId: string) => selectConnection(appStore, connId), [])
  const onClose = useCallback((connId: string) => void actions.closeConnection(connId), [actions])

  const move = (delta: number): void => {
    if (!rows.length) return
    const i = selectedId ? rows.findIndex((c) => c.connId === selectedId) : -1
    const next = Math.max(0, Math.min(rows.length - 1, i < 0 ? 0 : i + delta))
    selectConnection(appStore, rows[next].connId)
    v.scrollToIndex(next, { align: 'auto' })
  }

  const selected = selectedId ? connections[selectedId] : undefined

  return (
    <div className="page page-fill" data-testid="page-connections">
      <header className="page-head">
        <h2>Connections</h2>
        <p className="muted">
          Every connection of this app&rsquo;s servers, clients and Many clients, live and recent, with exact byte counts.
        </p>
      </header>
      <div className="toolbar">
        <div className="seg" role="radiogroup" aria-label="Show">
          {(['all', 'live', 'closed'] as const).map((k) => (
            <button
              key={k}
              type="button"
              role="radio"
              aria-checked={show === k}
              className={`seg-btn ${show === k ? 'on' : ''}`}
              onClick={() => setShow(k)}
              data-testid={`conn-show-${k}`}
            >
              {k === 'all' ? 'All' : k === 'live' ? 'Live' : 'Closed'}
            </button>
          ))}
        </div>
        <div className="field w-l inline">
          <label htmlFor="conn-filter" className="sr-only">
            Filter connections
          </label>
          <input
            id="conn-filter"
            placeholder="Filter: address, name, role, exercise (words combine)"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            data-testid="conn-filter"
          />
        </div>
        <div className="toolbar-spacer" />
        <span className="counts small">
          <span className="pill ok" data-testid="conn-count-live">
            {formatCount(live)} live
          </span>{' '}
          <span className="pill" data-testid="conn-count-closed">
            {formatCount(all.length - live)} closed
          </span>{' '}
          <span className="muted" data-testid="conn-count-shown">
            {formatCount(rows.length)} shown
          </span>
        </span>
      </div>
      <FormError form={formKey.connections} fields={[]} />
      <div className="vlist-wrap conn-list">
        <div className="vhead conn-head" aria-hidden="true">
          <span>Role</span>
          <span>Exercise</span>
          <span>Local</span>
          <span>Remote</span>
          <span>Peer name</span>
          <span>State</span>
          <span className="right">Bytes in/out</span>
          <span className="right">Msgs in/out</span>
          <span className="right">Age</span>
          <span />
        </div>
        <div
          ref={scroller}
          className="vlist"
          role="listbox"
          aria-label="Connections"
          tabIndex={0}
          data-testid="conn-list"
          aria-activedescendant={selectedId && rows.some((c) => c.connId === selectedId) ? `row-${selectedId}` : undefined}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') move(1)
            else if (e.key === 'ArrowUp') move(-1)
            else if (e.key === 'PageDown') move(20)
            else if (e.key === 'PageUp') move(-20)
            else if (e.key === 'Home') move(-Infinity)
            else if (e.key === 'End') move(Infinity)
            else if (e.key === 'Delete' && selected && selected.state !== 'closed') void actions.closeConnection(selected.connId)
            else if (e.key === 'Escape') selectConnection(appStore, undefined)
            else return
            e.preventDefault()
          }}
        >
          {rows.length === 0 ? (
            <div className="vlist-empty">
              {all.length ? 'No connection matches the filter.' : 'No connections yet. Start a server or a client.'}
            </div>
          ) : (
            <div style={{ height: v.getTotalSize(), position: 'relative' }}>
              {v.getVirtualItems().map((item) => {
                const c = rows[item.index]
                return (
                  <ConnRow
                    key={c.connId}
                    c={c}
                    selected={c.connId === selectedId}
                    now={now}
                    top={item.start}
                    onSelect={onSelect}
                    onClose={onClose}
                  />
                )
              })}
            </div>
          )}
        </div>
      </div>
      {selected && <ConnectionDetail c={selected} now={now} />}
    </div>
  )
}

/** The exercise (server's) port of a connection, the other end's port, and the remote address. */
function filterPorts(c: ConnectionInfo): { port: number; peerPort: number; remote: string } | undefined {
  const { local, remote } = c
  if (!local) return undefined
  const [port, peerPort] = c.role === 'server' ? [local.port, remote.port] : [remote.port, local.port]
  return isCapturePort(port) && isCapturePort(peerPort) ? { port, peerPort, remote: remote.address } : undefined
}

function ConnectionDetail({ c, now }: { c: ConnectionInfo; now: number }): ReactNode {
  const actions = useActions()
  const traffic = useApp((s) => s.traffic)
  const messages = useMemo(() => traffic.filter((m) => m.connId === c.connId), [traffic, c.connId])
  const [hex, setHex] = useState(false)
  const [picked, setPicked] = useState<TrafficMessage | undefined>()
  const onSelect = useCallback((m: TrafficMessage | undefined) => setPicked(m), [])
  const live = c.state !== 'closed'
  const ports = filterPorts(c)

  return (
    <section className="panel conn-detail" data-testid="conn-detail" aria-label={`Connection ${c.connId}`}>
      <header className="pane-head">
        <h3>
          <span className="mono">{c.connId}</span> <span className="muted">·</span> {c.role} of {EXERCISE_SHORT[c.exercise]}
          {c.clientName && (
            <>
              {' '}
              <span className="muted">·</span> {c.clientName}
            </>
          )}
        </h3>
        <div className="btn-group">
          <label className="inline-check small">
            <input type="checkbox" checked={hex} onChange={(e) => setHex(e.target.checked)} /> Hex
          </label>
          <button
            type="button"
            className="btn small"
            onClick={() => {
              setTrafficFilter(appStore, { conn: c.connId, dir: 'all', text: '' })
              window.location.hash = '#/traffic'
            }}
            data-testid="conn-show-traffic"
          >
            Show in Traffic
          </button>
          <button
            type="button"
            className="btn small"
            onClick={async () => {
              const file = await actions.exportTraffic('text', c.connId)
              if (file) downloadText(file.filename, file.content)
            }}
          >
            Export
          </button>
          {live && (
            <button
              type="button"
              className="btn small danger"
              onClick={() => void actions.closeConnection(c.connId)}
              data-testid="conn-detail-close"
            >
              Close connection
            </button>
          )}
          <button
            type="button"
            className="btn ghost small"
            aria-label="Hide details"
            onClick={() => selectConnection(appStore, undefined)}
          >
            ✕
          </button>
        </div>
      </header>
      <div className="conn-facts small">
        <span>
          <span className="muted">local</span> <span className="mono">{endpointText(c.local)}</span>
        </span>
        <span>
          <span className="muted">remote</span> <span className="mono">{endpointText(c.remote)}</span>
        </span>
        <span>
          <span className="muted">state</span> <span className={`state-${c.state}`}>{c.state}</span>
          {c.closeReason && <span className="muted"> ({c.closeReason})</span>}
        </span>
        <span>
          <span className="muted">in</span> {formatCount(c.counters.bytesIn)} B in {c.counters.messagesIn} msgs
        </span>
        <span>
          <span className="muted">out</span> {formatCount(c.counters.bytesOut)} B in {c.counters.messagesOut} msgs
        </span>
        <span>
          <span className="muted">{live ? 'open for' : 'lived'}</span> {formatAge((c.closedAt ?? now) - c.openedAt)}
        </span>
      </div>
      {ports && (
        <WiresharkFilters port={ports.port} peerPort={ports.peerPort} neighbour={ports.remote} testid="conn-filters" compact />
      )}
      <div className="timeline">
        <TrafficList
          messages={messages}
          hex={hex}
          selectedSeq={picked?.seq}
          onSelect={onSelect}
          showConn={false}
          label={`Messages of ${c.connId}`}
          testid="conn-timeline"
          empty={
            c.counters.messagesIn + c.counters.messagesOut > 0
              ? 'Its messages have left the Traffic view’s window (Export has the host’s log).'
              : 'No messages on this connection yet.'
          }
        />
      </div>
      {picked && <MessageDetail m={picked} />}
      <ConnectionLadder conn={c} selectedSeq={picked?.seq} onMessage={(seq) => setPicked(messages.find((m) => m.seq === seq))} />
    </section>
  )
}
