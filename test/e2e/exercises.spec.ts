// Every exercise from the UI, both peers ours: the server on a free port (read from the UI), the
// client against 127.0.0.1, and the handout's lines in each console. Real host, real sockets.

import { expect, test } from './fixtures'
import { clientPane, open, runClient, serverPane, shot, shotDark, startServer, stopServer } from './ui'

test('greeting: the server greets, the client acknowledges', async ({ page, app }) => {
  await open(page, app, 'greeting')
  const port = await startServer(page)
  await expect(serverPane(page).getByTestId('server-console')).toContainText(`Listening on`)

  await runClient(page, '127.0.0.1', port)
  const server = serverPane(page).getByTestId('server-console')
  const client = clientPane(page).getByTestId('client-console')
  await expect(server).toContainText(/Got connection from \('127\.0\.0\.1', \d+\)/)
  await expect(server).toContainText('It was nice talking to you')
  await expect(client).toContainText('Thank you for connecting')
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
  // The result panel shows both messages of the exchange.
  await expect(page.getByTestId('results')).toContainText('Thank you for connecting')
  await shot(page, 'greeting')
  await stopServer(page)
})

test('dedup: final list and duplicates, highlighted', async ({ page, app }) => {
  await open(page, app, 'dedup')
  const port = await startServer(page)
  // Regenerate draws N random numbers; then a list typed by hand, to know the answer.
  const numbers = clientPane(page).getByTestId('dedup-numbers')
  await clientPane(page).getByTestId('dedup-count').fill('40')
  await clientPane(page).getByTestId('dedup-regenerate').click()
  await expect(clientPane(page).getByTestId('dedup-summary')).toContainText('40 numbers')
  await numbers.fill('[1, 5, 5, 9, 1, 3, 7, 7, 7]')

  await runClient(page, '127.0.0.1', port)
  const client = clientPane(page).getByTestId('client-console')
  await expect(client).toContainText('Final list: [1, 5, 9, 3, 7]')
  // Our server sends the duplicates as a second message; the client shows the server's own.
  await expect(client).toContainText('Duplicates (from the server): [1, 5, 7]')
  await expect(serverPane(page).getByTestId('server-console')).toContainText(
    'Received 9 numbers, sending back 5 without duplicates',
  )
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')

  const results = page.getByTestId('results')
  await expect(results.getByTestId('dedup-final')).toHaveText(/1\s*5\s*9\s*3\s*7/)
  await expect(results.getByTestId('dedup-duplicates')).toContainText('7 ×3')
  await expect(results.getByTestId('result-verdict')).toHaveText('correct')
  // Repeated values are highlighted in the sent list; the later copies (removed) differently.
  await expect(results.getByTestId('dedup-sent').locator('.chip.dup')).toHaveCount(7)
  await expect(results.getByTestId('dedup-sent').locator('.chip.removed')).toHaveCount(4)
  await shot(page, 'dedup')
  await stopServer(page)
})

test('dedup: a long list shows its first 1000 numbers and says how many more there were', async ({ page, app }) => {
  await open(page, app, 'dedup')
  const port = await startServer(page)
  await clientPane(page).getByTestId('dedup-count').fill('3000')
  await clientPane(page).getByTestId('dedup-regenerate').click()
  await expect(clientPane(page).getByTestId('dedup-summary')).toContainText('3000 numbers')
  await runClient(page, '127.0.0.1', port)
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
  const results = page.getByTestId('results')
  await expect(results.getByTestId('result-verdict')).toHaveText('correct')
  // The verdict was reached on all 3000; the result carries the first 1000 and the real count.
  await expect(results).toContainText('(3000 numbers)')
  const sent = results.getByTestId('dedup-sent')
  await expect(sent.locator('.chip')).toHaveCount(1000)
  await expect(sent.getByTestId('chips-more')).toHaveText('… and 2,000 more')
  await stopServer(page)
})

test('intersection: both sets side by side, the common numbers sorted', async ({ page, app }) => {
  await open(page, app, 'intersection')
  await serverPane(page).getByTestId('server-set-size').fill('60')
  const port = await startServer(page)
  await clientPane(page).getByTestId('intersection-size').fill('40')
  await runClient(page, '127.0.0.1', port)

  const client = clientPane(page).getByTestId('client-console')
  await expect(client).toContainText(/Intersection: \[[\d, ]*\]/)
  await expect(serverPane(page).getByTestId('server-console')).toContainText('Common numbers:')
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')

  // The client's line and the result panel agree, and the result is sorted.
  const line = (await client.textContent()) ?? ''
  const common = line
    .match(/Intersection: \[([\d, ]*)\]/)![1]
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map(Number)
  expect([...common].sort((a, b) => a - b)).toEqual(common)
  const results = page.getByTestId('results')
  await expect(results.getByTestId('intersection-server-set')).toBeVisible()
  await expect(results.getByTestId('intersection-client-set').locator('.chip')).toHaveCount(40)
  await expect(results.getByTestId('intersection-server-set').locator('.chip')).toHaveCount(60)
  await expect(results.getByTestId('intersection-common').locator('.chip')).toHaveCount(common.length)
  await expect(results.getByTestId('intersection-client-set').locator('.chip.common')).toHaveCount(common.length)
  // Without the server's set the client can only say the answer looks valid (sorted, all from its set).
  await expect(results.getByTestId('result-verdict')).toHaveText('looks valid')
  await shot(page, 'intersection')
  await shotDark(page, 'intersection-dark')
  await stopServer(page)
})

test('adder: name, sums, an invalid command, then q', async ({ page, app }) => {
  await open(page, app, 'adder')
  const port = await startServer(page)
  const name = clientPane(page).getByTestId('adder-name')
  await expect(name).toHaveValue(/^student-\d{4}$/)
  await clientPane(page).getByTestId('adder-name-regenerate').click()
  await name.fill('e2e-4321')
  await runClient(page, '127.0.0.1', port)

  const server = serverPane(page).getByTestId('server-console')
  const client = clientPane(page).getByTestId('client-console')
  await expect(server).toContainText('Connection initiated by e2e-4321')
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Connected')

  // Typed on the command line (Enter sends), and with the buttons.
  const command = clientPane(page).getByTestId('adder-command')
  await command.fill('a')
  await command.press('Enter')
  await expect(client).toContainText(/answer received from Server = \d+/)
  await clientPane(page).getByTestId('adder-a').click()
  await command.fill('hello')
  await command.press('Enter')
  await expect(client).toContainText('Invalid command')
  await expect(clientPane(page).locator('.console-line', { hasText: 'answer received from Server' })).toHaveCount(2)
  await expect(page.getByTestId('adder-sums').locator('tr')).toHaveCount(2)
  await shot(page, 'adder')
  await shotDark(page, 'adder-dark')

  // The sums are right: "Numbers: a b" then "answer received from Server = a+b".
  const lines = await clientPane(page).locator('.console-text').allTextContents()
  for (let i = 0; i < lines.length; i++) {
    const m = lines[i].match(/^Numbers: (\d+) (\d+)$/)
    if (m) expect(lines[i + 1]).toBe(`answer received from Server = ${Number(m[1]) + Number(m[2])}`)
  }

  await clientPane(page).getByTestId('adder-q').click()
  await expect(clientPane(page).getByTestId('client-state')).toHaveText('Done')
  await expect(clientPane(page).getByTestId('client-run')).toBeVisible()
  await stopServer(page)
})
