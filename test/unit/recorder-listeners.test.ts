// A listener hears what it asked for: a terminal waiting for one kind of event names it, and the
// recorder then builds no event it would throw away (a server answering thousands of sums a second
// makes no result event for a listener of connection updates).

import { describe, expect, it } from 'vitest'
import type { EngineEvent } from '@shared/contract'
import { Recorder } from '../../src/main/host/recorder'
import { adderServerEnd } from '../helpers/connection'

describe('Recorder listeners by kind', () => {
  it('a listener of some kinds hears those only, and unsubscribes', () => {
    const r = new Recorder()
    const heard: EngineEvent['type'][] = []
    const off = r.onEvent((e) => heard.push(e.type), { types: ['conn-updated', 'message'] })
    const conn = r.open({ ...adderServerEnd, connId: 'conn-1' })
    conn.message('in', '3 4')
    conn.update({ clientName: 'alice' })
    conn.result('srv-1', { kind: 'adder', a: 3, b: 4, answer: 7 })
    r.line('srv-1', 'alice: 3 + 4 = 7')
    expect(heard).toEqual(['message', 'conn-updated'])
    off()
    conn.update({ clientName: 'bob' })
    conn.message('in', '1 1')
    expect(heard).toEqual(['message', 'conn-updated'])
  })

  it('a result event is made only when someone listens for results', () => {
    const r = new Recorder()
    const conn = r.open({ ...adderServerEnd, connId: 'conn-1' })
    const results: EngineEvent[] = []
    r.onEvent((e) => results.push(e), { types: ['conn-updated'] })
    conn.result('srv-1', { kind: 'adder', a: 1, b: 2, answer: 3 })
    expect(results).toEqual([])
    r.onEvent((e) => results.push(e), { types: ['result'] })
    conn.result('srv-1', { kind: 'adder', a: 1, b: 2, answer: 3 })
    expect(results).toMatchObject([{ type: 'result', connId: 'conn-1', result: { answer: 3 } }])
  })
})

describe('Recorder history for a page that reloads', () => {
  it('keeps the newest lines and results, oldest first, however many came', () => {
    const r = new Recorder({ historyLines: 3, historyResults: 2 })
    const conn = r.open({ ...adderServerEnd, connId: 'conn-1' })
    for (let i = 1; i <= 7; i++) r.line('srv-1', `line ${i}`)
    for (let i = 1; i <= 5; i++) conn.result('srv-1', { kind: 'adder', a: i, b: 0, answer: i }, 1000 + i)
    const h = r.history()
    expect(h.lines.map((l) => l.text)).toEqual(['line 5', 'line 6', 'line 7'])
    expect(h.results.map((x) => [x.t, x.result.kind === 'adder' && x.result.a])).toEqual([
      [1004, 4],
      [1005, 5],
    ])
  })

  it('an unsubscribed message listener costs nothing and hears nothing', () => {
    const r = new Recorder()
    const conn = r.open({ ...adderServerEnd, connId: 'conn-1' })
    const heard: EngineEvent[] = []
    const off = r.onEvent((e) => heard.push(e), { messages: true })
    conn.message('in', '3 4', 3, 42)
    off()
    conn.message('in', '5 6')
    expect(heard).toMatchObject([{ type: 'message', dir: 'in', t: 42 }])
  })
})

describe('Recorder batches walk the dirty connections only', () => {
  it('of 2000 open connections, a flush carries the counters of the ones that changed since the last', () => {
    const r = new Recorder()
    r.batching = true
    const conns = Array.from({ length: 2000 }, (_, i) => r.open({ ...adderServerEnd, connId: `conn-${i}` }))
    r.flush()
    expect(r.flush()).toBeNull()
    conns[7].received(3)
    conns[1999].message('out', '10')
    const batch = r.flush()!
    expect(Object.keys(batch.counters).sort()).toEqual(['conn-1999', 'conn-7'])
    expect(batch.counters['conn-7']).toMatchObject({ bytesIn: 3 })
    // Flushed: clean again until the next change.
    expect(r.flush()).toBeNull()
  })
})
