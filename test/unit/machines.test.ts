// Each exercise's state machine, data in and actions out, with no network.

import { describe, expect, it } from 'vitest'
import { DEFAULT_WIRE } from '@shared/settings'
import { createClientMachine, createServerMachine } from '../../src/main/exercises'
import type { Action, PeerContext, PeerMachine } from '../../src/main/exercises/machine'
import { seeded } from '../helpers/rng'

const ctx = (over: Partial<PeerContext['wire']> = {}): PeerContext => ({
  wire: { ...DEFAULT_WIRE, ...over },
  rng: seeded(42),
  peerLabel: "('127.0.0.1', 54321)",
})
const msg = (text: string) => ({ bytes: Buffer.from(text), text })
const sends = (actions: Action[]) =>
  actions.flatMap((a) => (a.do === 'send' ? [typeof a.data === 'string' ? a.data : Buffer.from(a.data).toString('hex')] : []))
const prints = (actions: Action[]) => actions.flatMap((a) => (a.do === 'print' ? [a.text] : []))
const has = (actions: Action[], kind: Action['do']) => actions.some((a) => a.do === kind)

describe('greeting', () => {
  it('server: prints Got connection from, greets, prints the acknowledgement and closes', () => {
    const s = createServerMachine('greeting', ctx(), { setSize: 25 })
    const start = s.start()
    expect(prints(start)).toEqual(["Got connection from ('127.0.0.1', 54321)"])
    expect(sends(start)).toEqual(['Thank you for connecting'])
    const after = s.receive(msg('It was nice talking to you\r\n'))
    expect(prints(after)).toEqual(['It was nice talking to you'])
    expect(has(after, 'close')).toBe(true)
  })
  it('client: prints the greeting, answers with the (editable) acknowledgement, done', () => {
    const c = createClientMachine('greeting', ctx(), { ack: 'Bye!' })
    c.start()
    const after = c.receive(msg('Thank you for connecting\0'))
    expect(prints(after)).toEqual(['Thank you for connecting'])
    expect(sends(after)).toEqual(['Bye!'])
    expect(has(after, 'done')).toBe(true)
  })
  it('client: silence is a plain failure', () => {
    const c = createClientMachine('greeting', ctx({ replyTimeoutMs: 2000 }), {})
    expect(c.silence()).toEqual([{ do: 'fail', error: 'No greeting from the server within 2 s' }])
  })
})

describe('dedup and intersection share the list exchange', () => {
  it('server greets only when the client stays quiet (auto), then takes the ack in its stride', () => {
    const s = createServerMachine('dedup', ctx(), { setSize: 25 })
    expect(s.start()).toContainEqual({ do: 'wait', ms: DEFAULT_WIRE.quietMs })
    expect(sends(s.silence())).toEqual(['Thank you for connecting'])
    expect(sends(s.receive(msg('It was nice talking to you')))).toEqual([])
    const answer = s.receive(msg('[4, 4, 2]'))
    expect(sends(answer)).toEqual(['[4, 2]'])
    expect(has(answer, 'close')).toBe(true)
  })
  it('server never greets a client that speaks first', () => {
    const s = createServerMachine('dedup', ctx(), { setSize: 25 })
    s.start()
    expect(sends(s.receive(msg('[1, 1]')))).toEqual(['[1]'])
    expect(s.silence()).toEqual([])
  })
  it('server answers a malformed list with error: and keeps waiting', () => {
    const s = createServerMachine('dedup', ctx({ greetFirst: 'never' }), { setSize: 25 })
    s.start()
    const bad = s.receive(msg('hello'))
    expect(sends(bad)[0]).toMatch(/^error: /)
    expect(s.expect).not.toBeNull()
    expect(sends(s.receive(msg('1 2 2')))).toEqual(['[1, 2]'])
  })
  it('server replies to a pickle with a pickle of the same protocol', () => {
    const s = createServerMachine('dedup', ctx({ greetFirst: 'never' }), { setSize: 25 })
    s.start()
    const pickle = Buffer.from('80025d7100284b034b034b07652e', 'hex') // [3, 3, 7], protocol 2
    const reply = s.receive({ bytes: pickle, text: pickle.toString() })
    expect(sends(reply)[0].startsWith('8002')).toBe(true)
  })
  it('client answers a greeting with the ack and then the list, two sends in one step (paced)', () => {
    const c = createClientMachine('dedup', ctx(), { numbers: [1, 5, 5] })
    c.start()
    const after = c.receive(msg('Thank you for connecting'))
    expect(sends(after)).toEqual(['It was nice talking to you', '[1, 5, 5]'])
  })
  it('client sends the list at once when no greeting comes, and judges the answer', () => {
    const c = createClientMachine('dedup', ctx(), { numbers: [1, 5, 5, 9, 9, 9] })
    c.start()
    expect(sends(c.silence())).toEqual(['[1, 5, 5, 9, 9, 9]'])
    const right = c.receive(msg('[1, 5, 9]'))
    expect(prints(right)).toEqual(['Final list: [1, 5, 9]', 'Duplicates: [5, 9] (5 ×2, 9 ×3)'])
    expect(has(right, 'done')).toBe(true)
  })
  it('client reports a wrong dedup', () => {
    const c = createClientMachine('dedup', ctx({ answerGreeting: false }), { numbers: [1, 5, 5] })
    c.start()
    expect(c.receive(msg('[1, 5, 5]'))).toContainEqual({
      do: 'fail',
      error: 'The answer is wrong: 5 appears more than once in the answer',
    })
  })
  it('intersection server sorts the common numbers; [] when none', () => {
    const s = createServerMachine('intersection', ctx({ greetFirst: 'never' }), { setSize: 0 })
    s.start()
    expect(sends(s.receive(msg('[5, 3]')))).toEqual(['[]'])
  })
  it('intersection client prints the result', () => {
    const c = createClientMachine('intersection', ctx({ answerGreeting: false }), { numbers: [50, 3, 99, 2] })
    c.start()
    const after = c.receive(msg('[2, 3, 50]'))
    expect(prints(after)).toEqual(['Intersection: [2, 3, 50]'])
    expect(has(after, 'done')).toBe(true)
  })
})

