// What runs on the bench's two machines: our CLI (server and client), the Python peers of test/peers,
// and a bare Node connect() probe, each started inside one machine's namespace.
//
// The same programs the loopback tests use, only on two "hosts": a test writes
// `await startCliServer(bench.neighbour, 'adder')` and `await runCliClient(bench.student, 'adder', bench.neighbour.addr, port)`,
// exactly as a student would run SocketLab on one laptop and its client on the neighbour's.

import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { python, type Machine, type RunOptions, type RunResult } from './netbench'

const ROOT = join(__dirname, '..', '..')
export const CLI = join(ROOT, 'out', 'main', 'cli.js')
const PEERS = join(ROOT, 'test', 'peers')

/** A server process running in one namespace. */
export interface BenchServer {
  port: number
  child: ChildProcess
  /** Everything it printed so far (stdout then stderr). */
  output(): string
  /** SIGTERM, then SIGKILL after 2 s; resolves when it has exited. */
  stop(): Promise<void>
}

/** Start a process and wait until a line of its stdout matches `ready` (whose group 1 is the port). */
function startServer(
  machine: Machine,
  cmd: string,
  args: string[],
  ready: RegExp,
  what: string,
  timeoutMs = 10_000,
): Promise<BenchServer> {
  const child = machine.spawn(cmd, args)
  let out = ''
  let err = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const stop = (): Promise<void> =>
    new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done()
      const kill = setTimeout(() => child.kill('SIGKILL'), 2000)
      child.once('exit', () => (clearTimeout(kill), done()))
      child.kill('SIGTERM')
    })
  return new Promise((resolve, reject) => {
    const fail = (why: string): void => {
      clearTimeout(timer)
      void stop()
      reject(new Error(`${what} in ${machine.role} did not start (${why}): ${out}${err}`))
    }
    const timer = setTimeout(() => fail(`no "ready" line within ${timeoutMs} ms`), timeoutMs)
    child.on('error', (e) => fail(e.message))
    const early = (code: number | null): void => fail(`exited with ${code}`)
    child.on('exit', early)
    child.stdout!.on('data', () => {
      const m = ready.exec(out)
      if (!m) return
      clearTimeout(timer)
      child.removeListener('exit', early)
      resolve({ port: Number(m[1]), child, output: () => out + err, stop })
    })
  })
}

function needBuild(): void {
  if (!existsSync(CLI)) throw new Error(`netbench: ${CLI} is missing; build first (npx electron-vite build)`)
}

/** `socketlab serve <exercise> --host <machine.addr> --port 0 ...` inside the machine; resolves with its port. */
export function startCliServer(machine: Machine, exercise: string, args: string[] = []): Promise<BenchServer> {
  needBuild()
  const hasHost = args.includes('--host')
  const full = [
    'serve',
    exercise,
    ...(hasHost ? [] : ['--host', machine.addr]),
    ...(args.includes('--port') ? [] : ['--port', '0']),
    ...args,
  ]
  return startServer(machine, process.execPath, [CLI, ...full], /Serving \S+ on port (\d+)/, `socketlab serve ${exercise}`)
}

/** `socketlab client <exercise> --host <host> --port <port> ...` inside the machine, to completion. */
export function runCliClient(
  machine: Machine,
  exercise: string,
  host: string,
  port: number,
  args: string[] = [],
  opts: RunOptions = {},
): Promise<RunResult> {
  needBuild()
  return machine.run(process.execPath, [CLI, 'client', exercise, '--host', host, '--port', String(port), ...args], {
    timeoutMs: 30_000,
    ...opts,
  })
}

/** A Python peer server of test/peers (`<script> --host <machine.addr> --port 0 ...`); resolves with its port. */
export function startPythonServer(machine: Machine, script: string, args: string[] = []): Promise<BenchServer> {
  const hostArgs = args.includes('--host') ? [] : ['--host', machine.addr]
  return startServer(machine, python(), [join(PEERS, script), ...hostArgs, '--port', '0', ...args], /listening on (\d+)/, script)
}

