// The one contract between the host (main process) and every front end: the renderer through the
// preload bridge or the browser-mode WebSocket, the CLI and the tests. Commands are request/response;
// events are pushed in batches.

import type { Endpoint } from './endpoint'
import type { Platform } from './filters'
import type { Exercise, LimitName, ServerLimits, WireSettings } from './settings'

export type { Endpoint }

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

export interface ManyClientsStartArgs {
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
  /** Interface name from CaptureAvailability.interfaces, or 'any'. */
  interface?: string
  /** Size cap of the .pcapng in megabytes (CAPTURE_MAX_MB): tshark stops when the file reaches it. */
  maxMB?: number
}

export type TrafficFormat = 'json' | 'text'

/** The most messages an export names one by one (the view's filtered rows): a whole log. */
export const TRAFFIC_EXPORT_SEQS_MAX = 10_000

export interface TrafficExportArgs {
  format: TrafficFormat
  connId?: string
  /** Export Many clients' log rather than the exercises' own. */
  many?: boolean
  /** Only these messages (the rows a filter shows), at most TRAFFIC_EXPORT_SEQS_MAX. */
  seqs?: number[]
}

export interface Commands {
  serverStart: { args: ServerStartArgs; result: ServerInfo }
  serverStop: { args: { serverId: string }; result: null }
  clientStart: { args: ClientStartArgs; result: ClientInfo }
  /** Adder: a command typed by the student (`a`, `q` or anything else). */
  clientCommand: { args: { clientId: string; command: string }; result: null }
  clientStop: { args: { clientId: string }; result: null }
  manyClientsStart: { args: ManyClientsStartArgs; result: ManyClientsInfo }
  manyClientsStop: { args: { manyClientsId: string }; result: null }
  connectionClose: { args: { connId: string }; result: null }
  systemInterfaces: { args: Record<string, never>; result: NetworkInterfaceInfo[] }
  /** The log's messages as a file: all, one connection's, or exactly those on screen (`seqs`, of the log `many` picks). */
  trafficExport: { args: TrafficExportArgs; result: { filename: string; content: string; count: number } }
  snapshot: { args: Record<string, never>; result: Snapshot }
  captureStatus: { args: Record<string, never>; result: CaptureAvailability }
  captureStart: { args: CaptureStartArgs; result: CaptureInfo }
  captureStop: { args: Record<string, never>; result: null }
  /** Prepare a file of the capture to save (the .pcapng by default); its bytes are read with captureRead. */
  captureSave: { args: { what?: CaptureExportKind }; result: CaptureFile }
  /** One chunk of a prepared file, so no reply carries a whole capture. */
  captureRead: { args: { fileId: string; offset: number }; result: CaptureChunk }
  /** Check my program (issue 12): a student's server at host:port; progress comes as check-* events. */
  checkServer: { args: CheckServerArgs; result: CheckRunInfo }
  /** Serve the question on a port and grade the clients that connect (answers once it listens). */
  checkClient: { args: CheckClientArgs; result: CheckRunInfo }
  /** Run my program: start the student's own server or client on this machine, then check it. */
  checkProgram: { args: CheckProgramArgs; result: CheckRunInfo }
  /** The room board: every team of a roster (CSV text) checked, a few at a time; progress as roster-* events. */
  checkRoster: { args: { csv: string }; result: RosterRunInfo }
  /** Check one team of a roster again. */
  checkRosterTeam: { args: { runId: string; index: number }; result: null }
  /** Stop a check or a roster run: connections closed, programs stopped. */
  checkCancel: { args: { runId: string }; result: null }
  /** Write a finished report (HTML, Markdown, JSON) or a roster's results (CSV, JSON) to this machine's reports folder. */
  checkSave: { args: CheckSaveArgs; result: SavedReport }
}

export type CommandName = keyof Commands
export type CommandArgs<K extends CommandName> = Commands[K]['args']
export type CommandValue<K extends CommandName> = Commands[K]['result']

