// Test helpers over a real Host: real sockets on 127.0.0.1, port 0.

import type { ConsoleLine, EngineEvent, ExerciseResult } from '@shared/contract'
import { Host, type HostOptions } from '../../src/main/host/host'

export interface Watched {
  host: Host
  events: EngineEvent[]
  /** Console lines of one owner (server or client id). */
  lines(ownerId: string): string[]
  results(ownerId: string): ExerciseResult[]
  allLines(): ConsoleLine[]
  waitFor<T extends EngineEvent>(pred: (e: EngineEvent) => e is T, timeoutMs?: number): Promise<T>
  waitUntil(check: () => boolean, what: string, timeoutMs?: number): Promise<void>
}

/** `keep`: which events to remember (a flood of results would otherwise fill the test's own memory). */
export function watchedHost(options: HostOptions = {}, keep: (e: EngineEvent) => boolean = () => true): Watched {
  const host = new Host(options)
  const events: EngineEvent[] = []
  host.onEvent((e) => {
    if (keep(e)) events.push(e)
  })
  const lines = (ownerId: string): string[] =>
    events.flatMap((e) => (e.type === 'line' && e.line.ownerId === ownerId ? [e.line.text] : []))
  const results = (ownerId: string): ExerciseResult[] =>
    events.flatMap((e) => (e.type === 'result' && e.ownerId === ownerId ? [e.result] : []))
  const waitUntil = async (check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> => {
    const start = Date.now()
    while (!check()) {
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
      await new Promise((r) => setTimeout(r, 10))
    }
  }
  return {
    host,
    events,
    lines,
    results,
    allLines: () => events.flatMap((e) => (e.type === 'line' ? [e.line] : [])),
    waitFor: async (pred, timeoutMs = 10_000) => {
      let found: EngineEvent | undefined
      await waitUntil(() => (found = events.find(pred)) !== undefined, 'an event', timeoutMs)
      return found as never
    },
    waitUntil,
  }
}

/** Unwrap a command result or fail the test with its error. */
export function ok<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`command failed: ${result.error}`)
  return result.value
}

export const clientEnded =
  (clientId: string) =>
  (e: EngineEvent): e is Extract<EngineEvent, { type: 'client-ended' }> =>
    e.type === 'client-ended' && e.clientId === clientId

/** One whole adder exchange between our own server and our own client (`a`, then `q`): both ids once the client ended well. */
export async function adderSession(w: Watched, name = 'bob-1'): Promise<{ serverId: string; port: number; clientId: string }> {
  const srv = ok(await w.host.call('serverStart', { exercise: 'adder', host: 'loopback', port: 0, oneAtATime: false }))
  const cli = ok(await w.host.call('clientStart', { exercise: 'adder', host: '127.0.0.1', port: srv.port, params: { name } }))
  for (const command of ['a', 'q']) ok(await w.host.call('clientCommand', { clientId: cli.clientId, command }))
  const ended = await w.waitFor(clientEnded(cli.clientId))
  if (!ended.ok) throw new Error(`the adder client failed: ${ended.error}`)
  return { serverId: srv.serverId, port: srv.port, clientId: cli.clientId }
}
