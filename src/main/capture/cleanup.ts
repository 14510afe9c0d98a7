// Nothing of a capture outlives SocketLab: every tshark it started is killed and every temporary file
// or folder removed when the process exits, also on Ctrl+C or a terminal closing (SIGINT, SIGTERM,
// SIGHUP). When no one else handles such a signal, the process then dies of it, as it would have.

import type { ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'

const children = new Set<ChildProcess>()
const tempPaths = new Set<string>()
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
let exitHooked = false
let signalsHooked = false

function killAll(): void {
  for (const child of children) {
    try {
      child.kill('SIGTERM')
    } catch {
      // Already gone.
    }
  }
}

/** The process is going away: kill every child and remove every temporary path. */
function cleanUpNow(): void {
  killAll()
  for (const p of tempPaths) {
    try {
      rmSync(p, { recursive: true, force: true })
    } catch {
      // Best effort.
    }
  }
  tempPaths.clear()
}

function onSignal(signal: NodeJS.Signals): void {
  killAll()
  // Nobody else handles this signal: die of it, as the process would have without us.
  if (process.listenerCount(signal) === 1) {
    cleanUpNow()
    unhookSignals()
    process.kill(process.pid, signal)
  }
}

function hookExit(): void {
  if (exitHooked) return
  exitHooked = true
  process.on('exit', cleanUpNow)
}

function hookSignals(): void {
  if (signalsHooked) return
  signalsHooked = true
  for (const s of SIGNALS) process.on(s, onSignal)
}

function unhookSignals(): void {
  if (!signalsHooked) return
  signalsHooked = false
  for (const s of SIGNALS) process.off(s, onSignal)
}

/** A child process killed if SocketLab exits first; forgotten by itself once it has exited. */
export function killAtExit(child: ChildProcess): void {
  hookExit()
  children.add(child)
  hookSignals()
  child.once('exit', () => forgetChild(child))
  child.once('error', () => {
    if (child.pid === undefined) forgetChild(child)
  })
}

export function forgetChild(child: ChildProcess): void {
  children.delete(child)
  if (children.size === 0) unhookSignals()
}

/** A temporary file or folder removed when the process exits. */
export function removeAtExit(p: string): void {
  hookExit()
  tempPaths.add(p)
}

export function forgetAtExit(p: string): void {
  tempPaths.delete(p)
}

/** Remove a temporary path now, and forget it. */
export function removeNow(p: string): void {
  try {
    rmSync(p, { recursive: true, force: true })
  } catch {
    // Best effort.
  }
  tempPaths.delete(p)
}

/** How many child processes are still tracked (tests check it is 0). */
export function liveChildCount(): number {
  return children.size
}