/** Every command once: a `Record` over `CommandName`, so a command added to `Commands` and not here is a type error. */
const COMMAND_SET: Record<CommandName, true> = {
  serverStart: true,
  serverStop: true,
  clientStart: true,
  clientCommand: true,
  clientStop: true,
  manyClientsStart: true,
  manyClientsStop: true,
  connectionClose: true,
  systemInterfaces: true,
  trafficExport: true,
  snapshot: true,
  captureStatus: true,
  captureStart: true,
  captureStop: true,
  captureSave: true,
  captureRead: true,
  checkServer: true,
  checkClient: true,
  checkProgram: true,
  checkRoster: true,
  checkRosterTeam: true,
  checkCancel: true,
  checkSave: true,
}

export const COMMAND_NAMES = Object.keys(COMMAND_SET) as readonly CommandName[]

/** Facts about a failed command beyond its message, for the buttons next to the error ("Stop it", "Use 12346"). */
export type ErrorDetail =
  | {
      kind: 'port-in-use'
      port: number
      /** The server of this app that holds the port, when it is one of ours. */
      holder?: { serverId: string; exercise: Exercise }
      /** A nearby port that was free a moment ago. */
      free?: number
    }
  /**
   * A client could not connect: the connection doctor's diagnosis (check helper, issue 12 section 4). The
   * port-in-use fields are declared absent here so code written before this was a union still reads them.
   */
  | { kind: 'connect-failed'; diagnosis: Diagnosis; port?: never; holder?: never; free?: never }
  /** A roster that cannot be read: every bad line, so each is shown where it is. */
  | { kind: 'roster'; errors: RosterError[]; port?: never; holder?: never; free?: never }

/** Every command answers with this; `field` names the form control the error belongs next to. */
export type CommandResult<T> = { ok: true; value: T } | { ok: false; error: string; field?: string; detail?: ErrorDetail }

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

/**
 * Where a client is in its exchange, so a pane can enable exactly what works now:
 * - `connecting`: the TCP connection is being made;
 * - `waiting`: connected, but the server has not answered yet (a one-at-a-time server serving another
 *   client keeps a new client here, as the handout's client would wait in `recv()`): no timeout applies;
 * - `ready`: the adder's command box is usable;
 * - `busy`: a request is out, its answer awaited (the reply timeout applies);
 * - `ended`: over (see `client-ended` for how).
 */
export type ClientPhase = 'connecting' | 'waiting' | 'ready' | 'busy' | 'ended'

/** Why a client is `waiting`, when it is known. */
export type WaitingReason =
  /** The server is one of ours, one at a time, and serving another client. */
  | 'one-at-a-time'
  /** The server has not answered yet; it may be serving another client one at a time. */
  | 'no-reply-yet'

export interface ClientInfo {
  clientId: string
  exercise: Exercise
  host: string
  port: number
  name?: string
  phase: ClientPhase
  waitingReason?: WaitingReason
  /** The client reached one of this app's own servers: which one (a wrong exercise is worth saying). */
  ownServer?: { serverId: string; exercise: Exercise }
}

export interface ManyClientsInfo {
  manyClientsId: string
  host: string
  port: number
  count: number
}

/** Failures of a Many-clients run grouped by what went wrong, with how many clients each hit. */
export interface FailureGroup {
  error: string
  count: number
  /** A connection that could not be made: the connection doctor's diagnosis (the first of the group). */
  diagnosis?: Diagnosis
}

export interface ManyClientsStats {
  manyClientsId: string
  count: number
  connected: number
  /** Connected but not served yet (a one-at-a-time server serving one of the others). */
  waiting: number
  answered: number
  wrong: number
  errors: number
  closed: number
  /** Distinct failures, most frequent first (a bounded list). */
  failures: FailureGroup[]
  running: boolean
  /** How the run ended: stopped by the student, or every client failed or finished. */
  ended?: 'stopped' | 'failed' | 'finished'
}

