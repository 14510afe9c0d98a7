// `socketlab check server`: student-style servers (test/peers/students), good and deliberately broken,
// started by the checker itself (Run my program) or by the test, each with the verdicts the checker must
// give, asserted through the CLI's exit code and --json report.

import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { listenersOn } from '../../src/main/doctor/system'
import { runCheck, STUDENTS, verdicts } from '../helpers/check-cli'
import { freePort } from '../helpers/raw-peer'

interface Case {
  script: string
  question: string
  exit: 0 | 1
  expect: Record<string, boolean | null>
  /** Words the detail of a check must contain (the reason given to the student). */
  detail?: Record<string, RegExp>
}

const CASES: Case[] = [
  {
    script: 'adder_server.py',
    question: 'adder',
    exit: 0,
    expect: {
      connect: true,
      ack: true,
      sums: true,
      'one-answer': true,
      'after-close': true,
      'after-quit': true,
      running: true,
      'printed-names': true,
    },
  },
  {
    script: 'adder_server.py',
    question: 'adder-many',
    exit: 1,
    expect: { ack: true, sums: true, concurrent: false, 'no-crossing': null },
    detail: { concurrent: /serves one client at a time/ },
  },
  {
    script: 'adder_server_threads.py',
    question: 'adder-many',
    exit: 0,
    expect: {
      ack: true,
      sums: true,
      'after-close': true,
      concurrent: true,
      'no-crossing': true,
      running: true,
      'printed-names': true,
    },
  },
  {
    script: 'adder_server_concat.py',
    question: 'adder',
    exit: 1,
    expect: { ack: true, sums: false, 'after-close': true, 'after-quit': false },
    detail: { sums: /the sum of 1 and 1 came back as 11/ },
  },
  {
    script: 'adder_server_ack_newline.py',
    question: 'adder',
    exit: 1,
    expect: { ack: false, sums: true, 'one-answer': true },
    detail: { ack: /sends "ack\\n".*send exactly "ack"/ },
  },
  {
    script: 'adder_server_crash.py',
    question: 'adder',
    exit: 1,
    expect: { ack: true, sums: true, 'after-close': false, 'after-quit': null, running: false },
    detail: { 'after-close': /no longer accepting connections/, running: /exited with code 1/ },
  },
  {
    script: 'adder_server_shared.py',
    question: 'adder-many',
    exit: 1,
    expect: { ack: true, concurrent: false },
  },
  {
    script: 'greeting_server.py',
    question: 'greeting',
    exit: 0,
    expect: {
      greeting: true,
      acknowledgement: true,
      close: true,
      'next-client': true,
      'printed-connection': true,
      'printed-ack': true,
    },
  },
  {
    script: 'greeting_server_handout.py',
    question: 'greeting',
    exit: 1,
    expect: { greeting: true, acknowledgement: false, close: true, 'next-client': true, 'printed-ack': false },
    detail: { acknowledgement: /never reads it/ },
  },
  {
    script: 'greeting_server_words.py',
    question: 'greeting',
    exit: 1,
    expect: { greeting: false, acknowledgement: true, close: true },
    detail: { greeting: /Hello client/ },
  },
  {
    script: 'dedup_server.py',
    question: 'dedup',
    exit: 0,
    expect: { dedup: true, 'dedup-100': true, duplicates: true },
    detail: { dedup: /read an acknowledgement before the list/, duplicates: /each repeated number once/ },
  },
  {
    script: 'dedup_server_labels.py',
    question: 'dedup',
    exit: 0,
    expect: { dedup: true, 'dedup-100': true, duplicates: true },
    detail: { dedup: /ascending order.*echoed/, duplicates: /every extra occurrence/ },
  },
  {
    script: 'dedup_server_wrongdups.py',
    question: 'dedup',
    exit: 1,
    expect: { dedup: true, 'dedup-100': true, duplicates: false },
    detail: { duplicates: /was sent only once/ },
  },
  {
    script: 'intersection_server.py',
    question: 'intersection',
    exit: 0,
    expect: { intersection: true, sorted: true, distinct: true, subset: true, complete: true, consistency: null },
  },
  {
    script: 'intersection_server_unsorted.py',
    question: 'intersection',
    exit: 1,
    expect: { intersection: true, sorted: false, distinct: true, subset: true, complete: null },
    detail: { sorted: /not in ascending order/, intersection: /greeted/ },
  },
]

