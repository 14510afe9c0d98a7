// Lab 2 question 3 in the UI: the Wireshark filters on the Server pane, and a live capture with real
// tshark on the loopback while the greeting exercise runs — the handshake, both texts linked to their
// Traffic messages, the teardown, and the .pcapng that Wireshark (here: tshark -r) reads back.

import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from './fixtures'
import {
  clientPane,
  go,
  open,
  runClient,
  serverPane,
  shot,
  shotDark,
  SCREENSHOTS,
  startServer,
  stopServer,
  tsharkInstalled,
} from './ui'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const GREETING = 'Thank you for connecting'
const ACK = 'It was nice talking to you'

const rows = (page: Page): Locator => page.getByTestId('packet-row')
const payloadRow = (page: Page, text: string): Locator =>
  rows(page).filter({ has: page.getByTestId('packet-payload').getByText(text, { exact: true }) })

test('the Server pane shows the Wireshark filters for its port, with copy buttons and the how-to', async ({
  page,
  app,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin })
  await open(page, app, 'greeting')
  const port = await startServer(page)
  const filters = serverPane(page).getByTestId('server-filters')
  await expect(filters.getByTestId('server-filters-display-text')).toHaveText(`tcp.port == ${port}`)
  await expect(filters.getByTestId('server-filters-capture-text')).toHaveText(`tcp port ${port}`)
  // The loopback caveat for this system (Linux here: lo, or any).
  await expect(filters.getByTestId('server-filters-loopback')).toContainText('loopback interface lo')

  const copy = filters.getByTestId('server-filters-display-copy')
  await expect(copy).toHaveAccessibleName(`Copy the display filter: tcp.port == ${port}`)
  await copy.click()
  await expect(copy).toHaveText('Copied')
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`tcp.port == ${port}`)
  await filters.getByTestId('server-filters-capture-copy').click()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`tcp port ${port}`)

  // The how-to, folded: interface, both filters, what to look for.
  await filters.getByText('How to use them in Wireshark').click()
  const howTo = filters.locator('.ws-howto ol')
  await expect(howTo).toContainText(`display filter tcp.port == ${port}`)
  await expect(howTo).toContainText('[SYN], [SYN, ACK], [ACK]')

  // Each connection in the Connections detail: the same, plus a filter for that connection only.
  await runClient(page, '127.0.0.1', port)
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
  await go(page, 'connections')
  await page.getByTestId('conn-filter').fill(`server 127.0.0.1:${port}`)
  await page.getByTestId('conn-row').first().click()
  const remote = Number((await page.getByTestId('conn-row').first().locator('.c-addr').nth(1).textContent())!.split(':').pop())
  const connFilters = page.getByTestId('conn-detail').getByTestId('conn-filters')
  await expect(connFilters.getByTestId('conn-filters-display-text')).toHaveText(`tcp.port == ${port}`)
  await expect(connFilters.getByTestId('conn-filters-connection-text')).toHaveText(`tcp.port == ${port} && tcp.port == ${remote}`)
  await connFilters.getByTestId('conn-filters-connection-copy').click()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`tcp.port == ${port} && tcp.port == ${remote}`)
  await go(page, 'greeting')

  // "Capture it here" opens the Capture page on this port.
  await serverPane(page).getByTestId('server-capture-link').click()
  await expect(page.getByTestId('page-capture')).toBeVisible()
  await expect(page.getByTestId('capture-port')).toHaveValue(String(port))
  await go(page, 'greeting')
  await stopServer(page)
  await expect(serverPane(page).getByTestId('server-filters')).toHaveCount(0)
})

