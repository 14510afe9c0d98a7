// The checker's readers of students' replies and printed lines, and the roster's CSV reader: what they
// accept, what they refuse, and that they stay linear on hostile input.

import { describe, expect, it } from 'vitest'
import { judgeDuplicates, listsInMessage, orderOf, pickAnswer, type FoundList } from '../../src/main/exercises/answers'
import {
  greetingMatch,
  lineWithBag,
  lineWithSequence,
  numberAfterPhrase,
  outputLines,
  printedDuplicatesLine,
} from '../../src/main/check/printed'
import { parseRoster, readCsv, rosterErrorText } from '../../src/main/check/roster'
import { writePickle } from '../../src/main/wire/pickle'

const lists = (text: string): FoundList[] => listsInMessage(Buffer.from(text), text).lists
const plain = (values: number[], counts?: Map<number, number>): FoundList => ({
  role: 'unknown',
  label: '',
  values,
  ...(counts ? { counts } : {}),
})

describe('lists in a reply', () => {
  it('finds each list with the words before it', () => {
    expect(lists('received: [1, 5, 5] final list: [1, 5] duplicates: [5]')).toEqual([
      { role: 'echo', label: 'received', values: [1, 5, 5] },
      { role: 'answer', label: 'final list', values: [1, 5] },
      { role: 'duplicates', label: 'duplicates', values: [5] },
    ])
    expect(lists('{"final": [1, 2], "duplicates": [2]}').map((l) => l.label)).toEqual(['final', 'duplicates'])
    expect(lists('(3, 4)')).toEqual([plain([3, 4])])
    expect(lists('1 5 9')).toEqual([plain([1, 5, 9])])
    expect(lists('{"final": {"list": [4]}}')).toEqual([{ role: 'unknown', label: 'list', values: [4] }])
    expect(lists('{5: 2, 9: 3}')[0].counts).toEqual(
      new Map([
        [5, 2],
        [9, 3],
      ]),
    )
    const pickle = Buffer.from(writePickle([3, 1, 4]))
    expect(listsInMessage(pickle, pickle.toString('utf8')).lists).toEqual([plain([3, 1, 4])])
  })

  it('is linear on deep or unbalanced brackets', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000)
    const t = Date.now()
    expect(lists(deep)).toEqual([])
    expect(lists('[[[[[[[[[[1, 2').length).toBe(0)
    // A quadratic reader would take minutes on this input; the bound leaves room for a loaded machine.
    expect(Date.now() - t).toBeLessThan(20_000)
  })

  it('picks the answer: the labelled list, never an echo of the list sent; the duplicates next', () => {
    const sent = [1, 5, 5, 9]
    const pick = pickAnswer(lists('received data: [1, 5, 5, 9] modified data: [1, 5, 9] repeating elements: [5]'), sent)
    expect(pick.answer?.values).toEqual([1, 5, 9])
    expect(pick.duplicates?.values).toEqual([5])
    expect(pick.echoes).toBe(1)
    const bare = pickAnswer([...lists('[1, 5, 9]'), ...lists('[5]')], sent)
    expect([bare.answer?.values, bare.duplicates?.values]).toEqual([[1, 5, 9], [5]])
    // A list without repeats dedups to itself: sent back alone, it is the answer, not an echo.
    const distinct = pickAnswer(lists('[1, 5, 9]'), [1, 5, 9], true)
    expect([distinct.answer?.values, distinct.echoes]).toEqual([[1, 5, 9], 0])
  })

  it('judges duplicates in every style real servers use', () => {
    const sent = [1, 5, 5, 5, 9, 9]
    expect(judgeDuplicates(plain([5, 9]), sent)).toMatchObject({ correct: true, style: 'each-once' })
    expect(judgeDuplicates(plain([5, 5, 9]), sent)).toMatchObject({ correct: true, style: 'every-extra' })
    const counts = (entries: [number, number][]): FoundList => plain([], new Map(entries))
    expect(
      judgeDuplicates(
        counts([
          [5, 3],
          [9, 2],
        ]),
        sent,
      ),
    ).toMatchObject({ correct: true, style: 'counts' })
    expect(
      judgeDuplicates(
        counts([
          [5, 2],
          [9, 1],
        ]),
        sent,
      ),
    ).toMatchObject({ correct: true, style: 'counts' })
    expect(
      judgeDuplicates(
        counts([
          [1, 1],
          [5, 3],
          [9, 2],
        ]),
        sent,
      ),
    ).toMatchObject({ correct: true })
    expect(judgeDuplicates(counts([[5, 3]]), sent)).toMatchObject({
      correct: false,
      why: 'the count of 9 is missing; it was sent 2 times',
    })
    expect(judgeDuplicates(plain([1]), sent)).toMatchObject({ correct: false, why: '1 was sent only once', expected: [5, 9] })
    expect(judgeDuplicates(plain([5]), sent)).toMatchObject({ correct: false, why: '9 is missing' })
    expect(judgeDuplicates(plain([7]), sent)).toMatchObject({ correct: false, why: '7 was never sent' })
  })

  it('tells the order of a dedup answer', () => {
    expect(orderOf([9, 1, 5], [9, 1, 9, 5])).toBe('first-occurrence')
    expect(orderOf([1, 5, 9], [9, 1, 9, 5])).toBe('ascending')
    expect(orderOf([5, 9, 1], [9, 1, 9, 5])).toBe('other')
  })
})

