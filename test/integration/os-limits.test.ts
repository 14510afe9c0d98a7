// The two operating-system limits the README's "Limits and safety" promises (issue 9, item 3), proved
// against the real OS rather than a mocked one:
//
// 1. Open files. A server whose process may open only a few hundred files says `error: server full …`
//    (and closes with a FIN) to every connection past what its descriptor limit leaves room for; it never
//    reaches EMFILE, where the kernel's connections would be dropped without a word, and it keeps serving a
//    well-behaved student. The server is the CLI, run under `prlimit --nofile=SOFT:HARD` as a user would.
// 2. TCP keepalive. On the two-host bench, a client that sent its name to a one-at-a-time server and then
//    vanished (its packets dropped by a firewall in its own namespace: silence, never a RST or FIN) is
//    dropped by keepalive "within about a minute", and the student waiting behind it is served. The idle
//    timeout is set to a day, so keepalive, not the idle limit, is what frees the slot. SocketLab's own
//    client socket has keepalive on too (`ss -o` shows its keepalive timer).
//
// Loopback (127.0.0.2 is the attacker, 127.0.0.1 the student) and the bench's own namespaces only.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { benchAvailable, createBench, type Bench } from '../helpers/netbench'
import { CLI, startCliServer, type BenchServer } from '../helpers/netbench-peers'

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const has = (cmd: string, args: string[]): boolean => spawnSync(cmd, args, { encoding: 'utf8' }).status === 0

// ---------------------------------------------------------------------------------------------------
// Open files

function limitsAvailable(): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: `/proc and prlimit need Linux (this is ${process.platform})` }
  if (!has('prlimit', ['--version'])) return { ok: false, reason: '`prlimit` (util-linux) not found' }
  if (!existsSync(CLI)) return { ok: false, reason: `${CLI} is missing: build first (npx electron-vite build)` }
  // The attacker's few hundred sockets must fit this process's own limit.
  const own = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))
  if (own && Number(own[1]) < 2048) return { ok: false, reason: `this test process may open only ${own[1]} files` }
  return { ok: true }
}

interface LimitedServer {
  pid: number
  port: number
  output(): string
  /** The highest number of open descriptors the server held, sampled every few ms since start. */
  maxFds(): number
  fds(): number
  /** `Max open files` soft and hard as the running server sees them (after Node's own raise). */
  limits(): { soft: number; hard: number }
  stop(): Promise<void>
}

const children = new Set<ChildProcess>()

/** `prlimit --nofile=SOFT:HARD -- node out/main/cli.js serve adder --host loopback --port 0 …`. */
async function startLimitedServer(soft: number, hard: number, args: string[]): Promise<LimitedServer> {
  const child = spawn(
    'prlimit',
    [`--nofile=${soft}:${hard}`, '--', process.execPath, CLI, 'serve', 'adder', '--host', 'loopback', '--port', '0', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  children.add(child)
  child.once('exit', () => children.delete(child))
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const start = Date.now()
  while (!/Serving adder on port (\d+)/.test(out)) {
    if (child.exitCode !== null || Date.now() - start > 10_000) throw new Error(`the limited server did not start: ${out}`)
    await sleep(20)
  }
  const pid = child.pid!
  // prlimit execs the command, so this pid is the server's own.
  const fds = (): number => {
    try {
      return readdirSync(`/proc/${pid}/fd`).length
    } catch {
      return 0
    }
  }
  let max = fds()
  const sampler = setInterval(() => (max = Math.max(max, fds())), 2)
  return {
    pid,
    port: Number(/Serving adder on port (\d+)/.exec(out)![1]),
    output: () => out,
    maxFds: () => Math.max(max, fds()),
    fds,
    limits: () => {
      const m = /^Max open files\s+(\d+)\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))!
      return { soft: Number(m[1]), hard: Number(m[2]) }
    },
    stop: () =>
      new Promise<void>((done) => {
        clearInterval(sampler)
        if (child.exitCode !== null || child.signalCode !== null) return done()
        const kill = setTimeout(() => child.kill('SIGKILL'), 3000)
        child.once('exit', () => (clearTimeout(kill), done()))
        child.kill('SIGTERM')
      }),
  }
}

/** One raw TCP peer and everything that happened to it. */
interface Peer {
  socket: net.Socket
  data: string
  /** The server's FIN arrived. */
  ended: boolean
  error: string | null
  closed: boolean
  connected: boolean
}

