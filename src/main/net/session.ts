// One connection running one side of one exercise: bytes in are framed into messages for the
// exercise's machine, its actions are carried out (sends encoded as the peer writes and paced, lines
// printed, results recorded), and every byte and message is counted. Nothing a peer sends can throw
// out of here, hold the event loop, or grow memory without bound:
// - one "awaiting drain" state: while the peer does not read its answers, no more requests are turned
//   into answers and reading pauses; past a cap of unread output the connection is closed;
// - every session takes its messages from one budget per event-loop turn shared by all connections,
//   a small share at a time in round robin (net/turns.ts), and what one turn produces goes out in one write;
// - every wait (quiet moment, pace) follows the link's measured round trip (net/timing.ts).

import type { Socket } from 'node:net'
import type { ClientPhase, CloseHow, Convention, ExerciseResult, Received, WaitingReason } from '@shared/contract'
import type { LimitName, WireSettings } from '@shared/settings'
import { IncomingMessage, type Action, type Answered, type PeerMachine } from '../exercises/machine'
import { formatList } from '@shared/lab'
import { CLOSED_BY_US, RESET_BY_US, type ConnectionHandle, type EventSink, type LineLevel } from '../sink'
import { Framer, type Expect, type Terminator } from '../wire/framer'
import type { ListEncodingUsed } from '../wire/parse'
import { writePickle } from '../wire/pickle'
import { shorten } from '../wire/text'
import type { ConsoleGate } from './console-gate'
import type { LinkTiming } from './timing'
import { turns } from './turns'

export interface SessionOptions {
  ownerId: string
  wire: WireSettings
  conn: ConnectionHandle
  /** Console lines go here (through `console` when a rate limit applies). */
  sink: EventSink
  console?: ConsoleGate
  timing: LinkTiming
  maxMessageBytes: number
  /** Server side: close a client that completes no message within this. */
  handshakeTimeoutMs?: number
  /** Server side: close a client silent this long after its first message. */
  idleTimeoutMs?: number
  /** Close a peer that leaves more than this many of our bytes unread. */
  maxPendingOutputBytes: number
  /** Client side: attach the peer's messages, as received, to each result. */
  keepReceived?: boolean
  /** Print why the exchange failed on the owner's console (off for Many clients, which counts failures). */
  printFailures?: boolean
  onResult?(result: ExerciseResult): void
  /** The exercise finished: ok when it went as the handout says. */
  onFinish?(ok: boolean, error?: string): void
  onClosed?(reason: string, limit?: LimitName): void
  /** A limit closed the connection (for the owner's "limit reached" notice). */
  onLimit?(limit: LimitName, detail: string): void
  onPhase?(phase: ClientPhase, reason?: WaitingReason): void
  onName?(name: string): void
}

const FALLBACK_EXPECT: Expect = { kind: 'text' }
const CLOSE_GRACE_MS = 2000
/**
 * Reading pauses while more bytes than one message may hold wait to be framed (a peer that pipelines
 * flat out): each such peer then costs at most a message and one read, not a backlog of them.
 */
const READ_PAUSE_MIN_BYTES = 16 * 1024
const RECEIVED_KEPT = 8
const RECEIVED_TEXT = 1024
const RECEIVED_HEX_BYTES = 256

const ENDINGS: Record<Terminator, string> = { none: '', lf: '\n', crlf: '\r\n', nul: '\0' }

