import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { looksLikePickle, readPickle, writePickle, type PickleRead, type PickleValue } from '../../src/main/wire/pickle'

// Every fixture comes from the real CPython: the objects below are pickled with `pickle.dumps`
// for each protocol, and the expected value is `json.dumps` of the object (tuples and sets as
// lists; ints beyond 2**53 - 1 as {"big": "..."} and nan/inf as {"float": "..."}, which JSON
// cannot carry). For a pickle that uses an opcode the reader must refuse, pickletools names the
// first such opcode and its byte offset.
const PYTHON_FIXTURES = String.raw`
import json, os, pickle, pickletools, random, sys
random.seed(20240611)

SUPPORTED = set('''PROTO FRAME STOP MARK EMPTY_LIST APPEND APPENDS LIST EMPTY_TUPLE TUPLE TUPLE1
TUPLE2 TUPLE3 EMPTY_SET ADDITEMS FROZENSET BININT BININT1 BININT2 INT LONG LONG1 LONG4 BINFLOAT
FLOAT NONE NEWTRUE NEWFALSE SHORT_BINUNICODE BINUNICODE BINUNICODE8 UNICODE PUT BINPUT LONG_BINPUT
GET BINGET LONG_BINGET MEMOIZE POP POP_MARK DUP'''.split())

SAFE = 2**53 - 1

def conv(o):
    if o is None or isinstance(o, (bool, str)):
        return o
    if isinstance(o, int):
        return o if -SAFE <= o <= SAFE else {'big': str(o)}
    if isinstance(o, float):
        if o != o:
            return {'float': 'nan'}
        if o in (float('inf'), float('-inf')):
            return {'float': 'inf' if o > 0 else '-inf'}
        return o
    if isinstance(o, (list, tuple, set, frozenset)):
        return [conv(x) for x in o]
    raise TypeError(type(o))

class Evil:
    def __reduce__(self):
        return (os.system, ('echo pwned',))

shared = [1, 2]
word = 'shared words'
many = [[i] for i in range(300)]
def nest(depth):
    value = [depth]
    for _ in range(depth - 1):
        value = [value]
    return value

objects = {
    'empty list': [],
    'one item': [1],
    'three items': [3, 14, 15],
    '100 random ints in 1..100': [random.randint(1, 100) for _ in range(100)],
    '1001 items': list(range(1001)),
    '2500 items': [random.randint(-70000, 70000) for _ in range(2500)],
    'tuple': (1, 2, 3),
    'empty tuple': (),
    'one-tuple': (5,),
    'pair': (1, 2),
    'four-tuple': (1, 2, 3, 4),
    'set': {1, 2, 3},
    'empty set': set(),
    'frozenset': frozenset({4, 5}),
    'empty frozenset': frozenset(),
    'negative ints': [-1, -2, -128, -129, -255, -256, -65536, -2**31, -2**31 - 1, -2**40],
    'edge ints': [0, 255, 256, 65535, 65536, 2**31 - 1, 2**31, 2**32, 2**48 - 1, 2**48],
    'huge ints': [SAFE, SAFE + 1, -SAFE, -SAFE - 1, 2**53, 2**63, -2**63, 2**64, -2**100, 10**40, 2**1000, -2**2100],
    'nested lists': [[1, 2], [3, [4, [5]]], [], [[]]],
    'strings': ['', 'hello', 'h\u00e9llo w\u00f6rld \u2713 \U0001d11e', 'a\nb\\c\0d\r\x1ae', '\\u0041', '\ud800 lone', '\ufeffbom', 'x' * 300],
    'floats': [1.5, -0.0, 0.0, 0.1, 1e300, 2.5e-300, 1e16, 123456789.125, float('inf'), float('-inf'), float('nan')],
    'constants': [True, False, None, 1, 0],
    'mixed': [1, 'two', 3.0, None, True, (4, 5), [6], {7}, frozenset({8})],
    'shared list': [shared, shared, shared],
    'shared string': [word, word, (word,)],
    'memo beyond 255': many + many[250:260],
    'tuple of tuples': ((1, 2), (3, 4), ()),
    'list in tuple': ([1], [2]),
    'set of tuples': {(1, 2), (3, 4)},
    'set of mixed': {1, 'a', None, (1, 'b'), 2.5},
    'frozenset of frozensets': frozenset({frozenset({1}), frozenset({2, 3})}),
    'depth 32': nest(32),
    'top-level int': 7,
    'top-level big int': -2**70,
    'top-level float': 2.5,
    'top-level string': 'hi',
    'top-level None': None,
    'top-level True': True,
    'evil': Evil(),
    'evil in a list': [1, 2, Evil()],
    'dict': {'a': 1},
    'list with a dict': [1, {}],
    'bytes': b'abc',
    'list with bytes': [1, b'\x00\x01'],
    'bytearray': bytearray(b'ab'),
    'range': range(3),
}

reads = []
for name, obj in objects.items():
    for protocol in range(6):
        data = pickle.dumps(obj, protocol=protocol)
        refused = next(((op.name, pos) for op, arg, pos in pickletools.genops(data) if op.name not in SUPPORTED), None)
        case = {'name': name, 'protocol': protocol, 'hex': data.hex()}
        if refused:
            case['refused'] = refused[0]
            case['at'] = refused[1]
        else:
            case['json'] = json.dumps(conv(obj))
        reads.append(case)

cycle = []
cycle.append(cycle)
rows = [1] * 1000
specials = {
    'cycle': [pickle.dumps(cycle, p).hex() for p in range(6)],
    'depth 33': [pickle.dumps(nest(33), p).hex() for p in range(6)],
    '100001 items': [pickle.dumps([1] * 100001, p).hex() for p in range(6)],
    '100000 items': [pickle.dumps([1] * 100000, p).hex() for p in range(6)],
    'shared blow-up': [pickle.dumps([rows] * 1000, p).hex() for p in range(6)],
    'ten items': [pickle.dumps(list(range(10)), p).hex() for p in range(6)],
    'depth 5': [pickle.dumps(nest(5), p).hex() for p in range(6)],
}

def r(a, b):
    return random.randint(a, b)

def mix(n):
    kinds = [lambda: r(0, 255), lambda: r(256, 65535), lambda: r(-2**31, 2**31 - 1),
             lambda: r(2**31, 2**40), lambda: r(-SAFE, SAFE), lambda: -r(1, 300)]
    return [random.choice(kinds)() for _ in range(n)]

write_lists = {
    'empty': [],
    'zero': [0],
    'one': [1],
    'minus one': [-1],
    '255': [255],
    '256': [256],
    '65535': [65535],
    '65536': [65536],
    'pair': [3, 14],
    'three': [3, 14, 15],
    'int32 edges': [2**31 - 1, 2**31, -2**31, -2**31 - 1, 2**32, -2**32, -65536, -65535],
    'long edges': [127, 128, -128, -129, -32768, -32769, 2**53, -2**53, 2**63, -2**63, 2**64, 10**20, -10**20, 2**1000, -2**1023],
    # Integral numbers are written as ints (JS cannot tell 3.0 from 3), so only fractions here.
    'floats': [1.5, 0.1, -2.25, 123456.789, -1e-300, 5e-324, float('inf'), float('-inf'), float('nan')],
    '100 random ints in 1..100': [r(1, 100) for _ in range(100)],
    '999 items': mix(999),
    '1000 items': mix(1000),
    '1001 items': mix(1001),
    '2000 items': mix(2000),
    '2001 items': mix(2001),
    '2500 items': mix(2500),
    '30000 mixed items': mix(30000),
    'frame ends right before the last APPENDS': [2**20] * 13100 + [256, 256],
    'frame ends right before the last APPENDS, one byte short': [2**20] * 13100 + [256, 255],
    '40000 BININTs, four frames': [2**20] * 40000,
    'frame mix': [2**20] * 12000 + [65535] * 2000 + [7] * 2000,
    '20000 LONG1s': [r(2**40, SAFE) * random.choice([1, -1]) for _ in range(20000)],
}

writes = []
for name, values in write_lists.items():
    for protocol in (2, 3, 4, 5):
        writes.append({'name': name, 'protocol': protocol, 'values': conv(values), 'hex': pickle.dumps(values, protocol=protocol).hex()})

json.dump({'reads': reads, 'specials': specials, 'writes': writes}, sys.stdout)
`

