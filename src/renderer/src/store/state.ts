// The shape of the one store: the host's facts by domain (./host/*) apart from this window's own state
// (./ui.ts), and the pure reducers that fold host batches and snapshots into it. Everything the UI
// shows is here or derived from here; nothing is counted twice.

import type { ConsoleLine, EventBatch, Snapshot } from '@shared/contract'
import { EXERCISES, type Exercise } from '@shared/settings'
import { initialCapture, foldCapture, snapshotCapture, type CaptureState } from './host/capture'
import { foldConnections, initialConnections, snapshotConnections, type ConnectionsState } from './host/connections'
import {
  draftConsoles,
  foldConsoles,
  initialConsoles,
  snapshotConsoles,
  type ConsolesState,
  type ResultEntry,
} from './host/consoles'
import type { Draft, Patch } from './host/draft'
import {
  draftServers,
  foldServerEvent,
  initialServers,
  snapshotServers,
  type ClientEntry,
  type ServersState,
} from './host/servers'
import { foldTraffic, initialTraffic, snapshotTraffic, type TrafficState } from './host/traffic'
import { LIMITS } from './host/limits'
import { initialUi, type Pane, type UiState } from './ui'
import type { Settings } from './settings'

export { LIMITS } from './host/limits'
export { appendPackets, sameCapture, type CaptureState } from './host/capture'
export { connIdsOf, type ConnectionsState } from './host/connections'
export type { ConsolesState, LimitHit, ResultEntry } from './host/consoles'
export type { ClientEntry, ServerEntry, ServersState } from './host/servers'
export type { TrafficState } from './host/traffic'
export * from './ui'

/** What the host knows, by domain. */
export type HostState = ServersState & ConnectionsState & ConsolesState & TrafficState & CaptureState

export type AppState = HostState & UiState

export function initialState(settings: Settings): AppState {
  return {
    ...initialServers(),
    ...initialConnections(),
    ...initialConsoles(),
    ...initialTraffic(),
    ...initialCapture(),
    ...initialUi(settings),
  }
}

/** Fold one batch into the state: the caller applies the returned patch in one `set`. */
export function reduceBatch(s: AppState, batch: EventBatch, now = Date.now()): Partial<AppState> {
  const servers = draftServers(s)
  for (const e of batch.events) foldServerEvent(servers, e, now)
  const consoles = draftConsoles(s)
  foldConsoles(consoles, batch, now)
  if (servers.clientsEnded) pruneEndedClients(servers.clients, consoles.lines, consoles.results, s.panes)

  const patch: Patch<AppState> = {
    ...foldConnections(s, batch, s.selectedConn),
    ...foldTraffic(s, batch),
    ...foldCapture(s, batch),
  }
  if (servers.servers.changed) patch.servers = servers.servers.value
  if (servers.clients.changed) patch.clients = servers.clients.value
  if (servers.manyClients.changed) patch.manyClients = servers.manyClients.value
  if (consoles.results.changed) patch.results = consoles.results.value
  if (consoles.limits.changed) patch.limits = consoles.limits.value
  if (consoles.lines.changed) patch.lines = consoles.lines.value
  if (batch.droppedLines) patch.droppedLines = s.droppedLines + batch.droppedLines
  return patch
}

/** Forget the oldest finished clients (and their consoles) beyond the bound, except those on a page. */
function pruneEndedClients(
  clients: Draft<ClientEntry>,
  lines: Draft<readonly ConsoleLine[]>,
  results: Draft<readonly ResultEntry[]>,
  panes: Readonly<Record<Exercise, Pane>>,
): void {
  const ended = Object.values(clients.value).filter((c) => !c.running)
  if (ended.length <= LIMITS.endedClients) return
  const shown = new Set(Object.values(panes).map((p) => p.clientId))
  ended.sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0))
  for (const c of ended.slice(0, ended.length - LIMITS.endedClients)) {
    const id = c.info.clientId
    if (shown.has(id)) continue
    clients.delete(id)
    lines.delete(id)
    results.delete(id)
  }
}

/** Bring the state in line with the host's (at start, after a reload and after a reconnection). */
export function reduceSnapshot(s: AppState, snap: Snapshot): Partial<AppState> {
  const { servers, clients, manyClients } = snapshotServers(s, snap)

  // Pages adopt what runs without them (a reload, or a server started from the CLI); after a reload
  // the newest finished client of each exercise too, so its console and result show again.
  const panes = { ...s.panes }
  for (const ex of EXERCISES) {
    const pane = { ...panes[ex] }
    if (!pane.serverId || !servers[pane.serverId]?.running) {
      const running = snap.servers.filter((x) => x.exercise === ex).sort((a, b) => b.startedAt - a.startedAt)[0]
      if (running) pane.serverId = running.serverId
    }
    if (!pane.clientId || !clients[pane.clientId]?.running) {
      const running = snap.clients.filter((x) => x.exercise === ex).pop()
      if (running) pane.clientId = running.clientId
      else if (!pane.clientId) {
        // A reloaded page: the exercise's newest client that has ended, and how it ended (Done or Failed).
        const last = snap.endedClients?.filter((e) => e.client.exercise === ex).at(-1)
        if (last) {
          pane.clientId = last.client.clientId
          clients[last.client.clientId] ??= {
            info: last.client,
            running: false,
            ok: last.ok,
            ...(last.error !== undefined ? { error: last.error } : {}),
            ...(last.detail ? { detail: last.detail } : {}),
            endedAt: last.endedAt,
          }
        }
      }
    }
    panes[ex] = pane
  }
  let manyClientsId = s.manyClientsId
  if (!manyClientsId || !manyClients[manyClientsId]?.running)
    manyClientsId =
      snap.manyClients.find((x) => x.running)?.manyClientsId ?? snap.manyClients.at(-1)?.manyClientsId ?? manyClientsId

  return {
    servers,
    clients,
    manyClients,
    ...snapshotConnections(s, snap),
    ...snapshotConsoles(s, snap),
    ...snapshotTraffic(s, snap),
    ...snapshotCapture(s, snap),
    panes,
    manyClientsId,
  }
}
