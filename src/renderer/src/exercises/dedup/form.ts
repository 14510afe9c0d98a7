// Dedup: the list to send (as typed, or N random numbers in 1..100).

import { formatList, randomDedupList } from '@shared/lab'
import { FieldError, parseNumberList } from '../../store/parse'
import type { ExerciseForm } from '../form'

/** The handout's ranges: N in 25..100, each number in 1..100. */
export const DEDUP_RANGE = { countMin: 25, countMax: 100, valueMin: 1, valueMax: 100 } as const

/** What is outside the handout's ranges in the list typed: said next to the list, sent anyway if the student wants. */
export function dedupWarnings(numbers: readonly number[]): string[] {
  const out: string[] = []
  const n = numbers.length
  if (n < DEDUP_RANGE.countMin || n > DEDUP_RANGE.countMax)
    out.push(`N = ${n}: the handout draws N from ${DEDUP_RANGE.countMin} to ${DEDUP_RANGE.countMax}.`)
  const outside: number[] = []
  for (const v of numbers) if ((v < DEDUP_RANGE.valueMin || v > DEDUP_RANGE.valueMax) && outside.length < 6) outside.push(v)
  if (outside.length)
    out.push(
      `Outside ${DEDUP_RANGE.valueMin}..${DEDUP_RANGE.valueMax}: ${outside.join(', ')}${outside.length === 6 ? ', …' : ''} (the handout's numbers are 1 to 100).`,
    )
  return out
}

/** Regenerate: N numbers (N as typed, else drawn in 25..100). */
export function regenerateList(countText: string, rng: () => number = Math.random): { numbers: string; count: string } {
  const n = Number(countText)
  const list = randomDedupList(rng, Number.isInteger(n) && n > 0 ? n : undefined)
  return { numbers: formatList(list), count: String(list.length) }
}

export const dedupForm: ExerciseForm = {
  clientDefaults: () => regenerateList(''),
  clientFields: ['count', 'numbers'],
  clientParams: (form) => {
    const list = parseNumberList(form.numbers)
    if (!list.ok) throw new FieldError(list.error, list.field)
    return { params: { numbers: list.value } }
  },
}
