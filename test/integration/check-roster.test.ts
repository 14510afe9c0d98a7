// `socketlab check roster`: an instructor's CSV of teams, every team's server checked a few at a time,
// the results printed per team and exported as CSV and JSON.

import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { listenersOn } from '../../src/main/doctor/system'
import { runCli as cli, STUDENTS } from '../helpers/check-cli'
import { freePort } from '../helpers/raw-peer'
import { startStudentServer } from '../helpers/student-server'

const children: ChildProcess[] = []
afterAll(() => {
  for (const c of children) c.kill('SIGKILL')
})

function student(script: string): Promise<number> {
  return startStudentServer(STUDENTS, script, children, freePort, (port) => !!listenersOn(port, true)?.length)
}

describe('check roster', () => {
  const dir = mkdtempSync(join(tmpdir(), 'socketlab-roster-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('ten teams, checked in parallel: a grid per team, CSV and JSON exports, exit 1 when a team fails', async () => {
    const good: number[] = []
    for (let i = 0; i < 7; i++) good.push(await student('adder_server_threads.py'))
    const newline = await student('adder_server_ack_newline.py')
    const dedup = await student('dedup_server.py')
    const nobody = await freePort()
    const rows = [
      'team,host,port,question',
      ...good.map((p, i) => `team-${i + 1},127.0.0.1,${p},adder-many`),
      `"Newline, Inc.",127.0.0.1,${newline},adder`,
      `dedupers,127.0.0.1,${dedup},dedup`,
      `absent,127.0.0.1,${nobody},greeting`,
    ]
    const roster = join(dir, 'room.csv')
    writeFileSync(roster, `${rows.join('\r\n')}\r\n`)
    const started = Date.now()
    const r = await cli(['check', 'roster', roster, '--json', join(dir, 'room.json'), '--csv', join(dir, 'room-out.csv')])
    const elapsed = Date.now() - started
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(r.stdout).toMatch(/8 of 10 teams passed every required check/)
    expect(r.stdout).toMatch(/FAIL {2}Newline, Inc\.[^\n]*\n {8}ack: The server sends "ack\\n"/)
    // Ten teams with a bound of six at a time take a few seconds here; "well under a minute" with margin.
    expect(elapsed).toBeLessThan(90_000)

    const json = JSON.parse(readFileSync(join(dir, 'room.json'), 'utf8'))
    expect(json.teams).toHaveLength(10)
    expect(json.teams.map((t: { team: string; ok: boolean }) => [t.team, t.ok])).toEqual([
      ...good.map((_, i) => [`team-${i + 1}`, true]),
      ['Newline, Inc.', false],
      ['dedupers', true],
      ['absent', false],
    ])
    expect(json.teams[9].report.diagnosis.code).toBe('refused')
    expect(json.teams[0].report.checks.find((c: { id: string }) => c.id === 'concurrent').ok).toBe(true)

    const csv = readFileSync(join(dir, 'room-out.csv'), 'utf8').split('\r\n')
    const head = csv[0].split(',')
    expect(head.slice(0, 7)).toEqual(['team', 'host', 'port', 'question', 'result', 'passed', 'failed'])
    expect(head).toContain('concurrent')
    expect(head[head.length - 1]).toBe('failing')
    const newlineRow = csv.find((l) => l.startsWith('"Newline, Inc."'))!
    expect(newlineRow).toMatch(/,fail,/)
    expect(newlineRow).toMatch(/ack: The server sends ""ack\\n""/)
  })

  it('a roster with mistakes: every bad line named, exit 2, nothing checked', async () => {
    const roster = join(dir, 'bad.csv')
    writeFileSync(
      roster,
      [
        'team,host,port,question',
        'a,127.0.0.1,12345,adder',
        'b,127.0.0.1,port,adder',
        'c,127.0.0.256,12345,adder',
        'd,127.0.0.1,12345,wireshark',
        'e,127.0.0.1,12345',
        'a,127.0.0.1,12346,dedup',
        '"f,127.0.0.1,1,adder',
      ].join('\n'),
    )
    const r = await cli(['check', 'roster', roster])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/line 3: port "port" is not a port number/)
    expect(r.stderr).toMatch(/line 4: host: 256 is too large/)
    expect(r.stderr).toMatch(/line 5: question "wireshark" is not one of greeting, dedup, intersection, adder, adder-many/)
    expect(r.stderr).toMatch(/line 6: expected 4 fields/)
    expect(r.stderr).toMatch(/line 7: team "a" appears twice/)
    expect(r.stderr).toMatch(/line 8: a quoted field is never closed/)
    expect(r.stdout).toBe('')
  })
})