/** Connect from `localAddress`; resolves once connected or failed. `holdOpen`: never close our side after the FIN. */
function connect(port: number, localAddress: string, holdOpen = false): Promise<Peer> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress, allowHalfOpen: holdOpen })
    const peer: Peer = { socket, data: '', ended: false, error: null, closed: false, connected: false }
    socket.on('data', (d: Buffer) => (peer.data += d.toString()))
    socket.on('end', () => (peer.ended = true))
    socket.on('error', (e: NodeJS.ErrnoException) => ((peer.error = e.code ?? e.message), resolve(peer)))
    socket.on('close', () => (peer.closed = true))
    socket.once('connect', () => ((peer.connected = true), resolve(peer)))
  })
}

/** Wait until the peer has `n` more characters than `from`, or the server's FIN, an error, or `ms`. */
async function reply(peer: Peer, from: number, ms = 5000): Promise<string> {
  const start = Date.now()
  while (peer.data.length <= from && !peer.ended && !peer.error && Date.now() - start < ms) await sleep(2)
  // A reply and its FIN leave together; give the FIN a moment to be seen.
  if (peer.data.startsWith('error:')) for (let i = 0; i < 100 && !peer.ended && !peer.error; i++) await sleep(5)
  return peer.data.slice(from).trim()
}

const FULL = /^error: server full( \(this computer allows no more connections\)| \(\d+ clients\))$/

/** Refused the way the README says: the one `error: server full …` line, then a FIN; no reset. */
function refusedCleanly(p: Peer): boolean {
  return FULL.test(p.data.trim()) && p.ended && p.error === null
}

function describePeer(p: Peer): string {
  return `data ${JSON.stringify(p.data)}, FIN ${p.ended}, error ${p.error}, connected ${p.connected}`
}

/** A student on 127.0.0.1: the adder handout's exchange (name → ack, two sums). */
async function wellBehavedStudent(port: number): Promise<string[]> {
  const p = await connect(port, '127.0.0.1')
  const seen: string[] = []
  try {
    for (const [send, n] of [
      ['student-0042', 0],
      ['3 7', 1],
      ['20 22', 2],
    ] as const) {
      const before = p.data.length
      p.socket.write(send)
      const answer = await reply(p, before)
      seen.push(answer)
      if (seen.length !== n + 1 || p.ended || p.error) break
    }
  } finally {
    p.socket.destroy()
  }
  return seen
}

const lim = limitsAvailable()
const limSkipped = lim.ok ? '' : ` (skipped: ${lim.reason})`
if (!lim.ok) console.warn(`os-limits open-file tests skipped: ${lim.reason}`)

