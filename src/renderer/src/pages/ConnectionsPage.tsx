// Connections: every live and recent connection with exact byte and message counts. Virtualised,
// so a thousand clients scroll smoothly; select one for its message timeline, close it from here.

import { memo, useCallback, useDeferredValue, useEffect, useMemo, useState, type ReactNode } from 'react'
import type { ConnectionInfo, TrafficMessage } from '@shared/contract'
import { endpointText, isLoopbackAddress } from '@shared/endpoint'
import { isCapturePort } from '@shared/filters'
import { FormError } from '../components/fields'
import { ConnectionLadder } from '../components/LadderViews'
import { MessageDetail, TrafficList } from '../components/TrafficList'
import { VirtualList } from '../components/VirtualList'
import { WiresharkFilters } from '../components/WiresharkFilters'
import { exerciseModule } from '../exercises'
import { downloadText, formatAge, formatBytes, formatCount } from '../format'
import { appStore, formKey, selectConnection, setTrafficFilter, useActions, useApp, type AppState } from '../store'

const ROW = 30

/** Who closed a connection and how, as a sentence ("closed by the peer"); undefined when not known. */
export function closedByText(c: Pick<ConnectionInfo, 'closedBy' | 'closeKind'>): string | undefined {
  const who = c.closedBy === 'us' ? 'SocketLab' : c.closedBy === 'peer' ? 'the peer' : undefined
  switch (c.closeKind) {
    case 'fin':
      return who && `closed by ${who}`
    case 'reset':
      return who ? `reset by ${who}` : 'reset'
    case 'timeout':
      return 'timed out: the peer stopped answering'
    case 'error':
      return 'ended by a socket error'
  }
  return undefined
}

/** The same in a row's few characters ("peer closed", "we reset"); the state when not known. */
function closedShort(c: ConnectionInfo): string {
  if (c.state !== 'closed') return c.state
  const who = c.closedBy === 'us' ? 'we' : c.closedBy === 'peer' ? 'peer' : undefined
  if (c.closeKind === 'timeout') return 'timed out'
  if (who && (c.closeKind === 'fin' || c.closeKind === 'reset')) return `${who} ${c.closeKind === 'fin' ? 'closed' : 'reset'}`
  return c.closeKind === 'reset' ? 'reset' : 'closed'
}
type Show = 'all' | 'live' | 'closed'

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
  /** The name at the other end, when this app knows it (its own client's, or its own server's exercise). */
  peer?: { name?: string; to?: string }
  selected: boolean
  now: number
  top: number
  onSelect(connId: string): void
}

const ConnRow = memo(function ConnRow({ c, peer, selected, now, top, onSelect }: RowProps) {
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
      <span className="c-ex">{exerciseModule(c.exercise).nav}</span>
      <span className="c-addr mono" title={endpointText(c.local)}>
        {endpointText(c.local)}
      </span>
      <span className="c-addr mono" title={endpointText(c.remote)}>
        {endpointText(c.remote)}
      </span>
      <span className="c-name" title={[peer?.name, peer?.to && `→ ${peer.to}`].filter(Boolean).join(' ')} data-testid="conn-peer">
        {peer?.name}
        {peer?.to && (
          <>
            {' '}
            <span className="peer-to">→ {peer.to}</span>
          </>
        )}
      </span>
      <span
        className={`c-state state-${c.state}`}
        title={[closedByText(c), c.closeReason].filter(Boolean).join(': ') || undefined}
        data-testid="conn-state"
      >
        {closedShort(c)}
      </span>
      <span className="c-num mono" title={`${c.counters.bytesIn} bytes in, ${c.counters.bytesOut} bytes out`}>
        {formatBytes(c.counters.bytesIn)} / {formatBytes(c.counters.bytesOut)}
      </span>
      <span className="c-num mono">
        {c.counters.messagesIn} / {c.counters.messagesOut}
      </span>
      <span className="c-age mono">{formatAge(age)}</span>
    </div>
  )
})

/**
 * Who is at the other end: for a server's connection the client's name; for a client's, the name it
 * goes by and the server it reached (`alice-4821`, then `→ our Adder server`).
 */
export function peerOf(c: ConnectionInfo, ownServer?: string): { name?: string; to?: string } | undefined {
  const to = c.role === 'client' && ownServer ? `our ${ownServer} server` : undefined
  return c.clientName || to ? { name: c.clientName, to } : undefined
}

