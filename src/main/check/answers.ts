// Reading a student's answers the way a fair marker would: every list in a reply with the words before
// it (`Final list: [..] Duplicates: [..]`), a dict of counts, a sum inside text (`Sum = 13`), a greeting
// that is the handout's or close to it, and the lines a program printed, where a number sequence counts
// wherever it stands on a line (after an `input()` prompt, inside `print('Final:', lst)`). Everything
// here reads peer or program output, so every function is a single linear pass: no regular expression
// with unbounded repeats over that text.

import { GREETING_TEXT } from '@shared/settings'
import { listsIn as groupsIn, parseCounts, parseList } from '../wire/parse'

export interface FoundList {
  /** The words just before the list, lower case (`final list`, `duplicates`), or ''. */
  label: string
  values: number[]
  /** A dict of counts (`{5: 2, 9: 3}`): value → count. */
  counts?: Map<number, number>
}

const MAX_SCAN = 256 * 1024
/** Containers looked into: `{"final": [..], "duplicates": [..]}` is one level, a list of them two. */
const MAX_DEPTH = 2

function cleanLabel(text: string): string {
  const tail = text.length > 60 ? text.slice(-60) : text
  let out = ''
  for (const ch of tail.toLowerCase()) {
    const keep = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')
    out += keep ? ch : ' '
  }
  return out.split(' ').filter(Boolean).join(' ')
}

/**
 * Every list in one message with its label, on the wire layer's readers: its bracketed groups
 * (`listsIn`), each read as a list or a dict of counts, and a group that is neither (a JSON object of
 * lists) looked into, a bounded number of levels deep. A pickle, raw bytes or a bare `1 5 9` is one list.
 */
export function listsIn(bytes: Uint8Array, text: string): FoundList[] {
  const whole = parseList(bytes, text)
  if (whole.ok && whole.value.encoding !== 'text') return [{ label: '', values: whole.value.values }]
  const t = text.length > MAX_SCAN ? text.slice(0, MAX_SCAN) : text
  const found: FoundList[] = []
  const visit = (part: string, outer: string, depth: number): void => {
    for (const group of groupsIn(part)) {
      const label = cleanLabel(group.label) || outer
      if (group.text[0] === '{' && group.text.includes(':')) {
        const counts = parseCounts(group.text)
        if (counts.ok) {
          found.push({ label, values: [...counts.value.keys()], counts: counts.value })
          continue
        }
      } else {
        const list = parseList(Buffer.from(group.text), group.text)
        if (list.ok) {
          found.push({ label, values: list.value.values })
          continue
        }
      }
      if (depth < MAX_DEPTH) visit(group.text.slice(1, -1), label, depth + 1)
    }
  }
  visit(t, '', 0)
  if (found.length === 0 && whole.ok && whole.value.values.length) found.push({ label: '', values: whole.value.values })
  return found
}

const ANSWER_WORDS = [
  'final',
  'modified',
  'dedup',
  'unique',
  'result',
  'answer',
  'new',
  'without',
  'common',
  'intersection',
  'sorted',
]
const DUP_WORDS = ['dup', 'repeat', 'twice', 'more than once']

function labelIs(label: string, words: readonly string[]): boolean {
  return words.some((w) => label.includes(w))
}

export function isDuplicatesLabel(label: string): boolean {
  return labelIs(label, DUP_WORDS)
}

function sameSequence(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}

export interface ListAnswer {
  answer: FoundList | null
  /** The dedup server's duplicates, when it sent a list (or dict) for them. */
  duplicates: FoundList | null
  /** Lists that were the client's own list sent back (an echo, never judged as the answer). */
  echoes: number
}

/**
 * Which of the lists a server sent is the answer and which the duplicates: a labelled list wins
 * (final/modified/dedup/common/intersection; dup/repeat), an echo of the list sent is set aside, and
 * otherwise the first list is the answer and the next one the duplicates.
 */
