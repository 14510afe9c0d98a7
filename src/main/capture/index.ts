// Packet capture for the host: one tshark capture at a time of the exercise port into a .pcapng. Each
// packet is given its place in its connection's life (tracker.ts), the Traffic messages it carried and
// the SocketLab connections at its ends (matcher.ts), and goes out as facts in batches through the
// sink. The capture reports running only once tshark really captures (live.ts). Saving prepares a file
// (the .pcapng, the answer sheet, the diagram, the evidence zip) that is read back in chunks.

import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  CAPTURE_MAX_MB,
  type CaptureAvailability,
  type CaptureChunk,
  type CaptureEnd,
  type CaptureExportKind,
  type CaptureFile,
  type CaptureInfo,
  type CaptureStartArgs,
  type CapturedPacket,
} from '@shared/contract'
import type { EventSink } from '../sink'
import { UserError } from '../errors'
import { checkAvailability, toCaptureAvailability, type Availability } from './availability'
import { removeAtExit, removeNow } from './cleanup'
import { diagramPng, makeEvidence, writeBundleZip } from './evidence'
import type { RawPacket } from './fields'
import { PreparedFiles } from './files'
import { isCapturePort, type Platform } from './filters'
import { LiveCapture } from './live'
import { findTshark } from './locate'
import { MessageMatcher, type MessageSource } from './matcher'
import { toCapturedPacket } from './packet'
import type { CaptureService } from './service'
import { ConnectionTracker, type PacketLife } from './tracker'

export type { CaptureService }
export { liveChildCount as liveTsharkCount } from './cleanup'

/** What a capture reports to, and reads the app's own messages from (the host's Recorder is both). */
export type CaptureSink = EventSink & MessageSource & { readonly messageCount: number }

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
  fileFor(fileId: string): { path: string; size: number; filename: string; mime: string } | undefined
  /** Stop, and remove the temporary files (a file given with `extras.file` stays). */
  dispose(): Promise<void>
}

interface Pending {
  raw: RawPacket
  life: PacketLife
  deadline: number
}

interface Session {
  info: CaptureInfo
  live: LiveCapture
  file: string
  tmpDir: string | null
  tracker: ConnectionTracker
  matcher: MessageMatcher
  /** tcp.stream → the SocketLab connections at its ends, once found. */
  streamConns: Map<number, string[]>
  pending: Pending[]
  timer: NodeJS.Timeout | null
  ended: Promise<void>
  endedResolve: () => void
  done: boolean
  /** tshark reported it is capturing (a failed start publishes no packets). */
  started: boolean
}

export function createCapture(recorder: CaptureSink, options: CaptureOptions = {}): TsharkCaptureService {
  return new TsharkCapture(recorder, options)
}

