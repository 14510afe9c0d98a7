import { describe, expect, it } from 'vitest'
import {
  barePair,
  clean,
  isPlainText,
  isRawBytes,
  listsIn,
  parseAnswer,
  parseCounts,
  parseList,
  parseNumber,
  parsePair,
} from '../../src/main/wire/parse'
import { visible } from '../../src/main/wire/text'

const list = (text: string) => parseList(Buffer.from(text), text)

describe("parsePair: the adder's two numbers, however a classmate bundled them", () => {
  it.each([
    ['3 7', [3, 7]],
    ['3,7', [3, 7]],
    ['3+7', [3, 7]],
    ['3;7', [3, 7]],
    ['3, 7\n', [3, 7]],
    ['3 7\r\n', [3, 7]],
    ['3 7\0', [3, 7]],
    ['  10   1 ', [10, 1]],
    ['-3 10', [-3, 10]],
    ['3+-7', [3, -7]],
  ])('%j → %j', (text, want) => {
    expect(parsePair(text)).toEqual({ ok: true, value: want })
  })

  it.each([
    ['', 'expected two numbers, got an empty message'],
    ['   ', 'expected two numbers, got an empty message'],
    ['3', 'expected two numbers, got one value: "3"'],
    ['1 2 3', 'expected two numbers, got 3 values: "1 2 3"'],
    ['a b', 'expected two numbers: "a" is not a number'],
    ['3.5 2', 'expected two numbers: "3.5" is not a whole number'],
    ['99999999999999999999 1', 'expected two numbers: "99999999999999999999" is too large'],
  ])('%j is refused: %s', (text, error) => {
    expect(parsePair(text)).toEqual({ ok: false, error })
  })
})

describe("barePair: the adder's hot path reads the bytes and agrees with parsePair", () => {
  it.each(['3 7', '3,7', '3+7', '3;7', '3, 7\n', '3 7\r\n', '3 7\0', '  10   1 ', '-3 10', '3+-7', '0 -0', '123456789012345 1'])(
    '%j is read in the bytes, as parsePair reads it',
    (text) => {
      const pair = parsePair(text)
      expect(pair.ok).toBe(true)
      expect(barePair(Buffer.from(text))).toEqual(pair.ok ? pair.value : null)
    },
  )

  // Everything else goes to parsePair, which accepts or explains.
  it.each([
    '',
    ' ',
    '3',
    '1 2 3',
    'a b',
    '3.5 2',
    '1234567890123456 1',
    '[3, 7]',
    '(3,7)',
    '3-7',
    '3\u00a07',
    '3 7\u00a0',
    '+3 7',
    'q',
  ])('%j is left to parsePair', (text) => {
    expect(barePair(Buffer.from(text))).toBeNull()
  })

  it('runs in linear time on a long run of separators', () => {
    const text = `1${' '.repeat(65_000)}x`
    expect(barePair(Buffer.from(text))).toBeNull()
    expect(parsePair(text).ok).toBe(false)
  })
})

describe('parseNumber', () => {
  it('reads an answer with trailing endings', () => {
    expect(parseNumber('10\r\n')).toEqual({ ok: true, value: 10 })
    expect(parseNumber('ten').ok).toBe(false)
  })
})

describe('parseList: leniently, as str(list), json, tuples, sets, or separated numbers', () => {
  it.each([
    ['[3, 14, 15]', [3, 14, 15]],
    ['[3,14,15]\n', [3, 14, 15]],
    ['(3, 14)', [3, 14]],
    ['{3, 14}', [3, 14]],
    ['[]', []],
    ['set()', []],
    ['3 14 15', [3, 14, 15]],
    ['3,14,15\0', [3, 14, 15]],
    ['3; 14; 15', [3, 14, 15]],
    ['[-1, 0, 1]', [-1, 0, 1]],
  ])('%j → %j', (text, want) => {
    expect(list(text)).toEqual({ ok: true, value: { values: want, encoding: 'text' } })
  })

  it.each([
    ['', /empty message/],
    ['[1, 2', /does not end with \]/],
    ['[1, two]', /"two" is not a number/],
    ['[1.5]', /not a whole number/],
  ])('%j is refused', (text, error) => {
    const r = list(text)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toMatch(error)
  })

  it('reads a pickle without running it', () => {
    // pickle.dumps([3, 7], protocol=2)
    const bytes = Buffer.from('80025d7100284b034b07652e', 'hex')
    expect(parseList(bytes, bytes.toString())).toEqual({ ok: true, value: { values: [3, 7], encoding: 'pickle', protocol: 2 } })
  })
})

