// The two-host test bench: the student's machine and the neighbour's, made of Linux network namespaces,
// joined by a link that can be slow, lossy, jittery or narrow, as a classroom Wi-Fi is.
//
// Loopback hides every timing assumption a lab program makes (a reply always comes in one recv(), within
// a millisecond). The bench builds three namespaces per test process: "student" and "neighbour", each with
// one veth end and an address that exists only inside it (10.231.0.1 and .2/24 by default), and a middle one
// whose two veth ends are bridged by the user-space forwarder (forwarder.py: delay, jitter, loss,
// duplication, reordering; this kernel has no sch_netem). Rate limits are the kernel's tc tbf on an end's
// egress, the MTU the ends' own. A condition is plain data, so a test can loop over a table of them.
// Nothing here ever sends traffic outside the namespaces it made. See NETBENCH.md.

import { spawn, spawnSync, execFile, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export const FORWARDER = join(__dirname, 'forwarder.py')
/** Every namespace the bench makes starts with this, then the owning pid: a later run can tell stale ones. */
export const NS_PREFIX = 'slnb-'
const IFACE = 'eth0'

/** One direction's impairments, done by the forwarder (delay, jitter, loss, dup, reorder) or tc (rate). */
export interface Impairment {
  /** Added one way; a round trip gets it twice. */
  delayMs?: number
  /** Each frame's delay is drawn uniformly from delayMs ± jitterMs (floored at 0), so frames reorder. */
  jitterMs?: number
  lossPct?: number
  /** Share of frames sent twice. */
  dupPct?: number
  /** Share of frames held back an extra reorderMs (default 20) so the frames behind them overtake them. */
  reorderPct?: number
  reorderMs?: number
  /** tc tbf on the sending end's veth. */
  rateKbit?: number
}

/** A link condition: the same impairments both ways, optionally overridden per direction, and the MTU. */
export interface Condition extends Impairment {
  name?: string
  /** MTU of both ends' interfaces (68..65535; default 1500). */
  mtu?: number
  toNeighbour?: Impairment
  toStudent?: Impairment
}

export interface BenchOptions {
  /** Seed of the forwarder's RNG (default: SOCKETLAB_NETBENCH_SEED, else random). Printed at creation. */
  seed?: number
  /** First three octets of the shared /24 (default '10.231.0'): student .1, neighbour .2. */
  subnet?: string
}

export interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  elapsedMs: number
}

export interface RunOptions {
  timeoutMs?: number
  input?: string
  env?: NodeJS.ProcessEnv
  cwd?: string
}

/** One of the two machines. */
export interface Machine {
  role: 'student' | 'neighbour'
  /** The namespace's name, for `ip netns exec <ns> ...` by hand. */
  ns: string
  /** Its address on the shared link. */
  addr: string
  /** The interface on the link (inside the namespace). */
  iface: string
  /** Start a process inside the namespace; destroy() ends it if the test did not. */
  spawn(cmd: string, args: string[], opts?: SpawnOptions): ChildProcess
  /** Run a process to completion inside the namespace (killed after timeoutMs, default 20 s). */
  run(cmd: string, args: string[], opts?: RunOptions): Promise<RunResult>
  /** Set a per-namespace sysctl, e.g. ('net.ipv4.tcp_syn_retries', 1). */
  sysctl(key: string, value: string | number): Promise<void>
}

export interface ForwarderStats {
  frames: number
  passed: number
  lost: number
  duplicated: number
  reordered: number
  overflow: number
  /** Frames that are not IPv4/IPv6 (ARP): always passed unimpaired. */
  other: number
}

export interface Bench {
  seed: number
  condition: Condition
  student: Machine
  neighbour: Machine
  /** The shared /24, e.g. '10.231.0.0/24'. */
  subnet: string
  /** All three namespace names (student, middle, neighbour). */
  namespaces: string[]
  /** The forwarder's pid (inside the middle namespace). */
  forwarderPid: number
  /** Change the impairments in place: forwarder parameters, tc and MTU; no namespace is rebuilt. */
  setCondition(condition: Condition): Promise<void>
  /** The forwarder's counters per direction since the bench was made. */
  stats(): Promise<{ toNeighbour: ForwarderStats; toStudent: ForwarderStats }>
  /** Remove everything: processes, namespaces (and with them the veths). Safe to call twice. */
  destroy(): Promise<void>
}

