// The Client pane of an exercise page: where to connect, the exercise's own controls, run or
// connect/disconnect, the adder's command line, and the client's console.

import { useRef, useState, type ReactNode } from 'react'
import { DEFAULT_ACK, type Exercise } from '@shared/settings'
import { Console } from '../components/Console'
import { bindFields, FieldRow, FormError, TextField } from '../components/fields'
import { HostPortFields, PaneForm, StartStopButton, useBusy } from '../components/paneForm'
import { WIRE_FIELDS } from '../components/WirePanel'
import {
  appStore,
  formatNumbers,
  formKey,
  parseNumberList,
  randomDedupNumbers,
  regenerateName,
  setExerciseField,
  setHost,
  useActions,
  useApp,
  type ClientForm,
} from '../store'

const CLIENT_FIELDS = ['host', 'port', 'localPort', 'ack', 'name', 'numbers', 'count', 'size', 'command', ...WIRE_FIELDS]

function useClientConnState(clientId: string | undefined): string | undefined {
  return useApp((s) => {
    if (!clientId) return undefined
    for (const id in s.connections) {
      const c = s.connections[id]
      if (c.ownerId === clientId) return c.state
    }
    return undefined
  })
}

export function ClientPane({ exercise }: { exercise: Exercise }): ReactNode {
  const actions = useActions()
  const form = formKey.client(exercise)
  const host = useApp((s) => s.settings.host)
  const client = useApp((s) => s.settings.exercises[exercise].client)
  const clientId = useApp((s) => s.panes[exercise].clientId)
  const entry = useApp((s) => (clientId ? s.clients[clientId] : undefined))
  const ourServer = useApp((s) => {
    const id = s.panes[exercise].serverId
    const e = id ? s.servers[id] : undefined
    return e?.running ? e.info.port : undefined
  })
  const connState = useClientConnState(clientId)
  const [busy, whileBusy] = useBusy()
  const running = !!entry?.running
  const isAdder = exercise === 'adder'
  const set = <K extends keyof ClientForm>(key: K, value: ClientForm[K]): void =>
    setExerciseField(appStore, exercise, 'client', key, value)

  const submit = (): Promise<void> => whileBusy(() => (running ? actions.stopClient(exercise) : actions.runClient(exercise)))

  const runLabel = isAdder ? 'Connect' : 'Run client'
  const stopLabel = isAdder ? 'Disconnect' : 'Stop'

  return (
    <section className="panel pane" aria-labelledby={`${exercise}-client-h`} data-testid="client-pane">
      <header className="pane-head">
        <h3 id={`${exercise}-client-h`}>Client</h3>
        <ClientStatusPill running={running} connState={connState} ok={entry?.ok} ended={!!entry && !entry.running} />
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
        <ExerciseControls exercise={exercise} client={client} set={set} form={form} disabled={running} />
        <div className="actions">
          <StartStopButton
            running={running}
            busy={busy}
            start={busy ? 'Connecting…' : runLabel}
            stop={stopLabel}
            testids={{ start: 'client-run', stop: 'client-stop' }}
          />
          <ClientStatusText exercise={exercise} running={running} ok={entry?.ok} error={entry?.error} name={entry?.info.name} />
        </div>
        <FormError form={form} fields={CLIENT_FIELDS} />
      </PaneForm>
      {isAdder && running && <AdderCommandLine />}
      <Console
        ownerId={clientId}
        testid="client-console"
        label="Client console"
        empty={isAdder ? 'Connect: the client’s output appears here.' : 'Run the client: its output appears here.'}
      />
    </section>
  )
}

function ClientStatusPill({
  running,
  connState,
  ok,
  ended,
}: {
  running: boolean
  connState?: string
  ok?: boolean
  ended: boolean
}): ReactNode {
  if (running) {
    const connected = connState === 'open'
    return (
      <span className={`pill ${connected ? 'ok' : 'info'}`} data-testid="client-state">
        {connected ? 'Connected' : 'Connecting'}
      </span>
    )
  }
  if (ended)
    return (
      <span className={`pill ${ok ? 'ok' : 'err'}`} data-testid="client-state">
        {ok ? 'Done' : 'Failed'}
      </span>
    )
  return (
    <span className="pill" data-testid="client-state">
      Idle
    </span>
  )
}

function ClientStatusText(p: { exercise: Exercise; running: boolean; ok?: boolean; error?: string; name?: string }): ReactNode {
  if (p.running)
    return (
      <span className="status-text">
        {p.name ? (
          <>
            connected as <b>{p.name}</b>
          </>
        ) : (
          'exchange in progress…'
        )}
      </span>
    )
  if (p.ok === true)
    return (
      <span className="status-text ok-text">
        {p.exercise === 'adder' ? 'Disconnected.' : 'Exchange complete, as the handout says.'}
      </span>
    )
  if (p.ok === false && p.error) return <span className="status-text err-text">{p.error}</span>
  return null
}

interface ControlsProps {
  exercise: Exercise
  client: ClientForm
  set<K extends keyof ClientForm>(key: K, value: ClientForm[K]): void
  form: string
  disabled: boolean
}

