// A safe reader and a byte-exact writer for the pickles students' Python programs send.
//
// Python's `pickle.loads` can run arbitrary code, so the reader here is a small stack machine
// over the data-only opcodes: lists, tuples, sets and frozensets of ints, floats, strings,
// booleans and None, as CPython 3.11 `pickle.dumps` writes them for protocols 0 to 5. Every
// opcode that imports or calls something (GLOBAL, STACK_GLOBAL, REDUCE, BUILD, INST, OBJ,
// NEWOBJ, NEWOBJ_EX, EXT1/2/4, PERSID, BINPERSID) makes the pickle invalid, as do dicts, bytes
// and out-of-band buffers. Because TCP splits and merges messages, the reader tells a complete
// pickle (and how many bytes it used) from a valid prefix that needs more bytes and from bytes
// that can never become a pickle.
//
// The writer produces exactly the bytes of CPython 3.11 `pickle.dumps(list_of_ints, protocol)`
// for protocols 2 to 5, so a classmate's script sees what another Python script would send.

export type PickleValue = number | bigint | string | boolean | null | PickleValue[]

export type PickleRead =
  { status: 'complete'; value: PickleValue; length: number } | { status: 'incomplete' } | { status: 'invalid'; reason: string }

const DEFAULT_MAX_ITEMS = 100_000
const DEFAULT_MAX_DEPTH = 32
/** CPython's default `sys.get_int_max_str_digits()`: longer decimal ints are refused by Python too. */
const MAX_INT_DIGITS = 4300
/** Longest text float we accept (`repr` of a float is at most 24 characters). */
const MAX_FLOAT_CHARS = 64
/** Longest decimal memo index we accept for PUT/GET (CPython writes small indices). */
const MAX_MEMO_DIGITS = 15
const FRAME_SIZE_TARGET = 64 * 1024
const FRAME_SIZE_MIN = 4
const BATCH_SIZE = 1000

// Opcodes (Lib/pickle.py names).
const MARK = 0x28
const STOP = 0x2e
const POP = 0x30
const POP_MARK = 0x31
const DUP = 0x32
const FLOAT = 0x46
const INT = 0x49
const BININT = 0x4a
const BININT1 = 0x4b
const LONG = 0x4c
const BININT2 = 0x4d
const NONE = 0x4e
const UNICODE = 0x56
const BINUNICODE = 0x58
const APPEND = 0x61
const APPENDS = 0x65
const GET = 0x67
const BINGET = 0x68
const LONG_BINGET = 0x6a
const LIST = 0x6c
const EMPTY_LIST = 0x5d
const PUT = 0x70
const BINPUT = 0x71
const LONG_BINPUT = 0x72
const TUPLE = 0x74
const EMPTY_TUPLE = 0x29
const BINFLOAT = 0x47
const PROTO = 0x80
const TUPLE1 = 0x85
const TUPLE2 = 0x86
const TUPLE3 = 0x87
const NEWTRUE = 0x88
const NEWFALSE = 0x89
const LONG1 = 0x8a
const LONG4 = 0x8b
const SHORT_BINUNICODE = 0x8c
const BINUNICODE8 = 0x8d
const EMPTY_SET = 0x8f
const ADDITEMS = 0x90
const FROZENSET = 0x91
const MEMOIZE = 0x94
const FRAME = 0x95

