// Where one message ends. TCP keeps no boundaries and classmates' programs send no terminator, so a
// message is complete when it parses (a whole pair, number or bracketed list, a pickle up to STOP),
// when a line ends (`\n` or `\0`), or when the peer has been quiet for a moment. The framer is
// incremental: it keeps the bytes of the message in progress and what it has learned of them (where a
// line ends, how deep the brackets are, how far the pickle's opcodes go) between chunks, so every byte
// is examined once however slowly a peer dribbles. A message whose shape says it is unfinished (an
// opened `[`, a pickle before its STOP) is reported as such, so the session waits longer before a quiet
// moment may cut it.

import { isRawBytes } from './parse'
import { PickleScanner } from './pickle-scan'

export type Expect =
  /** Names, greetings, acknowledgements, commands. `known` texts are complete at once. */
  | { kind: 'text'; known?: readonly string[] }
  /** The adder's answer: a bare number is complete at once; worded answers (`Sum = 13`) end by a line or quiet. */
  | { kind: 'number' }
  /** The adder's request: `3 7`, `3,7`, `[3, 7]`, `(3, 7)`; `q` is complete at once. */
  | { kind: 'pair' }
  /** A list; with `leadingText`, text before it (an acknowledgement glued to the list) is its own message. */
  | { kind: 'list'; leadingText: boolean }

/** What ended a message on the wire. */
export type Terminator = 'none' | 'lf' | 'crlf' | 'nul'

export interface Frame {
  /** Bytes of the message without its line ending (a copy, or a slice of a chunk nobody else holds). */
  bytes: Buffer
  terminator: Terminator
}

/** How far into a message raw bytes are still looked for past a line ending (raw lists are short). */
const BINARY_WINDOW = 128
/**
 * How far the plain facts (a line ending above all) are learned into what looks like a pickle: far
 * enough for a name or a greeting that only looks like one (`(lisa)\n`), not through a long pickle
 * (pipelined pickles must cost one pass in all).
 */
const PICKLE_PLAIN_WINDOW = 1024
const LF = 0x0a
const EMPTY = Buffer.alloc(0)
const CR = 0x0d
const NUL = 0x00

function isEnding(b: number): boolean {
  return b === LF || b === NUL || b === CR
}

function isOpen(b: number): boolean {
  return b === 0x5b || b === 0x28 || b === 0x7b
}

function isClose(b: number): boolean {
  return b === 0x5d || b === 0x29 || b === 0x7d
}

function startsLikeNumber(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || b === 0x2b || b === 0x2d
}

function looksLikePickleStart(data: Buffer, at: number, end: number): boolean {
  const b = data[at]
  if (b === 0x80) return true
  // Protocol 0 (`(lp0`) and 1 (`]q\x00`) lists.
  return end - at >= 2 && ((b === 0x28 && data[at + 1] === 0x6c) || (b === 0x5d && data[at + 1] === 0x71))
}

/** The facts learned about the pending message, each byte scanned once. Positions are from the message start. */
interface Scan {
  /** Bytes examined so far. */
  scanned: number
  /** Leading line endings (an empty line, or the tail of the previous message's ending). */
  lead: number
  /** First byte that is not a blank after the lead, or -1. */
  body: number
  /** First `\n` or `\0` after the lead, or -1. */
  end: number
  /** First `[`, `(`, `{` or pickle start after the lead, or -1. */
  open: number
  /** First byte after `open` that is not a blank (what tells a list from "thanks (a lot)"), or -1. */
  afterOpen: number
  /** Bracket depth of a message that starts with a bracket, and where it closed (-1: not yet). */
  depth: number
  close: number
  /** Where the first control byte no text carries is (raw bytes, `bytes([3, 14])`), or -1. */
  binaryAt: number
  pickle: PickleScanner | null
  /** The pickle ends here (just after STOP), -1 while incomplete, -2 when it can never be a pickle. */
  pickleEnd: number
}

/** Forget what was learned, in place (once per message on the hot path: no allocation). */
function resetScan(s: Scan): Scan {
  s.scanned = 0
  s.lead = 0
  s.body = -1
  s.end = -1
  s.open = -1
  s.afterOpen = -1
  s.depth = 0
  s.close = -1
  s.binaryAt = -1
  s.pickle = null
  s.pickleEnd = -1
  return s
}

