// The incremental framer: where one message ends, for every shape classmates send, whichever way TCP
// cuts the bytes into chunks, and in linear time on pathological input.

import { describe, expect, it } from 'vitest'
import { Framer, type Expect, type Terminator } from '../../src/main/wire/framer'
import { writePickle } from '../../src/main/wire/pickle'

const LIST: Expect = { kind: 'list', leadingText: true }
const ANSWER: Expect = { kind: 'list', leadingText: false }
const PAIR: Expect = { kind: 'pair' }

/** Push `chunks` one by one and collect every frame (with its terminator); `quiet` at the end. */
function frames(chunks: (string | Buffer)[], expect: Expect, quietAtEnd = false): { text: string; end: Terminator }[] {
  const f = new Framer({ maxMessageBytes: 1 << 20 })
  const out: { text: string; end: Terminator }[] = []
  const drain = (quiet: boolean): void => {
    for (;;) {
      const frame = f.next(expect, quiet)
      if (!frame) break
      out.push({ text: frame.bytes.toString('latin1'), end: frame.terminator })
    }
  }
  for (const c of chunks) {
    f.push(Buffer.isBuffer(c) ? c : Buffer.from(c, 'latin1'))
    drain(false)
  }
  if (quietAtEnd) drain(true)
  return out
}

const texts = (chunks: (string | Buffer)[], expect: Expect, quiet = false): string[] =>
  frames(chunks, expect, quiet).map((x) => x.text)

/** Every way of cutting `input` into two chunks gives the same frames as one chunk. */
function everySplit(input: string, shape: Expect, quiet = false): void {
  const whole = texts([input], shape, quiet)
  for (let i = 1; i < input.length; i++)
    expect(texts([input.slice(0, i), input.slice(i)], shape, quiet), `split at ${i}`).toEqual(whole)
}

