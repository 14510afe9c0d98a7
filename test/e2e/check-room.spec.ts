// The room board: a roster with a bad line is refused with each line named next to it; a good roster
// (a right server, one that sends `ack\n`, a team whose server is not running) fills a team × check grid
// live, each failing cell with its reason on hover and its detail and evidence on click; one team is
// re-run; the board is saved as CSV and JSON with a "Saved … to …" confirmation.

import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import type { Page } from '@playwright/test'
import { expect, test, type WebApp } from './fixtures'
import { freePort, openCheck, studentServer } from './check-helpers'
import { shot } from './ui'

const children: ChildProcess[] = []
test.afterAll(() => {
  for (const c of children) c.kill('SIGKILL')
})

async function savedFile(page: Page, app: WebApp, pattern: RegExp): Promise<string> {
  const saved = page.getByTestId('check-saved-room')
  await expect(saved).toHaveText(pattern)
  const [, file, folder] = (await saved.textContent())!.match(/^Saved (\S+) to (.+)$/)!
  // The engine's temporary reports folder, never the user's ~/SocketLab/reports.
  expect(folder).toBe(app.reportsDir)
  return join(folder, file)
}

test('room board: bad lines named; a live grid with reasons, a re-run, CSV and JSON', async ({ page, app }) => {
  test.setTimeout(120_000)
  await openCheck(page, app, 'room')
  const csv = page.getByTestId('check-roster-csv')
  await csv.fill('team,host,port,question\nred,127.0.0.1,99999,adder\nblue,127.0.0.1,12345,chat\n')
  await page.getByTestId('check-roster-start').click()
  const errors = page.getByTestId('error-roster')
  await expect(errors).toContainText('line 2: port "99999" is not a port number')
  await expect(errors).toContainText('line 3: question "chat" is not one of')

  const good = await studentServer('adder_server_threads.py', children)
  const newline = await studentServer('adder_server_ack_newline.py', children)
  const nobody = await freePort()
  await csv.fill(
    `team,host,port,question\nteam-good,127.0.0.1,${good},adder-many\nteam-newline,127.0.0.1,${newline},adder\nteam-away,127.0.0.1,${nobody},greeting\n`,
  )
  await page.getByTestId('check-roster-start').click()
  await expect(errors).toHaveCount(0)
  const board = page.getByTestId('check-room-board')
  await expect(board.getByTestId('check-room-state')).toHaveText('1 of 3 teams passed every required check', { timeout: 60_000 })
  await expect(board.getByTestId('room-result-0')).toHaveText('pass')
  await expect(board.getByTestId('room-cell-0-concurrent')).toHaveAttribute('data-verdict', 'pass')
  const ack = board.getByTestId('room-cell-1-ack')
  await expect(ack).toHaveAttribute('data-verdict', 'fail')
  await expect(ack).toHaveAttribute('title', /ack: The server sends "ack\\n"/)
  await expect(board.getByTestId('room-cell-2-connect')).toHaveAttribute('data-verdict', 'fail')
  await ack.click()
  const picked = board.getByTestId('room-picked')
  await expect(picked).toContainText('team-newline')
  await expect(picked.getByTestId('check-fix-ack')).toContainText('send exactly')
  await expect(picked.getByTestId('evidence-text').filter({ hasText: /^ack\\n$/ })).toHaveCount(1)
  await shot(page, 'check-room-board')

  await board.getByTestId('room-rerun-0').click()
  await expect(board.getByTestId('room-result-0')).toHaveText('pass', { timeout: 30_000 })

  await board.getByTestId('check-save-room-csv').click()
  const csvFile = await savedFile(page, app, /^Saved socketlab-room-.*\.csv to \//)
  expect(existsSync(csvFile)).toBe(true)
  await board.getByTestId('check-save-room-json').click()
  const jsonFile = await savedFile(page, app, /^Saved socketlab-room-.*\.json to \//)
  expect(existsSync(jsonFile)).toBe(true)
})
