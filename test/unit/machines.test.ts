// Each exercise's state machine, data in and actions out, with no network: the handout's lines, the
// never-crash greeting flow, the duplicates as a second message, answers judged as received.

import { describe, expect, it } from 'vitest'
import { DEFAULT_WIRE } from '@shared/settings'
import { createClientMachine, createServerMachine } from '../../src/main/exercises'
import { AdderClient } from '../../src/main/exercises/adder'
import type { Action, PeerContext } from '../../src/main/exercises/machine'
import { writePickle } from '../../src/main/wire/pickle'
import { LinkTiming } from '../../src/main/net/timing'
import { seeded } from '../helpers/rng'

const ctx = (over: Partial<PeerContext['wire']> = {}, extra: Partial<PeerContext> = {}): PeerContext => {
  const wire = { ...DEFAULT_WIRE, ...over }
  return {
    wire,
    rng: seeded(42),
    peerLabel: "('127.0.0.1', 54321)",
    timing: new LinkTiming({ quietMs: wire.quietMs, paceMs: wire.paceMs }, { srtt: 0.5, rttvar: 0.25 }),
    ...extra,
  }
}
const msg = (text: string | Buffer) =>
  typeof text === 'string' ? { bytes: Buffer.from(text), text } : { bytes: text, text: text.toString('utf8') }
const sends = (actions: Action[]) =>
  actions.flatMap((a) =>
    a.do === 'send'
      ? [typeof a.data === 'string' ? a.data : Buffer.from(a.data).toString('hex')]
      : a.do === 'send-list'
        ? [`list ${JSON.stringify(a.values)}`]
        : [],
  )
const prints = (actions: Action[]) => actions.flatMap((a) => (a.do === 'print' ? [a.text] : []))
const has = (actions: Action[], kind: Action['do']) => actions.some((a) => a.do === kind)
const result = (actions: Action[]) => actions.find((a) => a.do === 'result')?.result
const failure = (actions: Action[]) => actions.find((a): a is Extract<Action, { do: 'fail' }> => a.do === 'fail')?.error

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
    const after = c.receive(msg('Thank you for connecting'))
    expect(prints(after)).toEqual(['Thank you for connecting'])
    expect(sends(after)).toEqual(['Bye!'])
    expect(has(after, 'done')).toBe(true)
  })
  it('client: silence is a plain failure, unless our own one-at-a-time server is busy (then it waits)', () => {
    const c = createClientMachine('greeting', ctx({ replyTimeoutMs: 2000 }), {})
    c.start()
    expect(c.silence()).toEqual([{ do: 'fail', error: 'No greeting from the server within 2 s' }])
    const w = createClientMachine('greeting', ctx({}, { serverBusy: () => true }), {})
    expect(prints(w.start())).toEqual(['waiting: the server is serving another client (one at a time)'])
    expect(failure(w.silence())).toBeUndefined()
  })
  it('client: an error reply is shown whole, brackets and all', () => {
    const c = createClientMachine('greeting', ctx(), {})
    c.start()
    expect(failure(c.receive(msg('error: every number must be in [1, 100]')))).toBe(
      'The server answered with an error: "error: every number must be in [1, 100]"',
    )
  })
})