function freshScan(): Scan {
  return {
    scanned: 0,
    lead: 0,
    body: -1,
    end: -1,
    open: -1,
    afterOpen: -1,
    depth: 0,
    close: -1,
    binaryAt: -1,
    pickle: null,
    pickleEnd: -1,
  }
}

export interface FramerOptions {
  /** Largest message accepted; a longer one is reported by `tooLong`. */
  maxMessageBytes: number
}

export class Framer {
  /** Pending bytes live at data[off, off + len). */
  private data: Buffer = EMPTY
  private off = 0
  private len = 0
  /** `data` is our own buffer (appendable); otherwise it is a socket chunk we may slice but not write. */
  private owned = false
  private scan: Scan = freshScan()
  /** The terminator seen right after the last frame (`\n` can arrive in the next chunk). */
  private trailing: Terminator = 'none'

  constructor(private readonly options: FramerOptions) {}

  /** Bytes waiting to become a message. */
  get buffered(): number {
    return this.len
  }

  /**
   * The pending message has an opened bracket or a pickle before its STOP: it is unfinished, not paused.
   * Text (a name, a greeting) has no such shape: "(lisa" or "thanks (a" is as finished as any words.
   */
  unfinished(expect: Expect): boolean {
    if (expect.kind === 'text') return false
    this.advance()
    const s = this.scan
    return (s.depth > 0 && s.close < 0) || (s.pickle !== null && s.pickleEnd === -1)
  }

  /** Some of what is pending is more than blanks and line endings: a message is on its way. */
  get hasBody(): boolean {
    this.advance()
    return this.scan.body >= 0
  }

  /** More bytes than any message may have are waiting, and none of them forms a message. */
  get tooLong(): boolean {
    return this.len - this.scan.lead > this.options.maxMessageBytes
  }

  /** What ended the most recent message, learned late when its line ending arrived on its own. */
  get lateTerminator(): Terminator {
    return this.trailing
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return
    if (this.len === 0) {
      // The common case: a new message in a chunk of its own. Keep the chunk as it is, no copy.
      this.data = chunk
      this.off = 0
      this.len = chunk.length
      this.owned = false
      return
    }
    const need = this.len + chunk.length
    if (!this.owned || this.off + need > this.data.length) {
      const grown = Buffer.allocUnsafe(Math.max(need * 2, 4096))
      this.data.copy(grown, 0, this.off, this.off + this.len)
      this.data = grown
      this.off = 0
      this.owned = true
    }
    chunk.copy(this.data, this.off + this.len)
    this.len += chunk.length
  }

  /**
   * The fast lane for a request/reply peer under load: with nothing pending, is `chunk` exactly one bare
   * pair (`3 7`, `3,7`), alone or with one line ending (`\n`, `\r\n`, `\0`)? Then it is that message,
   * framed as `next` would frame it but without being kept: its length without the ending is returned
   * and `lateTerminator` says the ending. -1: anything else (push it instead).
   */
  soloPair(chunk: Buffer): number {
    if (this.len > 0) return -1
    const n = chunk.length
    if (n === 0 || n > 48) return -1
    let stop = n
    let terminator: Terminator = 'none'
    const last = chunk[n - 1]
    if (last === LF) {
      stop = n >= 2 && chunk[n - 2] === CR ? n - 2 : n - 1
      terminator = stop === n - 2 ? 'crlf' : 'lf'
    } else if (last === NUL) {
      stop = n - 1
      terminator = 'nul'
    }
    // isBarePair takes spaces and tabs only as blanks: any other ending byte inside makes it no pair.
    if (!isBarePair(chunk, 0, stop)) return -1
    this.trailing = terminator
    return stop
  }

  /** Drop everything pending (a closing session, a message too long). */
  clear(): void {
    this.data = EMPTY
    this.off = this.len = 0
    this.owned = false
    resetScan(this.scan)
  }

