// The README's four pictures of the exercises: the adder, Connections, Dedup and Traffic, both peers
// ours on 127.0.0.1, in the default 1360×860 window. Each test checks what its picture shows first.

import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { clientPane, docShot, go, handoutAdderClient, open, runClient, serverPane, startServer, stopServer } from './ui'

// A worker of their own (an engine option no other spec sets): the pictures start from a fresh app, with
// no earlier spec's connections or messages in them.
test.use({ engineEnv: { SOCKETLAB_E2E_README: '1' } })

/** Our adder client, named `name`, connected to our server on `port`. */
async function connectAdder(page: Page, port: number, name: string): Promise<void> {
  const pane = clientPane(page)
  await pane.getByTestId('adder-name').fill(name)
  await runClient(page, '127.0.0.1', port)
  await expect(pane.getByTestId('client-state')).toHaveText('Connected')
  await expect(serverPane(page).getByTestId('server-console')).toContainText(`Connection initiated by ${name}`)
}

/** Type a command on the adder's command line, as a student would. */
async function command(page: Page, text: string): Promise<void> {
  const line = clientPane(page).getByTestId('adder-command')
  await line.fill(text)
  await line.press('Enter')
}

/** Fold the ladder diagram under the Result and scroll the main column down until the Result is whole. */
async function foldLadderAndScrollToResult(page: Page): Promise<void> {
  const results = page.getByTestId('results')
  const ladder = results.getByTestId('result-ladder-section')
  await ladder.locator('summary').click()
  await expect(ladder).not.toHaveAttribute('open')
  await results.evaluate((el) => el.scrollIntoView({ block: 'end' }))
  // Its last line, the folded ladder, in the window (the panel's border may round to a pixel off).
  await expect(ladder.locator('summary')).toBeInViewport({ ratio: 1 })
}

test('adder.png: our client asks our server for two sums, both right, and types an invalid command', async ({ page, app }) => {
  await open(page, app, 'adder')
  const port = await startServer(page)
  await connectAdder(page, port, 'alice-4821')
  const client = clientPane(page).getByTestId('client-console')
  await command(page, 'a')
  await expect(client.locator('.console-line', { hasText: 'answer received from Server' })).toHaveCount(1)
  await command(page, 'a')
  await expect(client.locator('.console-line', { hasText: 'answer received from Server' })).toHaveCount(2)
  await command(page, 'hello')
  await expect(client.locator('.console-line', { hasText: 'Invalid command' })).toHaveCount(1)

  await expect(serverPane(page).getByTestId('server-status')).toHaveText('Listening')
  await expect(serverPane(page).getByTestId('server-console')).toContainText('many clients at a time')
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Connected')
  // Each "Numbers: a b" is followed by its sum, and the server printed the same sums.
  const lines = await client.locator('.console-text').allTextContents()
  const sums = lines.flatMap((l, i) => {
    const m = l.match(/^Numbers: (\d+) (\d+)$/)
    return m ? [{ a: Number(m[1]), b: Number(m[2]), answer: lines[i + 1] }] : []
  })
  expect(sums).toHaveLength(2)
  for (const s of sums) {
    expect(s.answer).toBe(`answer received from Server = ${s.a + s.b}`)
    await expect(serverPane(page).getByTestId('server-console')).toContainText(`alice-4821: ${s.a} + ${s.b} = ${s.a + s.b}`)
  }
  // The Result: both sums, both correct.
  const results = page.getByTestId('results')
  await expect(results).toContainText('2 answers, 0 wrong')
  await expect(results.getByTestId('adder-sums').locator('tr')).toHaveCount(2)
  await expect(results.getByTestId('result-verdict')).toHaveText(['correct', 'correct'])
  // The page is taller than the window: its Result's ladder folded, the main column scrolled down to
  // the Result, with the command line and both consoles still in view.
  await foldLadderAndScrollToResult(page)
  for (const verdict of await results.getByTestId('result-verdict').all()) await expect(verdict).toBeInViewport({ ratio: 1 })
  await expect(clientPane(page).getByTestId('adder-command')).toBeInViewport()
  await expect(serverPane(page).getByTestId('server-console')).toBeInViewport()
  await docShot(page, 'adder')

  await clientPane(page).getByTestId('adder-q').click()
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
  await stopServer(page)
})

