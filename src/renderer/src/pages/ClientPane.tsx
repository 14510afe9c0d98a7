// The Client pane of an exercise page: where to connect, the exercise's own controls (from its module),
// run or connect/disconnect, what the client is doing now (waiting its turn, served, ended), the
// adder's command line, and the client's console.

import type { ReactNode } from 'react'
import type { ClientInfo } from '@shared/contract'
import type { Exercise } from '@shared/settings'
import { Console } from '../components/Console'
import { FormError } from '../components/fields'
import { useEngineReachable } from '../components/LinkBanner'
import { HostPortFields, PaneForm, StartStopButton, useBusy } from '../components/paneForm'
import { WIRE_FIELDS } from '../components/WirePanel'
import { exerciseModule } from '../exercises'
import {
  appStore,
  formKey,
  setExerciseField,
  setHost,
  useActions,
  useApp,
  type ClientEntry,
  type ClientForm,
  type FormError as FormErrorState,
} from '../store'

/** What a running client is doing, in the words the pane shows. */
export function waitingWords(info: ClientInfo): string {
  return info.waitingReason === 'one-at-a-time'
    ? 'waiting: the server is serving another client (one at a time)'
    : 'waiting: the server has not answered yet (it may be serving another client, one at a time)'
}

/** The pill of a client: one look for each state, the same on every page. */
export type ClientLook = { tone: '' | 'ok' | 'info' | 'warn' | 'err'; text: string }

export function clientLook(entry: ClientEntry | undefined, error: FormErrorState | undefined): ClientLook {
  if (entry?.running) {
    switch (entry.info.phase) {
      case 'connecting':
        return { tone: 'info', text: 'Connecting' }
      case 'waiting':
        return { tone: 'warn', text: 'Waiting' }
      default:
        return { tone: 'ok', text: 'Connected' }
    }
  }
  // A client that could not even connect failed as surely as one that was cut off.
  if (error && !error.field?.startsWith('command')) return { tone: 'err', text: 'Failed' }
  if (entry) {
    if (entry.ok === true) return { tone: 'ok', text: 'Done' }
    if (entry.ok === false) return { tone: 'err', text: 'Failed' }
    return { tone: '', text: 'Ended' }
  }
  return { tone: '', text: 'Idle' }
}

function exerciseName(ex: Exercise): string {
  return exerciseModule(ex).nav
}

export function ClientPane({ exercise }: { exercise: Exercise }): ReactNode {
  const actions = useActions()
  const module = exerciseModule(exercise)
  const form = formKey.client(exercise)
  const host = useApp((s) => s.settings.host)
  const client = useApp((s) => s.settings.exercises[exercise].client)
  const clientId = useApp((s) => s.panes[exercise].clientId)
  const entry = useApp((s) => (clientId ? s.clients[clientId] : undefined))
  const error = useApp((s) => s.errors[form])
  const reachable = useEngineReachable()
  const ourServer = useApp((s) => {
    const id = s.panes[exercise].serverId
    const e = id ? s.servers[id] : undefined
    return e?.running ? e.info.port : undefined
  })
  const [busy, whileBusy] = useBusy()
  const running = !!entry?.running
  const set = <K extends keyof ClientForm>(key: K, value: ClientForm[K]): void =>
    setExerciseField(appStore, exercise, 'client', key, value)
  const fields = ['host', 'port', ...module.clientFields, 'command', ...WIRE_FIELDS]

  const submit = (): Promise<void> => whileBusy(() => (running ? actions.stopClient(exercise) : actions.runClient(exercise)))
  const look = clientLook(entry, error)
  const ready = running && reachable && entry?.info.phase === 'ready'

  return (
    <section
      className="panel pane client-side"
      id={`${exercise}-client-pane`}
      aria-labelledby={`${exercise}-client-h`}
      data-testid="client-pane"
    >
      <header className="pane-head">
        <h3 id={`${exercise}-client-h`}>Client</h3>
        <span className={`pill ${look.tone}`} data-testid="client-state">
          {look.text}
        </span>
      </header>
      <PaneForm onSubmit={() => void submit()}>
        <HostPortFields
          form={form}
          port={client.port}
          onPortChange={(v) => set('port', v)}
          testids={{ host: 'client-host', port: 'client-port' }}
          hostPlaceholder="127.0.0.1 or a neighbour's IP"
          disabled={running}
        />
        {ourServer !== undefined && !running && (client.port !== String(ourServer) || host !== '127.0.0.1') && (
          <button
            type="button"
            className="link-btn"
            data-testid="client-use-server"
            onClick={() => {
              setHost(appStore, '127.0.0.1')
              set('port', String(ourServer))
            }}
          >
            Use our server: 127.0.0.1 port {ourServer}
          </button>
        )}
        <module.ClientControls client={client} set={set} form={form} disabled={running} />
        <div className="actions">
          <StartStopButton
            running={running}
            busy={busy}
            start={busy ? 'Connecting…' : module.run.start}
            stop={module.run.stop}
            testids={{ start: 'client-run', stop: 'client-stop' }}
          />
          <ClientStatusText entry={entry} done={module.done} hasError={!!error} />
        </div>
        <OwnServerNote exercise={exercise} info={entry?.info} />
        <FormError form={form} fields={fields} />
      </PaneForm>
      {module.CommandLine && running && <module.CommandLine ready={ready} />}
      <Console
        ownerId={clientId}
        testid="client-console"
        label="Client console"
        empty={module.CommandLine ? 'Connect: the client’s output appears here.' : 'Run the client: its output appears here.'}
      />
    </section>
  )
}

function ClientStatusText({ entry, done, hasError }: { entry?: ClientEntry; done: string; hasError: boolean }): ReactNode {
  if (entry?.running) {
    if (entry.info.phase === 'waiting')
      return (
        <span className="status-text warn-text" data-testid="client-waiting" role="status">
          {waitingWords(entry.info)}
        </span>
      )
    if (entry.info.phase === 'connecting') return <span className="status-text">connecting…</span>
    return (
      <span className="status-text">
        {entry.info.name ? (
          <>
            connected as <b>{entry.info.name}</b>
          </>
        ) : (
          'exchange in progress…'
        )}
      </span>
    )
  }
  // The newest outcome only: a new error replaces "Exchange complete", never sits beside it.
  if (hasError || !entry) return null
  if (entry.ok === true) return <span className="status-text ok-text">{done}</span>
  if (entry.ok === false && entry.error)
    return (
      <span className="status-text err-text" data-testid="client-error">
        {entry.error}
      </span>
    )
  return null
}

/** The client reached one of this app's own servers, of another exercise: worth saying. */
function OwnServerNote({ exercise, info }: { exercise: Exercise; info?: ClientInfo }): ReactNode {
  const own = info?.ownServer
  if (!own || own.exercise === exercise) return null
  return (
    <div className="hint warn-text" data-testid="client-own-server" role="status">
      You reached your own {exerciseName(own.exercise)} server, not a {exerciseName(exercise)} server: pick the{' '}
      {exerciseName(exercise)} server&rsquo;s port.
    </div>
  )
}
