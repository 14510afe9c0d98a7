// Where one message ends. TCP keeps no boundaries and classmates' programs send no terminator, so a
// message is complete when it parses (a whole pair, number or bracketed list, a pickle up to STOP),
// when a line ends (`\n` or `\0`), or when the peer has been quiet for a moment (`quiet`).

import { NUMBER_PATTERN, PAIR_PATTERN } from './parse'
import { looksLikePickle, readPickle } from './pickle'

export type Expect =
  /** Names, greetings, acknowledgements, commands. `known` texts are complete at once. */
  | { kind: 'text'; known?: readonly string[] }
  | { kind: 'number' }
  | { kind: 'pair' }
  /** A list; with `leadingText`, text before it (an acknowledgement glued to the list) is its own message. */
  | { kind: 'list'; leadingText: boolean }

export interface Frame {
  /** Bytes of the message without its line ending. */
  bytes: Buffer
  /** The bytes as text, when framing already decoded them (saves decoding twice on the hot path). */
  text?: string
  /** How many bytes of the buffer it used, line ending included. */
  consumed: number
}

const LF = 0x0a
const NUL = 0x00
const CR = 0x0d

function isEnding(byte: number): boolean {
  return byte === LF || byte === NUL || byte === CR
}

/** Index of the first `\n` or `\0`, or -1. */
function lineEnd(buf: Buffer): number {
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]
    if (b === LF || b === NUL) return i
  }
  return -1
}

/** Bytes of line endings (`\r`, `\n`, `\0`) from `from` on. */
function endingRun(buf: Buffer, from: number): number {
  let i = from
  while (i < buf.length && isEnding(buf[i])) i++
  return i - from
}

function upTo(buf: Buffer, end: number): Frame {
  let stop = end
  while (stop > 0 && buf[stop - 1] === CR) stop--
  return { bytes: buf.subarray(0, stop), consumed: end + endingRun(buf, end) }
}

function whole(buf: Buffer, text?: string): Frame {
  let stop = buf.length
  while (stop > 0 && isEnding(buf[stop - 1])) stop--
  return {
    bytes: stop === buf.length ? buf : buf.subarray(0, stop),
    consumed: buf.length,
    text: stop === buf.length ? text : undefined,
  }
}

/** Where a bracketed list closes, or -1 when it is still open. */
function bracketEnd(buf: Buffer, start: number): number {
  let depth = 0
  for (let i = start; i < buf.length; i++) {
    const b = buf[i]
    if (b === 0x5b || b === 0x28 || b === 0x7b) depth++
    else if (b === 0x5d || b === 0x29 || b === 0x7d) {
      depth--
      if (depth === 0) return i
    }
  }
  return -1
}

function isListStart(byte: number): boolean {
  return byte === 0x5b || byte === 0x28 || byte === 0x7b || byte === 0x80
}

function startsLikeNumber(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || byte === 0x2b || byte === 0x2d
}

/**
 * The next message at the start of `buf` (after any leading line endings, which are dropped), or null
 * when more bytes are needed. `skipped` says how many leading ending bytes to drop either way.
 */
export function nextFrame(buf: Buffer, expect: Expect, quiet: boolean): { skipped: number; frame: Frame | null } {
  const skipped = endingRun(buf, 0)
  const rest = skipped ? buf.subarray(skipped) : buf
  if (rest.length === 0) return { skipped, frame: null }
  return { skipped, frame: frameOf(rest, expect, quiet) }
}

function frameOf(buf: Buffer, expect: Expect, quiet: boolean): Frame | null {
  switch (expect.kind) {
    case 'pair':
    case 'number': {
      const end = lineEnd(buf)
      if (end >= 0) return upTo(buf, end)
      const pattern = expect.kind === 'pair' ? PAIR_PATTERN : NUMBER_PATTERN
      const text = buf.toString('utf8')
      if (pattern.test(text)) return whole(buf, text)
      return quiet ? whole(buf) : null
    }
    case 'text': {
      const end = lineEnd(buf)
      if (end >= 0) return upTo(buf, end)
      if (expect.known && expect.known.includes(buf.toString('utf8').trim())) return whole(buf)
      return quiet ? whole(buf) : null
    }
    case 'list':
      return listFrame(buf, expect.leadingText, quiet)
  }
}

function listFrame(buf: Buffer, leadingText: boolean, quiet: boolean): Frame | null {
  let first = 0
  while (first < buf.length && (buf[first] === 0x20 || buf[first] === 0x09)) first++
  if (first === buf.length) return quiet ? whole(buf) : null
  const b = buf[first]
  if (b === 0x80 || (looksLikePickle(buf.subarray(first)) && !startsLikeNumber(b))) {
    const read = readPickle(buf.subarray(first))
    if (read.status === 'complete') {
      const end = first + read.length
      return { bytes: buf.subarray(0, end), consumed: end + endingRun(buf, end) }
    }
    if (read.status === 'incomplete' && !quiet) return null
    return whole(buf)
  }
  if (isListStart(b)) {
    const close = bracketEnd(buf, first)
    if (close >= 0) {
      const end = close + 1
      return { bytes: buf.subarray(0, end), consumed: end + endingRun(buf, end) }
    }
    return quiet ? whole(buf) : null
  }
  if (leadingText && !startsLikeNumber(b)) {
    // "It was nice talking to you[3, 14, 15]": the acknowledgement and the list arrived as one chunk.
    for (let i = first; i < buf.length; i++) {
      if (buf[i] === LF || buf[i] === NUL) return upTo(buf, i)
      if (isListStart(buf[i])) return { bytes: buf.subarray(0, i), consumed: i }
    }
    return quiet ? whole(buf) : null
  }
  const end = lineEnd(buf)
  if (end >= 0) return upTo(buf, end)
  return quiet ? whole(buf) : null
}