interface ReadCase {
  name: string
  protocol: number
  hex: string
  json?: string
  refused?: string
  at?: number
}
interface WriteCase {
  name: string
  protocol: 2 | 3 | 4 | 5
  values: unknown[]
  hex: string
}
interface Fixtures {
  reads: ReadCase[]
  specials: Record<string, string[]>
  writes: WriteCase[]
}

const fixtures = JSON.parse(
  execFileSync('python3', ['-c', PYTHON_FIXTURES], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }),
) as Fixtures

function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'))
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

/** Python's json (with the {"big"}/{"float"} escapes) to the values readPickle returns. */
function fromJson(value: unknown): PickleValue {
  if (Array.isArray(value)) return value.map(fromJson)
  if (value !== null && typeof value === 'object') {
    const tagged = value as { big?: string; float?: string }
    if (tagged.big !== undefined) return BigInt(tagged.big)
    if (tagged.float === 'nan') return NaN
    if (tagged.float === 'inf') return Infinity
    if (tagged.float === '-inf') return -Infinity
    throw new Error(`unexpected fixture value ${JSON.stringify(value)}`)
  }
  return value as PickleValue
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value
  const tagged = value as { big?: string; float?: string }
  if (tagged.big !== undefined) return Number(tagged.big)
  return Number(fromJson(value))
}

