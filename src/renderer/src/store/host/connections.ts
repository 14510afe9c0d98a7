// Every live and recent connection, with an index by owner (a server, a client or a Many-clients run)
// so a pane reads its own connections without scanning all of them on each update.

import type { ConnectionInfo, Counters, EngineEvent, EventBatch, Snapshot } from '@shared/contract'
import { Draft, type Patch } from './draft'
import { LIMITS } from './limits'

export interface ConnectionsState {
  readonly connections: Readonly<Record<string, ConnectionInfo>>
  /** connIds of each owner, oldest first. */
  readonly connsByOwner: Readonly<Record<string, readonly string[]>>
  /** Closed connections, oldest first (to drop the oldest beyond the bound). */
  readonly closedOrder: readonly string[]
}

export function initialConnections(): ConnectionsState {
  return { connections: {}, connsByOwner: {}, closedOrder: [] }
}

const NONE: readonly string[] = []

/** The connIds one owner has (live and recent), oldest first. */
export function connIdsOf(s: Pick<ConnectionsState, 'connsByOwner'>, ownerId: string | undefined): readonly string[] {
  return (ownerId && s.connsByOwner[ownerId]) || NONE
}

function sameCounters(a: Counters, b: Counters): boolean {
  return a.bytesIn === b.bytesIn && a.bytesOut === b.bytesOut && a.messagesIn === b.messagesIn && a.messagesOut === b.messagesOut
}

export function foldConnections(s: ConnectionsState, batch: EventBatch, keep: string | undefined): Partial<ConnectionsState> {
  const connections = new Draft(s.connections)
  const byOwner = new Draft(s.connsByOwner)
  let closedAdded: string[] | null = null
  const add = (c: ConnectionInfo): void => {
    const list = byOwner.value[c.ownerId] ?? NONE
    if (!list.includes(c.connId)) byOwner.set(c.ownerId, list.concat(c.connId))
  }
  for (const e of batch.events as readonly EngineEvent[]) {
    switch (e.type) {
      case 'conn-opened':
        connections.set(e.conn.connId, e.conn)
        add(e.conn)
        break
      case 'conn-updated': {
        const prev = connections.value[e.connId]
        if (!prev) break
        const next = { ...prev }
        if (e.state !== undefined) next.state = e.state
        if (e.clientName !== undefined) next.clientName = e.clientName
        if (e.convention !== undefined) next.convention = e.convention
        if (e.local !== undefined) next.local = e.local
        if (e.remote !== undefined) next.remote = e.remote
        connections.set(e.connId, next)
        break
      }
      case 'conn-closed': {
        const prev = connections.value[e.connId]
        if (!prev) break
        if (prev.state !== 'closed') (closedAdded ??= []).push(e.connId)
        connections.set(e.connId, {
          ...prev,
          state: 'closed',
          closedAt: e.at,
          closeReason: e.reason,
          closeLimit: e.limit,
          closedBy: e.closedBy,
          closeKind: e.closeKind,
          counters: e.counters,
        })
        break
      }
    }
  }
  // Exact counters, as of the end of this batch.
  for (const [connId, counters] of Object.entries(batch.counters)) {
    const prev = connections.value[connId]
    if (prev && !sameCounters(prev.counters, counters)) connections.set(connId, { ...prev, counters })
  }
  // Recent closed connections are bounded; live ones never are.
  let closedOrder = s.closedOrder
  if (closedAdded) {
    closedOrder = closedOrder.concat(closedAdded)
    if (closedOrder.length > LIMITS.closedConnections) {
      const drop = closedOrder.length - LIMITS.closedConnections
      const gone = new Set<string>()
      for (const id of closedOrder.slice(0, drop)) {
        if (id === keep) continue
        const c = connections.value[id]
        connections.delete(id)
        if (c) gone.add(c.ownerId)
      }
      for (const owner of gone) {
        const left = (byOwner.value[owner] ?? NONE).filter((id) => id in connections.value)
        if (left.length) byOwner.set(owner, left)
        else byOwner.delete(owner)
      }
      closedOrder = closedOrder.slice(drop)
    }
  }
  const patch: Patch<ConnectionsState> = {}
  if (connections.changed) patch.connections = connections.value
  if (byOwner.changed) patch.connsByOwner = byOwner.value
  if (closedOrder !== s.closedOrder) patch.closedOrder = closedOrder
  return patch
}

/** Index a set of connections by owner, oldest first. */
export function indexByOwner(connections: Readonly<Record<string, ConnectionInfo>>): Record<string, readonly string[]> {
  const out: Record<string, string[]> = {}
  const sorted = Object.values(connections).sort((a, b) => a.openedAt - b.openedAt)
  for (const c of sorted) (out[c.ownerId] ??= []).push(c.connId)
  return out
}

/** The host's live connections; ours it no longer has were closed meanwhile. */
export function snapshotConnections(s: ConnectionsState, snap: Snapshot): ConnectionsState {
  const connections: Record<string, ConnectionInfo> = {}
  const closedOrder: string[] = []
  for (const [id, c] of Object.entries(s.connections)) {
    if (c.state === 'closed') connections[id] = c
    else connections[id] = { ...c, state: 'closed', closeReason: c.closeReason ?? 'gone while disconnected' }
  }
  for (const c of snap.connections) connections[c.connId] = c
  for (const c of Object.values(connections).sort((a, b) => (a.closedAt ?? 0) - (b.closedAt ?? 0))) {
    if (c.state === 'closed') closedOrder.push(c.connId)
  }
  return { connections, connsByOwner: indexByOwner(connections), closedOrder }
}
