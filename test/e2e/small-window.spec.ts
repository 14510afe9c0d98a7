// An 800×600 window: the sidebar folds, the server and client panes are tabs, nothing scrolls sideways
// and no name or column is cut.

import type { Locator, Page } from '@playwright/test'
import { expect, test } from './fixtures'
import {
  clientPane,
  docShot,
  go,
  open,
  runClient,
  serverPane,
  shot,
  startCapture,
  startServer,
  stopServer,
  tsharkInstalled,
} from './ui'

/** Nothing in the main column scrolls sideways. */
async function expectNoSideways(page: Page): Promise<void> {
  const over = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.main, .main *')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'hidden')
      .filter((el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
      .map((el) => el.className || el.tagName),
  )
  expect(over).toEqual([])
}

/** The text of an element is shown whole (not cut with an ellipsis). */
async function expectWhole(locator: Locator): Promise<void> {
  const cut = await locator.evaluateAll((els) =>
    els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent),
  )
  expect(cut).toEqual([])
}

test('at 800×600: a folded sidebar, the panes as tabs, no sideways scrolling, whole names', async ({ page, app }) => {
  await page.setViewportSize({ width: 800, height: 600 })
  await open(page, app, 'adder')
  const sidebar = page.getByTestId('sidebar')
  await expect(sidebar).toHaveClass(/collapsed/)
  expect((await sidebar.boundingBox())!.width).toBeLessThan(80)
  // Folded: each page an icon and no letters, named in full for a screen reader and on hover.
  const links = sidebar.locator('a.nav-link')
  const pages = await links.evaluateAll((els) =>
    els.map((a) => ({
      text: a.textContent!.trim(),
      label: a.getAttribute('aria-label'),
      title: a.getAttribute('title'),
      icon: !!a.querySelector('svg.nav-icon[aria-hidden="true"]'),
    })),
  )
  expect(pages.length).toBe(10)
  for (const p of pages) expect(p).toEqual({ text: '', label: p.title, title: expect.stringMatching(/^\S.+/), icon: true })
  await expect(sidebar.getByRole('link', { name: 'Many clients' })).toBeVisible()
  await expect(sidebar.getByRole('link', { name: 'Check my program' })).toBeVisible()
  for (const box of await links.evaluateAll((els) => els.map((a) => a.getBoundingClientRect().toJSON() as DOMRect))) {
    expect(box.width).toBeLessThan(60)
  }
  await shot(page, 'small-window-sidebar', { fit: false })
  await page.getByTestId('sidebar-toggle').click()
  await expect(sidebar).not.toHaveClass(/collapsed/)
  // Unfolded: the same icons beside the names.
  await expect(sidebar.getByTestId('nav-greeting')).toHaveText('Greeting')
  await expect(sidebar.getByTestId('nav-icon-greeting')).toBeVisible()
  await page.getByTestId('sidebar-toggle').click()
  await expect(sidebar).toHaveClass(/collapsed/)

  // Server and client are two tabs: the client's controls are one click away, never below the fold.
  await expect(serverPane(page)).toBeVisible()
  await expect(clientPane(page)).toBeHidden()
  const port = await startServer(page)
  await page.getByTestId('tab-client').click()
  await expect(clientPane(page)).toBeVisible()
  await expect(serverPane(page)).toBeHidden()
  const name = 'a-rather-long-student-name-4821'
  await clientPane(page).getByTestId('adder-name').fill(name)
  await runClient(page, '127.0.0.1', port)
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Connected')
  const run = await clientPane(page).getByTestId('client-stop').boundingBox()
  expect(run!.y + run!.height).toBeLessThan(600)
  await clientPane(page).getByTestId('adder-a').click()
  await expect(clientPane(page).getByTestId('client-console')).toContainText('answer received from Server')
  await expectNoSideways(page)
  await docShot(page, 'small-window')

  await go(page, 'connections')
  await expect(page.getByTestId('conn-row').first()).toBeVisible()
  await expectNoSideways(page)
  await expectWhole(page.getByTestId('conn-peer').filter({ hasText: name }))

  await go(page, 'traffic')
  await expect(page.getByTestId('traffic-row').first()).toBeVisible()
  await expectNoSideways(page)
  await expectWhole(page.locator('.traffic-head > span'))

  await go(page, 'adder')
  await page.getByTestId('tab-client').click()
  await clientPane(page).getByTestId('adder-q').click()
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
  await page.getByTestId('tab-server').click()
  await stopServer(page)
})

test('at 800×600 the Capture page’s packet list fits: no sideways scrolling, cut cells carry their full text', async ({
  page,
  app,
}) => {
  test.skip(!tsharkInstalled(), 'tshark is not installed (apt install tshark)')
  test.setTimeout(90_000)
  await page.setViewportSize({ width: 800, height: 600 })
  await open(page, app, 'greeting')
  const port = await startServer(page, '0', { oneAtATime: true })
  await startCapture(page, port)
  await page.getByTestId('capture-run-client').click()
  const rows = page.getByTestId('packet-row')
  await expect(rows.filter({ hasText: 'last ACK' })).toHaveCount(1, { timeout: 15_000 })
  await page.getByTestId('capture-stop').click()
  await expect(page.getByTestId('capture-state')).toHaveAttribute('data-running', 'false')

  // The list and each of its rows fit their width: nothing to scroll sideways to.
  const list = page.getByTestId('packet-list')
  const width = await list.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }))
  expect(width.scroll).toBeLessThanOrEqual(width.client)
  const wide = await rows.evaluateAll((els) =>
    els.filter((el) => el.scrollWidth > el.clientWidth).map((el) => el.getAttribute('data-no')),
  )
  expect(wide).toEqual([])
  await expectNoSideways(page)
  // A cell too narrow for its text is cut with an ellipsis and says it whole on hover.
  const cutWithoutTitle = await rows.evaluateAll((els) =>
    els.flatMap((row) =>
      [...row.querySelectorAll<HTMLElement>(':scope > span')]
        .filter((c) => c.scrollWidth > c.clientWidth + 1 && !c.title)
        .map((c) => `#${row.getAttribute('data-no')} ${c.className}: ${c.textContent}`),
    ),
  )
  expect(cutWithoutTitle).toEqual([])
  // The Traffic links are whole and inside the list.
  const box = (await list.boundingBox())!
  const link = (await page.getByTestId('packet-message').first().boundingBox())!
  expect(link.x + link.width).toBeLessThanOrEqual(box.x + box.width)
  await shot(page, 'small-window-capture', { fit: false })
  await go(page, 'greeting')
  await stopServer(page)
})
