// `socketlab serve|client|capture`: the same host as the app, printing the handout's lines to a terminal.

import readline from 'node:readline'
import type { ClientStartArgs, EngineEvent, ServerStartArgs } from '@shared/contract'
import { EXERCISES, HANDOUT_PORT, type Exercise, type ServerLimits, type WireSettings } from '@shared/settings'
import { Host } from '../main/host/host'
import { validate } from '../main/host/schemas'
import { captureCommand } from './capture'
import { flag, integer, numberList, oneOf, parseArgs, text, UsageError, type OptionSpec, type ParsedArgs } from './args'

const USAGE = `SocketLab: both peers of the Python socket labs, from a terminal.

Usage:
  socketlab serve <exercise> [--port P] [--host H] [--one-at-a-time] [options]
  socketlab client <exercise> --host H [--port P] [options]
  socketlab capture --port P [--interface I] [--write f.pcapng] [--count N] [--duration S]
                    [--max-size MB] [--sheet f.html] [--diagram f.svg] [--bundle DIR]

Exercises: greeting (Lab 1 task 1), dedup (task 2), intersection (task 3), adder (Lab 2).

serve:
  --port P              port to listen on (default ${HANDOUT_PORT}; 0 picks a free one)
  --host H              all (default: every interface), loopback, or one of this machine's addresses
  --one-at-a-time       serve one client at a time; the next waits (Lab 2 question 1)
  --set-size N          intersection: how many numbers the server's own set has (default 25)
  --max-clients N       refuse connections beyond N (default 20000)
  --max-message-bytes N answer longer messages with an error and close (default 65536)
  --handshake-timeout MS close a client that says nothing for MS after connecting (default 30000)

client:
  --host H              the server's IP address or host name (required)
  --port P              the server's port (default ${HANDOUT_PORT})
  --name N              adder: the whole client name (default: student-<random suffix>)
  --script a,a,q        adder: commands to run; without it, commands are read from the keyboard
  --numbers 1,5,5,9     dedup or intersection: the list to send
  --count N             dedup: how many random numbers to draw (default: random 25..100)
  --size N              intersection: how many distinct numbers to send (default 25)
  --ack TEXT            greeting, dedup, intersection: the acknowledgement (default "It was nice talking to you")
  --local-port N        bind the client's own port first, as the handout's client does (32451)

wire options (both):
  --separator S         adder pair separator: space (default), comma, plus
  --pace MS             gap between two messages sent in a row (default 250)
  --quiet MS            an unterminated message is complete after MS of quiet (default 100)
  --list-encoding E     auto (default), text or pickle
  --greet G             dedup/intersection server: auto (default), always, never
  --no-answer-greeting  dedup/intersection client: do not answer a greeting
  --line-mode           end every message with a newline
  --connect-timeout MS  (default 5000)
  --reply-timeout MS    (default 5000)

Exit status: 0 when the exchange went as the handout says; 1 when it did not (refused, timed out,
wrong or malformed answer); 2 for a usage error.`

const WIRE_OPTIONS: Record<string, OptionSpec> = {
  separator: { value: true },
  pace: { value: true },
  quiet: { value: true },
  'list-encoding': { value: true },
  greet: { value: true },
  'no-answer-greeting': {},
  'line-mode': {},
  'connect-timeout': { value: true },
  'reply-timeout': { value: true },
  help: {},
}

const SERVE_OPTIONS: Record<string, OptionSpec> = {
  ...WIRE_OPTIONS,
  port: { value: true },
  host: { value: true },
  'one-at-a-time': {},
  'set-size': { value: true },
  'max-clients': { value: true },
  'max-message-bytes': { value: true },
  'handshake-timeout': { value: true },
}

const CLIENT_OPTIONS: Record<string, OptionSpec> = {
  ...WIRE_OPTIONS,
  port: { value: true },
  host: { value: true },
  name: { value: true },
  script: { value: true },
  numbers: { value: true },
  count: { value: true },
  size: { value: true },
  ack: { value: true },
  'local-port': { value: true },
}

function wireOf(args: ParsedArgs): Partial<WireSettings> {
  const wire: Partial<WireSettings> = {}
  const set = <K extends keyof WireSettings>(key: K, value: WireSettings[K] | undefined): void => {
    if (value !== undefined) wire[key] = value
  }
  set('pairSeparator', oneOf(args, 'separator', { space: ' ', ' ': ' ', comma: ',', ',': ',', plus: '+', '+': '+' } as const))
  set('paceMs', integer(args, 'pace', 0, 10_000))
  set('quietMs', integer(args, 'quiet', 1, 10_000))
  set('listEncoding', oneOf(args, 'list-encoding', { auto: 'auto', text: 'text', pickle: 'pickle' } as const))
  set('greetFirst', oneOf(args, 'greet', { auto: 'auto', always: 'always', never: 'never' } as const))
  if (flag(args, 'no-answer-greeting')) wire.answerGreeting = false
  if (flag(args, 'line-mode')) wire.lineMode = true
  set('connectTimeoutMs', integer(args, 'connect-timeout', 1, 120_000))
  set('replyTimeoutMs', integer(args, 'reply-timeout', 1, 600_000))
  return wire
}

function exerciseOf(args: ParsedArgs, command: string): Exercise {
  const name = args.positional[0]
  if (!name) throw new UsageError(`${command} needs an exercise: ${EXERCISES.join(', ')}`)
  if (!(EXERCISES as readonly string[]).includes(name))
    throw new UsageError(`unknown exercise "${name}": choose ${EXERCISES.join(', ')}`)
  if (args.positional.length > 1) throw new UsageError(`unexpected argument "${args.positional[1]}"`)
  return name as Exercise
}

