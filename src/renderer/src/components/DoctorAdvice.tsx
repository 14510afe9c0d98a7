// The connection doctor's advice next to a failed connection: what happened (one line), what to do step
// by step, the facts it measured, and the next step as a button where one exists ("Use port 12346",
// "Use 192.168.1.20", "Start the server", "Try again"). Drawn from the diagnosis's fields; what a button
// does is the caller's (the client pane fills in its form, the Check page its own).

import type { ReactNode } from 'react'
import type { Diagnosis, DoctorAction, ErrorDetail, FailureGroup } from '@shared/contract'
import { formatEndpoint } from '@shared/endpoint'
import type { Exercise } from '@shared/settings'
import { appStore, setExerciseField, setHost, setManyClientsField, useActions, type FormError } from '../store'
import { HelpText } from './fields'
import './DoctorAdvice.css'

/** The diagnosis an error detail carries, if it is a failed connection. */
export function diagnosisOf(detail: ErrorDetail | undefined): Diagnosis | undefined {
  return detail?.kind === 'connect-failed' ? detail.diagnosis : undefined
}

/** The words on a next step's button. */
export function actionLabel(a: DoctorAction): string {
  switch (a.kind) {
    case 'use-host':
      return `Use ${a.host}`
    case 'use-port':
      return `Use port ${a.port}`
    case 'any-local-port':
      return 'Let the system pick the client’s port'
    case 'retry':
      return a.afterMs ? `Try again in ${Math.ceil(a.afterMs / 1000)} s` : 'Try again'
    case 'show-addresses':
      return 'Show this machine’s addresses'
  }
}

function Facts({ d }: { d: Diagnosis }): ReactNode {
  const f = d.facts
  const rows: [string, string][] = [['Tried', formatEndpoint({ address: f.host, port: f.port })]]
  if (f.errno) rows.push(['Error', `${f.errno}${f.elapsedMs !== undefined ? ` after ${f.elapsedMs} ms` : ''}`])
  if (f.resolved?.length) rows.push(['Stands for', f.resolved.join(', ')])
  if (f.listeners)
    rows.push(['Listening on that port here', f.listeners.length ? f.listeners.map(formatEndpoint).join(', ') : 'nothing'])
  if (f.ownServers?.length)
    rows.push(['SocketLab’s own servers', f.ownServers.map((s) => `${s.exercise} on ${formatEndpoint(s)}`).join(', ')])
  if (f.subnets?.length) rows.push(['This machine’s networks', f.subnets.join(', ')])
  if (f.neighbour && f.neighbour !== 'unknown')
    rows.push(['A machine at that address', f.neighbour === 'answers' ? 'answers on this network' : 'does not answer'])
  if (f.localPort)
    rows.push(['Client’s own port', `${f.localPort}${f.localPortStates?.length ? ` (${f.localPortStates.join(', ')})` : ''}`])
  return (
    <dl className="kv doctor-facts">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd className="mono">{v}</dd>
        </div>
      ))}
    </dl>
  )
}

export function DoctorAdvice({
  diagnosis,
  onAction,
  onStartServer,
  testid = 'doctor-advice',
}: {
  diagnosis: Diagnosis
  /** Take a next step; without it, the steps are shown without buttons. */
  onAction?: (action: DoctorAction) => void
  /** Offered for a refused connection to this machine with nothing listening: start our own server. */
  onStartServer?: () => void
  testid?: string
}): ReactNode {
  const d = diagnosis
  const nothingHere = d.code === 'refused' && d.facts.thisMachine && !d.facts.listeners?.length && !d.facts.ownServers?.length
  return (
    <div className="doctor" data-testid={testid} data-code={d.code} role="note" aria-label="Connection doctor">
      <div className="doctor-head">
        <span className="pill warn">Connection doctor</span> <HelpText text={d.summary} />
      </div>
      <ol className="doctor-steps">
        {d.steps.map((s, i) => (
          <li key={i}>
            <HelpText text={s} />
          </li>
        ))}
      </ol>
      <Facts d={d} />
      {(onAction && d.actions.length > 0) || (onStartServer && nothingHere) ? (
        <div className="actions doctor-actions">
          {onStartServer && nothingHere && (
            <button type="button" className="btn small primary" data-testid="doctor-start-server" onClick={onStartServer}>
              Start the server
            </button>
          )}
          {onAction &&
            d.actions.map((a, i) => (
              <button
                key={i}
                type="button"
                className="btn small"
                data-testid={`doctor-action-${a.kind}`}
                onClick={() => onAction(a)}
              >
                {actionLabel(a)}
              </button>
            ))}
        </div>
      ) : null}
    </div>
  )
}

/** A step that only opens another page or fills in a host or port, the same in every pane. */
function common(a: DoctorAction, setPort: (port: string) => void): boolean {
  if (a.kind === 'use-host') setHost(appStore, a.host)
  else if (a.kind === 'use-port') setPort(String(a.port))
  else if (a.kind === 'show-addresses') window.location.hash = '#/machine'
  else return false
  return true
}

/**
 * The client pane's failed connection (the command's error, or a later client-ended one): the doctor's
 * steps, with "Start the server" (this exercise's, on the port tried), another host or port, "Try again".
 */
export function ClientDoctorAdvice(p: {
  exercise: Exercise
  error?: FormError
  ended?: { ok?: boolean; detail?: ErrorDetail }
  onRetry(): void
}): ReactNode {
  const actions = useActions()
  const diagnosis = diagnosisOf(p.error?.detail) ?? (p.ended?.ok === false ? diagnosisOf(p.ended.detail) : undefined)
  if (!diagnosis) return null
  const setPort = (port: string): void => setExerciseField(appStore, p.exercise, 'client', 'port', port)
  const onAction = (a: DoctorAction): void => {
    if (!common(a, setPort)) p.onRetry()
  }
  const onStartServer = (): void => {
    setExerciseField(appStore, p.exercise, 'server', 'port', String(diagnosis.facts.port))
    void actions.startServer(p.exercise)
  }
  return <DoctorAdvice diagnosis={diagnosis} onAction={onAction} onStartServer={onStartServer} testid="client-doctor" />
}

/** Many clients: the doctor's advice for the most frequent failure that carries a diagnosis. */
export function ManyClientsDoctorAdvice({ failures }: { failures: readonly FailureGroup[] }): ReactNode {
  const diagnosis = failures.find((f) => f.diagnosis)?.diagnosis
  if (!diagnosis) return null
  const onAction = (a: DoctorAction): void => void common(a, (port) => setManyClientsField(appStore, 'port', port))
  return <DoctorAdvice diagnosis={diagnosis} onAction={onAction} testid="many-doctor" />
}
