// Capture: Lab 2 question 3 without leaving the app. tshark (Wireshark's engine) captures the exercise
// port; the page says when it really captures and runs the exercise's client right there; every
// packet shows with its flags in words, its payload as text, its place in the handshake or teardown
// of its connection, and the Traffic message it carried; the ladder diagram draws each connection and
// the step-through walks it packet by packet. Exports: the .pcapng for Wireshark, the answer sheet,
// the diagram, the evidence bundle. Without tshark the diagram is drawn from the app's socket events.

import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react'
import type { CaptureExportKind, CaptureInterface, CapturedPacket } from '@shared/contract'
import { displayFilter, isCapturePort } from '@shared/filters'
import { answerSheet } from '@shared/ladder-sheet'
import { ladderSvgDocument } from '@shared/ladder-svg'
import { flagsText, packetNote } from '@shared/ladder-words'
import { EXERCISE_TITLES, type Exercise } from '@shared/settings'
import { useCaptureStatus } from '../components/captureStatus'
import { FieldRow, FormError, SelectField, TextField } from '../components/fields'
import { LadderCapture, type LadderPick } from '../components/LadderCapture'
import { captureLadders, ladderOfPacket } from '../components/LadderSource'
import { openMessage } from '../components/LadderViews'
import { PacketList } from '../components/PacketList'
import { WiresharkFilters } from '../components/WiresharkFilters'
import { downloadBlob, formatBytes, formatCount } from '../format'
import { connectionStories, endpoint, messageSeqOf, packetRows, relativeTime, sideOf, type PacketRow } from '../packets'
import {
  appStore,
  capturePort,
  formKey,
  setCaptureForm,
  setExerciseField,
  setHost,
  useActions,
  useApp,
  type ServerEntry,
} from '../store'

const FORM_FIELDS = ['port', 'interface']

/** Where a saved file went: the browser puts it in its downloads; the desktop window asks where. */
function savedLine(filename: string, size: number): string {
  const where = window.socketlab ? 'where you chose' : 'to your downloads folder'
  return `Saved ${filename} (${formatBytes(size)}) ${where}.`
}

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

