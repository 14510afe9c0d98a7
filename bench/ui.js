#!/usr/bin/env node
// UI benchmark: the renderer under 1000 adder clients flat out, driven through the UI as a student would.
// Runs the built browser mode (`node out/main/web.js --no-open`, loopback only), opens it in headless
// Chromium, and on the Adder page sets the server to loopback; then Many clients: "Start an adder
// server here and aim at it", 1000 clients, no pause, Start. For 20 s (BENCH_UI_SECONDS) the
// Connections view is open for the first half and the Traffic view for the second. Measured:
//   1. the renderer's long main-thread tasks (PerformanceObserver 'longtask', installed before load):
//      the longest and how many > 50 ms, during the load window            target: longest < 100 ms
//   2. start click → the Connections view's live badge shows all 1000 clients (1000 and 2000 live:
//      each client is two connections here, its own side and our server's side)   target: < 2 s
//   3. renderer JS heap at the end (CDP Performance.getMetrics, and after a forced GC), host RSS
//   4. answers per second (the Many clients page's own counts) and WebSocket batch frames per second
//      received by the page (a few a second, never one per socket event)
// Prints a Markdown table, appends it to bench/results/ui-latest.md, writes bench/results/ui-latest.json.
// Needs the build (`npm run build`). Bounded at 90 s; every process it starts is stopped, even on failure.
// Env: BENCH_UI_CLIENTS (1000), BENCH_UI_SECONDS (20), SOCKETLAB_CHROMIUM (path),
//      BENCH_UI_PROFILE=<file.cpuprofile> (CPU profile of the renderer over the load window),
//      BENCH_UI_HOST_ARGS='--trace-gc' (Node flags for the host), BENCH_UI_HOST_LOG=<file> (its output),
//      BENCH_UI_TRACE=0 (no Chromium trace: long tasks from the PerformanceObserver only),
//      BENCH_UI_STRICT=1 (exit 1 when a target is missed).

// Functions passed to page.evaluate / addInitScript run in the page.
/* global window, document, Element */

import { spawn } from 'node:child_process'
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { chromium } from '@playwright/test'

const root = new URL('..', import.meta.url).pathname
const ENTRY = join(root, 'out/main/web.js')
const CLIENTS = Number(process.env.BENCH_UI_CLIENTS ?? 1000)
const SECONDS = Number(process.env.BENCH_UI_SECONDS ?? 20)
const DEADLINE_MS = 90_000
/** Extra Node flags for the host, for diagnosis (e.g. --trace-gc); none by default. */
const TRACE = process.env.BENCH_UI_TRACE !== '0'
const HOST_ARGS = (process.env.BENCH_UI_HOST_ARGS ?? '').split(/\s+/).filter(Boolean)
const TARGET = { longTaskMs: 100, showAllMs: 2000 }
const CHROMIUM = process.env.SOCKETLAB_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined)
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  // performance.memory unrounded (it is bucketed otherwise).
  '--enable-precise-memory-info',
]
const URL_LINE = /(http:\/\/127\.0\.0\.1:(\d+)\/login\?code=([A-Za-z0-9_-]+))/