test('connections.png: the live connections of an adder server, our client, a handout client and a Many clients run', async ({
  page,
  app,
}) => {
  await open(page, app, 'adder')
  const port = await startServer(page)
  await connectAdder(page, port, 'alice-4821')
  await command(page, 'a')
  await expect(clientPane(page).getByTestId('client-console')).toContainText('answer received from Server')
  // A classmate's handout client, played by the test.
  const bob = await handoutAdderClient(port, 'bob-1234')
  await bob.acked
  await expect(serverPane(page).getByTestId('server-console')).toContainText('Connection initiated by bob-1234')
  // Three Many clients against the same server.
  await go(page, 'many-clients')
  await page.getByTestId('many-host').fill('127.0.0.1')
  await page.getByTestId('many-port').fill(String(port))
  await page.getByTestId('many-count').fill('3')
  await page.getByTestId('many-think').fill('500')
  await page.getByTestId('many-start').click()
  await expect(page.getByTestId('many-connected')).toHaveText('3')
  await expect(page.getByTestId('many-state')).toHaveText('Running')

  await go(page, 'connections')
  // Both sides of our client and of each Many client (2 × 4), and the server's side of the handout client.
  await expect(page.getByTestId('conn-count-live')).toHaveText('9 live')
  await page.getByTestId('conn-show-live').click()
  await expect(page.getByTestId('conn-count-shown')).toHaveText('9 shown')
  const rows = page.getByTestId('conn-row')
  await expect(rows).toHaveCount(9)
  await expect(rows.getByTestId('conn-state')).toHaveText(Array(9).fill('open'))
  await expect(rows.filter({ hasText: 'bob-1234' })).toHaveCount(1)
  await expect(rows.filter({ hasText: 'alice-4821' })).toHaveCount(2)
  await expect(rows.filter({ hasText: 'our Adder server' })).toHaveCount(4)
  // Our client's connection as the server saw it: its facts and the messages of the exchange.
  const alice = rows.filter({ hasText: 'alice-4821' }).filter({ has: page.locator('.c-role', { hasText: /^server$/ }) })
  await alice.click()
  const detail = page.getByTestId('conn-detail')
  await expect(detail).toContainText('server of Adder · alice-4821')
  await expect(detail).toContainText('state open')
  const timeline = detail.getByTestId('conn-timeline').getByTestId('traffic-row')
  await expect(timeline.first()).toContainText('alice-4821')
  await expect(timeline.nth(1)).toContainText('ack')
  await expect(timeline).toHaveCount(4)
  await page.mouse.move(0, 0)
  await docShot(page, 'connections')

  await go(page, 'many-clients')
  await page.getByTestId('many-stop').click()
  await expect(page.getByTestId('many-state')).toHaveText('Stopped')
  bob.quit()
  await go(page, 'adder')
  await clientPane(page).getByTestId('adder-q').click()
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
  await stopServer(page)
})

test('dedup.png: a list with duplicates, the final list and the duplicates, correct', async ({ page, app }) => {
  await open(page, app, 'dedup')
  const port = await startServer(page)
  // N as the handout draws it (25 to 100), the list typed by hand to know the answer.
  await clientPane(page).getByTestId('dedup-count').fill('25')
  await clientPane(page)
    .getByTestId('dedup-numbers')
    .fill('[12, 47, 3, 88, 47, 21, 65, 3, 90, 12, 54, 76, 3, 31, 88, 9, 42, 65, 17, 70, 26, 12, 58, 95, 47]')
  await expect(clientPane(page).getByTestId('dedup-summary')).toHaveText('25 numbers: 5 values repeated, 8 copies to remove')
  await expect(clientPane(page).getByTestId('dedup-warning')).toHaveCount(0)
  await runClient(page, '127.0.0.1', port)
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
  const client = clientPane(page).getByTestId('client-console')
  await expect(client).toContainText('Final list: [12, 47, 3, 88, 21, 65, 90, 54, 76, 31, 9, 42, 17, 70, 26, 58, 95]')
  await expect(client).toContainText('Duplicates (from the server): [12, 47, 3, 88, 65]')
  await expect(serverPane(page).getByTestId('server-console')).toContainText(
    'Received 25 numbers, sending back 17 without duplicates',
  )
  await expect(serverPane(page).getByTestId('server-status')).toHaveText('Listening')

  const results = page.getByTestId('results')
  await expect(results.getByTestId('result-verdict')).toHaveText('correct')
  await expect(results.getByTestId('dedup-final').locator('.chip')).toHaveCount(17)
  await expect(results.getByTestId('dedup-duplicates').locator('.chip')).toHaveText(['12 ×3', '47 ×3', '3 ×3', '88 ×2', '65 ×2'])
  // Every copy of a repeated value highlighted (13 of the 25), the 8 later ones marked removed.
  await expect(results.getByTestId('dedup-sent').locator('.chip')).toHaveCount(25)
  await expect(results.getByTestId('dedup-sent').locator('.chip.dup')).toHaveCount(13)
  await expect(results.getByTestId('dedup-sent').locator('.chip.removed')).toHaveCount(8)
  // The page is taller than the window: its Result's ladder folded, the main column scrolled down to
  // the Result, with both consoles still in view.
  await foldLadderAndScrollToResult(page)
  await expect(results.getByTestId('dedup-sent')).toBeInViewport({ ratio: 1 })
  await expect(results.getByTestId('dedup-duplicates')).toBeInViewport({ ratio: 1 })
  await expect(clientPane(page).getByTestId('client-console')).toBeInViewport()
  await expect(serverPane(page).getByTestId('server-console')).toBeInViewport()
  await docShot(page, 'dedup')
  await stopServer(page)
})

