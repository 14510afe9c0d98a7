// Our server against Python clients, and our client against Python servers, for every exercise:
// the peers are written the way students write them (send/recv(1024), str(list), "3 7", "3,7\n").

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Exercise } from '@shared/settings'
import { clientEnded, ok, watchedHost, type Watched } from '../helpers/host'
import { runPython, startPythonServer, type PythonServer } from '../helpers/python'

let w: Watched
const ports = new Map<Exercise, number>()

describe('our server, Python clients', () => {
  beforeAll(async () => {
    w = watchedHost()
    for (const exercise of ['greeting', 'dedup', 'intersection', 'adder'] as const) {
      const srv = ok(await w.host.call('serverStart', { exercise, host: 'loopback', port: 0, oneAtATime: false }))
      ports.set(exercise, srv.port)
    }
  })
  afterAll(() => w.host.close())

  const port = (e: Exercise): string => String(ports.get(e))

  it('greeting client gets "Thank you for connecting" and our server prints its acknowledgement', async () => {
    const run = await runPython('greeting_client.py', ['--port', port('greeting'), '--expect', 'Thank you for connecting'])
    expect(run.stdout).toContain('Thank you for connecting')
    expect(run.code).toBe(0)
    await w.waitUntil(() => w.allLines().some((l) => l.text === 'It was nice talking to you'), 'the ack line')
  })

  const dedupVariants: string[][] = [
    [],
    ['--format', 'json'],
    ['--format', 'spaces'],
    ['--newline'],
    ['--expect-greeting'],
    ['--expect-greeting', '--glue'],
    ['--expect-greeting', '--glue', '--newline'],
    ...[2, 3, 4, 5].map((p) => ['--format', 'pickle', '--protocol', String(p)]),
    ['--format', 'pickle', '--protocol', '4', '--expect-greeting', '--glue'],
    ['--numbers', '1,5,5,9,1', '--check-order'],
  ]
  for (const flags of dedupVariants) {
    it(`dedup client ${flags.join(' ') || '(str list)'}`, async () => {
      const run = await runPython('dedup_client.py', ['--port', port('dedup'), ...flags])
      expect(run.stdout + run.stderr).not.toContain('FAIL')
      expect(run.stdout).toContain('Final list: [')
      expect(run.code).toBe(0)
    })
  }

  for (const flags of [
    [],
    ['--expect-greeting', '--glue'],
    ['--format', 'pickle', '--protocol', '2'],
    ['--format', 'spaces', '--newline'],
  ]) {
    it(`intersection client ${flags.join(' ') || '(str list)'}`, async () => {
      const run = await runPython('intersection_client.py', ['--port', port('intersection'), ...flags])
      expect(run.stdout + run.stderr).not.toContain('FAIL')
      expect(run.stdout).toMatch(/Intersection: \[[\d, ]*\]/)
      expect(run.code).toBe(0)
    })
  }

  for (const flags of [[], ['--sep', ','], ['--sep', '+'], ['--newline'], ['--crlf', '--sep', ',']]) {
    it(`adder client ${flags.join(' ') || '(3 7)'}: name, ack, sums, invalid command, q`, async () => {
      const name = `py-${flags.length}-${Math.floor(Math.random() * 1e6)}`
      const run = await runPython('adder_client.py', ['--port', port('adder'), '--name', name, '--script', 'a,a,x,a,q', ...flags])
      expect(run.stdout.match(/answer received from Server = \d+/g)).toHaveLength(3)
      expect(run.stdout).toContain('Invalid command')
      expect(run.code).toBe(0)
      await w.waitUntil(() => w.allLines().some((l) => l.text === `Connection initiated by ${name}`), 'the name line')
    })
  }

  it('adder client typing at the keyboard (stdin), end of input counts as q', async () => {
    const run = await runPython('adder_client.py', ['--port', port('adder')], 20_000, 'a\nx\na\n')
    expect(run.stdout.match(/answer received from Server = \d+/g)).toHaveLength(2)
    expect(run.code).toBe(0)
  })
})

