// Lenient readers for what classmates' programs send: pairs (`3 7`, `3,7`, `3+7`, `[3, 7]`, `(3, 7)`),
// numbers (`13`, and `Sum = 13` as an answer), lists (`[1, 2]`, `(1, 2)`, `{1, 2}`, `set()`, `1 2 3`,
// `1,2,3`, JSON, a pickle read without executing anything, raw bytes as `bytes([1, 2])` sends them),
// the lists inside a labelled reply (`modified data: [...] repeating elements: [...]`) and a dict of
// counts (`{5: 2, 7: 3}`). Every reader walks its input once with plain loops: linear in the input.

import { readPickle, type PickleValue } from './pickle'
import { clean, isBlank, quote } from './text'

export { clean, isPlainText, quote } from './text'

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string }

const INTEGER = /^[+-]?\d+$/
const DECIMAL = /^[+-]?(?:\d+\.\d*|\.\d+)(?:e[+-]?\d+)?$/i

export function parseInteger(token: string): Parsed<number> {
  if (!INTEGER.test(token)) {
    if (DECIMAL.test(token)) return { ok: false, error: `${quote(token)} is not a whole number` }
    return { ok: false, error: `${quote(token)} is not a number` }
  }
  const n = Number(token)
  if (!Number.isSafeInteger(n)) return { ok: false, error: `${quote(token, 24)} is too large` }
  return { ok: true, value: n }
}

/** Separators between numbers: `,` `;` `+` and blanks. A `+` is a separator (`3+7`), a `-` stays a sign. */
function isSeparator(c: number): boolean {
  return c === 0x2c || c === 0x3b || c === 0x2b || isBlank(c)
}

/** `3 7`, `3,7`, `3+7`, `3; 7`, `3+-7` → the tokens between separator runs. */
export function splitNumbers(body: string): string[] {
  const tokens: string[] = []
  let start = -1
  for (let i = 0; i <= body.length; i++) {
    const sep = i === body.length || isSeparator(body.charCodeAt(i))
    if (sep) {
      if (start >= 0) tokens.push(body.slice(start, i))
      start = -1
    } else if (start < 0) start = i
  }
  return tokens
}

const CLOSE: Record<string, string> = { '[': ']', '(': ')', '{': '}' }

/** The inside of `[…]`, `(…)` or `{…}`, or the text itself when it is not bracketed. */
function unbracket(body: string): Parsed<{ inner: string; bracket: string | null }> {
  const open = body[0]
  const close = CLOSE[open]
  if (!close) return { ok: true, value: { inner: body, bracket: null } }
  if (body[body.length - 1] !== close) return { ok: false, error: `the list starts with ${open} but does not end with ${close}` }
  return { ok: true, value: { inner: body.slice(1, -1), bracket: open } }
}

