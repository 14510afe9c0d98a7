#!/usr/bin/env node
// `npm run bench` (part 2): the JavaScript each adder request costs SocketLab's server above a bare
// handler, in one process with no kernel in the way (bench/engine-path.ts). The loopback benchmark's
// ratio swings with a shared machine by ±20 % from round to round; this figure moves by a few percent,
// so it shows what a change to the engine did. Results in bench/results/engine-latest.md and .json.

import { build } from 'esbuild'
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { root } from './lib.js'

const RUNS = Number(process.env.BENCH_ENGINE_RUNS ?? 9)
const ROUNDS = Number(process.env.BENCH_ENGINE_ROUNDS ?? 2000)

async function main() {
  const outfile = join(root, 'bench/.build/engine-path.mjs')
  mkdirSync(join(root, 'bench/.build'), { recursive: true })
  await build({
    entryPoints: [join(root, 'bench/engine-path.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outfile,
    alias: { '@shared': join(root, 'src/shared') },
    external: ['electron'],
    // Bundled CommonJS dependencies (ws) call require: give the ESM bundle one.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: 'error',
  })
  const { measure, CLIENTS } = await import(pathToFileURL(outfile).href)
  const r = await measure(RUNS, ROUNDS)
  const extra = r.socketlabNs - r.bareNs
  const date = new Date().toISOString()
  const table = [
    `SocketLab engine path, ${date}`,
    `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}; ${CLIENTS} adder clients in one process, one request each per event-loop turn, ${r.requests.toLocaleString('en-US')} requests per run, ${r.runs} runs of each back to back, the best run of each.`,
    '',
    '| path | ns per request | runs (ns) |',
    '|---|---:|---|',
    `| bare handler (bench/bare-adder-server.js) | ${r.bareNs.toFixed(0)} | ${r.bareRuns.map((x) => x.toFixed(0)).join(', ')} |`,
    `| SocketLab server (Host, Recorder, Session, framer, adder machine) | ${r.socketlabNs.toFixed(0)} | ${r.socketlabRuns.map((x) => x.toFixed(0)).join(', ')} |`,
    '',
    `SocketLab / bare handler: ${(r.socketlabNs / r.bareNs).toFixed(2)}×; SocketLab's own work above the floor: ${extra.toFixed(0)} ns per request.`,
  ].join('\n')
  console.log(`\n${table}\n`)
  writeFileSync(join(root, 'bench/results/engine-latest.md'), `${table}\n`)
  writeFileSync(join(root, 'bench/results/engine-latest.json'), `${JSON.stringify({ date, ...r }, null, 2)}\n`)
  console.log('Written to bench/results/engine-latest.md and engine-latest.json')
  process.exit(0)
}

main().catch((err) => {
  console.error(`engine benchmark failed: ${err.stack ?? err.message}`)
  process.exit(1)
})
