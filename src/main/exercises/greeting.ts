// Lab 1, task 1: the server greets, the client answers with an acknowledgement, both close.

import { GREETING_TEXT } from '@shared/settings'
import { clean, quote } from '../wire/parse'
import type { Action, Incoming, PeerContext, PeerMachine } from './machine'

export class GreetingServer implements PeerMachine {
  expect: PeerMachine['expect'] = { kind: 'text' }

  constructor(private readonly ctx: PeerContext) {}

  start(): Action[] {
    return [
      { do: 'print', text: `Got connection from ${this.ctx.peerLabel}` },
      { do: 'send', data: GREETING_TEXT },
    ]
  }

  receive(message: Incoming): Action[] {
    this.expect = null
    const reply = clean(message.text)
    return [
      { do: 'print', text: reply },
      { do: 'result', result: { kind: 'greeting', greeting: GREETING_TEXT, ack: reply } },
      { do: 'close', reason: 'exchange complete' },
    ]
  }

  silence(): Action[] {
    return []
  }

  ended(): Action[] {
    if (!this.expect) return []
    this.expect = null
    return [{ do: 'print', text: 'The client closed without an acknowledgement', level: 'error' }]
  }
}

export class GreetingClient implements PeerMachine {
  expect: PeerMachine['expect'] = { kind: 'text', known: [GREETING_TEXT] }

  constructor(
    private readonly ctx: PeerContext,
    private readonly ack: string,
  ) {}

  start(): Action[] {
    return [{ do: 'wait', ms: this.ctx.wire.replyTimeoutMs }]
  }

  receive(message: Incoming): Action[] {
    this.expect = null
    const greeting = clean(message.text)
    if (greeting.startsWith('error:'))
      return [{ do: 'fail', error: `The server answered with an error: ${quote(greeting, 200)}` }]
    return [
      { do: 'print', text: greeting },
      { do: 'send', data: this.ack },
      { do: 'result', result: { kind: 'greeting', greeting, ack: this.ack } },
      { do: 'done' },
      { do: 'close', reason: 'exchange complete' },
    ]
  }

  silence(): Action[] {
    if (!this.expect) return []
    this.expect = null
    return [{ do: 'fail', error: `No greeting from the server within ${this.ctx.wire.replyTimeoutMs / 1000} s` }]
  }

  ended(): Action[] {
    if (!this.expect) return []
    this.expect = null
    return [{ do: 'fail', error: 'The server closed the connection before sending its greeting' }]
  }
}
