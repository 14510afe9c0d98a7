// Talking to a classmate's own Python script: the UI's adder client against a Python server, and a
// Python client against the UI's adder server (test/peers, written the way students write them).

import { spawn, type ChildProcess } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from './fixtures'
import { clientPane, go, open, runClient, serverPane, startServer, stopServer } from './ui'

const peers = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'test', 'peers')

interface Peer {
  child: ChildProcess
  output(): string
  exited: Promise<number | null>
}

function python(script: string, args: string[]): Peer {
  const child = spawn('python3', [join(peers, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d))
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d))
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  return { child, output: () => out, exited }
}

test('the UI adder client against a Python adder server', async ({ page, app }) => {
  const server = python('adder_server.py', ['--port', '0', '--timeout', '60'])
  try {
    await expect.poll(() => server.output(), { timeout: 10_000 }).toMatch(/listening on \d+/)
    const port = Number(server.output().match(/listening on (\d+)/)![1])

    await open(page, app, 'adder')
    await clientPane(page).getByTestId('adder-name').fill('ui-5555')
    await runClient(page, '127.0.0.1', port)
    const console = clientPane(page).getByTestId('client-console')
    await expect(console).toContainText('ack received from Server')
    const command = clientPane(page).getByTestId('adder-command')
    for (const c of ['a', 'a', 'x']) {
      await command.fill(c)
      await command.press('Enter')
    }
    await expect(console).toContainText('Invalid command')
    await expect(clientPane(page).locator('.console-line', { hasText: /answer received from Server = \d+/ })).toHaveCount(2)
    await clientPane(page).getByTestId('adder-q').click()
    await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')

    // The Python server saw the name and both pairs, and no failure.
    await expect.poll(() => server.output()).toContain('Connection initiated by ui-5555')
    expect(server.output().match(/ui-5555: \d+ \+ \d+ = \d+/g)).toHaveLength(2)
    expect(server.output()).not.toContain('FAIL')
  } finally {
    server.child.kill()
  }
})

test('a Python adder client against the UI adder server', async ({ page, app }) => {
  await open(page, app, 'adder')
  const port = await startServer(page)
  const client = python('adder_client.py', ['--port', String(port), '--script', 'a,a,q', '--name', 'py-7777'])
  expect(await client.exited).toBe(0)
  expect(client.output()).toContain('Connected as py-7777')
  expect(client.output().match(/answer received from Server = \d+/g)).toHaveLength(2)
  await expect(serverPane(page).getByTestId('server-console')).toContainText('Connection initiated by py-7777')

  // Its connection, with its name, in the Connections view.
  await go(page, 'connections')
  await page.getByTestId('conn-filter').fill('py-7777')
  await expect(page.getByTestId('conn-count-shown')).toHaveText('1 shown')
  const row = page.getByTestId('conn-row').first()
  await expect(row).toContainText('py-7777')
  await expect(row).toHaveAttribute('data-state', 'closed')
  await go(page, 'adder')
  await stopServer(page)
})
