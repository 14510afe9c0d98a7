// The two-host bench itself, proved before any lab test leans on it: the link carries TCP, each
// impairment has its measured effect end to end, the connection doctor's failure cases give the kernel's
// real symptom to a Node `net.connect` on the student's machine, and destroy() leaves nothing behind.
// Bounds are wide on purpose (loss and jitter are random; the machine is shared): they tell "in force"
// from "not in force", never a precise figure. Skipped with the reason where namespaces cannot be made.

import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { alive, benchAvailable, cleanStale, createBench, FORWARDER, python, type Bench } from '../helpers/netbench'
import { absentAddress, addFirewall, addOtherSubnet, startLoopbackServer } from '../helpers/netbench-doctor'
import { connectFrom, runCliClient, runPython, startCliServer, startListener, startPythonServer } from '../helpers/netbench-peers'
import { dfSend, startTcpEcho, startTcpSink, startUdpEcho, tcpRoundTrips, tcpSend, udpProbe } from '../helpers/netbench-probes'

const avail = benchAvailable({ firewall: true })
const skipped = avail.ok ? '' : ` (skipped: ${avail.reason})`
if (!avail.ok) console.warn(`netbench tests skipped: ${avail.reason}`)

const ipOut = (...args: string[]): string => spawnSync('ip', args, { encoding: 'utf8' }).stdout ?? ''
/** A SIGKILLed process takes a moment to disappear: wait up to 5 s. */
const gone = async (pid: number): Promise<boolean> => {
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100))
  return !alive(pid)
}
const min = (xs: number[]): number => Math.min(...xs)
const max = (xs: number[]): number => Math.max(...xs)