describe('sums, greetings and printed lines', () => {
  it("knows the handout's greeting, a close variant, and other words", () => {
    expect(greetingMatch('Thank you for connecting')).toBe('exact')
    expect(greetingMatch('thank you for connecting!\n')).toBe('close')
    expect(greetingMatch('Thanks for connecting')).toBe('close')
    expect(greetingMatch('Thank you for connecting to my server')).toBe('close')
    expect(greetingMatch('Hello client, welcome to my server!')).toBe('other')
  })

  it('finds printed numbers wherever they stand on a line', () => {
    const lines = outputLines(
      'Enter command: Numbers: 3 7\r\nEnter command: answer received from Server = 10\nFinal list: [1, 5, 9]\nDuplicates: {9, 5}',
    )
    expect(lines).toHaveLength(4)
    expect(numberAfterPhrase(lines[1], 'answer received from Server')).toBe(10)
    expect(numberAfterPhrase('ANSWER  received from server:12', 'answer received from Server')).toBe(12)
    expect(lineWithSequence(lines, [3, 7])).toBe(lines[0])
    expect(lineWithSequence(lines, [1, 5, 9])).toBe(lines[2])
    expect(lineWithSequence(lines, [5, 9])).toBe(lines[2])
    expect(lineWithBag(lines, [5, 5])).toBeNull()
    // The duplicates are not found inside the final list itself: on their own line, or after it.
    expect(printedDuplicatesLine(lines, [1, 5, 9], [[5, 9]])).toBe(lines[3])
    expect(printedDuplicatesLine(['final [1, 5, 9] dups [9, 5]'], [1, 5, 9], [[5, 9]])).not.toBeNull()
    expect(printedDuplicatesLine(['final [1, 5, 9]'], [1, 5, 9], [[5, 9]])).toBeNull()
    expect(lineWithSequence(['step2 of3 done'], [2])).toBeNull()
  })
})

describe('roster CSV', () => {
  it('reads quoted fields, doubled quotes, CRLF and a BOM', () => {
    const { rows, errors } = readCsv('\ufeffa,"b, c","say ""hi"""\r\n\r\nd,e,f')
    expect(errors).toEqual([])
    expect(rows).toEqual([
      { line: 1, fields: ['a', 'b, c', 'say "hi"'] },
      { line: 3, fields: ['d', 'e', 'f'] },
    ])
  })

  it('names each bad line', () => {
    expect(readCsv('a,b"c,d\nx,"y"z').errors.map((e) => e.message)).toEqual([
      'line 1: a quote inside an unquoted field (quote the whole field: "…")',
      'line 2: text after a closing quote (put a comma after the quoted field)',
    ])
    expect(rosterErrorText(parseRoster('team,host\n').errors[0])).toMatch(
      /line 1: the first line must be the header team,host,port,question/,
    )
    expect(rosterErrorText(parseRoster('').errors[0])).toMatch(/the roster is empty/)
  })

  it('is linear on a huge line', () => {
    const t = Date.now()
    readCsv(`${'"'.repeat(1)}${'x'.repeat(2_000_000)}`)
    readCsv(','.repeat(2_000_000))
    // A quadratic reader would take minutes on this input; the bound leaves room for a loaded machine.
    expect(Date.now() - t).toBeLessThan(20_000)
  })
})