const OPCODE_NAMES: ReadonlyMap<number, string> = new Map([
  [MARK, 'MARK'],
  [STOP, 'STOP'],
  [POP, 'POP'],
  [POP_MARK, 'POP_MARK'],
  [DUP, 'DUP'],
  [FLOAT, 'FLOAT'],
  [INT, 'INT'],
  [BININT, 'BININT'],
  [BININT1, 'BININT1'],
  [LONG, 'LONG'],
  [BININT2, 'BININT2'],
  [NONE, 'NONE'],
  [0x50, 'PERSID'],
  [0x51, 'BINPERSID'],
  [0x52, 'REDUCE'],
  [0x53, 'STRING'],
  [0x54, 'BINSTRING'],
  [0x55, 'SHORT_BINSTRING'],
  [UNICODE, 'UNICODE'],
  [BINUNICODE, 'BINUNICODE'],
  [APPEND, 'APPEND'],
  [0x62, 'BUILD'],
  [0x63, 'GLOBAL'],
  [0x64, 'DICT'],
  [0x7d, 'EMPTY_DICT'],
  [APPENDS, 'APPENDS'],
  [GET, 'GET'],
  [BINGET, 'BINGET'],
  [0x69, 'INST'],
  [LONG_BINGET, 'LONG_BINGET'],
  [LIST, 'LIST'],
  [EMPTY_LIST, 'EMPTY_LIST'],
  [0x6f, 'OBJ'],
  [PUT, 'PUT'],
  [BINPUT, 'BINPUT'],
  [LONG_BINPUT, 'LONG_BINPUT'],
  [0x73, 'SETITEM'],
  [TUPLE, 'TUPLE'],
  [EMPTY_TUPLE, 'EMPTY_TUPLE'],
  [0x75, 'SETITEMS'],
  [BINFLOAT, 'BINFLOAT'],
  [PROTO, 'PROTO'],
  [0x81, 'NEWOBJ'],
  [0x82, 'EXT1'],
  [0x83, 'EXT2'],
  [0x84, 'EXT4'],
  [TUPLE1, 'TUPLE1'],
  [TUPLE2, 'TUPLE2'],
  [TUPLE3, 'TUPLE3'],
  [NEWTRUE, 'NEWTRUE'],
  [NEWFALSE, 'NEWFALSE'],
  [LONG1, 'LONG1'],
  [LONG4, 'LONG4'],
  [0x42, 'BINBYTES'],
  [0x43, 'SHORT_BINBYTES'],
  [SHORT_BINUNICODE, 'SHORT_BINUNICODE'],
  [BINUNICODE8, 'BINUNICODE8'],
  [0x8e, 'BINBYTES8'],
  [EMPTY_SET, 'EMPTY_SET'],
  [ADDITEMS, 'ADDITEMS'],
  [FROZENSET, 'FROZENSET'],
  [0x92, 'NEWOBJ_EX'],
  [0x93, 'STACK_GLOBAL'],
  [MEMOIZE, 'MEMOIZE'],
  [FRAME, 'FRAME'],
  [0x96, 'BYTEARRAY8'],
  [0x97, 'NEXT_BUFFER'],
  [0x98, 'READONLY_BUFFER'],
])

/** Opcodes that import or call Python objects. */
const CODE_OPCODES = new Set([
  'PERSID',
  'BINPERSID',
  'REDUCE',
  'BUILD',
  'GLOBAL',
  'INST',
  'OBJ',
  'NEWOBJ',
  'NEWOBJ_EX',
  'EXT1',
  'EXT2',
  'EXT4',
  'STACK_GLOBAL',
])
const DICT_OPCODES = new Set(['DICT', 'EMPTY_DICT', 'SETITEM', 'SETITEMS'])
const BYTES_OPCODES = new Set(['BINBYTES', 'SHORT_BINBYTES', 'BINBYTES8', 'BYTEARRAY8'])
const PY2_STRING_OPCODES = new Set(['STRING', 'BINSTRING', 'SHORT_BINSTRING'])
const BUFFER_OPCODES = new Set(['NEXT_BUFFER', 'READONLY_BUFFER'])

// ---------------------------------------------------------------------------------------------
// Sniffing

/**
 * A conservative guess that `bytes` (the start of a message) is a pickle: `\x80` followed by a
 * protocol number 2 to 5 (and, when present, a pickle opcode), or the opening of a protocol 0
 * list (`(lp0\n`) or protocol 1 list (`]q\x00`). Plain text never starts this way.
 */
export function looksLikePickle(bytes: Uint8Array): boolean {
  try {
    if (!(bytes instanceof Uint8Array) || bytes.length < 2) return false
    if (bytes[0] === PROTO) {
      if (bytes[1] < 2 || bytes[1] > 5) return false
      return bytes.length < 3 || OPCODE_NAMES.has(bytes[2])
    }
    if (bytes[0] === EMPTY_LIST) {
      // Protocol 1: EMPTY_LIST, BINPUT 0.
      return bytes.length >= 3 && bytes[1] === BINPUT && bytes[2] === 0
    }
    if (bytes[0] === MARK) {
      // Protocol 0: MARK, LIST, PUT 0 ('(lp0\n').
      const opening = [MARK, LIST, PUT, 0x30, 0x0a]
      if (bytes.length < 4) return false
      for (let i = 0; i < opening.length && i < bytes.length; i++) {
        if (bytes[i] !== opening[i]) return false
      }
      return true
    }
    return false
  } catch {
    return false
  }
}

// ---------------------------------------------------------------------------------------------
// Reader

/** Thrown inside the reader when the bytes run out; never escapes `readPickle`. */
const NEED_MORE = Symbol('need more bytes')

/** Thrown inside the reader for bytes that can never become an acceptable pickle. */
class Invalid {
  constructor(readonly reason: string) {}
}

type Kind = 'list' | 'tuple' | 'set' | 'frozenset'

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