  /**
   * The next message, or null when more bytes are needed. `quiet`: the peer has been quiet long enough
   * that what is pending counts as complete (the session decides how long, longer when `unfinished`).
   * `endsLines`: this peer has shown it ends its messages (`\n`, `\r\n`, `\0`), so a bare number or pair
   * is whole at its ending, not as soon as its digits so far parse (`1` of a dribbled `12\n`).
   */
  next(expect: Expect, quiet: boolean, endsLines = false): Frame | null {
    this.advance()
    const s = this.scan
    if (this.len === 0) return null
    if (s.lead === this.len && s.binaryAt < 0) {
      // Only line endings: an empty line, or the ending of the message before, arrived on its own.
      this.trailing = this.terminatorAt(0, s.lead) ?? this.trailing
      this.consume(s.lead)
      return null
    }
    switch (expect.kind) {
      case 'text':
        return this.textFrame(expect.known, quiet)
      case 'number': {
        const pickled = this.pickleFrame(quiet)
        return pickled !== undefined ? pickled : this.lineOr(quiet, BARE_NUMBER, endsLines)
      }
      case 'pair': {
        const pickled = this.pickleFrame(quiet)
        return pickled !== undefined ? pickled : this.pairFrame(quiet, endsLines)
      }
      case 'list':
        return this.listFrame(expect.leadingText, quiet)
    }
  }

  // ---- scanning ----

  /** Learn the facts of the bytes that arrived since the last call. */
  private advance(): void {
    const s = this.scan
    const d = this.data
    const base = this.off
    const n = this.len
    let i = s.scanned
    if (i === 0) {
      while (i < n && isEnding(d[base + i])) i++
      s.lead = i
      if (i === n) {
        s.scanned = i
        // Still only endings; a binary message may yet start with bytes 10 or 13.
        return
      }
    }
    for (; i < n; i++) {
      if (s.pickle && i - s.body >= PICKLE_PLAIN_WINDOW) {
        i = n
        break
      }
      // Past this message's line ending, later messages begin: scan no further (pipelined requests must
      // cost one pass in all, not one pass each), except a short window that still tells raw bytes
      // (`bytes([10, 3])` may hold a 10) and a bracketed list that goes on across lines.
      if (s.end >= 0 && i > s.end && i >= BINARY_WINDOW && !(s.depth > 0 && s.close < 0)) break
      const b = d[base + i]
      if (s.body < 0 && b !== 0x20 && b !== 0x09) {
        s.body = i
        // The pickle's own scanner reads it too (it stops at STOP); the plain facts go on being learned,
        // for a peer whose name or greeting only looks like a pickle (`(lisa)`).
        if (looksLikePickleStart(d, base + i, base + n)) s.pickle = new PickleScanner(0)
      }
      if (s.binaryAt < 0 && ((b >= 0x01 && b <= 0x08) || b === 0x0b || b === 0x0c || (b >= 0x0e && b <= 0x1f) || b === 0x7f))
        s.binaryAt = i
      if (s.end < 0 && (b === LF || b === NUL)) s.end = i
      if (s.open < 0 && (isOpen(b) || b === 0x80)) s.open = i
      else if (s.open >= 0 && s.afterOpen < 0 && b !== 0x20 && b !== 0x09) s.afterOpen = i
      if (s.body >= 0 && isOpen(d[base + s.body]) && s.close < 0) {
        if (isOpen(b)) s.depth++
        else if (isClose(b) && s.depth > 0 && --s.depth === 0) s.close = i
      }
    }
    s.scanned = i
    if (s.pickle && s.pickleEnd === -1) {
      const body = s.body
      const r = s.pickle.scan(d.subarray(base + body, base + n), n - body)
      if (r.status === 'complete') s.pickleEnd = body + r.end
      else if (r.status === 'invalid') s.pickleEnd = -2
    }
  }

  // ---- framing by expectation ----

  /**
   * A number or a pair that starts like a pickle is one (`pickle.dumps([3, 7])`): whole at its STOP, or
   * at a quiet moment before it; undefined: no pickle (or one that can never be), framed as text is.
   */
  private pickleFrame(quiet: boolean): Frame | null | undefined {
    const s = this.scan
    if (!s.pickle || s.pickleEnd === -2) return undefined
    if (s.pickleEnd >= 0) return this.bracketed(s.pickleEnd)
    return quiet ? this.whole() : null
  }

