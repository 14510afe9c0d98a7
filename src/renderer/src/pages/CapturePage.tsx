// Capture: Lab 2 question 3 without leaving the app. tshark (Wireshark's engine) captures the exercise
// port; every packet shows with its flags in words, its payload as text, its place in the handshake
// or teardown of its connection, and the Traffic message it carried. Saved as a .pcapng for Wireshark.

import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react'
import type { CaptureInterface, CapturedPacket } from '@shared/contract'
import { flagsText, packetNote } from '@shared/ladder-words'
import { isCapturePort } from '@shared/filters'
import { EXERCISE_TITLES } from '@shared/settings'
import { FieldRow, FormError, SelectField, TextField } from '../components/fields'
import { PacketList } from '../components/PacketList'
import { WiresharkFilters } from '../components/WiresharkFilters'
import { downloadBlob, formatCount } from '../format'
import { connectionStories, endpoint, messageSeqOf, packetRows, relativeTime, sideOf, type PacketRow } from '../packets'
import { appStore, capturePort, focusMessage, formKey, setCaptureForm, useActions, useApp, type ServerEntry } from '../store'

const FORM_FIELDS = ['port', 'interface']

/** `lo` → what it is for, in the lab's terms (the host says which kind each interface is). */
function interfaceLabel(i: CaptureInterface): string {
  if (i.kind === 'any') return `${i.name} (every interface at once)`
  if (i.kind === 'loopback') return `${i.name} (loopback: both on this machine)`
  return `${i.name} (network: a neighbour’s machine)`
}

/** Running servers, newest first, as port choices. */
function useRunningServers(): ServerEntry[] {
  const servers = useApp((s) => s.servers)
  return useMemo(
    () =>
      Object.values(servers)
        .filter((e) => e.running)
        .sort((a, b) => b.info.startedAt - a.info.startedAt),
    [servers],
  )
}

function Availability({ onRetry, checking }: { onRetry(): void; checking: boolean }): ReactNode {
  const status = useApp((s) => s.captureStatus)
  if (!status) {
    return (
      <div className="hint" data-testid="capture-checking">
        Checking whether tshark (Wireshark&rsquo;s capture engine) can capture on this machine…
      </div>
    )
  }
  if (!status.available) {
    return (
      <div className="panel capture-problem" role="alert">
        <div className="capture-problem-head">
          <b>Packet capture is not available here</b>
          <button type="button" className="btn small" onClick={onRetry} disabled={checking} data-testid="capture-recheck">
            {checking ? 'Checking…' : 'Check again'}
          </button>
        </div>
        <p data-testid="capture-problem">{status.problem}</p>
        <p className="muted small">
          Everything else works without it: the exercises, Connections and Traffic. The Wireshark filters on each Server pane work
          in Wireshark itself.
        </p>
      </div>
    )
  }
  if (status.problem) {
    return (
      <div className="limit-hits" role="status" data-testid="capture-warning">
        {status.problem}
      </div>
    )
  }
  return null
}

