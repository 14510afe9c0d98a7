// What every exercise is: a small state machine per connection side, data in and actions out.
// The session layer turns sockets into messages and runs the actions; exercises never see a socket.

import type { ExerciseResult } from '@shared/contract'
import type { WireSettings } from '@shared/settings'
import type { Expect } from '../wire/framer'
import type { Rng } from './sets'

export interface Incoming {
  bytes: Buffer
  /** The bytes decoded as UTF-8 (invalid sequences replaced). */
  text: string
}

export type Action =
  /** Send; two sends in one step are paced `paceMs` apart so a naive `recv(1024)` sees them apart. */
  | { do: 'send'; data: string | Uint8Array }
  /** A line for this side's console, in the handout's words. */
  | { do: 'print'; text: string; level?: 'info' | 'error' }
  | { do: 'result'; result: ExerciseResult }
  /** The server learned the client's name. */
  | { do: 'name'; name: string }
  /** If the peer sends nothing for `ms`, call `silence()`. Any incoming byte cancels it. */
  | { do: 'wait'; ms: number }
  /** End the connection gracefully (after what was sent). */
  | { do: 'close'; reason: string }
  /** Client: the exchange did not go as the handout says; the connection closes. */
  | { do: 'fail'; error: string }
  /** Client: the exchange went as the handout says. */
  | { do: 'done' }

export interface PeerMachine {
  /** What the next message looks like, or null when none is expected. */
  readonly expect: Expect | null
  start(): Action[]
  receive(message: Incoming): Action[]
  silence(): Action[]
  /** The peer closed or the connection broke. */
  ended(): Action[]
  /** Adder client: a command typed by the student. */
  command?(command: string): Action[]
}

export interface PeerContext {
  wire: WireSettings
  rng: Rng
  /** The peer's address as Python prints it: `('127.0.0.1', 54321)`. */
  peerLabel: string
}

/** Python's `print('Got connection from', addr)`. */
export function pythonAddress(address: string, port: number): string {
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address
  return plain.includes(':') ? `('${plain}', ${port}, 0, 0)` : `('${plain}', ${port})`
}

/** How long a dedup/intersection client waits for an optional greeting before sending its list. */
export function greetingWaitMs(wire: WireSettings): number {
  return Math.max(4 * wire.quietMs, 300)
}

export function serverError(text: string): Action {
  return { do: 'send', data: `error: ${text}` }
}
