// Lab 1, tasks 2 and 3 share one shape: an optional greeting and acknowledgement, then the client
// sends a list and the server answers with a list. What differs (dedup, intersection) is a ListTask.

import type { ExerciseResult } from '@shared/contract'
import { DEFAULT_ACK, GREETING_TEXT } from '@shared/settings'
import type { Expect } from '../wire/framer'
import { clean, isPlainText, parseList, quote, type ListEncodingUsed } from '../wire/parse'
import { writePickle } from '../wire/pickle'
import { formatList } from './sets'
import { greetingWaitMs, serverError, type Action, type Incoming, type PeerContext, type PeerMachine } from './machine'

export interface ListTask {
  /** Server: the answer to the client's list, the lines to print and the result to show. */
  answer(values: number[]): { reply: number[]; lines: string[]; result: ExerciseResult }
  /** Client: lines printed when the list goes out. */
  sending(values: number[]): string[]
  /** Client: judge the server's answer. */
  check(sent: number[], reply: number[]): { lines: string[]; result: ExerciseResult; error?: string }
}

const LIST_EXPECT: Expect = { kind: 'list', leadingText: true }

function pickleProtocol(bytes: Uint8Array): 2 | 3 | 4 | 5 {
  const p = bytes[0] === 0x80 ? bytes[1] : 4
  return p === 2 || p === 3 || p === 5 ? p : 4
}

/** Lists go out as `[3, 14, 15]`, or as a pickle when the peer spoke pickle (auto) or the user chose it. */
export function encodeList(values: number[], ctx: PeerContext, peerPickle?: Uint8Array): string | Uint8Array {
  const mode = ctx.wire.listEncoding
  if (mode === 'pickle' || (mode === 'auto' && peerPickle))
    return writePickle(values, peerPickle ? pickleProtocol(peerPickle) : 4)
  return formatList(values)
}

export class ListServer implements PeerMachine {
  expect: Expect | null = LIST_EXPECT
  private spoken = false
  private greeted = false
  private acknowledged = false

  constructor(
    private readonly ctx: PeerContext,
    private readonly task: ListTask,
  ) {}

  start(): Action[] {
    const actions: Action[] = [{ do: 'print', text: `Got connection from ${this.ctx.peerLabel}` }]
    const mode = this.ctx.wire.greetFirst
    if (mode === 'always') actions.push(...this.greet())
    else if (mode === 'auto') actions.push({ do: 'wait', ms: this.ctx.wire.quietMs })
    return actions
  }

  private greet(): Action[] {
    this.greeted = true
    return [{ do: 'send', data: GREETING_TEXT }]
  }

  silence(): Action[] {
    // The client has not spoken: it is probably waiting for the handout's greeting.
    if (this.spoken || this.greeted || !this.expect) return []
    return this.greet()
  }

  receive(message: Incoming): Action[] {
    this.spoken = true
    if (this.greeted && !this.acknowledged && isPlainText(message.text)) {
      this.acknowledged = true
      return [{ do: 'print', text: clean(message.text) }]
    }
    const parsed = parseList(message.bytes, message.text)
    if (!parsed.ok)
      return [{ do: 'print', text: `Bad list from client: ${parsed.error}`, level: 'error' }, serverError(parsed.error)]
    const { values, encoding } = parsed.value
    const { reply, lines, result } = this.task.answer(values)
    this.expect = null
    return [
      ...lines.map((text): Action => ({ do: 'print', text })),
      { do: 'send', data: encodeList(reply, this.ctx, encoding === 'pickle' ? message.bytes : undefined) },
      { do: 'result', result },
      // The server closes first, so the TIME_WAIT lands here and not on a client bound to a fixed port.
      { do: 'close', reason: 'exchange complete' },
    ]
  }

  ended(): Action[] {
    if (!this.expect) return []
    this.expect = null
    return [{ do: 'print', text: 'The client closed before sending its list', level: 'error' }]
  }
}

type ClientState = 'greeting' | 'answer' | 'over'

export class ListClient implements PeerMachine {
  private state: ClientState = 'greeting'

  constructor(
    private readonly ctx: PeerContext,
    private readonly task: ListTask,
    private readonly values: number[],
    private readonly ack: string = DEFAULT_ACK,
  ) {}

  get expect(): Expect | null {
    if (this.state === 'greeting') return { kind: 'text', known: [GREETING_TEXT] }
    return this.state === 'answer' ? LIST_EXPECT : null
  }

  start(): Action[] {
    if (!this.ctx.wire.answerGreeting) return this.sendList([])
    return [{ do: 'wait', ms: greetingWaitMs(this.ctx.wire) }]
  }

  private sendList(before: Action[]): Action[] {
    this.state = 'answer'
    return [
      ...before,
      ...this.task.sending(this.values).map((text): Action => ({ do: 'print', text })),
      { do: 'send', data: encodeList(this.values, this.ctx) },
      { do: 'wait', ms: this.ctx.wire.replyTimeoutMs },
    ]
  }

  silence(): Action[] {
    if (this.state === 'greeting') return this.sendList([])
    if (this.state !== 'answer') return []
    return this.fail(`No answer from the server within ${this.ctx.wire.replyTimeoutMs / 1000} s`)
  }

  private fail(error: string): Action[] {
    this.state = 'over'
    return [{ do: 'fail', error }]
  }

  receive(message: Incoming): Action[] {
    const text = clean(message.text)
    if (text.startsWith('error:')) return this.fail(`The server answered with an error: ${quote(text, 200)}`)
    if (this.state === 'greeting') {
      if (!isPlainText(message.text)) return this.fail(`Expected a greeting or nothing before the list, got ${quote(text)}`)
      return this.sendList([
        { do: 'print', text },
        { do: 'send', data: this.ack },
      ])
    }
    if (this.state !== 'answer') return []
    // A greeting that arrived after the list went out (a server that greets late): show it, keep waiting.
    if (isPlainText(message.text)) return [{ do: 'print', text }]
    const parsed = parseList(message.bytes, message.text)
    if (!parsed.ok) return this.fail(`The server's answer is malformed: ${parsed.error}`)
    const { lines, result, error } = this.task.check(this.values, parsed.value.values)
    this.state = 'over'
    const printed = lines.map((line): Action => ({ do: 'print', text: line }))
    const verdict: Action[] = error ? [{ do: 'fail', error }] : [{ do: 'done' }]
    return [...printed, { do: 'result', result }, ...verdict, { do: 'close', reason: 'exchange complete' }]
  }

  ended(): Action[] {
    if (this.state === 'over') return []
    return this.fail('The server closed the connection before answering')
  }
}

export type { ListEncodingUsed }