/** The counts of a Many-clients run that has just started. */
export function newManyClientsStats(manyClientsId: string, count: number): ManyClientsStats {
  return {
    manyClientsId,
    count,
    connected: 0,
    waiting: 0,
    answered: 0,
    wrong: 0,
    errors: 0,
    closed: 0,
    failures: [],
    running: true,
  }
}

export type Role = 'server' | 'client'
export type ConnState = 'connecting' | 'waiting' | 'open' | 'closing' | 'closed'

export interface Counters {
  bytesIn: number
  bytesOut: number
  messagesIn: number
  messagesOut: number
}

/** One end of a connection as this app sees it: SocketLab's own socket (`us`) or the program at the other end (`peer`). */
export type ConnEnd = 'us' | 'peer'

/**
 * How a connection ended, as its socket saw it (with `closedBy`, the side that moved first):
 * - `fin`: closed in order: that side called close() (its FIN went first) and the other answered with its
 *   own FIN; a limit's close is one too (`closeLimit` names the limit);
 * - `reset`: a reset (RST) ended it: that side aborted the connection (ECONNRESET, or EPIPE writing to a
 *   peer that had reset), with no FIN first;
 * - `timeout`: the peer stopped answering and TCP gave up (ETIMEDOUT): neither side closed it, `closedBy` is absent;
 * - `error`: another socket error ended it (`closeReason` has its code); `closedBy` is absent.
 */
export type CloseKind = 'fin' | 'reset' | 'timeout' | 'error'

/** Who closed a connection first and how; both absent when it is not known (a connection that never opened). */
export interface CloseHow {
  closedBy?: ConnEnd
  closeKind?: CloseKind
}

export interface ConnectionInfo {
  connId: string
  /** The order connections were made in this host (1, 2, 3…): rows are ordered by it, never by parsing `connId`. */
  seq: number
  role: Role
  exercise: Exercise
  /** serverId, clientId or manyClientsId that owns it. */
  ownerId: string
  /** This side's address and port; null until a client's connection is made. */
  local: Endpoint | null
  /** The other side: for a client, the host as typed until connected, then the address it reached. */
  remote: Endpoint
  /** The adder client's name, on both ends of its connection (the server learns it, the client knows it). */
  clientName?: string
  /** How the peer speaks, detected from what it sent (and mirrored in what we send back). */
  convention?: Convention
  state: ConnState
  openedAt: number
  closedAt?: number
  closeReason?: string
  /** The limit that closed it, when one did. */
  closeLimit?: LimitName
  /** Closed: who closed first, sending the first FIN or the reset (see CloseKind). */
  closedBy?: ConnEnd
  /** Closed: how it ended (see CloseKind). */
  closeKind?: CloseKind
  counters: Counters
}

/**
 * A peer's habits on the wire, as detected from its messages: how its lists are encoded and how its
 * messages end. SocketLab answers in kind unless a wire setting overrides it.
 */
export interface Convention {
  /** Lists: `[3, 14]` text (str/ast), JSON, a pickle, raw bytes (`bytes([3, 14])`); absent until a list came. */
  encoding?: 'text' | 'json' | 'pickle' | 'raw'
  /** The pickle protocol the peer used (we answer at the same one). */
  pickleProtocol?: number
  /** What ends each of its messages. */
  terminator: 'none' | 'lf' | 'crlf' | 'nul'
}

/** A peer's message exactly as it arrived: bounded text and hex for display, the real size. */
export interface Received {
  /** The bytes as UTF-8 text (invalid sequences replaced), at most TEXT_PREVIEW characters. */
  text: string
  /** Hex of the first HEX_PREVIEW bytes. */
  hex: string
  size: number
  /** The Traffic message it is, while it is still in the log. */
  seq?: number
}

export interface NetworkInterfaceInfo {
  name: string
  address: string
  family: 'IPv4' | 'IPv6'
  internal: boolean
}

/** How many messages the host's traffic log keeps, for the exercises and, apart, for Many clients (README). */
export const TRAFFIC_LOG_MESSAGES = 10_000

