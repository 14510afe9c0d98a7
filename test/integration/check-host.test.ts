// Check my program through the host's commands, as the app drives it: a server check, Run my program for
// a client and a server, a roster with a re-run and its exports, cancel, and saved reports; progress as
// structured check-* and roster-* events (check id, ok, detail, evidence), never sentences. Real student
// programs from test/peers/students on 127.0.0.1, free ports only.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { CheckEvent, CheckReport, EngineEvent, Snapshot } from '@shared/contract'
import { Host } from '../../src/main/host/host'
import { STUDENTS } from '../helpers/check-cli'
import { freePort } from '../helpers/raw-peer'

const reports = mkdtempSync(join(tmpdir(), 'socketlab-reports-'))
const host = new Host({ checks: { reportsDir: reports } })
const events: CheckEvent[] = []
const waiters = new Set<() => void>()
host.onEvent((e: EngineEvent) => {
  if (e.type.startsWith('check-') || e.type.startsWith('roster-')) events.push(e as CheckEvent)
  for (const w of waiters) w()
})
afterAll(async () => {
  await host.close()
  rmSync(reports, { recursive: true, force: true })
})

/** Wait for an event that matches, however long the student's program takes (bounded by the test's own timeout). */
function waitFor<T extends CheckEvent>(match: (e: CheckEvent) => e is T, ms = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const look = (): boolean => {
      const found = events.find(match)
      if (!found) return false
      waiters.delete(check)
      clearTimeout(timer)
      resolve(found)
      return true
    }
    const check = (): void => void look()
    const timer = setTimeout(() => {
      waiters.delete(check)
      reject(new Error(`no such event within ${ms} ms; got ${events.map((e) => e.type).join(', ')}`))
    }, ms)
    if (!look()) waiters.add(check)
  })
}

const ended =
  (runId: string) =>
  (e: CheckEvent): e is Extract<CheckEvent, { type: 'check-ended' }> =>
    e.type === 'check-ended' && e.runId === runId

async function ok<T>(r: Promise<{ ok: true; value: T } | { ok: false; error: string; field?: string }>): Promise<T> {
  const result = await r
  if (!result.ok) throw new Error(result.error)
  return result.value
}

/** Run my program's arguments for a student client, pointed at the port SocketLab serves on. */
function studentClient(question: string, script: string, more: Record<string, number>) {
  return { side: 'client', question, command: ['python3', join(STUDENTS, script), '127.0.0.1', '{port}'], port: 0, ...more }
}