function ExerciseControls({ exercise, client, set, form, disabled }: ControlsProps): ReactNode {
  const bind = bindFields(client, set, form, disabled)
  const newSuffix = (): void => set('name', regenerateName(client.name))
  switch (exercise) {
    case 'greeting':
      return (
        <FieldRow form={form} fields={['ack', 'localPort']}>
          <TextField
            label="Acknowledgement sent back"
            testid="greeting-ack"
            placeholder={DEFAULT_ACK}
            width="l"
            {...bind('ack')}
          />
          <TextField label="Own port" testid="client-local-port" numeric placeholder="any" width="xs" {...bind('localPort')} />
        </FieldRow>
      )
    case 'dedup':
      return <DedupControls client={client} set={set} form={form} disabled={disabled} />
    case 'intersection':
      return (
        <FieldRow form={form} fields={['size']}>
          <TextField label="Set size (distinct, 1..100)" testid="intersection-size" numeric width="m" {...bind('size')} />
        </FieldRow>
      )
    case 'adder':
      return (
        <FieldRow form={form} fields={['name']}>
          <TextField
            label="Client name"
            testid="adder-name"
            width="m"
            {...bind('name')}
            suffix={
              <FieldButton disabled={disabled} testid="adder-name-regenerate" onClick={newSuffix}>
                New suffix
              </FieldButton>
            }
          />
        </FieldRow>
      )
  }
}

/** The button right after a field (New suffix, Regenerate). */
function FieldButton(p: { disabled: boolean; testid: string; onClick(): void; children: ReactNode }): ReactNode {
  return (
    <button type="button" className="btn" disabled={p.disabled} data-testid={p.testid} onClick={p.onClick}>
      {p.children}
    </button>
  )
}

function DedupControls({ client, set, form, disabled }: Omit<ControlsProps, 'exercise'>): ReactNode {
  const parsed = parseNumberList(client.numbers)
  const dupes = parsed.ok ? parsed.value.length - new Set(parsed.value).size : 0
  const bind = bindFields(client, set, form, disabled)
  const regenerate = (): void => {
    const n = Number(client.count)
    const list = randomDedupNumbers(Number.isInteger(n) && n > 0 ? n : undefined)
    set('numbers', formatNumbers(list))
    set('count', String(list.length))
  }
  return (
    <>
      <FieldRow form={form} fields={['count']}>
        <TextField
          label="N (how many)"
          testid="dedup-count"
          numeric
          width="xs"
          {...bind('count')}
          suffix={
            <FieldButton disabled={disabled} testid="dedup-regenerate" onClick={regenerate}>
              Regenerate
            </FieldButton>
          }
        />
        <div className="field-note muted small">Random: N from 25 to 100 if left empty, values 1..100.</div>
      </FieldRow>
      <NumbersArea value={client.numbers} onChange={(v) => set('numbers', v)} form={form} disabled={disabled} />
      <div className="muted small" data-testid="dedup-summary">
        {parsed.ok ? `${parsed.value.length} numbers, ${dupes} repeated` : ''}
      </div>
    </>
  )
}

function NumbersArea({
  value,
  onChange,
  form,
  disabled,
}: {
  value: string
  onChange(v: string): void
  form: string
  disabled: boolean
}): ReactNode {
  const error = useApp((s) => (s.errors[form]?.field === 'numbers' ? s.errors[form]!.error : undefined))
  return (
    <div className="field w-full">
      <label htmlFor="dedup-numbers">List to send (edit freely)</label>
      <textarea
        id="dedup-numbers"
        className="mono"
        rows={3}
        value={value}
        spellCheck={false}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'dedup-numbers-err' : undefined}
        data-testid="dedup-numbers"
        onChange={(e) => onChange(e.target.value)}
      />
      {error && (
        <div className="field-error" id="dedup-numbers-err" data-testid="error-numbers" role="alert">
          {error}
        </div>
      )}
    </div>
  )
}

/** Adder: the student's command line (`a`, `q` or anything else), with history on the arrow keys. */
function AdderCommandLine(): ReactNode {
  const actions = useActions()
  const [text, setText] = useState('')
  const history = useRef<string[]>([])
  const cursor = useRef(-1)
  const send = async (command: string): Promise<void> => {
    history.current.unshift(command)
    cursor.current = -1
    await actions.sendCommand('adder', command)
  }
  return (
    <form
      className="command-line"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        const command = text
        setText('')
        void send(command)
      }}
    >
      <label htmlFor="adder-command">Enter command:</label>
      <input
        id="adder-command"
        className="mono"
        autoComplete="off"
        spellCheck={false}
        autoFocus
        value={text}
        placeholder="a = add two numbers, q = quit"
        data-testid="adder-command"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowUp' && history.current.length) {
            e.preventDefault()
            cursor.current = Math.min(cursor.current + 1, history.current.length - 1)
            setText(history.current[cursor.current])
          } else if (e.key === 'ArrowDown') {
            e.preventDefault()
            cursor.current = Math.max(cursor.current - 1, -1)
            setText(cursor.current < 0 ? '' : history.current[cursor.current])
          }
        }}
      />
      <button type="submit" className="btn" data-testid="adder-send">
        Send
      </button>
      <button
        type="button"
        className="btn"
        data-testid="adder-a"
        title="Send a: two random numbers"
        onClick={() => void send('a')}
      >
        a
      </button>
      <button type="button" className="btn" data-testid="adder-q" title="Send q: quit" onClick={() => void send('q')}>
        q
      </button>
      <AdderCommandError />
    </form>
  )
}

function AdderCommandError(): ReactNode {
  const error = useApp((s) =>
    s.errors[formKey.client('adder')]?.field === 'command' ? s.errors[formKey.client('adder')]!.error : undefined,
  )
  if (!error) return null
  return (
    <div className="field-error" data-testid="error-command" role="alert">
      {error}
    </div>
  )
}
