// Lab 1, tasks 2 and 3 share one shape: an optional greeting and acknowledgement, then the client
// sends a list and the server answers with one or more messages. What differs (dedup, intersection) is
// a ListTask.
//
// The greeting and the acknowledgement are where classmates' programs differ most, and a wrong guess
// crashes them (`ast.literal_eval` on an acknowledgement the server took for the list). So both sides
// follow a flow that works with every style and can never make the other program throw:
// - Server: a client that speaks first (its list, or an acknowledgement before any greeting) is never
//   greeted, since its one `recv()` would get the greeting instead of the answer; a silent client is
//   greeted after a moment that follows the link; plain text before the list is an acknowledgement,
//   wherever it comes.
// - Client: it waits a moment for an optional greeting, then sends its list WITHOUT an acknowledgement
//   (a greeting → list server would take the acknowledgement for the list and crash). A server that
//   has shown it is talking to us (it greeted) and does not answer is one that read our list as the
//   acknowledgement (greeting → ack → list): the client sends the list again. A server that has said
//   nothing at all may be serving another client one at a time: the client waits, as the handout's own
//   `recv()` would, without a timeout. After the first answer it keeps reading a moment more (real
//   dedup servers send the duplicates as a second message) and judges what came, as it came.

import type { CloseHow, ExerciseResult } from '@shared/contract'
import { DEFAULT_ACK, GREETING_TEXT } from '@shared/settings'
import type { Expect } from '../wire/framer'
import { parseList } from '../wire/parse'
import { clean, isPlainText, MAX_SHOWN, quote, shorten, startsWithWord } from '../wire/text'
import {
  GREETING_WAIT_FLOOR_MS,
  peerLeft,
  serverError,
  type Action,
  type Incoming,
  type PeerContext,
  type PeerMachine,
} from './machine'

export interface ListTask {
  /** Server: the messages to send back (the answer, then any more), the lines to print, the result. */
  answer(values: number[]): { replies: number[][]; lines: string[]; result: ExerciseResult }
  /** Client: lines printed when the list goes out. */
  sending(values: number[]): string[]
  /** Client: judge everything the server sent after the list. */
  judge(sent: number[], messages: readonly Incoming[]): { lines: string[]; result: ExerciseResult; error?: string }
}

const LIST_EXPECT: Expect = { kind: 'list', leadingText: true }
const ANSWER_EXPECT: Expect = { kind: 'list', leadingText: false }
const GREETING_EXPECT: Expect = { kind: 'text', known: [GREETING_TEXT] }
/** More acknowledgements than this before a list is not a classmate's program. */
const MAX_TEXTS_BEFORE_LIST = 4
/** Messages after the list that are kept for judging. */
const MAX_ANSWER_MESSAGES = 16

export class ListServer implements PeerMachine {
  expect: Expect | null = LIST_EXPECT
  private spoken = false
  private greeted = false
  private texts = 0

  constructor(
    private readonly ctx: PeerContext,
    private readonly task: ListTask,
  ) {}

  start(): Action[] {
    const actions: Action[] = [{ do: 'print', text: `Got connection from ${this.ctx.peerLabel}`, always: true }]
    const mode = this.ctx.wire.greetFirst
    if (mode === 'always') actions.push(...this.greet())
    else if (mode === 'auto') actions.push({ do: 'wait', ms: this.ctx.timing.speakFirstMs() })
    return actions
  }

  private greet(): Action[] {
    this.greeted = true
    return [{ do: 'send', data: GREETING_TEXT, awaitReply: true }]
  }

  silence(): Action[] {
    // The client has not spoken: it is waiting for the handout's greeting.
    if (this.spoken || this.greeted || !this.expect) return []
    return this.greet()
  }

  receive(message: Incoming): Action[] {
    this.spoken = true
    if (!this.expect) return []
    if (isPlainText(message.text)) {
      // An acknowledgement, before or after our greeting: print it and wait for the list.
      if (++this.texts > MAX_TEXTS_BEFORE_LIST)
        return [serverError('expected a list of numbers'), { do: 'close', reason: 'no list after several messages' }]
      return [{ do: 'print', text: shorten(clean(message.text)) }]
    }
    const parsed = parseList(message.bytes, message.text)
    if (!parsed.ok)
      return [{ do: 'print', text: `Bad list from client: ${parsed.error}`, level: 'error' }, serverError(parsed.error)]
    const { values, encoding, protocol } = parsed.value
    const { replies, lines, result } = this.task.answer(values)
    this.expect = null
    return [
      { do: 'heard', encoding, protocol },
      ...lines.map((text): Action => ({ do: 'print', text })),
      // Several replies are paced by the session, so a `recv(1024)` per message sees each on its own.
      ...replies.map((values): Action => ({ do: 'send-list', values })),
      { do: 'result', result },
      // The server closes first, so the TIME_WAIT lands here and not on a client bound to a fixed port.
      { do: 'close', reason: 'exchange complete' },
    ]
  }

  ended(how?: CloseHow): Action[] {
    if (!this.expect) return []
    this.expect = null
    return [{ do: 'print', text: `The client ${peerLeft(how, 'closed')} before sending its list`, level: 'error' }]
  }
}

type ClientState = 'greeting' | 'answer' | 'collect' | 'over'

export class ListClient implements PeerMachine {
  private state: ClientState = 'greeting'
  /** The server has sent us something: it is serving us (not holding us in its queue). */
  private heardFrom = false
  private resent = false
  private waitingShown = false
  private readonly answers: Incoming[] = []