function fromBig(value: bigint): number | bigint {
  return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** Little-endian two's complement, as LONG1/LONG4 carry it. */
function decodeLong(bytes: Uint8Array, start: number, length: number): number | bigint {
  if (length === 0) return 0
  if (length <= 6) {
    let value = 0
    for (let i = length - 1; i >= 0; i--) value = value * 256 + bytes[start + i]
    if (bytes[start + length - 1] & 0x80) value -= 2 ** (8 * length)
    return value
  }
  let hex = ''
  for (let i = length - 1; i >= 0; i--) hex += HEX[bytes[start + i]]
  let value = BigInt('0x' + hex)
  if (bytes[start + length - 1] & 0x80) value -= 1n << BigInt(8 * length)
  return fromBig(value)
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * UTF-8 with Python's 'surrogatepass' (how pickle encodes strings, so lone surrogates survive).
 * Returns null for bytes Python would refuse.
 */
function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes)
  } catch {
    // Fall through: maybe encoded surrogates, which TextDecoder refuses.
  }
  const units: number[] = []
  let out = ''
  const cont = (i: number): number => {
    const b = bytes[i]
    return b !== undefined && (b & 0xc0) === 0x80 ? b & 0x3f : -1
  }
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]
    let cp: number
    if (b < 0x80) {
      cp = b
      i += 1
    } else if (b >= 0xc2 && b <= 0xdf) {
      const c1 = cont(i + 1)
      if (c1 < 0) return null
      cp = ((b & 0x1f) << 6) | c1
      i += 2
    } else if (b >= 0xe0 && b <= 0xef) {
      const c1 = cont(i + 1)
      const c2 = cont(i + 2)
      if (c1 < 0 || c2 < 0) return null
      cp = ((b & 0x0f) << 12) | (c1 << 6) | c2
      if (cp < 0x800) return null // overlong
      i += 3
    } else if (b >= 0xf0 && b <= 0xf4) {
      const c1 = cont(i + 1)
      const c2 = cont(i + 2)
      const c3 = cont(i + 3)
      if (c1 < 0 || c2 < 0 || c3 < 0) return null
      cp = ((b & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3
      if (cp < 0x10000 || cp > 0x10ffff) return null
      i += 4
    } else {
      return null
    }
    if (cp > 0xffff) {
      units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff))
    } else {
      units.push(cp)
    }
    if (units.length >= 8192) {
      out += String.fromCharCode(...units)
      units.length = 0
    }
  }
  return out + String.fromCharCode(...units)
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10
  return -1
}

/** Python's 'raw-unicode-escape' decoding (protocol 0 UNICODE lines). Null when Python refuses. */
function decodeRawUnicodeEscape(bytes: Uint8Array, start: number, end: number): string | null {
  let out = ''
  let i = start
  let chunkStart = i
  const flush = (to: number): void => {
    for (let j = chunkStart; j < to; j += 8192) {
      out += String.fromCharCode(...bytes.subarray(j, Math.min(to, j + 8192)))
    }
  }
  while (i < end) {
    if (bytes[i] !== 0x5c || i + 1 >= end) {
      i++
      continue
    }
    const kind = bytes[i + 1]
    const count = kind === 0x75 ? 4 : kind === 0x55 ? 8 : 0
    if (count === 0) {
      // A backslash before anything else stays, together with that character.
      i += 2
      continue
    }
    flush(i)
    if (i + 2 + count > end) return null
    let cp = 0
    for (let k = 0; k < count; k++) {
      const h = hexValue(bytes[i + 2 + k])
      if (h < 0) return null
      cp = cp * 16 + h
    }
    if (cp > 0x10ffff) return null
    out += String.fromCodePoint(cp)
    i += 2 + count
    chunkStart = i
  }
  flush(end)
  return out
}

/** Latin-1 text of a short (capped) text argument. */
function asciiOf(bytes: Uint8Array, start: number, end: number): string {
  let text = ''
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i])
  return text
}

/** Text int of INT/LONG: decimal, optional sign, no leading zeros (what Python writes). */
function parseIntText(text: string): number | bigint | null {
  if (!/^[+-]?(0|[1-9][0-9]*)$/.test(text)) return null
  const digits = text.length - (text[0] === '+' || text[0] === '-' ? 1 : 0)
  if (digits > MAX_INT_DIGITS) return null
  if (digits <= 15) return Number(text) || 0
  return fromBig(BigInt(text))
}