describe('adder', () => {
  function ready(): PeerMachine {
    const c = createClientMachine('adder', ctx(), { name: 'alice-4821' })
    expect(sends(c.start())).toEqual(['alice-4821'])
    c.receive(msg('ack\0'))
    return c
  }
  it('server: name, ack, sums, error: for anything else', () => {
    const s = createServerMachine('adder', ctx(), { setSize: 25 })
    const named = s.receive(msg('alice-4821'))
    expect(prints(named)).toEqual(['Connection initiated by alice-4821'])
    expect(sends(named)).toEqual(['ack'])
    expect(sends(s.receive(msg('3 7')))).toEqual(['10'])
    expect(sends(s.receive(msg('3,7\n')))).toEqual(['10'])
    expect(sends(s.receive(msg('three seven')))[0]).toMatch(/^error: expected two numbers/)
  })
  it('client: a prints two numbers 1..10 and sends them bundled; the answer is printed and checked', () => {
    const c = ready()
    const a = c.command!('a')
    const [pair] = sends(a)
    expect(pair).toMatch(/^(10|[1-9]) (10|[1-9])$/)
    expect(prints(a)).toEqual([`Numbers: ${pair}`])
    const [x, y] = pair.split(' ').map(Number)
    const answer = c.receive(msg(String(x + y)))
    expect(prints(answer)).toEqual([`answer received from Server = ${x + y}`])
  })
  it('client: the separator is a setting', () => {
    const c = createClientMachine('adder', ctx({ pairSeparator: ',' }), { name: 'n' })
    c.start()
    c.receive(msg('ack'))
    expect(sends(c.command!('a'))[0]).toMatch(/^\d+,\d+$/)
  })
  it('client: anything else is an Invalid command and sends nothing; q closes', () => {
    const c = ready()
    const x = c.command!('x')
    expect(prints(x)).toEqual(['Invalid command'])
    expect(sends(x)).toEqual([])
    expect(c.command!('q')).toContainEqual({ do: 'close', reason: 'client quit (q)' })
  })
  it('client: commands typed before the ack wait for it', () => {
    const c = createClientMachine('adder', ctx(), { name: 'n' })
    c.start()
    expect(c.command!('a')).toEqual([])
    expect(sends(c.receive(msg('ack')))).toHaveLength(1)
  })
  it('client: anything but ack is a failure', () => {
    const c = createClientMachine('adder', ctx(), { name: 'n' })
    c.start()
    expect(c.receive(msg('nope'))).toEqual([{ do: 'fail', error: 'Expected "ack" from the server, got "nope"' }])
  })
  it('client names get a random suffix, unique per instance', () => {
    const names = new Set(
      Array.from(
        { length: 20 },
        (_, i) => (createClientMachine('adder', { ...ctx(), rng: seeded(i) }, {}) as unknown as { name: string }).name,
      ),
    )
    expect(names.size).toBe(20)
    for (const n of names) expect(n).toMatch(/^student-\d{4}$/)
  })
})