  constructor(
    private readonly ctx: PeerContext,
    private readonly task: ListTask,
    private readonly values: number[],
    private readonly ack: string = DEFAULT_ACK,
  ) {}

  get expect(): Expect | null {
    if (this.state === 'greeting') return GREETING_EXPECT
    return this.state === 'over' ? null : ANSWER_EXPECT
  }

  start(): Action[] {
    if (this.ctx.wire.acknowledge === 'never') return this.sendList([])
    return [this.phase(), { do: 'wait', ms: this.ctx.timing.greetingWaitMs(GREETING_WAIT_FLOOR_MS) }]
  }

  /** `waiting` while the server may be serving someone else, `busy` once it talks to us. */
  private phase(): Action {
    if (this.heardFrom) return { do: 'phase', phase: 'busy' }
    return { do: 'phase', phase: 'waiting', reason: this.ctx.serverBusy?.() ? 'one-at-a-time' : 'no-reply-yet' }
  }

  private sendList(before: Action[]): Action[] {
    this.state = 'answer'
    return [
      ...before,
      ...this.task.sending(this.values).map((text): Action => ({ do: 'print', text })),
      { do: 'send-list', values: this.values, awaitReply: true },
      this.phase(),
      { do: 'wait', ms: this.heardFrom ? this.ctx.timing.answerWaitMs() : this.firstWait() },
    ]
  }

  /** With nothing heard yet: a short wait to say "waiting" (or at once, for our own busy server). */
  private firstWait(): number {
    return this.ctx.serverBusy?.() ? 1 : this.ctx.timing.answerWaitMs()
  }

  silence(): Action[] {
    switch (this.state) {
      case 'greeting':
        return this.sendList([])
      case 'answer':
        return this.noAnswer()
      case 'collect':
        return this.judge()
      default:
        return []
    }
  }

  private noAnswer(): Action[] {
    const replyS = this.ctx.wire.replyTimeoutMs / 1000
    if (!this.heardFrom) {
      // Nothing at all from the server: it may be serving another client one at a time (the handout's
      // accept loop); its `recv()` will find our list when our turn comes. Wait, as that client would.
      if (this.waitingShown) return []
      this.waitingShown = true
      const busy = this.ctx.serverBusy?.()
      return [
        this.phase(),
        {
          do: 'print',
          text: busy
            ? 'waiting: the server is serving another client (one at a time)'
            : 'waiting: no reply yet (the server may be serving another client, one at a time)',
        },
      ]
    }
    if (!this.resent && this.ctx.wire.acknowledge === 'auto' && this.answers.length === 0) {
      // It greeted, then took our list for the acknowledgement and now waits for the list.
      this.resent = true
      return [
        {
          do: 'print',
          text: 'No answer yet: the server seems to have read our list as its acknowledgement; sending the list again',
        },
        { do: 'send-list', values: this.values },
        { do: 'wait', ms: this.ctx.wire.replyTimeoutMs },
      ]
    }
    if (this.answers.length) return this.judge()
    return this.fail(`No answer from the server within ${replyS} s`)
  }

  private fail(error: string): Action[] {
    this.state = 'over'
    return [{ do: 'fail', error }]
  }

  receive(message: Incoming): Action[] {
    const text = clean(message.text)
    const first = !this.heardFrom
    this.heardFrom = true
    if (startsWithWord(text, 'error')) return this.fail(`The server answered with an error: ${quote(text, MAX_SHOWN)}`)
    if (this.state === 'greeting') {
      // Anything before our list is a greeting, whatever its words (`Welcome to server 2`).
      const before: Action[] = [{ do: 'print', text: shorten(text) }]
      if (this.ctx.wire.acknowledge === 'before-list') before.push({ do: 'send', data: this.ack })
      return this.sendList(before)
    }
    if (this.state === 'over') return []
    if (this.state === 'answer' && isPlainText(message.text)) {
      // A greeting that arrived after the list went out (or words before the answer): show it; a server
      // that greets late may also have taken our list for its acknowledgement, so wait as after a greeting.
      return [
        { do: 'print', text: shorten(text) },
        ...(first ? [this.phase()] : []),
        { do: 'wait', ms: this.ctx.timing.answerWaitMs() },
      ]
    }
    this.answers.push(message)
    // A server that keeps sending (it never reads, or echoes forever) is judged on what it sent first.
    if (this.answers.length >= MAX_ANSWER_MESSAGES) return this.judge()
    this.state = 'collect'
    // Keep reading a moment: the duplicates (or the answer after an echo) may follow as another message.
    return [...(first ? [this.phase()] : []), { do: 'wait', ms: this.ctx.timing.collectMs() }]
  }

  private judge(): Action[] {
    this.state = 'over'
    const { lines, result, error } = this.task.judge(this.values, this.answers)
    const printed = lines.map((line): Action => ({ do: 'print', text: line }))
    const verdict: Action[] = error ? [{ do: 'fail', error }] : [{ do: 'done' }]
    return [...printed, { do: 'result', result }, ...verdict, { do: 'close', reason: 'exchange complete' }]
  }

  ended(how?: CloseHow): Action[] {
    if (this.state === 'over') return []
    if (this.answers.length) return this.judge()
    const left = `The server ${peerLeft(how)}`
    if (this.state === 'greeting') return this.fail(`${left} before sending anything`)
    return this.fail(this.heardFrom ? `${left} after its greeting, without answering the list` : `${left} before answering`)
  }
}