function CaptureForm(): ReactNode {
  const actions = useActions()
  const form = useApp((s) => s.captureForm)
  const status = useApp((s) => s.captureStatus)
  const capture = useApp((s) => s.capture)
  const servers = useRunningServers()
  const [busy, setBusy] = useState<'start' | 'stop' | 'save' | null>(null)
  const running = !!capture?.running
  const available = !!status?.available
  const interfaces = status?.interfaces ?? []
  const iface = form.iface && interfaces.some((i) => i.name === form.iface) ? form.iface : (interfaces[0]?.name ?? '')

  // The newest running server's port, until one is typed or picked.
  const defaultPort = servers[0]?.info.port
  useEffect(() => {
    if (!appStore.getState().captureForm.port && defaultPort) setCaptureForm(appStore, { port: String(defaultPort) })
  }, [defaultPort])

  const act = async (what: 'start' | 'stop' | 'save'): Promise<void> => {
    if (busy) return
    setBusy(what)
    try {
      if (what === 'start') await actions.startCapture()
      else if (what === 'stop') await actions.stopCapture()
      else {
        const file = await actions.saveCapture()
        if (file) downloadBlob(file.filename, file.blob)
      }
    } finally {
      setBusy(null)
    }
  }

  return (
    <form
      className="panel capture-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void act(running ? 'stop' : 'start')
      }}
    >
      <FieldRow form={formKey.capture} fields={FORM_FIELDS}>
        <SelectField
          label="Interface"
          value={iface}
          options={
            interfaces.length ? interfaces.map((i) => ({ value: i.name, label: interfaceLabel(i) })) : [{ value: '', label: '—' }]
          }
          onChange={(v) => setCaptureForm(appStore, { iface: v })}
          form={formKey.capture}
          field="interface"
          testid="capture-interface"
          width="l"
          disabled={!available || running}
        />
        <TextField
          label="Port"
          value={form.port}
          onChange={(v) => setCaptureForm(appStore, { port: v })}
          form={formKey.capture}
          field="port"
          testid="capture-port"
          numeric
          width="xs"
          placeholder="12345"
          disabled={running}
        />
        {servers.length > 0 && (
          <div className="field">
            <span className="label-spacer">Running servers</span>
            <div className="btn-group capture-picks">
              {servers.slice(0, 4).map((e) => (
                <button
                  key={e.info.serverId}
                  type="button"
                  className={`btn small ${form.port === String(e.info.port) ? 'on' : ''}`}
                  disabled={running}
                  data-testid="capture-pick-server"
                  title={`${EXERCISE_TITLES[e.info.exercise]}, port ${e.info.port}`}
                  onClick={() => setCaptureForm(appStore, { port: String(e.info.port) })}
                >
                  {e.info.exercise} :{e.info.port}
                </button>
              ))}
            </div>
          </div>
        )}
      </FieldRow>
      <div className="actions">
        {running ? (
          <button type="submit" className="btn danger" disabled={busy !== null} data-testid="capture-stop">
            {busy === 'stop' ? 'Stopping…' : 'Stop capture'}
          </button>
        ) : (
          <button type="submit" className="btn primary" disabled={!available || busy !== null} data-testid="capture-start">
            {busy === 'start' ? 'Starting…' : 'Start capture'}
          </button>
        )}
        <button
          type="button"
          className="btn"
          disabled={!capture || busy !== null}
          onClick={() => void act('save')}
          data-testid="capture-save"
          title="Save the packets as a .pcapng file that Wireshark opens"
        >
          {busy === 'save' ? 'Saving…' : 'Save .pcapng'}
        </button>
        <CaptureStatusText />
      </div>
      <FormError form={formKey.capture} fields={FORM_FIELDS} />
    </form>
  )
}

function CaptureStatusText(): ReactNode {
  const capture = useApp((s) => s.capture)
  const kept = useApp((s) => s.packets.length)
  const error = useApp((s) => s.captureError)
  if (!capture) return <span className="status-text muted">Not capturing.</span>
  const count = Math.max(capture.packets, kept)
  return (
    <span className="status-text" data-testid="capture-state" data-running={capture.running}>
      {capture.running ? (
        <>
          <span className="rec-dot" aria-hidden="true" /> Capturing on <b className="mono">{capture.interface}</b>, port{' '}
          <b className="mono">{capture.port}</b>
        </>
      ) : (
        <>
          Stopped: <b className="mono">{capture.interface}</b>, port <b className="mono">{capture.port}</b>
        </>
      )}{' '}
      · <span data-testid="capture-count">{formatCount(count)}</span> packets
      {count > kept && (
        <span className="muted"> (the first {formatCount(count - kept)} left this view; the .pcapng has them all)</span>
      )}
      {error && (
        <span className="err-text" role="alert" data-testid="capture-error">
          {' '}
          · {error}
        </span>
      )}
    </span>
  )
}

