// The Check page rebuilt from the host's snapshot (a reloaded page, a second tab): its runs with their rows
// and results, each tab on its own newest run (or the one it showed), the room board, and a run the page
// thought running that the host no longer has marked ended.

import { describe, expect, it } from 'vitest'
import type { CheckPlan, CheckReport, CheckResult, CheckRunInfo, Snapshot } from '@shared/contract'
import { applyCheckBatch, applyCheckSnapshot, createCheckStore, RUN_GONE } from '@renderer/store/check'

const plan: CheckPlan[] = [
  { id: 'connect', title: 'Accepts a connection', required: true },
  { id: 'sums', title: 'Answers each pair with its sum', required: true },
]
const result = (id: string, ok: boolean): CheckResult => ({
  id,
  title: id,
  required: true,
  ok,
  detail: `${id} ${ok}`,
  evidence: [],
})
const info = (runId: string, kind: 'server' | 'client', command?: string[]): CheckRunInfo => ({
  runId,
  kind,
  question: 'adder',
  target: { port: 40000, ...(kind === 'server' ? { host: '127.0.0.1' } : {}), ...(command ? { command } : {}) },
  startedAt: 1000,
})
const report = (checks: CheckResult[]): CheckReport => ({
  kind: 'server',
  question: 'adder',
  target: { host: '127.0.0.1', port: 40000 },
  checks,
  passed: checks.filter((c) => c.ok).length,
  failed: checks.filter((c) => !c.ok).length,
  ok: checks.every((c) => c.ok),
  startedAt: 1000,
  durationMs: 50,
})

const snapshot: Pick<Snapshot, 'checkRuns' | 'rosterRuns'> = {
  checkRuns: [
    {
      info: info('check-1', 'server'),
      plan,
      results: [],
      ended: true,
      report: report([result('connect', true), result('sums', false)]),
    },
    { info: info('check-2', 'server'), plan, results: [result('connect', true)], ended: false },
    { info: info('check-3', 'client', ['python3', 'client.py']), plan, results: [], ended: true, cancelled: true },
  ],
  rosterRuns: [
    {
      info: {
        runId: 'roster-1',
        entries: [{ team: 'a', host: '127.0.0.1', port: 1, question: 'adder' }],
        columns: ['connect'],
        startedAt: 1,
      },
      reports: [null],
      running: [0],
      ended: false,
    },
  ],
}

describe('the Check page from a snapshot', () => {
  it('rebuilds each run’s rows and results, and puts each tab on its newest run', () => {
    const store = createCheckStore()
    applyCheckSnapshot(store, snapshot)
    const s = store.getState()
    expect(s.current).toEqual({ server: 'check-2', program: 'check-3' })
    expect(s.runs['check-1']).toMatchObject({ plan, ended: true, report: { failed: 1 } })
    expect(Object.values(s.runs['check-1'].results).map((r) => [r.id, r.ok])).toEqual([
      ['connect', true],
      ['sums', false],
    ])
    expect(s.runs['check-2']).toMatchObject({ ended: false, results: { connect: { ok: true } } })
    expect(s.runs['check-3']).toMatchObject({ ended: true, cancelled: true })
    expect(s.roster).toBe('roster-1')
    expect(s.rosters['roster-1']).toMatchObject({ running: { 0: true }, ended: false, reports: [undefined] })
  })

  it('a live event after the snapshot goes on from there', () => {
    const store = createCheckStore()
    applyCheckSnapshot(store, snapshot)
    const batch = { messages: [], lines: [], counters: {}, droppedMessages: 0, droppedLines: 0, droppedResults: 0 }
    applyCheckBatch(store, { ...batch, events: [{ type: 'check-result', runId: 'check-2', result: result('sums', true) }] })
    expect(Object.keys(store.getState().runs['check-2'].results)).toEqual(['connect', 'sums'])
  })

  it('keeps the run a tab showed, and ends a running one the host no longer has', () => {
    const store = createCheckStore()
    store.setState({
      current: { server: 'check-1', client: 'check-9' },
      runs: { 'check-9': { info: info('check-9', 'client'), plan, results: {}, ended: false } },
    })
    applyCheckSnapshot(store, snapshot)
    const s = store.getState()
    expect(s.current).toEqual({ server: 'check-1', client: 'check-9', program: 'check-3' })
    expect(s.runs['check-9']).toMatchObject({ ended: true, error: RUN_GONE })
  })

  it('a host that sends no check runs leaves the page as it is', () => {
    const store = createCheckStore()
    applyCheckSnapshot(store, snapshot)
    const before = store.getState()
    applyCheckSnapshot(store, {})
    expect(store.getState()).toBe(before)
  })
})
