// Wire-compatibility settings and limits, described once. Each setting's label, unit, help text, CLI
// flag, bounds and default live in one descriptor table below; the host's zod schemas, the CLI's
// parsing and help, the renderer's labels and the README's limits table are all generated from it,
// so a bound or a default can never disagree between two places.

export const EXERCISES = ['greeting', 'dedup', 'intersection', 'adder'] as const
export type Exercise = (typeof EXERCISES)[number]

export const EXERCISE_TITLES: Record<Exercise, string> = {
  greeting: 'Greeting (Lab 1, task 1)',
  dedup: 'Dedup (Lab 1, task 2)',
  intersection: 'Intersection (Lab 1, task 3)',
  adder: 'Adder (Lab 2, questions 1 and 2)',
}

/** The port the handouts use. */
export const HANDOUT_PORT = 12345
export const GREETING_TEXT = 'Thank you for connecting'
export const DEFAULT_ACK = 'It was nice talking to you'
export const ADDER_ACK = 'ack'

export const PAIR_SEPARATORS = [' ', ',', '+'] as const
export type PairSeparator = (typeof PAIR_SEPARATORS)[number]

export const LIST_ENCODINGS = ['auto', 'text', 'pickle', 'raw'] as const
export type ListEncoding = (typeof LIST_ENCODINGS)[number]

export const TERMINATORS = ['auto', 'none', 'lf', 'crlf', 'nul'] as const
export type TerminatorSetting = (typeof TERMINATORS)[number]

export const GREET_MODES = ['auto', 'always', 'never'] as const
export type GreetMode = (typeof GREET_MODES)[number]

export const ACK_MODES = ['auto', 'before-list', 'never'] as const
export type AckMode = (typeof ACK_MODES)[number]

export interface WireSettings {
  pairSeparator: PairSeparator
  paceMs: number
  quietMs: number
  listEncoding: ListEncoding
  terminator: TerminatorSetting
  greetFirst: GreetMode
  acknowledge: AckMode
  connectTimeoutMs: number
  replyTimeoutMs: number
}

export interface ServerLimits {
  maxClients: number
  maxPerAddress: number
  maxMessageBytes: number
  handshakeTimeoutMs: number
  idleTimeoutMs: number
  maxPendingOutputBytes: number
  consoleLinesPerSecond: number
}

/** A limit that can be reached, as the event stream names it. */
export type LimitName = keyof ServerLimits | 'ring' | 'descriptors'

// ---------- the descriptor table ----------

interface Common {
  label: string
  /** Shown next to the control and in `--help`: which classmate's program needs it, or what it protects. */
  help: string
  /** The CLI option, without `--`. */
  flag: string
  /** Which side uses it: a server, a client, or both. */
  side: 'server' | 'client' | 'both'
}

export interface IntegerSetting extends Common {
  kind: 'integer'
  min: number
  max: number
  default: number
  unit: 'ms' | 'bytes' | 'connections' | 'lines/s'
  /** Limits: what happens when it is reached (the README's limits table). */
  reached?: string
}

export interface ChoiceSetting<T extends string> extends Common {
  kind: 'choice'
  default: T
  /** Each value with its label and the word(s) the CLI accepts for it. */
  choices: readonly { value: T; label: string; cli: readonly string[] }[]
}

export type SettingDescriptor = IntegerSetting | ChoiceSetting<string>

type Descriptors<T> = { [K in keyof T]: T[K] extends number ? IntegerSetting : ChoiceSetting<T[K] & string> }