function parseFloatText(text: string): number | null {
  const lower = text.toLowerCase()
  const unsigned = lower.replace(/^[+-]/, '')
  const negative = lower.startsWith('-')
  if (unsigned === 'inf' || unsigned === 'infinity') return negative ? -Infinity : Infinity
  if (unsigned === 'nan') return NaN
  if (!/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(unsigned)) return null
  const value = Number(text)
  // Python raises OverflowError for a finite text that does not fit a double.
  return Number.isFinite(value) ? value : null
}

interface Limits {
  maxItems?: number
  maxDepth?: number
}

function limitOf(value: unknown, fallback: number): number {
  return typeof value === 'number' && value >= 0 && !Number.isNaN(value) ? Math.floor(value) : fallback
}

/**
 * Read one pickle from the start of `bytes` without running anything.
 *
 * - `complete`: the value (lists, tuples, sets and frozensets all become fresh arrays; ints
 *   within ±(2**53 - 1) become numbers, larger ones bigints; True/False become booleans, None
 *   null) and `length`, the bytes used up to and including STOP (anything after is left alone).
 * - `incomplete`: the bytes so far are a valid beginning; wait for more.
 * - `invalid`: they can never be read; `reason` says why in plain words.
 *
 * `maxItems` (default 100000) bounds the values inside the top-level value, at any depth, counting
 * a list shared through the memo every time it appears; `maxDepth` (default 32) bounds nesting
 * (a flat list has depth 1). Never throws.
 */
export function readPickle(bytes: Uint8Array, limits?: { maxItems?: number; maxDepth?: number }): PickleRead {
  try {
    if (!(bytes instanceof Uint8Array)) return { status: 'invalid', reason: 'input is not a byte array' }
    const opts: Limits = limits && typeof limits === 'object' ? limits : {}
    const maxItems = limitOf(opts.maxItems, DEFAULT_MAX_ITEMS)
    const maxDepth = limitOf(opts.maxDepth, DEFAULT_MAX_DEPTH)
    return new Reader(bytes, maxItems, maxDepth).run()
  } catch (error) {
    if (error === NEED_MORE) return { status: 'incomplete' }
    if (error instanceof Invalid) return { status: 'invalid', reason: error.reason }
    if (error instanceof RangeError) {
      return { status: 'invalid', reason: 'pickle is too large or too deeply nested to read' }
    }
    return { status: 'invalid', reason: 'pickle could not be read' }
  }
}

class Reader {
  private pos = 0
  private opPos = 0
  private opName = ''
  private readonly view: DataView
  private readonly stack: PickleValue[] = []
  /** Stack heights at each open MARK. */
  private readonly marks: number[] = []
  private readonly memo = new Map<number, PickleValue>()
  private readonly kinds = new Map<PickleValue[], Kind>()
  /** Members (by hash id) of each set and frozenset, so duplicates collapse as in Python. */
  private readonly members = new Map<PickleValue[], Set<number>>()
  private pushes = 0
  /** Where the current FRAME ends, or -1 outside frames. */
  private frameEnd = -1

