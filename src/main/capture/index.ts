// Packet capture for the host: tshark captures the exercise port into a .pcapng and prints each
// packet; every packet is explained (flags in words, handshake/data/teardown, payload text, the
// Traffic message it carried) and published through the recorder in batches.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { CaptureAvailability, CaptureInfo, CaptureStartArgs, CapturedPacket } from '@shared/contract'
import type { EventSink } from '../sink'
import type { MessageSource } from './annotate'

/** What a capture reports to, and reads the app's own messages from (the host's Recorder is both). */
export type CaptureSink = EventSink & MessageSource & { readonly messageCount: number }
import { StartError } from '../net/server'
import { ConnectionTracker, MessageMatcher, toCapturedPacket, type RawPacket } from './annotate'
import { isCapturePort, type Platform } from './filters'
import { checkAvailability, findTshark, forgetAtExit, LiveCapture, removeAtExit, type Availability } from './tshark'
import type { CaptureService } from './service'

export type { CaptureService }

/** A capture problem in plain words; the Host turns it into `{ ok: false, error, field }`. */
export class CaptureError extends StartError {
  constructor(message: string, field?: 'port') {
    super({ message, field })
  }
}

export interface CaptureOptions {
  /** tshark's path; null: behave as if it is not installed; default: look for it. */
  tshark?: string | null
  platform?: Platform
  /** How often packets go out as one `packets` event. */
  batchMs?: number
  /** How many packets stay in memory for late subscribers. */
  keep?: number
  /** How long a payload may wait for its Traffic message to be recorded before it goes out unmatched. */
  matchWaitMs?: number
}

/** Extras for the CLI: where to write, and limits after which tshark stops by itself. */
export interface StartExtras {
  /** Write the .pcapng here instead of a temporary file (kept after the capture). */
  file?: string
  count?: number
  durationS?: number
}

export interface TsharkCaptureService extends CaptureService {
  start(args: CaptureStartArgs, extras?: StartExtras): Promise<CaptureInfo>
  /** The packets of the current (or last) capture, oldest first, at most `keep`. */
  packets(): CapturedPacket[]
  /** Resolves when the current capture has ended (stopped, limit reached, or failed) and its packets are out. */
  ended(): Promise<void>
  /** The .pcapng of the current (or last) capture. */
  file(): string | null
  /** tshark's availability details (path, interfaces with descriptions, the default one). */
  availability(probe?: boolean): Promise<Availability>
  /** Stop, and remove the temporary capture file (a file given with `extras.file` stays). */
  dispose(): Promise<void>
}

interface Pending {
  raw: RawPacket
  note: string
  deadline: number
}

interface Session {
  info: CaptureInfo
  live: LiveCapture
  file: string
  tmpDir: string | null
  tracker: ConnectionTracker
  matcher: MessageMatcher
  pending: Pending[]
  timer: NodeJS.Timeout | null
  ended: Promise<void>
  endedResolve: () => void
  done: boolean
  /** tshark reported it is capturing (a failed start publishes no capture events). */
  started: boolean
}

export function createCapture(recorder: CaptureSink, options: CaptureOptions = {}): TsharkCaptureService {
  return new TsharkCapture(recorder, options)
}

