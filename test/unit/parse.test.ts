import { describe, expect, it } from 'vitest'
import { clean, isPlainText, parseList, parseNumber, parsePair } from '../../src/main/wire/parse'

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
    expect(parseList(bytes, bytes.toString())).toEqual({ ok: true, value: { values: [3, 7], encoding: 'pickle' } })
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
