// The Check page against student clients (test/peers/students): Run my program starts each client itself
// (with the handout's keyboard input) against the question SocketLab serves on a free port, and every row
// shows the verdict the handout gives: right clients pass; names not unique, the numbers in two messages,
// a crash and a hang each fail the check they break. Check a client grades a client the spec starts.

import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { openCheck, startRun, STUDENTS, verdicts } from './check-helpers'
import { shot, shotDark } from './ui'

const children: ChildProcess[] = []
test.afterAll(() => {
  for (const c of children) c.kill('SIGKILL')
})

async function runClient(page: Page, script: string, question: string, times: number, limitS = 20): Promise<void> {
  await page.getByTestId('check-program-side').selectOption('client')
  await page.getByTestId('check-program-question').selectOption(question)
  await page.getByTestId('check-program-command').fill(`python3 ${join(STUDENTS, script)} 127.0.0.1 {port}`)
  await page.getByTestId('check-program-port').fill('0')
  await page.getByTestId('check-program-connections').fill(String(times))
  await page.getByTestId('check-program-timeout').fill(String(limitS))
  await startRun(page, 'program')
}

const CASES: { script: string; question: string; times: number; limitS?: number; expect: Record<string, string> }[] = [
  {
    script: 'adder_client.py',
    question: 'adder-many',
    times: 2,
    expect: {
      'name-first': 'pass',
      'unique-names': 'pass',
      bundled: 'pass',
      'printed-sums': 'pass',
      quit: 'pass',
      exits: 'pass',
    },
  },
  {
    script: 'adder_client_samename.py',
    question: 'adder-many',
    times: 2,
    expect: { 'unique-names': 'fail', 'printed-sums': 'pass' },
  },
  { script: 'adder_client_split.py', question: 'adder', times: 1, expect: { bundled: 'fail', range: 'pass' } },
  { script: 'adder_client_crash.py', question: 'adder', times: 1, expect: { 'printed-sums': 'fail', exits: 'fail' } },
  { script: 'adder_client_hang.py', question: 'adder', times: 1, limitS: 8, expect: { quit: 'fail', exits: 'fail' } },
  {
    script: 'greeting_client.py',
    question: 'greeting',
    times: 1,
    expect: { acknowledgement: 'pass', 'printed-greeting': 'pass' },
  },
  {
    script: 'dedup_client.py',
    question: 'dedup',
    times: 1,
    expect: { 'list-size': 'pass', 'printed-final': 'pass', 'printed-duplicates': 'pass' },
  },
  {
    script: 'intersection_client.py',
    question: 'intersection',
    times: 1,
    expect: { 'list-range': 'pass', 'printed-intersection': 'pass' },
  },
]

test.describe('Check page: clients', () => {
  test('Run my program: each student client gets the verdicts of the handout', async ({ page, app }) => {
    test.setTimeout(240_000)
    await openCheck(page, app, 'program')
    for (const c of CASES) {
      await runClient(page, c.script, c.question, c.times, c.limitS)
      expect(await verdicts(page, 'program', Object.keys(c.expect)), c.script).toEqual(c.expect)
      if (c.script === 'adder_client_hang.py') {
        const run = page.getByTestId('check-run-program')
        await run.getByTestId('check-toggle-exits').click()
        await expect(run.getByTestId('check-detail-exits')).toContainText('was stopped')
        await shot(page, 'check-program-client-hang')
        await shotDark(page, 'check-program-client-hang-dark')
      }
    }
  })

  test('Check a client: SocketLab serves on a free port and grades the client that connects', async ({ page, app }) => {
    await openCheck(page, app, 'client')
    await page.getByTestId('check-client-question').selectOption('adder')
    await page.getByTestId('check-client-port').fill('0')
    await startRun(page, 'client')
    const serving = page.getByTestId('check-serving')
    await expect(serving).toContainText('port')
    const port = (await serving.locator('b.mono').textContent())!.trim()
    expect(Number(port)).toBeGreaterThan(0)
    await shot(page, 'check-client-serving')
    const child = spawn('python3', [join(STUDENTS, 'adder_client.py'), '127.0.0.1', port], {
      stdio: ['pipe', 'ignore', 'ignore'],
    })
    children.push(child)
    child.stdin!.end('a\na\nx\nq\n')
    expect(await verdicts(page, 'client', ['connected', 'name-first', 'bundled', 'range', 'quit'])).toEqual({
      connected: 'pass',
      'name-first': 'pass',
      bundled: 'pass',
      range: 'pass',
      quit: 'pass',
    })
  })

  test('Cancel stops a client check that waits', async ({ page, app }) => {
    await openCheck(page, app, 'client')
    await page.getByTestId('check-client-port').fill('0')
    await page.getByTestId('check-client-timeout').fill('600')
    await startRun(page, 'client')
    await page.getByTestId('check-cancel-client').click()
    await expect(page.getByTestId('check-run-client').getByTestId('check-verdict')).toHaveText(/^Cancelled/)
  })
})
