// The Check page's forms: a server to check (host, port, question), a client to grade (the port served
// on, how many clients, how long to wait), and Run my program (the command as typed, split into words
// here and checked again by the host: no shell; its folder, its port and its time limit). Each error
// is shown next to the field it names.

import type { ReactNode } from 'react'
import { CHECK_QUESTIONS, type CheckQuestion } from '@shared/contract'
import { checkForm, checkStore, setCheckField, useCheck, useCheckActions, type CheckForms } from '../store/check'
import { FieldRow, FormError, SelectField, TextField } from './fields'
import { PaneForm, StartStopButton, useBusy } from './paneForm'

type FormTab = 'server' | 'client' | 'program'

const QUESTION_LABELS: Record<CheckQuestion, string> = {
  greeting: 'Lab 1 task 1: greeting',
  dedup: 'Lab 1 task 2: dedup',
  intersection: 'Lab 1 task 3: intersection',
  adder: 'Lab 2 question 1: adder',
  'adder-many': 'Lab 2 question 2: adder, many clients at once',
}
const QUESTIONS = CHECK_QUESTIONS.map((q) => ({ value: q, label: QUESTION_LABELS[q] }))

/** Is the tab's current run still going (its main button cancels it then)? */
function useRunning(tab: FormTab): boolean {
  return useCheck((s) => {
    const id = s.current[tab]
    return !!id && !!s.runs[id] && !s.runs[id].ended
  })
}

/** The props binding a control to one key of a tab's form: value, setter, error field, test id. */
function bound<T extends FormTab, K extends keyof CheckForms[T] & string>(
  tab: T,
  values: CheckForms[T],
  key: K,
  disabled: boolean,
) {
  return {
    value: values[key],
    onChange: (v: CheckForms[T][K]) => setCheckField(checkStore, tab, key, v),
    form: checkForm[tab],
    field: key,
    testid: `check-${tab}-${key === 'timeoutS' ? 'timeout' : key}`,
    disabled,
  }
}

/** A tab's form: Enter or the main button starts the check (or cancels the running one); errors below. */
function CheckFormShell(p: {
  tab: FormTab
  fields: string[]
  start: string
  stop: string
  note: ReactNode
  children: ReactNode
}): ReactNode {
  const actions = useCheckActions()
  const running = useRunning(p.tab)
  const [busy, withBusy] = useBusy()
  const go = { server: actions.checkServer, client: actions.checkClient, program: actions.runProgram }[p.tab]
  return (
    <PaneForm onSubmit={() => void withBusy(() => (running ? actions.cancel(p.tab) : go()))}>
      {p.children}
      <div className="actions">
        <StartStopButton
          running={running}
          busy={busy}
          start={p.start}
          stop={p.stop}
          testids={{ start: `check-${p.tab}-start`, stop: `check-${p.tab}-stop` }}
        />
        <span className="muted small">{p.note}</span>
      </div>
      <FormError form={checkForm[p.tab]} fields={p.fields} />
    </PaneForm>
  )
}

export function ServerCheckForm(): ReactNode {
  const f = useCheck((s) => s.forms.server)
  const running = useRunning('server')
  const fields = ['question', 'host', 'port']
  return (
    <CheckFormShell
      tab="server"
      fields={fields}
      start="Check this server"
      stop="Cancel"
      note="Every requirement of the question, each on fresh connections; nothing malformed is sent."
    >
      <FieldRow form={checkForm.server} fields={fields}>
        <SelectField label="Question" options={QUESTIONS} width="l" {...bound('server', f, 'question', running)} />
        <TextField label="Server address" placeholder="192.168.1.20" width="m" {...bound('server', f, 'host', running)} />
        <TextField label="Port" numeric width="xs" {...bound('server', f, 'port', running)} />
      </FieldRow>
    </CheckFormShell>
  )
}

export function ClientCheckForm(): ReactNode {
  const f = useCheck((s) => s.forms.client)
  const running = useRunning('client')
  const fields = ['question', 'port', 'connections', 'timeoutS']
  return (
    <CheckFormShell
      tab="client"
      fields={fields}
      start="Serve and grade clients"
      stop="Cancel"
      note="SocketLab plays the handout’s server; start your client once it listens."
    >
      <FieldRow form={checkForm.client} fields={fields}>
        <SelectField label="Question" options={QUESTIONS} width="l" {...bound('client', f, 'question', running)} />
        <TextField label="Serve on port (0: any free)" numeric width="s" {...bound('client', f, 'port', running)} />
        <TextField label="Clients to grade" numeric width="xs" {...bound('client', f, 'connections', running)} />
        <TextField label="Wait at most (s)" numeric width="xs" {...bound('client', f, 'timeoutS', running)} />
      </FieldRow>
    </CheckFormShell>
  )
}

const SIDES = [
  { value: 'client' as const, label: 'My client' },
  { value: 'server' as const, label: 'My server' },
]

const COMMAND_HELP = {
  client:
    'Started without a shell, as typed: `{port}` becomes the port SocketLab serves on. The handout’s keyboard input is typed into it (adder: `a`, `a`, a wrong command, `q`).',
  server:
    'Started without a shell, as typed: `{port}` becomes the port below; SocketLab waits for it to listen there, checks it, then stops it.',
}

export function ProgramForm(): ReactNode {
  const f = useCheck((s) => s.forms.program)
  const running = useRunning('program')
  const form = checkForm.program
  return (
    <CheckFormShell
      tab="program"
      fields={['side', 'question', 'command', 'cwd', 'port', 'connections', 'timeoutS']}
      start="Run my program and check it"
      stop="Stop it"
      note="Only a program on this machine, with a time limit; what it prints is checked too."
    >
      <FieldRow form={form} fields={['side', 'question']}>
        <SelectField label="Program" options={SIDES} width="s" {...bound('program', f, 'side', running)} />
        <SelectField label="Question" options={QUESTIONS} width="l" {...bound('program', f, 'question', running)} />
      </FieldRow>
      <TextField label="Command" width="full" help={COMMAND_HELP[f.side]} {...bound('program', f, 'command', running)} />
      <FieldRow form={form} fields={['cwd', 'port', 'connections', 'timeoutS']}>
        <TextField
          label="Folder (default: SocketLab’s)"
          placeholder="/home/me/lab2"
          width="l"
          {...bound('program', f, 'cwd', running)}
        />
        <TextField
          label={f.side === 'client' ? 'Serve on port (0: any)' : 'It listens on port'}
          numeric
          width="s"
          {...bound('program', f, 'port', running)}
        />
        {f.side === 'client' && (
          <TextField label="Times to start it" numeric width="xs" {...bound('program', f, 'connections', running)} />
        )}
        <TextField label="Time limit (s)" numeric width="xs" {...bound('program', f, 'timeoutS', running)} />
      </FieldRow>
    </CheckFormShell>
  )
}
