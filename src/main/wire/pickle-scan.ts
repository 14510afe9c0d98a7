// Where a pickle ends, found incrementally. A classmate's `pickle.dumps(list)` may arrive in many TCP
// chunks; re-reading the whole pickle on every chunk would make a slow sender cost quadratic time. This
// scanner walks the opcodes once, remembering where it stopped between chunks, and only knows how long
// each opcode's argument is: it never builds a value. When it reaches STOP the message is complete and
// `readPickle` (which refuses anything that could run code) reads it once.

// Opcode argument shapes (Lib/pickletools.py). Everything not listed takes no argument.
const FIXED: Record<number, number> = {
  0x80: 1, // PROTO
  0x4b: 1, // BININT1
  0x68: 1, // BINGET
  0x71: 1, // BINPUT
  0x82: 1, // EXT1
  0x4d: 2, // BININT2
  0x83: 2, // EXT2
  0x4a: 4, // BININT
  0x6a: 4, // LONG_BINGET
  0x72: 4, // LONG_BINPUT
  0x84: 4, // EXT4
  0x47: 8, // BINFLOAT
  0x95: 8, // FRAME (its contents are more opcodes)
}
/** A length prefix of 1, 4 or 8 bytes, then that many bytes. */
const COUNTED: Record<number, 1 | 4 | 8> = {
  0x8a: 1, // LONG1
  0x8c: 1, // SHORT_BINUNICODE
  0x43: 1, // SHORT_BINBYTES
  0x55: 1, // SHORT_BINSTRING
  0x8b: 4, // LONG4
  0x58: 4, // BINUNICODE
  0x42: 4, // BINBYTES
  0x54: 4, // BINSTRING
  0x8d: 8, // BINUNICODE8
  0x8e: 8, // BINBYTES8
  0x96: 8, // BYTEARRAY8
}
/** Arguments ended by a newline (protocol 0 and the text opcodes); GLOBAL and INST take two lines. */
const LINES: Record<number, 1 | 2> = {
  0x49: 1, // INT
  0x4c: 1, // LONG
  0x46: 1, // FLOAT
  0x53: 1, // STRING
  0x56: 1, // UNICODE
  0x67: 1, // GET
  0x70: 1, // PUT
  0x50: 1, // PERSID
  0x63: 2, // GLOBAL
  0x69: 2, // INST
}
const NO_ARGUMENT = new Set([
  0x28, 0x2e, 0x30, 0x31, 0x32, 0x4e, 0x88, 0x89, 0x61, 0x65, 0x6c, 0x5d, 0x74, 0x29, 0x85, 0x86, 0x87, 0x8f, 0x90, 0x91, 0x94,
  0x64, 0x7d, 0x73, 0x75, 0x62, 0x52, 0x6f, 0x81, 0x92, 0x93, 0x51, 0x97, 0x98,
])
const STOP = 0x2e
const LF = 0x0a

export type PickleScan =
  /** The pickle ends at `end` (just after STOP). */
  | { status: 'complete'; end: number }
  | { status: 'incomplete' }
  /** An opcode no pickle has: these bytes are not a pickle (the full reader says why). */
  | { status: 'invalid' }

export class PickleScanner {
  /** Start of the next opcode not yet known to be whole. */
  private pos: number
  /** Inside a newline-terminated argument: where to go on looking for its newline, and how many remain. */
  private lineFrom = -1
  private linesLeft = 0

  constructor(start = 0) {
    this.pos = start
  }

  /** Scan `bytes[0..length)` (the same growing message each time) from where the last call stopped. */
  scan(bytes: Uint8Array, length: number): PickleScan {
    while (this.pos < length) {
      if (this.lineFrom >= 0) {
        // Finish a newline-terminated argument, resuming the search where it stopped.
        let i = this.lineFrom
        while (i < length && bytes[i] !== LF) i++
        if (i >= length) {
          this.lineFrom = length
          return { status: 'incomplete' }
        }
        if (--this.linesLeft > 0) {
          this.lineFrom = i + 1
          continue
        }
        this.lineFrom = -1
        this.pos = i + 1
        continue
      }
      const op = bytes[this.pos]
      if (op === STOP) return { status: 'complete', end: this.pos + 1 }
      const fixed = FIXED[op]
      if (fixed !== undefined) {
        if (this.pos + 1 + fixed > length) return { status: 'incomplete' }
        this.pos += 1 + fixed
        continue
      }
      const counted = COUNTED[op]
      if (counted !== undefined) {
        if (this.pos + 1 + counted > length) return { status: 'incomplete' }
        const n = readLength(bytes, this.pos + 1, counted)
        // No message is longer than 2**53 bytes; a larger count can never complete.
        if (n === null) return { status: 'invalid' }
        const end = this.pos + 1 + counted + n
        if (end > length) return { status: 'incomplete' }
        this.pos = end
        continue
      }
      const lines = LINES[op]
      if (lines !== undefined) {
        this.linesLeft = lines
        this.lineFrom = this.pos + 1
        continue
      }
      if (NO_ARGUMENT.has(op)) {
        this.pos++
        continue
      }
      return { status: 'invalid' }
    }
    return { status: 'incomplete' }
  }
}

function readLength(bytes: Uint8Array, at: number, size: 1 | 4 | 8): number | null {
  if (size === 1) return bytes[at]
  const low = (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)) + bytes[at + 3] * 0x1000000
  if (size === 4) return low
  const high = (bytes[at + 4] | (bytes[at + 5] << 8) | (bytes[at + 6] << 16)) + bytes[at + 7] * 0x1000000
  return high > 0x1fffff ? null : high * 2 ** 32 + low
}
