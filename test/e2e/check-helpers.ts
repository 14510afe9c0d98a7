// Helpers of the Check page's specs: open the page and a tab, the student programs' folder, a free
// port, student servers started by the spec (waited for in the kernel's socket table, so a fragile
// server gets no probe connection), and the verdict a row shows.

import type { ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import net from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from '@playwright/test'
import { startStudentServer } from '../helpers/student-server'
import { expect, type WebApp } from './fixtures'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const STUDENTS = join(root, 'test', 'peers', 'students')

export type CheckTabId = 'server' | 'client' | 'program' | 'room'

export async function openCheck(page: Page, app: WebApp, tab: CheckTabId): Promise<void> {
  await page.goto(`${app.url}#/check`)
  await expect(page.getByTestId('page-check')).toBeVisible()
  await expect(page.locator('.brand-dot.ok')).toBeVisible()
  await page.getByTestId(`check-tab-${tab}`).click()
}

export async function freePort(): Promise<number> {
  const srv = net.createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()))
  const port = (srv.address() as net.AddressInfo).port
  await new Promise<void>((r) => srv.close(() => r()))
  return port
}

/** Is something listening on 127.0.0.1:port? Read from /proc/net/tcp (state 0A), without connecting. */
function listening(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0')
  try {
    return readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .some((l) => {
        const f = l.trim().split(/\s+/)
        return f[1]?.endsWith(`:${hex}`) && f[3] === '0A'
      })
  } catch {
    return false
  }
}

/** Start a student server on a free port; resolves with the port once it listens. */
export function studentServer(script: string, children: ChildProcess[]): Promise<number> {
  return startStudentServer(STUDENTS, script, children, freePort, listening)
}

/** Press the tab's start button and wait until the tab shows the new run (not the one before). */
export async function startRun(page: Page, tab: Exclude<CheckTabId, 'room'>): Promise<void> {
  const run = page.getByTestId(`check-run-${tab}`)
  const before = (await run.count()) ? await run.getAttribute('data-run') : null
  await page.getByTestId(`check-${tab}-start`).click()
  await expect(run).toHaveAttribute('data-run', /.+/)
  if (before) await expect(run).not.toHaveAttribute('data-run', before)
}

/** Wait for the run on this tab to end, then read every row's verdict. */
export async function verdicts(page: Page, tab: Exclude<CheckTabId, 'room'>, ids: string[]): Promise<Record<string, string>> {
  const run = page.getByTestId(`check-run-${tab}`)
  await expect(run.getByTestId('check-verdict')).toHaveText(/^(PASS|FAIL|Cancelled)/, { timeout: 45_000 })
  const out: Record<string, string> = {}
  for (const id of ids) out[id] = (await run.getByTestId(`check-verdict-${id}`).textContent()) ?? ''
  return out
}
