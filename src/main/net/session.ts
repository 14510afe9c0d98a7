// One connection running one side of one exercise: bytes in are framed into messages for the
// exercise's machine, its actions are carried out (sends paced, lines printed, results recorded),
// and every byte and message is counted. Nothing a peer sends can throw out of here.

import type { Socket } from 'node:net'
import type { Counters, ExerciseResult } from '@shared/contract'
import type { ServerLimits, WireSettings } from '@shared/settings'
import type { Action, PeerMachine } from '../exercises/machine'
import type { ConnectionSink } from '../sink'
import { nextFrame, type Expect } from '../wire/framer'

export interface SessionOptions {
  connId: string
  ownerId: string
  wire: WireSettings
  /** Server side: size and handshake limits. Client side: only the size limit applies. */
  maxMessageBytes: number
  handshakeTimeoutMs?: number
  recorder: ConnectionSink
  counters: Counters
  onResult?(result: ExerciseResult): void
  /** The exercise finished: ok when it went as the handout says. */
  onFinish?(ok: boolean, error?: string): void
  onClosed?(reason: string): void
  /** The limit that closed the connection, for the UI's "limit reached" notice. */
  onLimit?(limit: keyof ServerLimits, detail: string): void
}

const FALLBACK_EXPECT: Expect = { kind: 'text' }
const CLOSE_GRACE_MS = 2000

export class Session {
  private buf: Buffer | null = null
  private readonly queue: Action[] = []
  private busy = false
  private closing = false
  private closed = false
  private closeReason: string | null = null
  private peerEnded = false
  private endedHandled = false
  private finished = false
  private sendsSinceReceive = 0
  private lastSendAt = 0
  private quietTimer: NodeJS.Timeout | null = null
  private silenceTimer: NodeJS.Timeout | null = null
  private handshakeTimer: NodeJS.Timeout | null = null
  private graceTimer: NodeJS.Timeout | null = null
  private quietFired = false
  private pumping = false

  constructor(
    readonly socket: Socket,
    readonly machine: PeerMachine,
    private readonly opts: SessionOptions,
  ) {}