const t0Wall = performance.now()
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const elapsed = () => ((performance.now() - t0Wall) / 1000).toFixed(1)
const log = (msg) => console.log(`[${elapsed().padStart(5)} s] ${msg}`)
const num = (text) => Number(String(text ?? '').replace(/[^\d]/g, '') || NaN)
const fmt = (n, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–'
const MiB = (bytes) => bytes / 2 ** 20
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ')

// ---------- processes we start, and stopping them whatever happens ----------

let web = null // the browser-mode host (node out/main/web.js)
let browser = null
let cleaning = null

function stopWeb() {
  return new Promise((resolve) => {
    if (!web || web.exitCode !== null || web.signalCode !== null) return resolve()
    const child = web
    const t = setTimeout(() => child.kill('SIGKILL'), 4000)
    child.once('exit', () => {
      clearTimeout(t)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

function cleanup() {
  cleaning ??= (async () => {
    if (browser) await Promise.race([browser.close().catch(() => undefined), sleep(5000)])
    await stopWeb()
  })()
  return cleaning
}

// Last resort: never leave the host behind (Playwright kills its own Chromium on exit).
process.on('exit', () => {
  if (web && web.exitCode === null && web.signalCode === null) web.kill('SIGKILL')
})
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    console.error(`\nUI benchmark: ${sig}, stopping what it started`)
    void cleanup().finally(() => process.exit(130))
  })
}
const deadline = setTimeout(() => {
  console.error(`UI benchmark: over the ${DEADLINE_MS / 1000} s bound, stopping`)
  void cleanup().finally(() => process.exit(2))
}, DEADLINE_MS)
deadline.unref()

// ---------- the host ----------

function startWeb() {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, SOCKETLAB_WEB_PORT: '0' }
    delete env.SOCKETLAB_WEB_TOKEN
    // 2000 sockets and more: raise the descriptor limit where the OS allows (exec keeps the pid).
    web = spawn(
      'bash',
      [
        '-c',
        'ulimit -n 65536 2>/dev/null || ulimit -n hard 2>/dev/null; exec "$@"',
        'bench-ui',
        process.execPath,
        ...HOST_ARGS,
        ENTRY,
        '--no-open',
      ],
      { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let out = ''
    const timer = setTimeout(() => reject(new Error(`browser mode printed no address within 20 s:\n${out}`)), 20_000)
    const hostLog = process.env.BENCH_UI_HOST_LOG
    const onData = (d) => {
      if (hostLog) appendFileSync(hostLog, d)
      if (out.length < 8192) out += d
      const m = URL_LINE.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve({ url: m[1], port: Number(m[2]) })
      }
    }
    web.stdout.setEncoding('utf8').on('data', onData)
    web.stderr.setEncoding('utf8').on('data', onData)
    web.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`browser mode exited (code ${code}) before printing its address:\n${out}`))
    })
  })
}

function procStatus(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(s)?.[1] ?? NaN)
    return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 }
  } catch {
    return { rssMiB: NaN, hwmMiB: NaN }
  }
}

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(f[11]) + Number(f[12])) / 100 // utime, stime in clock ticks (100 Hz on Linux)
  } catch {
    return NaN
  }
}

// ---------- in the page, before any of the app's scripts ----------

function pageProbe() {
  const b = (window.__bench = { longtasks: [], loafs: [], startAt: null, seen: {} })
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, dur: e.duration })
    }).observe({ type: 'longtask', buffered: true })
  } catch {
    b.noLongtask = true
  }
  // Long animation frames name the scripts that made a frame late: kept for the worst ones only.
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.duration < 100) continue
        b.loafs.push({
          start: e.startTime,
          dur: e.duration,
          blocking: e.blockingDuration,
          render: e.renderStart ? e.startTime + e.duration - e.renderStart : 0,
          scripts: (e.scripts ?? [])
            .slice()
            .sort((x, y) => y.duration - x.duration)
            .slice(0, 3)
            .map((s) => ({ invoker: s.invoker, fn: s.sourceFunctionName, dur: Math.round(s.duration) })),
        })
      }
    }).observe({ type: 'long-animation-frame', buffered: true })
  } catch {
    /* older Chromium */
  }
  // The moment of the real click on "Start N clients" (capture phase, before React sees it).
  document.addEventListener(
    'click',
    (e) => {
      if (e.target instanceof Element && e.target.closest('[data-testid="many-start"]')) {
        b.startAt = performance.now()
        performance.mark('bench:start')
      }
    },
    true,
  )
  /** Watch a count shown in the UI; note when it first reaches each threshold. */
  b.watch = (thresholds) => {
    const read = {
      badge: () => document.querySelector('[data-testid="conn-count-live"]')?.textContent,
      nav: () => document.querySelector('[data-testid="nav-connections"] .nav-badge')?.textContent,
    }
    const timer = setInterval(() => {
      let pending = 0
      for (const [name, get] of Object.entries(read)) {
        const n = Number(String(get() ?? '').replace(/[^\d]/g, '') || 0)
        for (const th of thresholds) {
          const key = `${name}>=${th}`
          if (b.seen[key] === undefined) {
            if (n >= th) b.seen[key] = performance.now()
            else pending++
          }
        }
      }
      if (!pending) clearInterval(timer)
    }, 10)
    setTimeout(() => clearInterval(timer), 60_000)
  }
}

