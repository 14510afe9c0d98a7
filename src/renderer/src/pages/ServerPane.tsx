// The Server pane of an exercise page: where it listens, how many clients at a time, start/stop,
// limits hit, and its console.

import type { ReactNode } from 'react'
import type { Exercise } from '@shared/settings'
import { Console } from '../components/Console'
import { bindFields, FieldRow, FormError, SelectField, TextField } from '../components/fields'
import { PaneForm, StartStopButton, useBusy } from '../components/paneForm'
import { WIRE_FIELDS } from '../components/WirePanel'
import { exerciseModule } from '../exercises'
import { appStore, connIdsOf, formKey, setCaptureForm, setError, setExerciseField, useActions, useApp } from '../store'
import { CopyButton } from '../components/CopyButton'
import { neighbourOf, WiresharkFilters } from '../components/WiresharkFilters'

const BIND_OPTIONS = [
  { value: 'all', label: 'All interfaces (0.0.0.0 and ::)' },
  { value: 'loopback', label: 'Loopback only (127.0.0.1)' },
] as const

/** Live connections of one owner, from the index by owner (never counted twice). */
export function useLiveCount(ownerId: string | undefined): number {
  return useApp((s) => {
    let n = 0
    for (const id of connIdsOf(s, ownerId)) if (s.connections[id]?.state !== 'closed') n++
    return n
  })
}

/** The address a neighbour should type: the first LAN IPv4 address, if any. */
function useLanAddress(): string | undefined {
  return useApp((s) => s.interfaces?.find((i) => !i.internal && i.family === 'IPv4')?.address)
}

/** The newest neighbour's machine among this server's connections (for its own Wireshark filter). */
function useNeighbour(ownerId: string | undefined): string | undefined {
  return useApp((s) => {
    const ids = connIdsOf(s, ownerId)
    for (let i = ids.length - 1; i >= 0; i--) {
      const c = s.connections[ids[i]]
      const address = c && neighbourOf(c.remote.address)
      if (address) return address
    }
    return undefined
  })
}

/** Where a server listens, in words: `all interfaces (0.0.0.0 and ::)` rather than `[::]`. */
export function listenWords(address: string): ReactNode {
  if (address === '::' || address === '0.0.0.0') return <>all interfaces (0.0.0.0 and ::)</>
  if (address === '127.0.0.1' || address === '::1') return <>{address} (this machine only)</>
  return <b className="mono">{address}</b>
}

/** Why a server stopped, in words (`Stopped.` for a stop the student asked for). */
export function stoppedWords(reason: string): string {
  if (reason === 'stopped') return 'Stopped.'
  if (reason === 'not running') return 'Stopped while this page was away.'
  return `Stopped: ${reason}.`
}

/** "Port 12345 is already in use by your Greeting server": buttons to stop that server or use the free port. */
function PortInUseActions({ exercise }: { exercise: Exercise }): ReactNode {
  const actions = useActions()
  const error = useApp((s) => s.errors[formKey.server(exercise)])
  const d = error?.detail?.kind === 'port-in-use' ? error.detail : undefined
  if (!d || (!d.holder && !d.free)) return null
  return (
    <div className="fix-actions" data-testid="port-in-use-actions">
      {d.holder && (
        <button
          type="button"
          className="btn"
          data-testid="port-stop-holder"
          onClick={() => void actions.stopServerById(d.holder!.serverId, formKey.server(exercise))}
        >
          Stop it
        </button>
      )}
      {d.free && (
        <button
          type="button"
          className="btn"
          data-testid="port-use-free"
          onClick={() => {
            setExerciseField(appStore, exercise, 'server', 'port', String(d.free))
            setError(appStore, formKey.server(exercise), undefined)
          }}
        >
          Use {d.free}
        </button>
      )}
    </div>
  )
}