/** Cut points for prefix checks: all of them for small pickles, a spread for big ones. */
function cuts(length: number): number[] {
  if (length <= 3000) return Array.from({ length }, (_, i) => i)
  const points = new Set<number>()
  for (let i = 0; i < 100; i++) points.add(i).add(length - 1 - i)
  for (let i = 0; i < 300; i++) points.add(Math.floor((i * length) / 300))
  return [...points].filter((cut) => cut < length).sort((a, b) => a - b)
}

const label = (c: { name: string; protocol: number }): string => `${c.name}, protocol ${c.protocol}`
const completeReads = fixtures.reads.filter((c) => c.json !== undefined)
const refusedReads = fixtures.reads.filter((c) => c.refused !== undefined)

describe('readPickle on CPython pickles', () => {
  it('has fixtures for every protocol, readable and refused', () => {
    expect(completeReads.length).toBeGreaterThan(180)
    const refusedAt = (protocol: number): string[] =>
      refusedReads
        .filter((c) => c.protocol === protocol)
        .map((c) => c.name)
        .sort()
    const neverReadable = ['bytearray', 'bytes', 'dict', 'evil', 'evil in a list', 'list with a dict', 'list with bytes', 'range']
    const setsBelow4 = [
      'empty frozenset',
      'empty set',
      'frozenset',
      'frozenset of frozensets',
      'mixed',
      'set',
      'set of mixed',
      'set of tuples',
    ]
    expect(refusedAt(4)).toEqual(neverReadable)
    expect(refusedAt(5)).toEqual(neverReadable)
    for (const protocol of [0, 1, 2, 3]) expect(refusedAt(protocol)).toEqual([...neverReadable, ...setsBelow4].sort())
    for (let protocol = 0; protocol <= 5; protocol++) {
      expect(completeReads.some((c) => c.protocol === protocol)).toBe(true)
    }
  })

  it.each(completeReads.map((c) => [label(c), c] as const))('reads %s like json.dumps', (_, c) => {
    const bytes = fromHex(c.hex)
    const result = readPickle(bytes)
    expect(result).toEqual({ status: 'complete', value: fromJson(JSON.parse(c.json as string)), length: bytes.length })
  })

  it('reports every strict prefix of a readable pickle as incomplete', () => {
    for (const c of completeReads) {
      const bytes = fromHex(c.hex)
      for (const cut of cuts(bytes.length)) {
        const result = readPickle(bytes.subarray(0, cut))
        if (result.status !== 'incomplete') {
          expect.fail(`${label(c)}: prefix of ${cut}/${bytes.length} bytes gave ${JSON.stringify(result)}`)
        }
      }
    }
  })

  it.each(refusedReads.map((c) => [label(c), c] as const))('refuses %s, naming the opcode', (_, c) => {
    const bytes = fromHex(c.hex)
    const result = readPickle(bytes)
    expect(result.status).toBe('invalid')
    const reason = (result as { reason: string }).reason
    expect(reason).toContain(c.refused)
    expect(reason).toContain(`byte ${c.at}`)
    // Before the refused opcode the bytes are a valid beginning; from it on they never are.
    for (const cut of cuts(bytes.length)) {
      const expected = cut <= (c.at as number) ? 'incomplete' : 'invalid'
      const status = readPickle(bytes.subarray(0, cut)).status
      if (status !== expected) expect.fail(`${label(c)}: prefix of ${cut} bytes gave ${status}, expected ${expected}`)
    }
  })

  it('refuses a pickle whose __reduce__ runs os.system, for every protocol', () => {
    const evil = fixtures.reads.filter((c) => c.name === 'evil' || c.name === 'evil in a list')
    expect(evil).toHaveLength(12)
    for (const c of evil) {
      const result = readPickle(fromHex(c.hex))
      const opcode = c.protocol >= 4 ? 'STACK_GLOBAL' : 'GLOBAL'
      expect(result.status, label(c)).toBe('invalid')
      const reason = (result as { reason: string }).reason
      expect(reason, label(c)).toContain(`pickle uses ${opcode}`)
      expect(reason, label(c)).toContain('could run code; refused')
    }
  })

  it('refuses sets and frozensets below protocol 4 (Python builds them with GLOBAL and REDUCE)', () => {
    for (const name of ['set', 'frozenset']) {
      for (let protocol = 0; protocol < 4; protocol++) {
        const c = fixtures.reads.find((x) => x.name === name && x.protocol === protocol) as ReadCase
        expect(c.refused, label(c)).toBe('GLOBAL')
      }
    }
  })

  it('refuses dicts and bytes in plain words', () => {
    const dict = fixtures.reads.find((c) => c.name === 'dict' && c.protocol === 4) as ReadCase
    expect(readPickle(fromHex(dict.hex))).toMatchObject({
      status: 'invalid',
      reason: expect.stringContaining('dict (EMPTY_DICT'),
    })
    const bytes = fixtures.reads.find((c) => c.name === 'bytes' && c.protocol === 3) as ReadCase
    expect(readPickle(fromHex(bytes.hex))).toMatchObject({
      status: 'invalid',
      reason: expect.stringContaining('bytes (SHORT_BINBYTES'),
    })
  })
})

