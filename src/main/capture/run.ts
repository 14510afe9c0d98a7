// Running tshark briefly and reading its answer: `tshark -D`, `tshark -L -i …`, and a saved capture
// read back with the same fields as the live one (`tshark -r file`).

import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fieldArgs, parseFieldsLine, type RawPacket } from './fields'
import { errorText } from './stderr'

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

export function runTshark(tshark: string, args: string[], timeoutMs = 15_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(tshark, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, windowsHide: true }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0
      resolve({ code, stdout: String(stdout), stderr: String(stderr) || (err && code === null ? err.message : '') })
    })
  })
}

/** Read a saved capture back: the same fields as the live capture. */
export async function readCaptureFile(tshark: string, file: string): Promise<RawPacket[]> {
  if (!existsSync(file)) throw new Error(`No such capture file: ${file}`)
  const r = await runTshark(tshark, ['-r', file, ...fieldArgs()])
  if (r.code !== 0) throw new Error(`tshark could not read ${file}: ${errorText(r.stderr) || `exit code ${r.code}`}`)
  return r.stdout
    .split('\n')
    .map(parseFieldsLine)
    .filter((p): p is RawPacket => p !== null)
}
