// Wire-compatibility settings and limits. One definition, used by the engine, the CLI, the
// bridge validation and the renderer's forms (with the explanations shown next to each control).

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

export const LIST_ENCODINGS = ['auto', 'text', 'pickle'] as const
export type ListEncoding = (typeof LIST_ENCODINGS)[number]

export const GREET_MODES = ['auto', 'always', 'never'] as const
export type GreetMode = (typeof GREET_MODES)[number]

export interface WireSettings {
  /** Separator of the adder's pair, `3 7` by default; a classmate's server may `split(',')`. */
  pairSeparator: PairSeparator
  /** Gap between two messages sent in a row, so a naive `recv(1024)` sees them apart. */
  paceMs: number
  /** How long the peer must be quiet before an unterminated message counts as complete. */
  quietMs: number
  /** Lists go out as `[3, 14, 15]` (text), as a pickle, or as the peer spoke (auto). */
  listEncoding: ListEncoding
  /** Dedup and intersection servers: greet when the client has not spoken (auto), always, never. */
  greetFirst: GreetMode
  /** Dedup and intersection clients: answer an optional greeting with the acknowledgement. */
  answerGreeting: boolean
  /** Append `\n` to every message sent (for peers that read lines). */
  lineMode: boolean
  /** Client: give up connecting after this long. */
  connectTimeoutMs: number
  /** Client: give up waiting for an answer after this long. */
  replyTimeoutMs: number
}

export interface ServerLimits {
  /** Connections beyond this are told `error: server full` and closed. */
  maxClients: number
  /** A message longer than this is answered with an error and the connection closed. */
  maxMessageBytes: number
  /** A client that has not completed its first message within this is closed. */
  handshakeTimeoutMs: number
}

export const DEFAULT_WIRE: WireSettings = {
  pairSeparator: ' ',
  paceMs: 250,
  quietMs: 100,
  listEncoding: 'auto',
  greetFirst: 'auto',
  answerGreeting: true,
  lineMode: false,
  connectTimeoutMs: 5000,
  replyTimeoutMs: 5000,
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxClients: 20000,
  maxMessageBytes: 64 * 1024,
  handshakeTimeoutMs: 30000,
}

/** One line per setting: which classmate's program needs it. Shown next to each control. */
export const WIRE_HELP: Record<keyof WireSettings, string> = {
  pairSeparator:
    "The adder's two numbers: `3 7`, `3,7` or `3+7`. Match your classmate's server, e.g. `split(',')` needs a comma.",
  paceMs: "Pause between two messages sent in a row, so a classmate's `recv(1024)` does not get them glued together.",
  quietMs: 'A message with no end marker counts as complete once the peer has been quiet this long.',
  listEncoding: 'How lists go out: `[3, 14, 15]` text (str/json), a pickle, or whatever the peer used (auto).',
  greetFirst:
    'Dedup/intersection server: send "Thank you for connecting" if the client does not speak first (auto), always, or never.',
  answerGreeting: 'Dedup/intersection client: answer a greeting with the acknowledgement before sending the list.',
  lineMode: 'Add a newline to every message, for programs that read lines (readline, makefile).',
  connectTimeoutMs: 'How long the client waits for the server to accept the connection.',
  replyTimeoutMs: 'How long the client waits for an answer before reporting "no answer".',
}

export const LIMIT_HELP: Record<keyof ServerLimits, string> = {
  maxClients: 'Connections beyond this are told "error: server full" and closed.',
  maxMessageBytes: 'A longer message gets "error: message too long" and the connection is closed.',
  handshakeTimeoutMs: 'A client that says nothing for this long after connecting is closed.',
}
