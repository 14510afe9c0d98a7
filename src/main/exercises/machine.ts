// What every exercise is: a small state machine per connection side, data in and actions out.
// The session layer turns sockets into messages and runs the actions; exercises never see a socket.
// How a message is encoded on the wire (the peer's line ending, pickle or raw bytes) is the session's
// job too: a machine sends text or a list, and says what it learned of how the peer writes lists.

import type { ClientPhase, CloseHow, ExerciseResult, WaitingReason } from '@shared/contract'
import type { WireSettings } from '@shared/settings'
import type { Expect } from '../wire/framer'
import type { ListEncodingUsed } from '../wire/parse'
import type { Rng } from '@shared/lab'

export interface Incoming {
  readonly bytes: Buffer
  /** The bytes decoded as UTF-8 (invalid sequences replaced). */
  readonly text: string
}

/** A message as the session hands it over: its text is decoded when a machine first reads it. */
export class IncomingMessage implements Incoming {
  private decoded: string | undefined
  constructor(readonly bytes: Buffer) {}
  get text(): string {
    return (this.decoded ??= this.bytes.toString('utf8'))
  }
}

export type Action =
  /**
   * Send text (with the peer's line ending, as it uses one) or bytes as they are (`raw`). Two sends in a
   * row are paced so a naive `recv(1024)` sees them apart. `awaitReply`: the peer answers this at once,
   * so the time to its reply is a round-trip sample.
   */
  | { do: 'send'; data: string | Uint8Array; awaitReply?: boolean; raw?: boolean }
  /** Send a list, encoded as the peer writes lists (text, pickle at its protocol, raw bytes) unless a setting says otherwise. */
  | { do: 'send-list'; values: readonly number[]; awaitReply?: boolean }
  /** The peer wrote a list this way: answer in kind. */
  | { do: 'heard'; encoding: ListEncodingUsed; protocol?: number }
  /**
   * A line for this side's console, in the handout's words; `input` echoes what the student typed.
   * `always`: never left out by the console's rate limit (a client arriving or leaving, not each sum).
   */
  | { do: 'print'; text: string; level?: 'info' | 'error' | 'input'; always?: boolean }
  | { do: 'result'; result: ExerciseResult }
  /** The server learned the client's name (or the client announces its own). */
  | { do: 'name'; name: string }
  /** If the peer sends nothing for `ms`, call `silence()`. Any incoming byte cancels it. */
  | { do: 'wait'; ms: number }
  /** Client: where it is in the exchange (what its pane may enable). */
  | { do: 'phase'; phase: ClientPhase; reason?: WaitingReason }
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
  /** The peer closed or the connection broke (`how`: what the socket saw; absent: the peer's FIN). */
  ended(how?: CloseHow): Action[]
  /** Adder client: a command typed by the student. */
  command?(command: string): Action[]
  /**
   * The fast lane under load: a request this machine answers at once and without changing its state,
   * exactly as `receive` would with no console line to print (the console's rate limit is reached):
   * the reply's text and the result. Null for anything else, which then goes to `receive`.
   */
  answer?(bytes: Buffer): Answered | null
}

/** What `answer` gives: one reply to send, one result to record. */
export interface Answered {
  reply: string
  result: ExerciseResult
}

/** The waits a machine needs, from the connection's measured round trip (see net/timing.ts). */
export interface PeerTiming {
  greetingWaitMs(floor: number): number
  speakFirstMs(): number
  answerWaitMs(): number
  collectMs(): number
}

export interface PeerContext {
  wire: WireSettings
  rng: Rng
  /** The peer's address as Python prints it: `('127.0.0.1', 54321)`. */
  peerLabel: string
  timing: PeerTiming
  /** Client: the server is one of this app's own, one at a time, and busy with another client now. */
  serverBusy?: () => boolean
  /** Would a routine console line be shown now (the console's rate limit)? A hot path skips composing it. */
  consoleOpen?: () => boolean
}

/** Python's `print('Got connection from', addr)`. */
export function pythonAddress(address: string, port: number): string {
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address
  return plain.includes(':') ? `('${plain}', ${port}, 0, 0)` : `('${plain}', ${port})`
}

/** The shortest wait for an optional greeting (a fast LAN's value; the link's round trip stretches it). */
export const GREETING_WAIT_FLOOR_MS = 400

export function serverError(text: string): Action {
  return { do: 'send', data: `error: ${text}` }
}

/**
 * What the peer did, in words for a console line after its name: `closed` (its FIN: the words the
 * caller gives), `reset the connection`, or, when nobody closed it (a vanished peer, found by keepalive
 * or by retransmissions), `stopped answering (the connection timed out)`.
 */
export function peerLeft(how: CloseHow | undefined, closed = 'closed the connection'): string {
  if (how?.closedBy === 'us') return 'was disconnected by this side'
  if (how?.closeKind === 'timeout') return 'stopped answering (the connection timed out)'
  if (how?.closeKind === 'reset' && how.closedBy === 'peer') return 'reset the connection'
  if (how?.closeKind === 'error') return 'was cut off (a socket error)'
  return closed
}
