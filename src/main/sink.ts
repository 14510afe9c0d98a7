// Where `net` and `capture` report what happens, stated as the smallest interfaces they need (as the
// capture matcher's MessageSource does). The host's Recorder implements them; `net` and `capture` never
// import the host, so each can be run and tested with any sink, and the layers stay one-way.

import type { ConnectionInfo, Counters, EngineEvent, ExerciseResult } from '@shared/contract'

/** Lifecycle and state events (everything except raw messages and console lines, which have their own calls). */
export type SinkEvent = Exclude<EngineEvent, { type: 'message' } | { type: 'line' }>

export type ConnectionPatch = Omit<Extract<EngineEvent, { type: 'conn-updated' }>, 'type' | 'connId'>

export interface EventSink {
  emit(event: SinkEvent): void
  /** A line for the console of a server, client or Many-clients run. */
  line(ownerId: string, text: string, level?: 'info' | 'error', connId?: string): void
}

/** What the sockets layer reports: connections, their messages and the exercise's results. */
export interface ConnectionSink extends EventSink {
  /** A new connection; the counters it returns are the exact ones the sink reports. */
  open(conn: ConnectionInfo): Counters
  update(connId: string, patch: ConnectionPatch): void
  close(connId: string, reason: string): void
  /** One complete message; returns the time it was recorded at. `size` in bytes when already known. */
  message(connId: string, dir: 'in' | 'out', data: Uint8Array | string, size?: number): number
  result(ownerId: string, connId: string, result: ExerciseResult): void
}
