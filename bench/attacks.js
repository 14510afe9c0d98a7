#!/usr/bin/env node
// `npm run bench` (part 2): what a hostile neighbour costs SocketLab's server (issue 9), measured on
// `socketlab serve` started as a user starts it, over loopback, each figure a ratio to a reference run
// made in the same process a moment before:
// - a pathological message (64 KiB of whitespace and separators) against a normal one: reply time;
// - pipelining attackers that never read: the server's memory growth and a good client's p99 latency
//   (the C load generator, 10 lock-step adder clients) against the same client with no attacker;
// - dribbling peers (a byte every 10 ms): the server's CPU time per chunk received.

import { mkdirSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import { join } from 'node:path'
import { buildLoadGenerator, cpuMs, load, root, rssMiB, startServer, stopServer } from './lib.js'

const ATTACKERS = Number(process.env.BENCH_ATTACKERS ?? 50)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const serve = (exercise, extra = []) =>
  startServer({
    label: `socketlab serve ${exercise}`,
    cmd: process.execPath,
    args: [
      join(root, 'bin/socketlab.js'),
      'serve',
      exercise,
      '--host',
      'loopback',
      '--port',
      '0',
      '--max-per-address',
      '20000',
      ...extra,
    ],
    ready: /on port (\d+)/,
  })

/** Connect from `localAddress`, optionally send a first message, and resolve with the socket once it is answered. */
function connect(port, localAddress = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port, localAddress })
    s.once('connect', () => resolve(s))
    s.once('error', reject)
  })
}

/** Send `text` and time the first bytes of the reply. */
function timedReply(s, text) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint()
    s.once('data', () => resolve(Number(process.hrtime.bigint() - t0) / 1e6))
    s.write(text)
  })
}

async function pathological() {
  const { child, port } = await serve('adder')
  const n = 64 * 1024 - 64
  const cases = {
    normal: '3 7\n',
    'spaces, then x': '1' + ' '.repeat(n) + 'x\n',
    'separator runs': '1' + ',; +'.repeat(n / 4) + 'x\n',
  }
  const out = {}
  for (const [name, text] of Object.entries(cases)) {
    const times = []
    for (let i = 0; i < 15; i++) {
      const s = await connect(port)
      s.write('bench\n')
      await new Promise((r) => s.once('data', r))
      times.push(await timedReply(s, text))
      s.destroy()
    }
    out[name] = median(times)
  }
  await stopServer(child)
  return out
}

/**
 * An attacker that pipelines adder requests as fast as the server takes them and never reads. All of
 * them live in this process as plain sockets (a Python process each would spend the machine's two
 * cores starting interpreters, and measure that instead of the server).
 */
function pipeliner(port) {
  const s = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.0.2' })
  s.on('error', () => undefined)
  // Never read: the kernel's receive buffer fills and the server's answers back up.
  s.pause()
  const chunk = Buffer.from('3 7\n'.repeat(16384))
  const flood = () => {
    while (!s.destroyed && s.write(chunk));
  }
  s.once('connect', () => {
    s.write('mallory\n')
    flood()
  })
  s.on('drain', flood)
  return { kill: () => s.destroy() }
}

async function pipelining() {
  const { child, port } = await serve('adder')
  await sleep(300)
  const base = await load({ port, clients: 10, warmupMs: 500, durationMs: 3000 })
  const rssBefore = rssMiB(child.pid)
  const attackers = Array.from({ length: ATTACKERS }, () => pipeliner(port))
  await sleep(3000)
  const attacked = await load({ port, clients: 10, warmupMs: 500, durationMs: 3000 })
  const rssDuring = rssMiB(child.pid)
  for (const a of attackers) a.kill()
  await stopServer(child)
  return { base, attacked, rssBefore, rssDuring }
}

async function dribbling() {
  const { child, port } = await serve('dedup', ['--greet', 'never'])
  await sleep(300)
  const peers = 3
  const seconds = 5
  const cpu0 = cpuMs(child.pid)
  let chunks = 0
  await Promise.all(
    Array.from({ length: peers }, async () => {
      const s = await connect(port)
      s.on('error', () => undefined)
      const list = `[${Array.from({ length: 2000 }, (_, i) => (i % 100) + 1).join(', ')}]`
      const until = Date.now() + seconds * 1000
      for (let i = 0; Date.now() < until && i < list.length; i++) {
        s.write(list[i])
        chunks++
        await sleep(10)
      }
      s.destroy()
    }),
  )
  const cpu = cpuMs(child.pid) - cpu0
  await stopServer(child)
  return { peers, seconds, chunks, cpuMs: cpu, usPerChunk: (cpu * 1000) / chunks }
}

async function main() {
  buildLoadGenerator()
  console.log('SocketLab under attack (issue 9), loopback, socketlab serve as a user starts it')
  const path = await pathological()
  console.log(`pathological message: ${JSON.stringify(path)}`)
  const pipe = await pipelining()
  console.log(`pipelining: ${JSON.stringify(pipe)}`)
  const drib = await dribbling()
  console.log(`dribbling: ${JSON.stringify(drib)}`)

  const f = (n, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '–')
  const date = new Date().toISOString()
  const table = [
    `SocketLab under attack, ${date}`,
    `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), Linux ${os.release()}, Node ${process.version}.`,
    '',
    '| measure | reference | under attack | ratio |',
    '|---|---:|---:|---:|',
    ...Object.entries(path)
      .filter(([k]) => k !== 'normal')
      .map(
        ([k, v]) =>
          `| reply to a 64 KiB message of ${k} (median of 15) | ${f(path.normal)} ms (\`3 7\`) | ${f(v)} ms | ${f(v / path.normal, 1)}× |`,
      ),
    `| good client p99, 10 adder clients, while ${ATTACKERS} peers pipeline and never read | ${f(pipe.base.p99)} ms | ${f(pipe.attacked.p99)} ms | ${f(pipe.attacked.p99 / pipe.base.p99, 1)}× |`,
    `| good client requests/s, same | ${f(pipe.base.rps, 0)} | ${f(pipe.attacked.rps, 0)} | ${f(pipe.attacked.rps / pipe.base.rps)}× |`,
    `| server resident memory, same | ${f(pipe.rssBefore, 1)} MiB | ${f(pipe.rssDuring, 1)} MiB | +${f(pipe.rssDuring - pipe.rssBefore, 1)} MiB |`,
    `| server CPU per chunk, ${drib.peers} peers dribbling a byte every 10 ms for ${drib.seconds} s (${drib.chunks} chunks) | | ${f(drib.usPerChunk, 1)} µs | ${f(drib.cpuMs, 0)} ms CPU in all |`,
    '',
    `Wrong answers or errors of the good clients: ${pipe.base.wrong + pipe.base.errors} without, ${pipe.attacked.wrong + pipe.attacked.errors} with the attack.`,
  ].join('\n')
  console.log(`\n${table}\n`)
  mkdirSync(join(root, 'bench/results'), { recursive: true })
  writeFileSync(join(root, 'bench/results/attacks-latest.md'), `${table}\n`)
  writeFileSync(join(root, 'bench/results/attacks-latest.json'), `${JSON.stringify({ date, path, pipe, drib }, null, 2)}\n`)
}

main().catch((err) => {
  console.error(`attack benchmark failed: ${err.message}`)
  process.exit(1)
})
