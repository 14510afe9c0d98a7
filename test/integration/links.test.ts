// Every exercise across a real, bad link (issue 9): two machines made of network namespaces, the
// student's and the neighbour's, joined by a link that is jittery, lossy, slow or narrow. SocketLab runs
// on both ends, and against the classmates' Python programs both ways, with default settings; each
// exchange must come out right. The conditions are those under which fixed timings failed before:
// 200 ms ± 150 ms jitter, 10 % loss, 100 kbit, MTU 300.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { benchAvailable, createBench, type Bench, type Condition } from '../helpers/netbench'
import { runCliClient, runPython, startCliServer, startPythonServer, type BenchServer } from '../helpers/netbench-peers'

const avail = benchAvailable()

const CONDITIONS: Condition[] = [
  { name: '200 ms ± 150 ms jitter', delayMs: 200, jitterMs: 150 },
  { name: '10 % loss', lossPct: 10, delayMs: 5 },
  { name: '100 kbit', rateKbit: 100 },
  { name: 'MTU 300 and 5 % loss', mtu: 300, lossPct: 5 },
]

const TIMEOUT = ['--timeout', '90']
/**
 * A classmate's program reads each message with one `recv(1024)`, so a message longer than one TCP
 * segment reaches it in pieces: on a 300-byte MTU (260-byte segments) no peer can make a 100-number list
 * arrive whole (the README says so). Across such a link the Python programs get lists that fit a segment.
 */
const SHORT = Array.from({ length: 25 }, (_, i) => ((i * 37) % 100) + 1).join(',')
/** A list long enough to span many segments at MTU 300 and take seconds at 100 kbit. */
const LONG_LIST = Array.from({ length: 1000 }, (_, i) => ((i * 7) % 100) + 1).join(',')

describe.skipIf(!avail.ok)(`every exercise across a bad link${avail.ok ? '' : ` (skipped: ${avail.reason})`}`, () => {
  let bench: Bench
  const servers: Record<string, BenchServer> = {}

  beforeAll(async () => {
    bench = await createBench({ name: 'clean' })
    const n = bench.neighbour
    // SocketLab's servers on the neighbour's machine, and the classmates' Python servers beside them.
    for (const ex of ['greeting', 'dedup', 'intersection', 'adder']) servers[ex] = await startCliServer(n, ex)
    servers.pyGreeting = await startPythonServer(n, 'greeting_server.py', TIMEOUT)
    servers.pyDedup = await startPythonServer(n, 'dedup_server.py', TIMEOUT)
    servers.pyDedupAck = await startPythonServer(n, 'classmate_dedup_server.py', ['--greet', 'ack', ...TIMEOUT])
    servers.pyInterList = await startPythonServer(n, 'classmate_intersection_server.py', ['--greet', 'list', ...TIMEOUT])
    servers.pyAdder = await startPythonServer(n, 'adder_server_threaded.py', TIMEOUT)
  }, 120_000)

  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.stop()))
    await bench?.destroy()
  })

  for (const condition of CONDITIONS) {
    it(`${condition.name}: SocketLab on both ends and against the Python programs, both ways`, async () => {
      await bench.setCondition(condition)
      const s = bench.student
      const at = bench.neighbour.addr
      const ours = (ex: string, args: string[] = []) => runCliClient(s, ex, at, servers[ex].port, args, { timeoutMs: 150_000 })
      const narrow = condition.mtu !== undefined && condition.mtu < 600
      const pyList = narrow ? ['--numbers', SHORT] : []
      const runs = {
        'our greeting client → our server': ours('greeting'),
        'our dedup client, 1000 numbers → our server': ours('dedup', ['--numbers', LONG_LIST]),
        'our intersection client → our server': ours('intersection'),
        'our adder client → our server': ours('adder', ['--script', 'a,a,a,q']),
        'our greeting client → Python greeting server': runCliClient(s, 'greeting', at, servers.pyGreeting.port, [], {
          timeoutMs: 150_000,
        }),
        'our dedup client → Python greeting → ack → list server': runCliClient(s, 'dedup', at, servers.pyDedupAck.port, pyList, {
          timeoutMs: 150_000,
        }),
        'our intersection client → Python greeting → list server': runCliClient(
          s,
          'intersection',
          at,
          servers.pyInterList.port,
          [],
          { timeoutMs: 150_000 },
        ),
        'our dedup client → Python dedup server': runCliClient(s, 'dedup', at, servers.pyDedup.port, pyList, {
          timeoutMs: 150_000,
        }),
        'our adder client → Python threaded server': runCliClient(s, 'adder', at, servers.pyAdder.port, ['--script', 'a,a,q'], {
          timeoutMs: 150_000,
        }),
        'Python greeting client → our server': runPython(
          s,
          'greeting_client.py',
          ['--host', at, '--port', String(servers.greeting.port), '--expect', 'Thank you for connecting', ...TIMEOUT],
          { timeoutMs: 150_000 },
        ),
        'Python list-first dedup client → our server': runPython(
          s,
          'dedup_client.py',
          ['--host', at, '--port', String(servers.dedup.port), ...pyList, ...TIMEOUT],
          { timeoutMs: 150_000 },
        ),
        'Python two-message dedup client → our server': runPython(
          s,
          'classmate_dedup_client.py',
          ['--host', at, '--port', String(servers.dedup.port), ...pyList, ...TIMEOUT],
          { timeoutMs: 150_000 },
        ),
        'Python greeting-first intersection client → our server': runPython(
          s,
          'intersection_client.py',
          ['--host', at, '--port', String(servers.intersection.port), '--expect-greeting', ...TIMEOUT],
          { timeoutMs: 150_000 },
        ),
        'Python adder client → our server': runPython(
          s,
          'adder_client.py',
          ['--host', at, '--port', String(servers.adder.port), '--script', 'a,a,x,q', ...TIMEOUT],
          { timeoutMs: 150_000 },
        ),
      }
      const results = await Promise.all(Object.values(runs))
      const failed = Object.keys(runs).flatMap((name, i) =>
        results[i].code === 0 ? [] : [`${name}: exit ${results[i].code}\n${results[i].stdout}\n${results[i].stderr}`],
      )
      expect(failed, `${condition.name} (seed ${bench.seed})`).toEqual([])
      // The two-message client checks nothing itself: its printed lists must be the right ones.
      const two = results[Object.keys(runs).indexOf('Python two-message dedup client → our server')].stdout
      const printed = (label: string): number[] => JSON.parse(new RegExp(`^${label}: (\\[.*\\])$`, 'm').exec(two)?.[1] ?? 'null')
      const sent = printed('Original list')
      const counts = new Map<number, number>()
      for (const v of sent) counts.set(v, (counts.get(v) ?? 0) + 1)
      expect(printed('Final list'), two).toEqual([...counts.keys()])
      expect(printed('Duplicates'), two).toEqual([...counts].filter(([, n]) => n > 1).map(([v]) => v))
      for (const py of ['pyDedupAck', 'pyInterList']) expect(servers[py].output()).not.toMatch(/Traceback/)
      // The Python greeting server got our acknowledgement, whole.
      expect(servers.pyGreeting.output()).not.toMatch(/FAIL|Traceback/)
      expect(servers.pyGreeting.output()).toContain('It was nice talking to you')
    }, 200_000)
  }
})
