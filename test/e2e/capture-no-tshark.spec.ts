// Without tshark (the engine is told it lives nowhere: SOCKETLAB_TSHARK=/nonexistent), every student
// still gets the picture: the Capture page says what to install and draws the ladder from the app's own
// socket events, marked as such, with the calls and both texts; the step-through says which numbers need
// a capture; the sheet and the SVG are written from the same facts; Connections and the Result show the
// same ladder, and an arrow selects its message.

import { readFileSync } from 'node:fs'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { clientPane, go, open, runClient, shot, startServer, stopServer } from './ui'

test.use({ engineEnv: { SOCKETLAB_TSHARK: '/nonexistent/tshark' } })

const GREETING = 'Thank you for connecting'
const ACK = 'It was nice talking to you'

const arrows = (scope: Locator): Locator => scope.getByTestId('ladder-arrow')

async function attrs(list: Locator, name: string): Promise<(string | null)[]> {
  return list.evaluateAll((els, n) => els.map((e) => e.getAttribute(n)), name)
}

async function exportFile(page: Page, testid: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()])
  const name = download.suggestedFilename()
  await expect(page.getByTestId('capture-saved')).toContainText(`Saved ${name} (`)
  return { name, text: readFileSync((await download.path())!, 'utf8') }
}

test('without tshark the ladder is drawn from socket events on Capture, Connections and the Result', async ({ page, app }) => {
  test.setTimeout(90_000)
  await open(page, app, 'greeting')
  const port = await startServer(page)
  await runClient(page, '127.0.0.1', port)
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')

  // Capture: what to install, and the ladder all the same, marked as drawn from socket events.
  await go(page, 'capture')
  await expect(page.getByTestId('capture-problem')).toContainText('tshark')
  await expect(page.getByTestId('capture-start')).toHaveCount(0)
  await expect(page.getByTestId('ladder-source')).toHaveText('from socket events, not a capture')
  const d = page.getByTestId('capture-ladder-diagram')
  await expect(d).toHaveAttribute('data-source', 'socket-events')
  await expect(d).toContainText('Drawn from socket events (no packet capture)')
  await expect(d).not.toContainText('Who closed first is not known')
  // Both ends are ours: one connection, drawn once, closed with a FIN each way.
  await expect(page.getByTestId('ladder-connection')).toHaveCount(0)
  await expect(arrows(d)).toHaveCount(7)
  expect(await attrs(arrows(d), 'data-flags')).toEqual(['SYN', 'SYN/ACK', 'ACK', 'PSH/ACK', 'PSH/ACK', 'FIN/ACK', 'FIN/ACK'])
  expect(await attrs(arrows(d), 'data-from')).toEqual(['client', 'server', 'client', 'server', 'client', 'client', 'server'])
  await expect(d.getByTestId('ladder-payload')).toHaveText([`"${GREETING}"`, `"${ACK}"`])
  const calls = await attrs(d.getByTestId('ladder-call'), 'data-call')
  for (const c of ['connect', 'accept', 'send', 'recv', 'close']) expect(calls).toContain(c)
  expect(await attrs(d.getByTestId('ladder-bracket'), 'data-kind')).toEqual(['handshake', 'teardown'])

  // The step-through: the length check from the message, the numbers only with a capture.
  const steps = page.getByTestId('step-through')
  await steps.getByTestId('step-next').click()
  await expect(steps.getByTestId('step-count')).toHaveText('Packet 1 of 7')
  await steps.getByTestId('step-next').click()
  await expect(steps.getByTestId('step-check')).toHaveAttribute('data-ok', 'unknown')
  await expect(steps.getByTestId('step-check')).toContainText('the numbers need a packet capture')
  await arrows(d).nth(3).click()
  await expect(steps.getByTestId('step-title')).toHaveText(`Data — the server sends “${GREETING}”`)
  await expect(steps.getByTestId('step-check')).toHaveAttribute('data-ok', 'true')
  await expect(page.getByTestId('capture-ladder-detail')).toContainText('inferred from the socket calls')
  await shot(page, 'capture-no-tshark')

  // The sheet and the diagram, written from the same facts.
  const sheet = await exportFile(page, 'capture-export-sheet')
  expect(sheet.name).toBe(`socketlab-port${port}-answer-sheet.html`)
  expect(sheet.text).toContain(`tcp.port == ${port}`)
  expect(sheet.text).toContain('No packet capture: drawn from the app’s own socket events.')
  expect(sheet.text).toContain(`<code class="payload">${GREETING}</code>`)
  const svg = await exportFile(page, 'capture-export-diagram')
  expect(svg.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true)
  expect(svg.text).toContain(`&quot;${ACK}&quot;`)

  // Connections: the same ladder on the server's connection; an arrow opens its message.
  // Who closed, from the recorded facts: the greeting client closes after its acknowledgement, so the
  // client's own connection was closed by SocketLab and the server's by the peer, whose FIN comes first.
  await go(page, 'connections')
  await page.getByTestId('conn-filter').fill(`client 127.0.0.1:${port}`)
  await expect(page.getByTestId('conn-row')).toHaveCount(1)
  await expect(page.getByTestId('conn-row').getByTestId('conn-state')).toHaveText('we closed')
  await page.getByTestId('conn-row').click()
  await expect(page.getByTestId('conn-detail').getByTestId('conn-closed-by')).toContainText('closed by SocketLab')
  await page.getByTestId('conn-filter').fill(`server 127.0.0.1:${port}`)
  await expect(page.getByTestId('conn-row')).toHaveCount(1)
  await expect(page.getByTestId('conn-row').getByTestId('conn-state')).toHaveText('peer closed')
  await page.getByTestId('conn-row').first().click()
  await expect(page.getByTestId('conn-detail').getByTestId('conn-closed-by')).toContainText('closed by the peer')
  const connLadder = page.getByTestId('conn-detail').getByTestId('conn-ladder')
  await expect(connLadder).toHaveAttribute('data-source', 'socket-events')
  await expect(connLadder).not.toContainText('Who closed first is not known')
  await expect(arrows(connLadder)).toHaveCount(7)
  expect((await attrs(arrows(connLadder), 'data-from')).slice(-2)).toEqual(['client', 'server'])
  await arrows(connLadder).filter({ hasText: ACK }).click()
  await expect(page.getByTestId('conn-detail').getByTestId('message-detail')).toContainText(ACK)
  await expect(arrows(connLadder).filter({ hasText: ACK })).toHaveAttribute('data-selected', 'true')
  // …and the other way: a message of the timeline is its arrow.
  await page.getByTestId('conn-timeline').getByText(GREETING).click()
  await expect(arrows(connLadder).filter({ hasText: GREETING })).toHaveAttribute('data-selected', 'true')
  await shot(page, 'connections-ladder-no-tshark', { fit: false })
  await page.getByTestId('conn-filter').fill(`127.0.0.1:${port}`)
  await expect(page.getByTestId('conn-row')).toHaveCount(2)
  await shot(page, 'connections-closed-by', { fit: false })

  // Beside the Result.
  await go(page, 'greeting')
  const resultLadder = page.getByTestId('results').getByTestId('result-ladder')
  await expect(resultLadder).toHaveAttribute('data-source', 'socket-events')
  await expect(resultLadder.getByTestId('ladder-payload')).toHaveText([`"${GREETING}"`, `"${ACK}"`])

  // In an 800×600 window the diagram shrinks to fit: nothing on the Capture page scrolls sideways.
  await page.setViewportSize({ width: 800, height: 600 })
  await go(page, 'capture')
  await expect(page.getByTestId('capture-ladder-diagram')).toBeVisible()
  const sideways = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.main *')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
      .map((el) => el.className || el.tagName),
  )
  expect(sideways).toEqual([])
  await shot(page, 'capture-narrow-no-tshark', { fit: false })
  await page.setViewportSize({ width: 1360, height: 860 })
  await go(page, 'greeting')
  await stopServer(page)
})