/** The same checks the app's bridge applies; a failure is a usage error (exit 2). */
function usable(name: 'clientStart' | 'serverStart', request: ClientStartArgs | ServerStartArgs): void {
  const checked = validate(name, JSON.parse(JSON.stringify(request)))
  if (!checked.ok) throw new UsageError(checked.error)
}

export interface Io {
  out: NodeJS.WritableStream
  err: NodeJS.WritableStream
  input: NodeJS.ReadableStream
}

/** Print every console line of this owner as it happens: info to stdout, errors to stderr. */
function printLines(host: Host, io: Io): () => void {
  return host.onEvent(
    (e: EngineEvent) => {
      if (e.type === 'line') (e.line.level === 'error' ? io.err : io.out).write(`${e.line.text}\n`)
    },
    { linesOnly: true },
  )
}

async function serve(argv: string[], io: Io, signals: NodeJS.EventEmitter): Promise<number> {
  const args = parseArgs(argv, SERVE_OPTIONS)
  if (flag(args, 'help')) return (io.out.write(`${USAGE}\n`), 0)
  const exercise = exerciseOf(args, 'serve')
  const limits: Partial<ServerLimits> = {}
  const maxClients = integer(args, 'max-clients', 1, 100_000)
  const maxBytes = integer(args, 'max-message-bytes', 16, 16 * 1024 * 1024)
  const handshake = integer(args, 'handshake-timeout', 1, 3_600_000)
  if (maxClients !== undefined) limits.maxClients = maxClients
  if (maxBytes !== undefined) limits.maxMessageBytes = maxBytes
  if (handshake !== undefined) limits.handshakeTimeoutMs = handshake
  const request: ServerStartArgs = {
    exercise,
    host: text(args, 'host') ?? 'all',
    port: integer(args, 'port', 0, 65535) ?? HANDOUT_PORT,
    oneAtATime: flag(args, 'one-at-a-time'),
    wire: wireOf(args),
    limits,
    setSize: integer(args, 'set-size', 0, 100),
  }
  usable('serverStart', request)
  const host = new Host()
  printLines(host, io)
  const started = await host.call('serverStart', request)
  if (!started.ok) {
    io.err.write(`${started.error}\n`)
    await host.close()
    return 1
  }
  io.out.write(`Serving ${exercise} on port ${started.value.port}; press Ctrl+C to stop.\n`)
  await new Promise<void>((resolve) => {
    signals.once('SIGINT', resolve)
    signals.once('SIGTERM', resolve)
  })
  await host.close()
  return 0
}

async function client(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, CLIENT_OPTIONS)
  if (flag(args, 'help')) return (io.out.write(`${USAGE}\n`), 0)
  const exercise = exerciseOf(args, 'client')
  const hostName = text(args, 'host')
  if (!hostName) throw new UsageError("client needs --host: the server's IP address or host name (127.0.0.1 for this machine)")
  const script = text(args, 'script')
  if (script !== undefined && exercise !== 'adder') throw new UsageError('--script is for the adder exercise')
  const request: ClientStartArgs = {
    exercise,
    host: hostName,
    port: integer(args, 'port', 1, 65535) ?? HANDOUT_PORT,
    wire: wireOf(args),
    localPort: integer(args, 'local-port', 1, 65535),
    params: {
      name: text(args, 'name'),
      ack: text(args, 'ack'),
      numbers: numberList(args, 'numbers'),
      count: integer(args, 'count', 1, 10_000),
      size: integer(args, 'size', 0, 100),
    },
  }
  usable('clientStart', request)
  const host = new Host()
  printLines(host, io)
  const ended = new Promise<{ ok: boolean; error?: string }>((resolve) => {
    host.onEvent((e) => {
      if (e.type === 'client-ended') resolve(e)
    })
  })
  const started = await host.call('clientStart', request)
  if (!started.ok) {
    // The client already printed why it could not connect (refused, timed out, name not found…).
    await host.close()
    return 1
  }
  if (exercise === 'adder') void feedCommands(host, started.value.clientId, script, io)
  const outcome = await ended
  await host.close()
  if (!outcome.ok) {
    io.err.write(`The exchange did not go as the handout says: ${outcome.error ?? 'unknown error'}\n`)
    return 1
  }
  return 0
}

/** Adder commands from --script, or typed at the keyboard like the handout's client. */
async function feedCommands(host: Host, clientId: string, script: string | undefined, io: Io): Promise<void> {
  const send = async (command: string): Promise<boolean> => (await host.call('clientCommand', { clientId, command })).ok
  if (script !== undefined) {
    const commands = script.split(',').map((c) => c.trim())
    for (const command of commands) if (!(await send(command))) return
    if (commands[commands.length - 1] !== 'q') await send('q')
    return
  }
  const rl = readline.createInterface({ input: io.input, terminal: false })
  const interactive = (io.input as NodeJS.ReadStream).isTTY === true
  if (interactive) io.out.write('Enter command (a = add, q = quit): ')
  for await (const line of rl) {
    if (!(await send(line))) break
    if (line.trim() === 'q') break
    if (interactive) io.out.write('Enter command: ')
  }
  rl.close()
  // End of input counts as q.
  await send('q')
}

export async function run(argv: string[], io: Io, signals: NodeJS.EventEmitter = process): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case 'serve':
        return await serve(rest, io, signals)
      case 'client':
        return await client(rest, io)
      case 'capture':
        return await captureCommand(rest, io.out, io.err)
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out.write(`${USAGE}\n`)
        return command === undefined ? 2 : 0
      default:
        throw new UsageError(`unknown command "${command}": use serve, client or capture`)
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err.write(`socketlab: ${err.message}\nRun "socketlab --help" for the options.\n`)
      return 2
    }
    io.err.write(`socketlab: ${err instanceof Error ? err.message : String(err)}\n`)
    return 1
  }
}
