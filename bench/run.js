#!/usr/bin/env node
// `npm run bench`: SocketLab's adder server side by side with the programs students would write.
// (a) SocketLab started as a user starts it (`socketlab serve adder`, recording on), (b) the Python
// thread-per-connection server of the handout's hint, (c) a bare Node `net` adder as the floor.
// For C = 1, 10, 100, 1000 lock-step clients: requests/s, p50, p99, errors; then 10,000 idle
// clients held after their handshake, with each server's resident memory. Loopback only.
//
// Cores: this machine has 2. The server under test and the load generator (C, epoll, one thread) are
// separate processes, so the OS gives each roughly one core; only one server's clients run at a time.

import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { buildLoadGenerator, fdLimit, load, root, rssMiB, startServer, stopServer } from './lib.js'

const node = process.execPath
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1.5)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const SLICES = Number(process.env.BENCH_SLICES ?? 20)
const SLICE_MS = Number(process.env.BENCH_SLICE_MS ?? 250)
const IDLE = Number(process.env.BENCH_IDLE ?? 10_000)
const LEVELS = (process.env.BENCH_CLIENTS ?? '1,10,100,1000').split(',').map(Number)

const SERVERS = [
  {
    key: 'socketlab',
    label: 'SocketLab (socketlab serve, recording on)',
    cmd: node,
    args: [
      join(root, 'bin/socketlab.js'),
      'serve',
      'adder',
      '--host',
      'loopback',
      '--port',
      '0',
      '--max-clients',
      '20000',
      '--handshake-timeout',
      '600000',
      // The load generator's thousands of clients all come from 127.0.0.1.
      '--max-per-address',
      '20000',
    ],
    ready: /on port (\d+)/,
  },
  {
    key: 'python',
    label: 'Python threaded (handout hint)',
    cmd: 'python3',
    args: [join(root, 'test/peers/adder_server_threaded.py'), '--port', '0', '--quiet', '--timeout', '600'],
    ready: /listening on (\d+)/,
  },
  {
    key: 'bare',
    label: 'bare Node net',
    cmd: node,
    args: [join(root, 'bench/bare-adder-server.js')],
    ready: /listening on (\d+)/,
  },
]

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const fmt = (n, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–'
const sorted = (xs) => xs.slice().sort((x, y) => x - y)
const median = (xs) => (xs.length ? sorted(xs)[Math.floor(xs.length / 2)] : NaN)
const quantile = (xs, q) => (xs.length ? sorted(xs)[Math.min(xs.length - 1, Math.floor(q * xs.length))] : NaN)
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–')
const spec = (key) => SERVERS.find((s) => s.key === key)

/**
 * SocketLab against bare Node, the ratio the target is about, measured as pairs of slices a fraction of
 * a second apart: both servers run at once, each with its own clients, and the load generator lets one
 * side run at a time (A B, B A, ...). On this shared machine throughput swings by half from one second
 * to the next, so separate runs seconds apart compare the machine's moods as much as the servers.
 * Every round starts both servers afresh, the first slice going to each in turn.
 */
async function pairedLevel(clients) {
  const out = {
    socketlab: { rps: [], p50: [], p99: [], errors: 0, wrong: 0 },
    bare: { rps: [], p50: [], p99: [], errors: 0, wrong: 0 },
    ratios: [],
  }
  for (let round = 0; round < ROUNDS; round++) {
    const keys = round % 2 === 0 ? ['bare', 'socketlab'] : ['socketlab', 'bare']
    const started = []
    for (const key of keys) started.push(await startServer(spec(key)))
    const r = await load({ ports: started.map((s) => s.port), clients, warmupMs: 1000, sliceMs: SLICE_MS, slices: SLICES })
    for (const s of started) await stopServer(s.child)
    if (!r.servers) throw new Error(`load generator failed at ${clients} clients: ${r.error}`)
    keys.forEach((key, k) => {
      const mine = r.servers[k]
      out[key].rps.push(...mine.rps)
      out[key].p50.push(mine.p50)
      out[key].p99.push(mine.p99)
      out[key].errors += mine.errors
      out[key].wrong += mine.wrong
    })
    const sl = r.servers[keys.indexOf('socketlab')]
    const bare = r.servers[keys.indexOf('bare')]
    sl.rps.forEach((x, i) => {
      if (bare.rps[i] > 0) out.ratios.push(x / bare.rps[i])
    })
  }
  const summary = (x) => ({
    rps: median(x.rps),
    p50: median(x.p50),
    p99: median(x.p99),
    errors: x.errors,
    wrong: x.wrong,
    slices: x.rps,
  })
  return { socketlab: summary(out.socketlab), bare: summary(out.bare), ratios: out.ratios }
}

/** Python's threaded server is far slower (seconds of latency at 1000 clients): measured in runs of its own. */
async function ownRuns(key, clients) {
  const runs = []
  for (let round = 0; round < ROUNDS; round++) {
    const { child, port } = await startServer(spec(key))
    runs.push(await load({ port, clients, warmupMs: 1000, durationMs: SECONDS * 1000 }))
    await stopServer(child)
  }
  const bySpeed = runs.slice().sort((x, y) => (x.rps ?? 0) - (y.rps ?? 0))
  return { ...bySpeed[Math.floor(bySpeed.length / 2)], runs: runs.map((x) => Math.round(x.rps ?? 0)) }
}

async function main() {
  buildLoadGenerator()
  const limit = fdLimit()
  const idle = Math.min(IDLE, Math.max(0, limit - 200))
  console.log(
    `SocketLab benchmark: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  )
  console.log(
    `File-descriptor limit for each process: ${limit}${limit < IDLE + 200 ? ` — below the ${IDLE} idle clients wanted; holding ${idle} instead (raise it with ulimit -n)` : ''}`,
  )
  const results = Object.fromEntries(SERVERS.map((s) => [s.key, { rate: {}, idle: null }]))
  const pairs = {}
  for (const clients of LEVELS) {
    const paired = await pairedLevel(clients)
    results.socketlab.rate[clients] = paired.socketlab
    results.bare.rate[clients] = paired.bare
    pairs[clients] = paired.ratios
    results.python.rate[clients] = await ownRuns('python', clients)
    for (const key of ['socketlab', 'bare', 'python']) {
      const r = results[key].rate[clients]
      console.log(
        `${spec(key).label.padEnd(44)} C=${String(clients).padEnd(5)} ${fmt(r.rps)} req/s  p50 ${fmt(r.p50, 2)} ms  p99 ${fmt(r.p99, 2)} ms  wrong ${r.wrong ?? '?'}  errors ${r.errors ?? r.error}`,
      )
    }
    const ratios = pairs[clients]
    console.log(
      `${''.padEnd(44)} SocketLab / bare Node: median ${median(ratios).toFixed(3)} of ${ratios.length} slice pairs, middle half ${quantile(ratios, 0.25).toFixed(2)}–${quantile(ratios, 0.75).toFixed(2)}`,
    )
  }
  for (const spec of SERVERS) {
    if (idle <= 0) break
    const { child, port } = await startServer(spec)
    await sleep(300)
    const before = rssMiB(child.pid)
    const r = await load({ port, clients: idle, idle: true, holdMs: 2000 })
    const rss = rssMiB(child.pid)
    results[spec.key].idle = { ...r, rssMiB: rss, rssBeforeMiB: before }
    console.log(
      `${spec.label.padEnd(44)} idle: held ${r.held}/${idle} (errors ${r.errors}), RSS ${fmt(rss, 1)} MiB (${fmt(before, 1)} MiB before)`,
    )
    await stopServer(child)
  }

  const s = results.socketlab
  const p = results.python
  const b = results.bare
  const rows = LEVELS.map((c) => {
    const [rs, rp, rb] = [s.rate[c], p.rate[c], b.rate[c]]
    const r = pairs[c]
    return `| ${c} | ${fmt(rs.rps)} | ${fmt(rs.p50, 2)} / ${fmt(rs.p99, 2)} | ${fmt(rp.rps)} | ${fmt(rp.p50, 2)} / ${fmt(rp.p99, 2)} | ${fmt(rb.rps)} | ${fmt(rb.p50, 2)} / ${fmt(rb.p99, 2)} | ${(rs.errors ?? 0) + (rs.wrong ?? 0)} / ${(rp.errors ?? 0) + (rp.wrong ?? 0)} / ${(rb.errors ?? 0) + (rb.wrong ?? 0)} | ${ratio(rs.rps, rp.rps)} | **${median(r).toFixed(2)}×** | ${quantile(r, 0.25).toFixed(2)}–${quantile(r, 0.75).toFixed(2)} |`
  })
  const idleRow = (key, label) => {
    const r = results[key].idle
    return r ? `| ${label} | ${r.held} / ${idle} | ${r.errors} | ${fmt(r.rssMiB, 1)} MiB |` : `| ${label} | – | – | – |`
  }
  const date = new Date().toISOString()
  const table = [
    `SocketLab benchmark, ${date}`,
    `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${os.release()}, Node ${process.version}; servers and the load generator in separate processes on loopback.`,
    `SocketLab and bare Node: ${ROUNDS} rounds per level, each starting both servers afresh and giving each 1 s of warm-up, then ${SLICES} slices of ${SLICE_MS} ms apiece, taking turns (A B, B A, ...); req/s is the median slice, latency the median round's; "SocketLab / bare Node" is the median over the ${ROUNDS * SLICES} pairs of slices run back to back, "middle half" the pairs' 25th–75th percentiles. Python threaded: ${ROUNDS} runs of ${SECONDS} s of its own per level after 1 s of warm-up, the median run.`,
    '',
    '| clients | SocketLab req/s | p50 / p99 ms | Python threaded req/s | p50 / p99 ms | bare Node req/s | p50 / p99 ms | errors+wrong (S/P/B) | SocketLab / Python | SocketLab / bare Node | middle half |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Idle: ${idle} clients connected and past their name/ack handshake, held for 2 s.`,
    '',
    '| server | held | errors | resident memory |',
    '|---|---:|---:|---:|',
    idleRow('socketlab', 'SocketLab'),
    idleRow('python', 'Python threaded'),
    idleRow('bare', 'bare Node'),
    '',
    `Memory ratio SocketLab / bare Node: ${ratio(s.idle?.rssMiB, b.idle?.rssMiB)}`,
  ].join('\n')
  console.log(`\n${table}\n`)
  mkdirSync(join(root, 'bench/results'), { recursive: true })
  writeFileSync(join(root, 'bench/results/latest.md'), `${table}\n`)
  writeFileSync(join(root, 'bench/results/latest.json'), `${JSON.stringify({ date, results, pairs }, null, 2)}\n`)
  console.log('Written to bench/results/latest.md and latest.json')
}

main().catch((err) => {
  console.error(`benchmark failed: ${err.message}`)
  process.exit(1)
})