/**
 * The renderer main thread's tasks in the load window, from a Chromium trace: the longest, however
 * short (the 'longtask' entries only exist from 50 ms), and how many pass a frame (16.7 ms).
 */
function analyseTrace(buf) {
  const events = JSON.parse(buf.toString('utf8')).traceEvents ?? []
  const mark = (name) => events.find((e) => e.name === name)
  const start = mark('bench:start')
  const sw = mark('bench:traffic')
  const end = mark('bench:end')
  if (!start || !end) return null
  const threads = new Map()
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args?.name)
  const main = [...threads].find(([key, name]) => name === 'CrRendererMain' && key.startsWith(`${start.pid}:`))?.[0]
  const tasks = events.filter(
    (e) =>
      e.ph === 'X' &&
      e.name === 'ThreadControllerImpl::RunTask' &&
      `${e.pid}:${e.tid}` === main &&
      e.ts >= start.ts &&
      e.ts < end.ts,
  )
  const stats = (list, from, to) => {
    const d = list.map((e) => e.dur / 1000).sort((a, b) => a - b)
    const busy = d.reduce((x, y) => x + y, 0)
    return {
      tasks: d.length,
      longest: d.at(-1) ?? 0,
      p99: d[Math.floor(d.length * 0.99)] ?? 0,
      over16: d.filter((x) => x > 1000 / 60).length,
      over50: d.filter((x) => x > 50).length,
      busy: busy / ((to - from) / 1000),
      // The worst ones: ms from the start click, and how long.
      worst: list
        .slice()
        .sort((a, b) => b.dur - a.dur)
        .slice(0, 5)
        .map((e) => ({ at: Math.round((e.ts - start.ts) / 1000), ms: Math.round(e.dur / 100) / 10 })),
    }
  }
  const mid = sw?.ts ?? end.ts
  return {
    all: stats(tasks, start.ts, end.ts),
    connections: stats(
      tasks.filter((e) => e.ts < mid),
      start.ts,
      mid,
    ),
    traffic: stats(
      tasks.filter((e) => e.ts >= mid),
      mid,
      end.ts,
    ),
  }
}

// ---------- the run ----------

