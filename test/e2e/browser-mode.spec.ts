// Browser mode as a student meets it, each test with an engine of its own: signing in with the
// address the terminal prints (once, and no code left in the address bar), the browser that
// `npm start` opens signing in through a private file (no secret on any command line), hostile
// requests that used to stop the whole engine, and the page after the engine is stopped with Ctrl+C.

import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Page } from '@playwright/test'
import { contextCookie, expect, signIn, startEngine, test, type Engine } from './fixtures'
import { clientPane, runClient, serverPane, startServer } from './ui'

/** A request a browser would not send (a made-up Host, an undecodable path); resolves with the status. */
function rawGet(engine: Engine, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: engine.port, path, headers, agent: false }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      .on('error', reject)
  })
}

async function expectSignedIn(page: Page, engine: Engine): Promise<void> {
  const cookies = await page.context().cookies(engine.origin)
  const session = cookies.find((c) => c.name === `socketlab-${engine.port}`)
  expect(session, 'the sign-in cookie').toBeDefined()
  expect(session!.httpOnly).toBe(true)
  expect(session!.sameSite).toBe('Strict')
  // HttpOnly: the page's own scripts cannot read it.
  expect(await page.evaluate(() => document.cookie)).toBe('')
}

let engine: Engine | null = null
test.afterEach(async () => {
  await engine?.stop('SIGTERM')
  engine = null
})

test('the printed address signs a browser in once; hostile requests leave the engine running', async ({ browser }) => {
  engine = await startEngine()
  const { origin } = engine

  // Each of these used to crash the process or get past the sign-in; now each is answered and nothing stops.
  expect(await rawGet(engine, '/%E0')).toBe(400)
  expect(await rawGet(engine, '//')).toBe(403)
  expect(await rawGet(engine, '/%2findex.html')).toBe(403)
  expect(await rawGet(engine, '/', { Host: `rebound.example:${engine.port}` })).toBe(400)
  expect(await rawGet(engine, '/bridge/%E0', { Connection: 'Upgrade', Upgrade: 'websocket' })).toBe(400)
  expect(engine.child.exitCode).toBeNull()

  const student = await browser.newContext()
  const page = await student.newPage()
  await page.goto(`${engine.signInUrl}#/adder`)
  // The code leaves the address bar at once; the page (and its route) stays.
  await expect(page).toHaveURL(`${origin}/#/adder`)
  await expect(page.getByTestId('page-adder')).toBeVisible()
  await expect(page.locator('.brand-dot.ok')).toBeVisible()
  await expectSignedIn(page, engine)
  expect(await page.evaluate(() => history.length)).toBeLessThanOrEqual(2)

  // Reloads and new tabs need no code.
  await page.reload()
  await expect(page.getByTestId('page-adder')).toBeVisible()
  const tab = await student.newPage()
  expect((await tab.goto(`${origin}/#/greeting`))?.status()).toBe(200)
  await tab.close()

  // The same address in another browser: refused, and the terminal prints a fresh one for it.
  const classmate = await browser.newContext()
  const other = await classmate.newPage()
  const replay = await other.goto(engine.signInUrl)
  expect(replay?.status()).toBe(403)
  await expect(other.locator('body')).toContainText('already used')
  await expect.poll(() => engine!.output()).toContain('A browser asked for SocketLab without being signed in')
  const fresh = engine
    .output()
    .split('without being signed in')[1]
    .match(/http:\/\/127\.0\.0\.1:\d+\/login\?code=[\w-]+/)![0]
  expect(fresh).not.toBe(engine.signInUrl)
  await other.goto(fresh)
  await expect(other).toHaveURL(`${origin}/`)
  await classmate.close()

  // After all of that, a real adder exchange from the page.
  const port = await startServer(page)
  await runClient(page, '127.0.0.1', port)
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Connected')
  const command = clientPane(page).getByTestId('adder-command')
  await command.fill('a')
  await command.press('Enter')
  await expect(clientPane(page).getByTestId('client-console')).toContainText(/answer received from Server = \d+/)
  await clientPane(page).getByTestId('adder-q').click()
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
  expect(engine.child.exitCode).toBeNull()
  await student.close()
})

test('the browser npm start opens signs in through a private file, with no secret on a command line', async ({ browser }) => {
  // The "browser" records the arguments it was started with (what /proc/<pid>/cmdline would show).
  const dir = mkdtempSync(join(tmpdir(), 'socketlab-opener-'))
  const opener = join(dir, 'browser.sh')
  const record = join(dir, 'args')
  writeFileSync(opener, `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\n`)
  chmodSync(opener, 0o755)
  try {
    engine = await startEngine({ args: [], env: { SOCKETLAB_BROWSER: opener, CI: '' } })
    await expect.poll(() => existsSync(record) && readFileSync(record, 'utf8').length > 0).toBe(true)
    const args = readFileSync(record, 'utf8').trim().split('\n')
    expect(args).toHaveLength(1)
    const file = args[0]
    expect(file).not.toMatch(/code|login|127\.0\.0\.1/)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700)
    const code = readFileSync(file, 'utf8').match(/name="code" value="([\w-]+)"/)![1]
    expect(engine.signInUrl).not.toContain(code)

    const student = await browser.newContext()
    const page = await student.newPage()
    await page.goto(pathToFileURL(file).href)
    await expect(page).toHaveURL(`${engine.origin}/`)
    await expect(page.getByTestId('page-greeting')).toBeVisible()
    await expect(page.locator('.brand-dot.ok')).toBeVisible()
    await expectSignedIn(page, engine)
    // Its job done, the file is gone, and its code is dead.
    await expect.poll(() => existsSync(file)).toBe(false)
    const again = await fetch(`${engine.origin}/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `code=${code}`,
    })
    expect(again.status).toBe(403)
    await student.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('after Ctrl+C the page says the engine stopped, how to start it, and disables what needs it', async ({ browser }) => {
  engine = await startEngine()
  const student = await browser.newContext()
  await student.addCookies([contextCookie({ port: engine.port, cookie: await signIn(engine.signInUrl) })])
  const page = await student.newPage()
  await page.goto(`${engine.origin}/#/greeting`)
  await expect(page.locator('.brand-dot.ok')).toBeVisible()
  await startServer(page)
  await expect(serverPane(page).getByTestId('server-stop')).toBeEnabled()
  await expect(clientPane(page).getByTestId('client-run')).toBeEnabled()

  expect(await engine.stop('SIGINT')).toBe(0)
  expect(engine.output()).toContain('SocketLab stopped.')

  const banner = page.getByTestId('link-banner')
  await expect(banner).toContainText('SocketLab has stopped')
  await expect(banner).toContainText('npm start')
  await expect(banner).not.toContainText('keep running')
  await expect(page.getByTestId('link-dot')).not.toHaveClass(/\bok\b/)
  await expect(page.getByTestId('link-dot')).toHaveAttribute('title', 'SocketLab has stopped')
  await expect(serverPane(page).getByTestId('server-stop')).toBeDisabled()
  await expect(clientPane(page).getByTestId('client-run')).toBeDisabled()
  await expect(clientPane(page).getByTestId('client-run')).toHaveAttribute('title', /npm start/)
  // It stays that way: no "reconnecting" after a stop.
  await page.waitForTimeout(1500)
  await expect(banner).toContainText('SocketLab has stopped')
  await student.close()
})
