// Traffic: every message the app's sockets sent or received, filtered by connection, direction and
// text; the exercises' own messages apart from Many clients' (a crowd never pushes them out); the rows
// on screen exported as JSON or text from the host's log.

import { endpointText } from '@shared/endpoint'
import { useCallback, useDeferredValue, useEffect, useMemo, useState, type ReactNode } from 'react'
import { TRAFFIC_LOG_MESSAGES, type TrafficFormat, type TrafficMessage } from '@shared/contract'
import { FormError } from '../components/fields'
import { MessageDetail, TrafficList } from '../components/TrafficList'
import { downloadText, formatCount } from '../format'
import {
  appStore,
  clearTrafficFocus,
  formKey,
  setTrafficFilter,
  useActions,
  useApp,
  type AppState,
  type Direction,
  type TrafficSource,
} from '../store'

/** Messages matching the filter; `conn` is an exact connId or text found in its id, addresses, role or name. */
export function filterTraffic(
  list: readonly TrafficMessage[],
  connections: AppState['connections'],
  conn: string,
  dir: Direction,
  text: string,
): readonly TrafficMessage[] {
  const c = conn.trim()
  const t = text.trim().toLowerCase()
  if (!c && dir === 'all' && !t) return list
  let connOk: ((id: string) => boolean) | null = null
  if (c) {
    if (connections[c]) connOk = (id) => id === c
    else {
      const cache = new Map<string, boolean>()
      const needle = c.toLowerCase()
      connOk = (id) => {
        let ok = cache.get(id)
        if (ok === undefined) {
          const x = connections[id]
          ok =
            id.toLowerCase().includes(needle) ||
            (!!x &&
              (endpointText(x.local).includes(needle) ||
                endpointText(x.remote).includes(needle) ||
                x.role === needle ||
                (x.clientName ?? '').toLowerCase().includes(needle)))
          cache.set(id, ok)
        }
        return ok
      }
    }
  }
  return list.filter(
    (m) => (dir === 'all' || m.dir === dir) && (!connOk || connOk(m.connId)) && (!t || m.text.toLowerCase().includes(t)),
  )
}

const SOURCES: readonly { value: TrafficSource; label: string }[] = [
  { value: 'exercises', label: 'Exercises' },
  { value: 'many-clients', label: 'Many clients' },
]

