// `socketlab serve|client|capture`: the same host as the app, printing the handout's lines to a terminal.
// Peer text is printed with control characters made visible, so a classmate's server can never clear the
// screen, retitle the window or fake a line. The options of the settings come from the one table in
// src/shared/settings.ts (see options.ts).

import readline from 'node:readline'
import type { ClientStartArgs, EngineEvent, ServerStartArgs } from '@shared/contract'
import { describeConvention } from '@shared/convention'
import { cliFlag } from '@shared/fields'
import { EXERCISES, HANDOUT_PORT, type Exercise } from '@shared/settings'
import { Host } from '../main/host/host'
import { validate, type FieldWords } from '../main/host/schemas'
import { visible } from '../main/wire/text'
import { captureCommand } from './capture'
import { checkCommand } from './check'
import { flag, integer, numberList, parseArgs, text, UsageError, type OptionSpec, type ParsedArgs } from './args'
import { limitsHelp, limitsOf, settingOptions, wireHelp, wireOf } from './options'

/** The help text, composed when it is printed (formatting every default at import cost each start ~20 ms). */
const usage = (): string => `SocketLab: both peers of the Python socket labs, from a terminal.

Usage:
  socketlab serve <exercise> [--port P] [--host H] [--one-at-a-time] [options]
  socketlab client <exercise> --host H [--port P] [options]
  socketlab capture --port P [--interface I] [--write f.pcapng] [--count N] [--duration S]
                    [--max-size MB] [--sheet f.html] [--diagram f.svg] [--bundle DIR]

Exercises: greeting (Lab 1 task 1), dedup (task 2), intersection (task 3), adder (Lab 2).

serve:
  --port P                    port to listen on (default ${HANDOUT_PORT}; 0 picks a free one)
  --host H                    all (default: every interface), loopback, or one of this machine's addresses
  --one-at-a-time             serve one client at a time; the next waits (Lab 2 question 1)
  --set-size N                intersection: how many numbers the server's own set has (default 25)

client:
  --host H                    the server's IP address or host name (required)
  --port P                    the server's port (default ${HANDOUT_PORT})
  --name N                    adder: the whole client name (default: student-<random suffix>)
  --script a,a,q              adder: commands to run; without it, commands are read from the keyboard
  --numbers 1,5,5,9           dedup or intersection: the list to send
  --count N                   dedup: how many random numbers to draw (default: random 25..100)
  --size N                    intersection: how many distinct numbers to send (default 25)
  --ack TEXT                  greeting, dedup, intersection: the acknowledgement (default "It was nice talking to you")
  --local-port N              bind the client's own port first, as the handout's client does (32451)

wire settings:
${wireHelp()}

limits (serve):
${limitsHelp()}

Exit status: 0 when the exchange went as the handout says; 1 when it did not (refused, timed out,
wrong or malformed answer); 2 for a usage error.`

const SERVE_OPTIONS: Record<string, OptionSpec> = {
  ...settingOptions('server', true),
  help: {},
  port: { value: true },
  host: { value: true },
  'one-at-a-time': {},
  'set-size': { value: true },
}

