// Lab 1, task 2: the client sends N numbers, the server sends them back without duplicates.

import { useId, type ReactNode } from 'react'
import { EXERCISE_TITLES } from '@shared/settings'
import { bindFields, FieldRow, TextField, useFieldError } from '../../components/fields'
import { parseNumberList } from '../../store/parse'
import { Chips, Empty, FieldButton, latest, lengthOf, Verdict } from '../parts'
import type { ClientControlsProps, ExerciseModule, ResultProps } from '../types'
import { dedupForm, dedupWarnings, regenerateList } from './form'

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

function DedupControls({ client, set, form, disabled }: ClientControlsProps): ReactNode {
  const parsed = parseNumberList(client.numbers)
  const counts = new Map<number, number>()
  if (parsed.ok) for (const v of parsed.value) counts.set(v, (counts.get(v) ?? 0) + 1)
  // The words of the Result: values repeated (its "Duplicates"), and the extra copies the server removes.
  const repeated = [...counts.values()].filter((n) => n > 1).length
  const copies = parsed.ok ? parsed.value.length - counts.size : 0
  const warnings = parsed.ok ? dedupWarnings(parsed.value) : []
  const bind = bindFields(client, set, form, disabled)
  const regenerate = (): void => {
    const next = regenerateList(client.count)
    set('numbers', next.numbers)
    set('count', next.count)
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
        {parsed.ok
          ? repeated === 0
            ? `${plural(parsed.value.length, 'number')}, none repeated`
            : `${plural(parsed.value.length, 'number')}: ${plural(repeated, 'value')} repeated, ${plural(copies, 'copy', 'copies')} to remove`
          : ''}
      </div>
      {warnings.map((w) => (
        <div key={w} className="field-warn" data-testid="dedup-warning">
          {w}
        </div>
      ))}
    </>
  )
}

function NumbersArea(p: { value: string; onChange(v: string): void; form: string; disabled: boolean }): ReactNode {
  const error = useFieldError(p.form, 'numbers')
  const id = useId()
  // Tall enough for the handout's 100 numbers without scrolling at the usual widths.
  const rows = Math.min(8, Math.max(4, Math.ceil(p.value.length / 60)))
  return (
    <div className="field w-full">
      <label htmlFor={`${id}-numbers`}>List to send (edit freely)</label>
      <textarea
        id={`${id}-numbers`}
        className="mono numbers-box"
        rows={rows}
        value={p.value}
        spellCheck={false}
        disabled={p.disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-err` : undefined}
        data-testid="dedup-numbers"
        onChange={(e) => p.onChange(e.target.value)}
      />
      {error && (
        <div className="field-error" id={`${id}-err`} data-testid="error-numbers" role="alert">
          {error}
        </div>
      )}
    </div>
  )
}

function DedupResult({ server, client }: ResultProps): ReactNode {
  const c = latest(client, 'dedup')
  const r = c ?? latest(server, 'dedup')
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
          Sent <span className="muted">({lengthOf(r, 'sent', r.sent)} numbers)</span>{' '}
          {!c && <span className="muted small">as our server received it</span>}
        </h4>
        <Chips values={r.sent} total={lengthOf(r, 'sent', r.sent)} mark={(_, i) => marks[i]} testid="dedup-sent" />
        <div className="legend small muted">
          <span className="chip dup">n</span> repeated value, first time · <span className="chip dup removed">n</span> repeat,
          removed
        </div>
      </div>
      <div>
        <h4>
          Final list <span className="muted">({lengthOf(r, 'final', r.final)} numbers)</span>{' '}
          <Verdict correct={r.correct} verdict={r.verdict} why={r.why} />
        </h4>
        <Chips
          values={r.final}
          total={lengthOf(r, 'final', r.final)}
          mark={(v) => (counts.has(v) ? 'dup' : undefined)}
          testid="dedup-final"
        />
        <h4>
          Duplicates <span className="muted">({lengthOf(r, 'duplicates', r.duplicates)} values)</span>
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

export const dedup: ExerciseModule = {
  ...dedupForm,
  id: 'dedup',
  title: EXERCISE_TITLES.dedup,
  nav: 'Dedup',
  lab: 'Lab 1',
  intro: <>The client sends a list of numbers; the server sends it back without duplicates, in first-seen order.</>,
  run: { start: 'Run client', stop: 'Stop' },
  done: 'Exchange complete, as the handout says.',
  ClientControls: DedupControls,
  Result: DedupResult,
}