  constructor(
    private readonly bytes: Uint8Array,
    private readonly maxItems: number,
    private readonly maxDepth: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  run(): PickleRead {
    const bytes = this.bytes
    for (;;) {
      if (this.frameEnd >= 0 && this.pos >= this.frameEnd) {
        if (this.pos > this.frameEnd) {
          this.fail(`malformed pickle: ${this.where()} runs past the end of its frame (byte ${this.frameEnd})`)
        }
        this.frameEnd = -1
      }
      if (this.pos >= bytes.length) throw NEED_MORE
      this.opPos = this.pos
      const op = bytes[this.pos++]
      this.opName = OPCODE_NAMES.get(op) ?? ''
      switch (op) {
        case PROTO: {
          const version = this.byte()
          if (version > 5) this.fail(`pickle protocol ${version} is not supported (Python knows 0 to 5)`)
          break
        }
        case FRAME: {
          // CPython starts a frame only where the previous one ended, and ends frames between
          // opcodes; its pure-Python unpickler refuses anything else, and so do we.
          const at = this.take(8)
          if (this.frameEnd >= 0) this.fail(`malformed pickle: ${this.where()} starts before the previous frame ends`)
          const low = this.view.getUint32(at, true)
          const high = this.view.getUint32(at + 4, true)
          if (high > 0x1fffff) this.fail(`pickle's ${this.where()} is longer than any message could be`)
          this.frameEnd = this.pos + high * 2 ** 32 + low
          break
        }
        case STOP:
          return this.stop()
        case MARK:
          if (this.marks.length >= this.maxDepth) this.tooDeep()
          this.marks.push(this.stack.length)
          break
        case POP:
          if (this.stack.length > this.fence()) this.stack.pop()
          else if (this.marks.length > 0) this.marks.pop()
          else this.underflow()
          break
        case POP_MARK:
          this.popMark()
          break
        case DUP:
          this.push(this.top())
          break

        case NONE:
          this.push(null)
          break
        case NEWTRUE:
          this.push(true)
          break
        case NEWFALSE:
          this.push(false)
          break
        case BININT1:
          this.push(this.byte())
          break
        case BININT2: {
          const at = this.take(2)
          this.push(this.view.getUint16(at, true))
          break
        }
        case BININT: {
          const at = this.take(4)
          this.push(this.view.getInt32(at, true))
          break
        }
        case LONG1: {
          const length = this.byte()
          const at = this.take(length)
          this.push(decodeLong(bytes, at, length))
          break
        }
        case LONG4: {
          const length = this.view.getInt32(this.take(4), true)
          if (length < 0) this.fail(`pickle's ${this.where()} has a negative byte count`)
          const at = this.take(length)
          this.push(decodeLong(bytes, at, length))
          break
        }
        case INT: {
          const text = this.line(/^[-+0-9]*$/, MAX_INT_DIGITS + 1)
          if (text === '00') this.push(false)
          else if (text === '01') this.push(true)
          else this.push(this.checkedInt(text))
          break
        }
        case LONG: {
          const text = this.line(/^[-+0-9L]*$/, MAX_INT_DIGITS + 2)
          this.push(this.checkedInt(text.endsWith('L') ? text.slice(0, -1) : text))
          break
        }
        case BINFLOAT: {
          const at = this.take(8)
          this.push(this.view.getFloat64(at, false))
          break
        }
        case FLOAT: {
          const text = this.line(/^[-+0-9.a-zA-Z]*$/, MAX_FLOAT_CHARS)
          const value = parseFloatText(text)
          if (value === null) this.fail(`pickle's ${this.where()} is not a number: ${JSON.stringify(text)}`)
          this.push(value)
          break
        }

        case SHORT_BINUNICODE:
          this.pushUtf8(this.byte())
          break
        case BINUNICODE:
          this.pushUtf8(this.view.getUint32(this.take(4), true))
          break
        case BINUNICODE8: {
          const at = this.take(8)
          const low = this.view.getUint32(at, true)
          const high = this.view.getUint32(at + 4, true)
          if (high > 0x1fffff) this.fail(`pickle's ${this.where()} string is longer than any message could be`)
          this.pushUtf8(high * 2 ** 32 + low)
          break
        }
        case UNICODE: {
          const end = bytes.indexOf(0x0a, this.pos)
          if (end < 0) throw NEED_MORE
          const text = decodeRawUnicodeEscape(bytes, this.pos, end)
          if (text === null) this.fail(`pickle's ${this.where()} string has a broken \\u escape`)
          this.pos = end + 1
          this.push(text)
          break
        }

        case EMPTY_LIST:
          this.push(this.container('list', []))
          break
        case EMPTY_TUPLE:
          this.push(this.container('tuple', []))
          break
        case EMPTY_SET:
          this.push(this.container('set', []))
          break
        case TUPLE1:
        case TUPLE2:
        case TUPLE3: {
          const count = op - TUPLE1 + 1
          if (this.stack.length - this.fence() < count) this.underflow()
          this.push(this.container('tuple', this.stack.splice(this.stack.length - count)))
          break
        }
        case TUPLE:
          this.push(this.container('tuple', this.popMark()))
          break
        case LIST:
          this.push(this.container('list', this.popMark()))
          break
        case FROZENSET: {
          const items = this.popMark()
          this.push(this.addToSet(this.container('frozenset', []), items))
          break
        }
        case APPEND: {
          if (this.stack.length - this.fence() < 2) this.underflow()
          const item = this.stack.pop() as PickleValue
          this.target('list').push(item)
          break
        }
        case APPENDS: {
          const items = this.popMark()
          const list = this.target('list')
          for (const item of items) list.push(item)
          break
        }
        case ADDITEMS: {
          const items = this.popMark()
          this.addToSet(this.target('set'), items)
          break
        }

        case PUT:
          this.memo.set(this.memoIndexLine(), this.top())
          break
        case BINPUT:
          this.memo.set(this.byte(), this.top())
          break
        case LONG_BINPUT:
          this.memo.set(this.view.getUint32(this.take(4), true), this.top())
          break
        case MEMOIZE:
          this.memo.set(this.memo.size, this.top())
          break
        case GET:
          this.push(this.recall(this.memoIndexLine()))
          break
        case BINGET:
          this.push(this.recall(this.byte()))
          break
        case LONG_BINGET:
          this.push(this.recall(this.view.getUint32(this.take(4), true)))
          break

        default:
          this.refuse(op)
      }
    }
  }

  // --- failures

  private fail(reason: string): never {
    throw new Invalid(reason)
  }

  private where(): string {
    return `${this.opName} (byte ${this.opPos})`
  }

  private underflow(): never {
    this.fail(`malformed pickle: ${this.where()} has too few values on the stack`)
  }

  private tooDeep(): never {
    this.fail(`pickle is nested more than ${this.maxDepth} levels deep`)
  }

  private refuse(op: number): never {
    const name = this.opName
    const at = `byte ${this.opPos}`
    if (CODE_OPCODES.has(name)) this.fail(`pickle uses ${name} (${at}), which could run code; refused`)
    if (DICT_OPCODES.has(name)) {
      this.fail(`pickle contains a dict (${name}, ${at}); only lists, tuples and sets are read`)
    }
    if (BYTES_OPCODES.has(name)) {
      this.fail(`pickle contains bytes (${name}, ${at}); only numbers, strings, booleans and None are read`)
    }
    if (PY2_STRING_OPCODES.has(name)) {
      this.fail(`pickle contains a Python 2 byte string (${name}, ${at}); only Python 3 strings are read`)
    }
    if (BUFFER_OPCODES.has(name)) this.fail(`pickle uses out-of-band buffers (${name}, ${at}); not supported`)
    const hex = op.toString(16).padStart(2, '0')
    this.fail(`not a pickle: unknown opcode 0x${hex} (${JSON.stringify(String.fromCharCode(op))}) at ${at}`)
  }

  // --- bytes

  /** Reserve `count` bytes for the current opcode and return where they start. */
  private take(count: number): number {
    if (this.bytes.length - this.pos < count) throw NEED_MORE
    const at = this.pos
    this.pos += count
    return at
  }

  private byte(): number {
    return this.bytes[this.take(1)]
  }

  /**
   * The text argument of INT, LONG, FLOAT, PUT or GET, up to its newline. Without one yet, the partial text
   * must still be able to become valid (allowed characters, not too long) to count as incomplete.
   */
  private line(allowed: RegExp, maxChars: number): string {
    const bytes = this.bytes
    const newline = bytes.indexOf(0x0a, this.pos)
    const end = newline < 0 ? bytes.length : newline
    if (end - this.pos > maxChars) this.fail(`pickle's ${this.where()} argument is too long`)
    const text = asciiOf(bytes, this.pos, end)
    if (!allowed.test(text)) this.fail(`pickle's ${this.where()} argument has unexpected characters`)
    if (newline < 0) throw NEED_MORE
    this.pos = newline + 1
    return text
  }

  private checkedInt(text: string): number | bigint {
    const value = parseIntText(text)
    if (value === null) this.fail(`pickle's ${this.where()} is not a decimal integer: ${JSON.stringify(text)}`)
    return value
  }

  private memoIndexLine(): number {
    const text = this.line(/^[0-9]*$/, MAX_MEMO_DIGITS)
    if (text === '') this.fail(`pickle's ${this.where()} has no memo index`)
    return Number(text)
  }

  private pushUtf8(length: number): void {
    const at = this.take(length)
    const text = decodeUtf8(this.bytes.subarray(at, at + length))
    if (text === null) this.fail(`pickle's ${this.where()} string is not valid UTF-8`)
    this.push(text)
  }

  // --- stack

  private fence(): number {
    return this.marks.length > 0 ? this.marks[this.marks.length - 1] : 0
  }

  private push(value: PickleValue): void {
    if (++this.pushes > this.maxItems + 1) this.fail(`pickle holds more than ${this.maxItems} items`)
    this.stack.push(value)
  }

  private top(): PickleValue {
    if (this.stack.length <= this.fence()) this.underflow()
    return this.stack[this.stack.length - 1]
  }

  private popMark(): PickleValue[] {
    const mark = this.marks.pop()
    if (mark === undefined) this.fail(`malformed pickle: ${this.where()} without a MARK before it`)
    return this.stack.splice(mark)
  }

  private container(kind: Kind, items: PickleValue[]): PickleValue[] {
    this.kinds.set(items, kind)
    if (kind === 'set' || kind === 'frozenset') this.members.set(items, new Set())
    return items
  }

  /** The list or set that APPEND(S)/ADDITEMS add to: the top of the stack. */
  private target(kind: 'list' | 'set'): PickleValue[] {
    const value = this.top()
    if (!Array.isArray(value) || this.kinds.get(value) !== kind) {
      this.fail(`malformed pickle: ${this.where()} adds to something that is not a ${kind}`)
    }
    return value
  }

  private recall(index: number): PickleValue {
    const value = this.memo.get(index)
    if (value === undefined) this.fail(`malformed pickle: ${this.where()} refers to memo entry ${index}, never stored`)
    return value
  }

  // --- sets: Python keeps one of equal members and refuses unhashable ones

  private readonly scalarIds = new Map<string, number>()
  private readonly stringIds = new Map<string, number>()
  private readonly structureIds = new Map<string, number>()
  private readonly containerIds = new Map<PickleValue[], number | null>()

  private intern(map: Map<string, number>, key: string): number {
    let id = map.get(key)
    if (id === undefined) {
      id = this.scalarIds.size + this.stringIds.size + this.structureIds.size
      map.set(key, id)
    }
    return id
  }

  /** Equal Python values (1 == 1.0 == True) get equal ids; null for unhashable values. */
  private hashId(value: PickleValue, depth = 1): number | null {
    switch (typeof value) {
      case 'string':
        return this.intern(this.stringIds, value)
      case 'boolean':
        return this.intern(this.scalarIds, value ? '1' : '0')
      case 'bigint':
        return this.intern(this.scalarIds, value.toString())
      case 'number':
        if (Number.isNaN(value)) return this.intern(this.scalarIds, `nan${this.scalarIds.size}`)
        if (Number.isInteger(value)) return this.intern(this.scalarIds, BigInt(value).toString())
        return this.intern(this.scalarIds, `f${value}`)
    }
    if (value === null) return this.intern(this.scalarIds, 'None')
    const cached = this.containerIds.get(value)
    if (cached !== undefined) return cached
    if (depth > this.maxDepth) this.tooDeep()
    const kind = this.kinds.get(value)
    let id: number | null = null
    if (kind === 'tuple') {
      const ids: number[] = []
      for (const item of value) {
        const itemId = this.hashId(item, depth + 1)
        if (itemId === null) break
        ids.push(itemId)
      }
      if (ids.length === value.length) id = this.intern(this.structureIds, `t${ids.join(',')}`)
    } else if (kind === 'frozenset') {
      const ids = [...(this.members.get(value) ?? [])].sort((a, b) => a - b)
      id = this.intern(this.structureIds, `f${ids.join(',')}`)
    }
    this.containerIds.set(value, id)
    return id
  }

  private addToSet(set: PickleValue[], items: PickleValue[]): PickleValue[] {
    const members = this.members.get(set) as Set<number>
    for (const item of items) {
      const id = this.hashId(item)
      if (id === null) this.fail(`pickle puts a list or set inside a set (${this.where()}); Python refuses that too`)
      if (!members.has(id)) {
        members.add(id)
        set.push(item)
      }
    }
    return set
  }

  // --- the end

  private stop(): PickleRead {
    if (this.marks.length > 0) this.fail(`malformed pickle: STOP (byte ${this.opPos}) with a MARK still open`)
    if (this.stack.length === 0) this.fail(`malformed pickle: STOP (byte ${this.opPos}) with no value`)
    if (this.stack.length > 1) this.fail(`malformed pickle: STOP (byte ${this.opPos}) leaves extra values behind`)
    if (this.frameEnd > this.pos) {
      this.fail(`malformed pickle: STOP (byte ${this.opPos}) comes before the end of its frame (byte ${this.frameEnd})`)
    }
    return { status: 'complete', value: this.detach(this.stack[0]), length: this.pos }
  }

  /**
   * A fresh tree of arrays: values shared through the memo are copied apart, so callers never see
   * aliasing. Cycles are refused and the limits apply to the tree as the caller will walk it.
   */
  private detach(root: PickleValue): PickleValue {
    if (!Array.isArray(root)) return root
    if (this.maxDepth < 1) this.tooDeep()
    const copy: PickleValue[] = []
    const path = new Set<PickleValue[]>([root])
    const frames: { source: PickleValue[]; target: PickleValue[]; next: number }[] = [{ source: root, target: copy, next: 0 }]
    let items = 0
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]
      if (frame.next >= frame.source.length) {
        path.delete(frame.source)
        frames.pop()
        continue
      }
      const child = frame.source[frame.next++]
      if (++items > this.maxItems) this.fail(`pickle holds more than ${this.maxItems} items`)
      if (!Array.isArray(child)) {
        frame.target.push(child)
        continue
      }
      if (path.has(child)) this.fail('pickle contains a list that contains itself')
      if (frames.length >= this.maxDepth) this.tooDeep()
      const target: PickleValue[] = []
      frame.target.push(target)
      path.add(child)
      frames.push({ source: child, target, next: 0 })
    }
    return copy
  }
}