export function pickAnswer(lists: FoundList[], sent: readonly number[]): ListAnswer {
  const sentHasRepeats = new Set(sent).size !== sent.length
  let echoes = 0
  const candidates: FoundList[] = []
  for (const l of lists) {
    const echo = !labelIs(l.label, ANSWER_WORDS) && !isDuplicatesLabel(l.label) && !l.counts && sameSequence(l.values, sent)
    // An echo is only recognisable as such when the answer must differ from it (the list had repeats).
    if (echo && (sentHasRepeats || l.label.includes('receiv') || l.label.includes('original'))) {
      echoes++
      continue
    }
    candidates.push(l)
  }
  const labelledAnswer = candidates.find((l) => !l.counts && labelIs(l.label, ANSWER_WORDS) && !isDuplicatesLabel(l.label))
  const labelledDups = candidates.find((l) => l.counts || isDuplicatesLabel(l.label))
  const answer = labelledAnswer ?? candidates.find((l) => l !== labelledDups && !l.counts) ?? null
  const duplicates = labelledDups ?? candidates.find((l) => l !== answer) ?? null
  return { answer, duplicates, echoes }
}

export type Order = 'first-occurrence' | 'ascending' | 'other'

export function orderOf(final: readonly number[], sent: readonly number[]): Order {
  const firstAt = new Map<number, number>()
  sent.forEach((v, i) => firstAt.has(v) || firstAt.set(v, i))
  let first = true
  let asc = true
  for (let i = 1; i < final.length; i++) {
    if ((firstAt.get(final[i]) ?? -1) < (firstAt.get(final[i - 1]) ?? -1)) first = false
    if (final[i] < final[i - 1]) asc = false
  }
  if (first) return 'first-occurrence'
  return asc ? 'ascending' : 'other'
}

export type DuplicatesVerdict =
  { ok: true; style: 'each-once' | 'every-extra' | 'counts' } | { ok: false; why: string; expected: number[] }

function countsOf(values: readonly number[]): Map<number, number> {
  const m = new Map<number, number>()
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1)
  return m
}

function sameMultiset(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false
  const m = countsOf(a)
  for (const v of b) {
    const n = m.get(v)
    if (!n) return false
    m.set(v, n - 1)
  }
  return true
}

/** The duplicates as each repeated value once (first-occurrence order). */
export function duplicatesEachOnce(sent: readonly number[]): number[] {
  const c = countsOf(sent)
  return [...c.keys()].filter((v) => c.get(v)! > 1)
}

/** Every extra occurrence: `[5, 5, 9, 9]` → `[5, 9]`, `[5, 5, 5]` → `[5, 5]`. */
export function duplicatesEveryExtra(sent: readonly number[]): number[] {
  const seen = new Set<number>()
  const out: number[] = []
  for (const v of sent) {
    if (seen.has(v)) out.push(v)
    else seen.add(v)
  }
  return out
}

/** Is this the list of duplicates of `sent`, in any style real servers use? */
export function judgeDuplicates(found: FoundList, sent: readonly number[]): DuplicatesVerdict {
  const once = duplicatesEachOnce(sent)
  const extra = duplicatesEveryExtra(sent)
  const c = countsOf(sent)
  if (found.counts) {
    for (const v of once) {
      const n = found.counts.get(v)
      if (n !== c.get(v) && n !== c.get(v)! - 1)
        return { ok: false, why: `the count of ${v} is ${n ?? 'missing'}; it was sent ${c.get(v)} times`, expected: once }
    }
    for (const [v, n] of found.counts) {
      if (!c.has(v)) return { ok: false, why: `${v} was never sent`, expected: once }
      if (c.get(v) === 1 && n > 1) return { ok: false, why: `${v} was sent once, not ${n} times`, expected: once }
    }
    return { ok: true, style: 'counts' }
  }
  if (sameMultiset(found.values, once)) return { ok: true, style: 'each-once' }
  if (sameMultiset(found.values, extra)) return { ok: true, style: 'every-extra' }
  const notSent = found.values.find((v) => !c.has(v))
  if (notSent !== undefined) return { ok: false, why: `${notSent} was never sent`, expected: once }
  const single = found.values.find((v) => c.get(v) === 1)
  if (single !== undefined) return { ok: false, why: `${single} was sent only once`, expected: once }
  const missing = once.filter((v) => !found.values.includes(v))
  if (missing.length)
    return { ok: false, why: `${missing.slice(0, 8).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`, expected: once }
  return { ok: false, why: 'a value appears more often than it was repeated', expected: once }
}

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
