// Reading what a student's program printed (and the words of its greeting) the way a fair marker would:
// the lines of its output however they end, a number sequence wherever it stands on a line (after an
// `input()` prompt, inside `print('Final:', lst)`), a phrase with any spacing and case, and a greeting that
// is the handout's or close to it. The lists a server sends are read by the exercises' own reader
// (src/main/exercises/answers.ts). Everything here reads program output, so every function is a single
// linear pass: no regular expression with unbounded repeats over that text.

import { GREETING_TEXT } from '@shared/settings'
import { countsOf } from '../exercises/answers'

function normalizeWords(text: string): string {
  let out = ''
  for (const ch of text.toLowerCase()) out += (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ? ch : ' '
  return out.split(' ').filter(Boolean).join(' ')
}

/** Edit distance, bounded: texts are cut to 120 characters first. */
function distance(a: string, b: string): number {
  const x = a.slice(0, 120)
  const y = b.slice(0, 120)
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j)
  for (let i = 1; i <= x.length; i++) {
    const cur = [i]
    for (let j = 1; j <= y.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1))
    prev = cur
  }
  return prev[y.length]
}

export type GreetingMatch = 'exact' | 'close' | 'other'

/** The handout's greeting exactly, a close variant (case, punctuation, a word's ending, extra words), or other words. */
export function greetingMatch(raw: string): GreetingMatch {
  if (raw === GREETING_TEXT) return 'exact'
  const want = normalizeWords(GREETING_TEXT)
  const got = normalizeWords(raw)
  if (got.length === 0) return 'other'
  if (got === want || got.includes(want) || distance(got, want) <= 4) return 'close'
  return 'other'
}

/** The whole numbers on one printed line, in order (a prompt, labels and brackets around them ignored). */
export function numbersOnLine(line: string): number[] {
  const out: number[] = []
  let i = 0
  while (i < line.length) {
    if (line[i] >= '0' && line[i] <= '9') {
      let j = i
      while (j < line.length && line[j] >= '0' && line[j] <= '9') j++
      // A number glued to letters (`x2`, `Errno98`) is not a list item.
      if (!(i > 0 && isLetter(line[i - 1])) && !(j < line.length && isLetter(line[j]))) out.push(Number(line.slice(i, j)))
      i = j
    } else i++
  }
  return out
}

function isLetter(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
}

/** The program's output as lines: `\r\n`, `\r` and `\n` all end a line. */
export function outputLines(text: string): string[] {
  const lines: string[] = []
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === '\n' || ch === '\r') {
      lines.push(text.slice(start, i))
      if (ch === '\r' && text[i + 1] === '\n') i++
      start = i + 1
    }
  }
  if (start < text.length) lines.push(text.slice(start))
  return lines
}

/** The first line holding `seq` as consecutive numbers (`[1, 5, 9]`, `1 5 9`, `Final: 1,5,9`). */
export function lineWithSequence(lines: readonly string[], seq: readonly number[]): string | null {
  if (seq.length === 0) return null
  for (const line of lines) {
    const nums = numbersOnLine(line)
    for (let i = 0; i + seq.length <= nums.length; i++) {
      let k = 0
      while (k < seq.length && nums[i + k] === seq[k]) k++
      if (k === seq.length) return line
    }
  }
  return null
}

/** Does `nums` hold the numbers of `bag` consecutively, in any order? A sliding window, linear. */
export function windowWithBag(nums: readonly number[], bag: readonly number[]): boolean {
  const k = bag.length
  if (k === 0 || nums.length < k) return false
  const want = countsOf(bag)
  const have = new Map<number, number>()
  // How many distinct values currently differ between the window and `want`.
  let off = want.size
  const bump = (v: number, d: number): void => {
    const before = (have.get(v) ?? 0) === (want.get(v) ?? 0)
    have.set(v, (have.get(v) ?? 0) + d)
    const after = (have.get(v) ?? 0) === (want.get(v) ?? 0)
    if (before && !after) off++
    if (!before && after) off--
  }
  for (let i = 0; i < nums.length; i++) {
    bump(nums[i], 1)
    if (i >= k) bump(nums[i - k], -1)
    if (i >= k - 1 && off === 0) return true
  }
  return false
}

/** The first line holding the numbers of `bag` consecutively in any order (a client's own duplicates order). */
export function lineWithBag(lines: readonly string[], bag: readonly number[]): string | null {
  for (const line of lines) if (windowWithBag(numbersOnLine(line), bag)) return line
  return null
}

/**
 * The line where a dedup client printed its duplicates (any of the accepted styles), not counting the
 * final list itself: on another line, or after the final list on the same line.
 */
export function printedDuplicatesLine(
  lines: readonly string[],
  final: readonly number[],
  bags: readonly (readonly number[])[],
): string | null {
  const finalLine = lineWithSequence(lines, final)
  for (const line of lines) {
    let nums = numbersOnLine(line)
    if (line === finalLine) {
      const at = indexOfSequence(nums, final)
      nums = at < 0 ? nums : nums.slice(at + final.length)
    }
    if (bags.some((b) => windowWithBag(nums, b))) return line
  }
  return null
}

function indexOfSequence(nums: readonly number[], seq: readonly number[]): number {
  for (let i = 0; i + seq.length <= nums.length; i++) {
    let k = 0
    while (k < seq.length && nums[i + k] === seq[k]) k++
    if (k === seq.length) return i
  }
  return -1
}

/** Where a phrase (case and spacing aside) stands on a line: the index just after it, or -1. */
export function phraseEnd(line: string, phrase: string): number {
  const l = line.toLowerCase()
  const p = phrase.toLowerCase()
  // Fold runs of spaces on the fly: compare word by word.
  const words = p.split(' ').filter(Boolean)
  let from = 0
  for (;;) {
    const at = l.indexOf(words[0], from)
    if (at < 0) return -1
    let i = at + words[0].length
    let ok = true
    for (let w = 1; w < words.length && ok; w++) {
      let j = i
      while (j < l.length && (l[j] === ' ' || l[j] === '\t')) j++
      if (j === i || !l.startsWith(words[w], j)) ok = false
      else i = j + words[w].length
    }
    if (ok) return i
    from = at + 1
  }
}

/** `answer received from Server = 10` anywhere on a line → 10 (spaces, `=` or `:` between). */
export function numberAfterPhrase(line: string, phrase: string): number | null {
  const end = phraseEnd(line, phrase)
  if (end < 0) return null
  let i = end
  while (i < line.length && (line[i] === ' ' || line[i] === '=' || line[i] === ':' || line[i] === '\t')) i++
  let j = i
  if (line[j] === '-') j++
  while (j < line.length && line[j] >= '0' && line[j] <= '9') j++
  const n = Number(line.slice(i, j))
  return j > i && Number.isSafeInteger(n) ? n : null
}