/** A Python peer client of test/peers, to completion. */
export function runPython(machine: Machine, script: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return machine.run(python(), [join(PEERS, script), ...args], { timeoutMs: 30_000, ...opts })
}

/**
 * A bare TCP listener (accepts and holds connections, says nothing) on host:port inside the machine; port 0
 * picks one. For the doctor's "bound to loopback" case: `startListener(bench.neighbour, '127.0.0.1')`.
 */
export function startListener(machine: Machine, host: string, port = 0): Promise<BenchServer> {
  const code = [
    'import socket, sys',
    's = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET)',
    's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
    's.bind((sys.argv[1], int(sys.argv[2])))',
    's.listen(16)',
    'print("listening on", s.getsockname()[1], flush=True)',
    'held = []',
    'while True: held.append(s.accept()[0])',
  ].join('\n')
  return startServer(machine, python(), ['-c', code, host, String(port)], /listening on (\d+)/, `listener on ${host}`)
}

/** What a plain Node `net.connect` from a machine got: the facts the connection doctor works from. */
export interface ConnectOutcome {
  /** connected; error (Node's err.code etc. filled); silent (nothing at all within timeoutMs). */
  outcome: 'connected' | 'error' | 'silent'
  code?: string
  errno?: number
  syscall?: string
  message?: string
  elapsedMs: number
}

// One long-lived Node process per machine answers every connect() the tests ask for (JSON lines in and
// out), so a doctor case costs a connection attempt, not a Node start.
const AGENT = `
const net = require('node:net')
const readline = require('node:readline')
const reply = (o) => process.stdout.write(JSON.stringify(o) + '\\n')
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const { id, host, port, timeoutMs } = JSON.parse(line)
  const start = Date.now()
  let over = false
  const done = (o) => {
    if (over) return
    over = true
    clearTimeout(timer)
    s.destroy()
    reply({ id, ...o, elapsedMs: Date.now() - start })
  }
  const s = net.connect({ host, port })
  s.once('connect', () => done({ outcome: 'connected' }))
  s.once('error', (e) => done({ outcome: 'error', code: e.code, errno: e.errno, syscall: e.syscall, message: e.message }))
  const timer = setTimeout(() => done({ outcome: 'silent' }), timeoutMs)
})
`

interface Agent {
  ask(host: string, port: number, timeoutMs: number): Promise<ConnectOutcome>
}
const agents = new WeakMap<Machine, Agent>()

function agentOf(machine: Machine): Agent {
  const known = agents.get(machine)
  if (known) return known
  const child = machine.spawn(process.execPath, ['-e', AGENT])
  const waiting = new Map<number, (o: ConnectOutcome) => void>()
  let buf = ''
  let err = ''
  let next = 0
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString()
    let nl: number
    while ((nl = buf.indexOf('\n')) >= 0) {
      const { id, ...outcome } = JSON.parse(buf.slice(0, nl)) as ConnectOutcome & { id: number }
      buf = buf.slice(nl + 1)
      waiting.get(id)?.(outcome)
      waiting.delete(id)
    }
  })
  child.once('exit', (code) => {
    agents.delete(machine)
    for (const [, w] of waiting)
      w({ outcome: 'error', code: 'AGENT_EXITED', message: `connect agent exited (${code}): ${err}`, elapsedMs: 0 })
  })
  const agent: Agent = {
    ask: (host, port, timeoutMs) =>
      new Promise((resolve) => {
        const id = next++
        waiting.set(id, resolve)
        child.stdin!.write(`${JSON.stringify({ id, host, port, timeoutMs })}\n`)
      }),
  }
  agents.set(machine, agent)
  return agent
}

/** `net.connect({host, port})` from inside the machine; `silent` when nothing at all happened within timeoutMs. */
export async function connectFrom(machine: Machine, host: string, port: number, timeoutMs = 2000): Promise<ConnectOutcome> {
  const o = await agentOf(machine).ask(host, port, timeoutMs)
  if (o.code === 'AGENT_EXITED') throw new Error(`netbench: ${o.message}`)
  return o
}
