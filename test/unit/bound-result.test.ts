// A peer's list can hold 30,000 numbers in one 64 KiB message; what the app keeps and sends of a
// result is bounded however long it was (the verdict was reached on the whole list first), and says how
// long each cut list really was.

import { describe, expect, it } from 'vitest'
import { RESULT_LIST_MAX, RESULT_WHY_MAX, type EngineEvent, type ExerciseResult } from '@shared/contract'
import { boundResult } from '../../src/main/host/bound-result'
import { Recorder } from '../../src/main/host/recorder'
import { adderServerEnd } from '../helpers/connection'

const ones = (n: number): number[] => Array.from({ length: n }, () => 1)
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

describe('boundResult', () => {
  it('passes a result within its bounds through as it is', () => {
    const small: ExerciseResult = { kind: 'dedup', sent: [1, 1, 2], final: [1, 2], duplicates: [{ value: 1, count: 2 }] }
    expect(boundResult(small)).toBe(small)
    const adder: ExerciseResult = { kind: 'adder', a: 1, b: 2, answer: 3 }
    expect(boundResult(adder)).toBe(adder)
  })

  it("cuts each long list of a dedup result to its first numbers and keeps the real lengths in 'cut'", () => {
    const sent = range(30_000)
    const r = boundResult({
      kind: 'dedup',
      sent,
      final: sent,
      duplicates: range(2000).map((value) => ({ value, count: 2 })),
      serverDuplicates: { values: ones(5000), style: 'every-extra', correct: false },
      why: 'x'.repeat(64 * 1024),
    })
    if (r.kind !== 'dedup') throw new Error('kind changed')
    expect(r.sent).toEqual(range(RESULT_LIST_MAX))
    expect(r.final).toHaveLength(RESULT_LIST_MAX)
    expect(r.duplicates).toHaveLength(RESULT_LIST_MAX)
    expect(r.serverDuplicates?.values).toHaveLength(RESULT_LIST_MAX)
    expect(r.serverDuplicates).toMatchObject({ style: 'every-extra', correct: false })
    expect(r.cut).toEqual({ sent: 30_000, final: 30_000, duplicates: 2000, serverDuplicates: 5000 })
    expect(r.why!.length).toBeLessThanOrEqual(RESULT_WHY_MAX + 1)
    // The exercise's own result is not changed (it may still be judging with it).
    expect(sent).toHaveLength(30_000)
  })

  it('cuts an intersection result likewise, and only the lists that are long', () => {
    const r = boundResult({ kind: 'intersection', clientSet: range(12_000), serverSet: [1, 2], common: [1, 2] })
    if (r.kind !== 'intersection') throw new Error('kind changed')
    expect(r.clientSet).toHaveLength(RESULT_LIST_MAX)
    expect(r.serverSet).toEqual([1, 2])
    expect(r.cut).toEqual({ clientSet: 12_000 })
  })
})

describe('the Recorder keeps and sends bounded results', () => {
  it('1000 results of 30,000-number lists: the batch and the history stay small', () => {
    const r = new Recorder()
    r.batching = true
    const events: EngineEvent[] = []
    r.onEvent((e) => events.push(e), { types: ['result'] })
    const conn = r.open({ ...adderServerEnd, connId: 'conn-1' })
    const sent = ones(30_000)
    for (let i = 0; i < 1000; i++)
      conn.result('srv-1', { kind: 'dedup', sent, final: [1], duplicates: [{ value: 1, count: 30_000 }] })
    const history = JSON.stringify(r.history().results)
    const heard = JSON.stringify(events)
    const batch = JSON.stringify(r.flush())
    // Unbounded: 1000 × 60 KB = 60 MB each. Bounded: 1000 × ~2 KB (a batch takes 500 results).
    expect(events).toHaveLength(1000)
    expect(history.length).toBeLessThan(4_000_000)
    expect(heard.length).toBeLessThan(4_000_000)
    expect(batch.length).toBeLessThan(2_000_000)
    const last = r.history().results.at(-1)!.result
    expect(last).toMatchObject({ kind: 'dedup', cut: { sent: 30_000 } })
  })
})