export function TrafficPage(): ReactNode {
  const actions = useActions()
  const filter = useApp((s) => s.trafficFilter)
  const many = filter.source === 'many-clients'
  const traffic = useApp((s) => (many ? s.manyTraffic : s.traffic))
  const counts = useApp((s) => `${s.traffic.length}|${s.manyTraffic.length}`)
  const connections = useApp((s) => s.connections)
  const dropped = useApp((s) => s.droppedMessages)
  const trimmed = useApp((s) => s.trafficTrimmed)
  const droppedLines = useApp((s) => s.droppedLines)
  const [hex, setHex] = useState(false)
  // Opened from a captured packet: that packet's message, selected.
  const [focus] = useState(() => appStore.getState().trafficFocus)
  const [selected, setSelected] = useState<TrafficMessage | undefined>(() => {
    const st = appStore.getState()
    return focus ? (st.traffic.find((m) => m.seq === focus.seq) ?? st.manyTraffic.find((m) => m.seq === focus.seq)) : undefined
  })
  useEffect(() => clearTrafficFocus(appStore), [])
  const [exporting, setExporting] = useState<TrafficFormat | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  // Typing in the filters stays responsive while a big list is re-filtered.
  const deferred = useDeferredValue(filter)
  const shown = useMemo(
    () => filterTraffic(traffic, connections, deferred.conn, deferred.dir, deferred.text),
    [traffic, connections, deferred],
  )
  const filtered = shown.length !== traffic.length
  const [ownCount, manyCount] = counts.split('|').map(Number)

  const onSelect = useCallback((m: TrafficMessage | undefined) => setSelected(m), [])
  const onConn = useCallback((connId: string) => setTrafficFilter(appStore, { conn: connId }), [])

  const doExport = async (format: TrafficFormat): Promise<void> => {
    setExporting(format)
    setSaved(null)
    try {
      const file = await actions.exportTraffic({
        format,
        ...(many ? { many: true } : {}),
        ...(filtered ? { seqs: shown.map((m) => m.seq) } : {}),
      })
      if (file) {
        downloadText(file.filename, file.content, format === 'json' ? 'application/json' : 'text/plain')
        setSaved(`Saved ${formatCount(file.count)} message${file.count === 1 ? '' : 's'} to ${file.filename}`)
      }
    } finally {
      setExporting(null)
    }
  }

  const empty = traffic.length
    ? 'Nothing matches this filter.'
    : many
      ? 'No Many clients messages yet: start a run on the Many clients page.'
      : 'No messages yet. Run an exercise: every message shows here.'

  return (
    <div className="page page-fill" data-testid="page-traffic">
      <header className="page-head">
        <h2>Traffic</h2>
        <p className="muted">
          Every message sent (→) and received (←) by this app&rsquo;s servers and clients, as the sockets saw it. Many clients
          have a log of their own, so a crowd never pushes out your exercises&rsquo; messages.
        </p>
      </header>
      <div className="toolbar" role="search">
        <div className="seg" role="radiogroup" aria-label="Whose messages">
          {SOURCES.map((o) => (
            <button
              key={o.value}
              type="button"
              role="radio"
              aria-checked={filter.source === o.value}
              className={`seg-btn ${filter.source === o.value ? 'on' : ''}`}
              data-testid={`traffic-source-${o.value}`}
              onClick={() => {
                setSelected(undefined)
                setTrafficFilter(appStore, { source: o.value })
              }}
            >
              {o.label} ({formatCount(o.value === 'exercises' ? ownCount : manyCount)})
            </button>
          ))}
        </div>
        <div className="field w-l">
          <label htmlFor="traffic-conn">Connection</label>
          <div className="field-row">
            <input
              id="traffic-conn"
              className="mono"
              placeholder="conn-12, 127.0.0.1:5000, a name, client"
              value={filter.conn}
              data-testid="traffic-filter-conn"
              onChange={(e) => setTrafficFilter(appStore, { conn: e.target.value })}
            />
            {filter.conn && (
              <button
                type="button"
                className="btn ghost small"
                onClick={() => setTrafficFilter(appStore, { conn: '' })}
                aria-label="Clear connection filter"
              >
                ✕
              </button>
            )}
          </div>
        </div>
        <div className="field w-s">
          <label htmlFor="traffic-dir">Direction</label>
          <select
            id="traffic-dir"
            value={filter.dir}
            data-testid="traffic-filter-dir"
            onChange={(e) => setTrafficFilter(appStore, { dir: e.target.value as Direction })}
          >
            <option value="all">Both</option>
            <option value="out">→ Sent</option>
            <option value="in">← Received</option>
          </select>
        </div>
        <div className="field w-m">
          <label htmlFor="traffic-text">Text contains</label>
          <input
            id="traffic-text"
            value={filter.text}
            data-testid="traffic-filter-text"
            onChange={(e) => setTrafficFilter(appStore, { text: e.target.value })}
          />
        </div>
        <div className="field check toolbar-check">
          <div className="check-row">
            <input
              id="traffic-hex"
              type="checkbox"
              checked={hex}
              onChange={(e) => setHex(e.target.checked)}
              data-testid="traffic-hex"
            />
            <label htmlFor="traffic-hex">Hex</label>
          </div>
        </div>
        <div className="toolbar-spacer" />
        <div className="btn-group">
          <button
            type="button"
            className="btn"
            disabled={exporting !== null || !shown.length}
            onClick={() => void doExport('json')}
            data-testid="traffic-export-json"
            title={filtered ? 'Save the messages this filter shows' : 'Save every message of this log'}
          >
            {exporting === 'json' ? 'Exporting…' : filtered ? 'Export shown (JSON)' : 'Export JSON'}
          </button>
          <button
            type="button"
            className="btn"
            disabled={exporting !== null || !shown.length}
            onClick={() => void doExport('text')}
            data-testid="traffic-export-text"
            title={filtered ? 'Save the messages this filter shows' : 'Save every message of this log'}
          >
            {exporting === 'text' ? 'Exporting…' : filtered ? 'Export shown (text)' : 'Export text'}
          </button>
        </div>
      </div>
      <FormError form={formKey.traffic} fields={[]} />
      <div className="list-info small">
        <span data-testid="traffic-count">
          {filtered
            ? `${formatCount(shown.length)} of ${formatCount(traffic.length)} messages`
            : `${formatCount(traffic.length)} messages`}
        </span>
        <span className="muted"> · the last {formatCount(TRAFFIC_LOG_MESSAGES)} are kept</span>
        {filtered && <span className="muted"> · export saves only the {formatCount(shown.length)} shown</span>}
        {saved && (
          <span className="ok-text" data-testid="traffic-saved" role="status">
            {' '}
            · {saved}
          </span>
        )}
        {dropped > 0 && (
          <span className="warn-text" data-testid="traffic-dropped">
            {' '}
            · {formatCount(dropped)} messages came too fast to show here (they are in the log and the counters)
          </span>
        )}
        {droppedLines > 0 && (
          <span className="warn-text"> · {formatCount(droppedLines)} console lines came too fast to show</span>
        )}
        {trimmed > 0 && <span className="muted"> · {formatCount(trimmed)} older messages left the log</span>}
        {focus && (
          <span className={selected?.seq === focus.seq ? 'capture-note' : 'warn-text'} data-testid="traffic-from-capture">
            {' '}
            ·{' '}
            {selected?.seq === focus.seq
              ? `packet #${focus.packet} of the capture carried message #${focus.seq}`
              : `message #${focus.seq} (packet #${focus.packet}) has left this view`}
          </span>
        )}
      </div>
      <TrafficList
        messages={shown}
        hex={hex}
        selectedSeq={selected?.seq}
        revealSeq={focus?.seq}
        onSelect={onSelect}
        onConn={onConn}
        label="Messages"
        testid="traffic-list"
        empty={empty}
      />
      {selected && <MessageDetail m={selected} />}
    </div>
  )
}