describe.skipIf(!avail.ok)(`two-host bench: student and neighbour namespaces across a forwarder${skipped}`, () => {
  let bench: Bench

  beforeAll(async () => {
    bench = await createBench()
  })
  afterAll(async () => {
    await bench?.destroy()
  })

  it('carries TCP between the two machines on a clean link', async () => {
    expect(bench.student.addr).toBe('10.231.0.1')
    expect(bench.neighbour.addr).toBe('10.231.0.2')
    // The addresses exist only inside the namespaces.
    expect(ipOut('-4', 'addr')).not.toContain('10.231.0.')
    const echo = await startTcpEcho(bench.neighbour)
    const r = await tcpRoundTrips(bench.student, bench.neighbour.addr, echo.port, 5)
    await echo.stop()
    expect(r.rttsMs).toHaveLength(5)
    expect(max(r.rttsMs)).toBeLessThan(1000)
    expect(r.mss).toBeGreaterThan(1000) // MTU 1500
    const stats = await bench.stats()
    expect(stats.toNeighbour.passed).toBeGreaterThan(0)
    expect(stats.toNeighbour.other).toBeGreaterThan(0) // the ARP that brought the link up
  })

  it('runs our CLI and the Python peers on either machine', async () => {
    const server = await startCliServer(bench.neighbour, 'adder')
    const ours = await runCliClient(bench.student, 'adder', bench.neighbour.addr, server.port, ['--script', 'a,a,q'])
    const theirs = await runPython(bench.student, 'adder_client.py', [
      '--host',
      bench.neighbour.addr,
      '--port',
      String(server.port),
      '--script',
      'a,q',
    ])
    await server.stop()
    expect(ours.code, ours.stdout + ours.stderr).toBe(0)
    expect(ours.stdout.match(/answer received from Server = \d+/g)).toHaveLength(2)
    expect(theirs.code, theirs.stdout + theirs.stderr).toBe(0)
    expect(server.output()).toMatch(/Connection initiated by/)

    const py = await startPythonServer(bench.neighbour, 'greeting_server.py')
    const client = await runCliClient(bench.student, 'greeting', bench.neighbour.addr, py.port)
    await py.stop()
    expect(client.code, client.stdout + client.stderr).toBe(0)
    expect(py.output()).toContain(`Got connection from ('${bench.student.addr}'`)
  })

  it('200 ms each way makes every round trip take at least ~400 ms', async () => {
    await bench.setCondition({ delayMs: 200 })
    const echo = await startTcpEcho(bench.neighbour)
    const r = await tcpRoundTrips(bench.student, bench.neighbour.addr, echo.port, 3)
    await echo.stop()
    expect(r.connectMs).toBeGreaterThanOrEqual(380)
    expect(min(r.rttsMs)).toBeGreaterThanOrEqual(380)
    expect(max(r.rttsMs)).toBeLessThan(4000)
  })

  it('200 ms ± 150 ms jitter spreads the round trip and reorders datagrams', async () => {
    await bench.setCondition({ name: '200ms±150ms', delayMs: 200, jitterMs: 150 })
    const echo = await startUdpEcho(bench.neighbour)
    const r = await udpProbe(bench.student, bench.neighbour.addr, echo.port, { count: 100, intervalMs: 2, waitMs: 1000 })
    const oneWay = (await echo.stats())!
    expect(r.unique).toBe(100) // no loss asked for
    expect(min(r.rttsMs)).toBeGreaterThanOrEqual(90) // 2 × (200 − 150), less a margin
    expect(max(r.rttsMs) - min(r.rttsMs)).toBeGreaterThan(100)
    expect(oneWay.reordered).toBeGreaterThan(5)
    expect(r.reordered).toBeGreaterThan(5)
  })

  it('10 % loss drops about that share of datagrams each way', async () => {
    await bench.setCondition({ lossPct: 10 })
    const echo = await startUdpEcho(bench.neighbour)
    const r = await udpProbe(bench.student, bench.neighbour.addr, echo.port, { count: 300, intervalMs: 2, waitMs: 500 })
    const oneWay = (await echo.stats())!
    // One way 90 % arrive, a round trip 81 %: wide bounds around both.
    expect(oneWay.unique / 300).toBeGreaterThan(0.75)
    expect(oneWay.unique / 300).toBeLessThan(0.97)
    expect(r.unique / 300).toBeGreaterThan(0.6)
    expect(r.unique / 300).toBeLessThan(0.95)
    const stats = await bench.stats()
    expect(stats.toNeighbour.lost).toBeGreaterThan(0)
    expect(stats.toStudent.lost).toBeGreaterThan(0)
  })

  it('duplication sends frames twice', async () => {
    await bench.setCondition({ dupPct: 50 })
    const echo = await startUdpEcho(bench.neighbour)
    const r = await udpProbe(bench.student, bench.neighbour.addr, echo.port, { count: 100, intervalMs: 2, waitMs: 300 })
    const oneWay = (await echo.stats())!
    expect(oneWay.unique).toBe(100)
    expect(oneWay.duplicates).toBeGreaterThan(20)
    expect(oneWay.duplicates).toBeLessThan(80)
    expect(r.duplicates).toBeGreaterThan(20)
  })

  it('reordering holds some frames back so later ones overtake them', async () => {
    await bench.setCondition({ reorderPct: 30, reorderMs: 30 })
    const echo = await startUdpEcho(bench.neighbour)
    await udpProbe(bench.student, bench.neighbour.addr, echo.port, { count: 100, intervalMs: 2, waitMs: 300 })
    const oneWay = (await echo.stats())!
    expect(oneWay.unique).toBe(100)
    expect(oneWay.reordered).toBeGreaterThan(5)
  })

  it('100 kbit makes a 50 KB upload take at least ~3 s', async () => {
    await bench.setCondition({ rateKbit: 100 })
    const sink = await startTcpSink(bench.neighbour)
    const r = await tcpSend(bench.student, bench.neighbour.addr, sink.port, 50_000)
    await sink.stop()
    expect(r.bytes).toBe(50_000)
    expect(r.elapsedMs).toBeGreaterThanOrEqual(3000) // 400 kbit at 100 kbit/s: ~4 s
    expect(r.elapsedMs).toBeLessThan(40_000)
  }, 60_000)

  it('MTU 300 is in force: a 400-byte DF datagram cannot leave, TCP segments shrink', async () => {
    await bench.setCondition({ mtu: 300 })
    expect(ipOut('-n', bench.neighbour.ns, 'link', 'show', 'dev', 'eth0')).toContain('mtu 300')
    const big = await dfSend(bench.student, bench.neighbour.addr, 9, 400)
    const small = await dfSend(bench.student, bench.neighbour.addr, 9, 200)
    expect(big).toMatchObject({ sent: false, errno: 90 }) // EMSGSIZE: "Message too long"
    expect(small.sent).toBe(true)
    const sink = await startTcpSink(bench.neighbour)
    const r = await tcpSend(bench.student, bench.neighbour.addr, sink.port, 20_000)
    await sink.stop()
    expect(r.bytes).toBe(20_000)
    expect(r.mss).toBeLessThanOrEqual(260) // 300 − 20 (IP) − 20 (TCP)
  })

  it('a combination of conditions, then back to a clean link without rebuilding', async () => {
    const pid = bench.forwarderPid
    await bench.setCondition({ delayMs: 50, lossPct: 5, rateKbit: 500, mtu: 600, toStudent: { delayMs: 100 } })
    const echo = await startTcpEcho(bench.neighbour)
    const slow = await tcpRoundTrips(bench.student, bench.neighbour.addr, echo.port, 3)
    expect(slow.mss).toBeLessThanOrEqual(560)
    expect(min(slow.rttsMs)).toBeGreaterThanOrEqual(140) // 50 there, 100 back
    await bench.setCondition({})
    const fast = await tcpRoundTrips(bench.student, bench.neighbour.addr, echo.port, 5)
    await echo.stop()
    // The fastest of five, so one scheduling stall on a busy machine cannot fail it: the 150 ms are gone.
    expect(min(fast.rttsMs)).toBeLessThan(100)
    expect(fast.mss).toBeGreaterThan(1000)
    expect(ipOut('-n', bench.student.ns, 'link', 'show', 'dev', 'eth0')).toContain('mtu 1500')
    expect(
      spawnSync('ip', ['netns', 'exec', bench.student.ns, 'tc', 'qdisc', 'show', 'dev', 'eth0'], { encoding: 'utf8' }).stdout,
    ).not.toContain('tbf')
    expect(bench.forwarderPid).toBe(pid)
  })

  it('refuses a misspelt condition instead of running a clean link', async () => {
    await expect(bench.setCondition({ delayMS: 200 } as never)).rejects.toThrow(/unknown condition key delayMS/)
    await expect(bench.setCondition({ lossPct: 120 })).rejects.toThrow(/at most 100/)
  })

  describe('connection doctor cases: what a Node net.connect on the student machine gets', () => {
    let port: number
    let stop: () => Promise<void>
    beforeAll(async () => {
      await bench.setCondition({})
      // A real server behind each firewall, so the firewall alone makes the difference.
      const listener = await startListener(bench.neighbour, bench.neighbour.addr)
      port = listener.port
      stop = listener.stop
      expect((await connectFrom(bench.student, bench.neighbour.addr, port)).outcome).toBe('connected')
    })
    afterAll(async () => {
      await stop?.()
    })

    it('a firewall that drops: silence, then ETIMEDOUT from the kernel', async () => {
      const fw = await addFirewall(bench.neighbour, port, 'drop')
      // With one SYN retry the kernel gives up after ~3 s (1 s + 2 s) instead of ~2 minutes; until then,
      // silence (an app's own connect timeout, shorter, sees only that).
      await bench.student.sysctl('net.ipv4.tcp_syn_retries', 1)
      try {
        const timedOut = await connectFrom(bench.student, bench.neighbour.addr, port, 15_000)
        console.info('doctor case drop:', JSON.stringify(timedOut))
        expect(timedOut).toMatchObject({ outcome: 'error', code: 'ETIMEDOUT', syscall: 'connect' })
        expect(timedOut.elapsedMs).toBeGreaterThanOrEqual(2000)
        expect((await connectFrom(bench.student, bench.neighbour.addr, port, 300)).outcome).toBe('silent')
      } finally {
        await bench.student.sysctl('net.ipv4.tcp_syn_retries', 6)
        await fw.remove()
      }
    })

    it('a firewall that rejects with a TCP reset: ECONNREFUSED at once, as for a closed port', async () => {
      const fw = await addFirewall(bench.neighbour, port, 'reset')
      const r = await connectFrom(bench.student, bench.neighbour.addr, port)
      await fw.remove()
      const closed = await connectFrom(bench.student, bench.neighbour.addr, 9)
      console.info('doctor case reset:', JSON.stringify(r), 'closed port:', JSON.stringify(closed))
      expect(r).toMatchObject({ outcome: 'error', code: 'ECONNREFUSED', syscall: 'connect' })
      expect(closed).toMatchObject({ outcome: 'error', code: 'ECONNREFUSED' })
      expect(r.elapsedMs).toBeLessThan(1000)
    })

    it('a firewall that rejects with ICMP admin-prohibited: EHOSTUNREACH at once', async () => {
      const fw = await addFirewall(bench.neighbour, port, 'admin-prohibited')
      const r = await connectFrom(bench.student, bench.neighbour.addr, port)
      await fw.remove()
      const hp = await addFirewall(bench.neighbour, port, 'host-prohibited')
      const host = await connectFrom(bench.student, bench.neighbour.addr, port)
      await hp.remove()
      console.info('doctor case admin-prohibited:', JSON.stringify(r), 'host-prohibited:', JSON.stringify(host))
      // The kernel maps ICMP code 13 (and 10) to EHOSTUNREACH, the same errno as a host that never answers
      // ARP: only the speed (at once, vs ~3 s) tells a firewall from a wrong address.
      expect(r).toMatchObject({ outcome: 'error', code: 'EHOSTUNREACH', syscall: 'connect' })
      expect(host).toMatchObject({ outcome: 'error', code: 'EHOSTUNREACH' })
      expect(r.elapsedMs).toBeLessThan(1000)
    })

    it('an address on the same subnet that nobody has: EHOSTUNREACH after the ARP attempts', async () => {
      const r = await connectFrom(bench.student, absentAddress(bench), port, 15_000)
      console.info('doctor case absent address:', JSON.stringify(r))
      expect(r).toMatchObject({ outcome: 'error', code: 'EHOSTUNREACH' })
      expect(r.elapsedMs).toBeGreaterThanOrEqual(1000)
    })

    it('a host on a different subnet: ENETUNREACH, nothing sent', async () => {
      const other = await addOtherSubnet(bench)
      const server = await startListener(bench.neighbour, other.addr)
      const r = await connectFrom(bench.student, other.addr, server.port)
      const local = await connectFrom(bench.neighbour, other.addr, server.port)
      await server.stop()
      console.info('doctor case other subnet:', JSON.stringify(r))
      expect(r).toMatchObject({ outcome: 'error', code: 'ENETUNREACH', syscall: 'connect' })
      expect(local.outcome).toBe('connected') // the server is there, just not on the student's network
    })

    it('a server bound to loopback only: refused from the student, open on its own machine', async () => {
      for (const host of ['127.0.0.1', '127.0.1.1'] as const) {
        const server = await startLoopbackServer(bench, host)
        const fromStudent = await connectFrom(bench.student, bench.neighbour.addr, server.port)
        const onItsOwn = await connectFrom(bench.neighbour, host, server.port)
        await server.stop()
        console.info(`doctor case bound to ${host}:`, JSON.stringify(fromStudent))
        expect(fromStudent).toMatchObject({ outcome: 'error', code: 'ECONNREFUSED' })
        expect(onItsOwn.outcome).toBe('connected')
      }
    })
  })
})