const CLIENT_OPTIONS: Record<string, OptionSpec> = {
  ...settingOptions('client', false),
  help: {},
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

function exerciseOf(args: ParsedArgs, command: string): Exercise {
  const name = args.positional[0]
  if (!name) throw new UsageError(`${command} needs an exercise: ${EXERCISES.join(', ')}`)
  if (!(EXERCISES as readonly string[]).includes(name))
    throw new UsageError(`unknown exercise "${name}": choose ${EXERCISES.join(', ')}`)
  if (args.positional.length > 1) throw new UsageError(`unexpected argument "${args.positional[1]}"`)
  return name as Exercise
}

/** The same checks the app's bridge applies, each failure naming the option (`--port must be …`); exit 2. */
function usable(name: 'clientStart' | 'serverStart', request: ClientStartArgs | ServerStartArgs): void {
  const checked = validate(name, JSON.parse(JSON.stringify(request)), FLAG_WORDS)
  if (!checked.ok) throw new UsageError(checked.error)
}

/** Errors for a terminal name the option that was typed, also before a sentence of its own (`--host: …`). */
const FLAG_WORDS: FieldWords = { label: cliFlag, nameSentences: true }

export interface Io {
  out: NodeJS.WritableStream
  err: NodeJS.WritableStream
  input: NodeJS.ReadableStream
}

/**
 * Print every console line as it happens (info to stdout, errors to stderr), peer text made visible;
 * the echo of a typed command only when commands come from --script (at a keyboard it is already there).
 */
function printLines(host: Host, io: Io, echo: boolean): () => void {
  return host.onEvent(
    (e: EngineEvent) => {
      if (e.type !== 'line' || (e.line.level === 'input' && !echo)) return
      ;(e.line.level === 'error' ? io.err : io.out).write(`${visible(e.line.text)}\n`)
    },
    { linesOnly: true },
  )
}

/** Say once what the peer's convention is, each time it changes (SocketLab answers in kind). */
function printConventions(host: Host, io: Io, whose: string): () => void {
  const shown = new Map<string, string>()
  return host.onEvent(
    (e) => {
      if (e.type !== 'conn-updated' || !e.convention) return
      const words = describeConvention(e.convention)
      if (shown.get(e.connId) === words) return
      shown.set(e.connId, words)
      io.out.write(`(${whose}: ${words}; answering in kind)\n`)
    },
    // Only what it prints: a server answering thousands of sums a second makes no result event for it.
    { types: ['conn-updated'] },
  )
}

async function serve(argv: string[], io: Io, signals: NodeJS.EventEmitter): Promise<number> {
  const args = parseArgs(argv, SERVE_OPTIONS)
  if (flag(args, 'help')) return (io.out.write(`${usage()}\n`), 0)
  const exercise = exerciseOf(args, 'serve')
  const request: ServerStartArgs = {
    exercise,
    host: text(args, 'host') ?? 'all',
    port: integer(args, 'port', 0, 65535) ?? HANDOUT_PORT,
    oneAtATime: flag(args, 'one-at-a-time'),
    wire: wireOf(args, 'server'),
    limits: limitsOf(args),
    setSize: integer(args, 'set-size', 0, 100),
  }
  usable('serverStart', request)
  const host = new Host()
  printLines(host, io, false)
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
  if (flag(args, 'help')) return (io.out.write(`${usage()}\n`), 0)
  const exercise = exerciseOf(args, 'client')
  const hostName = text(args, 'host')
  if (!hostName) throw new UsageError("client needs --host: the server's IP address or host name (127.0.0.1 for this machine)")
  const script = text(args, 'script')
  if (script !== undefined && exercise !== 'adder') throw new UsageError('--script is for the adder exercise')
  const request: ClientStartArgs = {
    exercise,
    host: hostName,
    port: integer(args, 'port', 1, 65535) ?? HANDOUT_PORT,
    wire: wireOf(args, 'client'),
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
  const interactive = script === undefined && (io.input as NodeJS.ReadStream).isTTY === true
  printLines(host, io, script !== undefined)
  printConventions(host, io, 'the server')
  const ended = new Promise<{ ok: boolean; error?: string }>((resolve) => {
    host.onEvent(
      (e) => {
        if (e.type === 'client-ended') resolve(e)
      },
      { types: ['client-ended'] },
    )
  })
  // At a keyboard, the prompt comes when the client can take a command: after `ack`, after each answer.
  if (interactive)
    host.onEvent(
      (e) => {
        if (e.type === 'client-updated' && e.phase === 'ready') io.out.write('Enter command (a = add, q = quit): ')
      },
      { types: ['client-updated'] },
    )
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
    io.err.write(`The exchange did not go as the handout says: ${visible(outcome.error ?? 'unknown error')}\n`)
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
  for await (const line of rl) {
    if (!(await send(line))) break
    if (line.trim() === 'q') break
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
      case 'check':
        return await checkCommand(rest, io)
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out.write(`${usage()}\n`)
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
