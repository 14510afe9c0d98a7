// Traffic: every message of an exchange in the list, filtered, in hex, and exported (JSON and text)
// with the very bytes that were sent.

import { readFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { clientPane, go, open, runClient, shot, shotDark, startServer, stopServer } from './ui'

async function download(page: Page, button: string): Promise<{ name: string; content: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(button).click()])
  return { name: file.suggestedFilename(), content: await readFile((await file.path())!, 'utf8') }
}

test('the traffic of an exchange, filtered and exported', async ({ page, app }) => {
  const ack = `export-check-${Date.now().toString(36)}`
  await open(page, app, 'greeting')
  const port = await startServer(page)
  await clientPane(page).getByTestId('greeting-ack').fill(ack)
  await runClient(page, '127.0.0.1', port)
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
  await stopServer(page)

  await go(page, 'traffic')
  const rows = page.getByTestId('traffic-row')
  await expect(rows.filter({ hasText: ack })).toHaveCount(2) // sent by the client, received by the server
  // At least this exchange's greeting, both halves (earlier tests' exchanges stay too: nothing pushes them out).
  await expect(rows.filter({ hasText: 'Thank you for connecting' }).nth(1)).toBeVisible()

  // Filters: text, then direction.
  await page.getByTestId('traffic-filter-text').fill(ack)
  await expect(rows).toHaveCount(2)
  await expect(page.getByTestId('traffic-count')).toContainText('2 of')
  await page.getByTestId('traffic-filter-dir').selectOption('out')
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText('→ out')
  // Hex: the very bytes.
  await page.getByTestId('traffic-hex').check()
  const hex = Buffer.from(ack)
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ')
  await expect(rows.first()).toContainText(hex)
  await page.getByTestId('traffic-hex').uncheck()
  await page.getByTestId('traffic-filter-dir').selectOption('all')
  await page.getByTestId('traffic-filter-text').fill('')

  // Exports of the whole log.
  const json = await download(page, 'traffic-export-json')
  expect(json.name).toMatch(/^socketlab-traffic-.*\.json$/)
  const parsed = JSON.parse(json.content) as {
    messages: { text: string; dir: string; connId: string }[]
    connections: { connId: string }[]
  }
  const mine = parsed.messages.filter((m) => m.text === ack)
  expect(mine.map((m) => m.dir).sort()).toEqual(['in', 'out'])
  expect(parsed.messages.filter((m) => m.text === 'Thank you for connecting').length).toBeGreaterThanOrEqual(2)
  const text = await download(page, 'traffic-export-text')
  expect(text.name).toMatch(/\.txt$/)
  expect(text.content).toContain(JSON.stringify(ack))

  // One connection: click its cell in a row, the filter and the export follow.
  await page.getByTestId('traffic-filter-text').fill(ack)
  await rows.first().locator('.c-conn').click()
  const connId = await page.getByTestId('traffic-filter-conn').inputValue()
  expect(connId).toMatch(/^conn-\d+$/)
  await page.getByTestId('traffic-filter-text').fill('')
  await expect(rows).toHaveCount(2) // on that connection: the greeting and the ack
  const one = await download(page, 'traffic-export-json')
  const only = JSON.parse(one.content) as { messages: { connId: string; text: string }[] }
  expect(new Set(only.messages.map((m) => m.connId))).toEqual(new Set([connId]))
  expect(only.messages.map((m) => m.text)).toContain(ack)

  // Select a message: its text and bytes in full.
  await rows.filter({ hasText: ack }).first().click()
  await expect(page.getByTestId('message-detail')).toContainText(hex)
  // Every connection again, found by its text (earlier specs' exchanges may fill the view: it is virtual).
  await page.getByTestId('traffic-filter-conn').fill('')
  await page.getByTestId('traffic-filter-text').fill(ack)
  await rows.filter({ hasText: ack }).first().click()
  await expect(page.getByTestId('message-detail')).toContainText(hex)
  await shot(page, 'traffic', { fit: false })
  await shotDark(page, 'traffic-dark', { fit: false })
})

test('the This machine page lists addresses with copy buttons', async ({ page, app }) => {
  await open(page, app, 'machine')
  const rows = page.getByTestId('machine-address')
  await expect(rows.filter({ hasText: '127.0.0.1' })).toHaveCount(1)
  // Loopback last.
  await expect(rows.last()).toContainText(/127\.0\.0\.1|::1/)
  await expect(rows.first().getByRole('button', { name: /Copy address/ })).toBeVisible()
  await shot(page, 'machine')
})
