// Lab 1, task 1: the server greets, the client acknowledges, both close.

import type { ReactNode } from 'react'
import { DEFAULT_ACK, EXERCISE_TITLES } from '@shared/settings'
import { bindFields, FieldRow, TextField } from '../../components/fields'
import { Empty, latest } from '../parts'
import type { ClientControlsProps, ExerciseModule, ResultProps } from '../types'
import { greetingForm } from './form'

function GreetingControls({ client, set, form, disabled }: ClientControlsProps): ReactNode {
  const bind = bindFields(client, set, form, disabled)
  return (
    <FieldRow form={form} fields={greetingForm.clientFields}>
      <TextField label="Acknowledgement sent back" testid="greeting-ack" placeholder={DEFAULT_ACK} width="l" {...bind('ack')} />
      <TextField label="Own port" testid="client-local-port" numeric placeholder="any" width="xs" {...bind('localPort')} />
    </FieldRow>
  )
}

function GreetingResult({ server, client }: ResultProps): ReactNode {
  const c = latest(client, 'greeting')
  const s = latest(server, 'greeting')
  if (!c && !s)
    return <Empty>Run the client (against our server or a classmate&rsquo;s): the two messages of the exchange show here.</Empty>
  return (
    <dl className="kv">
      {c && (
        <>
          <dt>Client received</dt>
          <dd className="mono">{c.greeting}</dd>
          <dt>Client answered</dt>
          <dd className="mono">{c.ack}</dd>
        </>
      )}
      {s && (
        <>
          <dt>Our server sent</dt>
          <dd className="mono">{s.greeting}</dd>
          <dt>Our server received</dt>
          <dd className="mono">{s.ack}</dd>
        </>
      )}
    </dl>
  )
}

export const greeting: ExerciseModule = {
  ...greetingForm,
  id: 'greeting',
  title: EXERCISE_TITLES.greeting,
  nav: 'Greeting',
  lab: 'Lab 1',
  intro: (
    <>
      The server greets with <code>Thank you for connecting</code>, the client answers with its acknowledgement, both close.
    </>
  ),
  run: { start: 'Run client', stop: 'Stop' },
  done: 'Exchange complete, as the handout says.',
  ClientControls: GreetingControls,
  Result: GreetingResult,
}