describe('our client, Python servers', () => {
  let py: PythonServer | null = null
  beforeAll(() => {
    w = watchedHost()
  })
  afterEach(async () => {
    await py?.stop()
    py = null
  })
  afterAll(() => w.host.close())

  async function client(exercise: Exercise, extra: Record<string, unknown> = {}) {
    const cli = ok(await w.host.call('clientStart', { exercise, host: '127.0.0.1', port: py!.port, ...extra }))
    return { cli, end: await w.waitFor(clientEnded(cli.clientId), 20_000) }
  }

  for (const flags of [[], ['--ending', 'crlf'], ['--ending', 'nul'], ['--wording', 'Thanks for connecting!']]) {
    it(`greeting server ${flags.join(' ') || '(no terminator)'}`, async () => {
      py = await startPythonServer('greeting_server.py', flags)
      const { cli, end } = await client('greeting')
      expect(end.ok).toBe(true)
      const greeting = flags[0] === '--wording' ? flags[1] : 'Thank you for connecting'
      expect(w.lines(cli.clientId)).toEqual([greeting])
      await w.waitUntil(() => py!.output().includes('It was nice talking to you'), 'python printing the ack')
    })
  }

  for (const flags of [[], ['--greet'], ['--order', 'set'], ['--greet', '--newline']]) {
    it(`dedup server ${flags.join(' ') || '(plain)'}`, async () => {
      py = await startPythonServer('dedup_server.py', flags)
      const { cli, end } = await client('dedup', { params: { numbers: [4, 8, 4, 15, 16, 23, 42, 8, 4] } })
      expect(end.error).toBeUndefined()
      expect(end.ok).toBe(true)
      expect(w.lines(cli.clientId).some((l) => l.startsWith('Final list: ['))).toBe(true)
      expect(w.lines(cli.clientId)).toContain('Duplicates: [4, 8] (4 ×3, 8 ×2) — computed here: the server did not send them')
    })
  }

  it('dedup server answering a pickle with a pickle', async () => {
    py = await startPythonServer('dedup_server.py')
    const { cli, end } = await client('dedup', { params: { numbers: [3, 3, 7] }, wire: { listEncoding: 'pickle' } })
    expect(end.ok).toBe(true)
    expect(w.lines(cli.clientId)).toContain('Final list: [3, 7]')
  })

  it('intersection server with a known set', async () => {
    py = await startPythonServer('intersection_server.py', ['--server-set', '1,2,3,50', '--greet'])
    const { cli, end } = await client('intersection', { params: { numbers: [50, 3, 99, 2] } })
    expect(end.ok).toBe(true)
    expect(w.lines(cli.clientId)).toContain('Intersection: [2, 3, 50]')
  })

  for (const [script, flags, separator] of [
    ['adder_server.py', [], ' '],
    ['adder_server.py', ['--sep', ','], ','],
    ['adder_server.py', ['--newline'], '+'],
    ['adder_server_threaded.py', [], ' '],
  ] as const) {
    it(`${script} ${flags.join(' ')} with separator "${separator}"`, async () => {
      py = await startPythonServer(script, [...flags])
      const cli = ok(
        await w.host.call('clientStart', {
          exercise: 'adder',
          host: '127.0.0.1',
          port: py.port,
          params: { name: 'lab-client-7' },
          wire: { pairSeparator: separator },
        }),
      )
      for (const command of ['a', 'a', 'z', 'a', 'q']) ok(await w.host.call('clientCommand', { clientId: cli.clientId, command }))
      const end = await w.waitFor(clientEnded(cli.clientId), 20_000)
      expect(end.ok).toBe(true)
      expect(w.lines(cli.clientId).filter((l) => l.startsWith('answer received from Server = '))).toHaveLength(3)
      expect(py.output()).toContain('Connection initiated by lab-client-7')
    })
  }

  it('five of our adder clients at once against the threaded Python server', async () => {
    py = await startPythonServer('adder_server_threaded.py', ['--quiet'])
    const clients = await Promise.all(
      [1, 2, 3, 4, 5].map(async (i) =>
        ok(
          await w.host.call('clientStart', {
            exercise: 'adder',
            host: '127.0.0.1',
            port: py!.port,
            params: { name: `multi-${i}` },
          }),
        ),
      ),
    )
    for (const c of clients)
      for (const command of ['a', 'a', 'q']) ok(await w.host.call('clientCommand', { clientId: c.clientId, command }))
    for (const c of clients) expect((await w.waitFor(clientEnded(c.clientId), 20_000)).ok).toBe(true)
  })
})
