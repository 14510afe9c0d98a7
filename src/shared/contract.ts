// The one contract between the host (main process) and every front end: the renderer through the
// preload bridge or the browser-mode WebSocket, the CLI and the tests. Commands are request/response;
// events are pushed in batches.

import type { Exercise, ServerLimits, WireSettings } from './settings'

// ---------- Commands ----------

export type BindScope = 'all' | 'loopback' | string

export interface ServerStartArgs {
  exercise: Exercise
  /** 'all' (0.0.0.0 and ::), 'loopback' (127.0.0.1) or a literal address of this machine. */
  host: BindScope
  /** 0 picks a free port. */
  port: number
  oneAtATime: boolean
  wire?: Partial<WireSettings>
  limits?: Partial<ServerLimits>
  /** Intersection server: how many numbers its own set has. */
  setSize?: number
}

export interface ClientParams {
  /** Adder: the whole client name (default: base name plus random suffix). */
  name?: string
  /** Greeting: the acknowledgement sent back. */
  ack?: string
  /** Dedup: the list to send (default: N random numbers, N in 25..100). */
  numbers?: number[]
  /** Dedup: how many random numbers to draw. */
  count?: number
  /** Intersection: how many distinct numbers the client's set has. */
  size?: number
}

export interface ClientStartArgs {
  exercise: Exercise
  host: string
  port: number
  wire?: Partial<WireSettings>
  params?: ClientParams
  /** Bind the client's own port, as the handout's client does (32451). 0 or absent: any. */
  localPort?: number
}

export interface SwarmStartArgs {
  host: string
  port: number
  count: number
  /** Base of every client's name; each gets a unique suffix. */
  baseName?: string
  wire?: Partial<WireSettings>
  /** Pause between one client's requests (0: flat out). */
  thinkMs?: number
}

export interface CaptureStartArgs {
  port: number
  /** Interface name from captureInterfaces, or 'any'. */
  interface?: string
}

export type TrafficFormat = 'json' | 'text'

export interface Commands {
  serverStart: { args: ServerStartArgs; result: ServerInfo }
  serverStop: { args: { serverId: string }; result: null }
  clientStart: { args: ClientStartArgs; result: ClientInfo }
  /** Adder: a command typed by the student (`a`, `q` or anything else). */
  clientCommand: { args: { clientId: string; command: string }; result: null }
  clientStop: { args: { clientId: string }; result: null }
  swarmStart: { args: SwarmStartArgs; result: SwarmInfo }
  swarmStop: { args: { swarmId: string }; result: null }
  connectionClose: { args: { connId: string }; result: null }
  systemInterfaces: { args: Record<string, never>; result: NetworkInterfaceInfo[] }
  trafficExport: { args: { format: TrafficFormat; connId?: string }; result: { filename: string; content: string } }
  snapshot: { args: Record<string, never>; result: Snapshot }
  captureStatus: { args: Record<string, never>; result: CaptureAvailability }
  captureStart: { args: CaptureStartArgs; result: CaptureInfo }
  captureStop: { args: Record<string, never>; result: null }
  captureSave: { args: Record<string, never>; result: { filename: string; base64: string } }
}

export type CommandName = keyof Commands
export type CommandArgs<K extends CommandName> = Commands[K]['args']
export type CommandValue<K extends CommandName> = Commands[K]['result']

export const COMMAND_NAMES = [
  'serverStart',
  'serverStop',
  'clientStart',
  'clientCommand',
  'clientStop',
  'swarmStart',
  'swarmStop',
  'connectionClose',
  'systemInterfaces',
  'trafficExport',
  'snapshot',
  'captureStatus',
  'captureStart',
  'captureStop',
  'captureSave',
] as const satisfies readonly CommandName[]

/** Every command answers with this; `field` names the form control the error belongs next to. */
export type CommandResult<T> = { ok: true; value: T } | { ok: false; error: string; field?: string }

// ---------- State shapes ----------

export interface ServerInfo {
  serverId: string
  exercise: Exercise
  address: string
  port: number
  oneAtATime: boolean
  limits: ServerLimits
  wire: WireSettings
  startedAt: number
}

export interface ClientInfo {
  clientId: string
  exercise: Exercise
  host: string
  port: number
  name?: string
}

export interface SwarmInfo {
  swarmId: string
  host: string
  port: number
  count: number
}

export interface SwarmStats {
  swarmId: string
  count: number
  connected: number
  answered: number
  wrong: number
  errors: number
  closed: number
  lastError?: string
  running: boolean
}

/** The counts of a Many-clients run that has just started. */
export function newSwarmStats(swarmId: string, count: number): SwarmStats {
  return { swarmId, count, connected: 0, answered: 0, wrong: 0, errors: 0, closed: 0, running: true }
}

export type Role = 'server' | 'client'
export type ConnState = 'connecting' | 'waiting' | 'open' | 'closing' | 'closed'

export interface Counters {
  bytesIn: number
  bytesOut: number
  messagesIn: number
  messagesOut: number
}

export interface ConnectionInfo {
  connId: string
  role: Role
  exercise: Exercise
  /** serverId, clientId or swarmId that owns it. */
  ownerId: string
  local: string
  remote: string
  peerName?: string
  state: ConnState
  openedAt: number
  closedAt?: number
  closeReason?: string
  counters: Counters
}

