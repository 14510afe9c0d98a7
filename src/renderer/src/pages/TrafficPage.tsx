// Traffic: every message the app's sockets sent or received, filtered by connection, direction and
// text; exported as JSON or text from the host's full log.

import { endpointText } from '@shared/endpoint'
import { useCallback, useDeferredValue, useEffect, useMemo, useState, type ReactNode } from 'react'
import type { TrafficFormat, TrafficMessage } from '@shared/contract'
import { FormError } from '../components/fields'
import { MessageDetail, TrafficList } from '../components/TrafficList'
import { downloadText, formatCount } from '../format'
import { appStore, formKey, setTrafficFilter, useActions, useApp, type AppState, type Direction } from '../store'

/** Messages matching the filter; `conn` is an exact connId or text found in its id or addresses. */
export function filterTraffic(
  s: Pick<AppState, 'traffic' | 'connections'>,
  conn: string,
  dir: Direction,
  text: string,
): readonly TrafficMessage[] {
  const c = conn.trim()
  const t = text.trim().toLowerCase()
  if (!c && dir === 'all' && !t) return s.traffic
  let connOk: ((id: string) => boolean) | null = null
  if (c) {
    if (s.connections[c]) connOk = (id) => id === c
    else {
      const cache = new Map<string, boolean>()
      const needle = c.toLowerCase()
      connOk = (id) => {
        let ok = cache.get(id)
        if (ok === undefined) {
          const x = s.connections[id]
          ok =
            id.toLowerCase().includes(needle) ||
            (!!x &&
              (endpointText(x.local).includes(needle) ||
                endpointText(x.remote).includes(needle) ||
                (x.clientName ?? '').toLowerCase().includes(needle)))
          cache.set(id, ok)
        }
        return ok
      }
    }
  }
  return s.traffic.filter(
    (m) => (dir === 'all' || m.dir === dir) && (!connOk || connOk(m.connId)) && (!t || m.text.toLowerCase().includes(t)),
  )
}

export function TrafficPage(): ReactNode {
  const actions = useActions()
  const traffic = useApp((s) => s.traffic)
  const connections = useApp((s) => s.connections)
  const filter = useApp((s) => s.trafficFilter)
  const dropped = useApp((s) => s.droppedMessages)
  const trimmed = useApp((s) => s.trafficTrimmed)
  const droppedLines = useApp((s) => s.droppedLines)
  const [hex, setHex] = useState(false)
  // Opened from a captured packet: that packet's message, selected.
  const [focus] = useState(() => appStore.getState().trafficFocus)
  const [selected, setSelected] = useState<TrafficMessage | undefined>(() =>
    focus ? appStore.getState().traffic.find((m) => m.seq === focus.seq) : undefined,
  )
  useEffect(() => {
    if (appStore.getState().trafficFocus) appStore.setState({ trafficFocus: undefined })
  }, [])
  const [exporting, setExporting] = useState<TrafficFormat | null>(null)
  // Typing in the filters stays responsive while a big list is re-filtered.
  const deferred = useDeferredValue(filter)
  const shown = useMemo(
    () => filterTraffic({ traffic, connections }, deferred.conn, deferred.dir, deferred.text),
    [traffic, connections, deferred],
  )
  const exactConn = filter.conn.trim() && connections[filter.conn.trim()] ? filter.conn.trim() : undefined

  const onSelect = useCallback((m: TrafficMessage | undefined) => setSelected(m), [])
  const onConn = useCallback((connId: string) => setTrafficFilter(appStore, { conn: connId }), [])

  const doExport = async (format: TrafficFormat): Promise<void> => {
    setExporting(format)
    try {
      const file = await actions.exportTraffic(format, exactConn)
      if (file) downloadText(file.filename, file.content, format === 'json' ? 'application/json' : 'text/plain')
    } finally {
      setExporting(null)
    }
  }

  return (
    <div className="page page-fill" data-testid="page-traffic">
      <header className="page-head">
        <h2>Traffic</h2>
        <p className="muted">
          Every message sent (→) and received (←) by this app&rsquo;s servers and clients, as the sockets saw it.
        </p>
      </header>
      <div className="toolbar" role="search">
        <div className="field w-l">
          <label htmlFor="traffic-conn">Connection</label>
          <div className="field-row">
            <input
              id="traffic-conn"
              className="mono"
              placeholder="conn-12, 127.0.0.1:5000, a name"
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
            disabled={exporting !== null}
            onClick={() => void doExport('json')}
            data-testid="traffic-export-json"
          >
            {exporting === 'json' ? 'Exporting…' : 'Export JSON'}
          </button>
          <button
            type="button"
            className="btn"
            disabled={exporting !== null}
            onClick={() => void doExport('text')}
            data-testid="traffic-export-text"
          >
            {exporting === 'text' ? 'Exporting…' : 'Export text'}
          </button>
        </div>
      </div>
      <FormError form={formKey.traffic} fields={[]} />
      <div className="list-info small">
        <span data-testid="traffic-count">
          {shown.length === traffic.length
            ? `${formatCount(traffic.length)} messages`
            : `${formatCount(shown.length)} of ${formatCount(traffic.length)} messages`}
        </span>
        {exactConn && <span className="muted"> · export saves only {exactConn}</span>}
        {dropped > 0 && (
          <span className="warn-text" data-testid="traffic-dropped">
            {' '}
            · {formatCount(dropped)} messages not shown (flood)
          </span>
        )}
        {droppedLines > 0 && <span className="warn-text"> · {formatCount(droppedLines)} console lines not shown (flood)</span>}
        {trimmed > 0 && <span className="muted"> · {formatCount(trimmed)} older messages left this view</span>}
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
        empty="No messages yet. Run an exercise: every message shows here."
      />
      {selected && <MessageDetail m={selected} />}
    </div>
  )
}
