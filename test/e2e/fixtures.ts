// Browser-mode fixtures for the e2e project: a worker-scoped `app` that runs the built browser mode
// (`node out/main/web.js --no-open` on a free port) and yields its address. Use it in every e2e spec:
//
//   import { expect, test } from './fixtures'
//   test('…', async ({ page, app }) => { await page.goto(app.url) })
//
// Needs `npm run build` first.

import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test as base, expect } from '@playwright/test'

export interface WebApp {
  /** The full address with the token, e.g. http://127.0.0.1:41234/?token=… */
  url: string
  token: string
  port: number
  /** http://127.0.0.1:<port>, what the page's Origin is. */
  origin: string
  /** Everything browser mode printed so far (stdout and stderr). */
  output(): string
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const entry = join(root, 'out', 'main', 'web.js')
const URL_LINE = /(http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))/

async function startWebApp(): Promise<{ app: WebApp; child: ChildProcess }> {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" before the e2e tests`)
  // A fresh random token and a free port for every run, whatever the environment says.
  const env: NodeJS.ProcessEnv = { ...process.env, SOCKETLAB_WEB_PORT: '0' }
  delete env.SOCKETLAB_WEB_TOKEN
  const child = spawn(process.execPath, [entry, '--no-open'], {
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
      const match = output.match(URL_LINE)
      if (match) {
        clearTimeout(timer)
        resolvePromise(match)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`browser mode exited (code ${code}) before printing its address:\n${output}`))
    })
  })
  const port = Number(found[2])
  return { child, app: { url: found[1], token: found[3], port, origin: `http://127.0.0.1:${port}`, output: () => output } }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export const test = base.extend<{}, { app: WebApp }>({
  app: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const { app, child } = await startWebApp()
      try {
        await use(app)
      } finally {
        await stop(child)
      }
    },
    { scope: 'worker', timeout: 30_000 },
  ],
})

export { expect }
