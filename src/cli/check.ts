// `socketlab check server|client|roster`: the handout's requirements asked of a student's own program,
// from a terminal or a script. Prints one line per check (with the detail and the fix of each failure),
// writes --json / --html / --markdown reports, and exits 0 when every required check passed, 1 when one
// failed or the target could not be reached (with the connection doctor's explanation), 2 for a usage error.

import { writeFileSync, readFileSync } from 'node:fs'
import { CHECK_QUESTIONS, type CheckQuestion, type CheckReport } from '@shared/contract'
import { checkHostInput } from '@shared/endpoint'
import { HANDOUT_PORT } from '@shared/settings'
import { checkClient } from '../main/check/client-check'
import { htmlReport, jsonReport, markdownReport, textReport } from '../main/check/report'
import { parseRoster, rosterCsv, rosterErrorText, rosterJson, runRoster } from '../main/check/roster'
import { checkServer } from '../main/check/server-check'
import { visible } from '../main/wire/text'
import { flag, integer, parseArgs, text, UsageError, type OptionSpec } from './args'
import type { Io } from './run'

export const CHECK_USAGE = `socketlab check: the handout's requirements, asked of your own program.

Usage:
  socketlab check server <question> --host H --port P [--json FILE] [-- COMMAND ARGS…]
  socketlab check client <question> [--port P] [--connections N] [--timeout S] [--json FILE] [-- COMMAND ARGS…]
  socketlab check roster FILE.csv [--json FILE] [--csv FILE]

Questions: ${CHECK_QUESTIONS.join(', ')}
  (greeting, dedup, intersection: Lab 1 tasks 1-3; adder: Lab 2 question 1; adder-many: question 2)

server   connects to your server and runs every check of the question on fresh connections.
         With -- COMMAND (e.g. -- python3 server.py), SocketLab starts your server first, waits for it
         to listen on --port, runs the checks and also checks what it printed. --host defaults to
         where it listens then.
client   serves the question on --port (default ${HANDOUT_PORT}; 0 picks a free one) and grades each client
         that connects: --connections N of them (default 1), waiting at most --timeout S seconds
         (default 60). With -- COMMAND (e.g. -- python3 client.py 127.0.0.1 12345), SocketLab starts your
         client itself N times, types the handout's keyboard input (adder: a, a, x, q) and checks what it
         printed; {port} in the command becomes the port served on.
roster   checks every team's server of a CSV file with the header team,host,port,question, a few at a
         time; --csv writes one row per team, --json every report.

Reports: --json FILE (the results with the evidence), --html FILE (a self-contained page to hand in),
--markdown FILE.

Exit status: 0 when every required check passed; 1 when one failed or the target could not be
reached; 2 for a usage error.`

const REPORTS: Record<string, OptionSpec> = { json: { value: true }, html: { value: true }, markdown: { value: true }, help: {} }

/** Split `… -- COMMAND ARGS` before option parsing: the command's own options are not ours. */
function splitCommand(argv: string[]): { own: string[]; command?: string[] } {
  const at = argv.indexOf('--')
  if (at < 0) return { own: argv }
  const command = argv.slice(at + 1)
  if (!command.length)
    throw new UsageError('nothing after "--": give the command that runs your program, e.g. -- python3 server.py')
  return { own: argv.slice(0, at), command }
}

function questionOf(positional: string[], what: string): CheckQuestion {
  const q = positional[0]
  if (!q) throw new UsageError(`check ${what} needs a question: ${CHECK_QUESTIONS.join(', ')}`)
  if (!(CHECK_QUESTIONS as readonly string[]).includes(q))
    throw new UsageError(`unknown question "${q}": choose ${CHECK_QUESTIONS.join(', ')}`)
  if (positional.length > 1) throw new UsageError(`unexpected argument "${positional[1]}"`)
  return q as CheckQuestion
}

/** A report's lines for a terminal: what a program sent or printed, quoted in them, made visible line by line. */
function terminalLines(lines: string): string {
  return lines.split('\n').map(visible).join('\n')
}

function write(file: string, content: string, io: Io): boolean {
  try {
    writeFileSync(file, content)
    return true
  } catch (err) {
    io.err.write(`socketlab: cannot write ${file}: ${err instanceof Error ? err.message : String(err)}\n`)
    return false
  }
}

