// One TCP connection driven by a check, on node:net directly (the checker is its own careful peer and
// does not share the app's sessions). Messages are cut by the wire layer's framer, exactly as our own
// peers cut them: complete when they parse, when a line ends, or when the student's program has been
// quiet for a moment. Every chunk in and out goes to the evidence log as it happens, and how the peer
// ended the connection is kept apart: a FIN is a clean close, a reset is a crash or a close with unread
// data (the kernel resets a socket closed before it read everything: how "reads what it is sent" is seen).

import net from 'node:net'
import type { Endpoint } from '@shared/contract'
import { KEEPALIVE_MS } from '../net/server'
import { Framer, type Expect, type Terminator } from '../wire/framer'
import type { EvidenceLog } from './evidence'

/** Bytes kept unread per connection before the checker stops reading (a flooding program). */
const MAX_PENDING = 1024 * 1024

export type ReadResult =
  | {
      kind: 'message'
      /** The message without its line ending. */
      bytes: Buffer
      text: string
      /** The message with the line ending it had (`ack\n` stays `ack\n`). */
      raw: Buffer
      /** The chunks the message arrived in, when it used exactly those (a client that sent `3` and `7` apart). */
      pieces: Buffer[]
      terminator: Terminator
    }
  /** Nothing (complete) arrived in time. */
  | { kind: 'silent' }
  | { kind: 'closed' }
  | { kind: 'reset' }

const ENDING: Record<Terminator, string> = { none: '', lf: '\n', crlf: '\r\n', nul: '\0' }

export type ConnectResult = { ok: true; conn: Conn } | { ok: false; err: NodeJS.ErrnoException; elapsedMs: number; id: number }

export interface ConnectOptions {
  connectTimeoutMs: number
  localPort?: number
  quietMs: number
}

export class Conn {
  /** Chunks that arrived and were not handed to the framer yet (what `collect` returns byte for byte). */
  private queue: Buffer[] = []
  private queued = 0
  private readonly framer = new Framer({ maxMessageBytes: MAX_PENDING })
  /** Chunks handed to the framer since the last message it cut (a client's `3` and `7` sent apart). */
  private sinceFrame: Buffer[] = []
  private lastDataAt = 0
  private wake: (() => void) | null = null
  /** How the peer's side ended, once it did. */
  ended: 'open' | 'peer-closed' | 'peer-reset' = 'open'
  private destroyed = false
  readonly closedPromise: Promise<void>
  /** Round trip of the TCP handshake (connect side), a floor for every wait. */
  rttMs = 0
  readonly local: Endpoint
  readonly remote: Endpoint

