#!/usr/bin/env node
// `npm run typecheck`: the three TypeScript programs of tsconfig.json, each on its own (Node, the
// renderer, the Playwright specs), so Node types never exist in the renderer and the DOM never in main.

import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const tsc = join(root, 'node_modules', '.bin', 'tsc')
let failed = false
for (const project of ['tsconfig.node.json', 'tsconfig.web.json', 'tsconfig.playwright.json']) {
  const r = spawnSync(tsc, ['--noEmit', '--composite', 'false', '-p', project], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) {
    console.error(`Type errors in ${project}.`)
    failed = true
  }
}
process.exit(failed ? 1 : 0)
