// File descriptors: every socket is one, and the process may hold only so many. Node raises its soft
// limit to the hard one at start-up; this module reads what that is and counts the sockets SocketLab
// holds, so a server says "server full" to the next student while there is still a descriptor to say it
// with, instead of the OS refusing (EMFILE) and the student being dropped without a word.

import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** Descriptors kept for everything that is not a connection: files, tshark, the web bridge, pipes. */
const RESERVE = 256

/**
 * Of the reserve, how many refused connections may be held for their grace (the second in which the
 * peer reads "server full" and closes its side, so it gets a FIN): a burst beyond the budget is accepted
 * only to be told and closed, and without this bound its sockets would take the last descriptors.
 */
const GRACE = RESERVE / 2

/** The soft open-file limit as the OS says it (exported for its test: each way gives the same number). */
export function readLimit(platform: NodeJS.Platform = process.platform): number {
  if (platform === 'linux') {
    try {
      const text = readFileSync('/proc/self/limits', 'utf8')
      const line = text.split('\n').find((l) => l.startsWith('Max open files'))
      const soft = line ? Number(line.split(/\s{2,}/)[1]) : NaN
      if (Number.isFinite(soft) && soft > 0) return soft
    } catch {
      // Fall through to the platform's usual value.
    }
    return 1024
  }
  // Windows sockets are not limited this way.
  if (platform === 'win32') return 16_384
  // macOS and the BSDs have no /proc: a shell started from here inherits this process's soft limit and
  // says it. (Node raises it at start-up; an embedder may not, so it is read, not assumed.)
  try {
    const said = execFileSync('/bin/sh', ['-c', 'ulimit -n'], { encoding: 'utf8', timeout: 2000 }).trim()
    if (said === 'unlimited') return OPEN_MAX
    const n = Number(said)
    if (Number.isInteger(n) && n > 0) return n
  } catch {
    // No shell: the usual value.
  }
  return OPEN_MAX
}

/** macOS's usual per-process ceiling for open files (OPEN_MAX, what Node raises an unlimited soft limit to). */
const OPEN_MAX = 10_240

let limit: number | null = null
let open = 0
let grace = 0

/** The process's open-file limit. */
export function descriptorLimit(): number {
  limit ??= readLimit()
  return limit
}

/** How many connections this process can hold at most (both ends of its own loopback pairs count). */
export function connectionBudget(): number {
  return Math.max(16, descriptorLimit() - RESERVE)
}

/** One more socket held; false (and nothing counted) when the budget is spent. */
export function takeDescriptor(): boolean {
  if (open >= connectionBudget()) return false
  open++
  return true
}

export function releaseDescriptor(): void {
  if (open > 0) open--
}

export function descriptorsInUse(): number {
  return open
}

/** A refused socket beyond the budget may be held for its grace; false: close it as soon as it is told. */
export function takeGrace(): boolean {
  if (grace >= GRACE) return false
  grace++
  return true
}

export function releaseGrace(): void {
  if (grace > 0) grace--
}
