// `socketlab check client`: SocketLab serves the question and grades student-style clients
// (test/peers/students), started by the checker with the handout's keyboard input (Run my program) or
// connecting on their own; each with the verdicts it must get, through the CLI's exit code and --json.

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCheck, STUDENTS, verdicts } from '../helpers/check-cli'
import { runPython } from '../helpers/python'
import { freePort } from '../helpers/raw-peer'

interface Case {
  script: string
  question: string
  args?: string[]
  exit: 0 | 1
  expect: Record<string, boolean | null>
  detail?: Record<string, RegExp>
}

const py = (script: string): string[] => ['python3', join(STUDENTS, script), '127.0.0.1', '{port}']

const CASES: Case[] = [
  {
    script: 'adder_client.py',
    question: 'adder-many',
    args: ['--connections', '2'],
    exit: 0,
    expect: {
      connected: true,
      'name-first': true,
      'unique-names': true,
      bundled: true,
      range: true,
      quit: true,
      reads: true,
      'printed-numbers': true,
      'printed-sums': true,
      'printed-invalid': true,
      exits: true,
    },
  },
  {
    script: 'adder_client_samename.py',
    question: 'adder-many',
    args: ['--connections', '2'],
    exit: 1,
    expect: { 'name-first': true, 'unique-names': false, bundled: true, 'printed-sums': true, exits: true },
    detail: { 'unique-names': /2 clients used the same name "alice"/ },
  },
  {
    script: 'adder_client_split.py',
    question: 'adder',
    exit: 1,
    expect: { 'name-first': true, bundled: false, range: true, 'printed-sums': true, 'unique-names': null, exits: true },
    detail: {
      bundled: /2 of 2 requests came as two messages/,
      // Said for both places: the app's control and the command line's option.
      'unique-names': /^Needs two or more clients: set Times to start it to 2 or more \(--connections 2 in the command line\)\.$/,
    },
  },
  {
    script: 'adder_client_crash.py',
    question: 'adder',
    exit: 1,
    expect: { 'name-first': true, bundled: true, 'printed-sums': false, exits: false },
    detail: { exits: /exited with code 1[\s\S]*TypeError/ },
  },
  {
    script: 'adder_client_hang.py',
    question: 'adder',
    args: ['--timeout', '6'],
    exit: 1,
    expect: { 'name-first': true, bundled: true, 'printed-sums': true, quit: false, exits: false },
    detail: { exits: /still running after \d+ s and was stopped[\s\S]*Enter command/ },
  },
  {
    script: 'greeting_client.py',
    question: 'greeting',
    exit: 0,
    expect: { connected: true, acknowledgement: true, reads: true, 'printed-greeting': true, exits: true },
    detail: { acknowledgement: /"It was nice talking to you"/ },
  },
  {
    script: 'dedup_client.py',
    question: 'dedup',
    exit: 0,
    expect: {
      'list-size': true,
      'list-range': true,
      reads: true,
      'printed-final': true,
      'printed-duplicates': true,
      exits: true,
    },
  },
  {
    script: 'intersection_client.py',
    question: 'intersection',
    exit: 0,
    expect: { 'list-size': true, 'list-range': true, distinct: true, reads: true, 'printed-intersection': true, exits: true },
  },
]

describe('check client: Run my program with student-style clients', () => {
  for (const c of CASES) {
    it(`${c.script} as ${c.question}: exit ${c.exit}`, async () => {
      const r = await runCheck(['client', c.question, '--port', '0', '--timeout', '20', ...(c.args ?? []), '--', ...py(c.script)])
      expect(r.json, r.stdout + r.stderr).not.toBeNull()
      expect(verdicts(r, Object.keys(c.expect)), r.stdout).toEqual(c.expect)
      for (const [id, re] of Object.entries(c.detail ?? {})) expect(r.check(id).detail, id).toMatch(re)
      expect(r.code, r.stdout).toBe(c.exit)
      for (const check of r.json!.checks) if (check.ok === false) expect(check.fix, check.id).toBeTruthy()
    })
  }

  it('greets a client that stays silent, and does not greet one that speaks first', async () => {
    const silent = await runCheck(['client', 'intersection', '--port', '0', '--', ...py('intersection_client.py')])
    const greetings = (r: typeof silent) =>
      r
        .json!.checks.find((x) => x.id === 'reads')!
        .evidence.filter((e) => e.dir === 'out' && e.data?.text === 'Thank you for connecting')
    expect(greetings(silent)).toHaveLength(1)
    const talker = await runCheck(['client', 'dedup', '--port', '0', '--', ...py('dedup_client.py')])
    expect(talker.code).toBe(0)
    expect(greetings(talker)).toHaveLength(0)
  })

  it('types the handout keyboard input: a, a, a wrong command, q; a prompt on the same line still counts', async () => {
    const r = await runCheck(['client', 'adder', '--port', '0', '--', ...py('adder_client.py')])
    expect(r.code, r.stdout).toBe(0)
    const typed = r.check('printed-sums').evidence.filter((e) => e.dir === 'stdin')
    expect(typed.map((e) => e.data!.text).join('')).toBe('a\na\nx\nq\n')
    const printed = r
      .check('printed-sums')
      .evidence.filter((e) => e.dir === 'stdout')
      .map((e) => e.data!.text)
      .join('')
    // With piped input the prompt has no newline, so the numbers' line starts with it: it still counts.
    expect(printed).toMatch(/Enter command: Numbers: \d+ \d+\n/)
    expect(r.check('printed-numbers').ok).toBe(true)
  })
})