describe('a message is complete when it parses, a line ends, or the peer goes quiet', () => {
  it('pairs: complete at once without a terminator, bare or as a Python list', () => {
    expect(texts(['3 7'], PAIR)).toEqual(['3 7'])
    expect(texts(['3,7\r\n'], PAIR)).toEqual(['3,7'])
    expect(texts(['[3, 7]'], PAIR)).toEqual(['[3, 7]'])
    expect(texts(['(3, 7)'], PAIR)).toEqual(['(3, 7)'])
    expect(texts(['q'], PAIR)).toEqual(['q'])
  })
  it('pairs: a split pair waits for the rest, or the quiet moment', () => {
    expect(texts(['3'], PAIR)).toEqual([])
    expect(texts(['3 '], PAIR)).toEqual([])
    expect(texts(['[3, '], PAIR)).toEqual([])
    expect(texts(['3'], PAIR, true)).toEqual(['3'])
    expect(texts(['[3,', ' 7]'], PAIR)).toEqual(['[3, 7]'])
  })
  it('pairs: pipelined lines come apart, in one chunk or byte by byte', () => {
    expect(texts(['1 2\n3 4\n5 6\n'], PAIR)).toEqual(['1 2', '3 4', '5 6'])
    expect(texts([...'1 2\n3 4\n'], PAIR)).toEqual(['1 2', '3 4'])
    everySplit('1 2\n3 4\n[5, 6]\n', PAIR)
  })
  it('text: a name with no terminator needs the quiet moment, a known word does not', () => {
    expect(texts(['alice-4821'], { kind: 'text' })).toEqual([])
    expect(texts(['alice-4821'], { kind: 'text' }, true)).toEqual(['alice-4821'])
    expect(texts(['ack'], { kind: 'text', known: ['ack'] })).toEqual(['ack'])
    expect(texts(['alice\n'], { kind: 'text' })).toEqual(['alice'])
  })
  it('numbers: a bare number at once; a worded answer at its line end or the quiet moment', () => {
    expect(texts(['13'], { kind: 'number' })).toEqual(['13'])
    expect(texts(['Sum = 13'], { kind: 'number' })).toEqual([])
    expect(texts(['Sum = 13'], { kind: 'number' }, true)).toEqual(['Sum = 13'])
    expect(texts(['answer: 13\n'], { kind: 'number' })).toEqual(['answer: 13'])
  })
  it('lists: a bracketed list is complete when it closes, a split one waits, whatever the cut', () => {
    expect(texts(['[1, 2, 3]'], LIST)).toEqual(['[1, 2, 3]'])
    expect(texts(['[1, 2', ', 3]'], LIST)).toEqual(['[1, 2, 3]'])
    expect(texts(['[1, 2'], LIST)).toEqual([])
    expect(texts(['[1, [2], 3]'], LIST)).toEqual(['[1, [2], 3]'])
    everySplit('[1, 5, 5, 9]\n', LIST)
  })
  it('lists: two lists glued in one chunk (final list, then duplicates) come apart', () => {
    expect(texts(['[1, 5, 9][5]'], ANSWER)).toEqual(['[1, 5, 9]', '[5]'])
    everySplit('[1, 5, 9][5]', ANSWER)
  })
  it('lists: an acknowledgement glued to the list is separated; words with brackets are not', () => {
    expect(texts(['It was nice talking to you[3, 14, 15]'], LIST)).toEqual(['It was nice talking to you', '[3, 14, 15]'])
    expect(texts(['thanks (a lot)'], LIST, true)).toEqual(['thanks (a lot)'])
  })
  it('lists: a labelled reply is one message', () => {
    const reply = 'received data: [1, 5, 5] modified data: [1, 5] repeating elements: [5]'
    expect(texts([reply], ANSWER, true)).toEqual([reply])
  })
  it('lists: a pickle is complete at STOP, in any number of chunks, and may follow a glued acknowledgement', () => {
    const p = Buffer.from(writePickle([1, 2, 300, 70000], 4))
    expect(texts([p], LIST)).toEqual([p.toString('latin1')])
    for (let i = 1; i < p.length; i++) expect(texts([p.subarray(0, i), p.subarray(i)], LIST)).toEqual([p.toString('latin1')])
    const bytes = [...p].map((b) => Buffer.from([b]))
    expect(texts(bytes, LIST)).toEqual([p.toString('latin1')])
    expect(texts([Buffer.concat([Buffer.from('hi there'), p])], LIST).length).toBe(2)
  })
  it('lists: raw bytes (bytes([...])) end only by the quiet moment, and 10 and 13 stay numbers', () => {
    const raw = Buffer.from([5, 10, 13, 99, 1, 2])
    expect(texts([raw], LIST)).toEqual([])
    expect(texts([raw], LIST, true)).toEqual([raw.toString('latin1')])
  })
  it('says which terminator ended each message, also when it arrives on its own', () => {
    expect(frames(['ack\n'], { kind: 'text' })[0].end).toBe('lf')
    expect(frames(['ack\r\n'], { kind: 'text' })[0].end).toBe('crlf')
    expect(frames(['Thank you\0'], { kind: 'text' })[0].end).toBe('nul')
    expect(frames(['[1, 2]'], LIST)[0].end).toBe('none')
    expect(frames(['[1, 2]\n'], LIST)[0].end).toBe('lf')
    const f = new Framer({ maxMessageBytes: 100 })
    f.push(Buffer.from('[1, 2]'))
    expect(f.next(LIST, false)?.terminator).toBe('none')
    f.push(Buffer.from('\n'))
    expect(f.next(LIST, false)).toBeNull()
    expect(f.lateTerminator).toBe('lf')
  })
  it('leading line endings are dropped, never a message of their own', () => {
    expect(texts(['\n\r\n\0'], { kind: 'text' }, true)).toEqual([])
    expect(texts(['\n\nack'], { kind: 'text', known: ['ack'] })).toEqual(['ack'])
  })
  it('an unfinished shape is reported, so the session waits longer before a quiet moment cuts it', () => {
    const f = new Framer({ maxMessageBytes: 100 })
    f.push(Buffer.from('[1, 2,'))
    expect(f.next(LIST, false)).toBeNull()
    expect(f.unfinished(LIST)).toBe(true)
    const g = new Framer({ maxMessageBytes: 100 })
    g.push(Buffer.from(writePickle([1, 2], 4)).subarray(0, 6))
    expect(g.next(LIST, false)).toBeNull()
    expect(g.unfinished(LIST)).toBe(true)
    const h = new Framer({ maxMessageBytes: 100 })
    h.push(Buffer.from('hello'))
    expect(h.next({ kind: 'text' }, false)).toBeNull()
    expect(h.unfinished({ kind: 'text' })).toBe(false)
  })
  it('text has no unfinished shape: a name that looks like a pickle or an open bracket ends at its line', () => {
    const f = new Framer({ maxMessageBytes: 100 })
    f.push(Buffer.from('(lisa'))
    expect(f.next({ kind: 'text' }, false)).toBeNull()
    expect(f.unfinished({ kind: 'text' })).toBe(false)
    f.push(Buffer.from(')\n'))
    expect(f.next({ kind: 'text' }, false)?.bytes.toString()).toBe('(lisa)')
    expect(texts(['(lp0\n'], { kind: 'text' })).toEqual(['(lp0'])
    // As a list, the same bytes are a protocol-0 pickle in progress.
    const g = new Framer({ maxMessageBytes: 100 })
    g.push(Buffer.from('(lp0\nI1\n'))
    expect(g.next(LIST, false)).toBeNull()
    expect(g.unfinished(LIST)).toBe(true)
  })
  it('a peer that ends its lines: a bare number or pair is whole at its ending, not when its digits so far parse', () => {
    const NUMBER: Expect = { kind: 'number' }
    const dribbled = (shape: Expect, chunks: string[], endsLines: boolean): string[] => {
      const f = new Framer({ maxMessageBytes: 100 })
      const out: string[] = []
      for (const c of chunks) {
        f.push(Buffer.from(c))
        for (let frame = f.next(shape, false, endsLines); frame; frame = f.next(shape, false, endsLines))
          out.push(frame.bytes.toString())
      }
      return out
    }
    expect(dribbled(NUMBER, ['1', '2', '\n'], true)).toEqual(['12'])
    expect(dribbled(PAIR, ['12 3', '4\n'], true)).toEqual(['12 34'])
    // A peer with no line endings: its bare number is whole as soon as it parses (nothing else will end it).
    expect(dribbled(NUMBER, ['12'], false)).toEqual(['12'])
    expect(dribbled(PAIR, ['3 7'], false)).toEqual(['3 7'])
  })
  it('reports too long when more than the limit waits without a message in it', () => {
    const f = new Framer({ maxMessageBytes: 16 })
    f.push(Buffer.from('x'.repeat(17)))
    expect(f.next({ kind: 'text' }, false)).toBeNull()
    expect(f.tooLong).toBe(true)
  })
})