/** Adder: two whole numbers bundled in one string, bare or as a Python/JSON list or tuple. */
export function parsePair(text: string): Parsed<[number, number]> {
  const body = clean(text)
  if (body.length === 0) return { ok: false, error: 'expected two numbers, got an empty message' }
  const un = unbracket(body)
  if (!un.ok) return { ok: false, error: `expected two numbers: ${un.error}` }
  const tokens = splitNumbers(un.value.inner)
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

const isAsciiBlank = (c: number): boolean => c < 0x80 && isBlank(c)
const isAsciiSeparator = (c: number): boolean => c < 0x80 && isSeparator(c)

/**
 * The adder's hot path: `3 7`, `3,7`, `-3+7` with numbers of at most 15 digits, read in the message's
 * bytes in one pass (no text decoded, nothing allocated but the pair). Null for anything else, which
 * `parsePair` then reads: for every message this accepts, `parsePair` gives the same two numbers.
 */
export function barePair(bytes: Uint8Array): [number, number] | null {
  const n = bytes.length
  let i = 0
  while (i < n && isAsciiBlank(bytes[i])) i++
  // Each number: an optional minus, then 1 to 15 digits (exact in a double).
  let sign = 1
  if (i < n && bytes[i] === 0x2d) {
    sign = -1
    i++
  }
  let start = i
  let a = 0
  while (i < n && bytes[i] >= 0x30 && bytes[i] <= 0x39) a = a * 10 + (bytes[i++] - 0x30)
  if (i === start || i - start > 15) return null
  a *= sign
  const sepStart = i
  while (i < n && isAsciiSeparator(bytes[i])) i++
  if (i === sepStart) return null
  sign = 1
  if (i < n && bytes[i] === 0x2d) {
    sign = -1
    i++
  }
  start = i
  let b = 0
  while (i < n && bytes[i] >= 0x30 && bytes[i] <= 0x39) b = b * 10 + (bytes[i++] - 0x30)
  if (i === start || i - start > 15) return null
  b *= sign
  while (i < n && isAsciiBlank(bytes[i])) i++
  return i === n ? [a, b] : null
}

/** A single whole number (the adder's answer, bare). */
export function parseNumber(text: string): Parsed<number> {
  const body = clean(text)
  if (body.length === 0) return { ok: false, error: 'expected a number, got an empty message' }
  return parseInteger(body)
}

/**
 * The adder's answer however a classmate's server words it: `13`, `Sum = 13`, `answer: 13`, or
 * `3 + 7 = 10` (the number after the last `=`). `bare` tells a plain number from a worded one.
 */
export function parseAnswer(text: string): Parsed<{ value: number; bare: boolean }> {
  const body = clean(text)
  if (body.length === 0) return { ok: false, error: 'expected a number, got an empty message' }
  const bare = parseInteger(body)
  if (bare.ok) return { ok: true, value: { value: bare.value, bare: true } }
  const numbers = integersIn(body)
  if (numbers.length === 0) return { ok: false, error: `expected a number, got ${quote(body)}` }
  if (numbers.length === 1) return checkedAnswer(numbers[0].text)
  const eq = body.lastIndexOf('=')
  const last = numbers[numbers.length - 1]
  if (eq >= 0 && last.at > eq && numbers.filter((x) => x.at > eq).length === 1) return checkedAnswer(last.text)
  return { ok: false, error: `expected one number, got ${numbers.length} in ${quote(body)}` }
}

function checkedAnswer(token: string): Parsed<{ value: number; bare: boolean }> {
  const n = parseInteger(token)
  return n.ok ? { ok: true, value: { value: n.value, bare: false } } : n
}

/** Whole numbers standing in text (a `-` right before the digits is a sign), with where they start. */
function integersIn(text: string): { text: string; at: number }[] {
  const out: { text: string; at: number }[] = []
  let i = 0
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c >= 0x30 && c <= 0x39) {
      const start = i > 0 && text.charCodeAt(i - 1) === 0x2d ? i - 1 : i
      while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++
      // `3.5` is not a whole number inside text either; skip the fraction.
      if (text.charCodeAt(i) === 0x2e && text.charCodeAt(i + 1) >= 0x30 && text.charCodeAt(i + 1) <= 0x39) {
        i++
        while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++
        continue
      }
      out.push({ text: text.slice(start, i), at: start })
      if (out.length > 64) break
    } else i++
  }
  return out
}

/**
 * How a list came: text (`str(list)`, which for whole numbers is also exactly `json.dumps`), a pickle
 * (with its protocol), or raw bytes (`bytes([3, 14])`, one number per byte).
 */
export type ListEncodingUsed = 'text' | 'pickle' | 'raw'

export interface ParsedList {
  values: number[]
  encoding: ListEncodingUsed
  /** A pickle's protocol (0..5), to answer at one the peer can read. */
  protocol?: number
}