  private textFrame(known: readonly string[] | undefined, quiet: boolean): Frame | null {
    const s = this.scan
    if (s.end >= 0) return this.upTo(s.end)
    if (known && this.len - s.lead <= 64) {
      const text = this.text(s.lead, this.len).trim()
      if (known.includes(text)) return this.whole()
    }
    return quiet ? this.whole() : null
  }

  private pairFrame(quiet: boolean, endsLines: boolean): Frame | null {
    const s = this.scan
    if (s.body >= 0 && isOpen(this.data[this.off + s.body])) {
      if (s.close >= 0 && (s.end < 0 || s.close < s.end)) return this.bracketed(s.close + 1)
      if (s.end >= 0) return this.upTo(s.end)
      return quiet ? this.whole() : null
    }
    return this.lineOr(quiet, BARE_PAIR, endsLines)
  }

  private listFrame(leadingText: boolean, quiet: boolean): Frame | null {
    const s = this.scan
    if (s.pickle) {
      if (s.pickleEnd >= 0) return this.bracketed(s.pickleEnd)
      // Invalid (can never complete) or unfinished: the session's quiet moment decides.
      return quiet ? this.whole() : null
    }
    if (s.body < 0) return quiet ? this.whole() : null
    const first = this.data[this.off + s.body]
    if (
      leadingText &&
      !isOpen(first) &&
      !startsLikeNumber(first) &&
      s.open >= 0 &&
      (s.end < 0 || s.open < s.end) &&
      // Text then a list. Control bytes mean raw bytes (`bytes([65, 91, 5])` holds a `[`), unless they
      // are the pickle that follows the text.
      (s.binaryAt < 0 || (this.data[this.off + s.open] === 0x80 && s.binaryAt > s.open))
    ) {
      // "It was nice talking to you[3, 14, 15]": the acknowledgement and the list arrived as one chunk.
      const opens = this.opensList(s.open)
      if (opens) return this.take(s.lead, s.open, s.open, 'none')
      if (opens === null && !quiet) return null
    }
    // Raw bytes (`bytes([3, 14])`): no terminator, and 10 or 13 may be numbers. Only quiet ends them.
    if (s.binaryAt >= 0) return quiet ? this.whole(true) : null
    if (isOpen(first)) {
      if (s.close >= 0) return this.bracketed(s.close + 1)
      return quiet ? this.whole() : null
    }
    if (s.end >= 0) return this.upTo(s.end)
    return quiet ? this.whole() : null
  }

  /**
   * Does the bracket at `at` open a list (a digit, sign or closing bracket follows, or a pickle starts),
   * or is it part of the text ("thanks (a lot)")? Null: not known until more bytes arrive.
   */
  private opensList(at: number): boolean | null {
    const d = this.data
    if (d[this.off + at] === 0x80) return true
    // The blanks after the bracket were skipped once, by advance(): a dribbled run is not re-walked.
    const next = this.scan.afterOpen
    if (next < 0) return null
    const b = d[this.off + next]
    return startsLikeNumber(b) || isClose(b)
  }

  /** A line ending makes it complete; otherwise the bytes so far may already be a whole bare number or pair. */
  private lineOr(quiet: boolean, bare: typeof BARE_NUMBER | typeof BARE_PAIR, endsLines: boolean): Frame | null {
    const s = this.scan
    if (s.end >= 0) return this.upTo(s.end)
    if (quiet) return this.whole()
    if (endsLines) return null
    // Short messages only (a long one is never a bare pair or number), read in place: no string is made.
    const from = this.off + s.lead
    const to = this.off + this.len
    const whole =
      to - from <= 48 &&
      (bare === BARE_NUMBER ? isBareInteger(this.data, from, to) : isBarePair(this.data, from, to) || isQ(this.data, from, to))
    return whole ? this.whole() : null
  }

  // ---- cutting frames ----

  private text(from: number, to: number): string {
    return this.data.toString('latin1', this.off + from, this.off + to)
  }

