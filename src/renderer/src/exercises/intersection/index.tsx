// Lab 1, task 3: the client sends its set, the server answers with the common numbers, sorted.

import type { ReactNode } from 'react'
import { EXERCISE_TITLES } from '@shared/settings'
import { bindFields, FieldRow, TextField } from '../../components/fields'
import type { ResultEntry } from '../../store'
import { Chips, Empty, latest, lengthOf, Verdict, type ResultOf } from '../parts'
import type { ClientControlsProps, ExerciseModule, ResultProps, ServerControlsProps } from '../types'
import { intersectionForm } from './form'

function IntersectionControls({ client, set, form, disabled }: ClientControlsProps): ReactNode {
  const bind = bindFields(client, set, form, disabled)
  return (
    <FieldRow form={form} fields={intersectionForm.clientFields}>
      <TextField label="Set size (distinct, 1..100)" testid="intersection-size" numeric width="m" {...bind('size')} />
    </FieldRow>
  )
}

function ServerSetSize({ server, set, form, disabled }: ServerControlsProps): ReactNode {
  const bind = bindFields<'setSize'>(server, set, form, disabled)
  return <TextField label="Own set size" testid="server-set-size" numeric width="xs" {...bind('setSize')} />
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false
  const s = new Set(a)
  return b.every((v) => s.has(v))
}

/** The server's own set is known only when the server is ours: the result whose client set is this client's. */
function ourServerResult(
  serverResults: readonly ResultEntry[],
  client: ResultOf<'intersection'> | undefined,
): ResultOf<'intersection'> | undefined {
  for (let i = serverResults.length - 1; i >= 0; i--) {
    const r = serverResults[i].result
    if (r.kind === 'intersection' && (!client || sameSet(r.clientSet, client.clientSet))) return r
  }
  return undefined
}

function IntersectionResult({ server: serverResults, client: clientResults }: ResultProps): ReactNode {
  const client = latest(clientResults, 'intersection')
  const server = ourServerResult(serverResults, client)
  const r = client ?? server
  if (!r)
    return (
      <Empty>Run the client: its set, the server&rsquo;s set (when the server is ours) and the common numbers show here.</Empty>
    )
  const common = new Set(r.common)
  const mark = (v: number): string | undefined => (common.has(v) ? 'common' : undefined)
  const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b)
  const serverSet = server?.serverSet ?? client?.serverSet
  const serverSetOwner = server?.serverSet ? server : client
  const serverSetLength = serverSet && serverSetOwner ? lengthOf(serverSetOwner, 'serverSet', serverSet) : 0
  return (
    <div className="result-grid three">
      <div>
        <h4>
          Client set <span className="muted">({lengthOf(r, 'clientSet', r.clientSet)})</span>
        </h4>
        <Chips
          values={sorted(r.clientSet)}
          total={lengthOf(r, 'clientSet', r.clientSet)}
          mark={mark}
          testid="intersection-client-set"
        />
      </div>
      <div>
        <h4>Server set {serverSet ? <span className="muted">({serverSetLength})</span> : null}</h4>
        {serverSet ? (
          <Chips values={sorted(serverSet)} total={serverSetLength} mark={mark} testid="intersection-server-set" />
        ) : (
          <p className="muted small">Not known: the server is not ours (a classmate&rsquo;s keeps its set to itself).</p>
        )}
      </div>
      <div>
        <h4>
          Intersection <span className="muted">({lengthOf(r, 'common', r.common)}, sorted)</span>{' '}
          <Verdict correct={client?.correct} verdict={client?.verdict} why={client?.why} />
        </h4>
        {client?.verdict === 'looks-valid' && client.why && (
          <p className="small verdict-why" data-testid="result-why">
            {client.why.charAt(0).toUpperCase() + client.why.slice(1)}.
          </p>
        )}
        <Chips values={r.common} total={lengthOf(r, 'common', r.common)} mark={() => 'common'} testid="intersection-common" />
      </div>
    </div>
  )
}

export const intersection: ExerciseModule = {
  ...intersectionForm,
  id: 'intersection',
  title: EXERCISE_TITLES.intersection,
  nav: 'Intersection',
  lab: 'Lab 1',
  intro: <>The client sends its set; the server answers with the numbers both sets share, sorted.</>,
  run: { start: 'Run client', stop: 'Stop' },
  done: 'Exchange complete, as the handout says.',
  ClientControls: IntersectionControls,
  ServerControls: ServerSetSize,
  Result: IntersectionResult,
}
