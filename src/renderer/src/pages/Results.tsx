// What each exercise's exchange produced, drawn from the structured `result` events: the dedup lists
// with their duplicates, the two intersection sets side by side, the adder's sums.

import { memo, type ReactNode } from 'react'
import type { ExerciseResult } from '@shared/contract'
import type { Exercise } from '@shared/settings'
import { ResultLadder } from '../components/LadderViews'
import { useApp, type ResultEntry } from '../store'

type Of<K extends ExerciseResult['kind']> = Extract<ExerciseResult, { kind: K }>

const NONE: ResultEntry[] = []

function useResults(ownerId: string | undefined): ResultEntry[] {
  return useApp((s) => (ownerId ? (s.results[ownerId] ?? NONE) : NONE))
}

function latest<K extends ExerciseResult['kind']>(list: ResultEntry[], kind: K): Of<K> | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (list[i].result.kind === kind) return list[i].result as Of<K>
  return undefined
}

/** The client's verdict; "looks valid" where the facts to judge it are on the other side (the server's set). */
function Verdict({ correct, verdict, why }: { correct?: boolean; verdict?: string; why?: string }): ReactNode {
  if (verdict === 'looks-valid' || verdict === 'unknown')
    return (
      <span className="pill" data-testid="result-verdict" title={why}>
        {verdict === 'looks-valid' ? 'looks valid' : 'cannot tell'}
      </span>
    )
  if (correct === undefined) return null
  return (
    <span className={`pill ${correct ? 'ok' : 'err'}`} data-testid="result-verdict" title={why}>
      {correct ? 'correct' : 'wrong'}
    </span>
  )
}

const Chips = memo(function Chips({
  values,
  mark,
  testid,
}: {
  values: readonly number[]
  mark?: (v: number, i: number) => string | undefined
  testid?: string
}) {
  return (
    <div className="chips" data-testid={testid}>
      {values.length === 0 && <span className="muted">[] (empty)</span>}
      {values.map((v, i) => (
        <span key={i} className={`chip ${mark?.(v, i) ?? ''}`}>
          {v}
        </span>
      ))}
    </div>
  )
})

export function ResultsPanel({ exercise }: { exercise: Exercise }): ReactNode {
  const serverId = useApp((s) => s.panes[exercise].serverId)
  const clientId = useApp((s) => s.panes[exercise].clientId)
  const serverResults = useResults(serverId)
  const clientResults = useResults(clientId)
  let body: ReactNode = null
  switch (exercise) {
    case 'greeting':
      body = <GreetingResult client={latest(clientResults, 'greeting')} server={latest(serverResults, 'greeting')} />
      break
    case 'dedup':
      body = <DedupResult client={latest(clientResults, 'dedup')} server={latest(serverResults, 'dedup')} />
      break
    case 'intersection':
      body = <IntersectionResult client={latest(clientResults, 'intersection')} serverResults={serverResults} />
      break
    case 'adder':
      body = <AdderResults client={clientResults} server={serverResults} />
      break
  }
  return (
    <section className="panel results" aria-labelledby={`${exercise}-results-h`} data-testid="results">
      <header className="pane-head">
        <h3 id={`${exercise}-results-h`}>Result</h3>
      </header>
      {body}
      <ResultLadder connId={(clientResults.at(-1) ?? serverResults.at(-1))?.connId} />
    </section>
  )
}

function Empty({ children }: { children: ReactNode }): ReactNode {
  return <p className="muted empty-note">{children}</p>
}

function GreetingResult({ client, server }: { client?: Of<'greeting'>; server?: Of<'greeting'> }): ReactNode {
  if (!client && !server)
    return <Empty>Run the client (against our server or a classmate&rsquo;s): the two messages of the exchange show here.</Empty>
  return (
    <dl className="kv">
      {client && (
        <>
          <dt>Client received</dt>
          <dd className="mono">{client.greeting}</dd>
          <dt>Client answered</dt>
          <dd className="mono">{client.ack}</dd>
        </>
      )}
      {server && (
        <>
          <dt>Our server sent</dt>
          <dd className="mono">{server.greeting}</dd>
          <dt>Our server received</dt>
          <dd className="mono">{server.ack}</dd>
        </>
      )}
    </dl>
  )
}