// ---------------------------------------------------------------------------------------------------
// Commands

function execAsync(cmd: string, args: string[], timeoutMs = 10_000): Promise<RunResult> {
  const start = Date.now()
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null
      const code = e ? (typeof e.code === 'number' ? e.code : -1) : 0
      resolve({
        code,
        signal: e?.signal ?? null,
        stdout,
        stderr: stderr || e?.message || '',
        elapsedMs: Date.now() - start,
      })
    })
  })
}

/** Run a setup command; a failure is the bench's failure, with the command and its stderr. */
async function must(cmd: string, args: string[]): Promise<string> {
  const r = await execAsync(cmd, args)
  if (r.code !== 0) throw new Error(`netbench: \`${cmd} ${args.join(' ')}\` failed: ${r.stderr.trim() || `exit ${r.code}`}`)
  return r.stdout
}

function sh(cmd: string, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 })
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}`.trim() }
}

/** Write a sysctl of one namespace: /proc/sys/net belongs to the namespace of the process that opens it. */
function sysctlArgs(ns: string, key: string, value: string | number): string[] {
  if (!/^[a-z0-9_.-]+$/i.test(key)) throw new Error(`netbench: bad sysctl name ${key}`)
  return [
    'netns',
    'exec',
    ns,
    'sh',
    '-c',
    'printf "%s\\n" "$1" > "$2"',
    'sysctl',
    String(value),
    `/proc/sys/${key.replaceAll('.', '/')}`,
  ]
}

// ---------------------------------------------------------------------------------------------------
// Availability

let pythonPath = 'python3'

/**
 * The real python3 executable (resolved once): a version manager's shim (pyenv) costs a second or more per
 * start, and the bench starts Python for every probe and peer.
 */
export function python(): string {
  return pythonPath
}

export type Availability = { ok: true; iptables: string | null } | { ok: false; reason: string }
const availability = new Map<boolean, Availability>()

/**
 * Can this machine build the bench? Checked once per process by really making a namespace with a veth,
 * a tbf qdisc and (with firewall) an iptables rule, so the answer is about this kernel, not about binaries.
 * Use with `describe.skipIf(!a.ok)` and print `a.reason`.
 */
export function benchAvailable(needs: { firewall?: boolean } = {}): Availability {
  const firewall = needs.firewall ?? false
  const cached = availability.get(firewall)
  if (cached) return cached
  const result = probe(firewall)
  availability.set(firewall, result)
  return result
}

function probe(firewall: boolean): Availability {
  if (process.platform !== 'linux') return { ok: false, reason: `network namespaces need Linux (this is ${process.platform})` }
  const uid = process.getuid?.() ?? -1
  if (uid !== 0) return { ok: false, reason: `not root (uid ${uid}): making network namespaces needs root` }
  if (!sh('ip', ['-V']).ok) return { ok: false, reason: '`ip` (iproute2) not found' }
  if (!sh('tc', ['-V']).ok) return { ok: false, reason: '`tc` (iproute2) not found' }
  const py = sh('python3', ['-c', 'import socket, sys; socket.AF_PACKET; print(sys.executable)'])
  if (!py.ok) return { ok: false, reason: `python3 with AF_PACKET sockets not found (the forwarder needs it): ${py.out}` }
  pythonPath = py.out.split('\n').pop() || 'python3'
  cleanStale()
  const ns = `${NS_PREFIX}${process.pid}-probe${randomBytes(2).toString('hex')}`
  try {
    const add = sh('ip', ['netns', 'add', ns])
    if (!add.ok) return { ok: false, reason: `cannot create a network namespace: ${add.out}` }
    const veth = sh('ip', ['-n', ns, 'link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1'])
    if (!veth.ok) return { ok: false, reason: `cannot create a veth pair in a namespace: ${veth.out}` }
    const tbf = sh('ip', ['netns', 'exec', ns, ...'tc qdisc add dev p0 root tbf rate 100kbit burst 4k latency 1s'.split(' ')])
    if (!tbf.ok) return { ok: false, reason: `tc tbf does not work in a namespace: ${tbf.out}` }
    const raw = sh(pythonPath, [FORWARDER, 'offload', `${ns}:p0`])
    if (!raw.ok) return { ok: false, reason: `cannot switch off veth offloads (ethtool ioctl): ${raw.out}` }
    let iptables: string | null = null
    const tried: string[] = []
    for (const bin of ['iptables', 'iptables-legacy']) {
      const rule = '-w -A INPUT -p tcp --dport 9 -j REJECT --reject-with icmp-admin-prohibited'.split(' ')
      const r = sh('ip', ['netns', 'exec', ns, bin, ...rule])
      if (r.ok) {
        iptables = bin
        break
      }
      tried.push(`${bin}: ${r.out.split('\n')[0]}`)
    }
    if (firewall && !iptables) return { ok: false, reason: `no iptables that works inside a namespace (${tried.join('; ')})` }
    return { ok: true, iptables }
  } finally {
    sh('ip', ['netns', 'del', ns])
  }
}

// ---------------------------------------------------------------------------------------------------
// Cleanup: on destroy(), at process exit, and of a crashed earlier run

const live = new Set<{ destroySync(): void }>()
let handlersInstalled = false

function installExitHandlers(): void {
  if (handlersInstalled) return
  handlersInstalled = true
  process.on('exit', () => {
    for (const b of live) b.destroySync()
  })
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const b of live) b.destroySync()
      // Keep the signal's usual effect when nobody else handles it.
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig)
    })
  }
}

function killNamespace(ns: string): void {
  // Only processes inside our own namespace: whatever a test left running there.
  const pids = sh('ip', ['netns', 'pids', ns])
  for (const pid of pids.ok ? pids.out.split(/\s+/).filter(Boolean) : []) {
    try {
      process.kill(Number(pid), 'SIGKILL')
    } catch {
      // already gone
    }
  }
  sh('ip', ['netns', 'del', ns])
}

/** Is this process still running? A zombie is not: an orphan waits for a PID 1 that may reap it late. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    return state !== 'Z' && state !== 'X'
  } catch {
    return false
  }
}

/** Namespaces of ours whose owning process is gone (a crashed or killed run): remove them. */
export function cleanStale(): string[] {
  const list = sh('ip', ['netns', 'list'])
  const removed: string[] = []
  for (const line of list.ok ? list.out.split('\n') : []) {
    const name = line.split(' ')[0]
    if (!name.startsWith(NS_PREFIX)) continue
    const pid = Number(name.slice(NS_PREFIX.length).split('-')[0])
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) {
      killNamespace(name)
      removed.push(name)
    }
  }
  return removed
}

// ---------------------------------------------------------------------------------------------------
// Conditions

const FORWARDER_KEYS = ['delayMs', 'jitterMs', 'lossPct', 'dupPct', 'reorderPct', 'reorderMs'] as const
const CONDITION_KEYS = new Set<string>([...FORWARDER_KEYS, 'rateKbit', 'name', 'mtu', 'toNeighbour', 'toStudent'])

function checkNumber(where: string, key: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw new Error(`netbench: ${where}${key} must be a number >= 0, got ${String(v)}`)
  if (key.endsWith('Pct') && v > 100) throw new Error(`netbench: ${where}${key} must be at most 100`)
  if (key === 'rateKbit' && v < 8) throw new Error(`netbench: ${where}rateKbit must be at least 8`)
}

/** Throws a clear error for a misspelt key or an impossible value, so a typo never runs as "no impairment". */
export function checkCondition(c: Condition): void {
  for (const [k, v] of Object.entries(c)) {
    if (!CONDITION_KEYS.has(k)) throw new Error(`netbench: unknown condition key ${k}`)
    if (k === 'name' || v === undefined) continue
    if (k === 'toNeighbour' || k === 'toStudent') {
      for (const [dk, dv] of Object.entries(v as Impairment)) {
        if (![...FORWARDER_KEYS, 'rateKbit'].includes(dk as never)) throw new Error(`netbench: unknown impairment ${k}.${dk}`)
        if (dv !== undefined) checkNumber(`${k}.`, dk, dv)
      }
      continue
    }
    checkNumber('', k, v)
  }
  if (c.mtu !== undefined && (c.mtu < 68 || c.mtu > 65535 || !Number.isInteger(c.mtu)))
    throw new Error(`netbench: mtu must be an integer 68..65535, got ${c.mtu}`)
}

/** The impairments of one direction: the condition's own, then that direction's overrides. */
export function direction(c: Condition, which: 'toNeighbour' | 'toStudent'): Impairment {
  const out: Impairment = {}
  for (const k of [...FORWARDER_KEYS, 'rateKbit'] as const) {
    const v = c[which]?.[k] ?? c[k]
    if (v !== undefined) out[k] = v
  }
  return out
}

/** A short name for logs and test titles, e.g. "200ms±150ms", "loss 10%", "100kbit", "mtu 300". */
export function describeCondition(c: Condition): string {
  if (c.name) return c.name
  const parts: string[] = []
  if (c.delayMs) parts.push(`${c.delayMs}ms${c.jitterMs ? `±${c.jitterMs}ms` : ''}`)
  else if (c.jitterMs) parts.push(`±${c.jitterMs}ms`)
  if (c.lossPct) parts.push(`loss ${c.lossPct}%`)
  if (c.dupPct) parts.push(`dup ${c.dupPct}%`)
  if (c.reorderPct) parts.push(`reorder ${c.reorderPct}%`)
  if (c.rateKbit) parts.push(`${c.rateKbit}kbit`)
  if (c.mtu) parts.push(`mtu ${c.mtu}`)
  if (c.toNeighbour) parts.push(`to neighbour ${JSON.stringify(c.toNeighbour)}`)
  if (c.toStudent) parts.push(`to student ${JSON.stringify(c.toStudent)}`)
  return parts.join(', ') || 'clean link'
}

// ---------------------------------------------------------------------------------------------------
// The forwarder process

interface Forwarder {
  pid: number
  ask(msg: object): Promise<Record<string, unknown>>
  close(): Promise<void>
  child: ChildProcess
}

function startForwarder(ns: string, a: string, b: string, seed: number, offload: string[]): Promise<Forwarder> {
  const args = [FORWARDER, 'run', a, b, '--seed', String(seed), '--netns', ns, ...offload.flatMap((o) => ['--offload', o])]
  const child = spawn(pythonPath, args, { stdio: ['pipe', 'pipe', 'pipe'] })
  let err = ''
  let buf = ''
  const waiting: ((line: Record<string, unknown>) => void)[] = []
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`netbench: the forwarder did not start: ${err}`))
    }, 10_000)
    child.on('error', (e) => reject(new Error(`netbench: cannot start the forwarder: ${e.message}`)))
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`netbench: the forwarder exited (${code}): ${err}`))
      for (const w of waiting.splice(0)) w({ ok: false, error: `forwarder exited (${code}): ${err}` })
    })
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString()
      let nl: number
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>
        buf = buf.slice(nl + 1)
        if (line.ready) {
          clearTimeout(timer)
          resolve(forwarder)
        } else waiting.shift()?.(line)
      }
    })
    const forwarder: Forwarder = {
      pid: child.pid!,
      child,
      ask: (msg) =>
        new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null)
            return done({ ok: false, error: `forwarder is not running: ${err}` })
          waiting.push(done)
          child.stdin!.write(`${JSON.stringify(msg)}\n`)
        }),
      close: () =>
        new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done()
          const kill = setTimeout(() => child.kill('SIGKILL'), 2000)
          child.once('exit', () => (clearTimeout(kill), done()))
          child.stdin!.end() // its stdin closing is its signal to stop
        }),
    }
  })
}

// ---------------------------------------------------------------------------------------------------
// The bench

let counter = 0

export async function createBench(condition: Condition = {}, options: BenchOptions = {}): Promise<Bench> {
  checkCondition(condition)
  const avail = benchAvailable()
  if (!avail.ok) throw new Error(`netbench: cannot build the bench here: ${avail.reason}`)
  installExitHandlers()
  cleanStale()

  const envSeed = Number(process.env.SOCKETLAB_NETBENCH_SEED)
  const seed =
    options.seed ??
    (Number.isInteger(envSeed) && process.env.SOCKETLAB_NETBENCH_SEED ? envSeed : randomBytes(4).readUInt32BE() >>> 1)
  const subnet = options.subnet ?? '10.231.0'
  if (!/^\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(subnet)) throw new Error(`netbench: subnet must look like 10.231.0, got ${subnet}`)
  const base = `${NS_PREFIX}${process.pid}-${randomBytes(2).toString('hex')}${counter++}`
  const names = { student: `${base}-student`, middle: `${base}-middle`, neighbour: `${base}-neighbour` }
  const namespaces = [names.student, names.middle, names.neighbour]
  const children = new Set<ChildProcess>()
  let forwarder: Forwarder | undefined
  let destroyed = false

  const destroySync = (): void => {
    destroyed = true
    live.delete(handle)
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
    forwarder?.child.kill('SIGKILL')
    for (const ns of namespaces) killNamespace(ns)
  }
  const handle = { destroySync }
  live.add(handle)

  const machine = (role: 'student' | 'neighbour', ns: string, addr: string): Machine => {
    const inNs = (cmd: string, args: string[]): string[] => ['netns', 'exec', ns, cmd, ...args]
    const m: Machine = {
      role,
      ns,
      addr,
      iface: IFACE,
      spawn(cmd, args, opts = {}) {
        if (destroyed) throw new Error('netbench: spawn after destroy()')
        const child = spawn('ip', inNs(cmd, args), { stdio: 'pipe', ...opts })
        children.add(child)
        child.once('exit', () => children.delete(child))
        return child
      },
      run(cmd, args, opts = {}) {
        const start = Date.now()
        return new Promise((resolve) => {
          const child = m.spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd })
          let stdout = ''
          let stderr = ''
          child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
          child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
          const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000)
          child.stdin!.on('error', () => {}) // a process that exits before reading its input
          child.stdin!.end(opts.input ?? '')
          child.on('error', (e) => (stderr += e.message))
          child.on('close', (code, signal) => {
            clearTimeout(timer)
            resolve({ code, signal, stdout, stderr, elapsedMs: Date.now() - start })
          })
        })
      },
      async sysctl(key, value) {
        await must('ip', sysctlArgs(ns, key, value))
      },
    }
    return m
  }

  const student = machine('student', names.student, `${subnet}.1`)
  const neighbour = machine('neighbour', names.neighbour, `${subnet}.2`)
  const ends = [student, neighbour]
  const applied = { mtu: 1500, rate: new Map<Machine, number | undefined>() }

  const setCondition = async (c: Condition): Promise<void> => {
    checkCondition(c)
    if (destroyed) throw new Error('netbench: setCondition after destroy()')
    const up = direction(c, 'toNeighbour')
    const down = direction(c, 'toStudent')
    const only = (i: Impairment) => Object.fromEntries(FORWARDER_KEYS.flatMap((k) => (i[k] !== undefined ? [[k, i[k]]] : [])))
    const answer = await forwarder!.ask({ ab: only(up), ba: only(down) })
    if (!answer.ok) throw new Error(`netbench: the forwarder refused the condition: ${String(answer.error)}`)
    const mtu = c.mtu ?? 1500
    for (const end of ends) {
      if (mtu !== applied.mtu) await must('ip', ['-n', end.ns, 'link', 'set', 'dev', IFACE, 'mtu', String(mtu)])
      // The rate of what an end sends: tbf on its own egress, like a slow uplink.
      const rate = (end === student ? up : down).rateKbit
      if (rate === applied.rate.get(end) && mtu === applied.mtu) continue
      if (rate === undefined) await execAsync('tc', ['-n', end.ns, 'qdisc', 'del', 'dev', IFACE, 'root'])
      else {
        // The bucket must hold at least one whole frame, or nothing ever passes.
        const burst = Math.max(2 * (mtu + 14), Math.ceil((rate * 1000) / 8 / 100), 1600)
        const tbf = `qdisc replace dev ${IFACE} root tbf rate ${rate}kbit burst ${burst} latency 1000ms`
        await must('tc', ['-n', end.ns, ...tbf.split(' ')])
      }
      applied.rate.set(end, rate)
    }
    applied.mtu = mtu
    bench.condition = c
  }

  const bench: Bench = {
    seed,
    condition: {},
    student,
    neighbour,
    subnet: `${subnet}.0/24`,
    namespaces,
    forwarderPid: 0,
    setCondition,
    async stats() {
      const r = await forwarder!.ask({ stats: true })
      if (!r.ok) throw new Error(`netbench: no forwarder stats: ${String(r.error)}`)
      const s = r.stats as Record<'ab' | 'ba', ForwarderStats>
      return { toNeighbour: s.ab, toStudent: s.ba }
    },
    async destroy() {
      if (destroyed) return
      destroyed = true
      live.delete(handle)
      await forwarder?.close()
      await Promise.all(
        [...children].map(
          (c) =>
            new Promise<void>((done) => {
              if (c.exitCode !== null || c.signalCode !== null) return done()
              const kill = setTimeout(() => c.kill('SIGKILL'), 1000)
              c.once('exit', () => (clearTimeout(kill), done()))
              c.kill('SIGTERM')
            }),
        ),
      )
      for (const ns of namespaces) killNamespace(ns)
    },
  }

  try {
    for (const ns of namespaces) await must('ip', ['netns', 'add', ns])
    // Made directly inside the namespaces: no name ever exists in the root namespace, so parallel runs never clash.
    await must('ip', [
      'link',
      'add',
      IFACE,
      'netns',
      names.student,
      'type',
      'veth',
      'peer',
      'name',
      'mid-s',
      'netns',
      names.middle,
    ])
    await must('ip', [
      'link',
      'add',
      IFACE,
      'netns',
      names.neighbour,
      'type',
      'veth',
      'peer',
      'name',
      'mid-n',
      'netns',
      names.middle,
    ])
    // No IPv6 on the link (loopback keeps ::1): the middle namespace never speaks, and only the test's own
    // packets cross, so the forwarder's counters count them alone.
    for (const [ns, i] of [
      [names.student, IFACE],
      [names.neighbour, IFACE],
      [names.middle, 'mid-s'],
      [names.middle, 'mid-n'],
    ])
      await must('ip', sysctlArgs(ns, `net.ipv6.conf.${i}.disable_ipv6`, 1))
    for (const end of ends) {
      await must('ip', ['-n', end.ns, 'addr', 'add', `${end.addr}/24`, 'dev', IFACE])
    }
    for (const [ns, ifaces] of [
      [names.student, ['lo', IFACE]],
      [names.neighbour, ['lo', IFACE]],
      [names.middle, ['lo', 'mid-s', 'mid-n']],
    ] as const)
      for (const i of ifaces) await must('ip', ['-n', ns, 'link', 'set', 'dev', i, 'up'])
    forwarder = await startForwarder(names.middle, 'mid-s', 'mid-n', seed, [
      `${names.student}:${IFACE}`,
      `${names.neighbour}:${IFACE}`,
    ])
    bench.forwarderPid = forwarder.pid
    await setCondition(condition)
  } catch (e) {
    destroySync()
    throw e
  }
  console.info(
    `netbench: ${describeCondition(condition)}; seed ${seed} (replay: SOCKETLAB_NETBENCH_SEED=${seed}); namespaces ${base}-*`,
  )
  return bench
}