export interface TrafficMessage {
  seq: number
  t: number
  connId: string
  /** Of a Many-clients connection: kept in its own log, so a crowd cannot push out the exercises' messages. */
  many?: true
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
  /** `input`: a command the student typed, echoed as a terminal would (`> a`). */
  level: 'info' | 'error' | 'input'
}

export interface Snapshot {
  servers: ServerInfo[]
  clients: ClientInfo[]
  connections: ConnectionInfo[]
  manyClients: ManyClientsStats[]
  capture: CaptureInfo | null
  /** The packets of the current (or last) capture, oldest first (the last few thousand), for a view opened late. */
  capturePackets?: CapturedPacket[]
  /** What a reloaded page showed before: recent console lines of every owner, oldest first. */
  lines: ConsoleLine[]
  /** Recent exercise results, oldest first. */
  results: ResultRecord[]
  /** Recent traffic, oldest first (the exercises' log, then the Many-clients log). */
  messages: TrafficMessage[]
  /** Messages that have left the host's logs since it started. */
  droppedMessages: number
  /** How this app's recent clients (not Many clients) ended, oldest first, so a reloaded page says Done or Failed. */
  endedClients?: EndedClient[]
  /** The recent check runs (the running ones and the last 20 ended), oldest first, so a reloaded Check page shows them. */
  checkRuns?: CheckRunState[]
  /** The recent room boards (the running ones and the last 4 ended), oldest first. */
  rosterRuns?: RosterRunState[]
}

export interface EndedClient {
  client: ClientInfo
  ok: boolean
  error?: string
  detail?: ErrorDetail
  endedAt: number
}

export interface ResultRecord {
  ownerId: string
  connId: string
  t: number
  result: ExerciseResult
}

// ---------- Capture ----------
// Owned by the capture helper. A packet crosses as facts (its phase, handshake step, sender, numbers,
// the messages it carried); words such as "handshake 2/3 (SYN/ACK)" are composed where they are shown
// (src/shared/ladder-words.ts), never parsed back.

/** What an interface is for, in the lab's terms: both programs on this machine, every interface, or the network. */
export type CaptureInterfaceKind = 'loopback' | 'any' | 'network'

export interface CaptureInterface {
  name: string
  /** tshark's description (`Loopback`, `Adapter for loopback traffic capture`), when it gives one. */
  description?: string
  kind: CaptureInterfaceKind
}

export interface CaptureAvailability {
  available: boolean
  /** What to install or which group to join, in plain words, when not available (or a warning when it is). */
  problem?: string
  /** The interfaces worth offering, the recommended one first. */
  interfaces: CaptureInterface[]
  /** The recommended interface: `any` on Linux, else the loopback one. */
  defaultInterface?: string
  /** The host's operating system, for the per-OS hints (a user agent cannot be trusted to tell). */
  platform: Platform
}

/** The size cap of a capture file, in megabytes (a setting: CaptureStartArgs.maxMB, `--max-size`). */
export const CAPTURE_MAX_MB = { default: 100, min: 1, max: 4096 } as const

/** Why a capture ended: stopped by the student, a `--count`/`--duration` limit, the size cap, or an error. */
export type CaptureEnd = 'stopped' | 'count' | 'duration' | 'size' | 'error'

export interface CaptureInfo {
  port: number
  interface: string
  /** True only once tshark really captures (its file is open), so a client run now is captured. */
  running: boolean
  /** tshark has been started and is opening the interface: not capturing yet. */
  starting?: true
  packets: number
  startedAt: number
  /** The size cap of the .pcapng, in bytes. */
  maxBytes: number
  /** Set once the capture has ended. */
  ended?: CaptureEnd
}

export type TcpFlag = 'FIN' | 'SYN' | 'RST' | 'PSH' | 'ACK' | 'URG' | 'ECE' | 'CWR' | 'AE'

