// Lab 1, task 1: the server greets, the client answers with an acknowledgement, both close. A greeting
// ended with `\n` or `\0` is answered the same way (the session mirrors the peer's ending).

import type { CloseHow } from '@shared/contract'
import { GREETING_TEXT } from '@shared/settings'
import { clean, MAX_SHOWN, quote, shorten, startsWithWord } from '../wire/text'
import { peerLeft, type Action, type Incoming, type PeerContext, type PeerMachine } from './machine'

export class GreetingServer implements PeerMachine {
  expect: PeerMachine['expect'] = { kind: 'text' }

  constructor(private readonly ctx: PeerContext) {}

  start(): Action[] {
    return [
      { do: 'print', text: `Got connection from ${this.ctx.peerLabel}`, always: true },
      { do: 'send', data: GREETING_TEXT, awaitReply: true },
    ]
  }

  receive(message: Incoming): Action[] {
    this.expect = null
    const reply = shorten(clean(message.text))
    return [
      { do: 'print', text: reply },
      { do: 'result', result: { kind: 'greeting', greeting: GREETING_TEXT, ack: reply } },
      { do: 'close', reason: 'exchange complete' },
    ]
  }

  silence(): Action[] {
    return []
  }

  ended(how?: CloseHow): Action[] {
    if (!this.expect) return []
    this.expect = null
    return [{ do: 'print', text: `The client ${peerLeft(how, 'closed')} without an acknowledgement`, level: 'error' }]
  }
}

export class GreetingClient implements PeerMachine {
  expect: PeerMachine['expect'] = { kind: 'text', known: [GREETING_TEXT] }
  private waitingShown = false

  constructor(
    private readonly ctx: PeerContext,
    private readonly ack: string,
  ) {}

  start(): Action[] {
    if (this.ctx.serverBusy?.()) return this.waitTurn()
    return [
      { do: 'phase', phase: 'busy' },
      { do: 'wait', ms: this.ctx.wire.replyTimeoutMs },
    ]
  }

  /** Our own one-at-a-time server is serving someone else: wait for the turn, with no timeout. */
  private waitTurn(): Action[] {
    if (this.waitingShown) return []
    this.waitingShown = true
    return [
      { do: 'phase', phase: 'waiting', reason: 'one-at-a-time' },
      { do: 'print', text: 'waiting: the server is serving another client (one at a time)' },
    ]
  }

  receive(message: Incoming): Action[] {
    this.expect = null
    const greeting = clean(message.text)
    if (startsWithWord(greeting, 'error'))
      return [{ do: 'fail', error: `The server answered with an error: ${quote(greeting, MAX_SHOWN)}` }]
    const shown = shorten(greeting)
    return [
      { do: 'print', text: shown },
      { do: 'send', data: this.ack },
      { do: 'result', result: { kind: 'greeting', greeting: shown, ack: this.ack } },
      { do: 'done' },
      { do: 'close', reason: 'exchange complete' },
    ]
  }

  silence(): Action[] {
    if (!this.expect) return []
    if (this.ctx.serverBusy?.()) return [...this.waitTurn(), { do: 'wait', ms: this.ctx.wire.replyTimeoutMs }]
    this.expect = null
    return [{ do: 'fail', error: `No greeting from the server within ${this.ctx.wire.replyTimeoutMs / 1000} s` }]
  }

  ended(how?: CloseHow): Action[] {
    if (!this.expect) return []
    this.expect = null
    return [{ do: 'fail', error: `The server ${peerLeft(how)} before sending its greeting` }]
  }
}