describe.skipIf(!lim.ok)(`a server under a small open-file limit says "server full" before EMFILE${limSkipped}`, () => {
  const peers: Peer[] = []
  const servers: LimitedServer[] = []

  afterAll(async () => {
    for (const p of peers) p.socket.destroy()
    await Promise.all(servers.map((s) => s.stop()))
    for (const c of children) c.kill('SIGKILL')
  })

  for (const { soft, hard, args, title } of [
    { soft: 320, hard: 320, args: [] as string[], title: 'soft = hard = 320, default --max-clients' },
    // Node raises its soft limit to the hard one: the budget follows the hard limit, and a --max-clients
    // above it is said to be cut.
    { soft: 64, hard: 320, args: ['--max-clients', '100000'], title: 'soft 64, hard 320, --max-clients 100000' },
  ]) {
    it(`${title}: connections one after another fill the budget, the rest hear "server full" and a FIN`, async () => {
      const server = await startLimitedServer(soft, hard, ['--max-per-address', '100000', ...args])
      servers.push(server)
      const base = server.fds()
      expect(server.limits(), 'Node raises the soft limit to the hard one').toEqual({ soft: hard, hard })

      // The attacker on 127.0.0.2: one connection at a time, each says a name (a line, so it is complete at
      // once rather than after a quiet moment); served ones get `ack`.
      const held: Peer[] = []
      let first: Peer | null = null
      while (held.length < hard) {
        const p = await connect(server.port, '127.0.0.2')
        peers.push(p)
        p.socket.write(`attacker-${held.length}\n`)
        const answer = await reply(p, 0)
        if (answer !== 'ack') {
          first = p
          break
        }
        held.push(p)
      }
      expect(first, `the server served ${held.length} connections and never said "server full"`).not.toBeNull()
      const effective = held.length
      // The effective maxClients fits the limit with room for what else the process holds.
      expect(effective).toBeGreaterThan(0)
      expect(effective + base).toBeLessThan(hard)
      if (args.includes('--max-clients'))
        expect(server.output()).toContain(
          `At most ${effective} clients at once: this computer lets SocketLab open only so many connections`,
        )

      // Twenty more, one after another: each is refused the same clean way.
      const excess = [first!]
      for (let i = 0; i < 20; i++) {
        const p = await connect(server.port, '127.0.0.2')
        peers.push(p)
        p.socket.write(`extra-${i}\n`)
        await reply(p, 0)
        excess.push(p)
      }
      const unclean = excess.filter((p) => !refusedCleanly(p)).map(describePeer)
      expect(unclean, 'refused connections that did not get "error: server full" and a FIN').toEqual([])

      // The student, while the server is full: refused just as cleanly, not dropped.
      const student = await connect(server.port, '127.0.0.1')
      peers.push(student)
      student.socket.write('student-0042')
      await reply(student, 0)
      expect(refusedCleanly(student), describePeer(student)).toBe(true)

      // Five attackers leave: the student is served, every answer right.
      for (const p of held.splice(0, 5)) p.socket.destroy()
      await sleep(300)
      expect(await wellBehavedStudent(server.port)).toEqual(['ack', '10', '42'])
      // The attackers still held are still served.
      const last = held[held.length - 1]
      const before = last.data.length
      last.socket.write('1 2\n')
      expect(await reply(last, before)).toBe('3')

      expect(server.maxFds(), 'descriptors the server held at most').toBeLessThan(hard)
      expect(server.output()).not.toMatch(/EMFILE|ENFILE|too many open files|Server error/i)
      for (const p of [...held, ...excess, student]) p.socket.destroy()
      await server.stop()
    })
  }

  it('a burst of connections that keep their side open past our FIN: every one refused with "server full", none dropped', async () => {
    // A hostile host opens a few hundred connections at once and never closes its side: each refused one
    // keeps a descriptor until the server cuts it after its grace second.
    const hard = 320
    const server = await startLimitedServer(hard, hard, ['--max-per-address', '100000'])
    servers.push(server)
    const budget = hard - 256 // what the first test measured for this limit: the connections it serves
    const burst = await Promise.all(Array.from({ length: budget + 300 }, () => connect(server.port, '127.0.0.2', true)))
    peers.push(...burst)
    // Refusals and any silent drops show within milliseconds on loopback; give them a second.
    await sleep(1000)
    const held = burst.filter((p) => p.connected && !p.data && !p.ended && !p.error)
    const refused = burst.filter(refusedCleanly)
    const dropped = burst.filter((p) => !held.includes(p) && !refused.includes(p))
    const maxFds = server.maxFds()
    for (const p of burst) p.socket.destroy()
    await sleep(1500)
    const student = await wellBehavedStudent(server.port)
    const summary = `${burst.length} connections: ${held.length} served, ${refused.length} refused with "server full" and a FIN, ${dropped.length} otherwise; server's descriptors peaked at ${maxFds} of ${hard}`
    const kinds = new Map<string, number>()
    for (const p of dropped) kinds.set(describePeer(p), (kinds.get(describePeer(p)) ?? 0) + 1)
    expect.soft(held.length, summary).toBeLessThanOrEqual(budget)
    expect
      .soft(
        [...kinds].map(([k, n]) => `${n}× ${k}`),
        `dropped without "server full" (${summary})`,
      )
      .toEqual([])
    expect.soft(maxFds, `EMFILE: ${summary}`).toBeLessThan(hard)
    expect.soft(server.output()).not.toMatch(/EMFILE|ENFILE|too many open files|Server error/i)
    expect(student, 'the student after the burst').toEqual(['ack', '10', '42'])
    await server.stop()
  })
})

// ---------------------------------------------------------------------------------------------------
// TCP keepalive across two machines

const bench = benchAvailable({ firewall: true })
const ss = has('ss', ['-V'])
const kaReason = !bench.ok ? bench.reason : !ss ? '`ss` (iproute2) not found' : !existsSync(CLI) ? `${CLI} is missing` : ''
if (kaReason) console.warn(`os-limits keepalive test skipped: ${kaReason}`)

/** What the README promises: "dropped by TCP keepalive within about a minute". */
const ABOUT_A_MINUTE_MS = 75_000
/** The vanished client's own port (the handout's client binds 32451), so a rule can drop just its packets. */
const VANISHED_PORT = 32451