describe.skipIf(!avail.ok)(`two-host bench: replay and cleanup${skipped}`, () => {
  it('the same seed drops the same datagrams', async () => {
    // Two benches at once with the same seed, which also shows that parallel benches never collide.
    const runs = await Promise.all(
      [1, 2].map(async () => {
        const b = await createBench({ toNeighbour: { lossPct: 20 } }, { seed: 4242 })
        try {
          const server = await startUdpEcho(b.neighbour)
          await udpProbe(b.student, b.neighbour.addr, server.port, { count: 60, intervalMs: 3, waitMs: 300 })
          return (await server.stats())!.missing
        } finally {
          await b.destroy()
        }
      }),
    )
    expect(runs[0].length).toBeGreaterThan(0)
    expect(runs[1]).toEqual(runs[0])
  })

  it('destroy() leaves no namespace, veth or process behind', async () => {
    const linksBefore = ipOut('-o', 'link').split('\n').length
    const b = await createBench({ delayMs: 10, rateKbit: 1000 })
    const sleeper = b.student.spawn(python(), ['-c', 'import time; time.sleep(600)'])
    const server = await startCliServer(b.neighbour, 'adder')
    const pids = [b.forwarderPid, sleeper.pid!, server.child.pid!]
    expect(ipOut('netns', 'list')).toContain(b.namespaces[1])
    await b.destroy()
    await b.destroy() // twice is fine
    const list = ipOut('netns', 'list')
    for (const ns of b.namespaces) expect(list).not.toContain(ns)
    expect(ipOut('-o', 'link').split('\n').length).toBe(linksBefore)
    expect(ipOut('-o', 'link')).not.toMatch(/mid-[sn]/)
    for (const pid of pids) expect(await gone(pid), `pid ${pid}`).toBe(true)
    await expect(b.setCondition({})).rejects.toThrow(/after destroy/)
  })

  // A child Node process builds a bench and then ends without destroy(): once by exiting (the exit
  // handler cleans up), once by SIGKILL (nothing runs; the forwarder ends with its stdin, and the next
  // run's cleanStale() removes the namespaces and what ran inside them). netbench.ts is transpiled with
  // the project's TypeScript, since a plain Node child cannot load .ts.
  it('a test process that exits, or is killed, without destroy() leaves nothing behind for long', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netbench-'))
    try {
      const source = readFileSync(join(__dirname, '..', 'helpers', 'netbench.ts'), 'utf8')
      const js = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      })
      writeFileSync(join(dir, 'netbench.cjs'), js.outputText)
      copyFileSync(FORWARDER, join(dir, 'forwarder.py'))
      const child = (then: string): { namespaces: string[]; pids: number[] } => {
        const script = `require(${JSON.stringify(join(dir, 'netbench.cjs'))}).createBench({ delayMs: 5 }).then((b) => {
          const sleeper = b.neighbour.spawn('sleep', ['300'])
          console.log(JSON.stringify({ namespaces: b.namespaces, pids: [b.forwarderPid, sleeper.pid] }))
          setTimeout(() => ${then}, 200)
        })`
        const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 })
        return JSON.parse(r.stdout.trim().split('\n').pop() ?? '')
      }
      const exited = child('process.exit(0)')
      for (const ns of exited.namespaces) expect(ipOut('netns', 'list')).not.toContain(ns)
      for (const pid of exited.pids) expect(await gone(pid), `pid ${pid}`).toBe(true)

      const killed = child("process.kill(process.pid, 'SIGKILL')")
      expect(ipOut('netns', 'list')).toContain(killed.namespaces[1])
      expect(await gone(killed.pids[0]), 'the forwarder ends when its stdin closes').toBe(true)
      expect(cleanStale()).toEqual(expect.arrayContaining(killed.namespaces))
      for (const ns of killed.namespaces) expect(ipOut('netns', 'list')).not.toContain(ns)
      expect(await gone(killed.pids[1]), 'a process left in a stale namespace').toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
