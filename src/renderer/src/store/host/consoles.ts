// What each server's and client's console printed, the results of its exchanges and the limits it hit.
// A reloaded page gets them back from the snapshot (the host keeps recent ones of every owner).

import type { ConsoleLine, EngineEvent, EventBatch, ExerciseResult, Snapshot } from '@shared/contract'
import { appendBounded, Draft, type Patch } from './draft'
import { LIMITS } from './limits'

export interface ResultEntry {
  readonly connId: string
  readonly t: number
  readonly result: ExerciseResult
}

export interface LimitHit {
  readonly limit: string
  readonly detail: string
  readonly count: number
  readonly at: number
}

export interface ConsolesState {
  readonly lines: Readonly<Record<string, readonly ConsoleLine[]>>
  readonly results: Readonly<Record<string, readonly ResultEntry[]>>
  readonly limits: Readonly<Record<string, readonly LimitHit[]>>
  /** Console lines the host left out of batches during a flood. */
  readonly droppedLines: number
}

export function initialConsoles(): ConsolesState {
  return { lines: {}, results: {}, limits: {}, droppedLines: 0 }
}

export interface ConsolesDraft {
  lines: Draft<readonly ConsoleLine[]>
  results: Draft<readonly ResultEntry[]>
  limits: Draft<readonly LimitHit[]>
}

export function draftConsoles(s: ConsolesState): ConsolesDraft {
  return { lines: new Draft(s.lines), results: new Draft(s.results), limits: new Draft(s.limits) }
}

export function foldConsoles(d: ConsolesDraft, batch: EventBatch, now: number): void {
  for (const e of batch.events as readonly EngineEvent[]) {
    if (e.type === 'result')
      d.results.set(
        e.ownerId,
        appendBounded(d.results.value[e.ownerId], [{ connId: e.connId, t: e.t, result: e.result }], LIMITS.resultsPerOwner),
      )
    else if (e.type === 'limit') {
      const prev = d.limits.value[e.ownerId] ?? []
      const i = prev.findIndex((h) => h.limit === e.limit)
      const hit: LimitHit = { limit: e.limit, detail: e.detail, count: (i >= 0 ? prev[i].count : 0) + 1, at: now }
      d.limits.set(e.ownerId, i >= 0 ? prev.map((h, j) => (j === i ? hit : h)) : [...prev, hit])
    }
  }
  appendLines(d.lines, batch.lines)
}

/** Lines by owner, each after the last one already there (a snapshot and a batch may both carry it). */
function appendLines(lines: Draft<readonly ConsoleLine[]>, add: readonly ConsoleLine[]): void {
  if (!add.length) return
  const byOwner = new Map<string, ConsoleLine[]>()
  for (const line of add) {
    let list = byOwner.get(line.ownerId)
    if (!list) byOwner.set(line.ownerId, (list = []))
    list.push(line)
  }
  for (const [owner, list] of byOwner) {
    const prev = lines.value[owner]
    const last = prev?.length ? prev[prev.length - 1].seq : 0
    const fresh = list[0].seq > last ? list : list.filter((l) => l.seq > last)
    if (fresh.length) lines.set(owner, appendBounded(prev, fresh, LIMITS.linesPerOwner))
  }
}

/** The history a snapshot hands over: what a reloaded page showed before (none twice). */
export function snapshotConsoles(s: ConsolesState, snap: Snapshot): Partial<ConsolesState> {
  const d = draftConsoles(s)
  appendLines(d.lines, snap.lines ?? [])
  const byOwner = new Map<string, ResultEntry[]>()
  for (const r of snap.results ?? []) {
    let list = byOwner.get(r.ownerId)
    if (!list) byOwner.set(r.ownerId, (list = []))
    list.push({ connId: r.connId, t: r.t, result: r.result })
  }
  for (const [owner, list] of byOwner) {
    const prev = d.results.value[owner]
    const last = prev?.length ? prev[prev.length - 1].t : -Infinity
    const fresh = list.filter((r) => r.t > last)
    if (fresh.length) d.results.set(owner, appendBounded(prev, fresh, LIMITS.resultsPerOwner))
  }
  const patch: Patch<ConsolesState> = {}
  if (d.lines.changed) patch.lines = d.lines.value
  if (d.results.changed) patch.results = d.results.value
  return patch
}