test('traffic-busy.png: the messages of several exercises, one selected in text and hex', async ({ page, app }) => {
  // The adder, Intersection, Dedup and the greeting, one after the other.
  await open(page, app, 'adder')
  let port = await startServer(page)
  await connectAdder(page, port, 'carol-7316')
  const answers = clientPane(page)
    .getByTestId('client-console')
    .locator('.console-line', { hasText: 'answer received from Server' })
  for (let i = 1; i <= 4; i++) {
    await command(page, 'a')
    await expect(answers).toHaveCount(i)
  }
  await clientPane(page).getByTestId('adder-q').click()
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
  await stopServer(page)
  await go(page, 'intersection')
  port = await startServer(page)
  await runClient(page, '127.0.0.1', port)
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
  const common = (await clientPane(page).getByTestId('client-console').textContent())!.match(/Intersection: (\[[\d, ]*\])/)![1]
  await stopServer(page)
  await go(page, 'dedup')
  port = await startServer(page)
  await clientPane(page).getByTestId('dedup-numbers').fill('[7, 7, 2, 8, 2]')
  await runClient(page, '127.0.0.1', port)
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
  await stopServer(page)
  await go(page, 'greeting')
  port = await startServer(page)
  await runClient(page, '127.0.0.1', port)
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
  await stopServer(page)

  await go(page, 'traffic')
  await expect(page.getByTestId('traffic-source-exercises')).toHaveAttribute('aria-checked', 'true')
  await expect(page.getByTestId('traffic-count')).toHaveText(/^\d+ messages$/)
  const count = Number((await page.getByTestId('traffic-count').textContent())!.match(/^\d+/)![0])
  expect(count).toBeGreaterThanOrEqual(40)
  // More messages than the list shows: it is full, the newest (the greeting's) at the bottom.
  const rows = page.getByTestId('traffic-row')
  await expect(rows.last()).toBeInViewport()
  await expect(rows.last()).toContainText('← in')
  const shown = await rows.evaluateAll((els) => {
    const list = document.querySelector('[data-testid="traffic-list"]')!.getBoundingClientRect()
    return els.filter((el) => {
      const r = el.getBoundingClientRect()
      return r.top >= list.top && r.bottom <= list.bottom
    }).length
  })
  expect(shown).toBeGreaterThan(12)
  expect(shown).toBeLessThan(count)
  // Several exercises in view (the intersection's answer, the dedup's list, the greeting), sent and received.
  await expect(rows.filter({ hasText: common }).last()).toBeInViewport()
  await expect(rows.filter({ hasText: '[7, 7, 2, 8, 2]' }).last()).toBeInViewport()
  await expect(rows.filter({ hasText: 'It was nice talking to you' }).last()).toBeInViewport()
  await expect(rows.filter({ hasText: '→ out' }).last()).toBeInViewport()
  await expect(rows.filter({ hasText: '← in' }).last()).toBeInViewport()
  // The greeting as the client received it: its text and its bytes.
  const greeting = rows.filter({ hasText: 'Thank you for connecting' }).filter({ hasText: '← in' }).last()
  await greeting.click()
  await expect(greeting).toHaveAttribute('aria-selected', 'true')
  // The detail opens under the list and shortens it: the row, near the bottom, stays in view by itself.
  await expect(greeting).toBeInViewport({ ratio: 1 })
  const inList = await greeting.evaluate((row) => {
    const list = row.closest('[data-testid="traffic-list"]')!.getBoundingClientRect()
    const r = row.getBoundingClientRect()
    return r.top >= list.top && r.bottom <= list.bottom
  })
  expect(inList).toBe(true)
  const detail = page.getByTestId('message-detail')
  await expect(detail).toContainText('received · 24 bytes')
  await expect(detail).toContainText('Thank you for connecting')
  await expect(detail).toContainText(
    Buffer.from('Thank you for connecting')
      .toString('hex')
      .replace(/(..)(?!$)/g, '$1 '),
  )
  await page.mouse.move(0, 0)
  await docShot(page, 'traffic-busy')
})
