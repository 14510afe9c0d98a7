// Pieces the exercises' result views and controls share: number chips, the verdict pill, the empty note,
// the button after a field.

import { memo, type ReactNode } from 'react'
import type { ExerciseResult, ResultList, Verdict as VerdictKind } from '@shared/contract'
import type { ResultEntry } from '../store'

export type ResultOf<K extends ExerciseResult['kind']> = Extract<ExerciseResult, { kind: K }>

/** The newest result of that kind. */
export function latest<K extends ExerciseResult['kind']>(list: readonly ResultEntry[], kind: K): ResultOf<K> | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (list[i].result.kind === kind) return list[i].result as ResultOf<K>
  return undefined
}

/** How many numbers a result's list really had (main keeps at most RESULT_LIST_MAX of each; `cut` says the rest). */
export function lengthOf(result: Pick<ExerciseResult, 'cut'>, name: ResultList, list: readonly unknown[]): number {
  return result.cut?.[name] ?? list.length
}

/** Words for a verdict the client cannot give (the facts are on the server's side). */
export const VERDICT_WORDS: Readonly<Record<'looks-valid' | 'unknown', string>> = {
  'looks-valid': 'looks valid',
  unknown: 'cannot tell',
}

/** The client's verdict; "looks valid" where the facts to judge it are on the other side (the server's set). */
export function Verdict({ correct, verdict, why }: { correct?: boolean; verdict?: VerdictKind; why?: string }): ReactNode {
  if (verdict === 'looks-valid' || verdict === 'unknown')
    return (
      <span className="pill" data-testid="result-verdict" title={why}>
        {VERDICT_WORDS[verdict]}
      </span>
    )
  if (correct === undefined) return null
  return (
    <span className={`pill ${correct ? 'ok' : 'err'}`} data-testid="result-verdict" title={why}>
      {correct ? 'correct' : 'wrong'}
    </span>
  )
}

export const Chips = memo(function Chips({
  values,
  total = values.length,
  mark,
  testid,
}: {
  values: readonly number[]
  /** How many the list really had, when only the first `values` of it are here. */
  total?: number
  mark?: (v: number, i: number) => string | undefined
  testid?: string
}) {
  const more = total - values.length
  return (
    <div className="chips" data-testid={testid}>
      {values.length === 0 && <span className="muted">[] (empty)</span>}
      {values.map((v, i) => (
        <span key={i} className={`chip ${mark?.(v, i) ?? ''}`}>
          {v}
        </span>
      ))}
      {more > 0 && (
        <span className="muted small" data-testid="chips-more">
          … and {more.toLocaleString('en')} more
        </span>
      )}
    </div>
  )
})

export function Empty({ children }: { children: ReactNode }): ReactNode {
  return <p className="muted empty-note">{children}</p>
}

/** The button right after a field (New suffix, Regenerate). */
export function FieldButton(p: { disabled: boolean; testid: string; onClick(): void; children: ReactNode }): ReactNode {
  return (
    <button type="button" className="btn" disabled={p.disabled} data-testid={p.testid} onClick={p.onClick}>
      {p.children}
    </button>
  )
}