/** The capture as it runs (or last ran) when there is one, else the form as typed: what the page is about. */
function useCaptureTarget(): { port?: number; iface: string; kind?: CaptureInterface['kind']; live: boolean } {
  const status = useApp((s) => s.captureStatus)
  const capture = useApp((s) => s.capture)
  const form = useApp((s) => s.captureForm)
  const typed = Number(useApp((s) => capturePort(s)))
  const live = !!capture && (capture.running || !!capture.starting)
  const interfaces = status?.interfaces ?? []
  const chosen = form.iface && interfaces.some((i) => i.name === form.iface) ? form.iface : (interfaces[0]?.name ?? '')
  const iface = live ? capture.interface : chosen
  const port = live ? capture.port : isCapturePort(typed) ? typed : capture?.port
  return { port, iface, kind: interfaces.find((i) => i.name === iface)?.kind, live }
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
          Everything else works without it: the exercises, Connections and Traffic. Below, the ladder diagram is drawn from the
          app&rsquo;s own socket events instead, and the Wireshark filters work in Wireshark itself.
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

function CaptureForm({ onSaved }: { onSaved(what: string): void }): ReactNode {
  const actions = useActions()
  const form = useApp((s) => s.captureForm)
  const status = useApp((s) => s.captureStatus)
  const capture = useApp((s) => s.capture)
  const servers = useRunningServers()
  const target = useCaptureTarget()
  const [busy, setBusy] = useState<'start' | 'stop' | null>(null)
  const live = target.live
  const available = !!status?.available
  const interfaces = status?.interfaces ?? []
  // The running capture's interface is offered even when this list does not have it (started from the CLI).
  const options = interfaces.some((i) => i.name === target.iface)
    ? interfaces.map((i) => ({ value: i.name, label: interfaceLabel(i) }))
    : [
        { value: target.iface, label: target.iface || '—' },
        ...interfaces.map((i) => ({ value: i.name, label: interfaceLabel(i) })),
      ]

  // After a reload the form starts from the capture the host has; else from the newest running server.
  const defaultPort = capture?.port ?? servers[0]?.info.port
  useEffect(() => {
    const f = appStore.getState().captureForm
    if (!f.port && defaultPort) setCaptureForm(appStore, { port: String(defaultPort) })
    if (!f.iface && capture?.interface) setCaptureForm(appStore, { iface: capture.interface })
  }, [defaultPort, capture?.interface])

  const act = async (what: 'start' | 'stop'): Promise<void> => {
    if (busy) return
    setBusy(what)
    try {
      if (what === 'start') await actions.startCapture()
      else await actions.stopCapture()
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
        void act(live ? 'stop' : 'start')
      }}
    >
      <FieldRow form={formKey.capture} fields={FORM_FIELDS}>
        <SelectField
          label="Interface"
          value={target.iface}
          options={options}
          onChange={(v) => setCaptureForm(appStore, { iface: v })}
          form={formKey.capture}
          field="interface"
          testid="capture-interface"
          width="l"
          disabled={!available || live}
        />
        <TextField
          label="Port"
          value={live && target.port !== undefined ? String(target.port) : form.port}
          onChange={(v) => setCaptureForm(appStore, { port: v })}
          form={formKey.capture}
          field="port"
          testid="capture-port"
          numeric
          width="xs"
          placeholder="12345"
          disabled={live}
        />
        {servers.length > 0 && (
          <div className="field">
            <span className="label-spacer">Running servers</span>
            <div className="btn-group capture-picks">
              {servers.slice(0, 4).map((e) => (
                <button
                  key={e.info.serverId}
                  type="button"
                  className={`btn small ${target.port === e.info.port ? 'on' : ''}`}
                  disabled={live}
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
        {live ? (
          <button type="submit" className="btn danger" disabled={busy !== null} data-testid="capture-stop">
            {busy === 'stop' ? 'Stopping…' : 'Stop capture'}
          </button>
        ) : (
          <button type="submit" className="btn primary" disabled={!available || busy !== null} data-testid="capture-start">
            {busy === 'start' ? 'Starting…' : 'Start capture'}
          </button>
        )}
        <CaptureStatusText />
      </div>
      <FormError form={formKey.capture} fields={FORM_FIELDS} />
      <ReadyLine />
      <Exports onSaved={onSaved} />
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
      ) : capture.starting ? (
        <>
          Starting on <b className="mono">{capture.interface}</b>, port <b className="mono">{capture.port}</b>…
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

/** Our own server on a port, if one runs there. */
function useServerOn(port: number | undefined): ServerEntry | undefined {
  const servers = useRunningServers()
  return port === undefined ? undefined : servers.find((e) => e.info.port === port)
}

const CLIENT_VERB: Record<Exercise, string> = {
  greeting: 'Run the greeting client',
  dedup: 'Run the dedup client',
  intersection: 'Run the intersection client',
  adder: 'Connect the adder client',
}

/** "Ready": tshark really captures now, so a client run now is captured — with the button to run it. */
function ReadyLine(): ReactNode {
  const actions = useActions()
  const capture = useApp((s) => s.capture)
  const target = useCaptureTarget()
  const server = useServerOn(capture?.port)
  const exercise = server?.info.exercise
  const clientId = useApp((s) => (exercise ? s.panes[exercise].clientId : undefined))
  const client = useApp((s) => (clientId ? s.clients[clientId] : undefined))
  const clientError = useApp((s) => (exercise ? s.errors[formKey.client(exercise)] : undefined))
  const [ran, setRan] = useState(false)
  if (!capture || (!capture.running && !capture.starting)) return null
  if (!capture.running)
    return (
      <div className="capture-ready waiting" role="status" data-testid="capture-ready" data-ready="false">
        tshark is opening <b className="mono">{capture.interface}</b>: not capturing yet. Wait for “Ready” before running the
        client, or its first packets are missed.
      </div>
    )
  const run = async (): Promise<void> => {
    if (!exercise) return
    // Our server is on this machine: the client goes to it over the loopback, as the capture expects.
    setHost(appStore, '127.0.0.1')
    setExerciseField(appStore, exercise, 'client', 'port', String(capture.port))
    setRan(true)
    await actions.runClient(exercise)
  }
  return (
    <div className="capture-ready ok" role="status" data-testid="capture-ready" data-ready="true">
      <span>
        <b>Ready:</b> tshark is capturing port <b className="mono">{capture.port}</b> on{' '}
        <b className="mono">{capture.interface}</b>. Run the client now: its packets appear below as they cross the wire.
      </span>
      {exercise && (
        <>
          <button
            type="button"
            className="btn small primary"
            onClick={() => void run()}
            disabled={!!client?.running}
            data-testid="capture-run-client"
          >
            {CLIENT_VERB[exercise]} here
          </button>
          {ran && client && (
            <span className="small" data-testid="capture-client-state">
              {client.running ? 'client running…' : client.ok ? 'client done' : `client failed: ${client.error ?? ''}`}{' '}
              <a href={`#/${exercise}`}>open the {EXERCISE_TITLES[exercise]} page</a>
            </span>
          )}
          {ran && clientError && (
            <span className="err-text small" role="alert" data-testid="capture-client-error">
              {clientError.error}
            </span>
          )}
        </>
      )}
      {target.kind === 'network' && (
        <span className="small muted">
          A client on this machine talks over the loopback, which {capture.interface} does not see: capture on lo or any for that.
        </span>
      )}
    </div>
  )
}

const EXPORTS: { what: CaptureExportKind; label: string; title: string }[] = [
  {
    what: 'sheet',
    label: 'Answer sheet (HTML)',
    title: 'One page for the demo: the filter, the handshake, the texts, the teardown, the diagram',
  },
  { what: 'diagram', label: 'Diagram (SVG)', title: 'The ladder diagram as an SVG file (opens in any browser)' },
  { what: 'png', label: 'Diagram (PNG)', title: 'The ladder diagram as a picture' },
  {
    what: 'bundle',
    label: 'Evidence bundle (.zip)',
    title: 'The .pcapng, the answer sheet, the diagram as SVG and PNG, the transcript',
  },
  { what: 'pcapng', label: 'Save .pcapng', title: 'Save the packets as a .pcapng file that Wireshark opens' },
]

function Exports({ onSaved }: { onSaved(what: string): void }): ReactNode {
  const actions = useActions()
  const capture = useApp((s) => s.capture)
  const [busy, setBusy] = useState<CaptureExportKind | null>(null)
  const save = async (what: CaptureExportKind): Promise<void> => {
    if (busy) return
    setBusy(what)
    try {
      const file = await actions.saveCapture(what)
      if (!file) return
      downloadBlob(file.filename, file.blob)
      onSaved(savedLine(file.filename, file.blob.size))
    } finally {
      setBusy(null)
    }
  }
  return (
    <div className="capture-exports btn-group" role="group" aria-label="Export the capture">
      {EXPORTS.map((e) => (
        <button
          key={e.what}
          type="button"
          className="btn small"
          disabled={!capture || busy !== null}
          onClick={() => void save(e.what)}
          data-testid={e.what === 'pcapng' ? 'capture-save' : `capture-export-${e.what}`}
          title={e.title}
        >
          {busy === e.what ? 'Preparing…' : e.label}
        </button>
      ))}
    </div>
  )
}

/** Without a capture: the diagram and the sheet from socket events, written here (the same shared code as the host's). */
function SocketEventExports({
  ladders,
  port,
  onSaved,
}: {
  ladders: ReturnType<typeof captureLadders>
  port: number
  onSaved(what: string): void
}): ReactNode {
  const save = (kind: 'sheet' | 'diagram'): void => {
    const filter = displayFilter(port)
    const content =
      kind === 'sheet'
        ? answerSheet({ port, displayFilter: filter, ladders, madeAt: Date.now() })
        : ladderSvgDocument(ladders, { title: `TCP ladder diagram, port ${port}`, notes: [`Display filter: ${filter}`] })
    const filename = `socketlab-port${port}-${kind === 'sheet' ? 'answer-sheet.html' : 'ladder.svg'}`
    const blob = new Blob([content], { type: kind === 'sheet' ? 'text/html' : 'image/svg+xml' })
    downloadBlob(filename, blob)
    onSaved(savedLine(filename, blob.size))
  }
  return (
    <div className="panel capture-exports btn-group" role="group" aria-label="Export the diagram">
      <span className="small muted">From socket events:</span>
      <button type="button" className="btn small" onClick={() => save('sheet')} data-testid="capture-export-sheet">
        Answer sheet (HTML)
      </button>
      <button type="button" className="btn small" onClick={() => save('diagram')} data-testid="capture-export-diagram">
        Diagram (SVG)
      </button>
    </div>
  )
}

function PacketDetail({ p, t0 }: { p: CapturedPacket; t0: number }): ReactNode {
  const seq = messageSeqOf(p)
  return (
    <div className={`msg-detail phase-${p.phase}`} data-testid="packet-detail" data-no={p.no}>
      <div className="msg-meta">
        <b>#{p.no}</b> · {relativeTime(p.t, t0)} s ·{' '}
        <span className="mono">
          {endpoint(p.src)} → {endpoint(p.dst)}
        </span>{' '}
        · <b className="mono">{flagsText(p.flags)}</b> · seq {p.seq} · ack {p.ack} · len {p.len}
        <span className="muted"> · {packetNote(p)}</span>
        {seq !== undefined && (
          <>
            {' '}
            ·{' '}
            <button type="button" className="link-btn" onClick={() => openMessage(seq, p.no)} data-testid="packet-detail-message">
              message #{seq} in Traffic
            </button>
          </>
        )}
      </div>
      {p.len > 0 ? (
        <pre className="mono packet-bytes" data-testid="packet-detail-payload">
          {p.payload}
        </pre>
      ) : (
        <div className="small muted">No payload: only the TCP header (flags, sequence and acknowledgement numbers).</div>
      )}
      {p.messages?.map((m) => (
        <div key={m.seq} className="small packet-message" data-testid="packet-detail-carried" data-seq={m.seq}>
          carries message <b>#{m.seq}</b> ({m.size} bytes): <span className="mono story-text">“{m.text}”</span>
        </div>
      ))}
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

function Explanation({ rows, selected }: { rows: readonly PacketRow[]; selected?: number }): ReactNode {
  const target = useCaptureTarget()
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
      {target.port !== undefined && (
        <WiresharkFilters
          port={target.port}
          testid="capture-filters"
          loopback={target.kind === 'loopback'}
          note="the same packets in Wireshark: open the saved .pcapng, or capture there with these filters"
        />
      )}
    </section>
  )
}

export function CapturePage(): ReactNode {
  const actions = useActions()
  const status = useCaptureStatus()
  const packets = useApp((s) => s.packets)
  const capture = useApp((s) => s.capture)
  const connections = useApp((s) => s.connections)
  const traffic = useApp((s) => s.traffic)
  const target = useCaptureTarget()
  const [checking, setChecking] = useState(false)
  const [selectedNo, setSelectedNo] = useState<number | undefined>()
  const [pick, setPick] = useState<LadderPick | undefined>()
  const [saved, setSaved] = useState<string | undefined>()
  const rows = useMemo(() => packetRows(packets), [packets])
  const selected = selectedNo === undefined ? undefined : rows.find((r) => r.p.no === selectedNo)?.p
  const ladders = useMemo(
    () => captureLadders(packets, target.port, Object.values(connections), traffic),
    [packets, target.port, connections, traffic],
  )

  const check = useCallback(async () => {
    setChecking(true)
    try {
      await actions.loadCaptureStatus()
    } finally {
      setChecking(false)
    }
  }, [actions])

  // A new capture starts its packets (and their numbers) over: so does the selection.
  const startedAt = capture?.startedAt
  useEffect(() => {
    setSelectedNo(undefined)
    setPick(undefined)
  }, [startedAt])

  const onSelect = useCallback(
    (p: CapturedPacket | undefined) => {
      setSelectedNo(p?.no)
      const li = ladderOfPacket(ladders, p?.no)
      if (li !== undefined) setPick({ ladder: li, arrow: ladders[li].arrows.findIndex((a) => a.no === p?.no) })
    },
    [ladders],
  )
  const onPick = useCallback(
    (next: LadderPick) => {
      setPick(next)
      setSelectedNo(next.arrow !== undefined ? ladders[next.ladder]?.arrows[next.arrow]?.no : undefined)
    },
    [ladders],
  )
  const onMessage = useCallback((p: CapturedPacket) => {
    const seq = messageSeqOf(p)
    if (seq !== undefined) openMessage(seq, p.no)
  }, [])

  const t0 = rows.length ? rows[0].p.t : 0
  const noCapture = status?.available === false

  return (
    <div className="page capture-page" data-testid="page-capture">
      <header className="page-head">
        <h2>Capture</h2>
        <p className="muted">
          Lab 2, question 3: the packets your client and server exchange on the exercise port, captured by tshark
          (Wireshark&rsquo;s engine) — the handshake, the text each process sent, and the teardown.
        </p>
      </header>
      <Availability onRetry={() => void check()} checking={checking} />
      {!noCapture && <CaptureForm onSaved={setSaved} />}
      {noCapture && target.port !== undefined && ladders.length > 0 && (
        <SocketEventExports ladders={ladders} port={target.port} onSaved={setSaved} />
      )}
      {saved && (
        <div className="capture-saved small" role="status" data-testid="capture-saved">
          {saved}
        </div>
      )}
      {!noCapture && (
        <>
          <PacketList
            rows={rows}
            selectedNo={selectedNo}
            onSelect={onSelect}
            onMessage={onMessage}
            empty={
              capture?.running
                ? 'Ready: run the exercise’s client — its packets appear here as they cross the wire.'
                : capture?.starting
                  ? 'tshark is starting: not capturing yet…'
                  : 'Choose the interface and the port, start the capture, then run the client.'
            }
          />
          {selected && <PacketDetail p={selected} t0={t0} />}
        </>
      )}
      <LadderCapture ladders={ladders} pick={pick} onPick={onPick} packets={packets} traffic={traffic} port={target.port} />
      {!noCapture && <Explanation rows={rows} selected={selectedNo} />}
    </div>
  )
}
