// Browser-mode fixtures for the e2e project: a worker-scoped `app` that runs the built browser mode
// (`node out/main/web.js --no-open` on a free port), signs in once with the one-time address it
// prints, and gives every test's browser context that sign-in cookie, as a student's browser has it
// after opening the address. Use it in every e2e spec:
//
//   import { expect, test } from './fixtures'
//   test('…', async ({ page, app }) => { await page.goto(app.url) })
//
// A spec that needs an engine of its own (to stop it, or to sign in by itself) uses `startEngine`.
// Every engine saves check reports to a temporary folder of its own ($SOCKETLAB_REPORTS_DIR), removed
// when it stops, never to the user's ~/SocketLab/reports.
// Needs `npm run build` first.

import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test as base, expect } from '@playwright/test'

export interface SessionCookie {
  name: string
  value: string
}

export interface WebApp {
  /** The page, http://127.0.0.1:<port>/ (every test's context is signed in). */
  url: string
  port: number
  /** http://127.0.0.1:<port>, what the page's Origin is. */
  origin: string
  /** The sign-in cookie, for requests made outside the browser (a WebSocket from Node). */
  cookie: SessionCookie
  /** The temporary folder this engine saves check reports to. */
  reportsDir: string
  /** Everything browser mode printed so far (stdout and stderr). */
  output(): string
}

export interface Engine {
  child: ChildProcess
  port: number
  origin: string
  /** The one-time sign-in address it printed first. */
  signInUrl: string
  /** The temporary folder it saves check reports to (removed when it stops). */
  reportsDir: string
  output(): string
  /** Stop it as Ctrl+C in its terminal does (SIGINT); resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const entry = join(root, 'out', 'main', 'web.js')
const SIGN_IN_LINE = /(http:\/\/127\.0\.0\.1:(\d+)\/login\?code=[A-Za-z0-9_-]+)/

/** Start the built browser mode on a free port; `--no-open` unless `args` says otherwise. */
export async function startEngine(options: { args?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<Engine> {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" before the e2e tests`)
  const reportsDir = mkdtempSync(join(tmpdir(), 'socketlab-e2e-reports-'))
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SOCKETLAB_WEB_PORT: '0',
    SOCKETLAB_REPORTS_DIR: reportsDir,
    ...options.env,
  }
  const removeReports = () => rmSync(reportsDir, { recursive: true, force: true })
  const child = spawn(process.execPath, [entry, ...(options.args ?? ['--no-open'])], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.setEncoding('utf8')
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (chunk: string) => (output += chunk))
  const found = await new Promise<RegExpMatchArray>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser mode printed no address within 20 s:\n${output}`)), 20_000)
    child.stdout!.on('data', (chunk: string) => {
      output += chunk
      const match = output.match(SIGN_IN_LINE)
      if (match) {
        clearTimeout(timer)
        resolvePromise(match)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      removeReports()
      reject(new Error(`browser mode exited (code ${code}) before printing its address:\n${output}`))
    })
  })
  const port = Number(found[2])
  const stop = async (signal: NodeJS.Signals = 'SIGINT'): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) {
      removeReports()
      return child.exitCode
    }
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
    child.kill(signal)
    const timer = setTimeout(() => child.kill('SIGKILL'), 8000)
    const code = await exited
    clearTimeout(timer)
    removeReports()
    return code
  }
  return {
    child,
    port,
    origin: `http://127.0.0.1:${port}`,
    signInUrl: found[1],
    reportsDir,
    output: () => output,
    stop,
  }
}

/** Use a sign-in address as a browser does (GET), and return the cookie it sets. */
export async function signIn(url: string): Promise<SessionCookie> {
  const res = await fetch(url, { redirect: 'manual' })
  const set = res.headers.getSetCookie()[0]
  if (res.status !== 200 || !set) throw new Error(`signing in at ${url} failed: HTTP ${res.status}`)
  const pair = set.split(';')[0]
  const eq = pair.indexOf('=')
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1) }
}

/** The cookie as Playwright adds it to a context: what the browser would hold after signing in. */
export function contextCookie(app: { port: number; cookie: SessionCookie }) {
  return {
    ...app.cookie,
    domain: '127.0.0.1',
    path: '/',
    httpOnly: true,
    sameSite: 'Strict' as const,
  }
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export const test = base.extend<{}, { app: WebApp; engineEnv: NodeJS.ProcessEnv }>({
  /** Extra environment for the engine of a spec's worker: `test.use({ engineEnv: { SOCKETLAB_TSHARK: '/nowhere' } })`. */
  engineEnv: [{}, { scope: 'worker', option: true }],
  app: [
    async ({ engineEnv }, use) => {
      const engine = await startEngine({ env: engineEnv })
      try {
        const cookie = await signIn(engine.signInUrl)
        await use({
          url: `${engine.origin}/`,
          port: engine.port,
          origin: engine.origin,
          cookie,
          reportsDir: engine.reportsDir,
          output: engine.output,
        })
      } finally {
        await engine.stop('SIGTERM')
      }
    },
    { scope: 'worker', timeout: 30_000 },
  ],
  // Every test's browser starts signed in, as the student's is once the address was opened.
  context: async ({ context, app }, use) => {
    await context.addCookies([contextCookie(app)])
    await use(context)
  },
})

export { expect }
