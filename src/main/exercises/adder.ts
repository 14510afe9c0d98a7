// Lab 2, questions 1 and 2: the client sends its name, gets `ack`, then `a` sends two numbers bundled
// in one string and the server answers with their sum; `q` quits; anything else is an invalid command.

import { ADDER_ACK } from '@shared/settings'
import type { Expect } from '../wire/framer'
import { clean, parseNumber, parsePair, quote } from '../wire/parse'
import { randomInt } from './sets'
import { serverError, type Action, type Incoming, type PeerContext, type PeerMachine } from './machine'

const NAME: Expect = { kind: 'text' }
const PAIR: Expect = { kind: 'pair' }
const MAX_NAME = 200

export class AdderServer implements PeerMachine {
  expect: Expect | null = NAME

  start(): Action[] {
    return []
  }

  receive(message: Incoming): Action[] {
    if (this.expect === NAME) return this.named(clean(message.text))
    const text = message.text
    const pair = parsePair(text)
    if (!pair.ok) {
      // Some clients tell the server they are leaving.
      if (clean(text) === 'q') {
        this.expect = null
        return [{ do: 'close', reason: 'client sent q' }]
      }
      return [{ do: 'print', text: `Bad request: ${pair.error}`, level: 'error' }, serverError(pair.error)]
    }
    const [a, b] = pair.value
    const answer = a + b
    return [
      { do: 'send', data: String(answer) },
      { do: 'result', result: { kind: 'adder', a, b, answer } },
    ]
  }

  private named(name: string): Action[] {
    if (name.length === 0) return [serverError('expected your name first')]
    const shown = name.length > MAX_NAME ? `${name.slice(0, MAX_NAME)}…` : name
    this.expect = PAIR
    return [
      { do: 'print', text: `Connection initiated by ${shown}` },
      { do: 'name', name: shown },
      { do: 'send', data: ADDER_ACK },
    ]
  }

  silence(): Action[] {
    return []
  }

  ended(): Action[] {
    this.expect = null
    return []
  }
}

/** `student-4821`: a base name plus a random suffix, unique per client instance. */
export function adderName(base: string, rng: () => number): string {
  return `${base}-${randomInt(rng, 1000, 9999)}`
}

type AdderClientState = 'ack' | 'ready' | 'answer' | 'over'

export interface AdderClientOptions {
  /** Print the handout's lines (off for Many clients, which shows counts instead). */
  print: boolean
  /** Called once the server's `ack` arrived. */
  onReady?: () => void
}

export class AdderClient implements PeerMachine {
  private state: AdderClientState = 'ack'
  private readonly queue: string[] = []
  private pending: [number, number] | null = null
  wrong = 0
  answered = 0

  constructor(
    private readonly ctx: PeerContext,
    readonly name: string,
    private readonly options: AdderClientOptions = { print: true },
  ) {}

  get expect(): Expect | null {
    if (this.state === 'ack') return { kind: 'text', known: [ADDER_ACK] }
    return this.state === 'answer' ? { kind: 'number' } : null
  }

  start(): Action[] {
    return [
      { do: 'send', data: this.name },
      { do: 'wait', ms: this.ctx.wire.replyTimeoutMs },
    ]
  }

  private print(text: string, level: 'info' | 'error' = 'info'): Action[] {
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
    if (cmd === 'q') {
      this.state = 'over'
      const verdict: Action =
        this.wrong > 0 ? { do: 'fail', error: `${this.wrong} of ${this.answered} answers were wrong` } : { do: 'done' }
      return [verdict, { do: 'close', reason: 'client quit (q)' }]
    }
    if (cmd === 'a') {
      const a = randomInt(this.ctx.rng, 1, 10)
      const b = randomInt(this.ctx.rng, 1, 10)
      this.pending = [a, b]
      this.state = 'answer'
      return [
        ...this.print(`Numbers: ${a} ${b}`),
        { do: 'send', data: `${a}${this.ctx.wire.pairSeparator}${b}` },
        { do: 'wait', ms: this.ctx.wire.replyTimeoutMs },
      ]
    }
    return [...this.print('Invalid command'), ...this.next()]
  }

  /** Run the next queued command, if any. */
  private next(): Action[] {
    const cmd = this.queue.shift()
    return cmd === undefined ? [] : this.command(cmd)
  }

  receive(message: Incoming): Action[] {
    const text = clean(message.text)
    if (this.state === 'ack') {
      if (text !== ADDER_ACK) return this.fail(`Expected "ack" from the server, got ${quote(text)}`)
      this.state = 'ready'
      this.options.onReady?.()
      return [...this.print('ack received from Server'), ...this.next()]
    }
    if (this.state !== 'answer' || !this.pending) {
      return this.print(`Unexpected message from the server: ${quote(text)}`, 'error')
    }
    if (text.startsWith('error:')) return this.fail(`The server answered with an error: ${quote(text, 200)}`)
    const answer = parseNumber(text)
    if (!answer.ok) return this.fail(`The server's answer is malformed: ${answer.error}`)
    const [a, b] = this.pending
    const correct = answer.value === a + b
    this.pending = null
    this.state = 'ready'
    this.answered++
    if (!correct) this.wrong++
    return [
      ...this.print(`answer received from Server = ${answer.value}`),
      ...(correct ? [] : this.print(`Wrong answer: ${a} + ${b} = ${a + b}, not ${answer.value}`, 'error')),
      { do: 'result', result: { kind: 'adder', a, b, answer: answer.value, correct } },
      ...this.next(),
    ]
  }

  silence(): Action[] {
    if (this.state === 'ack') return this.fail(`No "ack" from the server within ${this.ctx.wire.replyTimeoutMs / 1000} s`)
    if (this.state === 'answer') return this.fail(`No answer from the server within ${this.ctx.wire.replyTimeoutMs / 1000} s`)
    return []
  }

  ended(): Action[] {
    if (this.state === 'over') return []
    if (this.state === 'answer') return this.fail('The server closed the connection before answering')
    if (this.state === 'ack') return this.fail('The server closed the connection before sending "ack"')
    return this.fail('The server closed the connection')
  }
}
