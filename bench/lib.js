// What the benchmarks share: starting and stopping a server process, the C load generator, a process's
// resident memory and CPU time, all with the file-descriptor limit raised where the OS allows it.

import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export const root = new URL('..', import.meta.url).pathname
const FD_WANTED = 65_536

/** Run a command with its file-descriptor limit raised where the OS allows it. */
export function withFds(cmd, args) {
  return ['bash', ['-c', `ulimit -n ${FD_WANTED} 2>/dev/null || ulimit -n hard 2>/dev/null; exec "$@"`, 'bench', cmd, ...args]]
}

export function fdLimit() {
  const r = spawnSync('bash', ['-c', `ulimit -n ${FD_WANTED} 2>/dev/null || ulimit -n hard 2>/dev/null; ulimit -n`], {
    encoding: 'utf8',
  })
  return Number(r.stdout.trim())
}

export function rssMiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : NaN
  } catch {
    return NaN
  }
}

export function startServer(spec) {
  return new Promise((resolve, reject) => {
    const [cmd, args] = withFds(spec.cmd, spec.args)
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    let head = ''
    const timer = setTimeout(() => reject(new Error(`${spec.label} did not start: ${head}`)), 20_000)
    const onData = (d) => {
      if (head.length < 4096) head += d
      const m = spec.ready.exec(head)
      if (m && timer) {
        clearTimeout(timer)
        resolve({ child, port: Number(m[1]) })
      }
    }
    // Drain output so a server that prints a line per client never blocks on a full pipe.
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('error', reject)
  })
}

export function stopServer(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    const t = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(t)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

const LOADGEN = join(root, 'bench/.build/adder-load')

/** The load generator is C (epoll), so it is never the bottleneck; it is compiled on each run. */
export function buildLoadGenerator() {
  mkdirSync(join(root, 'bench/.build'), { recursive: true })
  const r = spawnSync('cc', ['-O2', '-o', LOADGEN, join(root, 'bench/adder-load.c')], { encoding: 'utf8' })
  if (r.status !== 0)
    throw new Error(`could not compile the load generator (a C compiler is needed: apt install gcc): ${r.stderr || r.error}`)
}

/**
 * One run of the load generator. `{ port, clients, warmupMs, durationMs }`: requests/s and latency.
 * `{ ports, clients, warmupMs, sliceMs, slices }`: the servers take turns in slices, each with its own
 * clients (see bench/adder-load.c); per server, requests/s of every slice and latency over them all.
 * `{ port, clients, idle: true, holdMs }`: connections held after their handshake.
 */
export function load(config) {
  return new Promise((resolve) => {
    const argv = config.idle
      ? ['idle', config.port, config.clients, config.holdMs]
      : config.ports
        ? ['alternate', config.clients, config.warmupMs, config.sliceMs, config.slices, ...config.ports]
        : ['rate', config.port, config.clients, config.warmupMs, config.durationMs]
    const [cmd, args] = withFds(LOADGEN, argv.map(String))
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    const t = setTimeout(() => child.kill('SIGKILL'), 120_000)
    child.on('exit', () => {
      clearTimeout(t)
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()))
      } catch {
        resolve({ error: `load generator printed ${JSON.stringify(out.slice(0, 200))}` })
      }
    })
  })
}

/** User plus system CPU time of a process, in milliseconds (Linux /proc). */
export function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    const ticks = Number(fields[11]) + Number(fields[12])
    return (ticks * 1000) / 100
  } catch {
    return NaN
  }
}
