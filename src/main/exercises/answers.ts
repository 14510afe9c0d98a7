// Reading a classmate's answer to a list, however their server words it: the one reader behind both our
// own dedup and intersection clients and the checker of a student's server. Real servers answer with a
// bare list, with the final list and then the duplicates as a second message, with a dict of counts, with
// a JSON object of lists, or with one labelled text (`received data: [...] modified data: [...] repeating
// elements: [...]`) whose first list is only an echo of what the client sent. This module finds which list
// is the answer, which are the duplicates and which is an echo, by the labels when there are any and by
// elimination when there are none, and says so when it cannot tell rather than guessing a verdict. Every
// function reads peer input in one bounded pass: no regular expression with unbounded repeats.

import type { DuplicatesStyle } from '@shared/contract'
import { listsIn as groupsIn, parseCounts, parseList } from '../wire/parse'
import { clean, isPlainText, startsWithWord } from '../wire/text'
import type { Incoming } from './machine'
import { formatList } from '@shared/lab'

export type Role = 'answer' | 'duplicates' | 'echo' | 'server-set' | 'unknown'

export interface FoundList {
  role: Role
  values: number[]
  /** A dict of counts (`{5: 2, 7: 3}`), as the server sent it. */
  counts?: Map<number, number>
  /** The words just before the list, lower case (`final list`, `duplicates`), or ''. */
  label: string
}

/** A message is read up to this many characters for lists. */
const MAX_SCAN = 256 * 1024
/** Containers looked into: `{"final": [..], "duplicates": [..]}` is one level, a list of them two. */
const MAX_DEPTH = 2

const ANSWER_WORDS = [
  'final',
  'modified',
  'unique',
  'result',
  'answer',
  'common',
  'intersect',
  'distinct',
  'output',
  'sorted',
  'new',
]
const DUPLICATE_WORDS = ['dup', 'repeat', 'identified', 'twice', 'more than once', 'occurr']
const ECHO_WORDS = ['receiv', 'original', 'sent', 'your', 'client', 'input', 'given']
const SERVER_WORDS = ['server']

/** The label's words only: lower case, letters and digits, the last 60 characters. */
function cleanLabel(text: string): string {
  const tail = text.length > 60 ? text.slice(-60) : text
  let out = ''
  for (const ch of tail.toLowerCase()) out += (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ? ch : ' '
  return out.split(' ').filter(Boolean).join(' ')
}

export function roleOf(label: string): Role {
  const l = label.toLowerCase()
  if (l.length === 0) return 'unknown'
  // "list without duplicates", "duplicates removed", "deduplicated": the answer, though it says "dup".
  if (l.includes('dup') && (l.includes('without') || l.includes('removed') || l.includes('dedup') || l.includes('no dup')))
    return 'answer'
  if (DUPLICATE_WORDS.some((w) => l.includes(w))) return 'duplicates'
  if (ANSWER_WORDS.some((w) => l.includes(w))) return 'answer'
  if (SERVER_WORDS.some((w) => l.includes(w))) return 'server-set'
  if (ECHO_WORDS.some((w) => l.includes(w))) return 'echo'
  return 'unknown'
}

function found(label: string, values: number[], counts?: Map<number, number>): FoundList {
  return { role: roleOf(label), values, ...(counts ? { counts } : {}), label }
}

/**
 * Every list in one message with its label: a pickle, raw bytes or a bare `1 5 9` is one list; text is
 * read group by group (`listsIn`), each group as a list or a dict of counts, and a group that is neither
 * (a JSON object of lists) is looked into, a bounded number of levels deep. `problem` says why a message
 * that looked like a list could not be read.
 */
export function listsInMessage(bytes: Uint8Array, text: string): { lists: FoundList[]; problem?: string } {
  const whole = parseList(bytes, text)
  if (whole.ok && whole.value.encoding !== 'text') return { lists: [found('', whole.value.values)] }
  const t = text.length > MAX_SCAN ? text.slice(0, MAX_SCAN) : text
  const lists: FoundList[] = []
  let problem: string | undefined
  const visit = (part: string, outer: string, depth: number): number => {
    let n = 0
    for (const group of groupsIn(part)) {
      const label = cleanLabel(group.label) || outer
      if (group.text[0] === '{' && group.text.includes(':')) {
        const counts = parseCounts(group.text)
        if (counts.ok) {
          lists.push(found(label, [...counts.value.keys()], counts.value))
          n++
          continue
        }
      } else {
        const list = parseList(new TextEncoder().encode(group.text), group.text)
        if (list.ok) {
          lists.push(found(label, list.value.values))
          n++
          continue
        }
        problem ??= list.error
      }
      const inner = depth < MAX_DEPTH ? visit(group.text.slice(1, -1), label, depth + 1) : 0
      n += inner
    }
    return n
  }
  visit(t, '', 0)
  if (lists.length === 0 && whole.ok && whole.value.values.length) return { lists: [found('', whole.value.values)] }
  if (lists.length === 0 && !problem && !whole.ok && !isPlainText(clean(text))) problem = whole.error
  return lists.length ? { lists } : { lists, ...(problem ? { problem } : {}) }
}

/** Every list in the server's messages, in order, with the role its label gives it. */
export function findLists(messages: readonly Incoming[]): {
  lists: FoundList[]
  errors: string[]
  texts: string[]
  /** Why a message that looked like a list (it had brackets or digits) could not be read. */
  problems: string[]
} {
  const lists: FoundList[] = []
  const errors: string[] = []
  const texts: string[] = []
  const problems: string[] = []
  for (const m of messages) {
    const text = clean(m.text)
    if (startsWithWord(text, 'error')) {
      errors.push(text)
      continue
    }
    const read = listsInMessage(m.bytes, m.text)
    lists.push(...read.lists)
    if (read.problem) problems.push(read.problem)
    if (!read.lists.length) texts.push(text)
  }
  return { lists, errors, texts, problems }
}

function sameSequence(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}

export interface PickedAnswer {
  answer?: FoundList
  duplicates?: FoundList
  serverSet?: FoundList
  /** Lists that were the client's own list sent back (an echo, never judged as the answer). */
  echoes: number
}

/**
 * Which list answers, which are the duplicates (dedup) and which is the server's own set (intersection).
 * An exact copy of what was sent is an echo, unless it is itself a right answer (a list without
 * duplicates dedups to itself: `sentIsAnAnswer`) or the only candidate.
 */
export function pickAnswer(found: readonly FoundList[], sent: readonly number[], sentIsAnAnswer = false): PickedAnswer {
  const labelled = (role: Role): FoundList | undefined => found.find((f) => f.role === role && !(role === 'answer' && f.counts))
  let answer = labelled('answer')
  let duplicates = labelled('duplicates') ?? found.find((f) => f.counts && f.role !== 'server-set')
  const serverSet = labelled('server-set')
  const unlabelled = found.filter((f) => f.role === 'unknown')
  const isEcho = (f: FoundList): boolean => !f.counts && !sentIsAnAnswer && sameSequence(f.values, sent)
  const echoes = found.filter((f) => f.role === 'echo' || (f.role === 'unknown' && isEcho(f)))
  if (!answer) {
    const candidates = unlabelled.filter((f) => !f.counts && !(isEcho(f) && unlabelled.length > 1))
    answer = candidates[0]
  }
  if (!duplicates) duplicates = unlabelled.find((f) => f !== answer && (f.counts || !isEcho(f)) && f !== serverSet)
  return { answer, duplicates, serverSet, echoes: echoes.length }
}

/** Values as a multiset, for order-blind comparison. */
export function countsOf(values: Iterable<number>): Map<number, number> {
  const m = new Map<number, number>()
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1)
  return m
}

