// Many clients (Lab 2, question 2): one click starts an adder server here and aims at it; 50 clients
// connect and ask for sums; the Connections view lists them live, then closed once stopped.

import { expect, test } from './fixtures'
import { go, open, shot, shotDark } from './ui'

test('50 clients against our own adder server, seen in Connections, then closed', async ({ page, app }) => {
  test.setTimeout(90_000)
  await open(page, app, 'many-clients')
  await page.getByTestId('many-local-server').click()
  await expect(page.getByTestId('many-server-status')).toContainText('many at a time')
  const port = (await page.getByTestId('many-port').inputValue()).trim()
  expect(Number(port)).toBeGreaterThan(0)
  await expect(page.getByTestId('many-host')).toHaveValue('127.0.0.1')
  await expect(page.getByTestId('many-local-server')).toBeDisabled()

  await page.getByTestId('many-count').fill('50')
  await page.getByTestId('many-think').fill('100')
  await page.getByTestId('many-start').click()
  await expect(page.getByTestId('many-connected')).toHaveText('50')
  await expect(page.getByTestId('many-state')).toHaveText('Running')
  await expect
    .poll(async () => Number((await page.getByTestId('many-answered').textContent())?.replace(/,/g, '')), { timeout: 15_000 })
    .toBeGreaterThan(100)
  await expect(page.getByTestId('many-wrong')).toHaveText('0')
  await expect(page.getByTestId('many-errors')).toHaveText('0')
  await shot(page, 'many')

  // The adder page shows the same server, with the crowd in its console.
  await go(page, 'adder')
  await expect(page.getByTestId('server-pane').getByTestId('server-actual-port')).toHaveText(port)
  await expect(
    page.getByTestId('server-pane').locator('.console-line', { hasText: 'Connection initiated by student-' }),
  ).toHaveCount(50)

  // Connections: 50 client sides and 50 server sides, all live, with exact counters.
  await go(page, 'connections')
  await page.getByTestId('conn-show-live').click()
  await page.getByTestId('conn-filter').fill(`client 127.0.0.1:${port}`)
  await expect(page.getByTestId('conn-count-shown')).toHaveText('50 shown')
  await page.getByTestId('conn-filter').fill(`server :${port}`)
  await expect(page.getByTestId('conn-count-shown')).toHaveText('50 shown')
  await page.getByTestId('conn-filter').fill('')
  await expect(page.getByTestId('conn-count-live')).toHaveText('100 live')
  await expect(page.getByTestId('conn-count-shown')).toHaveText('100 shown')
  // Virtualised: far fewer rows in the page than connections.
  const rendered = await page.getByTestId('conn-row').count()
  expect(rendered).toBeGreaterThan(5)
  expect(rendered).toBeLessThan(100)
  const first = page.getByTestId('conn-row').first()
  await expect(first).toHaveAttribute('data-state', 'open')
  // Select one: its facts and its message timeline.
  await page.getByTestId('conn-filter').fill(`server :${port}`)
  await page.getByTestId('conn-row').first().click()
  await expect(page.getByTestId('conn-detail')).toContainText('server of Adder')
  await expect(page.getByTestId('conn-timeline').getByTestId('traffic-row').first()).toBeVisible()
  await page.getByTestId('conn-filter').fill('')
  await shot(page, 'connections', { fit: false })
  await shotDark(page, 'connections-dark', { fit: false })

  // The crowd's traffic, live.
  await go(page, 'traffic')
  // Kept apart from the exercises' own messages: the crowd has a log of its own. (The worker's app may
  // hold earlier specs' exercises, so the exercises' view is judged by what it must not show.)
  const crowdRows = page.getByTestId('traffic-row').filter({ hasText: `:${port}` })
  // The crowd's names are student-1, student-2, …: another spec's own "…-student-name-…" is no crowd.
  const crowdNamed = page.getByTestId('traffic-row').filter({ hasText: /student-\d/ })
  await expect(crowdNamed).toHaveCount(0)
  await expect(crowdRows).toHaveCount(0)
  await page.getByTestId('traffic-source-many-clients').click()
  await expect(crowdRows.first()).toBeVisible()
  await expect(crowdNamed.first()).toBeVisible()
  await shot(page, 'traffic-busy', { fit: false })
  await go(page, 'connections')
  await expect(page.getByTestId('conn-detail')).toBeVisible()

  // Close one connection from the view: the rest keep going.
  const victim = page.getByTestId('conn-detail')
  await victim.getByTestId('conn-detail-close').click()
  await expect(page.getByTestId('conn-count-live')).toHaveText('98 live')

  // Stop: every client closes, and so does its server side.
  await go(page, 'many-clients')
  await page.getByTestId('many-stop').click()
  await expect(page.getByTestId('many-state')).toHaveText('Stopped')
  await expect(page.getByTestId('many-connected')).toHaveText('0')
  await go(page, 'connections')
  await expect(page.getByTestId('conn-count-live')).toHaveText('0 live')
  await page.getByTestId('conn-show-closed').click()
  await page.getByTestId('conn-filter').fill(`client 127.0.0.1:${port}`)
  await expect(page.getByTestId('conn-count-shown')).toHaveText('50 shown')
  await expect(page.getByTestId('conn-row').first()).toHaveAttribute('data-state', 'closed')

  // Leave no server behind for the next test.
  await go(page, 'adder')
  await page.getByTestId('server-pane').getByTestId('server-stop').click()
  await expect(page.getByTestId('server-pane').getByTestId('server-status')).toHaveText('Stopped')
})