describe('readPickle limits and hostile input', () => {
  const special = (name: string, protocol: number): Uint8Array => fromHex(fixtures.specials[name][protocol])
  const protocols = [0, 1, 2, 3, 4, 5]

  it('refuses a list that contains itself', () => {
    for (const p of protocols) {
      expect(readPickle(special('cycle', p)), `protocol ${p}`).toEqual({
        status: 'invalid',
        reason: 'pickle contains a list that contains itself',
      })
    }
  })

  it('enforces maxDepth (default 32)', () => {
    for (const p of protocols) {
      expect(readPickle(special('depth 33', p)), `protocol ${p}`).toMatchObject({
        status: 'invalid',
        reason: expect.stringContaining('nested more than 32 levels'),
      })
      expect(readPickle(special('depth 33', p), { maxDepth: 33 }).status).toBe('complete')
      expect(readPickle(special('depth 5', p), { maxDepth: 5 }).status).toBe('complete')
      expect(readPickle(special('depth 5', p), { maxDepth: 4 }).status).toBe('invalid')
    }
  })

  it('enforces maxItems (default 100000), counting shared lists every time they appear', () => {
    for (const p of protocols) {
      expect(readPickle(special('100000 items', p)).status, `protocol ${p}`).toBe('complete')
      expect(readPickle(special('100001 items', p)), `protocol ${p}`).toMatchObject({
        status: 'invalid',
        reason: expect.stringContaining('more than 100000 items'),
      })
      // A few kilobytes that would expand to a million ints.
      const blowUp = special('shared blow-up', p)
      expect(blowUp.length).toBeLessThan(10_000)
      expect(readPickle(blowUp).status, `protocol ${p}`).toBe('invalid')
      expect(readPickle(special('ten items', p), { maxItems: 10 }).status).toBe('complete')
      expect(readPickle(special('ten items', p), { maxItems: 9 }).status).toBe('invalid')
    }
  })

  it('gives fresh arrays even when the pickle shares one list', () => {
    const c = fixtures.reads.find((x) => x.name === 'shared list' && x.protocol === 4) as ReadCase
    const result = readPickle(fromHex(c.hex))
    expect(result.status).toBe('complete')
    const value = (result as { value: PickleValue[][] }).value
    expect(value).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ])
    expect(value[0]).not.toBe(value[1])
  })

  it('reads the first pickle of several and reports its length, at any buffer offset', () => {
    const first = writePickle([1, 2, 3], 2)
    const second = writePickle([4], 5)
    const joined = new Uint8Array(3 + first.length + second.length + 2)
    joined.set(first, 3)
    joined.set(second, 3 + first.length)
    joined.set([0xff, 0xfe], 3 + first.length + second.length)
    const view = joined.subarray(3)
    expect(readPickle(view)).toEqual({ status: 'complete', value: [1, 2, 3], length: first.length })
    const rest = view.subarray(first.length)
    expect(readPickle(rest)).toEqual({ status: 'complete', value: [4], length: second.length })
    expect(readPickle(rest.subarray(second.length)).status).toBe('invalid')
    expect(readPickle(Buffer.from(first))).toMatchObject({ status: 'complete', value: [1, 2, 3] })
  })

  it('handles hand-made edge cases like Python does, or more strictly', () => {
    const read = (...parts: (number | string)[]): PickleRead =>
      readPickle(new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : [p]))))
    const invalid = (result: PickleRead, text: string): void => {
      expect(result).toMatchObject({ status: 'invalid', reason: expect.stringContaining(text) })
    }
    expect(read()).toEqual({ status: 'incomplete' })
    expect(read(0x80)).toEqual({ status: 'incomplete' })
    invalid(read(0x80, 6), 'protocol 6')
    invalid(read(0xff), 'unknown opcode 0xff')
    invalid(read('xyz'), 'unknown opcode 0x78')
    invalid(read('.'), 'STOP (byte 0) with no value')
    invalid(read('K', 1, 'K', 2, '.'), 'extra values')
    invalid(read('(K', 1, '.'), 'MARK still open')
    invalid(read(')K', 1, 'a.'), 'not a list')
    invalid(read('K', 1, 'a'), 'too few values')
    invalid(read('e'), 'without a MARK')
    invalid(read('h', 3), 'memo entry 3')
    invalid(read('I1x'), 'unexpected characters')
    invalid(read('I007\n.'), 'not a decimal integer')
    invalid(read('I' + '9'.repeat(5000)), 'too long')
    invalid(read('Fabc\n.'), 'not a number')
    invalid(read('F1e999\n.'), 'not a number')
    invalid(read(0x8b, 0xff, 0xff, 0xff, 0xff), 'negative byte count')
    invalid(read(0x8c, 2, 0xc3, 0x28, '.'), 'not valid UTF-8')
    invalid(read('Vab\\u12\n.'), 'escape')
    invalid(read(0x8f, '(]', 0x90, '.'), 'inside a set')
    invalid(read(0x80, 4, '}.'), 'dict (EMPTY_DICT')
    // Lengths that promise more than is there wait for it without allocating it.
    expect(read(0x58, 0xff, 0xff, 0xff, 0xff, 'abc')).toEqual({ status: 'incomplete' })
    expect(read(0x8d, 0, 0, 0, 0, 0, 0, 0x10, 0, 'abc')).toEqual({ status: 'incomplete' })
    invalid(read(0x8d, 0, 0, 0, 0, 0, 0, 0, 0x80, 'abc'), 'longer than any message')
    expect(read(0x8b, 0xff, 0xff, 0xff, 0x7f, 1, 2)).toEqual({ status: 'incomplete' })
    // Frames: CPython ends them between opcodes and never past STOP.
    const frame = (size: number): number[] => [0x95, size, 0, 0, 0, 0, 0, 0, 0]
    expect(read(...frame(3), 'K', 1, '.')).toEqual({ status: 'complete', value: 1, length: 12 })
    expect(read(...frame(2), 'K', 1, '.')).toEqual({ status: 'complete', value: 1, length: 12 })
    expect(read(...frame(9), 'K', 1)).toEqual({ status: 'incomplete' })
    invalid(read(...frame(1), 'K', 1, '.'), 'BININT1 (byte 9) runs past the end of its frame')
    invalid(read(...frame(9), 'K', 1, '.'), 'before the end of its frame')
    invalid(read(...frame(9), ...frame(0)), 'starts before the previous frame ends')
    invalid(read(0x95, 0, 0, 0, 0, 0, 0, 0, 0x80, 'K', 1, '.'), 'longer than any message')
    // Text forms Python writes in protocol 0, and what Python makes of a set with duplicates.
    expect(read('I01\nI00\nI-5\nL12345678901234567890L\nF-0.0\nFinf\nFnan\n(t.').status).toBe('invalid')
    expect(read('(I01\nI00\nI-5\nL12345678901234567890L\nF-0.0\nFinf\nl.')).toEqual({
      status: 'complete',
      value: [true, false, -5, 12345678901234567890n, -0, Infinity],
      length: 49,
    })
    expect(read(0x8f, '(K', 1, 0x88, 'K', 2, 'G', 0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0x90, '.')).toMatchObject({
      value: [1, 2],
    })
    expect(read('(K', 1, 'K', 1, 'K', 1, 0x91, '.')).toMatchObject({ value: [1] })
    expect(read(0x8c, 3, 0xef, 0xbb, 0xbf, '.')).toMatchObject({ value: '\ufeff' })
    expect(read(0x8c, 3, 0xed, 0xa0, 0x80, '.')).toMatchObject({ value: '\ud800' })
    expect(read('V\\u00e9\\\\x\\U0001d11e\n.')).toMatchObject({ value: '\u00e9\\\\x\u{1d11e}' })
    expect(read('K', 1, '2', 0x86, '.')).toMatchObject({ value: [1, 1] })
    expect(read('(K', 1, 'K', 2, '1N.')).toMatchObject({ value: null })
    expect(read('(K', 1, '00N.')).toMatchObject({ value: null })
    expect(read('', 'N', 'N', '0.')).toMatchObject({ value: null })
  })

  it('survives silly limits and non-byte input without throwing', () => {
    const bytes = writePickle([1, 2, 3])
    expect(readPickle(bytes, { maxItems: 0 }).status).toBe('invalid')
    expect(readPickle(bytes, { maxDepth: 0 }).status).toBe('invalid')
    expect(readPickle(bytes, { maxItems: NaN, maxDepth: -1 }).status).toBe('complete')
    expect(readPickle(writePickle([]), { maxItems: 0 }).status).toBe('complete')
    expect(readPickle('nope' as unknown as Uint8Array).status).toBe('invalid')
    expect(readPickle(null as unknown as Uint8Array).status).toBe('invalid')
  })
})

