#!/usr/bin/env node
// `npm test`: build, type-check, lint, then every test: vitest (unit + integration: real sockets,
// real Python peers, real tshark) and Playwright (browser mode in Chromium; Electron where its runtime
// is installed). Ends with one line: "N passed, N failed, N skipped".

import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const reports = join(root, 'test-results')
mkdirSync(reports, { recursive: true })
const bin = (name) => join(root, 'node_modules', '.bin', name)
const totals = { passed: 0, failed: 0, skipped: 0 }
let broken = false

function step(title, command, args, env = {}) {
  console.log(`\n=== ${title} ===`)
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  if (r.status !== 0) {
    console.error(`\n${title} failed (exit ${r.status ?? r.signal}).`)
    broken = true
  }
  return r.status === 0
}

function countVitest(file) {
  if (!existsSync(file)) return
  const r = JSON.parse(readFileSync(file, 'utf8'))
  totals.passed += r.numPassedTests ?? 0
  totals.failed += r.numFailedTests ?? 0
  totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)
}

function countPlaywright(file) {
  if (!existsSync(file)) return
  const r = JSON.parse(readFileSync(file, 'utf8'))
  const s = r.stats ?? {}
  totals.passed += (s.expected ?? 0) + (s.flaky ?? 0)
  totals.failed += s.unexpected ?? 0
  totals.skipped += s.skipped ?? 0
}

const only = process.argv.slice(2)
const want = (name) => only.length === 0 || only.includes(name)

if (!step('Build (electron-vite)', bin('electron-vite'), ['build'])) process.exit(1)
if (want('static')) {
  step('Type check (tsc: Node, renderer, Playwright)', process.execPath, [join(root, 'scripts', 'typecheck.js')])
  step('Lint (eslint)', bin('eslint'), ['.'])
  step('Format (prettier)', bin('prettier'), ['--check', '.'])
}
if (want('vitest')) {
  const out = join(reports, 'vitest.json')
  step('Unit and integration tests (vitest)', bin('vitest'), [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
  ])
  countVitest(out)
}
if (want('playwright')) {
  const out = join(reports, 'playwright.json')
  step('Browser and Electron tests (Playwright)', bin('playwright'), ['test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: out,
  })
  countPlaywright(out)
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
process.exit(broken || totals.failed > 0 ? 1 : 0)