function PacketDetail({ p, t0, onMessage }: { p: CapturedPacket; t0: number; onMessage(p: CapturedPacket): void }): ReactNode {
  return (
    <div className="msg-detail" data-testid="packet-detail">
      <div className="msg-meta">
        <b>#{p.no}</b> · {relativeTime(p.t, t0)} s ·{' '}
        <span className="mono">
          {endpoint(p.src)} → {endpoint(p.dst)}
        </span>{' '}
        · <b className="mono">{flagsText(p.flags)}</b> · seq {p.seq} · ack {p.ack} · len {p.len}
        <span className="muted"> · {packetNote(p)}</span>
        {messageSeqOf(p) !== undefined && (
          <>
            {' '}
            ·{' '}
            <button type="button" className="link-btn" onClick={() => onMessage(p)}>
              message #{messageSeqOf(p)} in Traffic
            </button>
          </>
        )}
      </div>
      {p.len > 0 ? (
        <pre className="mono packet-bytes">{p.payload}</pre>
      ) : (
        <div className="small muted">No payload: only the TCP header (flags, sequence and acknowledgement numbers).</div>
      )}
    </div>
  )
}

/** One line per packet of a story: `#1 SYN client → server`. */
function StoryPackets({ list }: { list: CapturedPacket[] }): ReactNode {
  if (!list.length) return <div className="small muted">Not in this capture yet.</div>
  return (
    <ul className="story-list">
      {list.slice(0, 6).map((p) => {
        const from = sideOf(p)
        const to = from === 'client' ? 'server' : from === 'server' ? 'client' : endpoint(p.dst)
        return (
          <li key={p.no}>
            <span className="mono muted">#{p.no}</span> <b className="mono">{flagsText(p.flags)}</b>{' '}
            <span className="muted">
              {from} → {to}
            </span>
          </li>
        )
      })}
      {list.length > 6 && <li className="muted">… {list.length - 6} more</li>}
    </ul>
  )
}

function Explanation({ rows, selected, port }: { rows: readonly PacketRow[]; selected?: number; port?: number }): ReactNode {
  const stories = useMemo(() => connectionStories(rows), [rows])
  const selectedKey = selected === undefined ? undefined : rows.find((r) => r.p.no === selected)?.key
  const story =
    stories.find((s) => s.key === selectedKey) ?? [...stories].reverse().find((s) => s.complete) ?? stories[stories.length - 1]
  const index = story ? stories.indexOf(story) + 1 : 0
  return (
    <section className="panel explain" aria-labelledby="explain-h" data-testid="capture-explain">
      <header className="pane-head">
        <h3 id="explain-h">What you are looking at</h3>
        {story && (
          <span className="small muted" data-testid="explain-conn">
            <span className={`conn-swatch conn-c${story.colour}`} aria-hidden="true" /> connection {index} of {stories.length}
            {story.client && story.server && (
              <span className="mono">
                {' '}
                · client {story.client} ⇄ server {story.server}
              </span>
            )}
            {stories.length > 1 && ' · select a packet to explain its connection'}
          </span>
        )}
      </header>
      <div className="explain-grid">
        <div>
          <h4>1 · The handshake</h4>
          <p>
            Before any text moves, TCP opens the connection with a <b>three-way handshake</b>: the client&rsquo;s{' '}
            <code>connect()</code> sends <b>SYN</b>, the server answers <b>SYN/ACK</b>, the client answers <b>ACK</b>. Only then
            does the server&rsquo;s <code>accept()</code> return. The three packets carry no text (Len 0).
          </p>
          {story && <StoryPackets list={story.handshake} />}
        </div>
        <div>
          <h4>2 · The text the two processes sent</h4>
          <p>
            Each <code>send()</code> becomes a <b>PSH/ACK</b> packet whose payload is exactly the bytes sent: nothing is added
            around them. The other side confirms with an <b>ACK</b>. <b>msg #</b> opens the same message in Traffic.
          </p>
          {story &&
            (story.data.length ? (
              <ul className="story-list" data-testid="explain-texts">
                {story.data.slice(0, 6).map((p) => (
                  <li key={p.no}>
                    <span className="mono muted">#{p.no}</span> <span className="muted">{sideOf(p)} sent</span>{' '}
                    <span className="mono story-text">“{p.payload}”</span> <span className="muted small">({p.len} bytes)</span>
                  </li>
                ))}
                {story.data.length > 6 && <li className="muted">… {story.data.length - 6} more</li>}
              </ul>
            ) : (
              <div className="small muted">No text in this capture yet.</div>
            ))}
        </div>
        <div>
          <h4>3 · The teardown</h4>
          <p>
            <code>close()</code> sends <b>FIN</b> (shown as FIN/ACK). Each side sends its own FIN and acknowledges the
            other&rsquo;s with an <b>ACK</b>. An <b>RST</b> instead means the connection was aborted, for example closed with
            unread data.
          </p>
          {story && <StoryPackets list={story.teardown.concat(story.reset)} />}
        </div>
      </div>
      {port !== undefined && (
        <WiresharkFilters
          port={port}
          testid="capture-filters"
          note="the same packets in Wireshark: open the saved .pcapng, or capture there with these filters"
        />
      )}
    </section>
  )
}