describe('check server: Run my program with student-style servers', () => {
  for (const c of CASES) {
    it(`${c.script} as ${c.question}: exit ${c.exit}`, async () => {
      const port = await freePort()
      const r = await runCheck([
        'server',
        c.question,
        '--port',
        String(port),
        '--',
        'python3',
        join(STUDENTS, c.script),
        String(port),
      ])
      expect(r.json, r.stdout + r.stderr).not.toBeNull()
      expect(verdicts(r, Object.keys(c.expect)), r.stdout).toEqual(c.expect)
      for (const [id, re] of Object.entries(c.detail ?? {})) expect(r.check(id).detail, id).toMatch(re)
      expect(r.code, r.stdout).toBe(c.exit)
      // The documented --json shape.
      expect(Object.keys(r.json!).slice(0, 5)).toEqual(['question', 'target', 'checks', 'passed', 'failed'])
      for (const check of r.json!.checks) {
        expect(Object.keys(check)).toEqual(expect.arrayContaining(['id', 'title', 'ok', 'required', 'detail', 'evidence']))
        if (check.ok === false) expect(check.fix, check.id).toBeTruthy()
      }
    })
  }
})

/** Start a student's server the way a student does, and wait (without connecting) until it listens. */
async function startStudent(script: string): Promise<{ port: number; stop: () => void }> {
  const port = await freePort()
  const child = spawn('python3', [join(STUDENTS, script), String(port)], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += d))
  const start = Date.now()
  while (!listenersOn(port, true)?.length) {
    if (child.exitCode !== null) {
      // The port was taken between freePort() and the bind (another test's connection): take another.
      if (/Address already in use/.test(stderr)) return startStudent(script)
      throw new Error(`${script} exited: ${stderr}`)
    }
    if (Date.now() - start > 20_000) throw new Error(`${script} did not listen on ${port}: ${stderr}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return { port, stop: () => child.kill('SIGKILL') }
}

describe('check server against a running server', () => {
  it('the evidence holds the bytes as received: "ack\\n" in text and hex, with direction and time', async () => {
    const srv = await startStudent('adder_server_ack_newline.py')
    try {
      const r = await runCheck(['server', 'adder', '--host', '127.0.0.1', '--port', String(srv.port)])
      expect(r.code).toBe(1)
      const ack = r.check('ack')
      expect(ack.required).toBe(true)
      expect(ack.fix).toMatch(/exactly `ack`/)
      const got = ack.evidence.find((e) => e.dir === 'in')!
      expect(got.data).toEqual({ text: 'ack\n', hex: '61 63 6b 0a', size: 4 })
      const sent = ack.evidence.find((e) => e.dir === 'out')!
      expect(sent.data!.text).toMatch(/^checker-\d{4}-1$/)
      expect(got.t).toBeGreaterThanOrEqual(sent.t)
      expect(ack.evidence[0]).toMatchObject({ dir: 'event', event: 'connected' })
    } finally {
      srv.stop()
    }
  })

  it('the server checks alone (no program started) do not include the printed-line checks', async () => {
    const srv = await startStudent('adder_server_threads.py')
    try {
      const r = await runCheck(['server', 'adder-many', '--host', '127.0.0.1', '--port', String(srv.port)])
      expect(r.code, r.stdout).toBe(0)
      const ids = r.json!.checks.map((c) => c.id)
      expect(ids).toEqual([
        'connect',
        'ack',
        'sums',
        'one-answer',
        'after-close',
        'after-quit',
        'concurrent',
        'no-crossing',
        'bind-address',
      ])
      // Bound to 127.0.0.1: a neighbour could not connect (optional, so the exit code stays 0).
      expect(r.check('bind-address')).toMatchObject({ ok: false, required: false })
      expect(r.stdout).toMatch(/Result: PASS/)
    } finally {
      srv.stop()
    }
  })

  it('a server that splits pairs on commas gets `1,1` on a new connection after it could not read `1 1`', async () => {
    const { startPythonServer } = await import('../helpers/python')
    const py = await startPythonServer('adder_server_threaded.py', ['--sep', ','])
    try {
      const r = await runCheck(['server', 'adder-many', '--host', '127.0.0.1', '--port', String(py.port)])
      expect(r.code, r.stdout).toBe(0)
      expect(r.check('sums').detail).toMatch(/sent with a comma \(`3,7`\): `3 7` could not be read/)
      expect(r.check('concurrent').ok).toBe(true)
    } finally {
      await py.stop()
    }
  })

  it('a server that cannot be reached: exit 1, every other check not run, and the doctor says why', async () => {
    const port = await freePort()
    const r = await runCheck(['server', 'dedup', '--host', '127.0.0.1', '--port', String(port)])
    expect(r.code).toBe(1)
    expect(r.check('connect').ok).toBe(false)
    expect(r.json!.checks.filter((c) => c.id !== 'connect').every((c) => c.ok === null)).toBe(true)
    const diagnosis = r.json!.diagnosis as { code: string; facts: { listeners: unknown[]; thisMachine: boolean } }
    expect(diagnosis.code).toBe('refused')
    expect(diagnosis.facts).toMatchObject({ thisMachine: true, listeners: [] })
    expect(r.stdout).toMatch(/Connection doctor: Nothing listens at 127\.0\.0\.1:\d+/)
  })

  it('a server program that crashes before it listens is reported with its last output', async () => {
    const port = await freePort()
    // The student forgot the port argument: IndexError before bind.
    const r = await runCheck([
      'server',
      'adder',
      '--port',
      String(port),
      '--',
      'python3',
      join(STUDENTS, 'adder_server_concat.py'),
    ])
    expect(r.code).toBe(1)
    expect(r.check('connect').detail).toMatch(/exited with code 1 before it listened[\s\S]*IndexError/)
  })

  it('usage errors exit 2 with a plain message', async () => {
    for (const args of [
      ['server', 'adder', '--port', '5'],
      ['server', 'nonsense', '--host', '127.0.0.1', '--port', '5'],
      ['server', 'adder', '--host', '127.0.0.1'],
      ['server', 'adder', '--host', '127.0.0.l', '--port', '5'],
      ['server', 'adder', '--host', '127.0.0.1', '--port', '70000'],
      ['server', 'adder', '--host', '127.0.0.1', '--port', '5', '--'],
      ['bogus'],
    ]) {
      const r = await runCheck(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr, args.join(' ')).toMatch(/^socketlab: /)
      expect(r.json).toBeNull()
    }
  })
})

describe('check server: reports to hand in', () => {
  it('writes a self-contained HTML page and Markdown with every check, the fixes and the bytes as evidence', async () => {
    const { mkdtempSync, readFileSync, rmSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const dir = mkdtempSync(join(tmpdir(), 'socketlab-report-'))
    const port = await freePort()
    try {
      const html = join(dir, 'r.html')
      const md = join(dir, 'r.md')
      const r = await runCheck([
        'server',
        'adder',
        '--port',
        String(port),
        '--html',
        html,
        '--markdown',
        md,
        '--',
        'python3',
        join(STUDENTS, 'adder_server_ack_newline.py'),
        String(port),
      ])
      expect(r.code).toBe(1)
      const page = readFileSync(html, 'utf8')
      expect(page).toMatch(/^<!doctype html>/)
      // Self-contained: no script, nothing fetched.
      expect(page).not.toMatch(/<script|<link|src=|https?:\/\//i)
      expect(page).toContain('61 63 6b 0a')
      expect(page).toContain('<code>ack</code>')
      expect(page).toMatch(/What to change:/)
      expect(page).toMatch(/Result: FAIL: \d+ required checks? failed/)
      const text = readFileSync(md, 'utf8')
      expect(text).toMatch(/^# SocketLab check: the adder server at 127\.0\.0\.1:\d+/)
      expect(text).toMatch(/\| FAIL \| `ack` \| Replies exactly "ack" after the name \|/)
      expect(text).toContain('[61 63 6b 0a]')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
