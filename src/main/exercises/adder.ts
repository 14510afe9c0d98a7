// Lab 2, questions 1 and 2: the client sends its name, gets `ack`, then `a` sends two numbers bundled
// in one string and the server answers with their sum; `q` quits; anything else is an invalid command.
// Both consoles read like the terminals of the handout's programs: the client echoes what was typed
// (`> a`), the server prints each client's sums and departures.

import type { CloseHow } from '@shared/contract'
import { ADDER_ACK } from '@shared/settings'
import type { Expect } from '../wire/framer'
import { barePair, parseAnswer, parsePair } from '../wire/parse'
import { clean, MAX_SHOWN, quote, shorten, startsWithWord } from '../wire/text'
import { randomInt } from '@shared/lab'
import { peerLeft, serverError, type Action, type Answered, type Incoming, type PeerContext, type PeerMachine } from './machine'

const NAME: Expect = { kind: 'text' }
const PAIR: Expect = { kind: 'pair' }
const MAX_NAME = 200

/** The server's answer to `a b`: the sum to send and the result to record. */
function answered(a: number, b: number): Answered {
  const answer = a + b
  return { reply: String(answer), result: { kind: 'adder', a, b, answer } }
}

export class AdderServer implements PeerMachine {
  expect: Expect | null = NAME
  private name = ''
  /** Whether a console line would be shown now (kept here, not read through the context, on the hot path). */
  private readonly consoleOpen: (() => boolean) | undefined

  constructor(ctx?: Pick<PeerContext, 'consoleOpen'>) {
    this.consoleOpen = ctx?.consoleOpen
  }

  start(): Action[] {
    return []
  }

  receive(message: Incoming): Action[] {
    if (this.expect === NAME) return this.named(clean(message.text))
    // The hot path under Many clients: `3 7` read in the bytes, no text decoded.
    const bare = barePair(message.bytes)
    if (bare) return this.sum(bare[0], bare[1])
    const text = message.text
    const pair = parsePair(text)
    if (!pair.ok) {
      // Some clients tell the server they are leaving.
      if (clean(text) === 'q') {
        this.expect = null
        return [
          { do: 'print', text: `${this.name} left (q)`, always: true },
          { do: 'close', reason: 'client sent q' },
        ]
      }
      return [{ do: 'print', text: `Bad request from ${this.name}: ${pair.error}`, level: 'error' }, serverError(pair.error)]
    }
    return this.sum(pair.value[0], pair.value[1])
  }

  answer(bytes: Buffer): Answered | null {
    // Only a named client's bare pair, and only while no console line would be shown.
    if (this.expect !== PAIR || this.consoleOpen?.() !== false) return null
    const bare = barePair(bytes)
    return bare ? answered(bare[0], bare[1]) : null
  }

  private sum(a: number, b: number): Action[] {
    const { reply, result } = answered(a, b)
    const actions: Action[] = [
      { do: 'send', data: reply },
      { do: 'result', result },
    ]
    // The line is composed only when the console would show it.
    if (this.consoleOpen?.() !== false) actions.push({ do: 'print', text: `${this.name}: ${a} + ${b} = ${reply}` })
    return actions
  }

  private named(name: string): Action[] {
    if (name.length === 0) return [serverError('expected your name first')]
    this.name = shorten(name, MAX_NAME)
    this.expect = PAIR
    return [
      { do: 'print', text: `Connection initiated by ${this.name}`, always: true },
      { do: 'name', name: this.name },
      { do: 'send', data: ADDER_ACK },
    ]
  }

  silence(): Action[] {
    return []
  }

  ended(how?: CloseHow): Action[] {
    const named = this.expect === PAIR
    this.expect = null
    return named ? [{ do: 'print', text: `${this.name} ${peerLeft(how)}`, always: true }] : []
  }
}

type AdderClientState = 'ack' | 'ready' | 'answer' | 'over'

export interface AdderClientOptions {
  /** Print the handout's lines (off for Many clients, which shows counts instead). */
  print: boolean
  /** Called once the server's `ack` arrived. */
  onReady?: () => void
  /** Send one line ending when no `ack` comes (for servers that read lines); off for Many clients. */
  nudge?: boolean
}

export class AdderClient implements PeerMachine {
  private state: AdderClientState = 'ack'
  private readonly queue: string[] = []
  private pending: [number, number] | null = null
  private waitingShown = false
  private nudged = false
  wrong = 0
  answered = 0

  constructor(
    private readonly ctx: PeerContext,
    readonly name: string,
    private readonly options: AdderClientOptions = { print: true, nudge: true },
  ) {}

  get expect(): Expect | null {
    if (this.state === 'ack') return { kind: 'text', known: [ADDER_ACK] }
    return this.state === 'answer' ? { kind: 'number' } : null
  }

  /** Still waiting for its turn (no `ack` yet)? */
  get waiting(): boolean {
    return this.state === 'ack'
  }