/**
 * What a packet is in the life of its connection: the three-way handshake, data (a payload), a bare
 * acknowledgement, the teardown (FINs and their ACKs), an abort (RST), or a segment sent again
 * (tshark's own TCP analysis says so).
 */
export type PacketPhase = 'handshake' | 'data' | 'ack' | 'teardown' | 'reset' | 'retransmission'

/** Within the teardown: a FIN, the ACK of the first FIN, the last ACK (of the second FIN). */
export type TeardownStep = 'fin' | 'ack-of-fin' | 'last-ack'

export type Side = 'client' | 'server'

/** An app-level message (a Traffic message) that a segment's payload carried, whole or in part. */
export interface CarriedMessage {
  /** TrafficMessage.seq */
  seq: number
  /** The message as text (UTF-8, invalid bytes replaced), at most CAPTURE_TEXT_MAX characters. */
  text: string
  /** The whole message's size in bytes. */
  size: number
}

/** Payload text and message texts are kept up to this many bytes/characters. */
export const CAPTURE_TEXT_MAX = 4096

export interface CapturedPacket {
  /** Frame number, as Wireshark numbers it in the same .pcapng. */
  no: number
  t: number
  src: Endpoint
  dst: Endpoint
  /** tshark's tcp.stream: this connection's index in the capture, the same both ways. */
  stream: number
  /** In Wireshark's order: FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE. */
  flags: TcpFlag[]
  /** Relative sequence and acknowledgement numbers (Wireshark's default display). */
  seq: number
  ack: number
  /** The numbers on the wire. */
  rawSeq: number
  rawAck: number
  /** TCP payload length. */
  len: number
  /**
   * The payload as text: printable ASCII and UTF-8 letters as they are; newline, return, tab and
   * backslash as `\n`, `\r`, `\t`, `\\`; any other byte as `\xNN`. At most CAPTURE_TEXT_MAX bytes.
   */
  payload: string
  /** The payload is longer than what `payload` shows. */
  payloadCut?: true
  phase: PacketPhase
  /** Handshake: 1 the SYN, 2 the SYN/ACK, 3 the ACK. */
  step?: 1 | 2 | 3
  /** Set on the teardown's packets (also on a data segment that carries a FIN). */
  teardown?: TeardownStep
  /** Who sent it; absent when the capture missed the SYN and the port does not tell. */
  from?: Side
  /** A retransmission: the frame it sends again, when tshark's analysis names it. */
  retransmits?: number
  /** The app-level messages its payload carried, in order. */
  messages?: CarriedMessage[]
  /** The SocketLab connections (ConnectionInfo.connId) at either end of this packet's connection. */
  connIds?: string[]
}

/**
 * What can be exported from a capture: the .pcapng, the answer sheet (HTML), the ladder (SVG), the ladder
 * as a picture (PNG, where the host can draw one), or all of them (zip).
 */
export type CaptureExportKind = 'pcapng' | 'sheet' | 'diagram' | 'png' | 'bundle'

/** A file prepared by captureSave, read in chunks with captureRead (or streamed over HTTP in browser mode). */
export interface CaptureFile {
  fileId: string
  filename: string
  size: number
  mime: string
}

/** Each captureRead reply carries at most this many bytes. */
export const CAPTURE_CHUNK_BYTES = 512 * 1024

export interface CaptureChunk {
  base64: string
  /** Offset of the next chunk; null when this was the last one. */
  next: number | null
}

// ---------- Events ----------

/**
 * What a client can say of a server's answer: right, wrong, or — when the facts to judge it are not on
 * this side (an intersection without the server's set) — only that it looks valid, or nothing at all.
 */
export type Verdict = 'correct' | 'wrong' | 'looks-valid' | 'unknown'

/** How a server sent the duplicates: each repeated value once, every extra occurrence, or a dict of counts. */
export type DuplicatesStyle = 'each-once' | 'every-extra' | 'counts'

/** The number lists a result carries (`serverDuplicates`: the values the server sent as its duplicates). */
export type ResultList = 'sent' | 'final' | 'duplicates' | 'serverDuplicates' | 'clientSet' | 'serverSet' | 'common'

