// Wire settings and limits: every field with its explanation, passed to the engine (a classmate's
// server that splits on a comma), a limit hit shown next to the server, and everything the student
// typed still there after a reload. Plus the keyboard: pages by shortcut, forms by Enter.

import { spawn } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LIMIT_HELP, WIRE_HELP } from '../../src/shared/settings'
import { expect, test } from './fixtures'
import { clientPane, open, runClient, serverPane, shot, startServer, stopServer } from './ui'

const peers = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'test', 'peers')

test('every wire setting and limit is shown with its explanation, and persists', async ({ page, app }) => {
  await open(page, app, 'adder')
  const panel = page.getByTestId('wire-panel')
  await expect(panel).not.toHaveAttribute('open')
  await page.getByTestId('wire-toggle').click()
  await expect(panel).toHaveAttribute('open')
  for (const help of [...Object.values(WIRE_HELP), ...Object.values(LIMIT_HELP)]) {
    await expect(panel).toContainText(help.replace(/`/g, ''))
  }
  await page.getByTestId('wire-pairSeparator').selectOption(',')
  await page.getByTestId('wire-replyTimeoutMs').fill('8000')
  await page.getByTestId('limit-maxClients').fill('3')
  await expect(panel).toContainText('3 changed from the defaults')
  await shot(page, 'wire-settings')
  await clientPane(page).getByTestId('client-host').fill('10.1.2.3')
  await clientPane(page).getByTestId('adder-name').fill('keep-1234')

  await page.waitForTimeout(500) // settings are saved a moment after the last keystroke
  await page.reload()
  await expect(page.getByTestId('page-adder')).toBeVisible()
  await expect(page.getByTestId('wire-pairSeparator')).toHaveValue(',')
  await expect(page.getByTestId('wire-replyTimeoutMs')).toHaveValue('8000')
  await expect(page.getByTestId('limit-maxClients')).toHaveValue('3')
  await expect(clientPane(page).getByTestId('client-host')).toHaveValue('10.1.2.3')
  await expect(clientPane(page).getByTestId('adder-name')).toHaveValue('keep-1234')
  // The host is shared: the neighbour's IP is typed once for every exercise.
  await page.getByTestId('nav-greeting').click()
  await expect(clientPane(page).getByTestId('client-host')).toHaveValue('10.1.2.3')

  await page.getByTestId('nav-adder').click()
  await page.getByTestId('wire-toggle').click()
  await page.getByTestId('wire-reset').click()
  await expect(page.getByTestId('wire-pairSeparator')).toHaveValue(' ')
  await expect(panel).toContainText('defaults')
})

test('a bad wire value is refused next to its field, and the panel opens by itself', async ({ page, app }) => {
  await open(page, app, 'dedup')
  await page.getByTestId('wire-toggle').click()
  await page.getByTestId('wire-paceMs').fill('soon')
  await page.getByTestId('wire-toggle').click()
  await expect(page.getByTestId('wire-panel')).not.toHaveAttribute('open')
  await serverPane(page).getByTestId('server-port').fill('0')
  await serverPane(page).getByTestId('server-start').click()
  await expect(page.getByTestId('wire-panel')).toHaveAttribute('open')
  await expect(page.getByTestId('wire-panel').getByTestId('error-paceMs')).toHaveText('Pace must be a whole number, not "soon".')
  // A value out of range: the engine says so, next to the same field.
  await page.getByTestId('wire-quietMs').fill('0')
  await page.getByTestId('wire-paceMs').fill('250')
  await serverPane(page).getByTestId('server-start').click()
  await expect(page.getByTestId('wire-panel').getByTestId('error-quietMs')).toBeVisible()
  await expect(serverPane(page).getByTestId('server-status')).toHaveText('Stopped')
})

test('the pair separator reaches a classmate’s server that splits on a comma', async ({ page, app }) => {
  const server = spawn('python3', [join(peers, 'adder_server.py'), '--port', '0', '--sep', ',', '--timeout', '60'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  server.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
  try {
    await expect.poll(() => out, { timeout: 10_000 }).toMatch(/listening on \d+/)
    const port = Number(out.match(/listening on (\d+)/)![1])
    await open(page, app, 'adder')
    await page.getByTestId('wire-toggle').click()
    await page.getByTestId('wire-pairSeparator').selectOption(',')
    await runClient(page, '127.0.0.1', port)
    await clientPane(page).getByTestId('adder-a').click()
    await expect(clientPane(page).getByTestId('client-console')).toContainText(/answer received from Server = \d+/)
    await clientPane(page).getByTestId('adder-q').click()
    await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
    expect(out).toMatch(/: \d+ \+ \d+ = \d+/)
    expect(out).not.toContain('FAIL')
  } finally {
    server.kill()
  }
})

test('a server limit that is hit is shown next to the server', async ({ page, app }) => {
  await open(page, app, 'adder')
  await page.getByTestId('wire-toggle').click()
  await page.getByTestId('limit-maxClients').fill('1')
  const port = await startServer(page)
  // One client holds the only place …
  await runClient(page, '127.0.0.1', port)
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Connected')
  // … so a Python classmate is told the server is full.
  const py = spawn('python3', [join(peers, 'adder_client.py'), '--port', String(port), '--script', 'a,q', '--name', 'late-1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  py.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
  const code = await new Promise<number | null>((r) => py.once('exit', r))
  expect(code).not.toBe(0)
  expect(out).toContain('FAIL')
  const limits = serverPane(page).getByTestId('server-limits')
  await expect(limits).toContainText('server full (1 clients)')
  await expect(serverPane(page).getByTestId('server-console')).toContainText('server full')
  await clientPane(page).getByTestId('client-stop').click()
  await expect(clientPane(page).getByTestId('client-run')).toBeVisible()
  await stopServer(page)
})

test('the keyboard: pages by Alt+number, a form by Enter, the command line by Enter', async ({ page, app }) => {
  await open(page, app, 'machine')
  await page.keyboard.press('Alt+2')
  await expect(page.getByTestId('page-greeting')).toBeVisible()
  await page.keyboard.press('Alt+5')
  await expect(page.getByTestId('page-adder')).toBeVisible()
  // Ten pages: the tenth (Check my program) is Alt+0, as the digit row lies, and the hint says so.
  await expect(page.getByText('Alt+1…9, 0 switch pages')).toBeVisible()
  await page.keyboard.press('Alt+0')
  await expect(page).toHaveURL(/#\/check$/)
  await page.keyboard.press('Alt+5')
  await expect(page.getByTestId('page-adder')).toBeVisible()
  const portField = serverPane(page).getByTestId('server-port')
  await portField.fill('0')
  await portField.press('Enter')
  await expect(serverPane(page).getByTestId('server-status')).toHaveText('Listening')
  const port = await serverPane(page).getByTestId('server-actual-port').textContent()
  await clientPane(page).getByTestId('client-port').fill(port!)
  await clientPane(page).getByTestId('client-host').fill('127.0.0.1')
  await clientPane(page).getByTestId('client-port').press('Enter')
  // The command line takes the focus once connected.
  await expect(clientPane(page).getByTestId('adder-command')).toBeFocused()
  await page.keyboard.type('a')
  await page.keyboard.press('Enter')
  await expect(clientPane(page).getByTestId('client-console')).toContainText(/answer received from Server = \d+/)
  await page.keyboard.type('q')
  await page.keyboard.press('Enter')
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
  // Every sidebar link is reachable with Tab.
  await page.getByTestId('nav-machine').focus()
  await page.keyboard.press('Tab')
  await expect(page.getByTestId('nav-greeting')).toBeFocused()
  await stopServer(page)
})