test('capture: the handshake, both texts linked to Traffic, the teardown, and the .pcapng', async ({ page, app }) => {
  test.skip(!tsharkInstalled(), 'tshark is not installed (apt install tshark)')
  test.setTimeout(90_000)

  await open(page, app, 'greeting')
  const port = await startServer(page, '0', { oneAtATime: true })

  // Capture its port on the loopback.
  await go(page, 'capture')
  await expect(page.getByTestId('capture-interface')).toBeEnabled({ timeout: 20_000 })
  await page.getByTestId('capture-interface').selectOption('lo')
  await page
    .getByTestId('capture-pick-server')
    .filter({ hasText: `:${port}` })
    .click()
  await expect(page.getByTestId('capture-port')).toHaveValue(String(port))
  await page.getByTestId('capture-start').click()
  await expect(page.getByTestId('capture-state')).toHaveAttribute('data-running', 'true', { timeout: 25_000 })
  await expect(page.getByTestId('capture-state')).toContainText(`Capturing on lo, port ${port}`)
  await expect(page.getByTestId('nav-capture').locator('.nav-badge')).toBeVisible()

  // Run the greeting client.
  await go(page, 'greeting')
  await runClient(page, '127.0.0.1', port)
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')

  // The packets come in as they cross the wire; the last ACK closes the teardown.
  await go(page, 'capture')
  await expect(rows(page).filter({ hasText: 'last ACK' })).toHaveCount(1, { timeout: 15_000 })
  await page.getByTestId('capture-stop').click()
  await expect(page.getByTestId('capture-state')).toHaveAttribute('data-running', 'false')
  const count = Number(await page.getByTestId('capture-count').textContent())
  await expect(rows(page)).toHaveCount(count)
  // One connection: every packet has its colour.
  const conns = await rows(page).evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-conn')))])
  expect(conns).toHaveLength(1)

  // The three-way handshake, first, marked as such.
  const handshake = rows(page).and(page.locator('[data-phase="handshake"]'))
  await expect(handshake).toHaveCount(3)
  await expect(handshake.getByTestId('packet-flags')).toHaveText(['SYN', 'SYN/ACK', 'ACK'])
  await expect(handshake.getByTestId('packet-tag')).toHaveText(['Handshake', 'Handshake', 'Handshake'])
  await expect(handshake.getByTestId('packet-note')).toContainText(['1/3', '2/3', '3/3'])
  await expect(rows(page).first()).toHaveAttribute('data-flags', 'SYN')

  // The two texts, each in its own PSH/ACK packet, each linked to its Traffic message.
  const greeting = payloadRow(page, GREETING)
  const ack = payloadRow(page, ACK)
  await expect(greeting).toHaveCount(1)
  await expect(ack).toHaveCount(1)
  await expect(greeting.getByTestId('packet-flags')).toHaveText('PSH/ACK')
  await expect(ack.getByTestId('packet-flags')).toHaveText('PSH/ACK')
  await expect(greeting.getByTestId('packet-tag')).toHaveText('Data')
  await expect(greeting.getByTestId('packet-message')).toHaveText(/^msg #\d+$/)
  await expect(ack.getByTestId('packet-message')).toHaveText(/^msg #\d+$/)
  // The server's greeting goes from the server's port; the acknowledgement to it.
  await expect(greeting.locator('.c-route')).toContainText(`127.0.0.1:${port} →`)
  await expect(ack.locator('.c-route')).toContainText(`→ 127.0.0.1:${port}`)

  // The teardown: a FIN from each side, marked as such.
  const teardown = rows(page).and(page.locator('[data-phase="teardown"]'))
  const fins = teardown.filter({ has: page.getByTestId('packet-flags').getByText(/FIN/) })
  await expect(fins).toHaveCount(2)
  await expect(fins.getByTestId('packet-tag')).toHaveText(['Teardown', 'Teardown'])
  // Each side's own FIN: the sender is a fact of the row, its words follow from it.
  const finFrom = await fins.evaluateAll((els) => els.map((e) => e.getAttribute('data-from')))
  expect([...finFrom].sort()).toEqual(['client', 'server'])
  for (const [i, side] of finFrom.entries())
    await expect(fins.nth(i).getByTestId('packet-note')).toContainText(`FIN from ${side}`)
  await expect(teardown.last().getByTestId('packet-note')).toContainText('last ACK')

  // "What you are looking at" tells the same story for this connection.
  const explain = page.getByTestId('capture-explain')
  await expect(explain).toContainText('three-way handshake')
  await expect(explain.getByTestId('explain-texts')).toContainText(`server sent “${GREETING}”`)
  await expect(explain.getByTestId('explain-texts')).toContainText(`client sent “${ACK}”`)
  await expect(explain.getByTestId('capture-filters-display-text')).toHaveText(`tcp.port == ${port}`)

  // A packet's message opens Traffic on that message, selected.
  const seq = await greeting.getByTestId('packet-message').getAttribute('data-seq')
  const no = await greeting.getAttribute('data-no')
  await greeting.getByTestId('packet-message').click()
  await expect(page.getByTestId('page-traffic')).toBeVisible()
  await expect(page.getByTestId('traffic-from-capture')).toHaveText(`· packet #${no} of the capture carried message #${seq}`)
  await expect(page.getByTestId('message-detail')).toContainText(`#${seq}`)
  await expect(page.getByTestId('message-detail').locator('pre').first()).toHaveText(GREETING)
  await expect(page.locator(`#msg-${seq}`)).toHaveAttribute('aria-selected', 'true')
  // Only that connection's messages: the greeting and the acknowledgement, seen from one side.
  await expect(page.getByTestId('traffic-row')).toHaveCount(2)
  await page.getByTestId('traffic-filter-conn').fill('')

  // A reload (a late subscriber) gets the same packets from the engine.
  await page.goto(`${app.url}#/capture`)
  await expect(page.getByTestId('page-capture')).toBeVisible()
  await expect(rows(page)).toHaveCount(count)
  await expect(payloadRow(page, GREETING)).toHaveCount(1)

  // Save: a .pcapng named after the port, which tshark reads back with the same packets.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('capture-save').click()])
  expect(download.suggestedFilename()).toMatch(new RegExp(`^socketlab-port${port}-\\d{8}-\\d{6}\\.pcapng$`))
  const file = (await download.path())!
  const bytes = readFileSync(file)
  expect(bytes.readUInt32BE(0)).toBe(0x0a0d0d0a) // pcapng Section Header Block
  const read = spawnSync('tshark', ['-r', file, '-T', 'fields', '-e', 'tcp.flags.str', '-e', 'tcp.payload'], {
    encoding: 'utf8',
  })
  expect(read.status).toBe(0)
  const lines = read.stdout.trim().split('\n')
  expect(lines).toHaveLength(count)
  const payloads = lines.map((l) => Buffer.from((l.split('\t')[1] ?? '').replace(/:/g, ''), 'hex').toString('utf8'))
  expect(payloads).toContain(GREETING)
  expect(payloads).toContain(ACK)

  // The screenshot: the greeting's packet selected, its story below.
  await payloadRow(page, GREETING).click()
  await expect(page.getByTestId('packet-detail')).toContainText(GREETING)
  await page.setViewportSize({ width: 1360, height: 1120 })
  await page.getByTestId('packet-list').evaluate((el) => el.scrollTo(0, 0))
  await shot(page, 'capture', { fit: false })
  mkdirSync(join(root, 'docs', 'screenshots'), { recursive: true })
  copyFileSync(join(SCREENSHOTS, 'capture.png'), join(root, 'docs', 'screenshots', 'capture.png'))
  await shotDark(page, 'capture-dark', { fit: false })

  await go(page, 'greeting')
  await stopServer(page)
})

test('without tshark, the Capture page says what to install and the rest of the app works', async ({ page, app }) => {
  const problem =
    'Packet capture needs tshark, the command-line part of Wireshark, and it is not installed (or not on the PATH). On Debian or Ubuntu: sudo apt install tshark.'
  // The engine answers captureStatus as it does on a machine without tshark; everything else goes through.
  await page.routeWebSocket(/\/bridge/, (ws) => {
    const server = ws.connectToServer()
    ws.onMessage((message) => {
      const request = JSON.parse(String(message)) as { id: number; name: string }
      if (request.name === 'captureStatus') {
        ws.send(
          JSON.stringify({
            kind: 'result',
            id: request.id,
            result: { ok: true, value: { available: false, problem, interfaces: [], platform: 'linux' } },
          }),
        )
      } else server.send(message)
    })
  })
  await open(page, app, 'capture')
  await expect(page.getByTestId('capture-problem')).toHaveText(problem)
  await expect(page.getByTestId('capture-start')).toHaveCount(0)
  await page.getByTestId('capture-recheck').click()
  await expect(page.getByTestId('capture-problem')).toHaveText(problem)

  // The exercises still run.
  await go(page, 'greeting')
  const port = await startServer(page)
  await runClient(page, '127.0.0.1', port)
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
  await stopServer(page)
})