// ---------------------------------------------------------------------------------------------
// Writer

/** A growable byte buffer with CPython's framing (protocol 4+): a frame ends at an opcode
 * boundary once it holds 64 KiB, and frames under 4 bytes get no FRAME header. */
class Output {
  private buffer = new Uint8Array(256)
  private length = 0
  private frameStart = -1
  framing = false

  private reserve(count: number): void {
    if (this.length + count <= this.buffer.length) return
    let size = this.buffer.length * 2
    while (size < this.length + count) size *= 2
    const bigger = new Uint8Array(size)
    bigger.set(this.buffer.subarray(0, this.length))
    this.buffer = bigger
  }

  write(...data: number[]): void {
    if (this.framing && this.frameStart < 0) {
      this.frameStart = this.length
      this.reserve(9)
      this.length += 9
    }
    this.reserve(data.length)
    this.buffer.set(data, this.length)
    this.length += data.length
  }

  opcodeBoundary(): void {
    if (this.framing && this.frameStart >= 0 && this.length - this.frameStart - 9 >= FRAME_SIZE_TARGET) {
      this.commitFrame()
    }
  }

  commitFrame(): void {
    if (!this.framing || this.frameStart < 0) return
    const start = this.frameStart
    const size = this.length - start - 9
    if (size >= FRAME_SIZE_MIN) {
      this.buffer[start] = FRAME
      new DataView(this.buffer.buffer).setBigUint64(start + 1, BigInt(size), true)
    } else {
      this.buffer.copyWithin(start, start + 9, this.length)
      this.length -= 9
    }
    this.frameStart = -1
  }