async function main() {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run "npm run build" first`)
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${os.release()}, Node ${process.version}`
  const loadBefore = os.loadavg()
  log(`UI benchmark: ${CLIENTS} clients flat out for ${SECONDS} s; ${machine}; load average ${load()}`)

  const app = await startWeb()
  log(`browser mode on ${app.url.replace(/code=.*/, 'code=…')} (host pid ${web.pid})`)
  browser = await chromium.launch({ headless: true, executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  const browserVersion = browser.version()
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 } })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  await page.addInitScript(pageProbe)
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable', { timeDomain: 'timeTicks' })
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]))

  // Every frame the page receives on its bridge socket.
  const frames = [] // { t (ms, this process), bytes, kind, events, messages, counters, dropped }
  page.on('websocket', (ws) => {
    if (!ws.url().includes('/bridge')) return
    ws.on('framereceived', ({ payload }) => {
      const t = performance.now()
      const text = typeof payload === 'string' ? payload : payload.toString('utf8')
      const f = { t, bytes: Buffer.byteLength(text), kind: 'other' }
      try {
        const frame = JSON.parse(text)
        f.kind = frame.kind
        if (frame.kind === 'batch') {
          const b = frame.batch
          f.events = b.events.length
          f.messages = b.messages.length
          f.counters = Object.keys(b.counters).length
          f.dropped = b.droppedMessages
        }
      } catch {
        /* not JSON */
      }
      frames.push(f)
    })
  })

  // Load the app; the Adder page's server on loopback, any free port (as a student may set it).
  await page.goto(`${app.url}#/adder`)
  await page.getByTestId('page-adder').waitFor()
  await page.locator('.brand-dot.ok').waitFor()
  const pane = page.getByTestId('server-pane')
  await pane.getByTestId('server-bind').selectOption('loopback')
  await pane.getByTestId('server-port').fill('0')

  // Many clients: the one-click adder server here, 1000 clients, flat out.
  await page.getByTestId('nav-many-clients').click()
  await page.getByTestId('page-many-clients').waitFor()
  await page.getByTestId('many-local-server').click()
  await page.getByTestId('many-server-status').filter({ hasText: 'many at a time' }).waitFor()
  const port = num(await page.getByTestId('many-port').inputValue())
  const host = await page.getByTestId('many-host').inputValue()
  log(`adder server started from Many clients: ${host}:${port}`)
  await page.getByTestId('many-count').fill(String(CLIENTS))
  await page.getByTestId('many-think').fill('0')

  // The probe works: a 70 ms task of the page's own must show as a long task.
  const probeOk = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const n = window.__bench.longtasks.length
        setTimeout(() => {
          const t = performance.now()
          while (performance.now() - t < 70);
        }, 0)
        setTimeout(() => resolve(window.__bench.longtasks.slice(n).some((e) => e.dur >= 60)), 300)
      }),
  )
  if (!probeOk) console.warn('warning: the long-task probe did not see a 70 ms test task; long-task figures are not reliable')
  const longtasksBefore = await page.evaluate(() => window.__bench.longtasks.length)
  await page.evaluate((n) => window.__bench.watch([n, 2 * n]), CLIENTS)
  const m0 = await metrics()
  const cpu0 = cpuSeconds(web.pid)

  // Every task of the renderer's main thread, not only those over 50 ms ('toplevel' is cheap).
  if (TRACE) await browser.startTracing(page, { categories: ['toplevel', 'blink.user_timing'] })
  const profile = process.env.BENCH_UI_PROFILE
  if (profile) {
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 })
    await cdp.send('Profiler.start')
  }

  // Go.
  const tStart = performance.now()
  await page.getByTestId('many-start').click()
  await page.getByTestId('nav-connections').click()
  await page.getByTestId('page-connections').waitFor()
  log(`${CLIENTS} clients started; Connections view open`)
  const pageStart = await page.evaluate(() => window.__bench.startAt)
  if (pageStart === null) throw new Error('the click on "Start" was not seen in the page')

  // Host memory, sampled through the run.
  let rssPeak = 0
  const sampler = setInterval(() => {
    const r = procStatus(web.pid).rssMiB
    if (r > rssPeak) rssPeak = r
  }, 250)

  const half = (SECONDS * 1000) / 2
  await sleep(Math.max(0, tStart + half - performance.now()))
  const pageSwitch = await page.evaluate(() => {
    performance.mark('bench:traffic')
    return performance.now()
  })
  await page.getByTestId('nav-traffic').click()
  await page.getByTestId('page-traffic').waitFor()
  log('Traffic view open')
  await sleep(Math.max(0, tStart + SECONDS * 1000 - performance.now()))

  // End of the load window: measure before anything else happens in the page.
  const tEnd = performance.now()
  const pageEnd = await page.evaluate(() => {
    performance.mark('bench:end')
    return performance.now()
  })
  const m1 = await metrics()
  const cpu1 = cpuSeconds(web.pid)
  const hostMem = procStatus(web.pid)
  clearInterval(sampler)
  const trace = TRACE ? analyseTrace(await browser.stopTracing()) : null
  if (profile) {
    const { profile: data } = await cdp.send('Profiler.stop')
    writeFileSync(profile, JSON.stringify(data))
    log(`renderer CPU profile written to ${profile}`)
  }
  const probe = await page.evaluate(() => ({
    longtasks: window.__bench.longtasks,
    loafs: window.__bench.loafs,
    seen: window.__bench.seen,
    memory: performance.memory ? { used: performance.memory.usedJSHeapSize, total: performance.memory.totalJSHeapSize } : null,
    trafficCount: document.querySelector('[data-testid="traffic-count"]')?.textContent ?? '',
    domNodes: document.getElementsByTagName('*').length,
  }))
  log(`load window over; host RSS ${fmt(hostMem.rssMiB, 1)} MiB, renderer heap ${fmt(MiB(m1.JSHeapUsedSize), 1)} MiB`)

  // The Many clients page's own counts.
  await page.getByTestId('nav-many-clients').click()
  await page.getByTestId('page-many-clients').waitFor()
  const answeredText = await page.getByTestId('many-answered').textContent()
  const pageRead = await page.evaluate(() => performance.now())
  const answered = num(answeredText)
  const connected = num(await page.getByTestId('many-connected').textContent())
  const wrong = num(await page.getByTestId('many-wrong').textContent())
  const errors = num(await page.getByTestId('many-errors').textContent())
  // The page's "answers per second" averages the last few seconds once it has two samples.
  await sleep(2500)
  const uiRate = num(await page.getByTestId('many-rate').textContent())

  // Heap after a full GC: what the renderer really retains with 1000 clients live.
  await cdp.send('HeapProfiler.enable')
  await cdp.send('HeapProfiler.collectGarbage')
  const m2 = await metrics()

  // Stop as a student would; the Connections view should drain to 0 live.
  let drainMs = NaN
  {
    const t = performance.now()
    await page.getByTestId('many-stop').click()
    await page
      .getByTestId('many-state')
      .filter({ hasText: 'Stopped' })
      .waitFor({ timeout: 10_000 })
      .catch(() => undefined)
    await page.getByTestId('nav-connections').click()
    const ok = await page
      .getByTestId('conn-count-live')
      .filter({ hasText: /^0 live$/ })
      .waitFor({ timeout: 8_000 })
      .then(() => true)
      .catch(() => false)
    if (ok) drainMs = performance.now() - t
  }
  const loadAfter = os.loadavg()
  await cleanup()

  // ---------- figures ----------
  const inWindow = (e) => e.start >= pageStart && e.start < pageEnd
  const tasks = probe.longtasks.slice(longtasksBefore).filter(inWindow)
  const longest = tasks.reduce((m, e) => Math.max(m, e.dur), 0)
  const over50 = tasks.filter((e) => e.dur > 50).length
  const over100 = tasks.filter((e) => e.dur > 100).length
  const blockedMs = tasks.reduce((s, e) => s + Math.max(0, e.dur - 50), 0)
  const phase = (from, to) => {
    const list = tasks.filter((e) => e.start >= from && e.start < to)
    return { count: list.length, longest: list.reduce((m, e) => Math.max(m, e.dur), 0) }
  }
  const phases = { connections: phase(pageStart, pageSwitch), traffic: phase(pageSwitch, pageEnd) }
  const worstFrames = probe.loafs
    .filter(inWindow)
    .sort((a, b) => b.dur - a.dur)
    .slice(0, 5)
    .map((f) => ({ ...f, start: Math.round(f.start - pageStart), dur: Math.round(f.dur) }))
  const since = (key) => (probe.seen[key] !== undefined ? probe.seen[key] - pageStart : NaN)
  const show = {
    firstN: since(`badge>=${CLIENTS}`),
    all: since(`badge>=${2 * CLIENTS}`),
    navAll: since(`nav>=${2 * CLIENTS}`),
  }

  const batches = frames.filter((f) => f.kind === 'batch' && f.t >= tStart && f.t < tEnd)
  const windowS = (tEnd - tStart) / 1000
  const perSecond = new Map()
  for (const f of batches) {
    const s = Math.floor((f.t - tStart) / 1000)
    perSecond.set(s, (perSecond.get(s) ?? 0) + 1)
  }
  const hostMessages = batches.reduce((s, f) => s + f.messages + f.dropped, 0)
  const batchStats = {
    count: batches.length,
    perSecond: batches.length / windowS,
    maxInOneSecond: Math.max(0, ...perSecond.values()),
    meanKiB: batches.length ? batches.reduce((s, f) => s + f.bytes, 0) / batches.length / 1024 : NaN,
    maxKiB: Math.max(0, ...batches.map((f) => f.bytes)) / 1024,
    maxCounters: Math.max(0, ...batches.map((f) => f.counters)),
    maxEvents: Math.max(0, ...batches.map((f) => f.events)),
    socketMessagesPerSecond: hostMessages / windowS,
    socketMessagesPerBatch: batches.length ? hostMessages / batches.length : NaN,
  }
  const readS = (pageRead - pageStart) / 1000
  const answers = {
    answered,
    connected,
    wrong,
    errors,
    perSecond: answered / readS,
    // Requests start once the whole crowd is past its handshake: the rate once all are shown.
    perSecondOnceAllConnected: Number.isFinite(show.all) ? answered / (readS - show.all / 1000) : NaN,
    uiRate,
  }
  const busy = (k) => (m1[k] - m0[k]) / windowS
  const renderer = {
    heapUsedMiB: MiB(m1.JSHeapUsedSize),
    heapTotalMiB: MiB(m1.JSHeapTotalSize),
    heapAfterGcMiB: MiB(m2.JSHeapUsedSize),
    performanceMemoryUsedMiB: probe.memory ? MiB(probe.memory.used) : NaN,
    mainThreadBusy: busy('TaskDuration'),
    scriptBusy: busy('ScriptDuration'),
    layoutBusy: busy('LayoutDuration') + busy('RecalcStyleDuration'),
    domNodes: probe.domNodes,
    trafficCount: probe.trafficCount,
  }
  const hostStats = { rssMiB: hostMem.rssMiB, rssPeakMiB: Math.max(rssPeak, hostMem.rssMiB), cpu: (cpu1 - cpu0) / windowS }

  const longestAny = Math.max(longest, trace?.all.longest ?? 0)
  const pass = {
    longTask: longestAny < TARGET.longTaskMs,
    showAll: show.all < TARGET.showAllMs,
    batched: batchStats.maxInOneSecond <= 20 && batchStats.count > 0,
    correct: wrong === 0 && errors === 0,
  }
  const mark = (ok) => (ok ? '✅' : '❌')
  const date = new Date().toISOString()
  const table = [
    `### UI benchmark, ${date}`,
    '',
    `Machine: ${machine}. Load average before / after (1, 5, 15 min): ${loadBefore.map((x) => x.toFixed(2)).join(' / ')} → ${loadAfter.map((x) => x.toFixed(2)).join(' / ')}.`,
    `Browser mode + headless Chromium (${browserVersion}), ${CLIENTS} adder clients flat out for ${fmt(windowS, 1)} s from the Many clients page against its own adder server (loopback); Connections view open ${fmt(SECONDS / 2, 0)} s, then Traffic ${fmt(SECONDS / 2, 0)} s.`,
    '',
    '| measure | value | target |',
    '|---|---:|---|',
    `| longest renderer main-thread task in the load window | ${fmt(longestAny, 1)} ms | < ${TARGET.longTaskMs} ms ${mark(pass.longTask)} |`,
    `| 'longtask' entries > 50 ms / > 100 ms (Connections open / Traffic open) | ${over50} / ${over100} (${phases.connections.count} / ${phases.traffic.count}), longest ${tasks.length ? `${fmt(longest)} ms` : '–'}, blocking ${fmt(blockedMs)} ms | |`,
    ...(trace
      ? [
          `| every main-thread task (Chromium trace): longest / p99, Connections open; Traffic open | ${fmt(trace.connections.longest, 1)} / ${fmt(trace.connections.p99, 1)} ms; ${fmt(trace.traffic.longest, 1)} / ${fmt(trace.traffic.p99, 1)} ms | |`,
          `| tasks longer than a frame (16.7 ms), of ${fmt(trace.all.tasks)} tasks | ${trace.all.over16} (${trace.connections.over16} / ${trace.traffic.over16}) | |`,
        ]
      : []),
    `| start click → Connections shows ${fmt(2 * CLIENTS)} live (all ${fmt(CLIENTS)} clients, both ends) | ${fmt(show.all)} ms | < ${TARGET.showAllMs} ms ${mark(pass.showAll)} |`,
    `| start click → Connections shows ≥ ${fmt(CLIENTS)} live | ${fmt(show.firstN)} ms | |`,
    `| renderer main thread busy (task / script / style+layout) | ${fmt(renderer.mainThreadBusy * 100)} % / ${fmt(renderer.scriptBusy * 100)} % / ${fmt(renderer.layoutBusy * 100)} % | |`,
    `| renderer JS heap at the end: used / after GC | ${fmt(renderer.heapUsedMiB, 1)} MiB / ${fmt(renderer.heapAfterGcMiB, 1)} MiB | |`,
    `| host (main process) RSS at the end / peak | ${fmt(hostStats.rssMiB, 1)} MiB / ${fmt(hostStats.rssPeakMiB, 1)} MiB | |`,
    `| host CPU during the window | ${fmt(hostStats.cpu * 100)} % of one core | |`,
    `| requests answered (Many clients page) | ${fmt(answered)} in ${fmt(readS, 1)} s: ${fmt(answers.perSecond)}/s (${fmt(answers.perSecondOnceAllConnected)}/s once all connected; page shows ${fmt(uiRate)}/s) | wrong + errors 0 ${mark(pass.correct)} |`,
    `| batch frames received by the page | ${fmt(batchStats.perSecond, 1)}/s (at most ${batchStats.maxInOneSecond} in one second), mean ${fmt(batchStats.meanKiB)} KiB, max ${fmt(batchStats.maxKiB)} KiB | a few a second ${mark(pass.batched)} |`,
    `| socket messages per batch | ${fmt(batchStats.socketMessagesPerBatch)} (${fmt(batchStats.socketMessagesPerSecond)} messages/s on the host's sockets) | |`,
    `| stop click → Connections shows 0 live | ${fmt(drainMs)} ms | |`,
    '',
  ].join('\n')

  console.log(`\n${table}`)
  if (worstFrames.length) {
    console.log('Slowest animation frames in the window (ms from the start click; top scripts):')
    for (const f of worstFrames) {
      const scripts = f.scripts.map((s) => `${s.invoker || '?'}${s.fn ? ` ${s.fn}` : ''} ${s.dur} ms`).join('; ')
      console.log(
        `  at ${f.start} ms: ${f.dur} ms (blocking ${Math.round(f.blocking)}, render ${Math.round(f.render)}): ${scripts}`,
      )
    }
  }
  mkdirSync(join(root, 'bench/results'), { recursive: true })
  writeFileSync(join(root, 'bench/results/ui-latest.md'), `${table}\n`)
  const json = {
    date,
    machine,
    loadavg: { before: loadBefore, after: loadAfter },
    clients: CLIENTS,
    seconds: windowS,
    targets: TARGET,
    pass,
    trace,
    longestTaskMs: longestAny,
    longTasks: { probeOk, longest, over50, over100, blockedMs, phases, count: tasks.length, worstFrames },
    showMs: show,
    renderer,
    host: hostStats,
    answers,
    batches: batchStats,
    drainMs,
  }
  writeFileSync(join(root, 'bench/results/ui-latest.json'), `${JSON.stringify(json, null, 2)}\n`)
  console.log('Written to bench/results/ui-latest.md; written to bench/results/ui-latest.json')
  log('done')
  if (process.env.BENCH_UI_STRICT && !Object.values(pass).every(Boolean)) process.exitCode = 1
}

main()
  .catch(async (err) => {
    console.error(`UI benchmark failed: ${err?.stack ?? err}`)
    process.exitCode = 1
  })
  .finally(async () => {
    await cleanup()
    clearTimeout(deadline)
  })