/** A list of whole numbers, however a classmate's program encoded it. */
export function parseList(bytes: Uint8Array, text: string): Parsed<ParsedList> {
  if (
    bytes.length > 0 &&
    (bytes[0] === 0x80 || (bytes[0] === 0x28 && bytes[1] === 0x6c) || (bytes[0] === 0x5d && bytes[1] === 0x71))
  ) {
    const read = readPickle(bytes)
    if (read.status === 'complete') {
      const values = pickleNumbers(read.value)
      if (!values.ok) return values
      const protocol = bytes[0] === 0x80 ? bytes[1] : bytes[0] === 0x5d ? 1 : 0
      return { ok: true, value: { values: values.value, encoding: 'pickle', protocol } }
    }
    // `(1, 2)` and `(l…` differ: a text tuple is not a pickle; fall through for text that only looked like one.
    if (bytes[0] === 0x80) return { ok: false, error: read.status === 'incomplete' ? 'the pickle is incomplete' : read.reason }
  }
  if (isRawBytes(bytes)) return { ok: true, value: { values: [...bytes], encoding: 'raw' } }
  let body = clean(text)
  if (body.length === 0) return { ok: false, error: 'expected a list of numbers, got an empty message' }
  if (body === 'set()' || body === '[]' || body === '()' || body === '{}')
    return { ok: true, value: { values: [], encoding: 'text' } }
  const un = unbracket(body)
  if (!un.ok) return un
  body = un.value.inner
  const values: number[] = []
  for (const token of splitNumbers(body)) {
    const n = parseInteger(token)
    if (!n.ok) return { ok: false, error: `expected a list of numbers: ${n.error}` }
    values.push(n.value)
  }
  return { ok: true, value: { values, encoding: 'text' } }
}

/**
 * Raw bytes rather than text: a control byte that no text message carries (anything below 0x20 but
 * tab, line endings and NUL, or DEL). `bytes(random.sample(range(1, 100), 25))` almost always has one.
 */
export function isRawBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]
    if ((b >= 0x01 && b <= 0x08) || b === 0x0b || b === 0x0c || (b >= 0x0e && b <= 0x1f) || b === 0x7f) return true
  }
  return false
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

/** One bracketed group inside a reply, with the words before it (`modified data:`). */
export interface ListInText {
  label: string
  /** `[`…`]`, `(`…`)` or `{`…`}` with its brackets. */
  text: string
  /** Where it starts in the reply. */
  at: number
}

/**
 * The top-level bracketed groups of a reply, each with the text since the previous one as its label:
 * `received data: [1, 5, 5] modified data: [1, 5] repeating elements: [5]` → three groups.
 */
export function listsIn(text: string, max = 16): ListInText[] {
  const out: ListInText[] = []
  let depth = 0
  let start = -1
  let labelFrom = 0
  for (let i = 0; i < text.length && out.length < max; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x5b || c === 0x28 || c === 0x7b) {
      if (depth === 0) start = i
      depth++
    } else if ((c === 0x5d || c === 0x29 || c === 0x7d) && depth > 0) {
      depth--
      if (depth === 0) {
        out.push({ label: clean(text.slice(labelFrom, start)), text: text.slice(start, i + 1), at: start })
        labelFrom = i + 1
      }
    }
  }
  return out
}

/** A dict of counts, `{5: 2, 7: 3}` (or `{'5': 2}` from JSON): value → count. */
export function parseCounts(text: string): Parsed<Map<number, number>> {
  const body = clean(text)
  if (body[0] !== '{' || body[body.length - 1] !== '}') return { ok: false, error: 'not a dict' }
  const inner = body.slice(1, -1)
  const counts = new Map<number, number>()
  if (clean(inner) === '') return { ok: true, value: counts }
  for (const entry of inner.split(',')) {
    const colon = entry.indexOf(':')
    if (colon < 0) return { ok: false, error: 'not a dict' }
    const key = parseInteger(unquote(clean(entry.slice(0, colon))))
    const count = parseInteger(clean(entry.slice(colon + 1)))
    if (!key.ok || !count.ok) return { ok: false, error: `expected number: count pairs, got ${quote(clean(entry))}` }
    counts.set(key.value, count.value)
  }
  return { ok: true, value: counts }
}

function unquote(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0] ? s.slice(1, -1) : s
}
