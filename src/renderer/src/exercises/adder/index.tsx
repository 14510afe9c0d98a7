// Lab 2: the client sends its name and gets `ack`; each `a` asks for a sum; `q` quits.

import { useEffect, useRef, useState, type ReactNode } from 'react'
import { regenerateName } from '@shared/lab'
import { EXERCISE_TITLES } from '@shared/settings'
import { bindFields, FieldRow, TextField, useFieldError } from '../../components/fields'
import { formKey, useActions } from '../../store'
import { Empty, FieldButton, Verdict } from '../parts'
import type { ClientControlsProps, ExerciseModule, ResultProps } from '../types'
import { adderForm } from './form'

function AdderControls({ client, set, form, disabled }: ClientControlsProps): ReactNode {
  const bind = bindFields(client, set, form, disabled)
  return (
    <FieldRow form={form} fields={adderForm.clientFields}>
      <TextField
        label="Client name"
        testid="adder-name"
        width="m"
        {...bind('name')}
        suffix={
          <FieldButton
            disabled={disabled}
            testid="adder-name-regenerate"
            onClick={() => set('name', regenerateName(client.name))}
          >
            New suffix
          </FieldButton>
        }
      />
    </FieldRow>
  )
}

/** The one-key commands beside the command line. */
const QUICK = [
  { command: 'a', title: 'Send a: two random numbers' },
  { command: 'q', title: 'Send q: quit' },
] as const

/** The student's command line (`a`, `q` or anything else), with history on the arrow keys; usable once served. */
function AdderCommandLine({ ready }: { ready: boolean }): ReactNode {
  const actions = useActions()
  const [text, setText] = useState('')
  const history = useRef<string[]>([])
  const cursor = useRef(-1)
  const error = useFieldError(formKey.client('adder'), 'command')
  const input = useRef<HTMLInputElement>(null)
  // The command line takes the focus once the server serves this client (not while it waits its turn).
  useEffect(() => {
    if (ready) input.current?.focus()
  }, [ready])
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
        if (!ready) return
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
        ref={input}
        value={text}
        disabled={!ready}
        placeholder={ready ? 'a = add two numbers, q = quit' : 'waiting for the server…'}
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
      <button type="submit" className="btn" data-testid="adder-send" disabled={!ready}>
        Send
      </button>
      {QUICK.map((q) => (
        <button
          key={q.command}
          type="button"
          className="btn"
          data-testid={`adder-${q.command}`}
          title={q.title}
          disabled={!ready}
          onClick={() => void send(q.command)}
        >
          {q.command}
        </button>
      ))}
      {error && (
        <div className="field-error" data-testid="error-command" role="alert">
          {error}
        </div>
      )}
    </form>
  )
}

function AdderResults({ client, server }: ResultProps): ReactNode {
  const list = client.length ? client : server
  if (!list.length)
    return (
      <Empty>
        Connect, then type <code>a</code>: every sum the server sends back shows here.
      </Empty>
    )
  const shown = list.slice(-12).reverse()
  const wrong = list.filter((e) => e.result.kind === 'adder' && e.result.correct === false).length
  return (
    <div>
      <p className="small muted">
        {client.length
          ? `${list.length} answer${list.length === 1 ? '' : 's'}, ${wrong} wrong (latest first)`
          : 'The latest sums our server answered (latest first)'}
      </p>
      <table className="sums" data-testid="adder-sums">
        <tbody>
          {shown.map((e, i) =>
            e.result.kind === 'adder' ? (
              <tr key={list.length - i}>
                <td className="mono">
                  {e.result.a} + {e.result.b}
                </td>
                <td className="mono">= {e.result.answer}</td>
                <td>
                  <Verdict correct={e.result.correct} verdict={e.result.verdict} why={e.result.why} />
                </td>
              </tr>
            ) : null,
          )}
        </tbody>
      </table>
    </div>
  )
}

export const adder: ExerciseModule = {
  ...adderForm,
  id: 'adder',
  title: EXERCISE_TITLES.adder,
  nav: 'Adder',
  lab: 'Lab 2',
  intro: (
    <>
      The client sends its name and gets <code>ack</code>; each <code>a</code> sends two numbers and the server answers their sum;{' '}
      <code>q</code> quits. The client stays connected until <code>q</code>.
    </>
  ),
  run: { start: 'Connect', stop: 'Disconnect' },
  done: 'Disconnected.',
  ClientControls: AdderControls,
  CommandLine: AdderCommandLine,
  Result: AdderResults,
}
