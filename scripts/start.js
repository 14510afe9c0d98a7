#!/usr/bin/env node
// `npm start`: build if needed, then open the desktop window; where that cannot work (no Electron runtime,
// no display), start browser mode instead and say why. `npm run start:web` (--web): browser mode only.
// Other arguments (e.g. --no-open) go to browser mode. Plain messages, never a stack trace.

import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const argv = process.argv.slice(2)
const webOnly = argv.includes('--web')
const webArgs = argv.filter((a) => a !== '--web')

/** A download of ~100 MB; past this, browser mode starts and the message says how to finish it. */
const INSTALL_TIMEOUT_MS = 120_000
/** An Electron that dies this soon with an error never opened its window. */
const EARLY_EXIT_MS = 15_000
const OUTPUTS = ['out/main/index.js', 'out/main/web.js', 'out/preload/index.cjs', 'out/renderer/index.html']
const INPUTS = ['src', 'electron.vite.config.ts']

const say = (text) => console.log(`SocketLab: ${text}`)
const firstLine = (text) =>
  (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('at ') && !/^npm (warn|notice)/i.test(l))
    ?.slice(0, 240) ?? ''

// ---------- Build ----------

function newest(path) {
  let stat
  try {
    stat = statSync(path)
  } catch {
    return 0
  }
  if (!stat.isDirectory()) return stat.mtimeMs
  let max = stat.mtimeMs
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)))
  return max
}

function buildIfNeeded() {
  const outputs = OUTPUTS.map((p) => join(root, p))
  const missing = outputs.some((p) => !existsSync(p))
  const builtAt = missing ? 0 : Math.min(...outputs.map((p) => statSync(p).mtimeMs))
  const changedAt = Math.max(...INPUTS.map((p) => newest(join(root, p))))
  if (!missing && builtAt >= changedAt) return
  say(missing ? 'building the app (first run)…' : 'the sources changed since the last build; rebuilding…')
  const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  if (!existsSync(cli)) {
    say('the build tools are not installed. Run "npm install" in the SocketLab folder first.')
    process.exit(1)
  }
  const result = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    say('the build failed (see the messages above), so SocketLab cannot start.')
    process.exit(1)
  }
}

// ---------- Electron runtime ----------

const electronDir = join(root, 'node_modules', 'electron')

/** The executable node_modules/electron/index.js would run, if it is really there (never downloads). */
function electronBinary() {
  let relative = ''
  try {
    relative = readFileSync(join(electronDir, 'path.txt'), 'utf8')
  } catch {
    // not downloaded yet
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  const binary = override ? join(override, relative || 'electron') : relative ? join(electronDir, 'dist', relative) : ''
  return binary && existsSync(binary) ? binary : null
}

/** One download attempt with a time limit; returns why it failed, or '' on success. */
function installElectron() {
  const script = join(electronDir, 'install.js')
  if (!existsSync(script)) return 'the electron package is not installed (run "npm install")'
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return 'ELECTRON_SKIP_BINARY_DOWNLOAD is set'
  say('the desktop window needs the Electron runtime, which is not downloaded yet. Downloading it now (about 100 MB, once)…')
  const result = spawnSync(process.execPath, [script], {
    cwd: electronDir,
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  if (result.error && result.error.code === 'ETIMEDOUT')
    return `the download did not finish within ${INSTALL_TIMEOUT_MS / 1000} seconds`
  if (result.error) return result.error.message
  if (result.status !== 0) {
    const line = firstLine(result.stderr) || firstLine(result.stdout) || `the installer exited with code ${result.status}`
    return /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|socket hang up/i.test(line)
      ? `could not reach GitHub, where the Electron runtime is downloaded from (${line})`
      : line
  }
  return electronBinary() ? '' : 'the installer finished but the runtime is still missing'
}

// ---------- Children ----------

let child = null
let stopping = false

function forward(signal) {
  stopping = true
  if (child && child.exitCode === null && child.signalCode === null) child.kill(signal)
  else process.exit(130)
}
process.on('SIGINT', () => forward('SIGINT'))
process.on('SIGTERM', () => forward('SIGTERM'))
if (process.platform !== 'win32') process.on('SIGHUP', () => forward('SIGTERM')) // terminal closed
process.on('exit', () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
})

function run(args, options = {}) {
  // Its own process group on POSIX, so a Ctrl+C reaches it once (forwarded by us), not twice.
  child = spawn(process.execPath, args, { cwd: root, detached: process.platform !== 'win32', ...options })
  return child
}

function startWeb(reason) {
  if (reason) console.log(`\n${reason}\n`)
  run([join(root, 'out', 'main', 'web.js'), ...webArgs], { stdio: 'inherit' })
  child.on('error', (err) => {
    say(`could not start browser mode: ${err.message}`)
    process.exit(1)
  })
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)))
}