  constructor(
    readonly socket: net.Socket,
    readonly id: number,
    private readonly log: EvidenceLog,
    readonly quietMs: number,
  ) {
    socket.setNoDelay(true)
    // Like every socket of the app: a program that vanished is found even between the check's steps.
    socket.setKeepAlive(true, KEEPALIVE_MS)
    this.local = { address: socket.localAddress ?? '', port: socket.localPort ?? 0 }
    this.remote = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 }
    socket.on('data', (d: Buffer) => {
      log.bytes(id, 'in', d)
      this.lastDataAt = Date.now()
      if (this.queued + this.framer.buffered < MAX_PENDING) {
        this.queue.push(d)
        this.queued += d.length
      }
      this.poke()
    })
    socket.on('end', () => {
      if (this.ended === 'open') {
        this.ended = 'peer-closed'
        log.event(id, 'peer-closed')
      }
      this.poke()
    })
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // A reset (or a write into one) is the peer's doing; other errors end the socket without a verdict.
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') {
        if (this.ended !== 'peer-reset') log.event(id, 'peer-reset', { code: err.code })
        this.ended = 'peer-reset'
      } else if (this.ended === 'open') {
        this.ended = 'peer-closed'
        log.event(id, 'peer-closed', { code: err.code ?? 'error' })
      }
      this.poke()
    })
    this.closedPromise = new Promise((resolve) => socket.once('close', () => resolve()))
    socket.on('close', () => this.poke())
  }

  /** Connect as a client would; the failure keeps the error for the doctor. */
  static connect(host: string, port: number, log: EvidenceLog, options: ConnectOptions): Promise<ConnectResult> {
    const id = log.newConn()
    const started = Date.now()
    return new Promise((resolve) => {
      const socket = net.connect({ host, port, localPort: options.localPort })
      const timer = setTimeout(() => {
        socket.destroy()
        const err = Object.assign(new Error(`connect timed out after ${options.connectTimeoutMs} ms`), {
          code: 'CONNECT_TIMEOUT',
        }) as NodeJS.ErrnoException
        log.event(id, 'connect-failed', { code: 'CONNECT_TIMEOUT', remote: { address: host, port } })
        resolve({ ok: false, err, elapsedMs: Date.now() - started, id })
      }, options.connectTimeoutMs)
      socket.once('connect', () => {
        clearTimeout(timer)
        socket.removeAllListeners('error')
        const conn = new Conn(socket, id, log, options.quietMs)
        conn.rttMs = Date.now() - started
        log.event(id, 'connected', { local: conn.local, remote: conn.remote })
        resolve({ ok: true, conn })
      })
      socket.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer)
        socket.destroy()
        log.event(id, 'connect-failed', { code: codeOf(err), remote: { address: host, port } })
        resolve({ ok: false, err, elapsedMs: Date.now() - started, id })
      })
    })
  }

  /** A connection a student's client made to the checker's server. */
  static accepted(socket: net.Socket, log: EvidenceLog, quietMs: number): Conn {
    const conn = new Conn(socket, log.newConn(), log, quietMs)
    log.event(conn.id, 'accepted', { local: conn.local, remote: conn.remote })
    return conn
  }

  private poke(): void {
    const w = this.wake
    this.wake = null
    w?.()
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          if (this.wake === done) this.wake = null
          resolve()
        },
        Math.max(1, ms),
      )
      const done = (): void => {
        clearTimeout(timer)
        resolve()
      }
      this.wake = done
    })
  }

  get open(): boolean {
    return this.ended === 'open' && !this.destroyed
  }

  send(data: string | Uint8Array): void {
    if (this.destroyed || this.socket.destroyed || !this.socket.writable) return
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)
    this.log.bytes(this.id, 'out', bytes)
    this.socket.write(bytes)
  }

  /** Bytes that arrived and are not yet part of a message. */
  get unread(): number {
    return this.queued + this.framer.buffered
  }

  private feed(): void {
    for (const chunk of this.queue) {
      this.framer.push(chunk)
      this.sinceFrame.push(chunk)
    }
    this.queue = []
    this.queued = 0
  }

  /** The next message of the expected shape within `waitMs`, or why none came. */
  async read(expect: Expect, waitMs: number): Promise<ReadResult> {
    const deadline = Date.now() + waitMs
    for (;;) {
      this.feed()
      const now = Date.now()
      const over = this.ended !== 'open' || this.socket.destroyed
      if (this.framer.buffered) {
        // A message whose shape says it is unfinished (an open `[`) gets a longer quiet moment.
        const quietFor = this.framer.unfinished(expect) ? 4 * this.quietMs : this.quietMs
        const quiet = over || now - this.lastDataAt >= quietFor || now >= deadline
        const frame = this.framer.next(expect, quiet)
        if (frame) {
          const bytes = Buffer.from(frame.bytes)
          const raw = Buffer.concat([bytes, Buffer.from(ENDING[frame.terminator])])
          // Chunk boundaries tell two sends apart only when the message used exactly the chunks that came.
          const pieces = this.framer.buffered === 0 ? this.sinceFrame : [raw]
          this.sinceFrame = []
          return { kind: 'message', bytes, text: bytes.toString('utf8'), raw, pieces, terminator: frame.terminator }
        }
        if (this.framer.buffered === 0) continue
      }
      if (over && this.framer.buffered === 0 && this.queued === 0)
        return { kind: this.ended === 'peer-reset' ? 'reset' : 'closed' }
      if (now >= deadline) return { kind: 'silent' }
      const untilQuiet = this.framer.buffered ? this.lastDataAt + this.quietMs - now : Infinity
      await this.sleep(Math.min(deadline - now, Math.max(1, untilQuiet)))
    }
  }

  /**
   * Every byte that arrives until the peer has been quiet for `quietMs` after its last byte (or for
   * `firstWaitMs` when nothing comes at all), without framing: what a check compares byte for byte.
   */
  async collect(firstWaitMs: number, quietMs = this.quietMs): Promise<Buffer> {
    const started = Date.now()
    for (;;) {
      const now = Date.now()
      const have = this.unread > 0
      if (this.ended !== 'open' || this.socket.destroyed) break
      if (!have && now - started >= firstWaitMs) break
      if (have && now - this.lastDataAt >= quietMs) break
      const wait = have ? this.lastDataAt + quietMs - now : started + firstWaitMs - now
      await this.sleep(wait)
    }
    const parts: Buffer[] = []
    if (this.framer.buffered) {
      // Left over from the last message (rare): taken whole, with the ending it had.
      const rest = this.framer.next({ kind: 'text' }, true)
      if (rest) parts.push(Buffer.from(rest.bytes), Buffer.from(ENDING[rest.terminator]))
      this.framer.clear()
    }
    parts.push(...this.queue)
    this.queue = []
    this.queued = 0
    this.sinceFrame = []
    return Buffer.concat(parts)
  }

  /** Wait until the peer ends the connection or `waitMs` passes. */
  async waitEnd(waitMs: number): Promise<'peer-closed' | 'peer-reset' | 'open'> {
    const deadline = Date.now() + waitMs
    while (this.ended === 'open' && !this.socket.destroyed && Date.now() < deadline) await this.sleep(deadline - Date.now())
    if (this.ended === 'open' && this.socket.destroyed) return 'peer-closed'
    return this.ended
  }

  /** Close our side gracefully (FIN after what was sent), then let go of the socket shortly after. */
  async close(lingerMs = 200): Promise<void> {
    if (this.destroyed) return
    this.log.event(this.id, 'closed')
    this.socket.end()
    const timer = setTimeout(() => this.socket.destroy(), lingerMs)
    await Promise.race([this.closedPromise, new Promise((r) => setTimeout(r, lingerMs + 50))])
    clearTimeout(timer)
    this.destroyed = true
    this.socket.destroy()
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.socket.destroy()
  }
}

export function codeOf(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const e = err as { code?: unknown; errors?: unknown[] }
    if (typeof e.code === 'string') return e.code
    if (Array.isArray(e.errors) && e.errors.length) return codeOf(e.errors[0])
  }
  return 'error'
}
