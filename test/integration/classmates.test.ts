// Issue 10's acceptance tests: SocketLab paired with classmates' own programs, with DEFAULT settings,
// in both directions. The peers (test/peers/classmate_*.py) are written the way students write the
// lab and catch nothing, so "SocketLab crashed my classmate's program" shows up as a Python traceback
// and exit status 1. Each test names the issue-10 item it checks. Our side is the real Host (servers on
// 127.0.0.1 port 0, clients through clientStart) or the CLI's `run` where the exit code is the point.

import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ClientStartArgs, ServerStartArgs } from '@shared/contract'
import type { Exercise } from '@shared/settings'
import { runCli } from '../helpers/check-cli'
import { clientEnded, ok, watchedHost, type Watched } from '../helpers/host'
import { runPython, type PythonRun } from '../helpers/python'

const PEERS = join(__dirname, '..', 'peers')
const TEST_MS = 20_000
/** The peers' socket timeout: where a classmate's program would hang, ours raises and the test goes on. */
const PY_TIMEOUT = ['--timeout', '5']

// A list with repeats and one singleton: final [42, 8, 4, 15]; repeated values [42, 8, 4] (first
// occurrences), [4, 8, 42] (sorted), every extra occurrence [42, 8, 4, 4], counts {42: 2, 8: 2, 4: 3}.
const DUP_LIST = [42, 8, 42, 4, 15, 8, 4, 4]
const DUP_ARG = DUP_LIST.join(',')
// Raw-byte lists as bytes(random.sample(range(1, 100), 25)) draws them: 10 is '\n', 13 '\r', 9 '\t'.
const RAW_SET = [42, 20, 51, 84, 7, 10, 69, 13, 47, 75, 8, 65, 28, 5, 12, 56, 54, 9, 31, 85, 71, 55, 89, 73, 16]
const RAW_DEDUP = [
  29, 81, 81, 75, 8, 74, 75, 51, 7, 29, 6, 72, 18, 38, 54, 19, 70, 16, 74, 40, 72, 88, 24, 14, 75, 74, 82, 25, 48, 13,
]

const pyList = (values: readonly number[]): string => `[${values.join(', ')}]`
const firstOccurrences = (values: readonly number[]): number[] => [...new Set(values)]
const ascending = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b)

/** The classmate's program neither crashed nor hung: exit 0 and nothing on stderr (a traceback). */
function expectNoCrash(py: PythonRun): void {
  expect({ code: py.code, stderr: py.stderr }, `the classmate's program printed:\n${py.stdout}`).toEqual({ code: 0, stderr: '' })
}

/** What the classmate's program printed after `label: ` (its first such line). */
function printed(stdout: string, label: string): string | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith(`${label}: `))
  return line?.slice(label.length + 2).trimEnd()
}

/** Adder clients print `Numbers: 3 7` then `answer received from Server = 10`: every sum must be right. */
function expectRightSums(stdout: string, count: number): void {
  const pairs = [...stdout.matchAll(/Numbers: (\d+) (\d+)\n(?:.*?)answer received from Server = (-?\d+)/g)]
  expect(pairs, stdout).toHaveLength(count)
  for (const [, a, b, sum] of pairs) expect(Number(sum), stdout).toBe(Number(a) + Number(b))
}

function runClassmate(script: string, args: string[], input?: string): Promise<PythonRun> {
  return runPython(script, [...PY_TIMEOUT, ...args], 15_000, input)
}

interface Classmate {
  port: number
  output(): string
  /** Resolves when the `--once` server exits (killed after 15 s: code null). */
  finished(): Promise<PythonRun>
}

const running: ReturnType<typeof spawn>[] = []

