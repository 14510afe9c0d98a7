// The Check page against student servers (test/peers/students): Run my program starts each server on a
// free port and checks it, and every row shows the verdict the handout's requirements give; a failing
// row opens its evidence (the bytes as received) and what to change; the report is saved with a "Saved …
// to …" confirmation; Check a server reaches a server the spec started, and a server that is not there
// gets the connection doctor, whose next step rechecks.

import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { freePort, openCheck, startRun, STUDENTS, studentServer, verdicts } from './check-helpers'
import { shot } from './ui'

const children: ChildProcess[] = []
test.afterAll(() => {
  for (const c of children) c.kill('SIGKILL')
})

async function runServer(page: Page, script: string, question: string): Promise<void> {
  await page.getByTestId('check-program-side').selectOption('server')
  await page.getByTestId('check-program-question').selectOption(question)
  await page.getByTestId('check-program-command').fill(`python3 ${join(STUDENTS, script)} {port}`)
  await page.getByTestId('check-program-port').fill(String(await freePort()))
  await startRun(page, 'program')
}

const CASES: { script: string; question: string; expect: Record<string, string> }[] = [
  { script: 'adder_server_ack_newline.py', question: 'adder', expect: { ack: 'fail', sums: 'pass', 'printed-names': 'pass' } },
  { script: 'adder_server_concat.py', question: 'adder', expect: { ack: 'pass', sums: 'fail' } },
  { script: 'adder_server.py', question: 'adder-many', expect: { sums: 'pass', concurrent: 'fail' } },
  {
    script: 'adder_server_threads.py',
    question: 'adder-many',
    expect: { concurrent: 'pass', 'no-crossing': 'pass', running: 'pass' },
  },
  { script: 'adder_server_crash.py', question: 'adder', expect: { 'after-close': 'fail', running: 'fail' } },
  { script: 'greeting_server_words.py', question: 'greeting', expect: { greeting: 'fail' } },
  { script: 'intersection_server_unsorted.py', question: 'intersection', expect: { sorted: 'fail', subset: 'pass' } },
  { script: 'dedup_server_wrongdups.py', question: 'dedup', expect: { dedup: 'pass', duplicates: 'fail' } },
  { script: 'dedup_server.py', question: 'dedup', expect: { dedup: 'pass', 'dedup-100': 'pass', duplicates: 'pass' } },
]

test.describe('Check page: servers', () => {
  test('Run my program: each student server gets the verdicts of the handout', async ({ page, app }) => {
    test.setTimeout(240_000)
    await openCheck(page, app, 'program')
    for (const c of CASES) {
      await runServer(page, c.script, c.question)
      expect(await verdicts(page, 'program', Object.keys(c.expect)), c.script).toEqual(c.expect)
    }
    await expect(page.getByTestId('check-run-program').getByTestId('check-verdict')).toHaveText(/^PASS/)
  })

  test('a failing row opens the bytes as received and what to change; the report is saved', async ({ page, app }) => {
    await openCheck(page, app, 'program')
    await runServer(page, 'adder_server_ack_newline.py', 'adder')
    await verdicts(page, 'program', ['ack'])
    const run = page.getByTestId('check-run-program')
    await expect(run.getByTestId('check-verdict')).toHaveText(/^FAIL/)
    await run.getByTestId('check-toggle-ack').click()
    await expect(run.getByTestId('check-fix-ack')).toContainText('send exactly')
    const texts = run.getByTestId('check-evidence-ack').getByTestId('evidence-text')
    await expect(texts.filter({ hasText: /^ack\\n$/ })).toHaveCount(1)
    await shot(page, 'check-program-server')

    await run.getByTestId('check-save-program-html').click()
    const saved = page.getByTestId('check-saved-program')
    await expect(saved).toHaveText(/^Saved socketlab-server-adder-.*\.html to \//)
    const [, file, folder] = (await saved.textContent())!.match(/^Saved (\S+) to (.+)$/)!
    // The engine's temporary reports folder, never the user's ~/SocketLab/reports.
    expect(folder).toBe(app.reportsDir)
    expect(existsSync(join(folder, file))).toBe(true)
    await run.getByTestId('check-save-program-markdown').click()
    await expect(saved).toHaveText(/^Saved socketlab-server-adder-.*\.md to /)
    const [, md, mdFolder] = (await saved.textContent())!.match(/^Saved (\S+) to (.+)$/)!
    expect(mdFolder).toBe(app.reportsDir)
    expect(existsSync(join(mdFolder, md))).toBe(true)
  })

  test('Check a server: a student server started by hand passes; a wrong port gets the doctor, whose step rechecks', async ({
    page,
    app,
  }) => {
    const port = await studentServer('greeting_server.py', children)
    await openCheck(page, app, 'server')
    await page.getByTestId('check-server-question').selectOption('greeting')
    await page.getByTestId('check-server-host').fill('127.0.0.1')
    await page.getByTestId('check-server-port').fill(String(port))
    await startRun(page, 'server')
    expect(await verdicts(page, 'server', ['greeting', 'acknowledgement', 'close'])).toEqual({
      greeting: 'pass',
      acknowledgement: 'pass',
      close: 'pass',
    })

    // Nothing listens on this one: refused, with the doctor's steps.
    const wrong = await freePort()
    await page.getByTestId('check-server-port').fill(String(wrong))
    await startRun(page, 'server')
    await expect(page.getByTestId('check-run-server').getByTestId('check-verdict')).toHaveText(/^FAIL/, { timeout: 30_000 })
    const doctor = page.getByTestId('doctor-advice')
    await expect(doctor).toHaveAttribute('data-code', 'refused')
    await expect(doctor).toContainText(String(wrong))
    await shot(page, 'check-server-doctor')
    // "Try again" after fixing the port: the doctor's next step runs the check again.
    await page.getByTestId('check-server-port').fill(String(port))
    await doctor.getByTestId('doctor-action-retry').click()
    await expect(page.getByTestId('doctor-advice')).toHaveCount(0, { timeout: 30_000 })
    await expect(page.getByTestId('check-run-server').getByTestId('check-verdict')).toHaveText(/^PASS/, { timeout: 30_000 })
  })

  test('errors stand next to the field that caused them', async ({ page, app }) => {
    await openCheck(page, app, 'program')
    await page.getByTestId('check-program-command').fill('python3 client.py > out.txt')
    await page.getByTestId('check-program-start').click()
    await expect(page.getByTestId('error-command')).toContainText('">" is shell syntax')
    await page.getByTestId('check-program-command').fill('pyhton3 client.py')
    await page.getByTestId('check-program-start').click()
    await expect(page.getByTestId('error-command')).toContainText('unknown command "pyhton3"')
    await page.getByTestId('check-program-command').fill('python3 nothing-here.py {port}')
    await page.getByTestId('check-program-cwd').fill(STUDENTS)
    await page.getByTestId('check-program-start').click()
    await expect(page.getByTestId('error-command')).toContainText('nothing-here.py is not in')
    await page.getByTestId('check-tab-server').click()
    await page.getByTestId('check-server-port').fill('99999')
    await page.getByTestId('check-server-start').click()
    await expect(page.getByTestId('error-port')).toContainText('65535')
  })
})
