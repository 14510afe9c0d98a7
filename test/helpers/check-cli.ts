// Run `socketlab check …` in-process, as the CLI does, and read back its --json report.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import type { CheckReport, CheckResult } from '@shared/contract'
import { run } from '../../src/cli/run'

export const STUDENTS = join(__dirname, '..', 'peers', 'students')

export interface CheckRun extends CliRun {
  /** The --json report (null when none was written, e.g. a usage error). */
  json: (CheckReport & Record<string, unknown>) | null
  check(id: string): CheckResult
}

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/** `socketlab <args>` in-process, as the CLI runs it, with stdin closed and stdout/stderr captured. */
export async function runCli(args: string[]): Promise<CliRun> {
  const out = new PassThrough()
  const err = new PassThrough()
  let stdout = ''
  let stderr = ''
  out.on('data', (d) => (stdout += d))
  err.on('data', (d) => (stderr += d))
  const input = new PassThrough()
  input.end()
  const code = await run(args, { out, err, input })
  return { code, stdout, stderr }
}

export async function runCheck(args: string[]): Promise<CheckRun> {
  const dir = mkdtempSync(join(tmpdir(), 'socketlab-check-'))
  const file = join(dir, 'report.json')
  // --json goes before a `--` command, as a user types it.
  const at = args.indexOf('--')
  const withJson = at < 0 ? [...args, '--json', file] : [...args.slice(0, at), '--json', file, ...args.slice(at)]
  const { code, stdout, stderr } = await runCli(['check', ...withJson])
  let json: CheckRun['json'] = null
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    json = null
  }
  rmSync(dir, { recursive: true, force: true })
  return {
    code,
    stdout,
    stderr,
    json,
    check(id) {
      const c = json?.checks.find((x) => x.id === id)
      if (!c) throw new Error(`no check "${id}" in the report: ${stdout}`)
      return c
    },
  }
}

/** The verdicts of a report as { id: ok }, for one readable assertion per peer. */
export function verdicts(r: CheckRun, ids: string[]): Record<string, boolean | null> {
  return Object.fromEntries(ids.map((id) => [id, r.check(id).ok]))
}