/** `20250314-101502`, local time: a file name a student can sort. */
export function stamp(ms: number): string {
  const d = new Date(ms)
  const p = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`
}

const MB = 1024 * 1024

class TsharkCapture implements TsharkCaptureService {
  private session: Session | null = null
  private list: CapturedPacket[] = []
  private queue: Promise<unknown> = Promise.resolve()
  private readonly platform: Platform
  private readonly batchMs: number
  private readonly keep: number
  private readonly matchWaitMs: number
  private readonly prepared = new PreparedFiles()
  private exportDir: string | null = null

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
    return toCaptureAvailability(await this.availability(true))
  }

  start(args: CaptureStartArgs, extras: StartExtras = {}): Promise<CaptureInfo> {
    return this.serial(() => this.doStart(args, extras))
  }

  stop(): Promise<void> {
    return this.serial(() => this.doStop())
  }

  private async doStart(args: CaptureStartArgs, extras: StartExtras): Promise<CaptureInfo> {
    if (!isCapturePort(args.port))
      throw new UserError(`Choose the port to capture: a whole number from 1 to 65535 (got ${String(args.port)}).`, 'port')
    const maxMB = args.maxMB ?? CAPTURE_MAX_MB.default
    if (!(Number.isInteger(maxMB) && maxMB >= CAPTURE_MAX_MB.min && maxMB <= CAPTURE_MAX_MB.max))
      throw new UserError(`The size cap is a whole number of megabytes from ${CAPTURE_MAX_MB.min} to ${CAPTURE_MAX_MB.max}.`)
    if (extras.count !== undefined && !(Number.isInteger(extras.count) && extras.count > 0))
      throw new UserError('The packet count must be a whole number above 0.')
    if (extras.durationS !== undefined && !(Number.isInteger(extras.durationS) && extras.durationS > 0))
      throw new UserError('The duration must be a whole number of seconds above 0.')
    await this.doStop()

    const avail = await this.availability(false)
    if (!avail.available || !avail.tshark) throw new UserError(avail.problem ?? 'Packet capture is not available.')
    const iface = args.interface ?? avail.defaultInterface
    if (!iface) throw new UserError('tshark lists no interface to capture on.')
    if (!avail.all.some((i) => i.name === iface)) {
      throw new UserError(
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
    const maxBytes = maxMB * MB
    const session: Session = {
      info: { port: args.port, interface: iface, running: false, starting: true, packets: 0, startedAt: Date.now(), maxBytes },
      live: null as unknown as LiveCapture,
      file,
      tmpDir,
      tracker: new ConnectionTracker(args.port),
      matcher: new MessageMatcher(this.recorder, { port: args.port, afterSeq }),
      streamConns: new Map(),
      pending: [],
      timer: null,
      ended,
      endedResolve,
      done: false,
      started: false,
    }
    session.live = new LiveCapture(
      avail.tshark,
      { interface: iface, port: args.port, file, count: extras.count, durationS: extras.durationS, maxBytes },
      { packet: (p) => this.received(session, p), exit: (end, error) => this.finished(session, end, error) },
      this.platform,
    )
    this.session = session
    this.list = []
    // A page opened now shows "starting", not the previous capture.
    this.recorder.emit({ type: 'capture', info: { ...session.info } })
    try {
      await session.live.start()
    } catch (err) {
      this.finished(session, 'error')
      this.dropTemp()
      this.session = null
      const message = err instanceof Error ? err.message : String(err)
      this.recorder.emit({ type: 'capture', info: null, error: message })
      throw new UserError(message)
    }
    session.started = true
    delete session.info.starting
    session.info.running = !session.done
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
    s.pending.push({ raw, life: s.tracker.life(raw), deadline: Date.now() + this.matchWaitMs })
    // A flood is published as it comes, unmatched, rather than piling up.
    if (s.pending.length > 20_000) this.publish(s, true)
  }

  private connsOf(s: Session, raw: RawPacket): string[] {
    const known = s.streamConns.get(raw.stream)
    if (known) return known
    const found = s.matcher.connectionsOf(raw)
    if (found.length && raw.stream >= 0) {
      s.streamConns.set(raw.stream, found)
      if (s.streamConns.size > 20_000) s.streamConns.delete(s.streamConns.keys().next().value as number)
    }
    return found
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
      let matched
      if (p.raw.payload.length > 0) {
        const r = s.matcher.match(p.raw)
        if (r && 'msgs' in r) matched = r
        else if (!final && now < p.deadline) break
      }
      ready.push(toCapturedPacket(p.raw, p.life, { matched, connIds: this.connsOf(s, p.raw) }))
    }
    s.pending.splice(0, i)
    if (!ready.length) return
    s.info.packets += ready.length
    this.list.push(...ready)
    if (this.list.length > this.keep * 2) this.list = this.list.slice(-this.keep)
    this.recorder.emit({ type: 'packets', packets: ready })
    this.recorder.emit({ type: 'capture', info: { ...s.info } })
  }

  private finished(s: Session, end: CaptureEnd, error?: string): void {
    if (s.done) return
    s.done = true
    if (s.timer) clearInterval(s.timer)
    s.timer = null
    if (!s.started) return s.endedResolve()
    this.publish(s, true)
    s.info.running = false
    s.info.ended = end
    this.recorder.emit({ type: 'capture', info: { ...s.info }, ...(error ? { error } : {}) })
    s.endedResolve()
  }

  private exportFolder(): string {
    if (!this.exportDir) {
      this.exportDir = mkdtempSync(path.join(os.tmpdir(), 'socketlab-export-'))
      removeAtExit(this.exportDir)
    }
    return this.exportDir
  }

  async save(what: CaptureExportKind = 'pcapng'): Promise<CaptureFile> {
    const s = this.session
    if (!s) throw new UserError('Nothing has been captured yet: start a capture first.')
    const base = `socketlab-port${s.info.port}-${stamp(s.info.startedAt)}`
    try {
      if (what === 'pcapng')
        return this.prepared.add({ path: s.file, filename: `${base}.pcapng`, mime: 'application/x-pcapng', temporary: false })
      const input = {
        port: s.info.port,
        interface: s.info.interface,
        startedAt: s.info.startedAt,
        packets: this.packets(),
        pcapng: s.file,
      }
      const target = path.join(this.exportFolder(), `${base}-${Date.now()}-${what}`)
      if (what === 'bundle') {
        await writeBundleZip(target, base, input)
        return this.prepared.add({ path: target, filename: `${base}-evidence.zip`, mime: 'application/zip', temporary: true })
      }
      const e = makeEvidence(input)
      if (what === 'png') {
        const png = await diagramPng(e, s.info.port)
        if (!png.ok) throw new UserError(`No PNG of the diagram here: ${png.reason}. The SVG opens in any browser.`)
        writeFileSync(target, png.png)
        return this.prepared.add({ path: target, filename: `${base}-ladder.png`, mime: 'image/png', temporary: true })
      }
      if (what === 'sheet') {
        writeFileSync(target, e.sheet)
        return this.prepared.add({ path: target, filename: `${base}-answer-sheet.html`, mime: 'text/html', temporary: true })
      }
      writeFileSync(target, e.svg)
      return this.prepared.add({ path: target, filename: `${base}-ladder.svg`, mime: 'image/svg+xml', temporary: true })
    } catch (err) {
      if (err instanceof UserError) throw err
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new UserError('The capture file is not there any more: start a new capture.')
      throw new UserError(`Could not prepare the file: ${err instanceof Error ? err.message : String(err)}`)
    }
  }

  async read(fileId: string, offset: number): Promise<CaptureChunk> {
    try {
      return this.prepared.read(fileId, offset)
    } catch (err) {
      throw new UserError(err instanceof Error ? err.message : String(err))
    }
  }

  fileFor(fileId: string): { path: string; size: number; filename: string; mime: string } | undefined {
    return this.prepared.fileFor(fileId)
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
      this.prepared.clear()
      if (this.exportDir) removeNow(this.exportDir)
      this.exportDir = null
    })
  }

  private dropTemp(): void {
    const dir = this.session?.tmpDir
    if (dir) removeNow(dir)
  }
}