describe('dedup and intersection share the list exchange', () => {
  it('server greets only when the client stays quiet (auto), then takes the ack in its stride', () => {
    const s = createServerMachine('dedup', ctx(), { setSize: 25 })
    expect(s.start()).toContainEqual({ do: 'wait', ms: DEFAULT_WIRE.quietMs })
    expect(sends(s.silence())).toEqual(['Thank you for connecting'])
    expect(sends(s.receive(msg('It was nice talking to you')))).toEqual([])
    const answer = s.receive(msg('[4, 4, 2]'))
    // The final list, then the duplicates as a second message (paced by the session).
    expect(sends(answer)).toEqual(['list [4,2]', 'list [4]'])
    expect(has(answer, 'close')).toBe(true)
  })
  it('server takes an acknowledgement sent before any greeting, and then never greets', () => {
    const s = createServerMachine('dedup', ctx(), { setSize: 25 })
    s.start()
    const ack = s.receive(msg('It was nice talking to you'))
    expect(prints(ack)).toEqual(['It was nice talking to you'])
    expect(sends(ack)).toEqual([])
    expect(s.silence()).toEqual([])
    expect(sends(s.receive(msg('[1, 1]')))).toEqual(['list [1]', 'list [1]'])
  })
  it('server never greets a client that speaks first', () => {
    const s = createServerMachine('dedup', ctx(), { setSize: 25 })
    s.start()
    expect(sends(s.receive(msg('[1, 1, 2]')))).toEqual(['list [1,2]', 'list [1]'])
    expect(s.silence()).toEqual([])
  })
  it('server answers a malformed list with error: and keeps waiting', () => {
    const s = createServerMachine('dedup', ctx({ greetFirst: 'never' }), { setSize: 25 })
    s.start()
    const bad = s.receive(msg('[1, x]'))
    expect(sends(bad)[0]).toMatch(/^error: /)
    expect(has(bad, 'close')).toBe(false)
    expect(sends(s.receive(msg('[2, 2]')))).toEqual(['list [2]', 'list [2]'])
  })
  it('server notes a pickle (and its protocol) so the session answers in kind', () => {
    const s = createServerMachine('dedup', ctx(), { setSize: 25 })
    s.start()
    const answer = s.receive(msg(Buffer.from(writePickle([3, 3, 7], 2))))
    expect(answer).toContainEqual({ do: 'heard', encoding: 'pickle', protocol: 2 })
  })
  it('server reads raw bytes (bytes([…])) and notes them', () => {
    const s = createServerMachine('dedup', ctx(), { setSize: 25 })
    s.start()
    const answer = s.receive(msg(Buffer.from([5, 1, 5, 2])))
    expect(answer).toContainEqual({ do: 'heard', encoding: 'raw', protocol: undefined })
    expect(sends(answer)).toEqual(['list [5,1,2]', 'list [5]'])
  })
  it('client: after a greeting it sends the list WITHOUT an acknowledgement (a greeting → list server would crash on it)', () => {
    const c = createClientMachine('dedup', ctx(), { numbers: [1, 5, 5] })
    c.start()
    const after = c.receive(msg('Thank you for connecting'))
    expect(sends(after)).toEqual(['list [1,5,5]'])
  })
  it('client: a server that greeted and then says nothing read the list as its ack: the list goes again, once', () => {
    const c = createClientMachine('dedup', ctx(), { numbers: [1, 5, 5] })
    c.start()
    c.receive(msg('Thank you for connecting'))
    const again = c.silence()
    expect(sends(again)).toEqual(['list [1,5,5]'])
    expect(prints(again)[0]).toMatch(/read our list as its acknowledgement/)
    const answer = c.receive(msg('[1, 5]'))
    expect(sends(answer)).toEqual([])
    const judged = c.silence()
    expect(has(judged, 'done')).toBe(true)
  })
  it('client: a greeting that arrives after the list went out (a slow link) is shown, and the list goes again', () => {
    const c = createClientMachine('dedup', ctx(), { numbers: [1, 5, 5] })
    c.start()
    // The greeting wait ran out: the list goes without it.
    expect(sends(c.silence())).toEqual(['list [1,5,5]'])
    // Then the greeting lands: shown as what it is, not taken for the answer.
    const late = c.receive(msg('Thank you for connecting'))
    expect(prints(late)).toEqual(['Thank you for connecting'])
    expect(sends(late)).toEqual([])
    expect(has(late, 'fail')).toBe(false)
    // A greeting → ack → list server read our list as its acknowledgement: no answer comes, the list goes again.
    const again = c.silence()
    expect(sends(again)).toEqual(['list [1,5,5]'])
    c.receive(msg('[1, 5]'))
    expect(result(c.silence())).toMatchObject({ verdict: 'correct' })
  })
  it('client: a server that greets late and then closes is told plainly, not as a bare "closed before answering"', () => {
    const c = createClientMachine('dedup', ctx(), { numbers: [1, 2] })
    c.start()
    c.silence()
    c.receive(msg('Thank you for connecting'))
    expect(failure(c.ended())).toBe('The server closed the connection after its greeting, without answering the list')
  })
  it('client: acknowledge before-list sends the ack, then the list', () => {
    const c = createClientMachine('dedup', ctx({ acknowledge: 'before-list' }), { numbers: [2], ack: 'hi' })
    c.start()
    expect(sends(c.receive(msg('Thank you for connecting')))).toEqual(['hi', 'list [2]'])
  })
  it('client: a server that said nothing at all may be busy: it waits, with no timeout', () => {
    const c = createClientMachine('dedup', ctx(), { numbers: [1, 2] })
    c.start()
    c.silence() // no greeting: the list goes out
    const waiting = c.silence()
    expect(prints(waiting)).toEqual(['waiting: no reply yet (the server may be serving another client, one at a time)'])
    expect(has(waiting, 'fail')).toBe(false)
    expect(c.silence()).toEqual([])
  })
  it('client: the final list and the duplicates as a second message, both judged', () => {
    const c = createClientMachine('dedup', ctx(), { numbers: [1, 5, 5, 9, 1] })
    c.start()
    c.silence()
    c.receive(msg('[1, 5, 9]'))
    c.receive(msg('[1, 5]'))
    const judged = c.silence()
    expect(prints(judged)).toEqual(['Final list: [1, 5, 9]', 'Duplicates (from the server): [1, 5]'])
    expect(result(judged)).toMatchObject({ verdict: 'correct', serverDuplicates: { style: 'each-once', correct: true } })
  })
  it('client: duplicates as every extra occurrence, or as a dict of counts, are accepted', () => {
    for (const dups of ['[5, 5, 1]', '{1: 2, 5: 3}', '{1: 1, 5: 2}']) {
      const c = createClientMachine('dedup', ctx(), { numbers: [1, 5, 5, 5, 1] })
      c.start()
      c.silence()
      c.receive(msg('[1, 5]'))
      c.receive(msg(dups))
      const judged = c.silence()
      expect(result(judged), dups).toMatchObject({ verdict: 'correct', serverDuplicates: { correct: true } })
      expect(has(judged, 'done')).toBe(true)
    }
  })
  it('client: a wrong duplicates list is a plain failure naming both', () => {
    const c = createClientMachine('dedup', ctx(), { numbers: [1, 5, 5] })
    c.start()
    c.silence()
    c.receive(msg('[1, 5]'))
    c.receive(msg('[1]'))
    expect(failure(c.silence())).toBe(
      "The answer is wrong: the server's duplicates list is wrong: it says [1]; the numbers sent more than once are [5]",
    )
  })
  it('client: a labelled reply is judged on its labelled list, never on the echo of our own list', () => {
    const c = createClientMachine('dedup', ctx(), { numbers: [1, 5, 5] })
    c.start()
    c.silence()
    c.receive(msg('received data: [1, 5, 5] modified data: [1, 5] repeating elements: [5]'))
    const judged = c.silence()
    expect(result(judged)).toMatchObject({ verdict: 'correct', final: [1, 5], serverDuplicates: { values: [5], correct: true } })
  })
  it('client: when no answer can be found it says so instead of a verdict', () => {
    const c = createClientMachine('dedup', ctx(), { numbers: [1, 5, 5] })
    c.start()
    c.silence()
    c.receive(msg('received data: [1, 5, 5]'))
    const judged = c.silence()
    expect(result(judged)).toMatchObject({ verdict: 'unknown' })
    expect(has(judged, 'fail')).toBe(false)
  })
  it('intersection server sorts the common numbers; [] when none', () => {
    const s = createServerMachine('intersection', ctx(), { setSize: 100 })
    s.start()
    expect(sends(s.receive(msg('[9, 3, 5]')))).toEqual(['list [3,5,9]'])
    const none = createServerMachine('intersection', ctx(), { setSize: 0 })
    none.start()
    expect(sends(none.receive(msg('[9, 3, 5]')))).toEqual(['list []'])
  })
  it('intersection client: without the server’s set, a valid answer only "looks valid"', () => {
    const c = createClientMachine('intersection', ctx(), { numbers: [3, 5, 9] })
    c.start()
    c.silence()
    c.receive(msg('[3, 9]'))
    const judged = c.silence()
    expect(prints(judged)[0]).toBe('Intersection: [3, 9]')
    expect(result(judged)).toMatchObject({ verdict: 'looks-valid' })
  })
  it('intersection client: a server that says its set is checked in full', () => {
    const c = createClientMachine('intersection', ctx(), { numbers: [3, 5, 9] })
    c.start()
    c.silence()
    c.receive(msg('Server set: [1, 3, 5] Common: [3]'))
    expect(failure(c.silence())).toMatch(/with the server's set \[1, 3, 5\] the common numbers are \[3, 5\]/)
  })
  it('intersection client: unsorted is wrong', () => {
    const c = createClientMachine('intersection', ctx(), { numbers: [3, 5, 9] })
    c.start()
    c.silence()
    c.receive(msg('[9, 3]'))
    expect(failure(c.silence())).toMatch(/not sorted/)
  })
})

describe('adder (Lab 2)', () => {
  it('server: the name, ack, each sum (bare or as a Python list), q; the console shows who and what', () => {
    const s = createServerMachine('adder', ctx(), { setSize: 25 })
    s.start()
    const named = s.receive(msg('alice-4821'))
    expect(prints(named)).toEqual(['Connection initiated by alice-4821'])
    expect(sends(named)).toEqual(['ack'])
    expect(sends(s.receive(msg('3 7')))).toEqual(['10'])
    expect(sends(s.receive(msg('[3, 7]')))).toEqual(['10'])
    expect(prints(s.receive(msg('(1, 2)')))).toEqual(['alice-4821: 1 + 2 = 3'])
    expect(prints(s.receive(msg('q')))).toEqual(['alice-4821 left (q)'])
  })
  it('the end of a connection is told as it happened: a FIN, a reset, a vanished peer, or this side', () => {
    const named = (): ReturnType<typeof createServerMachine> => {
      const s = createServerMachine('adder', ctx(), { setSize: 25 })
      s.start()
      s.receive(msg('alice-4821'))
      return s
    }
    expect(prints(named().ended())).toEqual(['alice-4821 closed the connection'])
    expect(prints(named().ended({ closedBy: 'peer', closeKind: 'reset' }))).toEqual(['alice-4821 reset the connection'])
    // Keepalive (or retransmissions) gave up: nobody closed it, the peer vanished.
    expect(prints(named().ended({ closeKind: 'timeout' }))).toEqual(['alice-4821 stopped answering (the connection timed out)'])
    expect(prints(named().ended({ closedBy: 'us', closeKind: 'fin' }))).toEqual(['alice-4821 was disconnected by this side'])
    const c = new AdderClient(ctx(), 'bob-1')
    c.start()
    c.receive(msg('ack'))
    c.command('a')
    expect(failure(c.ended({ closeKind: 'timeout' }))).toBe(
      'The server stopped answering (the connection timed out) before answering',
    )
    const g = createClientMachine('greeting', ctx(), {})
    g.start()
    expect(failure(g.ended())).toBe('The server closed the connection before sending its greeting')
    const l = createServerMachine('dedup', ctx(), { setSize: 25 })
    l.start()
    expect(prints(l.ended({ closedBy: 'peer', closeKind: 'reset' }))).toEqual([
      'The client reset the connection before sending its list',
    ])
  })
  it('client: a prints two numbers 1..10 and sends them bundled; the answer is printed and checked', () => {
    const c = new AdderClient(ctx(), 'bob-1')
    expect(sends(c.start())).toEqual(['bob-1'])
    c.receive(msg('ack'))
    const a = c.command('a')
    expect(prints(a)[0]).toBe('> a')
    const [x, y] = prints(a)[1].replace('Numbers: ', '').split(' ').map(Number)
    expect(x).toBeGreaterThanOrEqual(1)
    expect(y).toBeLessThanOrEqual(10)
    expect(sends(a)).toEqual([`${x} ${y}`])
    const answer = c.receive(msg(String(x + y)))
    expect(prints(answer)).toEqual([`answer received from Server = ${x + y}`])
  })
  it('client: a worded answer (Sum = 13, answer: 13, 3 + 7 = 10) is read and shown as received', () => {
    for (const words of ['Sum = %', 'answer: %', '%x + %y = %']) {
      const c = new AdderClient(ctx(), 'bob-1')
      c.start()
      c.receive(msg('ack'))
      const [x, y] = prints(c.command('a'))[1].replace('Numbers: ', '').split(' ').map(Number)
      const text = words
        .replace('%x', String(x))
        .replace('%y', String(y))
        .replace('%', String(x + y))
      const answer = c.receive(msg(text))
      expect(prints(answer)[0], text).toBe(`answer received from Server = ${x + y} (the server sent ${JSON.stringify(text)})`)
      expect(result(answer)).toMatchObject({ correct: true })
    }
  })
  it('client: the separator is a setting', () => {
    const c = new AdderClient(ctx({ pairSeparator: ',' }), 'bob-1')
    c.start()
    c.receive(msg('ack'))
    expect(sends(c.command('a'))[0]).toMatch(/^\d+,\d+$/)
  })
  it('client: anything else is an Invalid command and sends nothing; q closes; every command echoed', () => {
    const c = new AdderClient(ctx(), 'bob-1')
    c.start()
    c.receive(msg('ack'))
    const bad = c.command('x')
    expect(prints(bad)).toEqual(['> x', 'Invalid command'])
    expect(sends(bad)).toEqual([])
    const q = c.command('q')
    expect(prints(q)).toEqual(['> q'])
    expect(has(q, 'close')).toBe(true)
  })
  it('client: commands typed before the ack wait for it, and the wait has no timeout', () => {
    const c = new AdderClient(ctx(), 'bob-1')
    c.start()
    expect(c.command('a')).toEqual([])
    const waiting = c.silence()
    expect(prints(waiting)[0]).toMatch(/^waiting for "ack"/)
    expect(has(waiting, 'fail')).toBe(false)
    expect(sends(c.receive(msg('ack'))).length).toBe(1)
  })
  it('client: waiting at our own busy one-at-a-time server says so, and sends no line ending', () => {
    const c = new AdderClient(ctx({}, { serverBusy: () => true }), 'bob-1')
    expect(c.start()).toContainEqual({ do: 'phase', phase: 'waiting', reason: 'one-at-a-time' })
    const waiting = c.silence()
    expect(prints(waiting)).toEqual(['waiting: the server is serving another client (one at a time)'])
    expect(sends(waiting)).toEqual([])
  })
  it('client: a server that reads lines gets one line ending when no ack comes', () => {
    const c = new AdderClient(ctx(), 'bob-1')
    c.start()
    expect(sends(c.silence())).toEqual(['\n'])
    expect(sends(c.silence())).toEqual([])
  })
  it('client: anything but ack is a failure', () => {
    const c = new AdderClient(ctx(), 'bob-1')
    c.start()
    expect(failure(c.receive(msg('ACK')))).toBe('Expected "ack" from the server, got "ACK"')
  })
})

describe('an answer that equals the list sent', () => {
  it('dedup of a list without duplicates is that list, then [] as the duplicates', () => {
    const c = createClientMachine('dedup', ctx(), { numbers: [3, 1, 2] })
    c.start()
    c.silence()
    c.receive(msg('[3, 1, 2]'))
    c.receive(msg('[]'))
    const judged = c.silence()
    expect(result(judged)).toMatchObject({
      verdict: 'correct',
      final: [3, 1, 2],
      serverDuplicates: { values: [], correct: true },
    })
  })
})
