// Reading a classmate's answer to a list, however their server words it. Real dedup and intersection
// servers answer with a bare list, with the final list and then the duplicates as a second message, with
// a dict of counts, or with one labelled text (`received data: [...] modified data: [...] repeating
// elements: [...]`) whose first list is only an echo of what the client sent. This module finds which
// list is the answer, which are the duplicates and which is an echo, by the labels when there are any
// and by elimination when there are none, and says so when it cannot tell rather than guessing a verdict.

import type { DuplicatesStyle } from '@shared/contract'
import { listsIn, parseCounts, parseList } from '../wire/parse'
import { clean, isPlainText, startsWithWord } from '../wire/text'
import type { Incoming } from './machine'
import { formatList } from '@shared/lab'
import { dedup } from './sets'

export type Role = 'answer' | 'duplicates' | 'echo' | 'server-set' | 'unknown'

export interface FoundList {
  role: Role
  values: number[]
  /** A dict of counts (`{5: 2, 7: 3}`), as the server sent it. */
  counts?: Map<number, number>
  label: string
}

const ANSWER_WORDS = ['final', 'modified', 'unique', 'result', 'answer', 'common', 'intersect', 'distinct', 'output', 'sorted']
const DUPLICATE_WORDS = ['dup', 'repeat', 'identified', 'twice', 'more than once', 'occurr']
const ECHO_WORDS = ['receiv', 'original', 'sent', 'your', 'client', 'input', 'given']
const SERVER_WORDS = ['server']

function roleOf(label: string): Role {
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
    const whole = parseList(m.bytes, m.text)
    if (whole.ok) {
      lists.push({ role: 'unknown', values: whole.value.values, label: '' })
      continue
    }
    const counts = parseCounts(text)
    if (counts.ok) {
      lists.push({ role: 'unknown', values: [...counts.value.keys()], counts: counts.value, label: '' })
      continue
    }
    const groups = listsIn(text)
    if (groups.length === 0) {
      if (!isPlainText(text)) problems.push(whole.error)
      texts.push(text)
      continue
    }
    for (const g of groups) {
      const c = parseCounts(g.text)
      if (c.ok) {
        lists.push({ role: roleOf(g.label), values: [...c.value.keys()], counts: c.value, label: g.label })
        continue
      }
      const l = parseList(new TextEncoder().encode(g.text), g.text)
      if (l.ok) lists.push({ role: roleOf(g.label), values: l.value.values, label: g.label })
      else problems.push(l.error)
    }
  }
  return { lists, errors, texts, problems }
}

function sameSequence(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}

/**
 * Which list answers, which are the duplicates (dedup) and which is the server's own set (intersection).
 * An exact copy of what was sent is an echo, unless it is itself a right answer (a list without
 * duplicates dedups to itself) or the only candidate.
 */
export function pickAnswer(
  found: FoundList[],
  sent: readonly number[],
  sentIsAnAnswer = false,
): { answer?: FoundList; duplicates?: FoundList; serverSet?: FoundList; echoes: number } {
  const labelled = (role: Role): FoundList | undefined => found.find((f) => f.role === role)
  let answer = labelled('answer')
  let duplicates = labelled('duplicates')
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
function countsOf(values: Iterable<number>): Map<number, number> {
  const m = new Map<number, number>()
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1)
  return m
}

function sameCounts(a: Map<number, number>, b: Map<number, number>): boolean {
  if (a.size !== b.size) return false
  for (const [k, v] of a) if (b.get(k) !== v) return false
  return true
}

/**
 * Judge the duplicates a server sent for the list that was sent: each repeated value once, every extra
 * occurrence, or a dict of counts (total occurrences or extra ones; entries for values seen once are
 * allowed in a full count). Order does not matter.
 */
export function judgeDuplicates(
  found: FoundList,
  sent: readonly number[],
): { style: DuplicatesStyle; correct: boolean; expected: number[]; values: number[] } {
  const occurrences = countsOf(sent)
  const expected = dedup(sent).duplicates.map((d) => d.value)
  if (found.counts) {
    const dict = new Map([...found.counts].filter(([v, n]) => !(n === 1 && occurrences.get(v) === 1)))
    const total = new Map([...occurrences].filter(([, n]) => n > 1))
    const extra = new Map([...total].map(([v, n]) => [v, n - 1] as [number, number]))
    return {
      style: 'counts',
      correct: sameCounts(dict, total) || sameCounts(dict, extra),
      expected,
      values: [...found.counts.keys()],
    }
  }
  const given = countsOf(found.values)
  if (sameCounts(given, countsOf(expected))) return { style: 'each-once', correct: true, expected, values: found.values }
  const extras: number[] = []
  for (const [v, n] of occurrences) for (let i = 1; i < n; i++) extras.push(v)
  if (sameCounts(given, countsOf(extras))) return { style: 'every-extra', correct: true, expected, values: found.values }
  // Wrong either way: name it in the style it is closest to (any value listed twice: every extra occurrence).
  const style: DuplicatesStyle = [...given.values()].some((n) => n > 1) ? 'every-extra' : 'each-once'
  return { style, correct: false, expected, values: found.values }
}

/** `the server says [3, 9]; the numbers sent more than once are [5, 7]` */
export function describeWrongDuplicates(values: readonly number[], expected: readonly number[]): string {
  return `the server's duplicates list is wrong: it says ${formatList(values)}; the numbers sent more than once are ${formatList(expected)}`
}