export const WIRE_SETTINGS: Descriptors<WireSettings> = {
  pairSeparator: {
    kind: 'choice',
    label: 'Pair separator',
    flag: 'separator',
    side: 'client',
    default: ' ',
    help: "The adder's two numbers: `3 7`, `3,7` or `3+7`. Match your classmate's server, e.g. `split(',')` needs a comma.",
    choices: [
      { value: ' ', label: 'space (3 7)', cli: ['space', ' '] },
      { value: ',', label: 'comma (3,7)', cli: ['comma', ','] },
      { value: '+', label: 'plus (3+7)', cli: ['plus', '+'] },
    ],
  },
  paceMs: {
    kind: 'integer',
    label: 'Pace',
    flag: 'pace',
    side: 'both',
    unit: 'ms',
    min: 0,
    max: 10_000,
    default: 250,
    help: "Least pause between two messages sent in a row, so a classmate's `recv(1024)` does not get them glued together (a slow link stretches it).",
  },
  quietMs: {
    kind: 'integer',
    label: 'Quiet moment',
    flag: 'quiet',
    side: 'both',
    unit: 'ms',
    min: 1,
    max: 10_000,
    default: 100,
    help: 'A message with no end marker counts as complete once the peer has been quiet this long (at least; a jittery link stretches it, and an unfinished list waits longer).',
  },
  listEncoding: {
    kind: 'choice',
    label: 'Lists go out as',
    flag: 'list-encoding',
    side: 'both',
    default: 'auto',
    help: 'How lists go out: as the peer sent its own (auto), `[3, 14, 15]` text (str/json), a pickle, or raw bytes (`bytes([3, 14, 15])`).',
    choices: [
      { value: 'auto', label: 'as the peer does (auto)', cli: ['auto'] },
      { value: 'text', label: 'text [3, 14, 15]', cli: ['text'] },
      { value: 'pickle', label: 'pickle', cli: ['pickle'] },
      { value: 'raw', label: 'raw bytes', cli: ['raw'] },
    ],
  },
  terminator: {
    kind: 'choice',
    label: 'Message ending',
    flag: 'terminator',
    side: 'both',
    default: 'auto',
    help: 'What ends each message sent: what the peer uses (auto), nothing, a newline (for programs that read lines: readline, makefile), \\r\\n, or \\0.',
    choices: [
      { value: 'auto', label: 'as the peer does (auto)', cli: ['auto'] },
      { value: 'none', label: 'nothing', cli: ['none'] },
      { value: 'lf', label: 'newline \\n', cli: ['lf', 'newline'] },
      { value: 'crlf', label: '\\r\\n', cli: ['crlf'] },
      { value: 'nul', label: 'NUL \\0', cli: ['nul'] },
    ],
  },
  greetFirst: {
    kind: 'choice',
    label: 'Greet the client',
    flag: 'greet',
    side: 'server',
    default: 'auto',
    help: 'Dedup/intersection server: send "Thank you for connecting" when the client does not speak first (auto), always, or never.',
    choices: [
      { value: 'auto', label: 'when it does not speak first (auto)', cli: ['auto'] },
      { value: 'always', label: 'always', cli: ['always'] },
      { value: 'never', label: 'never', cli: ['never'] },
    ],
  },
  acknowledge: {
    kind: 'choice',
    label: 'Acknowledge the greeting',
    flag: 'acknowledge',
    side: 'client',
    default: 'auto',
    help: 'Dedup/intersection client: answer a greeting with the acknowledgement only where that cannot break the server (auto), always before the list, or never.',
    choices: [
      { value: 'auto', label: 'only where it cannot break the server (auto)', cli: ['auto'] },
      { value: 'before-list', label: 'always, before the list', cli: ['before-list'] },
      { value: 'never', label: 'never', cli: ['never'] },
    ],
  },
  connectTimeoutMs: {
    kind: 'integer',
    label: 'Connect timeout',
    flag: 'connect-timeout',
    side: 'client',
    unit: 'ms',
    min: 1,
    max: 120_000,
    default: 5000,
    help: 'How long the client waits for the server to accept the connection.',
  },
  replyTimeoutMs: {
    kind: 'integer',
    label: 'Reply timeout',
    flag: 'reply-timeout',
    side: 'client',
    unit: 'ms',
    min: 1,
    max: 600_000,
    default: 5000,
    help: 'How long the client waits for an answer once the server has started talking to it (a client still waiting its turn at a one-at-a-time server never times out).',
  },
}

