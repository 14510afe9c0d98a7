// Where `net` and `capture` report what happens, stated as the smallest interfaces they need (as the
// capture matcher's MessageSource does). The host's Recorder implements them; `net` and `capture` never
// import the host, so each can be run and tested with any sink, and the layers stay one-way.
//
// A connection is reported through the handle `open()` returns: the handle keeps its exact counters
// and tells the sink it changed, so the sink's next batch visits only the connections that did.

import type { CloseHow, ConnectionInfo, Counters, EngineEvent, ExerciseResult } from '@shared/contract'
import type { LimitName } from '@shared/settings'

/** Lifecycle and state events (everything except raw messages and console lines, which have their own calls). */
export type SinkEvent = Exclude<EngineEvent, { type: 'message' } | { type: 'line' }>

export type ConnectionPatch = Omit<Extract<EngineEvent, { type: 'conn-updated' }>, 'type' | 'connId'>

export type LineLevel = 'info' | 'error' | 'input'

export interface EventSink {
  emit(event: SinkEvent): void
  /** A line for the console of a server, client or Many-clients run. */
  line(ownerId: string, text: string, level?: LineLevel, connId?: string): void
}

/** A new connection, before any byte: the caller knows it all but its `seq`, the sink's opening order. */
export type NewConnection = Omit<ConnectionInfo, 'counters' | 'seq'> & {
  /** A Many-clients connection: its messages go to their own log, so a crowd cannot push out the exercises'. */
  many?: boolean
}

export interface ConnectionHandle {
  readonly connId: string
  readonly counters: Readonly<Counters>
  /** Bytes arrived from the socket (before any framing). */
  received(bytes: number): void
  /**
   * One complete message in or out (out also counts its bytes); returns its number in the traffic log.
   * `t`: when, if the caller has just read the clock (the sink reads it otherwise).
   */
  message(dir: 'in' | 'out', data: Uint8Array | string, size?: number, t?: number): number
  update(patch: ConnectionPatch): void
  /** The connection is closed; `limit` when a limit closed it; `how`: who closed first and how, when known. */
  close(reason: string, limit?: LimitName, how?: CloseHow): void
  result(ownerId: string, result: ExerciseResult, t?: number): void
}

/** The close of a connection SocketLab closed first, in order (its FIN went first). */
export const CLOSED_BY_US: Readonly<CloseHow> = { closedBy: 'us', closeKind: 'fin' }

/** The close of a connection SocketLab reset (a peer that would not read its answers). */
export const RESET_BY_US: Readonly<CloseHow> = { closedBy: 'us', closeKind: 'reset' }

/** What the sockets layer reports: connections, their messages and the exercise's results. */
export interface ConnectionSink extends EventSink {
  open(conn: NewConnection): ConnectionHandle
}
