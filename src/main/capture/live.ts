// One live capture: `tshark -i IFACE -f "tcp port P" -w FILE -P -l …fields…`. dumpcap writes every
// packet to the .pcapng and tshark prints each one's fields as it arrives (`-P` prints even while
// writing, `-l` flushes every line). "Ready means ready": tshark prints "Capturing on" before dumpcap
// has even opened the interface (a connection made then is lost, measured), so start() resolves only
// once dumpcap has written the file's header, which it does after the interface is open.

import { spawn, type ChildProcess } from 'node:child_process'
import { statSync } from 'node:fs'
import type { CaptureEnd } from '@shared/contract'
import { forgetChild, killAtExit } from './cleanup'
import { fieldArgs, LineSplitter, parseFieldsLine, type RawPacket } from './fields'
import { captureFilter, type Platform } from './filters'
import { osCapture } from './os'
import { classifyError, errorText } from './stderr'

export interface LiveOptions {
  interface: string
  port: number
  /** The .pcapng tshark writes. */
  file: string
  /** Stop by itself after this many packets (`-c`). */
  count?: number
  /** Stop by itself after this many seconds (`-a duration:`). */
  durationS?: number
  /** Stop by itself when the file reaches this many bytes (`-a filesize:`, in kB). */
  maxBytes?: number
}

export function liveArgs(o: LiveOptions): string[] {
  return [
    '-i',
    o.interface,
    '-f',
    captureFilter(o.port),
    '-w',
    o.file,
    '-P',
    '-l',
    ...(o.count ? ['-c', String(o.count)] : []),
    ...(o.durationS ? ['-a', `duration:${o.durationS}`] : []),
    ...(o.maxBytes ? ['-a', `filesize:${Math.max(1, Math.floor(o.maxBytes / 1000))}`] : []),
    ...fieldArgs(),
  ]
}

export interface LiveHandlers {
  packet(p: RawPacket): void
  /** tshark ended: why, and tshark's error in plain words when it failed. */
  exit(end: CaptureEnd, error?: string): void
}

const READY_TIMEOUT_MS = 20_000
const POLL_MS = 15

/** The file's identity before tshark starts: a file given with `--write` may already exist. */
function fileState(file: string): { size: number; mtimeMs: number; ino: number } | null {
  try {
    const s = statSync(file)
    return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino }
  } catch {
    return null
  }
}

export class LiveCapture {
  private child: ChildProcess | null = null
  private stderr = ''
  private exited = false
  private readonly exitPromise: Promise<void>
  private resolveExit!: () => void
  private stopping = false
  private packets = 0
  private startedAt = 0

  constructor(
    private readonly tshark: string,
    private readonly options: LiveOptions,
    private readonly handlers: LiveHandlers,
    private readonly platform: Platform = process.platform,
  ) {
    this.exitPromise = new Promise((r) => (this.resolveExit = r))
  }

  get pid(): number | undefined {
    return this.child?.pid
  }

  get running(): boolean {
    return !!this.child && !this.exited
  }

  /** Resolves once dumpcap captures (its file is written); rejects in plain words when it cannot. */
  start(): Promise<void> {
    const before = fileState(this.options.file)
    const child = spawn(this.tshark, liveArgs(this.options), { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true })
    this.child = child
    this.startedAt = Date.now()
    killAtExit(child)
    const out = new LineSplitter()
    child.stdout!.setEncoding('utf8')
    child.stdout!.on('data', (chunk: string) => {
      for (const line of out.push(chunk)) this.line(line)
    })
    child.stdout!.on('end', () => {
      for (const line of out.end()) this.line(line)
    })
    child.stderr!.setEncoding('utf8')
    child.stderr!.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-16_384)
    })

    return new Promise<void>((resolve, reject) => {
      let settled = false
      const done = (err?: Error): void => {
        if (settled) return
        settled = true
        clearTimeout(timeout)
        clearInterval(poll)
        if (err) reject(err)
        else resolve()
      }
      const timeout = setTimeout(() => {
        done(
          new Error(
            `tshark did not start capturing on "${this.options.interface}" within ${READY_TIMEOUT_MS / 1000} s. ${errorText(this.stderr)}`.trim(),
          ),
        )
        void this.stop()
      }, READY_TIMEOUT_MS)
      // dumpcap opens the interface, then writes the file's header: from then on every packet is kept.
      const poll = setInterval(() => {
        const now = fileState(this.options.file)
        if (!now || now.size === 0) return
        if (before && now.ino === before.ino && now.mtimeMs === before.mtimeMs && now.size === before.size) return
        done()
      }, POLL_MS)
      const finish = (end: CaptureEnd, problem?: string): void => {
        if (this.exited) return
        this.exited = true
        forgetChild(child)
        done(new Error(problem ?? 'tshark stopped before capturing'))
        this.handlers.exit(end, problem)
        this.resolveExit()
      }
      child.on('error', (err) => {
        const problem = `Could not run tshark (${this.tshark}): ${err.message}`
        done(new Error(problem))
        // Never started (not found, not executable): no 'close' will follow.
        if (child.pid === undefined) finish('error', problem)
      })
      // 'close': the process has exited and its output has been read to the end.
      child.on('close', (code, signal) => {
        if (this.stopping || signal) return finish('stopped')
        if (code !== 0) return finish('error', this.explain(code))
        finish(this.limitReached())
      })
    })
  }

  /** tshark ended by itself without an error: which of its limits it reached. */
  private limitReached(): CaptureEnd {
    const o = this.options
    if (o.count && this.packets >= o.count) return 'count'
    const size = fileState(o.file)?.size ?? 0
    if (o.maxBytes && size >= Math.floor(o.maxBytes / 1000) * 1000) return 'size'
    if (o.durationS && Date.now() - this.startedAt >= o.durationS * 1000 - 500) return 'duration'
    return 'stopped'
  }

  /** tshark's failure in plain words. */
  explain(code: number | null): string {
    const advice = osCapture(this.platform)
    switch (classifyError(this.stderr)) {
      case 'permission':
        return advice.permissionAdvice()
      case 'no-such-interface':
        return `There is no capture interface called "${this.options.interface}". Choose one that tshark -D lists.`
      case 'bad-filter':
        return `tshark rejected the capture filter "${captureFilter(this.options.port)}".`
      case 'no-interfaces':
        return advice.noInterfacesAdvice()
      default:
        return `tshark stopped with an error: ${errorText(this.stderr) || `exit code ${code}`}`
    }
  }

  private line(line: string): void {
    const p = parseFieldsLine(line)
    if (!p) return
    this.packets++
    this.handlers.packet(p)
  }

  /** Ask tshark to finish the file and exit; kill it if it does not within a few seconds. */
  async stop(graceMs = 3000): Promise<void> {
    const child = this.child
    if (!child || this.exited) return
    this.stopping = true
    try {
      // SIGINT: tshark stops dumpcap, writes the last packets and closes the file (on Windows: ends it).
      child.kill('SIGINT')
    } catch {
      // Already gone.
    }
    const timer = setTimeout(() => {
      try {
        child.kill('SIGKILL')
      } catch {
        // Already gone.
      }
    }, graceMs)
    await this.exitPromise
    clearTimeout(timer)
  }

  /** Resolves when tshark has exited and its output is read. */
  ended(): Promise<void> {
    return this.exitPromise
  }
}
