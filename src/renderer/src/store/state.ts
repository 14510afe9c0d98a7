// The shape of the one store, and the pure reducers that fold host batches and snapshots into it.
// Everything the UI shows is here or derived from here; nothing is counted twice.

import type {
  CaptureAvailability,
  CaptureInfo,
  CapturedPacket,
  ClientInfo,
  ConnectionInfo,
  ConsoleLine,
  Counters,
  EventBatch,
  ExerciseResult,
  NetworkInterfaceInfo,
  ServerInfo,
  Snapshot,
  ManyClientsStats,
  TrafficMessage,
} from '@shared/contract'
import { EXERCISES, type Exercise } from '@shared/settings'
import type { LinkStatus } from '../bridge'
import type { Settings } from './settings'

/** Bounds that keep the renderer responsive with 1000 clients and 50,000 messages. */
export const LIMITS = {
  /** Messages kept for the Traffic view (the host keeps its own log; export reads that). */
  traffic: 20_000,
  /** Console lines kept per server or client. */
  linesPerOwner: 2_000,
  /** Exercise results kept per server or client. */
  resultsPerOwner: 200,
  /** Closed connections kept as "recent". */
  closedConnections: 2_000,
  /** Finished clients whose console and results are kept. */
  endedClients: 200,
  /** Captured packets kept for the Capture view (the .pcapng keeps them all). */
  packets: 5_000,
}

export interface ServerEntry {
  info: ServerInfo
  running: boolean
  stoppedReason?: string
}

export interface ClientEntry {
  info: ClientInfo
  running: boolean
  ok?: boolean
  error?: string
  endedAt?: number
}

export interface ResultEntry {
  connId: string
  t: number
  result: ExerciseResult
}

export interface LimitHit {
  limit: string
  detail: string
  count: number
  at: number
}

/** What one exercise page shows: the server and the client it started (or adopted). */
export interface Pane {
  serverId?: string
  clientId?: string
}

export interface FormError {
  error: string
  /** The control it belongs next to; absent: next to the form's main button. */
  field?: string
}

export type Direction = 'all' | 'in' | 'out'

export interface TrafficFilter {
  /** A connId, or text matched against connId and addresses. */
  conn: string
  dir: Direction
  text: string
}

/** The Capture page's form, as typed (not persisted: ports change from one run to the next). */
export interface CaptureForm {
  /** Interface name; empty: the recommended one (the first that captureStatus lists). */
  iface: string
  /** Empty: the port of the newest running server. */
  port: string
}

/** A message to select when the Traffic view opens (a packet's "message" link). */
export interface TrafficFocus {
  seq: number
  /** The packet (Wireshark's No.) that carried it. */
  packet: number
}

export interface AppState {
  link: LinkStatus
  servers: Record<string, ServerEntry>
  clients: Record<string, ClientEntry>
  connections: Record<string, ConnectionInfo>
  /** Closed connections, oldest first (to drop the oldest beyond the bound). */
  closedOrder: string[]
  manyClients: Record<string, ManyClientsStats>
  lines: Record<string, ConsoleLine[]>
  results: Record<string, ResultEntry[]>
  limits: Record<string, LimitHit[]>
  traffic: TrafficMessage[]
  /** Messages that fell out of the Traffic view's window (still in the host's log). */
  trafficTrimmed: number
  /** Messages the host left out of batches during a flood (in its log, never shown here). */
  droppedMessages: number
  /** Console lines the host left out of batches during a flood. */
  droppedLines: number
  panes: Record<Exercise, Pane>
  manyClientsId?: string
  errors: Record<string, FormError | undefined>
  settings: Settings
  interfaces: NetworkInterfaceInfo[] | null
  trafficFilter: TrafficFilter
  selectedConn?: string
  trafficFocus?: TrafficFocus
  /** Can tshark capture here? null until the Capture page asked. */
  captureStatus: CaptureAvailability | null
  /** The current (or last) capture. */
  capture: CaptureInfo | null
  /** Why the last capture ended on its own (tshark's error in plain words). */
  captureError?: string
  /** Its packets, oldest first, at most LIMITS.packets. */
  packets: CapturedPacket[]
  captureForm: CaptureForm
}

export function initialState(settings: Settings): AppState {
  return {
    link: { state: 'connecting', attempt: 0, wasOpen: false },
    servers: {},
    clients: {},
    connections: {},
    closedOrder: [],
    manyClients: {},
    lines: {},
    results: {},
    limits: {},
    traffic: [],
    trafficTrimmed: 0,
    droppedMessages: 0,
    droppedLines: 0,
    panes: Object.fromEntries(EXERCISES.map((e) => [e, {}])) as Record<Exercise, Pane>,
    errors: {},
    settings,
    interfaces: null,
    trafficFilter: { conn: '', dir: 'all', text: '' },
    captureStatus: null,
    capture: null,
    packets: [],
    captureForm: { iface: '', port: '' },
  }
}