export function ServerPane({ exercise }: { exercise: Exercise }): ReactNode {
  const actions = useActions()
  const form = formKey.server(exercise)
  const server = useApp((s) => s.settings.exercises[exercise].server)
  const serverId = useApp((s) => s.panes[exercise].serverId)
  const entry = useApp((s) => (serverId ? s.servers[serverId] : undefined))
  const hits = useApp((s) => (serverId ? s.limits[serverId] : undefined))
  const live = useLiveCount(serverId)
  const lan = useLanAddress()
  const neighbour = useNeighbour(serverId)
  const [busy, whileBusy] = useBusy()
  const running = !!entry?.running
  const set = <K extends keyof typeof server>(key: K, value: (typeof server)[K]): void =>
    setExerciseField(appStore, exercise, 'server', key, value)
  const bind = bindFields<'port' | 'setSize'>(server, set, form, running)
  const module = exerciseModule(exercise)
  const own = module.serverFields ?? []
  const fields = ['host', 'port', 'oneAtATime', ...own, ...WIRE_FIELDS]

  const submit = (): Promise<void> => whileBusy(() => (running ? actions.stopServer(exercise) : actions.startServer(exercise)))

  const info = entry?.info
  const neighbourHost = info && server.bind === 'all' && lan ? lan : undefined

  return (
    <section
      className="panel pane server-side"
      id={`${exercise}-server-pane`}
      aria-labelledby={`${exercise}-server-h`}
      data-testid="server-pane"
    >
      <header className="pane-head">
        <h3 id={`${exercise}-server-h`}>Server</h3>
        {running ? (
          <span className="pill ok" data-testid="server-status">
            Listening
          </span>
        ) : (
          <span className="pill" data-testid="server-status">
            Stopped
          </span>
        )}
      </header>
      <PaneForm onSubmit={() => void submit()}>
        <FieldRow form={form} fields={['host', 'port', ...own]}>
          <SelectField
            label="Listen on"
            value={server.bind}
            options={BIND_OPTIONS}
            onChange={(v) => set('bind', v)}
            form={form}
            field="host"
            testid="server-bind"
            width="l"
            disabled={running}
          />
          <TextField label="Port" testid="server-port" numeric width="s" placeholder="12345" {...bind('port')} />
          {module.ServerControls && <module.ServerControls server={server} set={set} form={form} disabled={running} />}
        </FieldRow>
        <PortInUseActions exercise={exercise} />
        <fieldset className="radios" disabled={running}>
          <legend>Clients</legend>
          <div className="radio-row">
            <label>
              <input
                type="radio"
                name={`${exercise}-mode`}
                checked={!server.oneAtATime}
                onChange={() => set('oneAtATime', false)}
                data-testid="server-concurrent"
              />
              Many at a time (a thread per client)
            </label>
            <label>
              <input
                type="radio"
                name={`${exercise}-mode`}
                checked={server.oneAtATime}
                onChange={() => set('oneAtATime', true)}
                data-testid="server-sequential"
              />
              One at a time (the handout&rsquo;s accept loop)
            </label>
          </div>
        </fieldset>
        <div className="actions">
          <StartStopButton
            running={running}
            busy={busy}
            start={busy ? 'Starting…' : 'Start server'}
            stop="Stop server"
            testids={{ start: 'server-start', stop: 'server-stop' }}
          />
          {running && info && (
            <span className="status-text" data-testid="server-listening">
              on {listenWords(info.address)} port{' '}
              <b className="mono" data-testid="server-actual-port">
                {info.port}
              </b>{' '}
              · {live} connected
            </span>
          )}
          {!running && entry?.stoppedReason && (
            <span className="status-text muted" data-testid="server-stopped-reason">
              {stoppedWords(entry.stoppedReason)}
            </span>
          )}
        </div>
        <FormError form={form} fields={fields} />
        {running && info && (
          <div className="hint">
            {neighbourHost ? (
              <>
                A neighbour connects to <b className="mono">{neighbourHost}</b> port <b className="mono">{info.port}</b>
                <CopyButton text={`${neighbourHost} ${info.port}`} label="Copy address and port" />
              </>
            ) : (
              <>Only this machine can connect (127.0.0.1 port {info.port}).</>
            )}
          </div>
        )}
        {running && info && (
          <WiresharkFilters port={info.port} neighbour={neighbour} testid="server-filters">
            <a
              className="ws-capture-link small"
              href="#/capture"
              data-testid="server-capture-link"
              onClick={() => setCaptureForm(appStore, { port: String(info.port) })}
            >
              Capture it here →
            </a>
          </WiresharkFilters>
        )}
        {hits && hits.length > 0 && (
          <div className="limit-hits" data-testid="server-limits" role="status">
            {hits.map((h) => (
              <div key={h.limit} className="limit-hit">
                <span className="pill warn">limit</span> {h.detail}
                {h.count > 1 && <span className="muted"> ×{h.count}</span>}
              </div>
            ))}
          </div>
        )}
      </PaneForm>
      <Console
        ownerId={serverId}
        testid="server-console"
        label="Server console"
        empty={
          running
            ? 'Listening: what the server prints when a client connects appears here.'
            : 'Start the server: what it prints appears here.'
        }
      />
    </section>
  )
}
