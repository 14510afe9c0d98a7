// Run my program: SocketLab starts the student's own program (`python3 client.py 127.0.0.1 12345`),
// types the handout's keyboard input into it, and keeps what it printed. Only a program on this machine,
// given as an argv array and started without a shell (nothing in it is interpreted), in its own process
// group so that stopping it also stops what it started, always with a time limit: a program that hangs
// is stopped and reported with its last output, one that crashes is reported with its traceback.

import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import type { Endpoint } from '@shared/contract'
import { listenersOn } from '../doctor/system'
import type { EvidenceLog } from './evidence'

/** Output kept per program (the end of it: the last lines are what explains a crash). */
const MAX_OUTPUT = 256 * 1024

export interface ProgramExit {
  code: number | null
  signal: NodeJS.Signals | null
  /** Stopped by SocketLab (a time limit or the end of the checks), not by itself. */
  stopped: boolean
  /** It could not be started at all (`ENOENT`: no such program). */
  startError?: string
}

export class Program {
  private out = ''
  private child: ChildProcess | null = null
  private exitInfo: ProgramExit | null = null
  private stoppedByUs = false
  readonly exited: Promise<ProgramExit>
  readonly instance: number
  readonly startedAt = Date.now()

  constructor(
    readonly argv: readonly string[],
    private readonly log: EvidenceLog,
    options: { input?: string; cwd?: string } = {},
  ) {
    this.instance = log.newConn()
    let resolveExit: (e: ProgramExit) => void = () => undefined
    this.exited = new Promise((r) => (resolveExit = r))
    const finish = (e: ProgramExit): void => {
      if (this.exitInfo) return
      this.exitInfo = e
      log.event(this.instance, e.stopped ? 'killed' : 'exited', {
        code: e.startError ?? (e.code !== null ? `exit ${e.code}` : `signal ${e.signal}`),
      })
      resolveExit(e)
    }
    if (argv.length === 0) {
      finish({ code: null, signal: null, stopped: false, startError: 'no command given' })
      return
    }
    let child: ChildProcess
    try {
      child = spawn(argv[0], argv.slice(1), {
        cwd: options.cwd,
        shell: false,
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe'],
        // Python buffers print() when stdout is a pipe; unbuffered, each line shows up as it is printed.
        env: { ...process.env, PYTHONUNBUFFERED: '1' },
      })
    } catch (err) {
      finish({ code: null, signal: null, stopped: false, startError: err instanceof Error ? err.message : String(err) })
      return
    }
    this.child = child
    log.event(this.instance, 'started')
    const take = (stream: 'stdout' | 'stderr') => (d: Buffer) => {
      log.bytes(this.instance, stream, d)
      this.out += d.toString('utf8')
      if (this.out.length > MAX_OUTPUT) this.out = this.out.slice(this.out.length - MAX_OUTPUT)
    }
    child.stdout?.on('data', take('stdout'))
    child.stderr?.on('data', take('stderr'))
    child.stdin?.on('error', () => undefined)
    child.on('error', (err: NodeJS.ErrnoException) =>
      finish({ code: null, signal: null, stopped: false, startError: `${err.code ?? 'error'}: ${err.message}` }),
    )
    child.on('close', (code, signal) => finish({ code, signal, stopped: this.stoppedByUs }))
    if (options.input !== undefined) this.type(options.input, true)
  }

  /** Type into the program's keyboard (its stdin); `end` closes it after. */
  type(text: string, end = false): void {
    const stdin = this.child?.stdin
    if (!stdin || stdin.destroyed) return
    this.log.bytes(this.instance, 'stdin', Buffer.from(text))
    stdin.write(text)
    if (end) stdin.end()
  }

  get running(): boolean {
    return this.child !== null && this.exitInfo === null
  }

  get exit(): ProgramExit | null {
    return this.exitInfo
  }

  /** Everything it printed (stdout and stderr as they interleaved), the last 256 KiB. */
  output(): string {
    return this.out
  }

  /** The last few lines of output, for a report of a crash or a hang. */
  lastLines(n = 8): string {
    const lines = this.out.split('\n')
    while (lines.length && lines[lines.length - 1].trim() === '') lines.pop()
    return lines.slice(-n).join('\n')
  }

  /** Wait for it to end by itself; false if it is still running after `ms`. */
  async waitExit(ms: number): Promise<boolean> {
    if (this.exitInfo) return true
    let timer: NodeJS.Timeout | undefined
    const done = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms))),
    ])
    clearTimeout(timer)
    return done
  }

  /** Stop it (and anything it started): SIGTERM to its process group, SIGKILL a second later. */
  async stop(): Promise<ProgramExit> {
    if (this.exitInfo) return this.exitInfo
    const child = this.child
    if (!child || child.pid === undefined) return this.exited
    this.stoppedByUs = true
    const signal = (sig: NodeJS.Signals): void => {
      try {
        process.kill(-child.pid!, sig)
      } catch {
        try {
          child.kill(sig)
        } catch {
          // Already gone.
        }
      }
    }
    signal('SIGTERM')
    if (!(await this.waitExit(1000))) signal('SIGKILL')
    return this.exited
  }
}

/** How the program's exit reads in a report: `exited with code 1`, `was stopped after 10 s`. */
export function describeExit(p: Program, limitMs?: number): string {
  const e = p.exit
  if (!e) return 'is still running'
  if (e.startError) return `could not be started (${e.startError})`
  if (e.stopped) return limitMs ? `was still running after ${limitMs / 1000} s and was stopped` : 'was stopped'
  if (e.code !== null) return `exited with code ${e.code}`
  return `was ended by ${e.signal}`
}

/** Output lines, quoted for a report: the last few, or "(no output)". */
export function lastOutput(p: Program): string {
  const tail = p.lastLines()
  return tail ? `Its last output:\n${tail}` : 'It printed nothing.'
}

/**
 * Wait until something listens on `port` on this machine. The kernel's socket table is watched without
 * connecting, so a student's fragile server does not get a probe connection it could choke on; where the
 * table cannot be read, a connection is tried every 200 ms.
 */
export async function waitForListener(
  port: number,
  program: Program,
  timeoutMs: number,
): Promise<{ ok: true; listeners: Endpoint[] } | { ok: false; why: 'exited' | 'timeout' }> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (!program.running) return { ok: false, why: 'exited' }
    const listeners = listenersOn(port, true)
    if (listeners && listeners.length) return { ok: true, listeners }
    if (listeners === null && (await tryConnect(port))) return { ok: true, listeners: [] }
    await new Promise((r) => setTimeout(r, listeners === null ? 200 : 50))
  }
  return { ok: false, why: program.running ? 'timeout' : 'exited' }
}

function tryConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port })
    const done = (ok: boolean): void => {
      s.destroy()
      resolve(ok)
    }
    s.once('connect', () => done(true))
    s.once('error', () => done(false))
    s.setTimeout(500, () => done(false))
  })
}
