// The pure parts of Lab 1's tasks 2 and 3: dedup and sorted intersection, and their checks (drawing is in @shared/lab).

import { formatList } from '@shared/lab'

export interface DedupOutcome {
  /** First-occurrence order. */
  final: number[]
  /** Each duplicated value once, in first-occurrence order, with how often it appeared. */
  duplicates: { value: number; count: number }[]
}

export function dedup(values: readonly number[]): DedupOutcome {
  const counts = new Map<number, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  const final = [...counts.keys()]
  const duplicates = final.filter((v) => counts.get(v)! > 1).map((value) => ({ value, count: counts.get(value)! }))
  return { final, duplicates }
}

/** Task 3: the common numbers, sorted ascending, each once. */
export function intersection(a: readonly number[], b: readonly number[]): number[] {
  const inB = new Set(b)
  return [...new Set(a.filter((v) => inB.has(v)))].sort((x, y) => x - y)
}

/** Is `answer` an acceptable dedup of `sent`? The same values, each once (any order: `list(set(x))` is fine). */
export function isDedupOf(answer: readonly number[], sent: readonly number[]): { ok: boolean; why?: string } {
  const want = new Set(sent)
  const seen = new Set<number>()
  for (const v of answer) {
    if (seen.has(v)) return { ok: false, why: `${v} appears more than once in the answer` }
    if (!want.has(v)) return { ok: false, why: `${v} was never sent` }
    seen.add(v)
  }
  const missing = [...want].filter((v) => !seen.has(v))
  if (missing.length) return { ok: false, why: `missing ${formatList(missing.slice(0, 10))}` }
  return { ok: true }
}

/** Is `answer` a plausible intersection for a client that sent `mine`? (The server's set is not known.) */
export function isIntersectionFor(answer: readonly number[], mine: readonly number[]): { ok: boolean; why?: string } {
  const own = new Set(mine)
  for (let i = 0; i < answer.length; i++) {
    if (!own.has(answer[i])) return { ok: false, why: `${answer[i]} is not in the client's set` }
    if (i > 0 && answer[i] <= answer[i - 1]) return { ok: false, why: 'the numbers are not sorted ascending without repeats' }
  }
  return { ok: true }
}