export interface NetworkInterfaceInfo {
  name: string
  address: string
  family: 'IPv4' | 'IPv6'
  internal: boolean
}

export interface TrafficMessage {
  seq: number
  t: number
  connId: string
  dir: 'in' | 'out'
  size: number
  text: string
  hex: string
}

export interface ConsoleLine {
  seq: number
  t: number
  /** serverId or clientId whose console shows it. */
  ownerId: string
  connId?: string
  text: string
  level: 'info' | 'error'
}

export interface Snapshot {
  servers: ServerInfo[]
  clients: ClientInfo[]
  connections: ConnectionInfo[]
  swarms: SwarmStats[]
  capture: CaptureInfo | null
  /** The packets of the current (or last) capture, oldest first (the last few thousand), for a view opened late. */
  capturePackets?: CapturedPacket[]
}

// ---------- Capture ----------

export interface CaptureAvailability {
  available: boolean
  /** What to install or which group to join, in plain words, when not available. */
  problem?: string
  interfaces: string[]
}

export interface CaptureInfo {
  port: number
  interface: string
  running: boolean
  packets: number
  startedAt: number
}

export interface CapturedPacket {
  no: number
  t: number
  src: string
  dst: string
  srcPort: number
  dstPort: number
  /** In words: SYN, SYN/ACK, ACK, PSH/ACK, FIN/ACK, RST, … */
  flags: string
  seq: number
  ack: number
  len: number
  payload: string
  /** handshake-1/2/3, teardown, data: what the packet is in the life of its connection. */
  note?: string
  /** The app-level message (TrafficMessage.seq) this payload carried, when matched. */
  messageSeq?: number
}

// ---------- Events ----------

export type ExerciseResult =
  | { kind: 'greeting'; received: string; sent?: string }
  | {
      kind: 'dedup'
      sent: number[]
      final: number[]
      duplicates: { value: number; count: number }[]
      correct?: boolean
    }
  | { kind: 'intersection'; clientSet: number[]; serverSet?: number[]; common: number[]; correct?: boolean }
  | { kind: 'adder'; a: number; b: number; answer: number; correct?: boolean }

export type EngineEvent =
  | { type: 'server-started'; server: ServerInfo }
  | { type: 'server-stopped'; serverId: string; reason: string }
  | { type: 'client-started'; client: ClientInfo }
  | { type: 'client-ended'; clientId: string; ok: boolean; error?: string }
  | { type: 'conn-opened'; conn: ConnectionInfo }
  | { type: 'conn-updated'; connId: string; state?: ConnState; peerName?: string; local?: string }
  | { type: 'conn-closed'; connId: string; reason: string; counters: Counters; at: number }
  | { type: 'message'; connId: string; dir: 'in' | 'out'; t: number; data: Uint8Array }
  | { type: 'line'; line: ConsoleLine }
  | { type: 'result'; ownerId: string; connId: string; result: ExerciseResult }
  | { type: 'limit'; ownerId: string; limit: keyof ServerLimits | 'ring'; detail: string }
  | { type: 'swarm'; stats: SwarmStats }
  | { type: 'capture'; info: CaptureInfo | null; error?: string }
  | { type: 'packets'; packets: CapturedPacket[] }

/** What the renderer receives a few times a second. Messages are already decoded. */
export interface EventBatch {
  events: Exclude<EngineEvent, { type: 'message' } | { type: 'line' }>[]
  messages: TrafficMessage[]
  lines: ConsoleLine[]
  /** Exact counters of every connection that changed since the last batch. */
  counters: Record<string, Counters>
  /** Messages recorded (and counted) but left out of this batch to keep the UI responsive. */
  droppedMessages: number
  /** Console lines and exercise results left out of this batch for the same reason. */
  droppedLines: number
  droppedResults: number
}

/** One narrow function per command, as the preload exposes them on `window.socketlab`. */
export type CommandFunctions = {
  [K in CommandName]: (args: CommandArgs<K>) => Promise<CommandResult<CommandValue<K>>>
}

/** The object the preload exposes as `window.socketlab` (browser mode builds the same shape). */
export type SocketLabBridge = CommandFunctions & {
  onBatch(listener: (batch: EventBatch) => void): () => void
  /** 'electron' in the desktop window, 'web' in browser mode. */
  mode: 'electron' | 'web'
}

/** IPC channel names (Electron) and WebSocket frame kinds (browser mode). */
export const CHANNEL_COMMAND = 'socketlab:command'
export const CHANNEL_BATCH = 'socketlab:batch'

/** Browser mode: frames on `ws://127.0.0.1:<port>/bridge` (a signed-in browser's cookie, the page's Origin). */
export type WebRequest = { id: number; name: CommandName; args: unknown }
export type WebFrame =
  | { kind: 'result'; id: number; result: CommandResult<unknown> }
  | { kind: 'batch'; batch: EventBatch }
  /** The engine is stopping on purpose (Ctrl+C, its terminal closed): it will not come back at this address. */
  | { kind: 'goodbye' }
