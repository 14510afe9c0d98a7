// Accessibility with axe-core: no serious or critical violation of WCAG 2.1 A/AA on any page, in both
// themes, idle and after a run (servers listening, a finished client, connections and traffic listed).

import type { Page } from '@playwright/test'
import { violations } from './axe'
import { expect, test } from './fixtures'
import { clientPane, go, open, runClient, startServer, stopServer, type PageId } from './ui'

const PAGES: PageId[] = [
  'machine',
  'greeting',
  'dedup',
  'intersection',
  'adder',
  'many-clients',
  'connections',
  'traffic',
  'capture',
]
const THEMES = ['light', 'dark'] as const

async function everyPage(page: Page, state: string): Promise<string[]> {
  const found: string[] = []
  for (const theme of THEMES) {
    await page.getByTestId('theme-select').selectOption(theme)
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
    for (const id of PAGES) {
      await go(page, id)
      for (const v of await violations(page)) found.push(`${state}, ${theme}, ${id}: ${v}`)
    }
  }
  await page.getByTestId('theme-select').selectOption('system')
  return found
}

test('no serious or critical accessibility violation on any page, idle, in both themes', async ({ page, app }) => {
  test.setTimeout(300_000)
  await open(page, app, 'machine')
  expect(await everyPage(page, 'idle')).toEqual([])
})

test('no serious or critical accessibility violation on any page after a run, in both themes', async ({ page, app }) => {
  test.setTimeout(300_000)
  await open(page, app, 'greeting')
  // A greeting exchange, a dedup result, an adder server with a connected client.
  const port = await startServer(page)
  await runClient(page, '127.0.0.1', port)
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
  await go(page, 'dedup')
  const dedupPort = await startServer(page)
  await runClient(page, '127.0.0.1', dedupPort)
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
  await go(page, 'adder')
  const adderPort = await startServer(page)
  await runClient(page, '127.0.0.1', adderPort)
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Connected')
  await clientPane(page).getByTestId('adder-a').click()
  await expect(clientPane(page).getByTestId('client-console')).toContainText('answer received from Server')
  await go(page, 'connections')
  await page.getByTestId('conn-row').first().click()
  expect(await everyPage(page, 'after a run')).toEqual([])

  await go(page, 'adder')
  await clientPane(page).getByTestId('adder-q').click()
  await stopServer(page)
  for (const id of ['greeting', 'dedup'] as const) {
    await go(page, id)
    await stopServer(page)
  }
})

test('at 800×600, the folded sidebar (icons, each link named): no serious or critical violation, in both themes', async ({
  page,
  app,
}) => {
  await page.setViewportSize({ width: 800, height: 600 })
  await open(page, app, 'greeting')
  const sidebar = page.getByTestId('sidebar')
  const found: string[] = []
  for (const theme of THEMES) {
    // The theme choice is in the unfolded sidebar.
    await page.getByTestId('sidebar-toggle').click()
    await expect(sidebar).not.toHaveClass(/collapsed/)
    await page.getByTestId('theme-select').selectOption(theme)
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
    await page.getByTestId('sidebar-toggle').click()
    await expect(sidebar).toHaveClass(/collapsed/)
    for (const id of ['greeting', 'capture'] as const) {
      await go(page, id)
      for (const v of await violations(page)) found.push(`folded, ${theme}, ${id}: ${v}`)
    }
  }
  expect(found).toEqual([])
  await page.getByTestId('sidebar-toggle').click()
  await page.getByTestId('theme-select').selectOption('system')
})
