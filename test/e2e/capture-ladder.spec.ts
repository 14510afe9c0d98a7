// The Wireshark question as a picture, with real tshark on the loopback: the page says when the capture
// is ready and runs the greeting client from there; the ladder diagram has one arrow per captured
// packet with the handshake and teardown bracketed, the socket calls and both texts; an arrow selects
// its packet and its message; the step-through walks the packets with the checks; the exports; the
// same connection's ladder in Connections and beside the Result; a reload keeps the running capture in
// the form. Saves docs/screenshots/ladder.png for the README.

import { spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { violations } from './axe'
import { go, open, SCREENSHOTS, serverPane, shot, startCapture, startServer, stopServer, tsharkInstalled } from './ui'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const GREETING = 'Thank you for connecting'
const ACK = 'It was nice talking to you'

const rows = (page: Page): Locator => page.getByTestId('packet-row')
const diagram = (page: Page): Locator => page.getByTestId('capture-ladder-diagram')
const arrows = (scope: Locator): Locator => scope.getByTestId('ladder-arrow')

async function attrs(list: Locator, name: string): Promise<(string | null)[]> {
  return list.evaluateAll((els, n) => els.map((e) => e.getAttribute(n)), name)
}

/** Click an export button; the downloaded file's name and bytes, and the page's "Saved" line. */
async function exportFile(page: Page, testid: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()])
  const name = download.suggestedFilename()
  await expect(page.getByTestId('capture-saved')).toContainText(`Saved ${name} (`)
  await expect(page.getByTestId('capture-saved')).toContainText('to your downloads folder')
  return { name, bytes: readFileSync((await download.path())!) }
}