  start(): Action[] {
    const busy = this.ctx.serverBusy?.() === true
    return [
      { do: 'name', name: this.name },
      { do: 'send', data: this.name, awaitReply: true },
      { do: 'phase', phase: 'waiting', reason: busy ? 'one-at-a-time' : 'no-reply-yet' },
      // No timeout: a client waiting for its turn at a one-at-a-time server waits, as the handout's would.
      { do: 'wait', ms: busy ? 1 : this.ctx.timing.answerWaitMs() },
    ]
  }

  private print(text: string, level: 'info' | 'error' | 'input' = 'info'): Action[] {
    return this.options.print ? [{ do: 'print', text, level }] : []
  }

  private fail(error: string): Action[] {
    this.state = 'over'
    return [{ do: 'fail', error }]
  }

  command(command: string): Action[] {
    if (this.state === 'over') return []
    if (this.state !== 'ready') {
      this.queue.push(command)
      return []
    }
    const cmd = command.trim()
    const echo = this.print(`> ${shorten(cmd, 80)}`, 'input')
    if (cmd === 'q') {
      this.state = 'over'
      const verdict: Action =
        this.wrong > 0 ? { do: 'fail', error: `${this.wrong} of ${this.answered} answers were wrong` } : { do: 'done' }
      return [...echo, { do: 'phase', phase: 'ended' }, verdict, { do: 'close', reason: 'client quit (q)' }]
    }
    if (cmd === 'a') {
      const a = randomInt(this.ctx.rng, 1, 10)
      const b = randomInt(this.ctx.rng, 1, 10)
      this.pending = [a, b]
      this.state = 'answer'
      return [
        ...echo,
        ...this.print(`Numbers: ${a} ${b}`),
        { do: 'send', data: `${a}${this.ctx.wire.pairSeparator}${b}`, awaitReply: true },
        { do: 'phase', phase: 'busy' },
        { do: 'wait', ms: this.ctx.wire.replyTimeoutMs },
      ]
    }
    return [...echo, ...this.print('Invalid command'), ...this.next()]
  }

  /** Run the next queued command, if any. */
  private next(): Action[] {
    const cmd = this.queue.shift()
    return cmd === undefined ? [] : this.command(cmd)
  }

  receive(message: Incoming): Action[] {
    const text = clean(message.text)
    if (this.state === 'ack') {
      if (startsWithWord(text, 'error')) return this.fail(`The server answered with an error: ${quote(text, MAX_SHOWN)}`)
      if (text !== ADDER_ACK) return this.fail(`Expected "ack" from the server, got ${quote(text)}`)
      this.state = 'ready'
      this.options.onReady?.()
      return [...this.print('ack received from Server'), { do: 'phase', phase: 'ready' }, ...this.next()]
    }
    if (this.state !== 'answer' || !this.pending) {
      return this.print(`Unexpected message from the server: ${quote(text)}`, 'error')
    }
    if (startsWithWord(text, 'error')) return this.fail(`The server answered with an error: ${quote(text, MAX_SHOWN)}`)
    const [a, b] = this.pending
    this.pending = null
    this.state = 'ready'
    const answer = parseAnswer(text)
    // No single number in it (or several without an `=`): malformed; the message stays visible as received.
    if (!answer.ok) return this.fail(`The server's answer is malformed: ${answer.error}`)
    const { value, bare } = answer.value
    const correct = value === a + b
    this.answered++
    if (!correct) this.wrong++
    return [
      ...this.print(`answer received from Server = ${value}${bare ? '' : ` (the server sent ${quote(text)})`}`),
      ...(correct ? [] : this.print(`Wrong answer: ${a} + ${b} = ${a + b}, not ${value}`, 'error')),
      {
        do: 'result',
        result: { kind: 'adder', a, b, answer: value, correct, verdict: correct ? 'correct' : 'wrong' },
      },
      { do: 'phase', phase: 'ready' },
      ...this.next(),
    ]
  }

  silence(): Action[] {
    if (this.state === 'answer') return this.fail(`No answer from the server within ${this.ctx.wire.replyTimeoutMs / 1000} s`)
    if (this.state !== 'ack') return []
    const out: Action[] = []
    const busy = this.ctx.serverBusy?.() === true
    if (!this.waitingShown) {
      this.waitingShown = true
      out.push(
        ...this.print(
          busy
            ? 'waiting: the server is serving another client (one at a time)'
            : 'waiting for "ack": no reply yet (the server may be serving another client, one at a time)',
        ),
      )
    }
    const ending = this.ctx.wire.terminator
    if (!busy && !this.nudged && this.options.nudge && (ending === 'auto' || ending === 'none')) {
      // A server that reads lines (readline, makefile) has not seen our name end: send one line ending.
      // A recv(1024) server gets it glued to the name when its turn comes, which it strips or prints.
      this.nudged = true
      out.push({ do: 'send', data: '\n', raw: true })
    }
    return out
  }

  ended(how?: CloseHow): Action[] {
    if (this.state === 'over') return []
    const left = `The server ${peerLeft(how)}`
    if (this.state === 'answer') return this.fail(`${left} before answering`)
    if (this.state === 'ack') return this.fail(`${left} before sending "ack"`)
    return this.fail(left)
  }
}