function stamp(ms: number): string {
  const d = new Date(ms)
  const p = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`
}

class TsharkCapture implements TsharkCaptureService {
  private session: Session | null = null
  private list: CapturedPacket[] = []
  private queue: Promise<unknown> = Promise.resolve()
  private readonly platform: Platform
  private readonly batchMs: number
  private readonly keep: number
  private readonly matchWaitMs: number

  constructor(
    private readonly recorder: CaptureSink,
    private readonly options: CaptureOptions,
  ) {
    this.platform = options.platform ?? process.platform
    this.batchMs = options.batchMs ?? 100
    this.keep = options.keep ?? 5000
    this.matchWaitMs = options.matchWaitMs ?? 1500
  }

  private tsharkPath(): string | null {
    return this.options.tshark === undefined ? findTshark(process.env, this.platform) : this.options.tshark
  }

  /** One start or stop at a time, in the order asked. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task)
    this.queue = run.catch(() => undefined)
    return run
  }

  availability(probe = true): Promise<Availability> {
    return checkAvailability(this.tsharkPath(), this.platform, probe)
  }

  async status(): Promise<CaptureAvailability> {
    const a = await this.availability(true)
    return { available: a.available, ...(a.problem ? { problem: a.problem } : {}), interfaces: a.interfaces.map((i) => i.name) }
  }

  start(args: CaptureStartArgs, extras: StartExtras = {}): Promise<CaptureInfo> {
    return this.serial(() => this.doStart(args, extras))
  }

  stop(): Promise<void> {
    return this.serial(() => this.doStop())
  }

  private async doStart(args: CaptureStartArgs, extras: StartExtras): Promise<CaptureInfo> {
    if (!isCapturePort(args.port))
      throw new CaptureError(`Choose the port to capture: a whole number from 1 to 65535 (got ${String(args.port)}).`, 'port')
    if (extras.count !== undefined && !(Number.isInteger(extras.count) && extras.count > 0))
      throw new CaptureError('The packet count must be a whole number above 0.')
    if (extras.durationS !== undefined && !(Number.isInteger(extras.durationS) && extras.durationS > 0))
      throw new CaptureError('The duration must be a whole number of seconds above 0.')
    await this.doStop()

    const avail = await this.availability(false)
    if (!avail.available || !avail.tshark) throw new CaptureError(avail.problem ?? 'Packet capture is not available.')
    const names = avail.all.map((i) => i.name)
    const iface = args.interface ?? avail.defaultInterface
    if (!iface) throw new CaptureError('tshark lists no interface to capture on.')
    if (!names.includes(iface)) {
      throw new CaptureError(
        `There is no capture interface called "${iface}". Choose one of: ${avail.interfaces.map((i) => i.name).join(', ')}.`,
      )
    }

    // The previous capture's temporary file goes when a new one starts.
    this.dropTemp()
    let tmpDir: string | null = null
    let file = extras.file
    if (!file) {
      tmpDir = mkdtempSync(path.join(os.tmpdir(), 'socketlab-capture-'))
      removeAtExit(tmpDir)
      file = path.join(tmpDir, `capture-port${args.port}.pcapng`)
    }

    // Messages recorded just before the capture may still be on the wire.
    const since = Date.now() - 2000
    const before = this.recorder.recentMessages().find((m) => m.t >= since)
    const afterSeq = before ? before.seq - 1 : this.recorder.messageCount

    let endedResolve!: () => void
    const ended = new Promise<void>((r) => (endedResolve = r))
    const session: Session = {
      info: { port: args.port, interface: iface, running: false, packets: 0, startedAt: Date.now() },
      live: null as unknown as LiveCapture,
      file,
      tmpDir,
      tracker: new ConnectionTracker(args.port),
      matcher: new MessageMatcher(this.recorder, { port: args.port, afterSeq }),
      pending: [],
      timer: null,
      ended,
      endedResolve,
      done: false,
      started: false,
    }
    session.live = new LiveCapture(
      avail.tshark,
      { interface: iface, port: args.port, file, count: extras.count, durationS: extras.durationS },
      { packet: (p) => this.received(session, p), exit: (error) => this.finished(session, error) },
      this.platform,
    )
    this.session = session
    this.list = []
    try {
      await session.live.start()
    } catch (err) {
      this.finished(session)
      this.dropTemp()
      this.session = null
      throw new CaptureError(err instanceof Error ? err.message : String(err))
    }
    session.started = true
    session.info.running = !session.done
    session.info.startedAt = Date.now()
    session.timer = setInterval(() => this.publish(session, false), this.batchMs)
    session.timer.unref()
    this.recorder.emit({ type: 'capture', info: { ...session.info } })
    return { ...session.info }
  }

  private async doStop(): Promise<void> {
    const s = this.session
    if (!s || s.done) return
    await s.live.stop()
    await s.ended
  }

  private received(s: Session, raw: RawPacket): void {
    s.pending.push({ raw, note: s.tracker.note(raw), deadline: Date.now() + this.matchWaitMs })
    // A flood is published as it comes, unmatched, rather than piling up.
    if (s.pending.length > 20_000) this.publish(s, true)
  }

  /** Send out the packets that are ready: matched, without payload, or waited long enough. */
  private publish(s: Session, final: boolean): void {
    if (!s.pending.length) return
    s.matcher.refresh()
    const now = Date.now()
    const ready: CapturedPacket[] = []
    let i = 0
    for (; i < s.pending.length; i++) {
      const p = s.pending[i]
      let seq: number | undefined
      if (p.raw.payload.length > 0) {
        const r = s.matcher.match(p.raw)
        if (r && 'seq' in r) seq = r.seq
        else if (!final && now < p.deadline) break
      }
      ready.push(toCapturedPacket(p.raw, p.note, seq))
    }
    s.pending.splice(0, i)
    if (!ready.length) return
    s.info.packets += ready.length
    this.list.push(...ready)
    if (this.list.length > this.keep * 2) this.list = this.list.slice(-this.keep)
    this.recorder.emit({ type: 'packets', packets: ready })
    this.recorder.emit({ type: 'capture', info: { ...s.info } })
  }

  private finished(s: Session, error?: string): void {
    if (s.done) return
    s.done = true
    if (s.timer) clearInterval(s.timer)
    s.timer = null
    if (!s.started) return s.endedResolve()
    this.publish(s, true)
    s.info.running = false
    this.recorder.emit({ type: 'capture', info: { ...s.info }, ...(error ? { error } : {}) })
    s.endedResolve()
  }

  async save(): Promise<{ filename: string; base64: string }> {
    const s = this.session
    if (!s) throw new CaptureError('Nothing has been captured yet: start a capture first.')
    let data: Buffer
    try {
      data = readFileSync(s.file)
    } catch {
      throw new CaptureError('The capture file is not there any more: start a new capture.')
    }
    return { filename: `socketlab-port${s.info.port}-${stamp(s.info.startedAt)}.pcapng`, base64: data.toString('base64') }
  }

  info(): CaptureInfo | null {
    return this.session ? { ...this.session.info } : null
  }

  packets(): CapturedPacket[] {
    return this.list.length > this.keep ? this.list.slice(-this.keep) : [...this.list]
  }

  ended(): Promise<void> {
    return this.session ? this.session.ended : Promise.resolve()
  }

  file(): string | null {
    return this.session?.file ?? null
  }

  dispose(): Promise<void> {
    return this.serial(async () => {
      await this.doStop()
      this.dropTemp()
    })
  }

  private dropTemp(): void {
    const dir = this.session?.tmpDir
    if (!dir) return
    try {
      rmSync(dir, { recursive: true, force: true })
    } catch {
      // Best effort.
    }
    forgetAtExit(dir)
  }
}
