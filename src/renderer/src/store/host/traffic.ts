// The live view of the traffic log: the exercises' messages and, kept apart, Many clients' (a crowd
// never pushes out a student's own exchange), each bounded as the host bounds its log.

import type { EventBatch, Snapshot, TrafficMessage } from '@shared/contract'
import type { Patch } from './draft'
import { LIMITS } from './limits'

export interface TrafficState {
  /** The exercises' messages, oldest first. */
  readonly traffic: readonly TrafficMessage[]
  /** Many clients' messages, oldest first. */
  readonly manyTraffic: readonly TrafficMessage[]
  /** Messages that fell out of this view's window (they left the host's log too). */
  readonly trafficTrimmed: number
  /** Messages the host counted but left out of batches during a flood (in its log, not in this view). */
  readonly droppedMessages: number
}

export function initialTraffic(): TrafficState {
  return { traffic: [], manyTraffic: [], trafficTrimmed: 0, droppedMessages: 0 }
}

function append(
  list: readonly TrafficMessage[],
  add: readonly TrafficMessage[],
): { list: readonly TrafficMessage[]; over: number } {
  const last = list.length ? list[list.length - 1].seq : 0
  const fresh = !add.length || add[0].seq > last ? add : add.filter((m) => m.seq > last)
  if (!fresh.length) return { list, over: 0 }
  const all = list.concat(fresh)
  const over = all.length - LIMITS.traffic
  return over > 0 ? { list: all.slice(over), over } : { list: all, over: 0 }
}

function foldMessages(s: TrafficState, messages: readonly TrafficMessage[]): Partial<TrafficState> {
  if (!messages.length) return {}
  const own: TrafficMessage[] = []
  const many: TrafficMessage[] = []
  for (const m of messages) (m.many ? many : own).push(m)
  const patch: Patch<TrafficState> = {}
  let trimmed = 0
  if (own.length) {
    const r = append(s.traffic, own)
    if (r.list !== s.traffic) patch.traffic = r.list
    trimmed += r.over
  }
  if (many.length) {
    const r = append(s.manyTraffic, many)
    if (r.list !== s.manyTraffic) patch.manyTraffic = r.list
    trimmed += r.over
  }
  if (trimmed) patch.trafficTrimmed = s.trafficTrimmed + trimmed
  return patch
}

export function foldTraffic(s: TrafficState, batch: EventBatch): Partial<TrafficState> {
  const patch = foldMessages(s, batch.messages)
  return batch.droppedMessages ? { ...patch, droppedMessages: s.droppedMessages + batch.droppedMessages } : patch
}

/** The recent traffic a snapshot hands over (a reloaded page shows what it showed). */
export function snapshotTraffic(s: TrafficState, snap: Snapshot): Partial<TrafficState> {
  const patch = foldMessages(s, snap.messages ?? [])
  // The host counts the messages that have left its logs: at least as many left this view.
  const trimmed = Math.max(patch.trafficTrimmed ?? s.trafficTrimmed, snap.droppedMessages ?? 0)
  return trimmed !== s.trafficTrimmed ? { ...patch, trafficTrimmed: trimmed } : patch
}