function DedupResult({ client, server }: { client?: Of<'dedup'>; server?: Of<'dedup'> }): ReactNode {
  const r = client ?? server
  if (!r) return <Empty>Run the client: the list it sent, the final list and the duplicates show here.</Empty>
  const counts = new Map(r.duplicates.map((d) => [d.value, d.count]))
  const seen = new Set<number>()
  // Every occurrence of a repeated value is marked; the later ones (those removed) more strongly.
  const marks = r.sent.map((v) => {
    if (!counts.has(v)) return undefined
    if (seen.has(v)) return 'dup removed'
    seen.add(v)
    return 'dup'
  })
  return (
    <div className="result-grid">
      <div>
        <h4>
          Sent <span className="muted">({r.sent.length} numbers)</span>{' '}
          {!client && <span className="muted small">as our server received it</span>}
        </h4>
        <Chips values={r.sent} mark={(_, i) => marks[i]} testid="dedup-sent" />
        <div className="legend small muted">
          <span className="chip dup">n</span> repeated value, first time · <span className="chip dup removed">n</span> repeat,
          removed
        </div>
      </div>
      <div>
        <h4>
          Final list <span className="muted">({r.final.length} numbers)</span>{' '}
          <Verdict correct={r.correct} verdict={r.verdict} why={r.why} />
        </h4>
        <Chips values={r.final} mark={(v) => (counts.has(v) ? 'dup' : undefined)} testid="dedup-final" />
        <h4>
          Duplicates <span className="muted">({r.duplicates.length} values)</span>
        </h4>
        <div className="chips" data-testid="dedup-duplicates">
          {r.duplicates.length === 0 && <span className="muted">none</span>}
          {r.duplicates.map((d) => (
            <span key={d.value} className="chip dup">
              {d.value} <span className="times">×{d.count}</span>
            </span>
          ))}
        </div>
      </div>
    </div>
  )
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false
  const s = new Set(a)
  return b.every((v) => s.has(v))
}

function IntersectionResult({ client, serverResults }: { client?: Of<'intersection'>; serverResults: ResultEntry[] }): ReactNode {
  // The server's own set is known only when the server is ours: the result whose client set is this client's.
  let server: Of<'intersection'> | undefined
  for (let i = serverResults.length - 1; i >= 0 && !server; i--) {
    const r = serverResults[i].result
    if (r.kind === 'intersection' && (!client || sameSet(r.clientSet, client.clientSet))) server = r
  }
  const r = client ?? server
  if (!r)
    return (
      <Empty>Run the client: its set, the server&rsquo;s set (when the server is ours) and the common numbers show here.</Empty>
    )
  const common = new Set(r.common)
  const mark = (v: number): string | undefined => (common.has(v) ? 'common' : undefined)
  const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b)
  return (
    <div className="result-grid three">
      <div>
        <h4>
          Client set <span className="muted">({r.clientSet.length})</span>
        </h4>
        <Chips values={sorted(r.clientSet)} mark={mark} testid="intersection-client-set" />
      </div>
      <div>
        <h4>Server set {server?.serverSet ? <span className="muted">({server.serverSet.length})</span> : null}</h4>
        {server?.serverSet ? (
          <Chips values={sorted(server.serverSet)} mark={mark} testid="intersection-server-set" />
        ) : (
          <p className="muted small">Not known: the server is not ours (a classmate&rsquo;s keeps its set to itself).</p>
        )}
      </div>
      <div>
        <h4>
          Intersection <span className="muted">({r.common.length}, sorted)</span>{' '}
          <Verdict correct={client?.correct} verdict={client?.verdict} why={client?.why} />
        </h4>
        <Chips values={r.common} mark={() => 'common'} testid="intersection-common" />
      </div>
    </div>
  )
}

function AdderResults({ client, server }: { client: ResultEntry[]; server: ResultEntry[] }): ReactNode {
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
