#!/usr/bin/env node
// Run by `npm install` / `npm ci` (the "prepare" script): makes `npx socketlab …` work in a clone.
// package.json has no "bin" on purpose: npm 11's npx does not run a package's own bin, it tries to
// install the package from the registry instead. npx does run whatever is in node_modules/.bin, so the
// link goes there: node_modules/.bin/socketlab -> ../../bin/socketlab.js (a .cmd/.ps1 shim on Windows).

import { chmodSync, existsSync, lstatSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const target = join(root, 'bin', 'socketlab.js')
const binDir = join(root, 'node_modules', '.bin')

function remove(path) {
  try {
    lstatSync(path)
  } catch {
    return
  }
  rmSync(path, { force: true })
}

try {
  if (!existsSync(target)) throw new Error('bin/socketlab.js is missing')
  mkdirSync(binDir, { recursive: true })
  if (process.platform === 'win32') {
    writeFileSync(join(binDir, 'socketlab.cmd'), '@ECHO off\r\nnode "%~dp0\\..\\..\\bin\\socketlab.js" %*\r\n')
    writeFileSync(
      join(binDir, 'socketlab.ps1'),
      '#!/usr/bin/env pwsh\nnode "$PSScriptRoot/../../bin/socketlab.js" $args\nexit $LASTEXITCODE\n',
    )
    // For Git Bash and other POSIX shells on Windows.
    writeFileSync(join(binDir, 'socketlab'), '#!/bin/sh\nexec node "$(dirname "$0")/../../bin/socketlab.js" "$@"\n')
  } else {
    chmodSync(target, 0o755)
    const link = join(binDir, 'socketlab')
    remove(link)
    symlinkSync('../../bin/socketlab.js', link)
  }
} catch (err) {
  // Never fail the install over this: the CLI also runs as `node bin/socketlab.js …`.
  console.warn(
    `SocketLab: could not link "npx socketlab" (${err instanceof Error ? err.message : String(err)}); use "node bin/socketlab.js" instead.`,
  )
}
