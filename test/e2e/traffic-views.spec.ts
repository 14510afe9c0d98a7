// Traffic after a crowd, filters that match nothing, the export of exactly the rows on screen with one
// limit number everywhere, and whose side each row is (the role, the name on both ends).

import { readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from '@playwright/test'
import { TRAFFIC_LOG_MESSAGES } from '../../src/shared/contract'
import { expect, test } from './fixtures'
import { clientPane, go, open, runClient, startServer, stopServer } from './ui'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

async function download(page: Page, button: string): Promise<{ name: string; content: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(button).click()])
  return { name: file.suggestedFilename(), content: await readFile((await file.path())!, 'utf8') }
}

test('a crowd does not push out the exercises, an empty filter says so, the export saves what is shown', async ({
  page,
  app,
}) => {
  const name = `side-${Date.now().toString(36).slice(-4)}`
  await open(page, app, 'adder')
  const port = await startServer(page)
  await clientPane(page).getByTestId('adder-name').fill(name)
  await runClient(page, '127.0.0.1', port)
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Connected')
  await clientPane(page).getByTestId('adder-a').click()
  await expect(clientPane(page).getByTestId('client-console')).toContainText('answer received from Server')
  await clientPane(page).getByTestId('adder-q').click()
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')

  // A crowd against the same server.
  await go(page, 'many-clients')
  await page.getByTestId('many-host').fill('127.0.0.1')
  await page.getByTestId('many-port').fill(String(port))
  await page.getByTestId('many-count').fill('40')
  await page.getByTestId('many-start').click()
  await expect(page.getByTestId('many-connected')).toHaveText('40')
  await expect(page.getByTestId('many-answered')).not.toHaveText('0')
  await page.getByTestId('many-stop').click()
  await expect(page.getByTestId('many-state')).toHaveText('Stopped')

  await go(page, 'traffic')
  const rows = page.getByTestId('traffic-row')
  // The student's own exchange is still there, both halves, each with its side and name.
  await page.getByTestId('traffic-filter-conn').fill(name)
  await expect(rows.first()).toBeVisible()
  await expect(page.getByTestId('traffic-role').filter({ hasText: 'client' }).first()).toBeVisible()
  await expect(page.getByTestId('traffic-role').filter({ hasText: 'server' }).first()).toBeVisible()
  // Each row says which exercise it belongs to; the detail names the side and the exercise once.
  await expect(page.getByTestId('traffic-exercise').first()).toHaveText('Adder')
  await rows.first().click()
  await expect(page.getByTestId('message-side')).toHaveText(new RegExp(`^ · (client|server) ${name} of Adder$`))
  await expect(page.getByTestId('traffic-name').first()).toHaveText(name)
  expect(await rows.count()).toBeGreaterThanOrEqual(4)
  // Only what the client sent: fewer rows than the log has.
  await page.getByTestId('traffic-filter-dir').selectOption('out')
  await expect(rows.first()).toBeVisible()
  await expect(page.getByTestId('traffic-count')).toContainText(' of ')
  const shownCount = await rows.count()
  await expect(page.getByTestId('traffic-count')).toContainText(`${shownCount} of`)
  await expect(page.getByTestId('page-traffic')).toContainText(
    `the last ${TRAFFIC_LOG_MESSAGES.toLocaleString('en-US')} are kept`,
  )
  // The README says the same number.
  const readme = await readFile(join(root, 'README.md'), 'utf8')
  expect(readme).toContain(`The last ${TRAFFIC_LOG_MESSAGES.toLocaleString('en-US')} messages`)

  // Export: exactly the rows on screen, and a confirmation.
  const json = await download(page, 'traffic-export-json')
  const parsed = JSON.parse(json.content) as { filtered?: boolean; messages: { connId: string }[] }
  expect(parsed.filtered).toBe(true)
  expect(parsed.messages).toHaveLength(shownCount)
  await expect(page.getByTestId('traffic-saved')).toHaveText(`· Saved ${shownCount} messages to ${json.name}`)

  // A filter that matches nothing says so.
  await page.getByTestId('traffic-filter-text').fill('no-message-has-this')
  await expect(page.getByTestId('traffic-list-empty')).toHaveText('Nothing matches this filter.')
  await page.getByTestId('traffic-filter-text').fill('')
  await page.getByTestId('traffic-filter-conn').fill('')
  await page.getByTestId('traffic-filter-dir').selectOption('all')

  // The crowd's own log, filtered by text, then the student leaves the page.
  await page.getByTestId('traffic-source-many-clients').click()
  await expect(page.getByTestId('traffic-source-many-clients')).toHaveAttribute('aria-checked', 'true')
  await expect(rows.first()).toBeVisible()
  await page.getByTestId('traffic-filter-text').fill('no-message-has-this')
  await expect(page.getByTestId('traffic-list-empty')).toBeVisible()

  // Connections: the client's row names both ends.
  await go(page, 'connections')
  await page.getByTestId('conn-filter').fill(`client ${name}`)
  await expect(page.getByTestId('conn-peer').first()).toHaveText(`${name} → our Adder server`)

  // Back to Traffic from the sidebar: all the exercises' traffic again, no filter left over.
  await go(page, 'traffic')
  await expect(page.getByTestId('traffic-source-exercises')).toHaveAttribute('aria-checked', 'true')
  await expect(page.getByTestId('traffic-source-many-clients')).toHaveAttribute('aria-checked', 'false')
  await expect(page.getByTestId('traffic-filter-text')).toHaveValue('')
  await expect(page.getByTestId('traffic-filter-conn')).toHaveValue('')
  await expect(page.getByTestId('traffic-count')).not.toContainText(' of ')
  await expect(rows.first()).toBeVisible()

  // A link that filters it still does: the client's "Show in Traffic" opens only its connection.
  await go(page, 'connections')
  await page.getByTestId('conn-filter').fill(`client ${name}`)
  const connRow = page.getByTestId('conn-row').first()
  const connId = await connRow.getAttribute('data-conn')
  await connRow.click()
  await page.getByTestId('conn-show-traffic').click()
  await expect(page.getByTestId('page-traffic')).toBeVisible()
  await expect(page.getByTestId('traffic-filter-conn')).toHaveValue(connId!)
  await expect(page.getByTestId('traffic-source-exercises')).toHaveAttribute('aria-checked', 'true')
  await expect(page.getByTestId('traffic-count')).toContainText(' of ')
  await go(page, 'adder')
  await stopServer(page)
})