function sameCounts(a: Map<number, number>, b: Map<number, number>): boolean {
  if (a.size !== b.size) return false
  for (const [k, v] of a) if (b.get(k) !== v) return false
  return true
}

/** The duplicates as each repeated value once, in first-occurrence order: `[5, 5, 9, 9, 9]` → `[5, 9]`. */
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

export interface DuplicatesJudgement {
  style: DuplicatesStyle
  correct: boolean
  /** Each number sent more than once. */
  expected: number[]
  /** The values the server sent as its duplicates. */
  values: number[]
  /** What is wrong, for a wrong list: `9 is missing`, `7 was never sent`. */
  why?: string
}

/** The first thing wrong with a list of duplicates, in a student's terms. */
function whyWrong(given: Map<number, number>, occurrences: Map<number, number>, expected: readonly number[]): string {
  for (const v of given.keys()) if (!occurrences.has(v)) return `${v} was never sent`
  for (const v of given.keys()) if (occurrences.get(v) === 1) return `${v} was sent only once`
  const missing = expected.filter((v) => !given.has(v))
  if (missing.length) return `${missing.slice(0, 8).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`
  return 'a value appears more often than it was repeated'
}

/**
 * Judge the duplicates a server sent for the list that was sent: each repeated value once, every extra
 * occurrence, or a dict of counts (total occurrences or extra ones; entries for values seen once are
 * allowed in a full count). Order does not matter.
 */
export function judgeDuplicates(found: FoundList, sent: readonly number[]): DuplicatesJudgement {
  const occurrences = countsOf(sent)
  const expected = duplicatesEachOnce(sent)
  if (found.counts) {
    const dict = new Map([...found.counts].filter(([v, n]) => !(n === 1 && occurrences.get(v) === 1)))
    const total = new Map([...occurrences].filter(([, n]) => n > 1))
    const extra = new Map([...total].map(([v, n]) => [v, n - 1] as [number, number]))
    const correct = sameCounts(dict, total) || sameCounts(dict, extra)
    const values = [...found.counts.keys()]
    if (correct) return { style: 'counts', correct, expected, values }
    const off = expected.find((v) => dict.get(v) !== total.get(v) && dict.get(v) !== extra.get(v))
    const why =
      off !== undefined
        ? `the count of ${off} is ${dict.get(off) ?? 'missing'}; it was sent ${occurrences.get(off)} times`
        : whyWrong(dict, occurrences, expected)
    return { style: 'counts', correct, expected, values, why }
  }
  const given = countsOf(found.values)
  if (sameCounts(given, countsOf(expected))) return { style: 'each-once', correct: true, expected, values: found.values }
  if (sameCounts(given, countsOf(duplicatesEveryExtra(sent))))
    return { style: 'every-extra', correct: true, expected, values: found.values }
  // Wrong either way: name it in the style it is closest to (any value listed twice: every extra occurrence).
  const style: DuplicatesStyle = [...given.values()].some((n) => n > 1) ? 'every-extra' : 'each-once'
  return { style, correct: false, expected, values: found.values, why: whyWrong(given, occurrences, expected) }
}

/** `the server says [3, 9]; the numbers sent more than once are [5, 7]` */
export function describeWrongDuplicates(values: readonly number[], expected: readonly number[]): string {
  return `the server's duplicates list is wrong: it says ${formatList(values)}; the numbers sent more than once are ${formatList(expected)}`
}

export type Order = 'first-occurrence' | 'ascending' | 'other'

/** The order of a dedup answer: as the numbers first came, ascending (`sorted(set(…))`), or another. */
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