/** A record copied at most once per reduction, however many entries change. */
class Draft<T> {
  private copied = false
  constructor(public value: Record<string, T>) {}
  get changed(): boolean {
    return this.copied
  }
  set(key: string, v: T): void {
    if (!this.copied) {
      this.value = { ...this.value }
      this.copied = true
    }
    this.value[key] = v
  }
  delete(key: string): void {
    if (!(key in this.value)) return
    if (!this.copied) {
      this.value = { ...this.value }
      this.copied = true
    }
    delete this.value[key]
  }
}

function appendBounded<T>(list: readonly T[] | undefined, add: readonly T[], max: number): T[] {
  const all = list ? list.concat(add) : add.slice()
  return all.length > max ? all.slice(all.length - max) : all
}

/** A capture is known by when it started: a new one starts its packet list (and numbering) over. */
export function sameCapture(a: CaptureInfo | null | undefined, b: CaptureInfo | null | undefined): boolean {
  return !!a && !!b && a.startedAt === b.startedAt && a.port === b.port && a.interface === b.interface
}

/**
 * Append packets of the current capture, skipping any already there (a snapshot and the next batch
 * may both carry the newest ones), keeping the last `max`.
 */
export function appendPackets(list: CapturedPacket[], add: readonly CapturedPacket[], max = LIMITS.packets): CapturedPacket[] {
  const last = list.length ? list[list.length - 1].no : 0
  const fresh = add.length && add[0].no > last ? add : add.filter((p) => p.no > last)
  if (!fresh.length) return list
  const all = list.concat(fresh)
  return all.length > max ? all.slice(all.length - max) : all
}

function sameCounters(a: Counters, b: Counters): boolean {
  return a.bytesIn === b.bytesIn && a.bytesOut === b.bytesOut && a.messagesIn === b.messagesIn && a.messagesOut === b.messagesOut
}

/** Fold one batch into the state: the caller applies the returned patch in one `set`. */
export function reduceBatch(s: AppState, batch: EventBatch, now = Date.now()): Partial<AppState> {
  const servers = new Draft(s.servers)
  const clients = new Draft(s.clients)
  const connections = new Draft(s.connections)
  const manyClients = new Draft(s.manyClients)
  const results = new Draft(s.results)
  const limits = new Draft(s.limits)
  const lines = new Draft(s.lines)
  let closedOrder = s.closedOrder
  let closedAdded: string[] | null = null
  let clientsEnded = false
  let capture = s.capture
  let captureError = s.captureError
  let packets = s.packets

  for (const e of batch.events) {
    switch (e.type) {
      case 'server-started':
        servers.set(e.server.serverId, { info: e.server, running: true })
        break
      case 'server-stopped': {
        const prev = servers.value[e.serverId]
        if (prev) servers.set(e.serverId, { ...prev, running: false, stoppedReason: e.reason })
        break
      }
      case 'client-started': {
        const prev = clients.value[e.client.clientId]
        clients.set(e.client.clientId, prev ? { ...prev, info: e.client } : { info: e.client, running: true })
        break
      }
      case 'client-ended': {
        const prev = clients.value[e.clientId]
        const info: ClientInfo = prev?.info ?? { clientId: e.clientId, exercise: 'greeting', host: '', port: 0 }
        clients.set(e.clientId, { ...prev, info, running: false, ok: e.ok, error: e.error, endedAt: now })
        clientsEnded = true
        break
      }
      case 'conn-opened':
        connections.set(e.conn.connId, e.conn)
        break
      case 'conn-updated': {
        const prev = connections.value[e.connId]
        if (!prev) break
        const next = { ...prev }
        if (e.state !== undefined) next.state = e.state
        if (e.clientName !== undefined) next.clientName = e.clientName
        if (e.local !== undefined) next.local = e.local
        if (e.remote !== undefined) next.remote = e.remote
        connections.set(e.connId, next)
        break
      }
      case 'conn-closed': {
        const prev = connections.value[e.connId]
        if (!prev) break
        if (prev.state !== 'closed') (closedAdded ??= []).push(e.connId)
        connections.set(e.connId, { ...prev, state: 'closed', closedAt: e.at, closeReason: e.reason, counters: e.counters })
        break
      }
      case 'result':
        results.set(
          e.ownerId,
          appendBounded(results.value[e.ownerId], [{ connId: e.connId, t: now, result: e.result }], LIMITS.resultsPerOwner),
        )
        break
      case 'limit': {
        const prev = limits.value[e.ownerId] ?? []
        const i = prev.findIndex((h) => h.limit === e.limit)
        const hit: LimitHit = { limit: e.limit, detail: e.detail, count: (i >= 0 ? prev[i].count : 0) + 1, at: now }
        limits.set(e.ownerId, i >= 0 ? prev.map((h, j) => (j === i ? hit : h)) : [...prev, hit])
        break
      }
      case 'many-clients':
        manyClients.set(e.stats.manyClientsId, e.stats)
        break
      case 'capture':
        if (e.info && !sameCapture(capture, e.info)) {
          // A new capture: its packets are numbered from 1 again.
          packets = []
          captureError = undefined
        }
        capture = e.info
        if (e.error) captureError = e.error
        break
      case 'packets':
        packets = appendPackets(packets, e.packets)
        break
    }
  }

  // Exact counters, as of the end of this batch.
  for (const [connId, counters] of Object.entries(batch.counters)) {
    const prev = connections.value[connId]
    if (prev && !sameCounters(prev.counters, counters)) connections.set(connId, { ...prev, counters })
  }

  // Recent closed connections are bounded; live ones never are.
  if (closedAdded) {
    closedOrder = closedOrder.concat(closedAdded)
    if (closedOrder.length > LIMITS.closedConnections) {
      const drop = closedOrder.length - LIMITS.closedConnections
      for (const id of closedOrder.slice(0, drop)) if (id !== s.selectedConn) connections.delete(id)
      closedOrder = closedOrder.slice(drop)
    }
  }

  if (batch.lines.length) {
    const byOwner = new Map<string, ConsoleLine[]>()
    for (const line of batch.lines) {
      let list = byOwner.get(line.ownerId)
      if (!list) byOwner.set(line.ownerId, (list = []))
      list.push(line)
    }
    for (const [owner, add] of byOwner) lines.set(owner, appendBounded(lines.value[owner], add, LIMITS.linesPerOwner))
  }

  if (clientsEnded) pruneEndedClients(clients, lines, results, s.panes)

  const patch: Partial<AppState> = {}
  if (servers.changed) patch.servers = servers.value
  if (clients.changed) patch.clients = clients.value
  if (connections.changed) patch.connections = connections.value
  if (closedOrder !== s.closedOrder) patch.closedOrder = closedOrder
  if (manyClients.changed) patch.manyClients = manyClients.value
  if (results.changed) patch.results = results.value
  if (limits.changed) patch.limits = limits.value
  if (lines.changed) patch.lines = lines.value
  if (batch.messages.length) {
    const all = s.traffic.concat(batch.messages)
    const over = all.length - LIMITS.traffic
    patch.traffic = over > 0 ? all.slice(over) : all
    if (over > 0) patch.trafficTrimmed = s.trafficTrimmed + over
  }
  if (batch.droppedMessages) patch.droppedMessages = s.droppedMessages + batch.droppedMessages
  if (batch.droppedLines) patch.droppedLines = s.droppedLines + batch.droppedLines
  if (capture !== s.capture) patch.capture = capture
  if (captureError !== s.captureError) patch.captureError = captureError
  if (packets !== s.packets) patch.packets = packets
  return patch
}