/** A classmate's server with `--once`: it serves one connection and exits, 0 or with its traceback. */
function startClassmate(script: string, args: string[] = []): Promise<Classmate> {
  const child = spawn('python3', [join(PEERS, script), '--port', '0', '--once', ...PY_TIMEOUT, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<PythonRun>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${script} did not start: ${stdout} ${stderr}`))
    }, 10_000)
    child.stdout.on('data', () => {
      const m = /listening on (\d+)/.exec(stdout)
      if (!m) return
      clearTimeout(timer)
      resolve({
        port: Number(m[1]),
        output: () => stdout + stderr,
        finished: () => {
          const kill = setTimeout(() => child.kill('SIGKILL'), 15_000)
          return exited.finally(() => clearTimeout(kill))
        },
      })
    })
    child.on('error', reject)
  })
}

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})

/** Our CLI client in-process, as `socketlab client ...` with default settings. */
function cliClient(exercise: Exercise, port: number, extra: string[] = []) {
  return runCli(['client', exercise, '--host', '127.0.0.1', '--port', String(port), ...extra])
}

describe('our server (default settings), classmates’ clients', () => {
  let w: Watched
  const ports = new Map<string, number>()
  const serverIds = new Map<string, string>()

  beforeAll(async () => {
    w = watchedHost()
    const servers: [string, ServerStartArgs][] = [
      ['greeting', { exercise: 'greeting', host: 'loopback', port: 0, oneAtATime: false }],
      ['dedup', { exercise: 'dedup', host: 'loopback', port: 0, oneAtATime: false }],
      // Its own set is all of 1..100, so the right intersection is exactly the client's set, sorted.
      ['intersection', { exercise: 'intersection', host: 'loopback', port: 0, oneAtATime: false, setSize: 100 }],
      ['adder', { exercise: 'adder', host: 'loopback', port: 0, oneAtATime: false }],
    ]
    for (const [key, args] of servers) {
      const srv = ok(await w.host.call('serverStart', args))
      ports.set(key, srv.port)
      serverIds.set(key, srv.serverId)
    }
  })
  afterAll(() => w.host.close())

  const port = (key: string): string => String(ports.get(key))

  // Item 1: the dedup server sends the duplicates as a second, paced message after the final list;
  // each of the four ways a classmate's client reads two messages gets both, apart.
  for (const style of ['literal', 'json', 'pickle', 'loose']) {
    it(
      `dedup client reading two messages (${style}) gets the final list, then the duplicates`,
      async () => {
        const py = await runClassmate('classmate_dedup_client.py', [
          '--port',
          port('dedup'),
          '--style',
          style,
          '--numbers',
          DUP_ARG,
        ])
        expectNoCrash(py)
        expect(printed(py.stdout, 'Final list')).toBe(pyList(firstOccurrences(DUP_LIST)))
        expect(printed(py.stdout, 'Duplicates')).toBe('[42, 8, 4]')
      },
      TEST_MS,
    )
  }

  // Item 1 with the handout's own input: 25..100 random numbers in 1..100.
  it(
    'dedup client reading two messages, random list of 25..100 numbers',
    async () => {
      const py = await runClassmate('classmate_dedup_client.py', ['--port', port('dedup')])
      expectNoCrash(py)
      const sent = JSON.parse(printed(py.stdout, 'Original list') ?? '[]') as number[]
      expect(sent.length).toBeGreaterThanOrEqual(25)
      expect(printed(py.stdout, 'Final list')).toBe(pyList(firstOccurrences(sent)))
      const repeated = firstOccurrences(sent).filter((n) => sent.indexOf(n) !== sent.lastIndexOf(n))
      expect(printed(py.stdout, 'Duplicates')).toBe(pyList(repeated))
    },
    TEST_MS,
  )

  // Item 1 + 2: a pickle in, pickles out (the duplicates too) at the peer's protocol.
  it(
    'dedup client speaking pickle protocol 2 gets two pickles',
    async () => {
      const py = await runClassmate('classmate_dedup_client.py', [
        '--port',
        port('dedup'),
        '--style',
        'pickle',
        '--protocol',
        '2',
        '--numbers',
        DUP_ARG,
      ])
      expectNoCrash(py)
      expect(printed(py.stdout, 'Duplicates')).toBe('[42, 8, 4]')
    },
    TEST_MS,
  )

  // Item 3 (and the README's promise): an acknowledgement sent before any greeting, then the list,
  // is taken in the server's stride, for dedup and intersection, glued to the list or apart.
  for (const exercise of ['dedup', 'intersection'] as const) {
    for (const pause of ['0', '0.3']) {
      it(
        `${exercise} client that sends "It was nice talking to you" first (pause ${pause} s), then its list`,
        async () => {
          const numbers = exercise === 'dedup' ? DUP_LIST : [50, 3, 99, 2, 17]
          const py = await runClassmate('classmate_ack_first_client.py', [
            '--port',
            port(exercise),
            '--exercise',
            exercise,
            '--pause',
            pause,
            '--numbers',
            numbers.join(','),
          ])
          expectNoCrash(py)
          if (exercise === 'dedup') expect(printed(py.stdout, 'Final list')).toBe(pyList(firstOccurrences(numbers)))
          else expect(printed(py.stdout, 'Intersection')).toBe(pyList(ascending(numbers)))
        },
        TEST_MS,
      )
    }
  }

  // Item 2: answer in kind — str/literal_eval, JSON, pickle at a protocol the peer can read (a Python 2
  // classmate reads protocol 2 at most), pickle 5.
  for (const flags of [
    [],
    ['--style', 'json'],
    ['--style', 'pickle', '--protocol', '2', '--python2'],
    ['--style', 'pickle', '--protocol', '5'],
  ]) {
    it(
      `intersection client ${flags.join(' ') || '(str / literal_eval)'} gets its answer in its own encoding`,
      async () => {
        const py = await runClassmate('classmate_intersection_client.py', ['--port', port('intersection'), ...flags])
        expectNoCrash(py)
        const sent = JSON.parse(printed(py.stdout, 'Client set') ?? '[]') as number[]
        expect(sent).toHaveLength(25)
        expect(printed(py.stdout, 'Intersection')).toBe(pyList(ascending(sent)))
      },
      TEST_MS,
    )
  }

  // Item 2 / "lenient in": raw bytes in (one byte per number, '\n' and '\r' among them) → raw bytes out.
  it(
    'dedup client sending raw bytes gets raw bytes back',
    async () => {
      const py = await runClassmate('classmate_raw_client.py', [
        '--port',
        port('dedup'),
        '--exercise',
        'dedup',
        '--numbers',
        RAW_DEDUP.join(','),
      ])
      expectNoCrash(py)
      expect(printed(py.stdout, 'Final list')).toBe(pyList(firstOccurrences(RAW_DEDUP)))
    },
    TEST_MS,
  )

  it(
    'intersection client sending bytes(random.sample(range(1, 100), 25)) gets raw bytes back',
    async () => {
      const py = await runClassmate('classmate_raw_client.py', [
        '--port',
        port('intersection'),
        '--exercise',
        'intersection',
        '--numbers',
        RAW_SET.join(','),
      ])
      expectNoCrash(py)
      expect(printed(py.stdout, 'Intersection')).toBe(pyList(ascending(RAW_SET)))
    },
    TEST_MS,
  )

  // Item 4: the adder's pair as a Python list `[3, 7]` or tuple `(3, 7)` is read; the answer stays a bare sum.
  for (const shape of ['list', 'tuple']) {
    it(
      `adder client sending the pair as a Python ${shape}`,
      async () => {
        const py = await runClassmate('classmate_adder_client_list.py', [
          '--port',
          port('adder'),
          '--shape',
          shape,
          '--script',
          'a,a,x,a',
        ])
        expectNoCrash(py)
        expect(printed(py.stdout, 'Server says')).toBe('ack')
        expect(py.stdout).toContain('Invalid command')
        expectRightSums(py.stdout, 3)
      },
      TEST_MS,
    )
  }

  // Item 2 ("newline-terminated in → newline-terminated out"): a makefile()/readline() client that
  // sends `name\n` and waits for `ack\n`, then sends `3 7\n` and reads each answer as a line.
  it(
    'line-based adder client (makefile/readline) gets ack\\n and every sum as a line',
    async () => {
      const py = await runClassmate('classmate_adder_client_lines.py', [
        '--port',
        port('adder'),
        '--name',
        'liner-1',
        '--script',
        'a,x,a',
      ])
      expectNoCrash(py)
      expect(printed(py.stdout, 'Server says')).toBe('ack')
      expectRightSums(py.stdout, 2)
      await w.waitUntil(() => w.lines(serverIds.get('adder')!).includes('Connection initiated by liner-1'), 'the name line')
    },
    TEST_MS,
  )

  // Item 2 (NUL-terminated): a client that ends its acknowledgement with '\0' is shown without it.
  it(
    'NUL-terminating greeting client: its acknowledgement is shown clean',
    async () => {
      const py = await runClassmate('classmate_greeting_client_nul.py', ['--port', port('greeting')])
      expectNoCrash(py)
      expect(py.stdout.trim()).toBe('Thank you for connecting')
      await w.waitUntil(
        () => w.lines(serverIds.get('greeting')!).includes('It was nice talking to you'),
        'the acknowledgement line without its NUL',
      )
    },
    TEST_MS,
  )
})

describe('our client (default settings), classmates’ servers', () => {
  let w: Watched
  beforeAll(() => {
    w = watchedHost()
  })
  afterAll(() => w.host.close())

  async function ours(exercise: Exercise, port: number, params: ClientStartArgs['params'] = {}) {
    const cli = ok(await w.host.call('clientStart', { exercise, host: '127.0.0.1', port, params }))
    const end = await w.waitFor(clientEnded(cli.clientId), 15_000)
    return { id: cli.clientId, end }
  }

  /** Everything our client showed: its console lines and its results. */
  function shown(clientId: string): string {
    return [...w.lines(clientId), ...w.results(clientId).map((r) => JSON.stringify(r))].join('\n')
  }

  // Item 1: a server that sends the final list and then the duplicates in any real style passes, and
  // our client shows the duplicates as the server sent them (not only the ones it works out itself).
  for (const [style, asSent] of [
    ['once', '[4, 8, 42]'],
    ['every', '[42, 8, 4, 4]'],
    ['counts', '{42: 2, 8: 2, 4: 3}'],
  ] as const) {
    it(
      `dedup server sending the duplicates as ${asSent}`,
      async () => {
        const py = await startClassmate('classmate_dedup_server.py', ['--dups', style])
        const { id, end } = await ours('dedup', py.port, { numbers: DUP_LIST })
        expect(end.error).toBeUndefined()
        expect(end.ok).toBe(true)
        expect(w.lines(id)).toContain(`Final list: ${pyList(firstOccurrences(DUP_LIST))}`)
        expect(shown(id)).toContain(asSent)
        expectNoCrash(await py.finished())
      },
      TEST_MS,
    )
  }

  // Item 1: "our clients keep reading for a short while after the first answer": duplicates half a
  // second after the final list (a classmate who added time.sleep so their own client sees them apart).
  it(
    'dedup server that sleeps 0.5 s before the duplicates',
    async () => {
      const py = await startClassmate('classmate_dedup_server.py', ['--dups', 'every', '--pause', '0.5'])
      const { id, end } = await ours('dedup', py.port, { numbers: DUP_LIST })
      expect(end.error).toBeUndefined()
      expect(end.ok).toBe(true)
      expect(shown(id)).toContain('[42, 8, 4, 4]')
      expectNoCrash(await py.finished())
    },
    TEST_MS,
  )

  // Item 1: a deliberately wrong duplicates list is a plain "the server's duplicates list is wrong",
  // exit 1 in the CLI (today it passes with exit 0: the student's bug stays invisible).
  it(
    'dedup server with a WRONG duplicates list: the CLI says so and exits 1',
    async () => {
      const py = await startClassmate('classmate_dedup_server.py', ['--dups', 'wrong'])
      const run = await cliClient('dedup', py.port, ['--numbers', DUP_ARG])
      expect(run.code, run.stdout + run.stderr).toBe(1)
      expect(run.stdout + run.stderr).toMatch(/duplicates list is wrong/i)
      expect(run.stdout + run.stderr).toContain('[15]')
      expectNoCrash(await py.finished())
    },
    TEST_MS,
  )

  // Item 4: a labelled single reply is judged on its labelled list ('modified data'), never on the
  // echo of our own list ('received data'), and shown as received.
  it(
    'dedup server with one labelled reply: received data / modified data / repeating elements',
    async () => {
      const py = await startClassmate('classmate_dedup_server.py', ['--dups', 'labelled'])
      const { id, end } = await ours('dedup', py.port, { numbers: DUP_LIST })
      expect(end.error).toBeUndefined()
      expect(end.ok).toBe(true)
      expect(shown(id)).toContain('repeating elements: [42, 8, 4]')
      expect(shown(id)).toContain('modified data: [42, 8, 4, 15]')
      expectNoCrash(await py.finished())
    },
    TEST_MS,
  )

  // Item 3: both server greeting styles work without settings, and neither crashes: greeting → ONE
  // recv() that must be the list (an acknowledgement there is literal_eval's SyntaxError), and
  // greeting → recv the acknowledgement → recv the list; and no greeting at all.
  for (const greet of ['none', 'list', 'ack']) {
    it(
      `intersection server --greet ${greet}`,
      async () => {
        const py = await startClassmate('classmate_intersection_server.py', ['--greet', greet, '--server-set', '1,2,3,50'])
        const { id, end } = await ours('intersection', py.port, { numbers: [50, 3, 99, 2] })
        expect(end.error).toBeUndefined()
        expect(end.ok).toBe(true)
        expect(w.lines(id)).toContain('Intersection: [2, 3, 50]')
        expectNoCrash(await py.finished())
      },
      TEST_MS,
    )

    it(
      `dedup server --greet ${greet}`,
      async () => {
        const py = await startClassmate('classmate_dedup_server.py', ['--greet', greet])
        const { id, end } = await ours('dedup', py.port, { numbers: DUP_LIST })
        expect(end.error).toBeUndefined()
        expect(end.ok).toBe(true)
        expect(w.lines(id)).toContain(`Final list: ${pyList(firstOccurrences(DUP_LIST))}`)
        expectNoCrash(await py.finished())
      },
      TEST_MS,
    )
  }

  // Item 3 with the handout's own input (the CLI's default 25..100 random numbers) against the
  // strictest server: greeting, then one recv() that must be the list.
  it(
    'CLI dedup client, default random list, against a greet-then-literal_eval server: exit 0',
    async () => {
      const py = await startClassmate('classmate_dedup_server.py', ['--greet', 'list'])
      const run = await cliClient('dedup', py.port)
      expect(run.code, run.stdout + run.stderr).toBe(0)
      expectNoCrash(await py.finished())
    },
    TEST_MS,
  )

  // Item 4: a labelled multi-list reply (one message of three lines) is judged on 'Intersection:',
  // never on the echo 'Client set:', and every part is shown as received.
  it(
    'intersection server with a labelled three-line reply',
    async () => {
      const py = await startClassmate('classmate_intersection_server.py', ['--reply', 'labelled', '--server-set', '1,2,3,50'])
      const { id, end } = await ours('intersection', py.port, { numbers: [50, 3, 99, 2] })
      expect(end.error).toBeUndefined()
      expect(end.ok).toBe(true)
      expect(w.lines(id)).toContain('Intersection: [2, 3, 50]')
      expect(shown(id)).toContain('Server set: [1, 2, 3, 50]')
      expectNoCrash(await py.finished())
    },
    TEST_MS,
  )

  // Item 4 ("error replies are never parsed as lists"): an error with brackets is shown whole.
  it(
    'server error "error: every number must be in [1, 100]" is shown whole, exit 1',
    async () => {
      const py = await startClassmate('classmate_dedup_server.py')
      const run = await cliClient('dedup', py.port, ['--numbers', '0,5,5,150'])
      expect(run.code).toBe(1)
      expect(run.stdout + run.stderr).toContain('error: every number must be in [1, 100]')
      expectNoCrash(await py.finished())
    },
    TEST_MS,
  )

  // Item 4: a reply carrying exactly one integer inside text is the answer, shown as received.
  for (const [reply, sample] of [
    ['sum', 'Sum = '],
    ['answer', 'answer: '],
  ] as const) {
    it(
      `adder server answering "${sample}13"`,
      async () => {
        const py = await startClassmate('classmate_adder_server_labelled.py', ['--reply', reply])
        const cli = ok(
          await w.host.call('clientStart', { exercise: 'adder', host: '127.0.0.1', port: py.port, params: { name: 'lab-7' } }),
        )
        for (const command of ['a', 'a', 'x', 'a', 'q'])
          ok(await w.host.call('clientCommand', { clientId: cli.clientId, command }))
        const end = await w.waitFor(clientEnded(cli.clientId), 15_000)
        expect(end.error).toBeUndefined()
        expect(end.ok).toBe(true)
        expect(w.lines(cli.clientId).filter((l) => l.startsWith('answer received from Server = '))).toHaveLength(3)
        expect(shown(cli.clientId)).toContain(sample)
        const done = await py.finished()
        expectNoCrash(done)
        expect(done.stdout).toContain('Connection initiated by lab-7')
      },
      TEST_MS,
    )
  }

  // Item 2: a line-based server (readline() for the name, `ack\n`, sums as lines) works by default.
  // (If the README decides this is one that cannot work without --line-mode, say so there and here.)
  it(
    'line-based adder server (makefile/readline)',
    async () => {
      const py = await startClassmate('classmate_adder_server_lines.py')
      const cli = ok(
        await w.host.call('clientStart', { exercise: 'adder', host: '127.0.0.1', port: py.port, params: { name: 'lab-8' } }),
      )
      for (const command of ['a', 'a', 'q']) ok(await w.host.call('clientCommand', { clientId: cli.clientId, command }))
      const end = await w.waitFor(clientEnded(cli.clientId), 15_000)
      expect(end.error).toBeUndefined()
      expect(end.ok).toBe(true)
      expect(w.lines(cli.clientId).filter((l) => l.startsWith('answer received from Server = '))).toHaveLength(2)
      const done = await py.finished()
      expectNoCrash(done)
      expect(done.stdout).toContain('Connection initiated by lab-8\n')
    },
    TEST_MS,
  )

  // Item 2 (NUL-terminated): a greeting ending in '\0' is answered in kind, so the classmate's
  // read-up-to-NUL loop finds the end of our acknowledgement.
  it(
    'NUL-terminated greeting server gets a NUL-terminated acknowledgement',
    async () => {
      const py = await startClassmate('classmate_greeting_server_nul.py')
      const { id, end } = await ours('greeting', py.port)
      expect(end.ok).toBe(true)
      expect(w.lines(id)).toContain('Thank you for connecting')
      const done = await py.finished()
      expectNoCrash(done)
      expect(done.stdout).toContain('It was nice talking to you\n')
    },
    TEST_MS,
  )

  // Item 2 (raw bytes): a server that reads raw bytes takes our text list as character codes; it
  // cannot work from our side, but it must not crash and our client must not call the answer right.
  it(
    'raw-bytes dedup server: no crash, and no "correct" verdict on what it cannot have computed',
    async () => {
      const py = await startClassmate('classmate_raw_server.py', ['--exercise', 'dedup'])
      const { end } = await ours('dedup', py.port, { numbers: DUP_LIST })
      expect(end.ok).toBe(false)
      expectNoCrash(await py.finished())
    },
    TEST_MS,
  )
})