describe.skipIf(kaReason !== '')(`a vanished peer is found by TCP keepalive${kaReason ? ` (skipped: ${kaReason})` : ''}`, () => {
  let b: Bench
  let server: BenchServer

  beforeAll(async () => {
    b = await createBench({}, { subnet: '10.232.0' })
    // One at a time, and an idle limit of a day: only keepalive can free the slot within the test.
    server = await startCliServer(b.neighbour, 'adder', ['--one-at-a-time', '--idle-timeout', '86400000'])
  }, 60_000)

  afterAll(async () => {
    await server?.stop()
    // Deleting the namespaces removes the firewall rules with them and kills what still runs inside.
    await b?.destroy()
  })

  /** `ss -tnoH state established` inside one machine, lines matching `filter`. */
  const sockets = (ns: string, filter: string): string[] => {
    const r = spawnSync('ip', ['netns', 'exec', ns, 'ss', '-tnoH', 'state', 'established', filter], { encoding: 'utf8' })
    return (r.stdout ?? '').split('\n').filter((l) => l.trim())
  }

  it('frees the one-at-a-time slot of a client that vanished after its name, and serves the next within about a minute', async () => {
    const at = b.neighbour.addr
    const port = server.port
    // SocketLab's client on the student's machine: name, `ack`, then it waits for a command that never comes.
    const vanishing = b.student.spawn(process.execPath, [
      CLI,
      'client',
      'adder',
      '--host',
      at,
      '--port',
      String(port),
      '--name',
      'vanishing-student',
      '--local-port',
      String(VANISHED_PORT),
    ])
    let vout = ''
    vanishing.stdout!.on('data', (d: Buffer) => (vout += d.toString()))
    vanishing.stderr!.on('data', (d: Buffer) => (vout += d.toString()))
    for (let i = 0; i < 200 && !vout.includes('ack received from Server'); i++) await sleep(25)
    expect(vout).toContain('ack received from Server')
    // Let the kernel acknowledge the `ack`: nothing of the server's stays unacknowledged (else it would be
    // retransmission, not keepalive, that watches the connection).
    await sleep(500)

    // Keepalive is on at both ends: SocketLab's client socket and the server's accepted one.
    const clientSide = sockets(b.student.ns, `( sport = :${VANISHED_PORT} )`)
    expect(clientSide, "the client's socket").toHaveLength(1)
    expect(clientSide[0], "SocketLab's client socket has a keepalive timer").toMatch(/timer:\(keepalive,/)
    const serverSide = sockets(b.neighbour.ns, `( dport = :${VANISHED_PORT} )`)
    expect(serverSide, "the server's socket").toHaveLength(1)
    expect(serverSide[0], "the server's socket has a keepalive timer").toMatch(/timer:\(keepalive,/)

    // The student's machine vanishes for this connection: nothing in, nothing out, no RST, no FIN.
    const ipt = bench.ok ? bench.iptables! : 'iptables'
    for (const rule of [
      ['-A', 'OUTPUT', '-p', 'tcp', '--sport', String(VANISHED_PORT), '-j', 'DROP'],
      ['-A', 'INPUT', '-p', 'tcp', '--dport', String(VANISHED_PORT), '-j', 'DROP'],
    ]) {
      const r = await b.student.run(ipt, ['-w', ...rule])
      expect(r.code, `${ipt} ${rule.join(' ')}: ${r.stderr}`).toBe(0)
    }
    const vanishedAt = Date.now()

    // The next student waits its turn, then is served.
    const next = b.student.run(
      process.execPath,
      [CLI, 'client', 'adder', '--host', at, '--port', String(port), '--name', 'next-student', '--script', 'a,a,q'],
      { timeoutMs: ABOUT_A_MINUTE_MS + 30_000 },
    )
    // While it waits, its connection too has keepalive on, at both ends.
    for (let i = 0; i < 100 && !server.output().includes('is waiting: one client at a time'); i++) await sleep(50)
    expect(server.output()).toContain('is waiting: one client at a time')
    const waiting = sockets(b.neighbour.ns, `( sport = :${port} and not dport = :${VANISHED_PORT} )`)
    expect(waiting, "the waiting student's connection on the server").toHaveLength(1)
    expect(waiting[0]).toMatch(/timer:\(keepalive,/)
    const waitingClient = sockets(b.student.ns, `( dport = :${port} and not sport = :${VANISHED_PORT} )`)
    expect(waitingClient, "the waiting student's own socket").toHaveLength(1)
    expect(waitingClient[0]).toMatch(/timer:\(keepalive,/)

    const r = await next
    const servedAfterMs = Date.now() - vanishedAt
    expect(r.code, `next student: ${r.stdout}\n${r.stderr}\nserver: ${server.output()}`).toBe(0)
    expect(r.stdout.match(/answer received from Server = \d+/g)).toHaveLength(2)
    expect(servedAfterMs, 'served within about a minute of the other client vanishing').toBeLessThan(ABOUT_A_MINUTE_MS)
    // Freed by keepalive (probes start after 15 s of silence), not by anything faster such as a reset.
    expect(servedAfterMs).toBeGreaterThan(10_000)
    expect(server.output()).toContain('Now serving')
    expect(server.output()).not.toMatch(/idle for/)
    // The server's socket for the vanished client is gone.
    expect(sockets(b.neighbour.ns, `( dport = :${VANISHED_PORT} )`)).toEqual([])
    console.info(
      `os-limits: the vanished client's slot was freed and the next student served ${servedAfterMs} ms after it vanished`,
    )
    vanishing.kill('SIGKILL')
  }, 150_000)
})