const HOW_TO_GET_THE_WINDOW =
  'To get the desktop window: on a normal internet connection run "npx install-electron" in the SocketLab folder, then "npm start" again.'

function electronProblem(stderr) {
  if (
    /Missing X server or \$DISPLAY|cannot open display|Failed to connect to Wayland|platform failed to initialize/i.test(stderr)
  )
    return 'the desktop window could not open: Electron found no graphical display.'
  if (/SUID sandbox helper|setuid_sandbox|No usable sandbox/i.test(stderr))
    return "the desktop window could not open: Linux refused Electron's sandbox (node_modules/electron/dist/chrome-sandbox must belong to root with mode 4755, or unprivileged user namespaces must be allowed)."
  const line = firstLine(stderr)
  return `the desktop window closed right after starting${line ? ` (${line})` : ''}.`
}

function startElectron() {
  const startedAt = Date.now()
  const env = { ...process.env }
  delete env.ELECTRON_RUN_AS_NODE // set by some editors' terminals; it would make Electron a plain Node
  let stderr = ''
  run([join(electronDir, 'cli.js'), '.'], { stdio: ['inherit', 'inherit', 'pipe'], env })
  child.stderr.on('data', (chunk) => {
    process.stderr.write(chunk)
    if (stderr.length < 64 * 1024) stderr += chunk.toString()
  })
  child.on('error', (err) => startWeb(`SocketLab: could not start Electron (${err.message}); starting in browser mode instead.`))
  child.on('exit', (code, signal) => {
    const early = Date.now() - startedAt < EARLY_EXIT_MS
    if (!stopping && early && (code !== 0 || signal)) {
      startWeb(
        `SocketLab: ${electronProblem(stderr)}\nStarting SocketLab in browser mode instead: open the address below in your web browser.`,
      )
      return
    }
    process.exit(code ?? 0)
  })
}

// ---------- Main ----------

function main() {
  buildIfNeeded()
  if (webOnly) return startWeb('')
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    // Both problems are said at once: a student who fixes the display should not then meet the second one.
    // (No download is tried here: without a display the window could not open anyway.)
    const runtime = electronBinary()
      ? ''
      : 'The Electron runtime (the desktop window) is not installed here either.\n' + HOW_TO_GET_THE_WINDOW + '\n'
    return startWeb(
      'SocketLab: there is no graphical display here ($DISPLAY is not set, e.g. an SSH session or a container).\n' +
        runtime +
        'So SocketLab is starting in browser mode instead.',
    )
  }
  if (electronBinary()) return startElectron()
  const why = installElectron()
  if (!why) return startElectron()
  startWeb(
    `SocketLab: the Electron runtime (the desktop window) is not installed, and downloading it failed:\n  ${why}\n` +
      'Starting SocketLab in browser mode instead: open the address below in your web browser.\n' +
      HOW_TO_GET_THE_WINDOW,
  )
}

try {
  main()
} catch (err) {
  say(`could not start: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
}