const connKey = (c: ConnectionInfo): string => c.connId
const connRowId = (c: ConnectionInfo): string => `row-${c.connId}`

export function ConnectionsPage(): ReactNode {
  const actions = useActions()
  const connections = useApp((s) => s.connections)
  const selectedId = useApp((s) => s.selectedConn)
  const [show, setShow] = useState<Show>('all')
  const [query, setQuery] = useState('')
  const q = useDeferredValue(query.trim().toLowerCase())
  const now = useNow()

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
    // Newest first; the opening order breaks ties (same millisecond) so the order never jumps.
    return list.sort((a, b) => b.openedAt - a.openedAt || b.seq - a.seq)
  }, [all, show, q])

  const onSelect = useCallback((connId: string) => selectConnection(appStore, connId), [])
  // Which of our servers a client connection reached: the server whose local port it is connected to.
  const ownServerName = useApp((s) => s.servers)

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
            placeholder="Filter: address, name, role…"
            title="Every word must match: client 127.0.0.1:12345 = the client sides towards that server"
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
      <VirtualList
        className="conn-list"
        items={rows}
        rowHeight={ROW}
        itemKey={connKey}
        rowId={connRowId}
        selectedIndex={selectedId ? rows.findIndex((c) => c.connId === selectedId) : -1}
        onSelect={(c) => selectConnection(appStore, c?.connId)}
        follow={false}
        label="Connections"
        testid="conn-list"
        empty={all.length ? 'No connection matches the filter.' : 'No connections yet. Start a server or a client.'}
        onKey={(e) => {
          if (e.key !== 'Delete' || !selected || selected.state === 'closed') return false
          void actions.closeConnection(selected.connId)
          return true
        }}
        header={
          <div className="vhead conn-head" aria-hidden="true">
            <span>Role</span>
            <span>Exercise</span>
            <span>Local</span>
            <span>Remote</span>
            <span>Client name</span>
            <span>State</span>
            <span className="right">Bytes in/out</span>
            <span className="right">Msgs in/out</span>
            <span className="right">Age</span>
          </div>
        }
        renderRow={(c, top) => (
          <ConnRow
            key={c.connId}
            c={c}
            peer={peerOf(c, ourServerAt(ownServerName, c))}
            selected={c.connId === selectedId}
            now={now}
            top={top}
            onSelect={onSelect}
          />
        )}
      />
      {selected && <ConnectionDetail c={selected} now={now} />}
    </div>
  )
}

/** The exercise of our own server a client connection reached, when it reached one of ours. */
function ourServerAt(servers: AppState['servers'], c: ConnectionInfo): string | undefined {
  if (c.role !== 'client' || c.state === 'connecting') return undefined
  for (const id in servers) {
    const e = servers[id]
    if (e.running && e.info.port === c.remote.port && isLoopbackAddress(c.remote.address))
      return exerciseModule(e.info.exercise).nav
  }
  return undefined
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
  // A crowd's connections (both ends) are in Many clients' own log.
  const own = useApp((s) => s.traffic)
  const crowd = useApp((s) => s.manyTraffic)
  const messages = useMemo(() => {
    const mine = own.filter((m) => m.connId === c.connId)
    return mine.length ? mine : crowd.filter((m) => m.connId === c.connId)
  }, [own, crowd, c.connId])
  const many = messages.length > 0 && messages[0].many === true
  const [hex, setHex] = useState(false)
  const [picked, setPicked] = useState<TrafficMessage | undefined>()
  const onSelect = useCallback((m: TrafficMessage | undefined) => setPicked(m), [])
  const live = c.state !== 'closed'
  const ports = filterPorts(c)

  return (
    <section className="panel conn-detail" data-testid="conn-detail" aria-label={`Connection ${c.connId}`}>
      <header className="pane-head">
        <h3>
          <span className="mono">{c.connId}</span> <span className="muted">·</span> {c.role} of {exerciseModule(c.exercise).nav}
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
              setTrafficFilter(appStore, { conn: c.connId, dir: 'all', text: '', source: many ? 'many-clients' : 'exercises' })
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
              const file = await actions.exportTraffic({ format: 'text', connId: c.connId, ...(many ? { many: true } : {}) })
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
          {closedByText(c) && <span data-testid="conn-closed-by"> · {closedByText(c)}</span>}
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
