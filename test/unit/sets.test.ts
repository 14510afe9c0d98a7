import { describe, expect, it } from 'vitest'
import { seeded } from '../helpers/rng'
import { formatList, randomDedupList, randomSet } from '../../src/shared/lab'
import { dedup, intersection, isDedupOf, isIntersectionFor } from '../../src/main/exercises/sets'

describe('dedup (Lab 1 task 2)', () => {
  it('keeps first-occurrence order and counts each duplicated value once', () => {
    expect(dedup([5, 1, 5, 9, 1, 5])).toEqual({
      final: [5, 1, 9],
      duplicates: [
        { value: 5, count: 3 },
        { value: 1, count: 2 },
      ],
    })
    expect(dedup([])).toEqual({ final: [], duplicates: [] })
  })

  it('judges answers: same values, each once, any order', () => {
    expect(isDedupOf([9, 1, 5], [5, 1, 5, 9])).toEqual({ ok: true })
    expect(isDedupOf([5, 1], [5, 1, 9]).why).toBe('missing [9]')
    expect(isDedupOf([5, 5, 1, 9], [5, 1, 9]).why).toBe('5 appears more than once in the answer')
    expect(isDedupOf([5, 1, 9, 4], [5, 1, 9]).why).toBe('4 was never sent')
  })

  it('draws N in 25..100 numbers in 1..100', () => {
    const rng = seeded(7)
    for (let i = 0; i < 200; i++) {
      const l = randomDedupList(rng)
      expect(l.length).toBeGreaterThanOrEqual(25)
      expect(l.length).toBeLessThanOrEqual(100)
      for (const v of l) expect(v >= 1 && v <= 100 && Number.isInteger(v)).toBe(true)
    }
    expect(randomDedupList(rng, 30)).toHaveLength(30)
  })
})

describe('intersection (Lab 1 task 3)', () => {
  it('is sorted ascending, each common number once, [] when none', () => {
    expect(intersection([50, 3, 99, 2, 3], [1, 2, 3, 50])).toEqual([2, 3, 50])
    expect(intersection([1, 2], [3, 4])).toEqual([])
    expect(formatList([])).toBe('[]')
  })

  it('draws distinct numbers in 1..100', () => {
    const rng = seeded(3)
    for (let i = 0; i < 100; i++) {
      const s = randomSet(rng, 25)
      expect(new Set(s).size).toBe(25)
      for (const v of s) expect(v >= 1 && v <= 100).toBe(true)
    }
    expect(randomSet(rng, 100).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
  })

  it("checks a plausible answer without knowing the server's set", () => {
    expect(isIntersectionFor([2, 3], [3, 2, 9])).toEqual({ ok: true })
    expect(isIntersectionFor([3, 2], [3, 2]).ok).toBe(false)
    expect(isIntersectionFor([4], [3, 2]).why).toBe("4 is not in the client's set")
  })
})