  /** What the ending bytes at [from, to) are, or null when there are none. */
  private terminatorAt(from: number, to: number): Terminator | null {
    if (to <= from) return null
    const d = this.data
    const b = d[this.off + from]
    if (b === NUL) return 'nul'
    if (b === CR) return to - from >= 2 && d[this.off + from + 1] === LF ? 'crlf' : 'none'
    return 'lf'
  }

  /** The message up to the line ending at `end` (a `\r` before it belongs to the ending). */
  private upTo(end: number): Frame {
    const s = this.scan
    let stop = end
    while (stop > s.lead && this.data[this.off + stop - 1] === CR) stop--
    const term: Terminator = this.data[this.off + end] === NUL ? 'nul' : stop < end ? 'crlf' : 'lf'
    return this.take(s.lead, stop, this.afterEndings(end + 1), term)
  }

  /** A message that ends at `end` by its shape (a closed bracket, a pickle's STOP), and its ending if any. */
  private bracketed(end: number): Frame {
    const after = this.afterEndings(end)
    return this.take(this.scan.lead, end, after, this.terminatorAt(end, after) ?? 'none')
  }

  /** Everything pending; trailing endings are not part of it. `raw` keeps the leading bytes too. */
  private whole(raw = false): Frame {
    const from = raw ? 0 : this.scan.lead
    let stop = this.len
    if (!raw) while (stop > from && isEnding(this.data[this.off + stop - 1])) stop--
    return this.take(from, stop, this.len, raw ? 'none' : (this.terminatorAt(stop, this.len) ?? 'none'))
  }

  private afterEndings(from: number): number {
    let i = from
    while (i < this.len && isEnding(this.data[this.off + i])) i++
    return i
  }

  private take(from: number, to: number, consumed: number, terminator: Terminator): Frame {
    const d = this.data
    // A chunk nobody else holds can be sliced (or given whole); our own buffer is reused, so its bytes are copied out.
    const whole = !this.owned && this.off + from === 0 && this.off + to === d.length
    const slice = whole ? d : d.subarray(this.off + from, this.off + to)
    const bytes = this.owned ? Buffer.from(slice) : slice
    this.trailing = terminator
    this.consume(consumed)
    return { bytes, terminator }
  }

  private consume(n: number): void {
    this.off += n
    this.len -= n
    resetScan(this.scan)
    if (this.len === 0) {
      this.data = EMPTY
      this.off = 0
      this.owned = false
    }
  }
}

const BARE_NUMBER = 1
const BARE_PAIR = 2

const isBlankByte = (c: number): boolean => c === 0x20 || c === 0x09
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39

/** `13`, ` -4 `: one whole number and nothing else, in bytes [from, to). */
function isBareInteger(d: Buffer, from: number, to: number): boolean {
  let i = from
  while (i < to && isBlankByte(d[i])) i++
  if (i < to && (d[i] === 0x2b || d[i] === 0x2d)) i++
  const start = i
  while (i < to && isDigit(d[i])) i++
  if (i === start) return false
  while (i < to && isBlankByte(d[i])) i++
  return i === to
}

/** Two whole numbers and one separator run (`3 7`, `3,7`, `3+7`, `3; 7`), nothing else. */
function isBarePair(d: Buffer, from: number, to: number): boolean {
  let i = from
  while (i < to && isBlankByte(d[i])) i++
  for (let number = 0; number < 2; number++) {
    if (number === 1) {
      const s = i
      while (i < to && (d[i] === 0x2c || d[i] === 0x3b || d[i] === 0x2b || isBlankByte(d[i]))) i++
      if (i === s) return false
    }
    if (i < to && d[i] === 0x2d) i++
    const start = i
    while (i < to && isDigit(d[i])) i++
    if (i === start) return false
  }
  while (i < to && isBlankByte(d[i])) i++
  return i === to
}

/** The adder's `q`, alone. */
function isQ(d: Buffer, from: number, to: number): boolean {
  let i = from
  while (i < to && isBlankByte(d[i])) i++
  if (i >= to || d[i] !== 0x71) return false
  i++
  while (i < to && isBlankByte(d[i])) i++
  return i === to
}

export { isRawBytes }