describe('writePickle', () => {
  it.each(fixtures.writes.map((c) => [label(c), c] as const))('matches CPython byte for byte: %s', (_, c) => {
    const values = c.values.map(toNumber)
    const written = writePickle(values, c.protocol)
    // Compare in hex, but only print both when they differ (some fixtures are 200 kB).
    const actual = toHex(written)
    if (actual !== c.hex) {
      let at = 0
      while (actual[at] === c.hex[at]) at++
      expect.fail(
        `${label(c)}: first difference at byte ${at >> 1}: got ${actual.slice(at, at + 40)}, CPython ${c.hex.slice(at, at + 40)}`,
      )
    }
    // And it reads back.
    const back = readPickle(written)
    expect(back.status).toBe('complete')
    if (values.every(Number.isSafeInteger)) expect(back).toEqual({ status: 'complete', value: values, length: written.length })
  })

  it('defaults to protocol 4', () => {
    expect(toHex(writePickle([3, 14, 15]))).toBe(toHex(writePickle([3, 14, 15], 4)))
    expect(toHex(writePickle([]))).toBe('80045d942e')
  })

  it('refuses other protocols', () => {
    expect(() => writePickle([1], 1 as 2)).toThrow(RangeError)
    expect(() => writePickle([1], 6 as 2)).toThrow(RangeError)
  })

  it('writes -0 as the int 0', () => {
    expect(toHex(writePickle([-0], 2))).toBe(toHex(writePickle([0], 2)))
  })
})