export const LIMIT_SETTINGS: Descriptors<ServerLimits> = {
  maxClients: {
    kind: 'integer',
    label: 'Clients at once',
    flag: 'max-clients',
    side: 'server',
    unit: 'connections',
    min: 1,
    max: 100_000,
    default: 20_000,
    help: 'Connections beyond this are told "error: server full" and closed. Never more than the open-file limit allows.',
    reached:
      'the new connection gets `error: server full (N clients)` and is closed; the Server pane shows it. Never more than the open-file limit leaves room for',
  },
  maxPerAddress: {
    kind: 'integer',
    label: 'Clients per address',
    flag: 'max-per-address',
    side: 'server',
    unit: 'connections',
    min: 1,
    max: 100_000,
    default: 64,
    help: 'One machine may hold at most this many connections, so one neighbour cannot take every slot.',
    reached:
      'the new connection gets `error: server full for your address (N connections)` and is closed; other addresses are still served',
  },
  maxMessageBytes: {
    kind: 'integer',
    label: 'Message size',
    flag: 'max-message-bytes',
    side: 'server',
    unit: 'bytes',
    min: 16,
    max: 16 * 1024 * 1024,
    default: 64 * 1024,
    help: 'A longer message gets "error: message too long" and the connection is closed.',
    reached: '`error: message too long (limit N bytes)`, then the connection is closed',
  },
  handshakeTimeoutMs: {
    kind: 'integer',
    label: 'Handshake timeout',
    flag: 'handshake-timeout',
    side: 'server',
    unit: 'ms',
    min: 1,
    max: 3_600_000,
    default: 30_000,
    help: 'A client that says nothing for this long after connecting is closed.',
    reached: 'a client that sends nothing gets `error: no message within N s of connecting` and is closed',
  },
  idleTimeoutMs: {
    kind: 'integer',
    label: 'Idle timeout',
    flag: 'idle-timeout',
    side: 'server',
    unit: 'ms',
    min: 1,
    max: 86_400_000,
    default: 300_000,
    help: 'A client that sends no whole message for this long after its first is closed, so its slot (and a one-at-a-time server) is freed; bytes that never make a message (blanks dribbled one by one) do not count. A vanished machine is found sooner by TCP keepalive.',
    reached:
      '`error: idle for N s` and the connection is closed; a one-at-a-time server serves the next client. A peer that vanished (unplugged, asleep) is dropped by TCP keepalive within about a minute; one that vanished before our last reply was acknowledged is left to this timeout (keepalive waits while data is unacknowledged)',
  },
  maxPendingOutputBytes: {
    kind: 'integer',
    label: 'Unread output',
    flag: 'max-pending-output',
    side: 'server',
    unit: 'bytes',
    min: 1024,
    max: 64 * 1024 * 1024,
    default: 1024 * 1024,
    help: 'A peer that sends requests without reading the answers is stopped being read from; past this many unread bytes it is closed.',
    reached:
      'reading from that peer pauses as soon as its answers back up; past the limit the connection is reset (its unread answers would hold back a FIN) and Connections says why',
  },
  consoleLinesPerSecond: {
    kind: 'integer',
    label: 'Console lines per second',
    flag: 'console-rate',
    side: 'server',
    unit: 'lines/s',
    min: 1,
    max: 100_000,
    default: 50,
    help: "At most this many lines a second per console; beyond, one line says how many were left out (Connections' counters stay exact).",
    reached: 'one line says how many lines were left out in that second; every message is still counted and in the traffic log',
  },
}

function defaults<T>(table: Descriptors<T>): T {
  return Object.fromEntries(Object.entries(table).map(([k, d]) => [k, (d as SettingDescriptor).default])) as T
}

export const DEFAULT_WIRE: WireSettings = defaults(WIRE_SETTINGS)
export const DEFAULT_LIMITS: ServerLimits = defaults(LIMIT_SETTINGS)

/** The help of every wire setting, for the controls that show it. */
export const WIRE_HELP = Object.fromEntries(Object.entries(WIRE_SETTINGS).map(([k, d]) => [k, d.help])) as Record<
  keyof WireSettings,
  string
>
export const LIMIT_HELP = Object.fromEntries(Object.entries(LIMIT_SETTINGS).map(([k, d]) => [k, d.help])) as Record<
  keyof ServerLimits,
  string
>

/** `100 ms`, `64 KiB`, `5 min`: a value in the words of its unit. */
export function formatSetting(d: IntegerSetting, value: number): string {
  if (d.unit === 'ms') {
    if (value >= 60_000 && value % 60_000 === 0) return `${value / 60_000} min`
    if (value >= 1000 && value % 1000 === 0) return `${value / 1000} s`
    return `${value} ms`
  }
  if (d.unit === 'bytes') {
    if (value >= 1024 * 1024 && value % (1024 * 1024) === 0) return `${value / (1024 * 1024)} MiB`
    if (value >= 1024 && value % 1024 === 0) return `${value / 1024} KiB`
    return `${value} bytes`
  }
  return `${value.toLocaleString('en-US')} ${d.unit}`
}