describe('text helpers', () => {
  it('clean strips the endings naive peers leave', () => {
    expect(clean('  ack\r\n\0')).toBe('ack')
  })
  it('isPlainText tells an acknowledgement from a list', () => {
    expect(isPlainText('It was nice talking to you')).toBe(true)
    expect(isPlainText('[1, 2]')).toBe(false)
    expect(isPlainText('1 2')).toBe(false)
    expect(isPlainText('  ')).toBe(false)
  })
})

describe('more of what classmates send', () => {
  it('pairs as a Python or JSON list or tuple', () => {
    expect(parsePair('[3, 7]')).toEqual({ ok: true, value: [3, 7] })
    expect(parsePair('(3, 7)')).toEqual({ ok: true, value: [3, 7] })
    expect(parsePair('[3, 7, 9]').ok).toBe(false)
  })
  it('an answer worded in text: exactly one number, or the one after the last =', () => {
    expect(parseAnswer('13')).toEqual({ ok: true, value: { value: 13, bare: true } })
    expect(parseAnswer('Sum = 13')).toEqual({ ok: true, value: { value: 13, bare: false } })
    expect(parseAnswer('answer: -4')).toEqual({ ok: true, value: { value: -4, bare: false } })
    expect(parseAnswer('3 + 7 = 10')).toEqual({ ok: true, value: { value: 10, bare: false } })
    expect(parseAnswer('3 and 7').ok).toBe(false)
    expect(parseAnswer('sum is 2.5').ok).toBe(false)
  })
  it('raw bytes, one number per byte', () => {
    expect(parseList(Buffer.from([5, 1, 99]), '')).toEqual({ ok: true, value: { values: [5, 1, 99], encoding: 'raw' } })
    expect(isRawBytes(Buffer.from('[1, 2]'))).toBe(false)
  })
  it('the lists inside a labelled reply, each with its label', () => {
    expect(listsIn('received data: [1, 5, 5] modified data: [1, 5] repeating elements: [5]')).toEqual([
      { label: 'received data:', text: '[1, 5, 5]', at: 15 },
      { label: 'modified data:', text: '[1, 5]', at: 40 },
      { label: 'repeating elements:', text: '[5]', at: 67 },
    ])
  })
  it('a dict of counts', () => {
    expect(parseCounts('{5: 2, 7: 3}')).toEqual({
      ok: true,
      value: new Map([
        [5, 2],
        [7, 3],
      ]),
    })
    expect(parseCounts('{"5": 2}')).toEqual({ ok: true, value: new Map([[5, 2]]) })
    expect(parseCounts('[5, 2]').ok).toBe(false)
  })
  it('visible(): a terminal never gets a control sequence from a peer', () => {
    expect(visible('a\x1b]52;c;ZXZpbA==\x07b')).toBe('a\\e]52;c;ZXZpbA==\\x07b')
    expect(visible('fake\rline')).toBe('fake\\rline')
    expect(visible('\u202etxt.exe')).toBe('\\u{202e}txt.exe')
    expect(visible('plain text')).toBe('plain text')
  })
})

describe('every reader is linear in its input', () => {
  const BUDGET_MS = 1500
  const time = (f: () => unknown): number => {
    const t0 = performance.now()
    f()
    return performance.now() - t0
  }
  it('64 KiB of whitespace and separator runs cost milliseconds, not seconds', () => {
    const n = 64 * 1024
    const inputs = [
      ' '.repeat(n) + 'x',
      '1' + ' '.repeat(n) + 'x',
      '1' + ',;+ '.repeat(n / 4) + 'x',
      '[' + ' '.repeat(n),
      '\0'.repeat(n) + 'x',
    ]
    for (const t of inputs) {
      expect(
        time(() => clean(t)),
        'clean',
      ).toBeLessThan(BUDGET_MS)
      expect(
        time(() => parsePair(t)),
        'parsePair',
      ).toBeLessThan(BUDGET_MS)
      expect(
        time(() => parseAnswer(t)),
        'parseAnswer',
      ).toBeLessThan(BUDGET_MS)
      expect(
        time(() => parseList(Buffer.from(t), t)),
        'parseList',
      ).toBeLessThan(BUDGET_MS)
      expect(
        time(() => listsIn(t)),
        'listsIn',
      ).toBeLessThan(BUDGET_MS)
      expect(
        time(() => isPlainText(t)),
        'isPlainText',
      ).toBeLessThan(BUDGET_MS)
    }
  })
})