/**
 * A result carries at most this many numbers of each list (a peer's 64 KiB message can hold 30,000);
 * `cut` says how long each cut list really was. The verdict was reached on the whole lists.
 */
export const RESULT_LIST_MAX = 1000

/** A result's `why` is at most this many characters (it may quote a peer's lists). */
export const RESULT_WHY_MAX = 600

interface ResultBase {
  /** Client side: the verdict on the server's answer (absent on the server side, which computed it). */
  verdict?: Verdict
  /** Why the verdict is what it is, in plain words (shown beside it). */
  why?: string
  /** The peer's messages of this exchange exactly as they arrived, in order. */
  received?: Received[]
  /** Lists cut to RESULT_LIST_MAX numbers: how many numbers each really had. */
  cut?: Partial<Record<ResultList, number>>
}

export type ExerciseResult =
  | (ResultBase & {
      kind: 'greeting'
      /** The greeting the server sent. */ greeting: string
      /** The client's acknowledgement. */ ack?: string
    })
  | (ResultBase & {
      kind: 'dedup'
      sent: number[]
      final: number[]
      /** Each value that appeared more than once in `sent`, with its count (computed on this side). */
      duplicates: { value: number; count: number }[]
      correct?: boolean
      /** The duplicates the server sent, when it sent them, and in which style. */
      serverDuplicates?: { values: number[]; style: DuplicatesStyle; correct: boolean }
    })
  | (ResultBase & { kind: 'intersection'; clientSet: number[]; serverSet?: number[]; common: number[]; correct?: boolean })
  | (ResultBase & { kind: 'adder'; a: number; b: number; answer: number; correct?: boolean })

export type EngineEvent =
  | { type: 'server-started'; server: ServerInfo }
  | { type: 'server-stopped'; serverId: string; reason: string }
  | { type: 'client-started'; client: ClientInfo }
  | { type: 'client-ended'; clientId: string; ok: boolean; error?: string; detail?: ErrorDetail }
  | { type: 'conn-opened'; conn: ConnectionInfo }
  | {
      type: 'conn-updated'
      connId: string
      state?: ConnState
      clientName?: string
      convention?: Convention
      local?: Endpoint
      remote?: Endpoint
    }
  | ({ type: 'conn-closed'; connId: string; reason: string; limit?: LimitName; counters: Counters; at: number } & CloseHow)
  | { type: 'message'; connId: string; dir: 'in' | 'out'; t: number; data: Uint8Array }
  | { type: 'line'; line: ConsoleLine }
  | { type: 'result'; ownerId: string; connId: string; t: number; result: ExerciseResult }
  | {
      type: 'client-updated'
      clientId: string
      phase?: ClientPhase
      waitingReason?: WaitingReason
      ownServer?: { serverId: string; exercise: Exercise }
    }
  | { type: 'limit'; ownerId: string; limit: LimitName; detail: string }
  | { type: 'many-clients'; stats: ManyClientsStats }
  | { type: 'capture'; info: CaptureInfo | null; error?: string }
  | { type: 'packets'; packets: CapturedPacket[] }
  | CheckEvent

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

// ---------- Check my program and the connection doctor (check helper, issue 12) ----------
// A check is a handout requirement asked of a student's own server or client; its result carries the
// bytes exchanged as evidence, so the app, the CLI's --json and the HTML report show the same facts.

export const CHECK_QUESTIONS = ['greeting', 'dedup', 'intersection', 'adder', 'adder-many'] as const
export type CheckQuestion = (typeof CHECK_QUESTIONS)[number]