describe('looksLikePickle', () => {
  const text = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'))

  it('recognises CPython lists of every protocol', () => {
    for (const c of fixtures.reads.filter((x) => x.name === 'three items' || x.name === 'empty list')) {
      expect(looksLikePickle(fromHex(c.hex)), label(c)).toBe(true)
    }
    for (const protocol of [2, 3, 4, 5] as const) expect(looksLikePickle(writePickle([1, 2], protocol))).toBe(true)
    expect(looksLikePickle(text('(lp0'))).toBe(true)
  })

  it('stays quiet for text and too-short input', () => {
    for (const s of [
      '',
      'h',
      '[3, 14, 15]',
      '3 7',
      'hello\n',
      '(lp',
      '(lp1\n',
      '(I1\n',
      ']',
      ']q',
      ']q\x01',
      '\x80',
      '\x80\x01]',
      '\x80\x06]',
      '\x80\x04\xff',
    ]) {
      expect(looksLikePickle(text(s)), JSON.stringify(s)).toBe(false)
    }
    expect(looksLikePickle(undefined as unknown as Uint8Array)).toBe(false)
  })
})

describe('readPickle fuzz', () => {
  const seed = Number(process.env.PICKLE_FUZZ_SEED ?? 0x5eed2024) >>> 0

  /** mulberry32 */
  function random(seedValue: number): () => number {
    let a = seedValue
    return () => {
      a = (a + 0x6d2b79f5) >>> 0
      let t = a
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
  }

  const OPCODES = [...'(.0122FIJKLMNPQRSTUVXabcdefghijlmopqrstu}])G'].map((c) => c.charCodeAt(0))
  for (let op = 0x80; op <= 0x98; op++) OPCODES.push(op)
  const ALPHABET = [...OPCODES, 0, 1, 2, 3, 4, 5, 0x0a, 0x30, 0x31, 0x39, 0xff, 0x4c, 0x5c, 0x75]

  function depthAndItems(value: PickleValue): { depth: number; items: number } {
    if (!Array.isArray(value)) return { depth: 0, items: 0 }
    let depth = 0
    let items = value.length
    for (const child of value) {
      const inner = depthAndItems(child)
      depth = Math.max(depth, inner.depth)
      items += inner.items
    }
    return { depth: depth + 1, items }
  }

  function check(bytes: Uint8Array, next: () => number, where: string): void {
    const context = `${where} (seed ${seed}, input ${toHex(bytes).slice(0, 400)})`
    let result: PickleRead
    try {
      result = readPickle(bytes)
    } catch (error) {
      expect.fail(`readPickle threw ${String(error)}: ${context}`)
    }
    if (result.status === 'complete') {
      const { length, value } = result
      if (!(Number.isInteger(length) && length >= 1 && length <= bytes.length && bytes[length - 1] === 0x2e)) {
        expect.fail(`bad length ${length}: ${context}`)
      }
      const { depth, items } = depthAndItems(value)
      if (depth > 32 || items > 100_000) expect.fail(`limits not enforced (${depth}, ${items}): ${context}`)
      expect(readPickle(bytes.subarray(0, length)), context).toEqual(result)
    } else if (result.status === 'invalid') {
      if (typeof result.reason !== 'string' || result.reason === '') expect.fail(`empty reason: ${context}`)
    } else if (result.status !== 'incomplete') {
      expect.fail(`unknown status ${JSON.stringify(result)}: ${context}`)
    }
    // A prefix never contradicts the whole: incomplete stays incomplete, complete needs its
    // STOP, and invalid bytes may only look incomplete while cut short.
    const cut = Math.floor(next() * bytes.length)
    const prefix = readPickle(bytes.subarray(0, cut)).status
    const allowed =
      result.status === 'complete'
        ? [cut >= result.length ? 'complete' : 'incomplete']
        : result.status === 'incomplete'
          ? ['incomplete']
          : ['incomplete', 'invalid']
    if (!allowed.includes(prefix)) expect.fail(`prefix of ${cut} bytes gave ${prefix}, whole gave ${result.status}: ${context}`)
  }

  it('never throws on 2000 random byte strings', () => {
    const next = random(seed)
    const statuses = new Set<string>()
    for (let i = 0; i < 2000; i++) {
      const length = Math.floor(next() * 64)
      const fromAlphabet = i % 2 === 1
      const bytes = new Uint8Array(length)
      for (let j = 0; j < length; j++) {
        bytes[j] = fromAlphabet ? ALPHABET[Math.floor(next() * ALPHABET.length)] : Math.floor(next() * 256)
      }
      check(bytes, next, `random string #${i}`)
      statuses.add(readPickle(bytes).status)
    }
    expect(statuses, `seed ${seed}`).toContain('invalid')
    expect(statuses, `seed ${seed}`).toContain('incomplete')
  })

  it('never throws on 2000 mutations of CPython pickles', () => {
    const next = random(seed ^ 0x9e3779b9)
    const sources = completeReads.map((c) => fromHex(c.hex)).filter((b) => b.length <= 4096)
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]
    const statuses = new Set<string>()
    for (let i = 0; i < 2000; i++) {
      let bytes = Array.from(pick(sources))
      const edits = 1 + Math.floor(next() * 3)
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(next() * (bytes.length + 1))
        switch (Math.floor(next() * 7)) {
          case 0:
            bytes[Math.min(at, bytes.length - 1)] = Math.floor(next() * 256)
            break
          case 1:
            bytes[Math.min(at, bytes.length - 1)] = pick(OPCODES)
            break
          case 2:
            bytes.splice(at, 0, pick(ALPHABET))
            break
          case 3:
            bytes.splice(at, 1 + Math.floor(next() * 4))
            break
          case 4:
            bytes = bytes.slice(0, at)
            break
          case 5: {
            const from = Math.floor(next() * bytes.length)
            bytes.splice(at, 0, ...bytes.slice(from, from + 1 + Math.floor(next() * 16)))
            break
          }
          default: {
            const other = Math.floor(next() * bytes.length)
            ;[bytes[at], bytes[other]] = [bytes[other], bytes[at]]
          }
        }
      }
      const input = new Uint8Array(bytes.map((b) => (b ?? 0) & 0xff))
      check(input, next, `mutation #${i}`)
      statuses.add(readPickle(input).status)
    }
    expect([...statuses].sort(), `seed ${seed}`).toEqual(['complete', 'incomplete', 'invalid'])
  })
})