export class Session {
  // The fields a request touches come first, in the order it touches them: V8 lays an object's fields
  // out in the order they are defined, and under load (1000 clients) every cache line of a session a
  // request reads is a miss. Declared fields without an initializer still take their place here.
  /** The time of the data event being handled (0 outside one): one clock read serves all it does. */
  private now = 0
  // What every request uses, kept on the session itself rather than read through `opts`.
  private readonly conn: ConnectionHandle
  /** When a send that the peer answers at once went out (0: no sample pending). */
  private sampleSince = 0
  private readonly framer: Framer
  private lastDataAt = 0
  private silenceTimer: NodeJS.Timeout | null = null
  private closing = false
  readonly machine: PeerMachine
  private handshakeDone = false
  private pumping = false
  /** A paced send is waiting for its moment. */
  private pacing = false
  private awaitingDrain = false
  private peerEnded = false
  private readonly keepReceived: boolean
  private quietTimer: NodeJS.Timeout | null = null
  /** How the peer speaks, as heard so far (the convention shown with the connection). */
  private heardTerminator: Terminator = 'none'
  private sendsSinceReceive = 0
  readonly socket: Socket
  private readonly wire: WireSettings
  private lastSendAt = 0
  /** When the last whole message came (the idle limit counts from it: dribbled blanks are no activity). */
  private lastMessageAt = 0
  /** The machine's current wait: when it was asked for and for how long (a message arriving may stretch it). */
  private silenceFrom = 0
  private silenceMs = 0
  /** Answers are being held during one pump (or one paced step), to be written together when it ends. */
  private holding = false
  private readonly ownerId: string
  private readonly onResult: ((result: ExerciseResult) => void) | undefined
  // The rest.
  private readonly timing: LinkTiming
  private readonly queue: Action[] = []
  private readPaused = false
  private backlogReported = false
  private closed = false
  private closeReason: string | null = null
  private closeLimit: LimitName | undefined
  /** Who closed first and how: the first of the peer's FIN, its reset or error, and our own close() wins. */
  private closeHow: CloseHow | undefined
  private endedHandled = false
  private finished = false
  private quietFired = false
  /** What is held: the first answer, then the others (made on the second, then reused). */
  private held: string | Buffer | null = null
  private heldMore: (string | Buffer)[] | null = null
  private handshakeTimer: NodeJS.Timeout | null = null
  private graceTimer: NodeJS.Timeout | null = null
  private heardEncoding: ListEncodingUsed | undefined
  private heardProtocol: number | undefined
  private conventionShown = ''
  private received: { bytes: Buffer; seq: number }[] | null = null
  private readonly readPauseBytes: number
  /** The unread-output cap is below what the socket buffers before `write` says "wait". */
  private readonly capBelowMark: boolean
  private readonly opts: SessionOptions

  constructor(socket: Socket, machine: PeerMachine, opts: SessionOptions) {
    this.socket = socket
    this.machine = machine
    this.opts = opts
    this.conn = opts.conn
    this.timing = opts.timing
    this.wire = opts.wire
    this.ownerId = opts.ownerId
    this.onResult = opts.onResult
    this.keepReceived = opts.keepReceived === true
    this.framer = new Framer({ maxMessageBytes: opts.maxMessageBytes })
    this.readPauseBytes = Math.max(READ_PAUSE_MIN_BYTES, opts.maxMessageBytes)
    this.capBelowMark = opts.maxPendingOutputBytes < socket.writableHighWaterMark
  }