/** One thing seen during a check, as it happened: bytes on a connection, a connection event, or program output. */
export interface CheckEvidence {
  /** Milliseconds since the report started. */
  t: number
  /** Which connection of the check (1, 2, …), or which program instance for stdin/stdout/stderr. */
  conn: number
  /** `out`: SocketLab sent; `in`: the student's program sent (as received, chunk by chunk). */
  dir: 'out' | 'in' | 'event' | 'stdin' | 'stdout' | 'stderr'
  /** The bytes (for out, in and the program's streams). */
  data?: Received
  /** What happened (for `event`). */
  event?: CheckEventKind
  /** The connection's two ends (for `connected`). */
  local?: Endpoint
  remote?: Endpoint
  /** The errno code or exit code, where one applies (`ECONNREFUSED`, `exit 1`). */
  code?: string
}

export type CheckEventKind =
  | 'connected'
  | 'connect-failed'
  | 'accepted'
  /** The peer closed its side (FIN). */
  | 'peer-closed'
  /** The peer reset the connection (RST): a crash, or a close with unread data. */
  | 'peer-reset'
  /** SocketLab closed its side. */
  | 'closed'
  | 'started'
  | 'exited'
  | 'killed'

export interface CheckResult {
  /** Stable id (`ack`, `sums`, `concurrent`, …), listed in the README. */
  id: string
  title: string
  /** A failed required check fails the report; the others inform. */
  required: boolean
  /** true: pass; false: fail; null: not applicable (or not run, or cannot be judged from outside). */
  ok: boolean | null
  /** What was found, in plain words. */
  detail: string
  /** For a failure: what to change, in plain words. */
  fix?: string
  evidence: CheckEvidence[]
}

export interface CheckTarget {
  /** Checking a server: where it is. Checking a client: absent. */
  host?: string
  port: number
  /** Run my program: the command as given (argv, never a shell line). */
  command?: string[]
}

export interface CheckReport {
  kind: 'server' | 'client'
  question: CheckQuestion
  target: CheckTarget
  checks: CheckResult[]
  /** Checks with ok true / ok false. */
  passed: number
  failed: number
  /** Every required check passed and the target was reached. */
  ok: boolean
  startedAt: number
  durationMs: number
  /** The target could not be reached: the connection doctor's diagnosis. */
  diagnosis?: Diagnosis
}

/** One line of an instructor's roster. */
export interface RosterEntry {
  team: string
  host: string
  port: number
  question: CheckQuestion
}

export interface RosterResult {
  entry: RosterEntry
  /** Absent while the team's check runs. */
  report?: CheckReport
}

export type DiagnosisCode =
  | 'refused'
  | 'timed-out'
  | 'firewall-reject'
  | 'no-route'
  | 'other-subnet'
  | 'host-absent'
  | 'name-not-found'
  | 'loopback-only-server'
  | 'gethostbyname-127.0.1.1'
  | 'localhost-ipv6'
  | 'local-port-in-use'
  | 'reset'
  | 'other'

/** What the doctor measured: every fact a field, so the app can show it its own way. */
export interface DiagnosisFacts {
  host: string
  port: number
  /** The error code the system gave (`ECONNREFUSED`, `ETIMEDOUT`, `EHOSTUNREACH`, …). */
  errno?: string
  /** How long the attempt took before it failed. */
  elapsedMs?: number
  /** The addresses the host name stands for. */
  resolved?: string[]
  /** The target is an address of this machine. */
  thisMachine?: boolean
  /** What listens on that port on this machine (from the kernel's socket table), when it can be read. */
  listeners?: Endpoint[]
  /** SocketLab's own servers on this machine. */
  ownServers?: { exercise: Exercise; address: string; port: number }[]
  /** This machine's networks, `192.168.1.23/24`. */
  subnets?: string[]
  /** The target's address is on one of this machine's networks. */
  sameSubnet?: boolean
  /** Whether a machine answered at that address on the local network (the kernel's neighbour table). */
  neighbour?: 'answers' | 'no-answer' | 'unknown'
  /** The client's own fixed port, and the states of this machine's connections using it (`TIME_WAIT`). */
  localPort?: number
  localPortStates?: string[]
}

