import { describe, expect, it } from 'vitest'
import { nextFrame, type Expect } from '../../src/main/wire/framer'

function frames(input: string | Buffer, expect: Expect, quiet = false): string[] {
  let buf = Buffer.isBuffer(input) ? input : Buffer.from(input, 'latin1')
  const out: string[] = []
  for (;;) {
    const { skipped, frame } = nextFrame(buf, expect, quiet)
    if (!frame) break
    out.push(frame.bytes.toString('latin1'))
    buf = buf.subarray(skipped + frame.consumed)
  }
  return out
}

const LIST: Expect = { kind: 'list', leadingText: true }

describe('a message is complete when it parses, a line ends, or the peer goes quiet', () => {
  it('pairs: complete at once without a terminator', () => {
    expect(frames('3 7', { kind: 'pair' })).toEqual(['3 7'])
    expect(frames('3,7\r\n', { kind: 'pair' })).toEqual(['3,7'])
  })
  it('pairs: a split pair waits for the rest', () => {
    expect(frames('3', { kind: 'pair' })).toEqual([])
    expect(frames('3 ', { kind: 'pair' })).toEqual([])
    expect(frames('3', { kind: 'pair' }, true)).toEqual(['3'])
  })
  it('pairs: pipelined lines come apart', () => {
    expect(frames('1 2\n3 4\n5 6\n', { kind: 'pair' })).toEqual(['1 2', '3 4', '5 6'])
  })
  it('text: a name with no terminator needs the quiet moment, a known word does not', () => {
    expect(frames('alice-4821', { kind: 'text' })).toEqual([])
    expect(frames('alice-4821', { kind: 'text' }, true)).toEqual(['alice-4821'])
    expect(frames('ack', { kind: 'text', known: ['ack'] })).toEqual(['ack'])
    expect(frames('ack\0', { kind: 'text', known: ['ack'] })).toEqual(['ack'])
    expect(frames('alice\n', { kind: 'text' })).toEqual(['alice'])
  })
  it('lists: a bracketed list is complete when it closes, a split one waits', () => {
    expect(frames('[3, 14, 15]', LIST)).toEqual(['[3, 14, 15]'])
    expect(frames('[3, 14', LIST)).toEqual([])
    expect(frames('3 14 15', LIST)).toEqual([])
    expect(frames('3 14 15', LIST, true)).toEqual(['3 14 15'])
  })
  it('lists: an acknowledgement glued to the list is separated', () => {
    expect(frames('It was nice talking to you[3, 14, 15]', LIST)).toEqual(['It was nice talking to you', '[3, 14, 15]'])
    expect(frames('It was nice talking to you\r\n[1]\n', LIST)).toEqual(['It was nice talking to you', '[1]'])
  })
  it('lists: a pickle is complete at STOP and may follow a glued acknowledgement', () => {
    const pickle = Buffer.from('80025d7100284b034b07652e', 'hex')
    expect(frames(pickle, LIST)).toEqual([pickle.toString('latin1')])
    expect(frames(pickle.subarray(0, 6), LIST)).toEqual([])
    const glued = Buffer.concat([Buffer.from('thanks'), pickle])
    expect(frames(glued, LIST)).toEqual(['thanks', pickle.toString('latin1')])
  })
  it('leading line endings are dropped, never a message of their own', () => {
    expect(frames('\r\n\0', { kind: 'pair' })).toEqual([])
    expect(frames('\n3 7', { kind: 'pair' })).toEqual(['3 7'])
  })
})