  get connId(): string {
    return this.opts.connId
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** Attach to the socket and start the exercise. */
  begin(): void {
    const { socket } = this
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('end', () => {
      this.peerEnded = true
      this.pump()
    })
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.closeReason ??= describeSocketError(err)
    })
    socket.on('close', () => this.onClose())
    if (this.opts.handshakeTimeoutMs) {
      const ms = this.opts.handshakeTimeoutMs
      this.handshakeTimer = setTimeout(() => this.handshakeTimedOut(ms), ms)
    }
    this.run(this.machine.start())
  }

  /** A command typed by the student (adder client). */
  command(command: string): void {
    if (this.closing || !this.machine.command) return
    this.run(this.machine.command(command))
  }

  /** Close from outside (stop button, server stop). */
  close(reason: string): void {
    this.end(reason)
  }

  // ---- incoming ----

  private onData(chunk: Buffer): void {
    this.opts.counters.bytesIn += chunk.length
    if (this.silenceTimer) {
      clearTimeout(this.silenceTimer)
      this.silenceTimer = null
    }
    if (this.closing) return
    this.buf = this.buf && this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk
    this.quietFired = false
    this.pump()
  }

  /** Deliver every complete message in the buffer, as long as no paced send is in progress. */
  private pump(): void {
    // Actions may call back into pump (deliver → run → drain); the outer loop carries on instead.
    if (this.pumping) return
    this.pumping = true
    try {
      this.pumpFrames()
    } finally {
      this.pumping = false
    }
  }

  private pumpFrames(): void {
    while (!this.busy && !this.closing && this.buf && this.buf.length) {
      const expect = this.machine.expect ?? FALLBACK_EXPECT
      const quiet = this.quietFired || this.peerEnded
      const { skipped, frame } = nextFrame(this.buf, expect, quiet)
      if (!frame) {
        if (skipped) this.buf = this.buf.subarray(skipped)
        if (this.buf.length > this.opts.maxMessageBytes) return this.tooLong()
        if (this.buf.length) this.armQuiet()
        break
      }
      const used = skipped + frame.consumed
      this.buf = used === this.buf.length ? null : this.buf.subarray(used)
      this.quietFired = false
      if (frame.bytes.length > this.opts.maxMessageBytes) return this.tooLong()
      this.deliver(frame.bytes, frame.text)
    }
    if (this.peerEnded && !this.busy && !this.closing && !this.endedHandled && !(this.buf && this.buf.length)) {
      this.endedHandled = true
      this.run([...this.machine.ended(), { do: 'close', reason: 'peer closed the connection' }])
    }
  }

  private deliver(bytes: Buffer, decoded?: string): void {
    if (this.quietTimer) {
      clearTimeout(this.quietTimer)
      this.quietTimer = null
    }
    if (this.handshakeTimer) {
      clearTimeout(this.handshakeTimer)
      this.handshakeTimer = null
    }
    const c = this.opts.counters
    c.messagesIn++
    this.opts.recorder.message(this.opts.connId, 'in', bytes)
    this.sendsSinceReceive = 0
    let actions: Action[]
    try {
      actions = this.machine.receive({ bytes, text: decoded ?? bytes.toString('utf8') })
    } catch (err) {
      // A bug in an exercise must not take the server down: report it and close this connection only.
      actions = [
        { do: 'print', text: `Internal error: ${String(err)}`, level: 'error' },
        { do: 'close', reason: 'internal error' },
      ]
    }
    this.run(actions)
  }

  private armQuiet(): void {
    if (this.quietTimer) clearTimeout(this.quietTimer)
    this.quietTimer = setTimeout(() => {
      this.quietTimer = null
      this.quietFired = true
      this.pump()
    }, this.opts.wire.quietMs)
  }

  private tooLong(): void {
    const limit = this.opts.maxMessageBytes
    const detail = `message too long (limit ${limit} bytes)`
    this.buf = null
    this.opts.onLimit?.('maxMessageBytes', detail)
    this.run([
      { do: 'print', text: `Closed: the peer sent a ${detail}`, level: 'error' },
      { do: 'send', data: `error: ${detail}` },
      { do: 'close', reason: detail },
    ])
  }

  private handshakeTimedOut(ms: number): void {
    this.handshakeTimer = null
    if (this.closing) return
    const detail = `no message within ${ms / 1000} s of connecting`
    this.opts.onLimit?.('handshakeTimeoutMs', detail)
    this.run([
      { do: 'print', text: `Closed: ${detail}`, level: 'error' },
      { do: 'send', data: `error: ${detail}` },
      { do: 'close', reason: `handshake timeout (${detail})` },
    ])
  }

  // ---- actions ----

  private run(actions: Action[]): void {
    if (actions.length === 0) return
    if (this.busy || this.queue.length) {
      for (const a of actions) this.queue.push(a)
      return
    }
    // The common case (a reply that needs no pacing) runs straight through, without the queue.
    for (let i = 0; i < actions.length; i++) {
      const action = actions[i]
      if (this.paceWait(action) > 0) {
        for (let j = i; j < actions.length; j++) this.queue.push(actions[j])
        return this.drain()
      }
      this.perform(action)
      if (this.closing) break
    }
    this.pump()
  }

  /** How long a send must wait so a naive `recv(1024)` sees it apart from the previous one. */
  private paceWait(action: Action): number {
    if (action.do !== 'send' || this.sendsSinceReceive === 0 || this.opts.wire.paceMs === 0) return 0
    return this.lastSendAt + this.opts.wire.paceMs - Date.now()
  }

  private drain(): void {
    while (this.queue.length) {
      const wait = this.paceWait(this.queue[0])
      if (wait > 0) {
        this.busy = true
        setTimeout(() => {
          this.busy = false
          this.drain()
        }, wait)
        return
      }
      this.perform(this.queue.shift()!)
    }
    this.pump()
  }

  private perform(action: Action): void {
    const { recorder, connId, ownerId } = this.opts
    switch (action.do) {
      case 'send':
        return this.send(action.data)
      case 'print':
        return recorder.line(ownerId, action.text, action.level ?? 'info', connId)
      case 'result':
        recorder.result(ownerId, connId, action.result)
        return this.opts.onResult?.(action.result)
      case 'name':
        return recorder.update(connId, { clientName: action.name })
      case 'wait':
        if (this.silenceTimer) clearTimeout(this.silenceTimer)
        this.silenceTimer = setTimeout(() => {
          this.silenceTimer = null
          if (!this.closing) this.run(this.machine.silence())
        }, action.ms)
        return
      case 'close':
        return this.end(action.reason)
      case 'fail':
        recorder.line(ownerId, action.error, 'error', connId)
        this.finish(false, action.error)
        return this.end(action.error)
      case 'done':
        return this.finish(true)
    }
  }

  private finish(ok: boolean, error?: string): void {
    if (this.finished) return
    this.finished = true
    this.opts.onFinish?.(ok, error)
  }

  private send(data: string | Uint8Array): void {
    if (this.closing || this.socket.destroyed) return
    // Text goes to the socket as a string (no intermediate Buffer on the hot path).
    let out: string | Buffer
    if (typeof data === 'string') out = this.opts.wire.lineMode ? `${data}\n` : data
    else {
      const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      out = this.opts.wire.lineMode ? Buffer.concat([bytes, Buffer.from('\n')]) : bytes
    }
    const size = typeof out === 'string' ? Buffer.byteLength(out) : out.length
    const c = this.opts.counters
    c.bytesOut += size
    c.messagesOut++
    this.lastSendAt = this.opts.recorder.message(this.opts.connId, 'out', out, size)
    this.sendsSinceReceive++
    if (!this.socket.write(out)) {
      // Respect backpressure: stop reading from a peer that does not read what we send.
      this.socket.pause()
      this.socket.once('drain', () => this.socket.resume())
    }
  }

  // ---- closing ----

  private clearTimers(): void {
    for (const t of [this.quietTimer, this.silenceTimer, this.handshakeTimer]) if (t) clearTimeout(t)
    this.quietTimer = this.silenceTimer = this.handshakeTimer = null
  }

  private end(reason: string): void {
    if (this.closing) return
    this.closing = true
    this.closeReason ??= reason
    this.clearTimers()
    this.queue.length = 0
    this.socket.end()
    // A peer that never closes its side must not keep the socket forever.
    this.graceTimer = setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS)
    this.graceTimer.unref()
  }

  private onClose(): void {
    if (this.closed) return
    this.closed = true
    this.closing = true
    this.clearTimers()
    if (this.graceTimer) clearTimeout(this.graceTimer)
    const reason = this.closeReason ?? 'connection closed'
    if (!this.endedHandled) {
      this.endedHandled = true
      // Let the machine say what was missing (e.g. "closed before answering"), without sending.
      for (const a of this.machine.ended()) {
        if (a.do === 'print') this.opts.recorder.line(this.opts.ownerId, a.text, a.level ?? 'info', this.opts.connId)
        if (a.do === 'fail') {
          this.opts.recorder.line(this.opts.ownerId, a.error, 'error', this.opts.connId)
          this.finish(false, a.error)
        }
      }
    }
    this.finish(false, reason)
    this.opts.recorder.close(this.opts.connId, reason)
    this.opts.onClosed?.(reason)
  }
}

function describeSocketError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNRESET':
      return 'reset by the peer'
    case 'EPIPE':
      return 'peer closed while we were sending'
    case 'ETIMEDOUT':
      return 'timed out'
    default:
      return err.code ?? err.message
  }
}
