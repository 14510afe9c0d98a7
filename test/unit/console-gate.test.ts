// The console's output limit: at most N lines a second, then one line saying how many were left out.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ConsoleGate } from '../../src/main/net/console-gate'

function gate(perSecond: number) {
  const lines: string[] = []
  const sink = { emit: () => undefined, line: (_owner: string, text: string) => void lines.push(text) }
  return { gate: new ConsoleGate(sink, 'srv-1', perSecond), lines }
}

describe('ConsoleGate', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('allows N lines a second, then says how many were left out once the second is over', () => {
    const { gate: g, lines } = gate(3)
    const allowed = Array.from({ length: 10 }, () => g.allow())
    expect(allowed).toEqual([true, true, true, false, false, false, false, false, false, false])
    expect(g.open).toBe(false)
    expect(lines).toEqual([])
    vi.advanceTimersByTime(1000)
    expect(lines).toEqual([
      '… 7 more lines in that second not shown (at most 3 a second; Connections and Traffic have every message)',
    ])
    // A new second: lines flow again.
    expect(g.open).toBe(true)
    expect(g.allow()).toBe(true)
  })

  it('says nothing when nothing was left out, and one line for a single one', () => {
    const { gate: g, lines } = gate(2)
    g.allow()
    vi.advanceTimersByTime(1000)
    expect(lines).toEqual([])
    g.allow()
    g.allow()
    g.allow()
    vi.advanceTimersByTime(999)
    expect(lines).toEqual([])
    vi.advanceTimersByTime(1)
    expect(lines).toEqual([
      '… 1 more line in that second not shown (at most 2 a second; Connections and Traffic have every message)',
    ])
  })

  it('reports what was left out when the server stops, and arms no timer when no line was asked for', () => {
    const { gate: g, lines } = gate(1)
    expect(vi.getTimerCount()).toBe(0)
    g.allow()
    g.allow()
    g.dispose()
    expect(lines).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })
})