describe('check client: clients that connect on their own', () => {
  it('grades two of our own CLI adder clients, then exits', async () => {
    const port = await freePort()
    const checking = runCheck(['client', 'adder', '--port', String(port), '--connections', '2', '--timeout', '20'])
    await new Promise((r) => setTimeout(r, 300))
    const { run } = await import('../../src/cli/run')
    const { PassThrough } = await import('node:stream')
    const quietIo = () => {
      const input = new PassThrough()
      input.end()
      return { out: new PassThrough().resume(), err: new PassThrough().resume(), input }
    }
    const codes = await Promise.all(
      ['one', 'two'].map((name) =>
        run(
          ['client', 'adder', '--host', '127.0.0.1', '--port', String(port), '--name', `cli-${name}`, '--script', 'a,a,q'],
          quietIo(),
        ),
      ),
    )
    expect(codes).toEqual([0, 0])
    const r = await checking
    expect(r.code, r.stdout).toBe(0)
    expect(verdicts(r, ['name-first', 'unique-names', 'bundled', 'range', 'quit', 'reads'])).toEqual({
      'name-first': true,
      'unique-names': true,
      bundled: true,
      range: true,
      quit: true,
      reads: true,
    })
    expect(r.check('unique-names').detail).toMatch(/cli-one/)
    // No command: nothing printed to check.
    expect(r.json!.checks.map((c) => c.id)).not.toContain('printed-sums')
  })

  it('a newline-terminated client gets newline-terminated answers (the test peer reads lines)', async () => {
    const port = await freePort()
    const checking = runCheck(['client', 'adder', '--port', String(port), '--timeout', '20'])
    await new Promise((r) => setTimeout(r, 300))
    const client = await runPython('adder_client.py', ['--port', String(port), '--script', 'a,a,q', '--newline'])
    expect(client.code, client.stdout + client.stderr).toBe(0)
    const r = await checking
    expect(r.code, r.stdout).toBe(0)
    const out = r.check('bundled').evidence.filter((e) => e.dir === 'out')
    expect(out[0].data!.text).toBe('ack\n')
  })

  it('nobody connects: exit 1 after --timeout, with what to do', async () => {
    const r = await runCheck(['client', 'greeting', '--port', '0', '--timeout', '1'])
    expect(r.code).toBe(1)
    expect(r.check('connected')).toMatchObject({ ok: false, required: true })
    expect(r.check('connected').detail).toMatch(/No client connected to port \d+ within 1 s/)
  })

  it('the port is taken: exit 1 with the reason', async () => {
    const net = await import('node:net')
    const holder = net.createServer()
    await new Promise<void>((r) => holder.listen(0, () => r()))
    const port = (holder.address() as { port: number }).port
    try {
      const r = await runCheck(['client', 'adder', '--port', String(port), '--timeout', '1'])
      expect(r.code).toBe(1)
      expect(r.check('connected').detail).toMatch(/EADDRINUSE/)
      expect(r.check('connected').fix).toMatch(/choose another \(Serve on port; --port in the command line\)/)
    } finally {
      holder.close()
    }
  })

  it('usage errors exit 2', async () => {
    for (const args of [
      ['client'],
      ['client', 'adder', '--connections', '0'],
      ['client', 'adder', '--timeout', 'x'],
      ['client', 'adder', '--nope'],
    ]) {
      const r = await runCheck(args)
      expect(r.code, args.join(' ')).toBe(2)
    }
  })
})
