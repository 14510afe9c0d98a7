// Lenient readers for what classmates' programs send: pairs (`3 7`, `3,7`, `3+7`), numbers, and lists
// (`[1, 2]`, `(1, 2)`, `{1, 2}`, `1 2 3`, `1,2,3`, JSON, or a pickle read without executing anything).

import { looksLikePickle, readPickle, type PickleValue } from './pickle'

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string }

const TRAILING = /[\s\0]+$/
const LEADING = /^[\s\0]+/
const INTEGER = /^[+-]?\d+$/
const SEPARATORS = /\s*[,;+\s]\s*/
/** A pair the moment it is complete: two whole numbers and one separator, nothing else. */
export const PAIR_PATTERN = /^\s*([+-]?\d+)\s*(?:[,;+]|\s)\s*([+-]?\d+)[\s\0]*$/
export const NUMBER_PATTERN = /^\s*[+-]?\d+[\s\0]*$/

/** Strip the endings naive peers leave: spaces, `\r`, `\n`, `\0`. */
export function clean(text: string): string {
  return text.replace(TRAILING, '').replace(LEADING, '')
}

/** Show a peer's text in an error line without letting it flood or break the line. */
export function quote(text: string, max = 40): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text
  return JSON.stringify(shown)
}

export function parseInteger(token: string): Parsed<number> {
  if (!INTEGER.test(token)) {
    if (/^[+-]?(\d+\.\d*|\.\d+)(e[+-]?\d+)?$/i.test(token)) return { ok: false, error: `${quote(token)} is not a whole number` }
    return { ok: false, error: `${quote(token)} is not a number` }
  }
  const n = Number(token)
  if (!Number.isSafeInteger(n)) return { ok: false, error: `${quote(token, 24)} is too large` }
  return { ok: true, value: n }
}

/** `3 7`, `3,7`, `3+7`, `3; 7`, `3+-7`: a `+` between numbers is a separator, a `-` stays a sign. */
function splitNumbers(body: string): string[] {
  return body.split(SEPARATORS).filter((t) => t.length > 0)
}

/** Adder: two whole numbers bundled in one string. */
export function parsePair(text: string): Parsed<[number, number]> {
  // The common case in one step (it is the hot path under load); anything else gets a precise error below.
  const m = PAIR_PATTERN.exec(text)
  if (m) {
    const a = Number(m[1])
    const b = Number(m[2])
    if (Number.isSafeInteger(a) && Number.isSafeInteger(b)) return { ok: true, value: [a, b] }
  }
  const body = clean(text)
  if (body.length === 0) return { ok: false, error: 'expected two numbers, got an empty message' }
  const tokens = splitNumbers(body)
  if (tokens.length !== 2) {
    const what = tokens.length === 1 ? 'one value' : `${tokens.length} values`
    return { ok: false, error: `expected two numbers, got ${what}: ${quote(body)}` }
  }
  const a = parseInteger(tokens[0])
  if (!a.ok) return { ok: false, error: `expected two numbers: ${a.error}` }
  const b = parseInteger(tokens[1])
  if (!b.ok) return { ok: false, error: `expected two numbers: ${b.error}` }
  return { ok: true, value: [a.value, b.value] }
}

/** A single whole number (the adder's answer). */
export function parseNumber(text: string): Parsed<number> {
  const body = clean(text)
  if (body.length === 0) return { ok: false, error: 'expected a number, got an empty message' }
  return parseInteger(body)
}

export type ListEncodingUsed = 'text' | 'pickle'

/** A list of whole numbers, however a classmate's program encoded it. */
export function parseList(bytes: Uint8Array, text: string): Parsed<{ values: number[]; encoding: ListEncodingUsed }> {
  if (looksLikePickle(bytes)) {
    const read = readPickle(bytes)
    if (read.status === 'incomplete') return { ok: false, error: 'the pickle is incomplete' }
    if (read.status === 'invalid') return { ok: false, error: read.reason }
    const values = pickleNumbers(read.value)
    return values.ok ? { ok: true, value: { values: values.value, encoding: 'pickle' } } : values
  }
  let body = clean(text)
  if (body.length === 0) return { ok: false, error: 'expected a list of numbers, got an empty message' }
  if (body === 'set()') return { ok: true, value: { values: [], encoding: 'text' } }
  const open = body[0]
  const close = { '[': ']', '(': ')', '{': '}' }[open]
  if (close) {
    if (body[body.length - 1] !== close)
      return { ok: false, error: `the list starts with ${open} but does not end with ${close}` }
    body = body.slice(1, -1).trim()
  }
  if (body.length === 0) return { ok: true, value: { values: [], encoding: 'text' } }
  const values: number[] = []
  for (const token of splitNumbers(body)) {
    const n = parseInteger(token)
    if (!n.ok) return { ok: false, error: `expected a list of numbers: ${n.error}` }
    values.push(n.value)
  }
  return { ok: true, value: { values, encoding: 'text' } }
}

function pickleNumbers(value: PickleValue): Parsed<number[]> {
  if (!Array.isArray(value)) return { ok: false, error: 'the pickle holds no list' }
  const out: number[] = []
  for (const item of value) {
    if (typeof item === 'bigint') return { ok: false, error: `${item} is too large` }
    if (typeof item !== 'number' || !Number.isInteger(item))
      return { ok: false, error: 'the pickled list holds something other than whole numbers' }
    out.push(item)
  }
  return { ok: true, value: out }
}

/** Text with no digit at all: an acknowledgement or greeting, not a (malformed) list. */
export function isPlainText(text: string): boolean {
  const body = clean(text)
  return body.length > 0 && !/[\d[\](){}]/.test(body)
}