  get connId(): string {
    return this.conn.connId
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** Attach to the socket and start the exercise. */
  begin(): void {
    const { socket } = this
    // The same five listener functions for every session (not five closures per connection): each
    // finds its session on the socket.
    ;(socket as SessionSocket)[SESSION] = this
    socket.on('data', onSocketData)
    socket.on('end', onSocketEnd)
    socket.on('error', onSocketError)
    socket.on('close', onSocketClose)
    socket.on('drain', onSocketDrain)
    const { handshakeTimeoutMs } = this.opts
    if (handshakeTimeoutMs) this.handshakeTimer = setTimeout(() => this.handshakeTimedOut(handshakeTimeoutMs), handshakeTimeoutMs)
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

  /** @internal The socket's listeners (below the class). */
  onEnd(): void {
    this.peerEnded = true
    this.closeHow ??= { closedBy: 'peer', closeKind: 'fin' }
    this.pump()
  }

  /** @internal */
  onError(err: NodeJS.ErrnoException): void {
    this.closeReason ??= describeSocketError(err)
    this.closeHow ??= socketErrorHow(err)
  }

  /** @internal The one drain path: the peer read what was waiting, so answering (and reading) may go on. */
  onDrain(): void {
    if (!this.awaitingDrain) return
    this.awaitingDrain = false
    this.updateReading()
    this.pump()
  }

  /** @internal */
  onData(chunk: Buffer): void {
    this.now = Date.now()
    try {
      this.takeChunk(chunk)
    } finally {
      this.now = 0
    }
  }

  /** The time now: the data event's, while one is handled. */
  private clock(): number {
    return this.now || Date.now()
  }

  private takeChunk(chunk: Buffer): void {
    const now = this.now
    this.conn.received(chunk.length)
    if (this.sampleSince) {
      this.timing.sample(now - this.sampleSince)
      this.sampleSince = 0
    }
    if (this.framer.buffered > 0 && this.lastDataAt) this.timing.gap(now - this.lastDataAt)
    this.lastDataAt = now
    // A closing session still reads (and drops) what arrives, so the peer gets a FIN, not a reset.
    if (this.closing) return
    if (this.answerAtOnce(chunk)) return
    this.framer.push(chunk)
    this.quietFired = false
    this.updateReading()
    this.pump()
  }

  /** Pause reading while answers back up or while a flood of requests waits to be framed. */
  private updateReading(): void {
    const pause = this.awaitingDrain || this.framer.buffered > this.readPauseBytes
    if (pause === this.readPaused || this.closing) return
    this.readPaused = pause
    if (pause) this.socket.pause()
    else this.socket.resume()
  }

  /**
   * Deliver complete messages: within this session's share of the turn (net/turns.ts), none while
   * pacing or awaiting drain.
   */
  pump(): void {
    // Actions may call back into pump (deliver → run → pump); the outer loop carries on instead.
    if (this.pumping) return
    this.pumping = true
    const held = this.hold()
    try {
      this.pumpFrames()
    } finally {
      this.pumping = false
      if (held) this.release()
    }
  }

  private pumpFrames(): void {
    // This session's share of the turn, asked for when there is a message to handle (-1: not yet).
    let allowed = -1
    let handled = 0
    try {
      while (!this.pacing && !this.closing && !this.awaitingDrain && this.framer.buffered > 0) {
        if (handled === allowed) {
          // Its share used: the others in line go first (round robin), then this session again.
          turns.wait(this)
          return
        }
        if (allowed < 0 && (allowed = turns.grant(this)) === 0) return
        const frame = this.framer.next(
          this.machine.expect ?? FALLBACK_EXPECT,
          this.quietFired || this.peerEnded,
          this.heardTerminator !== 'none',
        )
        this.noteTerminator(this.framer.lateTerminator, false)
        if (!frame) {
          if (this.framer.tooLong) return this.tooLong()
          if (this.framer.buffered > 0) this.armQuiet()
          break
        }
        this.quietFired = false
        if (frame.bytes.length > this.opts.maxMessageBytes) return this.tooLong()
        handled++
        this.deliver(frame.bytes, frame.terminator)
      }
    } finally {
      if (allowed > 0) turns.refund(allowed - handled)
    }
    this.updateReading()
    if (this.awaitingDrain && this.framer.buffered > 0 && !this.backlogReported) {
      // Requests keep coming while answers go unread: say so once (reading is paused meanwhile).
      this.backlogReported = true
      this.opts.onLimit?.(
        'maxPendingOutputBytes',
        'the peer sends requests without reading the answers: reading from it is paused',
      )
    }
    if (
      this.peerEnded &&
      !this.pacing &&
      !this.closing &&
      !this.endedHandled &&
      this.framer.buffered === 0 &&
      this.queue.length === 0
    ) {
      this.endedHandled = true
      this.run([...this.machine.ended(), { do: 'close', reason: 'peer closed the connection' }])
    }
  }

  private deliver(bytes: Buffer, terminator: Terminator): void {
    this.arrived(bytes, terminator)
    let actions: Action[]
    try {
      actions = this.machine.receive(new IncomingMessage(bytes))
    } catch (err) {
      // A bug in an exercise must not take the server down: report it and close this connection only.
      actions = [
        { do: 'print', text: `Internal error: ${String(err)}`, level: 'error' },
        { do: 'close', reason: 'internal error' },
      ]
    }
    this.run(actions)
  }

  /** A whole message came: it is counted and logged, and the exchange moves on (timers, convention). */
  private arrived(bytes: Buffer, terminator: Terminator): void {
    if (this.quietTimer) {
      clearTimeout(this.quietTimer)
      this.quietTimer = null
    }
    // The machine waited for a message, not for bytes: blanks dribbled or a message never finished do
    // not hold its reply timeout off (see silenceDue for a message still arriving).
    if (this.silenceTimer) {
      clearTimeout(this.silenceTimer)
      this.silenceTimer = null
    }
    this.lastMessageAt = this.clock()
    if (!this.handshakeDone) {
      this.handshakeDone = true
      if (this.handshakeTimer) clearTimeout(this.handshakeTimer)
      this.handshakeTimer = null
      this.lastDataAt ||= this.clock()
    }
    const seq = this.conn.message('in', bytes, bytes.length, this.clock())
    if (this.keepReceived) {
      this.received ??= []
      this.received.push({ bytes, seq })
      if (this.received.length > RECEIVED_KEPT) this.received.shift()
    }
    this.noteTerminator(terminator, true)
    this.sendsSinceReceive = 0
  }

  /**
   * The fast lane under load (Lab 2 q2 with a crowd): a chunk that is one whole request, arriving with
   * nothing else pending, answered at once by a machine that says so (`PeerMachine.answer`), with no
   * framing buffer, action list or held output in between. The message is counted, logged and answered
   * exactly as the usual way would; anything else (a pipelined chunk, a backlog, pacing, a console line
   * to print) goes the usual way. Returns whether it was handled here.
   */
  private answerAtOnce(chunk: Buffer): boolean {
    const { machine } = this
    if (
      !machine.answer ||
      machine.expect?.kind !== 'pair' ||
      !this.handshakeDone ||
      this.pumping ||
      this.pacing ||
      this.awaitingDrain ||
      this.peerEnded ||
      // (Actions wait in the queue only while pacing, checked above: a data event never comes mid-queue.)
      this.keepReceived
    )
      return false
    const length = this.framer.soloPair(chunk)
    if (length < 0) return false
    // A peer that ends its lines sent part of one (`12 3` of `12 34\n`): framed the usual way, at its ending.
    if (this.heardTerminator !== 'none' && this.framer.lateTerminator === 'none') return false
    const bytes = length === chunk.length ? chunk : chunk.subarray(0, length)
    let answered: Answered | null
    try {
      answered = machine.answer(bytes)
    } catch {
      answered = null
    }
    if (!answered) return false
    // Counted against the turn's budget, so a flood waiting in line gets that much less of this turn.
    turns.charge()
    this.arrived(bytes, this.framer.lateTerminator)
    this.send(answered.reply, false, false)
    this.recordResult(answered.result)
    return true
  }

  /**
   * The machine's wait is over. A message still arriving (more than blanks pending, its quiet moment not
   * come) may finish first, a few round trips at most: a large answer over a slow link is not cut off by
   * its reply timeout, and a peer that dribbles bytes forever does not hold the wait off.
   */
  private silenceDue(): void {
    this.silenceTimer = null
    if (this.closing) return
    const now = Date.now()
    const cap = this.silenceFrom + this.silenceMs + this.timing.unfinishedQuietMs()
    if (this.quietTimer && this.framer.hasBody && now < cap) {
      this.silenceTimer = setTimeout(() => this.silenceDue(), Math.max(1, Math.min(this.timing.quietMs(), cap - now)))
      return
    }
    this.run(this.machine.silence())
  }

  private armQuiet(): void {
    if (this.quietTimer) clearTimeout(this.quietTimer)
    const ms = this.framer.unfinished(this.machine.expect ?? FALLBACK_EXPECT)
      ? this.timing.unfinishedQuietMs()
      : this.timing.quietMs()
    this.quietTimer = setTimeout(() => {
      this.quietTimer = null
      this.quietFired = true
      this.pump()
    }, ms)
  }

  // ---- the peer's convention ----

  private noteTerminator(t: Terminator, fromFrame: boolean): void {
    // A late line ending corrects the message before it; a message ended by quiet says "none".
    if (!fromFrame && t === 'none') return
    if (this.heardTerminator === t) return
    this.heardTerminator = t
    this.showConvention()
  }

  private noteEncoding(encoding: ListEncodingUsed, protocol?: number): void {
    if (this.heardEncoding === encoding && this.heardProtocol === protocol) return
    this.heardEncoding = encoding
    this.heardProtocol = protocol
    this.showConvention()
  }

  private showConvention(): void {
    const key = `${this.heardTerminator}/${this.heardEncoding ?? ''}/${this.heardProtocol ?? ''}`
    if (key === this.conventionShown) return
    this.conventionShown = key
    const convention: Convention = { terminator: this.heardTerminator }
    if (this.heardEncoding !== undefined) convention.encoding = this.heardEncoding
    if (this.heardProtocol !== undefined) convention.pickleProtocol = this.heardProtocol
    this.conn.update({ convention })
  }

  // ---- limits ----

  private tooLong(): void {
    const limit = this.opts.maxMessageBytes
    const detail = `message too long (limit ${limit} bytes)`
    this.framer.clear()
    this.limitReached('maxMessageBytes', detail, [
      { do: 'print', text: `Closed: the peer sent a ${detail}`, level: 'error' },
      { do: 'send', data: `error: ${detail}`, raw: true },
    ])
  }

  private handshakeTimedOut(ms: number): void {
    this.handshakeTimer = null
    if (this.closing) return
    const detail = `no message within ${ms / 1000} s of connecting`
    this.limitReached('handshakeTimeoutMs', detail, [
      { do: 'print', text: `Closed: ${detail}`, level: 'error' },
      { do: 'send', data: `error: ${detail}`, raw: true },
    ])
  }

  /**
   * The idle limit, checked by the server's one sweep (no timer per connection, none re-armed per chunk):
   * a client silent this long after its first message is closed.
   */
  checkIdle(now: number): void {
    const idle = this.opts.idleTimeoutMs
    if (!idle || !this.handshakeDone || this.closing) return
    if (now - Math.max(this.lastMessageAt, this.lastSendAt) < idle) return
    const detail = `idle for ${idle / 1000} s`
    this.limitReached('idleTimeoutMs', detail, [
      { do: 'print', text: `Closed: the client was ${detail}`, level: 'error' },
      { do: 'send', data: `error: ${detail}`, raw: true },
    ])
  }

  private limitReached(limit: LimitName, detail: string, actions: Action[]): void {
    this.opts.onLimit?.(limit, detail)
    this.closeLimit = limit
    this.queue.length = 0
    this.pacing = false
    this.run([...actions, { do: 'close', reason: detail }])
  }

  // ---- actions ----

  private run(actions: Action[]): void {
    if (actions.length === 0) return
    if (this.pacing || this.queue.length) {
      for (const a of actions) this.queue.push(a)
      return
    }
    // The common case (a reply that needs no pacing) runs straight through, without the queue.
    for (let i = 0; i < actions.length; i++) {
      const action = actions[i]
      if (this.paceWait(action) > 0) {
        for (let j = i; j < actions.length; j++) this.queue.push(actions[j])
        return this.drainQueue()
      }
      this.perform(action)
      if (this.closed) return
    }
    this.pump()
  }

  /** How long a send must wait so a naive `recv(1024)` sees it apart from the previous one. */
  private paceWait(action: Action): number {
    // The session's own state first: a reply (no send since the request) never reads the action.
    if (this.sendsSinceReceive === 0 || this.wire.paceMs === 0 || (action.do !== 'send' && action.do !== 'send-list')) return 0
    return this.lastSendAt + this.timing.paceMs() - Date.now()
  }

  private drainQueue(): void {
    while (this.queue.length && !this.closed) {
      const wait = this.paceWait(this.queue[0])
      if (wait > 0) {
        this.pacing = true
        setTimeout(() => {
          this.pacing = false
          const held = this.hold()
          this.drainQueue()
          if (held) this.release()
        }, wait)
        return
      }
      this.perform(this.queue.shift()!)
    }
    this.pump()
  }

  private print(text: string, level: LineLevel, always = false): void {
    const { sink, ownerId, conn, console } = this.opts
    if (console && !always && !console.allow()) return
    sink.line(ownerId, text, level, conn.connId)
  }

  private perform(action: Action): void {
    switch (action.do) {
      case 'send':
        return this.send(action.data, action.raw === true, action.awaitReply === true)
      case 'send-list':
        return this.sendList(action.values, action.awaitReply === true)
      case 'heard':
        return this.noteEncoding(action.encoding, action.protocol)
      case 'print':
        return this.print(action.text, action.level ?? 'info', action.always === true)
      case 'result':
        return this.recordResult(action.result)
      case 'name':
        this.conn.update({ clientName: shorten(action.name, 200) })
        return this.opts.onName?.(action.name)
      case 'phase':
        return this.opts.onPhase?.(action.phase, action.reason)
      case 'wait':
        if (this.silenceTimer) clearTimeout(this.silenceTimer)
        this.silenceFrom = this.clock()
        this.silenceMs = action.ms
        this.silenceTimer = setTimeout(() => this.silenceDue(), action.ms)
        return
      case 'close':
        return this.end(action.reason)
      case 'fail':
        if (this.opts.printFailures !== false) this.print(action.error, 'error')
        this.finish(false, action.error)
        return this.end(action.error)
      case 'done':
        return this.finish(true)
    }
  }

  private recordResult(exchange: ExerciseResult): void {
    const result = this.keepReceived && !exchange.received ? { ...exchange, received: this.takeReceived() } : exchange
    this.conn.result(this.ownerId, result, this.clock())
    this.onResult?.(result)
  }

  /** The peer's messages since the last result, as they arrived (bounded). */
  private takeReceived(): Received[] {
    const out = (this.received ?? []).map(({ bytes, seq }) => received(bytes, seq))
    this.received = null
    return out
  }

  private finish(ok: boolean, error?: string): void {
    if (this.finished) return
    this.finished = true
    this.opts.onFinish?.(ok, error)
  }

  private ending(): string {
    const t = this.wire.terminator
    return ENDINGS[t === 'auto' ? this.heardTerminator : t]
  }

  private send(data: string | Uint8Array, raw: boolean, awaitReply: boolean): void {
    if (this.closing || this.socket.destroyed) return
    const end = raw ? '' : this.ending()
    // Text goes to the socket as a string (no intermediate Buffer on the hot path).
    let out: string | Buffer
    if (typeof data === 'string') out = end ? data + end : data
    else {
      const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      out = end ? Buffer.concat([bytes, Buffer.from(end)]) : bytes
    }
    this.write(out, awaitReply)
  }

  private sendList(values: readonly number[], awaitReply: boolean): void {
    if (this.closing || this.socket.destroyed) return
    const setting = this.wire.listEncoding
    const encoding = setting === 'auto' ? (this.heardEncoding ?? 'text') : setting
    if (encoding === 'pickle') {
      const p = this.heardProtocol ?? 4
      const protocol = (p < 2 ? 2 : p > 5 ? 5 : p) as 2 | 3 | 4 | 5
      return this.send(writePickle(values, protocol), false, awaitReply)
    }
    // Raw bytes carry one number per byte and no line ending (a `\n` would be the number 10).
    if (encoding === 'raw' && values.every((v) => Number.isInteger(v) && v >= 0 && v <= 255))
      return this.write(Buffer.from(values), awaitReply)
    return this.send(formatList(values), false, awaitReply)
  }

  private write(out: string | Buffer, awaitReply: boolean): void {
    const size = typeof out === 'string' ? utf8Length(out) : out.length
    const now = this.clock()
    this.conn.message('out', out, size, now)
    this.lastSendAt = now
    this.sendsSinceReceive++
    // Karn: only a first send towards an answer is a round-trip sample.
    if (awaitReply && !this.sampleSince) this.sampleSince = now
    if (!this.holding) this.flush(out)
    else if (this.held === null) this.held = out
    else (this.heldMore ??= []).push(out)
  }

  private flush(out: string | Buffer): void {
    if (this.socket.write(out)) {
      // Below the socket's high-water mark: within the cap, unless the cap is set lower than that mark.
      if (!this.capBelowMark) return
    } else {
      // Respect backpressure: the peer does not read what we send; stop answering and reading until it does.
      this.awaitingDrain = true
      this.updateReading()
    }
    const pending = this.socket.writableLength
    if (pending > this.opts.maxPendingOutputBytes) this.overflow(pending)
  }

  private overflow(pending: number): void {
    const detail = `the peer does not read its answers (${pending} bytes unread)`
    this.opts.onLimit?.('maxPendingOutputBytes', detail)
    this.closeLimit = 'maxPendingOutputBytes'
    this.print(`Closed: ${detail}`, 'error')
    this.closeReason ??= detail
    // Its socket would never flush, and its unread requests would make the kernel reset it anyway:
    // reset it at once, and record it as such.
    this.closeHow ??= RESET_BY_US
    this.end(detail)
    this.socket.resetAndDestroy()
  }

  /** Start holding answers (false: already held by an outer step, which writes them). */
  private hold(): boolean {
    if (this.holding) return false
    this.holding = true
    return true
  }

  /** Write what was held in one go (one syscall for a turn's answers, as `cork` would, without its bookkeeping). */
  private release(): void {
    this.holding = false
    let out = this.held
    if (out === null) return
    this.held = null
    const more = this.heldMore
    if (more !== null && more.length > 0) {
      const box = [out, ...more]
      more.length = 0
      out = box.every((b) => typeof b === 'string')
        ? box.join('')
        : Buffer.concat(box.map((b) => (typeof b === 'string' ? Buffer.from(b) : b)))
    }
    if (!this.socket.destroyed) this.flush(out)
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
    this.closeHow ??= CLOSED_BY_US
    this.clearTimers()
    this.queue.length = 0
    this.framer.clear()
    // What was answered before the close still goes out, then the FIN.
    this.release()
    this.socket.end()
    // Keep reading (and dropping) so the peer gets a FIN rather than a reset.
    this.socket.resume()
    // A peer that never closes its side must not keep the socket forever.
    this.graceTimer = setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS)
    this.graceTimer.unref()
  }

  /** @internal */
  onClose(): void {
    if (this.closed) return
    this.closed = true
    this.closing = true
    turns.forget(this)
    this.clearTimers()
    if (this.graceTimer) clearTimeout(this.graceTimer)
    const reason = this.closeReason ?? 'connection closed'
    if (!this.endedHandled) {
      this.endedHandled = true
      // Let the machine say what was missing (e.g. "closed before answering"), without sending.
      for (const a of this.machine.ended(this.closeHow)) {
        if (a.do === 'print') this.print(a.text, a.level ?? 'info', a.always === true)
        if (a.do === 'result') this.perform(a)
        if (a.do === 'fail') {
          if (this.opts.printFailures !== false) this.print(a.error, 'error')
          this.finish(false, a.error)
        }
        if (a.do === 'done') this.finish(true)
      }
    }
    this.finish(false, reason)
    this.conn.close(reason, this.closeLimit, this.closeHow)
    this.opts.onClosed?.(reason, this.closeLimit)
  }
}

const SESSION = Symbol('session')
type SessionSocket = Socket & { [SESSION]: Session }

function onSocketData(this: SessionSocket, chunk: Buffer): void {
  this[SESSION].onData(chunk)
}
function onSocketEnd(this: SessionSocket): void {
  this[SESSION].onEnd()
}
function onSocketError(this: SessionSocket, err: NodeJS.ErrnoException): void {
  this[SESSION].onError(err)
}
function onSocketClose(this: SessionSocket): void {
  this[SESSION].onClose()
}
function onSocketDrain(this: SessionSocket): void {
  this[SESSION].onDrain()
}

/** The UTF-8 size of a string: a short ASCII one (every lab answer) is counted here, not by a native call. */
function utf8Length(s: string): number {
  if (s.length > 64) return Buffer.byteLength(s)
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s)
  return s.length
}

/** A peer's message as it came: bounded text and hex, its real size, and where it is in the log. */
export function received(bytes: Uint8Array, seq?: number): Received {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const r: Received = {
    text: shorten(b.toString('utf8', 0, Math.min(b.length, RECEIVED_TEXT * 4)), RECEIVED_TEXT),
    hex: b.subarray(0, RECEIVED_HEX_BYTES).toString('hex'),
    size: b.length,
  }
  if (seq !== undefined) r.seq = seq
  return r
}

function describeSocketError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNRESET':
      return 'reset by the peer'
    case 'EPIPE':
      return 'peer closed while we were sending'
    case 'ETIMEDOUT':
      return 'the peer stopped answering (timed out)'
    default:
      return err.code ?? err.message
  }
}

/** What a socket error says of the close: a reset came from the peer, a timeout is nobody's close. */
export function socketErrorHow(err: NodeJS.ErrnoException): CloseHow {
  switch (err.code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return { closedBy: 'peer', closeKind: 'reset' }
    case 'ETIMEDOUT':
      return { closeKind: 'timeout' }
    default:
      return { closeKind: 'error' }
  }
}