describe('linear time on pathological input', () => {
  /** Milliseconds to frame `input` fed in `chunk`-byte pieces. */
  function cost(input: Buffer, shape: Expect, chunk: number): number {
    const f = new Framer({ maxMessageBytes: 1 << 20 })
    const t0 = performance.now()
    for (let i = 0; i < input.length; i += chunk) {
      f.push(input.subarray(i, i + chunk))
      while (f.next(shape, false));
    }
    while (f.next(shape, true));
    return performance.now() - t0
  }

  // A fixed budget far above what linear work needs (a few ms) and far below the seconds quadratic work took.
  const BUDGET_MS = 1500
  const big = 64 * 1024

  it('whitespace runs, separator runs and unclosed brackets up to 64 KiB, in one chunk or dribbled', () => {
    const inputs: [string, Buffer, Expect][] = [
      ['spaces then x (adder name)', Buffer.from(' '.repeat(big) + 'x'), { kind: 'text' }],
      ['1, spaces, x (pair)', Buffer.from('1' + ' '.repeat(big) + 'x'), PAIR],
      ['separator run (pair)', Buffer.from('1' + ',;+ '.repeat(big / 4) + 'x'), PAIR],
      ['open brackets (list)', Buffer.from('['.repeat(big)), LIST],
      ['spaces in a list', Buffer.from('[' + ' '.repeat(big)), LIST],
    ]
    for (const [name, input, shape] of inputs) {
      expect(cost(input, shape, input.length), `${name}, one chunk`).toBeLessThan(BUDGET_MS)
      expect(cost(input, shape, 7), `${name}, 7-byte chunks`).toBeLessThan(BUDGET_MS)
    }
  })

  it('text then an opened bracket and a run of blanks, dribbled a byte at a time, costs one pass', () => {
    // Before the list-or-text question kept its scan, each byte re-walked the blanks: 2 s at 64 KiB.
    for (const open of ['[', '(']) {
      const input = Buffer.from('ack' + open + ' '.repeat(big))
      expect(cost(input, LIST, 1), `ack${open} + blanks, 1-byte chunks`).toBeLessThan(BUDGET_MS)
    }
  })

  it('a pickle that never finishes, dribbled a byte at a time, costs one pass', () => {
    const p = Buffer.from(
      writePickle(
        Array.from({ length: 8000 }, (_, i) => i),
        4,
      ),
    )
    const unfinished = p.subarray(0, p.length - 1)
    expect(cost(unfinished, LIST, 1)).toBeLessThan(BUDGET_MS)
  })
})