  result(): Uint8Array {
    return this.buffer.slice(0, this.length)
  }
}

/** The smallest little-endian two's complement of `value` (Python's `encode_long`). */
function encodeLong(value: bigint): number[] {
  const out: number[] = []
  let rest = value
  for (;;) {
    const byte = Number(rest & 0xffn)
    out.push(byte)
    rest >>= 8n
    // Done once the remaining bits are all sign bits matching the last byte's top bit.
    if ((rest === 0n && (byte & 0x80) === 0) || (rest === -1n && (byte & 0x80) !== 0)) return out
  }
}

function writeNumber(out: Output, value: number): void {
  if (!Number.isInteger(value)) {
    const bytes = new Uint8Array(8)
    new DataView(bytes.buffer).setFloat64(0, value, false)
    out.write(BINFLOAT, ...bytes)
  } else if (value >= 0 && value <= 0xff) {
    out.write(BININT1, value)
  } else if (value >= 0 && value <= 0xffff) {
    out.write(BININT2, value & 0xff, value >> 8)
  } else if (value >= -0x80000000 && value <= 0x7fffffff) {
    out.write(BININT, value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, (value >>> 24) & 0xff)
  } else {
    const bytes = encodeLong(BigInt(value))
    const n = bytes.length
    // JS numbers need at most 129 bytes, so LONG4 is only here for completeness.
    if (n < 256) out.write(LONG1, n, ...bytes)
    else out.write(LONG4, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff, ...bytes)
  }
}