describe('check commands', () => {
  it('Run my program (a server): rows planned, each result an event with id, ok, detail and evidence, then the report', async () => {
    const port = await freePort()
    const info = await ok(
      host.call('checkProgram', {
        side: 'server',
        question: 'adder',
        command: ['python3', join(STUDENTS, 'adder_server_ack_newline.py'), String(port)],
        port,
      }),
    )
    expect(info).toMatchObject({ kind: 'server', question: 'adder', target: { port } })
    const end = await waitFor(ended(info.runId))
    const report = end.report as CheckReport
    const plan = events.find((e) => e.type === 'check-plan' && e.runId === info.runId)
    expect(plan && plan.type === 'check-plan' && plan.checks.map((c) => c.id)).toEqual(report.checks.map((c) => c.id))
    const results = events.flatMap((e) => (e.type === 'check-result' && e.runId === info.runId ? [e.result] : []))
    const ack = results.find((r) => r.id === 'ack')!
    expect(ack.ok).toBe(false)
    expect(ack.fix).toBeTruthy()
    expect(ack.evidence.some((ev) => ev.dir === 'in' && ev.data?.text.includes('ack\n'))).toBe(true)
    expect(results.find((r) => r.id === 'sums')?.ok).toBe(true)
    expect(report.ok).toBe(false)

    const html = await ok(host.call('checkSave', { runId: info.runId, format: 'html' }))
    expect(html.folder).toBe(reports)
    expect(html.filename).toMatch(/^socketlab-server-adder-.*\.html$/)
    expect(readFileSync(html.path, 'utf8')).toContain('<code>ack</code>')
    const md = await ok(host.call('checkSave', { runId: info.runId, format: 'markdown' }))
    expect(readFileSync(md.path, 'utf8')).toMatch(/^# SocketLab check/)
    const json = JSON.parse(readFileSync((await ok(host.call('checkSave', { runId: info.runId, format: 'json' }))).path, 'utf8'))
    expect(Object.keys(json).slice(0, 5)).toEqual(['question', 'target', 'checks', 'passed', 'failed'])
    expect(await host.call('checkSave', { runId: info.runId, format: 'csv' })).toMatchObject({ ok: false, field: 'save' })
  })

  it('Run my program (a client): SocketLab serves on a free port, starts the client twice, grades both', async () => {
    const info = await ok(
      host.call('checkProgram', studentClient('adder-many', 'adder_client_samename.py', { connections: 2, timeoutS: 30 })),
    )
    expect(info.target.port).toBeGreaterThan(0)
    const report = (await waitFor(ended(info.runId))).report!
    const verdict = (id: string): boolean | null | undefined => report.checks.find((c) => c.id === id)?.ok
    expect([verdict('name-first'), verdict('unique-names'), verdict('printed-sums')]).toEqual([true, false, true])
  })

  it('a server check of a server that is not there: the report carries the doctor’s diagnosis', async () => {
    const port = await freePort()
    const info = await ok(host.call('checkServer', { question: 'greeting', host: '127.0.0.1', port }))
    const report = (await waitFor(ended(info.runId))).report!
    expect(report.ok).toBe(false)
    expect(report.diagnosis?.code).toBe('refused')
    expect(report.checks.find((c) => c.id === 'connect')?.ok).toBe(false)
  })

  it('cancel: a hanging client is stopped at once, the run ends as cancelled, without a report', async () => {
    const info = await ok(host.call('checkProgram', studentClient('adder', 'adder_client_hang.py', { timeoutS: 600 })))
    await waitFor((e): e is CheckEvent => e.type === 'check-started' && e.run.runId === info.runId)
    await new Promise((r) => setTimeout(r, 1500))
    expect(await host.call('checkCancel', { runId: info.runId })).toEqual({ ok: true, value: null })
    const end = await waitFor(ended(info.runId), 20_000)
    expect(end).toEqual({ type: 'check-ended', runId: info.runId, cancelled: true })
    // Nothing is left serving the question.
    const refused = await new Promise<string>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: info.target.port })
      s.once('connect', () => (s.destroy(), resolve('connected')))
      s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'))
    })
    expect(refused).toBe('ECONNREFUSED')
  })

  it('a client check whose port is taken fails next to the port', async () => {
    const first = await ok(host.call('checkClient', { question: 'adder', port: 0, timeoutS: 5 }))
    const taken = await host.call('checkClient', { question: 'adder', port: first.target.port, timeoutS: 5 })
    expect(taken).toMatchObject({ ok: false, field: 'port' })
    if (!taken.ok) expect(taken.error).toMatch(/could not listen on port \d+ \(EADDRINUSE\)/)
    await ok(host.call('checkCancel', { runId: first.runId }))
    await waitFor(ended(first.runId), 20_000)
  })

  it('commands are checked strictly: empty, unknown, shell syntax, a script that is not there, a folder that is not there', async () => {
    const args = (command: string[], cwd?: string) => ({
      side: 'client',
      question: 'adder',
      command,
      port: 0,
      ...(cwd ? { cwd } : {}),
    })
    const cases: [string[], string | undefined, RegExp, string][] = [
      [[], undefined, /type the command that starts your program/, 'command'],
      [['   '], undefined, /type the command/, 'command'],
      [['pyhton3', 'client.py'], undefined, /unknown command "pyhton3"/, 'command'],
      [['python3', 'client.py', '|', 'tee', 'x'], undefined, /"\|" is shell syntax/, 'command'],
      [['python3', 'no-such-client.py'], STUDENTS, /no-such-client\.py is not in .*students/, 'command'],
      [['./no-such-program'], STUDENTS, /there is no program at/, 'command'],
      [['python3', 'adder_client.py'], join(STUDENTS, 'nope'), /is not a folder on this machine/, 'cwd'],
    ]
    for (const [command, cwd, error, field] of cases) {
      const r = await host.call('checkProgram', args(command, cwd))
      expect(r, command.join(' ')).toMatchObject({ ok: false, field })
      if (!r.ok) expect(r.error).toMatch(error)
    }
  })

  it('a roster: bad lines each named (structured), then a good one checked, a team re-run, CSV and JSON saved', async () => {
    const bad = await host.call('checkRoster', { csv: 'team,host,port,question\na,127.0.0.1,99999,adder\nb,127.0.0.1,1,chat\n' })
    expect(bad).toMatchObject({ ok: false, field: 'roster' })
    if (!bad.ok) {
      expect(bad.detail?.kind).toBe('roster')
      expect(bad.detail?.kind === 'roster' && bad.detail.errors.map((e) => e.line)).toEqual([2, 3])
    }
    const missing = await freePort()
    const good = await ok(host.call('checkRoster', { csv: `team,host,port,question\nnobody,127.0.0.1,${missing},greeting\n` }))
    expect(good.entries.map((e) => e.team)).toEqual(['nobody'])
    expect(good.columns).toContain('greeting')
    await waitFor((e): e is CheckEvent => e.type === 'roster-ended' && e.runId === good.runId)
    const teamEvents = () => events.filter((e) => e.type === 'roster-team' && e.runId === good.runId)
    expect(teamEvents().map((e) => e.type === 'roster-team' && !!e.report)).toEqual([false, true])
    await ok(host.call('checkRosterTeam', { runId: good.runId, index: 0 }))
    const deadline = Date.now() + 30_000
    while (teamEvents().length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect(teamEvents()).toHaveLength(4)
    const csv = await ok(host.call('checkSave', { runId: good.runId, format: 'csv' }))
    expect(readFileSync(csv.path, 'utf8').split('\r\n')[1]).toMatch(/^nobody,127\.0\.0\.1,\d+,greeting,fail,/)
    const json = await ok(host.call('checkSave', { runId: good.runId, format: 'json' }))
    expect(JSON.parse(readFileSync(json.path, 'utf8')).teams[0]).toMatchObject({ team: 'nobody', ok: false })
    const one = await ok(host.call('checkSave', { runId: good.runId, format: 'html', index: 0 }))
    expect(existsSync(one.path)).toBe(true)
  })

  it('the snapshot holds every run and room board as its events left it, for a reloaded page', async () => {
    // Everything above, ended (passed, failed, cancelled) or still running, and a board with a re-run team.
    const snap = JSON.parse(JSON.stringify(host.snapshot())) as Snapshot
    const started = events.flatMap((e) => (e.type === 'check-started' ? [e.run.runId] : []))
    expect(snap.checkRuns!.map((r) => r.info.runId)).toEqual(started)
    for (const run of snap.checkRuns!) {
      const own = events.filter((e) => 'runId' in e && e.runId === run.info.runId)
      const last = <T extends CheckEvent['type']>(type: T) =>
        own.filter((e) => e.type === type).at(-1) as Extract<CheckEvent, { type: T }>
      expect(run.plan).toEqual(last('check-plan').checks)
      const results = new Map(own.flatMap((e) => (e.type === 'check-result' ? [[e.result.id, e.result] as const] : [])))
      expect(run.results).toEqual([...results.values()])
      const end = last('check-ended')
      expect(run.ended).toBe(!!end)
      expect({ report: run.report, cancelled: run.cancelled, error: run.error }).toEqual({
        report: end?.report,
        cancelled: end?.cancelled,
        error: end?.error,
      })
    }
    expect(snap.checkRuns!.some((r) => r.cancelled)).toBe(true)
    const [board] = snap.rosterRuns!.slice(-1)
    expect(board).toMatchObject({ ended: true, running: [], reports: [expect.objectContaining({ ok: false })] })
  })
})
