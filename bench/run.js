#!/usr/bin/env node
// `npm run bench`: SocketLab's adder server side by side with the programs students would write.
// (a) SocketLab started as a user starts it (`socketlab serve adder`, recording on), (b) the Python
// thread-per-connection server of the handout's hint, (c) a bare Node `net` adder as the floor.
// For C = 1, 10, 100, 1000 lock-step clients: requests/s, p50, p99, errors; then 10,000 idle
// clients held after their handshake, with each server's resident memory. Loopback only.
//
// Cores: this machine has 2. The server under test and the load generator (C, epoll, one thread) are
// separate processes, so the OS gives each roughly one core; only one server runs at a time.

import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { buildLoadGenerator, fdLimit, load, root, rssMiB, startServer, stopServer } from './lib.js'

const node = process.execPath
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1.5)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9)
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
/**
 * The ratio of two servers from runs made back to back in the same round (same machine conditions),
 * as the median over the rounds: steadier than a ratio of two medians on a noisy shared machine.
 */
function pairedRatios(a, b) {
  const n = Math.min(a.runs?.length ?? 0, b.runs?.length ?? 0)
  return Array.from({ length: n }, (_, i) => a.runs[i] / b.runs[i]).sort((x, y) => x - y)
}

function pairedRatio(a, b) {
  const ratios = pairedRatios(a, b)
  return ratios.length ? `${ratios[Math.floor(ratios.length / 2)].toFixed(2)}×` : ratio(a.rps, b.rps)
}

/** The spread of the per-round ratios, so a reader sees how much the machine moved. */
function ratioRange(a, b) {
  const ratios = pairedRatios(a, b)
  return ratios.length ? `${ratios[0].toFixed(2)}–${ratios.at(-1).toFixed(2)}` : '–'
}

/**
 * The order of the servers in a round: SocketLab always runs right next to bare Node (the ratio the
 * target is about), before it in one round and after it in the next, so a machine that speeds up or
 * slows down over a round favours neither.
 */
function roundOrder(specs, round) {
  const rank = { bare: 0, socketlab: 1, python: 2 }
  const sorted = specs.slice().sort((x, y) => rank[x.key] - rank[y.key])
  return round % 2 === 0 ? sorted : sorted.reverse()
}

const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–')

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
  const only = (process.env.BENCH_SERVERS ?? '').split(',').filter(Boolean)
  const specs = SERVERS.filter((spec) => !only.length || only.includes(spec.key))
  const results = Object.fromEntries(
    SERVERS.map((spec) => [spec.key, { rate: Object.fromEntries(LEVELS.map((c) => [c, {}])), idle: null }]),
  )
  // The machine is shared and noisy: every level runs ROUNDS times with the servers interleaved, and
  // the median run (by requests/s) is reported, so all three servers see the same conditions.
  for (const clients of LEVELS) {
    const runs = Object.fromEntries(specs.map((spec) => [spec.key, []]))
    for (let round = 0; round < ROUNDS; round++) {
      for (const spec of roundOrder(specs, round)) {
        const { child, port } = await startServer(spec)
        runs[spec.key].push(await load({ port, clients, warmupMs: 1000, durationMs: SECONDS * 1000 }))
        await stopServer(child)
      }
    }
    for (const spec of specs) {
      const sorted = runs[spec.key].slice().sort((x, y) => (x.rps ?? 0) - (y.rps ?? 0))
      const r = { ...sorted[Math.floor(sorted.length / 2)], runs: runs[spec.key].map((x) => Math.round(x.rps ?? 0)) }
      results[spec.key].rate[clients] = r
      console.log(
        `${spec.label.padEnd(44)} C=${String(clients).padEnd(5)} ${fmt(r.rps)} req/s (median of ${r.runs.join(', ')})  p50 ${fmt(r.p50, 2)} ms  p99 ${fmt(r.p99, 2)} ms  wrong ${r.wrong ?? '?'}  errors ${r.errors ?? r.error}`,
      )
    }
  }
  for (const spec of specs) {
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
    return `| ${c} | ${fmt(rs.rps)} | ${fmt(rs.p50, 2)} / ${fmt(rs.p99, 2)} | ${fmt(rp.rps)} | ${fmt(rp.p50, 2)} / ${fmt(rp.p99, 2)} | ${fmt(rb.rps)} | ${fmt(rb.p50, 2)} / ${fmt(rb.p99, 2)} | ${(rs.errors ?? 0) + (rs.wrong ?? 0)} / ${(rp.errors ?? 0) + (rp.wrong ?? 0)} / ${(rb.errors ?? 0) + (rb.wrong ?? 0)} | ${pairedRatio(rs, rp)} | ${pairedRatio(rs, rb)} | ${ratioRange(rs, rb)} |`
  })
  const idleRow = (key, label) => {
    const r = results[key].idle
    return r ? `| ${label} | ${r.held} / ${idle} | ${r.errors} | ${fmt(r.rssMiB, 1)} MiB |` : `| ${label} | – | – | – |`
  }
  const date = new Date().toISOString()
  const table = [
    `SocketLab benchmark, ${date}`,
    `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${os.release()}, Node ${process.version}; each level ${ROUNDS} rounds of ${SECONDS} s runs after 1 s warm-up, servers interleaved within a round (SocketLab right after bare Node, then right before it in the next round); req/s and latency are the median run, ratios the median of the per-round ratios ("its rounds": the lowest and highest SocketLab / bare Node ratio of a round); server and load generator in separate processes on loopback.`,
    '',
    '| clients | SocketLab req/s | p50 / p99 ms | Python threaded req/s | p50 / p99 ms | bare Node req/s | p50 / p99 ms | errors+wrong (S/P/B) | SocketLab / Python | SocketLab / bare Node | its rounds |',
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
  writeFileSync(join(root, 'bench/results/latest.json'), `${JSON.stringify({ date, results }, null, 2)}\n`)
  console.log('Written to bench/results/latest.md and latest.json')
}

main().catch((err) => {
  console.error(`benchmark failed: ${err.message}`)
  process.exit(1)
})
