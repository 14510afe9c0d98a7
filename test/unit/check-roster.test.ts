// The room board's roster: a strict CSV (team,host,port,question) read in one pass, every bad line named
// with its line number as a field (the app shows each where it is), linear on hostile input.

import { describe, expect, it } from 'vitest'
import { parseRoster, rosterColumns, rosterErrorText } from '../../src/main/check/roster'

const HEADER = 'team,host,port,question'

describe('roster', () => {
  it('reads teams, trims fields, lower-cases the question, accepts CRLF, quotes and blank lines', () => {
    const { entries, errors } = parseRoster(
      `${HEADER}\r\n Team A ,127.0.0.1,12345,ADDER\r\n\r\n"B, the second",localhost,1,dedup\r\n`,
    )
    expect(errors).toEqual([])
    expect(entries).toEqual([
      { team: 'Team A', host: '127.0.0.1', port: 12345, question: 'adder' },
      { team: 'B, the second', host: 'localhost', port: 1, question: 'dedup' },
    ])
  })

  it('names every bad line by its number, and checks nothing when one is bad', () => {
    const csv = [
      HEADER,
      'a,127.0.0.1,12345,adder',
      'b,127.0.0.1,12345',
      ',127.0.0.1,12345,adder',
      'A,127.0.0.1,12345,adder',
      'c,127.0.0.256,12345,adder',
      'd,127.0.0.1,0,adder',
      'e,127.0.0.1,12x,adder',
      'f,127.0.0.1,12345,chat',
      'g,"127.0.0.1"x,12345,adder',
    ].join('\n')
    const { errors } = parseRoster(csv)
    expect(errors.map((e) => e.line)).toEqual([10, 3, 4, 5, 6, 7, 8, 9])
    const text = errors.map(rosterErrorText)
    expect(text).toContain('line 3: expected 4 fields (team,host,port,question), got 3')
    expect(text).toContain('line 4: the team is empty')
    expect(text).toContain('line 5: team "A" appears twice')
    expect(text.find((t) => t.startsWith('line 6: host:'))).toBeTruthy()
    expect(text).toContain('line 7: port "0" is not a port number (1 to 65535)')
    expect(text).toContain('line 8: port "12x" is not a port number (1 to 65535)')
    expect(text).toContain('line 9: question "chat" is not one of greeting, dedup, intersection, adder, adder-many')
    expect(text).toContain('line 10: text after a closing quote (put a comma after the quoted field)')
  })

  it('a missing or wrong header, an empty file, a quote never closed', () => {
    expect(parseRoster('').errors).toEqual([
      { line: null, message: 'the roster is empty: the first line is team,host,port,question' },
    ])
    expect(parseRoster('name,ip,port,task\n').errors[0].line).toBe(1)
    expect(parseRoster(`${HEADER}\n"a,127.0.0.1,1,adder\n`).errors.map(rosterErrorText)).toEqual([
      'line 2: a quoted field is never closed',
    ])
  })

  it('the board has one column per check of the roster’s questions', () => {
    expect(rosterColumns(['greeting'])).toEqual(['connect', 'greeting', 'acknowledgement', 'close', 'next-client'])
    expect(rosterColumns(['adder', 'adder-many'])).toContain('concurrent')
  })

  it('is linear in the size of the file', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `t${i},127.0.0.1,${(i % 60000) + 1},adder`)
    const t = Date.now()
    const { entries, errors } = parseRoster([HEADER, ...lines].join('\n'))
    expect(entries).toHaveLength(500)
    expect(errors.map(rosterErrorText)).toEqual(['line 502: more than 500 teams'])
    parseRoster(`${HEADER}\n${'"'.repeat(1)}${','.repeat(1_000_000)}`)
    // A quadratic reader would take minutes on this input; the bound leaves room for a loaded machine.
    expect(Date.now() - t).toBeLessThan(20_000)
  })
})
