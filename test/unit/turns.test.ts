import { describe, expect, it } from 'vitest'
import { Turns, type Turn } from '../../src/main/net/turns'

/** A session with `left` messages waiting, handled as its grants allow (the shape of Session.pump). */
class Peer implements Turn {
  handled = 0
  constructor(
    private readonly turns: Turns,
    public left: number,
  ) {}
  pump(): void {
    if (this.left === 0) return
    const allowed = this.turns.grant(this)
    if (allowed === 0) return
    const n = Math.min(allowed, this.left)
    this.left -= n
    this.handled += n
    this.turns.refund(allowed - n)
    if (this.left > 0) this.turns.wait(this)
  }
}

/** Turns whose next turn runs only when the test says so. */
function manual(budget: number, share: number) {
  let pending: (() => void) | null = null
  const turns = new Turns({ budget, share, later: (run) => (pending = run) })
  const next = () => {
    const run = pending
    pending = null
    run?.()
  }
  return { turns, next, scheduled: () => pending !== null }
}

describe('one budget of messages per event-loop turn, shared in round robin', () => {
  it('a pipelining peer gets one share, then waits behind the others', () => {
    const { turns, next } = manual(64, 16)
    const flood = new Peer(turns, 10_000)
    flood.pump()
    expect(flood.handled).toBe(16)
    const student = new Peer(turns, 1)
    student.pump()
    expect(student.handled).toBe(1)
    expect(turns.inLine).toBe(1)
    next()
    // The next turn: the flood gets at most the budget, never all it has.
    expect(flood.handled).toBeLessThanOrEqual(16 + 64)
  })

  it('when the budget is spent, those who got nothing go first: a student who arrives waits one line, not every request', () => {
    const { turns, next } = manual(64, 16)
    const floods = Array.from({ length: 10 }, () => new Peer(turns, 10_000))
    for (const f of floods) f.pump()
    // Four shares spent the budget; the other six pipeliners and the student wait in line.
    expect(floods.filter((f) => f.handled > 0)).toHaveLength(4)
    const student = new Peer(turns, 1)
    student.pump()
    expect(student.handled).toBe(0)
    // Those that got nothing go first: four of the six pipeliners on the next turn, then the last
    // two and the student, before the four served first go again.
    next()
    expect(student.handled).toBe(0)
    const before = floods.slice(0, 4).map((f) => f.handled)
    next()
    expect(student.handled).toBe(1)
    expect(floods.slice(4).every((f) => f.handled === 16)).toBe(true)
    expect(floods[0].handled).toBeGreaterThan(before[0])
    // Nobody starves: after enough turns every pipeliner has been served equally (within one share).
    for (let i = 0; i < 20; i++) next()
    const counts = floods.map((f) => f.handled)
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(16)
  })

  it('an unused grant is given back, so sessions holding half a message do not use up the turn', () => {
    const { turns } = manual(32, 16)
    const dribbler: Turn = { pump: () => turns.refund(turns.grant(dribbler)) }
    for (let i = 0; i < 100; i++) dribbler.pump()
    const late = new Peer(turns, 16)
    late.pump()
    expect(late.handled).toBe(16)
  })

  it('a forgotten (closed) session is dropped from the line', () => {
    const { turns, next } = manual(16, 16)
    const a = new Peer(turns, 100)
    a.pump()
    const b = new Peer(turns, 100)
    b.pump()
    expect(turns.inLine).toBe(2)
    turns.forget(b)
    next()
    expect(b.handled).toBe(0)
  })

  it('lone requests answered at once are never refused, and leave a flood that much less of the turn', () => {
    const { turns, next, scheduled } = manual(32, 16)
    // 24 students' lone requests this turn (the fast lane), then a pipeliner asks.
    for (let i = 0; i < 24; i++) turns.charge()
    expect(scheduled()).toBe(true)
    const flood = new Peer(turns, 100)
    flood.pump()
    expect(flood.handled).toBe(8)
    // The next turn starts with a whole budget: the flood gets its share again.
    next()
    expect(flood.handled).toBe(8 + 16)
  })
})
