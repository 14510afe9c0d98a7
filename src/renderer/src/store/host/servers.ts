// The servers, clients and Many-clients runs the host has: what each is, whether it still runs, how a
// client ended. Facts from the host only; which one a page shows is UI state (../ui.ts).

import type {
  ClientInfo,
  EngineEvent,
  ErrorDetail,
  ManyClientsStats,
  NetworkInterfaceInfo,
  ServerInfo,
  Snapshot,
} from '@shared/contract'
import { Draft } from './draft'

export interface ServerEntry {
  readonly info: ServerInfo
  readonly running: boolean
  readonly stoppedReason?: string
}

export interface ClientEntry {
  readonly info: ClientInfo
  readonly running: boolean
  readonly ok?: boolean
  readonly error?: string
  readonly detail?: ErrorDetail
  readonly endedAt?: number
}

export interface ServersState {
  readonly servers: Readonly<Record<string, ServerEntry>>
  readonly clients: Readonly<Record<string, ClientEntry>>
  readonly manyClients: Readonly<Record<string, ManyClientsStats>>
  /** This machine's network interfaces, once the Machine page asked. */
  readonly interfaces: readonly NetworkInterfaceInfo[] | null
}

export function initialServers(): ServersState {
  return { servers: {}, clients: {}, manyClients: {}, interfaces: null }
}

/** The drafts one batch folds servers and clients into (the caller prunes and applies them). */
export interface ServersDraft {
  servers: Draft<ServerEntry>
  clients: Draft<ClientEntry>
  manyClients: Draft<ManyClientsStats>
  clientsEnded: boolean
}

export function draftServers(s: ServersState): ServersDraft {
  return {
    servers: new Draft(s.servers),
    clients: new Draft(s.clients),
    manyClients: new Draft(s.manyClients),
    clientsEnded: false,
  }
}

export function foldServerEvent(d: ServersDraft, e: EngineEvent, now: number): void {
  switch (e.type) {
    case 'server-started':
      d.servers.set(e.server.serverId, { info: e.server, running: true })
      break
    case 'server-stopped': {
      const prev = d.servers.value[e.serverId]
      if (prev) d.servers.set(e.serverId, { ...prev, running: false, stoppedReason: e.reason })
      break
    }
    case 'client-started': {
      const prev = d.clients.value[e.client.clientId]
      d.clients.set(e.client.clientId, prev ? { ...prev, info: e.client } : { info: e.client, running: true })
      break
    }
    case 'client-updated': {
      const prev = d.clients.value[e.clientId]
      if (!prev) break
      const info: ClientInfo = { ...prev.info }
      if (e.phase !== undefined) info.phase = e.phase
      if (e.waitingReason !== undefined || e.phase !== undefined) info.waitingReason = e.waitingReason
      if (e.ownServer !== undefined) info.ownServer = e.ownServer
      d.clients.set(e.clientId, { ...prev, info })
      break
    }
    case 'client-ended': {
      const prev = d.clients.value[e.clientId]
      const base: ClientInfo = prev?.info ?? { clientId: e.clientId, exercise: 'greeting', host: '', port: 0, phase: 'ended' }
      const info: ClientInfo = { ...base, phase: 'ended', waitingReason: undefined }
      d.clients.set(e.clientId, { ...prev, info, running: false, ok: e.ok, error: e.error, detail: e.detail, endedAt: now })
      d.clientsEnded = true
      break
    }
    case 'many-clients':
      d.manyClients.set(e.stats.manyClientsId, e.stats)
      break
  }
}

/** The host's servers and clients as a snapshot has them; ours that it does not list have stopped. */
export function snapshotServers(
  s: ServersState,
  snap: Snapshot,
): { servers: Record<string, ServerEntry>; clients: Record<string, ClientEntry>; manyClients: Record<string, ManyClientsStats> } {
  const servers: Record<string, ServerEntry> = {}
  for (const [id, entry] of Object.entries(s.servers))
    servers[id] = entry.running ? { ...entry, running: false, stoppedReason: 'not running' } : entry
  for (const info of snap.servers) servers[info.serverId] = { info, running: true }

  const clients: Record<string, ClientEntry> = {}
  for (const [id, entry] of Object.entries(s.clients)) clients[id] = entry.running ? { ...entry, running: false } : entry
  for (const info of snap.clients) clients[info.clientId] = { ...s.clients[info.clientId], info, running: true }

  const manyClients: Record<string, ManyClientsStats> = { ...s.manyClients }
  for (const st of snap.manyClients) manyClients[st.manyClientsId] = st
  return { servers, clients, manyClients }
}