test.describe('with tshark', () => {
  test.skip(!tsharkInstalled(), 'tshark is not installed (apt install tshark)')

  test('ready, the client run from the page, the ladder, the step-through, the exports, Connections and Result', async ({
    page,
    app,
  }) => {
    test.setTimeout(150_000)
    await open(page, app, 'greeting')
    const port = await startServer(page, '0', { oneAtATime: true })
    await startCapture(page, port)
    await expect(page.getByTestId('capture-ready')).toContainText(`Ready: tshark is capturing port ${port} on lo`)

    // The exercise's client, run right here.
    await page.getByTestId('capture-run-client').click()
    await expect(page.getByTestId('capture-client-state')).toContainText('client done', { timeout: 15_000 })
    await expect(rows(page).filter({ hasText: 'last ACK' })).toHaveCount(1, { timeout: 15_000 })
    await page.getByTestId('capture-stop').click()
    await expect(page.getByTestId('capture-state')).toHaveAttribute('data-running', 'false')
    const count = Number(await page.getByTestId('capture-count').textContent())
    await expect(rows(page)).toHaveCount(count)
    // The packet list, the diagram and the step-through, as listed: no serious accessibility violation.
    expect(await violations(page)).toEqual([])
    // The handshake stays in view: nothing scrolled the SYN away.
    await expect(rows(page).first()).toBeInViewport()
    await expect(rows(page).first()).toHaveAttribute('data-flags', 'SYN')
    // The Traffic column is whole: its links sit inside the list.
    const list = await page.getByTestId('packet-list').boundingBox()
    const link = await page.getByTestId('packet-message').first().boundingBox()
    expect(link!.x + link!.width).toBeLessThanOrEqual(list!.x + list!.width)

    // One arrow per packet, in the same order with the same flags; drawn from the capture.
    const d = diagram(page)
    await expect(d).toHaveAttribute('data-source', 'capture')
    await expect(arrows(d)).toHaveCount(count)
    expect(await attrs(arrows(d), 'data-no')).toEqual(await attrs(rows(page), 'data-no'))
    expect(await attrs(arrows(d), 'data-flags')).toEqual(await attrs(rows(page), 'data-flags'))
    expect(await attrs(arrows(d), 'data-from')).toEqual(await attrs(rows(page), 'data-from'))
    // The handshake and the teardown bracketed, named and whole.
    const brackets = d.getByTestId('ladder-bracket')
    expect(await attrs(brackets, 'data-kind')).toEqual(['handshake', 'teardown'])
    expect(await attrs(brackets, 'data-complete')).toEqual(['true', 'true'])
    await expect(brackets.first()).toContainText('Three-way handshake (packets 1–3)')
    // The socket calls on their lanes, and both texts on the arrows that carried them.
    const calls = await attrs(d.getByTestId('ladder-call'), 'data-call')
    for (const c of ['connect', 'accept', 'send', 'recv', 'close']) expect(calls).toContain(c)
    await expect(d.locator('[data-call="connect"]')).toHaveAttribute('data-lane', 'client')
    await expect(d.locator('[data-call="accept"]')).toHaveAttribute('data-lane', 'server')
    await expect(d.getByTestId('ladder-payload')).toHaveText([`"${GREETING}"`, `"${ACK}"`])

    // An arrow is that packet and that message.
    const greetingArrow = arrows(d).filter({ hasText: GREETING })
    const no = await greetingArrow.getAttribute('data-no')
    const seq = (await greetingArrow.getAttribute('data-messages'))!
    await greetingArrow.click()
    await expect(greetingArrow).toHaveAttribute('data-selected', 'true')
    await expect(page.getByTestId('packet-detail')).toHaveAttribute('data-no', no!)
    await expect(page.locator(`#pkt-${no}`)).toHaveAttribute('aria-selected', 'true')
    await expect(page.getByTestId('packet-detail-carried')).toContainText(`carries message #${seq} (24 bytes): “${GREETING}”`)
    await expect(page.getByTestId('capture-ladder-detail')).toContainText(`message #${seq} in Traffic`)
    // …and a packet of the list is its arrow.
    await rows(page).first().click()
    await expect(arrows(d).first()).toHaveAttribute('data-selected', 'true')

    // The step-through, one packet at a time, with the checks.
    const steps = page.getByTestId('step-through')
    // The first packet is selected: the step-through is at it, and First and Back have nowhere to go.
    await expect(steps.getByTestId('step-first')).toBeDisabled()
    await expect(steps.getByTestId('step-back')).toBeDisabled()
    await expect(steps.getByTestId('step-count')).toHaveText(`Packet 1 of ${count} · frame #1`)
    await expect(steps.getByTestId('step-title')).toHaveText('Handshake 1/3 — SYN')
    await steps.getByTestId('step-next').click()
    await expect(steps.getByTestId('step-title')).toHaveText('Handshake 2/3 — SYN/ACK')
    await expect(steps.getByTestId('step-check')).toHaveText(['✓ Ack 1 = the SYN’s Seq 0 + 1 (packet #1)'])
    await expect(steps.getByTestId('step-check')).toHaveAttribute('data-ok', 'true')
    await expect(arrows(d).nth(1)).toHaveAttribute('data-selected', 'true')
    await expect(page.locator('#pkt-2')).toHaveAttribute('aria-selected', 'true')
    await steps.getByTestId('step-next').click()
    await expect(steps.getByTestId('step-check')).toHaveText(['✓ Ack 1 = the SYN/ACK’s Seq 0 + 1 (packet #2)'])
    await steps.getByTestId('step-next').click()
    await expect(steps.getByTestId('step-title')).toHaveText(`Data — the server sends “${GREETING}”`)
    await expect(steps.getByTestId('step-check')).toHaveText([
      `✓ Len 24 = the 24 bytes of “${GREETING}”: nothing is added around the text`,
    ])
    await steps.getByTestId('step-back').click()
    await expect(steps.getByTestId('step-title')).toHaveText('Handshake 3/3 — ACK')
    // Each side sends its own FIN: at the second FIN both are ticked.
    const fins = arrows(d).and(page.locator('[data-phase="teardown"]')).filter({ hasText: 'FIN' })
    await expect(fins).toHaveCount(2)
    await fins.nth(1).click()
    await expect(steps.getByTestId('step-title')).toContainText('Teardown — FIN from the')
    await expect(steps.getByTestId('step-check')).toHaveCount(2)
    expect(await attrs(steps.getByTestId('step-check'), 'data-ok')).toEqual(['true', 'true'])
    // Play goes on by itself, and stops at the last packet.
    await steps.getByTestId('step-first').click()
    await steps.getByTestId('step-play').click()
    await expect(steps).toHaveAttribute('data-step', '1', { timeout: 10_000 })
    await steps.getByTestId('step-play').click()
    await expect(steps.getByTestId('step-play')).toHaveText('▶ Play')

    // The exports, each confirmed on the page.
    const sheet = await exportFile(page, 'capture-export-sheet')
    expect(sheet.name).toMatch(new RegExp(`^socketlab-port${port}-\\d{8}-\\d{6}-answer-sheet\\.html$`))
    const html = sheet.bytes.toString('utf8')
    expect(html).toContain(`<code class="filter" id="display-filter">tcp.port == ${port}</code>`)
    expect(html).toContain(`<code class="payload">${GREETING}</code>`)
    expect(html).toContain(`<code class="payload">${ACK}</code>`)
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"')
    const svg = await exportFile(page, 'capture-export-diagram')
    expect(svg.name).toMatch(/-ladder\.svg$/)
    const svgText = svg.bytes.toString('utf8')
    expect(svgText.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true)
    for (const t of [
      '#1  SYN  Seq=0 Ack=0 Len=0',
      '#2  SYN/ACK  Seq=0 Ack=1 Len=0',
      `&quot;${GREETING}&quot;`,
      `&quot;${ACK}&quot;`,
    ])
      expect(svgText).toContain(t)
    const png = await exportFile(page, 'capture-export-png')
    expect(png.name).toMatch(/-ladder\.png$/)
    expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
    const zip = await exportFile(page, 'capture-export-bundle')
    expect(zip.name).toMatch(/-evidence\.zip$/)
    expect(zip.bytes.subarray(0, 4).toString('hex')).toBe('504b0304')
    for (const entry of ['capture.pcapng', 'answer-sheet.html', 'ladder.svg', 'ladder.png', 'transcript.txt'])
      expect(zip.bytes.includes(Buffer.from(entry))).toBe(true)

    // The README's picture: the diagram with the greeting's packet selected and its step.
    await greetingArrow.click()
    await page.mouse.move(0, 0)
    await page.setViewportSize({ width: 1360, height: 1000 })
    await page.getByTestId('capture-ladder').scrollIntoViewIfNeeded()
    mkdirSync(SCREENSHOTS, { recursive: true })
    await page.waitForTimeout(300)
    await page.getByTestId('capture-ladder').screenshot({ path: join(SCREENSHOTS, 'ladder.png') })
    mkdirSync(join(root, 'docs', 'screenshots'), { recursive: true })
    copyFileSync(join(SCREENSHOTS, 'ladder.png'), join(root, 'docs', 'screenshots', 'ladder.png'))

    // The same connection in Connections: the captured ladder; an arrow selects its message.
    await go(page, 'connections')
    await page.getByTestId('conn-filter').fill(`server 127.0.0.1:${port}`)
    await page.getByTestId('conn-row').first().click()
    const connLadder = page.getByTestId('conn-detail').getByTestId('conn-ladder')
    await expect(connLadder).toHaveAttribute('data-source', 'capture')
    await expect(arrows(connLadder)).toHaveCount(count)
    await arrows(connLadder).filter({ hasText: GREETING }).click()
    await expect(page.getByTestId('conn-ladder-detail')).toContainText(`#${no} PSH/ACK`)
    await expect(page.getByTestId('conn-detail').getByTestId('message-detail')).toContainText(GREETING)
    await page.screenshot({ path: join(SCREENSHOTS, 'connections-ladder.png') })

    // Beside the greeting's Result.
    await go(page, 'greeting')
    const resultLadder = page.getByTestId('results').getByTestId('result-ladder')
    await expect(resultLadder).toHaveAttribute('data-source', 'capture')
    await expect(arrows(resultLadder)).toHaveCount(count)
    await arrows(resultLadder).filter({ hasText: ACK }).click()
    await expect(page.getByTestId('result-ladder-detail')).toContainText(`“${ACK}”`)
    await page.getByTestId('results').screenshot({ path: join(SCREENSHOTS, 'result-ladder.png') })
    // A small window: the packet list scrolls inside itself, the diagram shrinks to fit.
    await page.setViewportSize({ width: 800, height: 600 })
    await go(page, 'capture')
    await expect(arrows(diagram(page))).toHaveCount(count)
    await shot(page, 'capture-narrow', { fit: false })
    await page.setViewportSize({ width: 1360, height: 860 })
    await go(page, 'greeting')
    await stopServer(page)
  })

  test('a reset: a Python client that aborts (SO_LINGER 0) is marked on the ladder, the list and the step', async ({
    page,
    app,
  }) => {
    test.setTimeout(90_000)
    await open(page, app, 'greeting')
    const port = await startServer(page)
    await startCapture(page, port)
    const py = spawn('python3', [join(root, 'test', 'peers', 'greeting_abort_client.py'), '--port', String(port)], {
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    const code = await new Promise<number | null>((r) => py.once('close', r))
    expect(code).toBe(0)
    const reset = rows(page).and(page.locator('[data-phase="reset"]'))
    await expect(reset).toHaveCount(1, { timeout: 15_000 })
    await expect(reset.getByTestId('packet-tag')).toHaveText('Reset')
    await expect(reset).toHaveAttribute('data-from', 'client')
    await page.getByTestId('capture-stop').click()
    const d = diagram(page)
    const bracket = d.locator('[data-testid="ladder-bracket"][data-kind="reset"]')
    const no = await reset.getAttribute('data-no')
    await expect(bracket).toHaveText(`Reset (RST): the connection was aborted (packet ${no})`)
    const arrow = arrows(d).and(page.locator('[data-phase="reset"]'))
    await arrow.click()
    await expect(page.getByTestId('step-title')).toHaveText('Reset — RST from the client')
    await expect(page.locator(`#pkt-${no}`)).toHaveAttribute('aria-selected', 'true')
    await go(page, 'greeting')
    await stopServer(page)
  })

  test('a reload shows the running capture in the form, and says it is ready', async ({ page, app }) => {
    test.setTimeout(90_000)
    await open(page, app, 'greeting')
    const port = await startServer(page)
    // A second server, newer: the form must not fall back to its port after the reload.
    await go(page, 'dedup')
    const other = await startServer(page)
    await startCapture(page, port)
    await page.goto(`${app.url}#/capture`)
    await expect(page.getByTestId('capture-state')).toHaveAttribute('data-running', 'true')
    await expect(page.getByTestId('capture-port')).toHaveValue(String(port))
    await expect(page.getByTestId('capture-port')).toBeDisabled()
    await expect(page.getByTestId('capture-interface')).toHaveValue('lo')
    await expect(page.getByTestId('capture-ready')).toHaveAttribute('data-ready', 'true')
    await expect(page.getByTestId('capture-run-client')).toHaveText('Run the greeting client here')
    // The loopback caveat, on the loopback interface only.
    await expect(page.getByTestId('capture-filters-loopback')).toContainText('loopback interface lo')
    await page.getByTestId('capture-stop').click()
    await expect(page.getByTestId('capture-state')).toHaveAttribute('data-running', 'false')
    await page.getByTestId('capture-interface').selectOption('any')
    await expect(page.getByTestId('capture-filters-loopback')).toHaveCount(0)
    expect(other).not.toBe(port)
    await go(page, 'dedup')
    await stopServer(page)
    await go(page, 'greeting')
    await stopServer(page)
    await expect(serverPane(page).getByTestId('server-filters')).toHaveCount(0)
  })
})
