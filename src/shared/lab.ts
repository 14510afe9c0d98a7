// The pure lab helpers both processes use: drawing the handouts' random lists and sets, writing a list
// as `str(list)` prints it, and the adder clients' names. The host draws them for a client run without
// a list; the renderer draws them when the student presses Regenerate or New suffix.

export type Rng = () => number

/** A whole number in lo..hi inclusive. */
export function randomInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1))
}

/** The most numbers a drawn dedup list has (a typed count beyond it is the host's to refuse). */
export const DEDUP_DRAW_MAX = 10_000

/** Task 2: N is drawn in 25..100 (or given), then N numbers in 1..100 (repeats allowed: that is the point). */
export function randomDedupList(rng: Rng, count?: number): number[] {
  const n = count !== undefined && count > 0 ? Math.min(count, DEDUP_DRAW_MAX) : randomInt(rng, 25, 100)
  return Array.from({ length: n }, () => randomInt(rng, 1, 100))
}

/** Task 3: `size` distinct numbers in 1..100, in the order drawn. */
export function randomSet(rng: Rng, size = 25): number[] {
  const n = Math.max(0, Math.min(100, Math.floor(size)))
  const pool = Array.from({ length: 100 }, (_, i) => i + 1)
  // Partial Fisher-Yates: the first n of the pool are a uniform sample.
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng() * (100 - i))
    ;[pool[i], pool[j]] = [pool[j], pool[i]]
  }
  return pool.slice(0, n)
}

/** `[3, 14, 15]`: valid JSON and a valid Python literal, as `str(list)` prints it. */
export function formatList(values: readonly (number | bigint)[]): string {
  return `[${values.join(', ')}]`
}

/** The base of every adder client's name when the student gives none. */
export const DEFAULT_CLIENT_BASE = 'student'

/** `student-4821`: a base name plus a random 4-digit suffix, unique per client instance. */
export function clientName(base: string, rng: Rng): string {
  return `${base}-${randomInt(rng, 1000, 9999)}`
}

/** `student-4821` from `student-1234` or `student`: keep the base, draw a new suffix. */
export function regenerateName(name: string, rng: Rng = Math.random): string {
  return clientName(name.trim().replace(/-\d{4}$/, '') || DEFAULT_CLIENT_BASE, rng)
}