/** Forget the oldest finished clients (and their consoles) beyond the bound, except those on a page. */
function pruneEndedClients(
  clients: Draft<ClientEntry>,
  lines: Draft<ConsoleLine[]>,
  results: Draft<ResultEntry[]>,
  panes: Record<Exercise, Pane>,
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

/** Bring the state in line with the host's (at start and after a reconnection). */
export function reduceSnapshot(s: AppState, snap: Snapshot): Partial<AppState> {
  const servers: Record<string, ServerEntry> = {}
  for (const [id, entry] of Object.entries(s.servers))
    servers[id] = entry.running ? { ...entry, running: false, stoppedReason: 'not running' } : entry
  for (const info of snap.servers) servers[info.serverId] = { info, running: true }

  const clients: Record<string, ClientEntry> = {}
  for (const [id, entry] of Object.entries(s.clients)) clients[id] = entry.running ? { ...entry, running: false } : entry
  for (const info of snap.clients) clients[info.clientId] = { ...s.clients[info.clientId], info, running: true }

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

  const manyClients: Record<string, ManyClientsStats> = { ...s.manyClients }
  for (const st of snap.manyClients) manyClients[st.manyClientsId] = st

  // Pages adopt what runs without them (a reload, or a server started from the CLI).
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
    }
    panes[ex] = pane
  }
  let manyClientsId = s.manyClientsId
  if (!manyClientsId || !manyClients[manyClientsId]?.running)
    manyClientsId = snap.manyClients.find((x) => x.running)?.manyClientsId ?? manyClientsId

  // The capture as the host has it; packets a batch brought meanwhile are kept (none twice).
  const capture = snap.capture
  let packets = s.packets
  if (!capture) packets = []
  else if (snap.capturePackets) {
    const same = sameCapture(s.capture, capture)
    packets = appendPackets(snap.capturePackets.slice(-LIMITS.packets), same ? s.packets : [])
  } else if (!sameCapture(s.capture, capture)) packets = []

  return { servers, clients, connections, closedOrder, manyClients, panes, manyClientsId, capture, packets }
}