describe('pipelined messages cost one pass in all', () => {
  it('thousands of requests in one 256 KiB buffer are framed in linear time', () => {
    const f = new Framer({ maxMessageBytes: 1 << 20 })
    f.push(Buffer.from('3 7\n'.repeat(64 * 1024)))
    const t0 = performance.now()
    let n = 0
    while (f.next({ kind: 'pair' }, false)) n++
    expect(n).toBe(64 * 1024)
    expect(performance.now() - t0).toBeLessThan(1500)
  })
  it('pipelined pickles likewise', () => {
    const f = new Framer({ maxMessageBytes: 1 << 20 })
    const p = Buffer.from(writePickle([1, 2, 3], 4))
    f.push(Buffer.concat(Array.from({ length: 20_000 }, () => p)))
    const t0 = performance.now()
    let n = 0
    while (f.next({ kind: 'list', leadingText: true }, false)) n++
    expect(n).toBe(20_000)
    expect(performance.now() - t0).toBeLessThan(1500)
  })
})

describe('text glued to a list, the blanks after its bracket arriving apart', () => {
  it('is the text, then the list, whichever way the blanks are cut', () => {
    expect(texts(['ack[', '  ', ' ', '3, 4]'], LIST)).toEqual(['ack', '[   3, 4]'])
    expect(texts(['thanks (', ' ', 'a lot)\n'], LIST)).toEqual(['thanks ( a lot)'])
  })
})

describe('raw bytes that happen to hold a bracket', () => {
  it('are one raw list, not text then a list', () => {
    const raw = Buffer.from([65, 91, 5, 40, 3, 93])
    expect(texts([raw], LIST, true)).toEqual([raw.toString('latin1')])
  })
})

describe('soloPair: the fast lane frames a lone bare pair exactly as next() does', () => {
  it.each(['3 7', '3,7', '3+7', ' 3 7 ', '-3\t7', '3 7\n', '3 7\r\n', '3 7\0', '12345 67890\n'])('%j', (text) => {
    const chunk = Buffer.from(text)
    const fast = new Framer({ maxMessageBytes: 1024 })
    const length = fast.soloPair(chunk)
    expect(length).toBeGreaterThanOrEqual(0)
    const usual = new Framer({ maxMessageBytes: 1024 })
    usual.push(chunk)
    const frame = usual.next(PAIR, false)
    expect(frame).not.toBeNull()
    expect(chunk.subarray(0, length).toString('latin1')).toBe(frame!.bytes.toString('latin1'))
    expect(fast.lateTerminator).toBe(frame!.terminator)
    expect(usual.buffered).toBe(0)
    // Nothing was kept: the next chunk starts afresh.
    expect(fast.buffered).toBe(0)
  })

  // Anything the usual way would hold, split or wait on is left to it.
  it.each(['', '3', '3 7\n4 5\n', '3\n7', '3 7\r', '\n3 7', '[3, 7]', 'q', '3 7 9', 'x'.repeat(60), '3 7\n\n'])(
    '%j is left to the usual way',
    (text) => {
      expect(new Framer({ maxMessageBytes: 1024 }).soloPair(Buffer.from(text))).toBe(-1)
    },
  )

  it('never while something is pending', () => {
    const f = new Framer({ maxMessageBytes: 1024 })
    f.push(Buffer.from('3'))
    expect(f.soloPair(Buffer.from(' 7'))).toBe(-1)
  })
})

describe('a number or a pair that starts like a pickle', () => {
  it('is one pickle, whole at its STOP, never cut at the line endings inside it', () => {
    const p0 = '(lp0\nI3\naI7\na.'
    expect(texts([p0], PAIR)).toEqual([p0])
    expect(texts(['(lp0\n', 'I3\naI7\n'], PAIR)).toEqual([])
    expect(texts(['(lp0\n', 'I3\naI7\n'], PAIR, true)).toEqual(['(lp0\nI3\naI7'])
    expect(texts(['(lp0\nI1\n'], { kind: 'number' })).toEqual([])
  })
})