export function CapturePage(): ReactNode {
  const actions = useActions()
  const status = useApp((s) => s.captureStatus)
  const packets = useApp((s) => s.packets)
  const capture = useApp((s) => s.capture)
  const typedPort = useApp((s) => capturePort(s))
  const [checking, setChecking] = useState(false)
  const [selectedNo, setSelectedNo] = useState<number | undefined>()
  const rows = useMemo(() => packetRows(packets), [packets])
  const selected = selectedNo === undefined ? undefined : rows.find((r) => r.p.no === selectedNo)?.p

  const check = useCallback(async () => {
    setChecking(true)
    try {
      await actions.loadCaptureStatus()
    } finally {
      setChecking(false)
    }
  }, [actions])

  useEffect(() => {
    if (!appStore.getState().captureStatus) void check()
  }, [check])

  const onSelect = useCallback((p: CapturedPacket | undefined) => setSelectedNo(p?.no), [])
  const onMessage = useCallback((p: CapturedPacket) => {
    const seq = messageSeqOf(p)
    if (seq === undefined) return
    focusMessage(appStore, seq, p.no)
    window.location.hash = '#/traffic'
  }, [])

  const typed = Number(typedPort)
  const port = capture?.port ?? (isCapturePort(typed) ? typed : undefined)
  const t0 = rows.length ? rows[0].p.t : 0

  return (
    <div className="page page-fill capture-page" data-testid="page-capture">
      <header className="page-head">
        <h2>Capture</h2>
        <p className="muted">
          Lab 2, question 3: the packets your client and server exchange on the exercise port, captured by tshark
          (Wireshark&rsquo;s engine) — the handshake, the text each process sent, and the teardown.
        </p>
      </header>
      <Availability onRetry={() => void check()} checking={checking} />
      {status?.available !== false && <CaptureForm />}
      <PacketList
        rows={rows}
        selectedNo={selectedNo}
        onSelect={onSelect}
        onMessage={onMessage}
        empty={
          capture?.running
            ? 'Capturing… run the exercise’s client: its packets appear here as they cross the wire.'
            : status?.available === false
              ? 'No capture: tshark is not available (see above).'
              : 'Choose the interface and the port, start the capture, then run the client.'
        }
      />
      {selected && <PacketDetail p={selected} t0={t0} onMessage={onMessage} />}
      <Explanation rows={rows} selected={selectedNo} port={port} />
    </div>
  )
}