/** A next step the app can offer as a button. */
export type DoctorAction =
  | { kind: 'use-host'; host: string }
  | { kind: 'use-port'; port: number }
  /** Connect without binding the client's own port. */
  | { kind: 'any-local-port' }
  | { kind: 'retry'; afterMs?: number }
  /** Open the page with this machine's addresses. */
  | { kind: 'show-addresses' }

/** One row of a check run before its result: the app lists them as the run starts. */
export interface CheckPlan {
  id: string
  title: string
  required: boolean
}

export interface CheckServerArgs {
  question: CheckQuestion
  host: string
  port: number
}

export interface CheckClientArgs {
  question: CheckQuestion
  /** 0 picks a free port. */
  port: number
  /** How many clients to grade (default 1). */
  connections?: number
  /** Bound on the whole wait, in seconds (default 60). */
  timeoutS?: number
}

export interface CheckProgramArgs {
  /** The student's program is a server (checked as `checkServer` once it listens) or a client (graded as it connects). */
  side: 'server' | 'client'
  question: CheckQuestion
  /** The program and its arguments as an argv array (never a shell line); `{port}` becomes the port served on. */
  command: string[]
  /** The folder it starts in (default: SocketLab's own). */
  cwd?: string
  /** Server: the port it listens on. Client: the port SocketLab serves on (0: a free one). */
  port: number
  /** Client: how many times it is started. */
  connections?: number
  /** The time limit, in seconds: to start listening (server) or to finish (client). */
  timeoutS?: number
}

export type CheckRunKind = 'server' | 'client'

export interface CheckRunInfo {
  runId: string
  kind: CheckRunKind
  question: CheckQuestion
  target: CheckTarget
  startedAt: number
}

export interface RosterRunInfo {
  runId: string
  entries: RosterEntry[]
  /** The board's columns: the check ids of the roster's questions, in the checks table's order. */
  columns: string[]
  startedAt: number
}

export interface RosterError {
  /** The line of the CSV file (1 is the header), or null for the file as a whole. */
  line: number | null
  message: string
}

export type CheckSaveFormat = 'html' | 'markdown' | 'json' | 'csv'

export interface CheckSaveArgs {
  runId: string
  /** A check report: html, markdown or json. A roster: csv or json (all teams), or html/markdown of one team. */
  format: CheckSaveFormat
  /** A roster's team (its index in the roster), for one team's report. */
  index?: number
}

export interface SavedReport {
  filename: string
  /** The folder it was written to, and the whole path. */
  folder: string
  path: string
  size: number
}

/** A check run as its check-* events have left it so far. */
export interface CheckRunState {
  info: CheckRunInfo
  plan: CheckPlan[]
  /** The results settled so far, in the order they came (an ended run's report has them all). */
  results: CheckResult[]
  ended: boolean
  report?: CheckReport
  cancelled?: true
  error?: string
}

/** A room board as its roster-* events have left it so far. */
export interface RosterRunState {
  info: RosterRunInfo
  /** Each team's report by its index in the roster; null while it has none. */
  reports: (CheckReport | null)[]
  /** The teams being checked now (their indexes). */
  running: number[]
  ended: boolean
  cancelled?: true
}

/** Progress of checks and roster runs, as facts: which check, its verdict, its detail and evidence. */
export type CheckEvent =
  | { type: 'check-started'; run: CheckRunInfo }
  | { type: 'check-plan'; runId: string; checks: CheckPlan[] }
  | { type: 'check-result'; runId: string; result: CheckResult }
  | { type: 'check-ended'; runId: string; report?: CheckReport; cancelled?: true; error?: string }
  | { type: 'roster-started'; roster: RosterRunInfo }
  /** A team's check started (no report) or finished (its report). */
  | { type: 'roster-team'; runId: string; index: number; report?: CheckReport }
  | { type: 'roster-ended'; runId: string; cancelled?: true }

export interface Diagnosis {
  code: DiagnosisCode
  /** One line: what happened. */
  summary: string
  /** What to do, step by step, in plain words. */
  steps: string[]
  facts: DiagnosisFacts
  actions: DoctorAction[]
}