function finish(report: CheckReport, args: ReturnType<typeof parseArgs>, io: Io): number {
  io.out.write(`${terminalLines(textReport(report))}\n`)
  let wrote = true
  const json = text(args, 'json')
  const html = text(args, 'html')
  const md = text(args, 'markdown')
  if (json) wrote = write(json, jsonReport(report), io) && wrote
  if (html) wrote = write(html, htmlReport(report), io) && wrote
  if (md) wrote = write(md, markdownReport(report), io) && wrote
  return report.ok && wrote ? 0 : 1
}

async function server(argv: string[], io: Io): Promise<number> {
  const { own, command } = splitCommand(argv)
  const args = parseArgs(own, { ...REPORTS, host: { value: true }, port: { value: true } })
  if (flag(args, 'help')) return (io.out.write(`${CHECK_USAGE}\n`), 0)
  const question = questionOf(args.positional, 'server')
  const hostText = text(args, 'host')
  if (!hostText && !command)
    throw new UsageError("check server needs --host: the server's IP address (127.0.0.1 for this machine)")
  let host: string | undefined
  if (hostText) {
    const checked = checkHostInput(hostText)
    if (!checked.ok) throw new UsageError(`--host: ${checked.error}`)
    host = checked.host
  }
  const port = integer(args, 'port', 1, 65535)
  if (port === undefined)
    throw new UsageError(`check server needs --port: the port the server listens on (the handouts use ${HANDOUT_PORT})`)
  const report = await checkServer({ question, host, port, command })
  return finish(report, args, io)
}

async function client(argv: string[], io: Io): Promise<number> {
  const { own, command } = splitCommand(argv)
  const args = parseArgs(own, { ...REPORTS, port: { value: true }, connections: { value: true }, timeout: { value: true } })
  if (flag(args, 'help')) return (io.out.write(`${CHECK_USAGE}\n`), 0)
  const question = questionOf(args.positional, 'client')
  const port = integer(args, 'port', 0, 65535) ?? HANDOUT_PORT
  const connections = integer(args, 'connections', 1, 50) ?? 1
  const timeoutS = integer(args, 'timeout', 1, 3600) ?? 60
  const report = await checkClient({
    question,
    port,
    connections,
    timeoutMs: timeoutS * 1000,
    command,
    onListening: (p) => {
      if (!command)
        io.out.write(
          `Serving the ${question} question on port ${p}: start your client (${connections} connection${connections === 1 ? '' : 's'}, ${timeoutS} s at most).\n`,
        )
    },
  })
  return finish(report, args, io)
}

async function roster(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { json: { value: true }, csv: { value: true }, help: {} })
  if (flag(args, 'help')) return (io.out.write(`${CHECK_USAGE}\n`), 0)
  const file = args.positional[0]
  if (!file) throw new UsageError('check roster needs a CSV file with the header team,host,port,question')
  if (args.positional.length > 1) throw new UsageError(`unexpected argument "${args.positional[1]}"`)
  let content: string
  try {
    content = readFileSync(file, 'utf8')
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`)
  }
  const { entries, errors } = parseRoster(content)
  if (errors.length) {
    for (const e of errors) io.err.write(`${file}: ${rosterErrorText(e)}\n`)
    throw new UsageError(
      `${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} and run again`,
    )
  }
  const width = Math.max(4, ...entries.map((e) => e.team.length))
  const results = await runRoster(entries, {
    onResult: (r) => {
      if (!r.report) return
      const rep = r.report
      const head = `${rep.ok ? 'pass' : 'FAIL'}  ${r.entry.team.padEnd(width)}  ${r.entry.question.padEnd(12)} ${r.entry.host}:${r.entry.port}  ${rep.passed} passed, ${rep.failed} failed`
      const fails = rep.checks.filter((c) => c.ok === false).map((c) => `        ${c.id}: ${c.detail}`)
      io.out.write(`${terminalLines([head, ...fails].join('\n'))}\n`)
    },
  })
  const passed = results.filter((r) => r.report?.ok).length
  io.out.write(`\n${passed} of ${results.length} teams passed every required check.\n`)
  let wrote = true
  const json = text(args, 'json')
  const csv = text(args, 'csv')
  if (json) wrote = write(json, rosterJson(results, file), io) && wrote
  if (csv) wrote = write(csv, rosterCsv(results), io) && wrote
  return passed === results.length && wrote ? 0 : 1
}

export async function checkCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv
  switch (sub) {
    case 'server':
      return server(rest, io)
    case 'client':
      return client(rest, io)
    case 'roster':
      return roster(rest, io)
    case undefined:
    case '--help':
    case 'help':
      io.out.write(`${CHECK_USAGE}\n`)
      return sub === undefined ? 2 : 0
    default:
      throw new UsageError(`unknown check "${sub}": use check server, check client or check roster`)
  }
}