/**
 * The bytes of CPython 3.11 `pickle.dumps(numbers, protocol)` (protocol 2 to 5, default 4),
 * for a list of ints. Integral numbers are written as Python ints (so -0 is written as 0),
 * others (1.5, NaN, Infinity) as Python floats. Throws RangeError for another protocol.
 */
export function writePickle(numbers: readonly number[], protocol: 2 | 3 | 4 | 5 = 4): Uint8Array {
  if (protocol !== 2 && protocol !== 3 && protocol !== 4 && protocol !== 5) {
    throw new RangeError(`pickle protocol must be 2, 3, 4 or 5, not ${String(protocol)}`)
  }
  const out = new Output()
  out.write(PROTO, protocol)
  out.framing = protocol >= 4
  out.write(EMPTY_LIST)
  // The list is the first object memoized: index 0.
  if (protocol >= 4) out.write(MEMOIZE)
  else out.write(BINPUT, 0)
  const count = numbers.length
  if (count === 1) {
    writeNumber(out, numbers[0])
    out.opcodeBoundary()
    out.write(APPEND)
  } else if (count > 1) {
    let done = 0
    while (done < count) {
      out.write(MARK)
      const end = Math.min(count, done + BATCH_SIZE)
      for (; done < end; done++) {
        writeNumber(out, numbers[done])
        out.opcodeBoundary()
      }
      out.write(APPENDS)
    }
  }
  out.write(STOP)
  out.commitFrame()
  return out.result()
}
