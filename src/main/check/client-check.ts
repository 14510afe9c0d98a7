// Check a client: SocketLab serves the question on a port, as the handout's server would, and grades
// every client that connects: its name first and unique (adder), the pair bundled in one string and in
// range, the list's size and range (dedup, intersection), a clean close on q, and whether it read what it
// was sent (a client that closes with unread data makes its kernel send a reset, which is seen here). The
// server greets a dedup or intersection client that stays silent and does not greet one that speaks
// first; it answers in the client's own convention (a newline-terminated client gets newline-terminated
// answers, a pickle gets a pickle). With a command (Run my program) SocketLab starts the client itself,
// once per connection, types the handout's keyboard input and also checks the lines it printed.

import net from 'node:net'
import type { CheckPlan, CheckQuestion, CheckReport, CheckResult, CommandName } from '@shared/contract'
import { cliFlag, fieldLabel } from '@shared/fields'
import { ADDER_ACK, GREETING_TEXT } from '@shared/settings'
import { statesOfLocalPort, timeWaitTowards } from '../doctor/system'
import { diagnoseSync } from '../doctor/doctor'
import { formatList, randomSet, type Rng } from '@shared/lab'
import { dedup, intersection } from '../exercises/sets'
import { clean, isPlainText, parseList, parseNumber, parsePair } from '../wire/parse'
import { writePickle } from '../wire/pickle'
import type { Expect } from '../wire/framer'
import { duplicatesEachOnce, duplicatesEveryExtra } from '../exercises/answers'
import { printedDuplicatesLine, lineWithSequence, numberAfterPhrase, outputLines, phraseEnd } from './printed'
import { planOf, Results, specsFor } from './checks'
import { Conn } from './conn'
import { EvidenceLog } from './evidence'
import { describeExit, lastOutput, Program } from './program'
import { shown } from './server-check'

export interface ClientCheckOptions {
  question: CheckQuestion
  /** The port to serve on (0: a free one; the handout's is 12345). */
  port: number
  /** Address to listen on (default: every address, so a neighbour's client can connect too). */
  bind?: string
  /** How many clients to grade (default 1). With a command, it is started this many times. */
  connections?: number
  /** Bound on the whole wait, in ms. */
  timeoutMs: number
  /** Run my program (argv, no shell); `{port}` in an argument becomes the port served on. */
  command?: string[]
  cwd?: string
  rng?: Rng
  /** Told the port once SocketLab listens (the CLI prints it for a student who starts the client by hand). */
  onListening?: (port: number) => void
  /** Told the checks this run will answer, in order, before the first client is graded (the app's rows). */
  onPlan?: (checks: CheckPlan[]) => void
  /** Told each check's result as soon as it is settled. */
  onResult?: (result: CheckResult) => void
  /** Cancel: stop waiting, close every connection, stop the programs started. */
  signal?: AbortSignal
}

/** The handout's keyboard input for each question: the adder's `a`, `a`, a wrong command, `q`. */
export const KEYBOARD: Record<CheckQuestion, string> = {
  greeting: '',
  dedup: '',
  intersection: '',
  adder: 'a\na\nx\nq\n',
  'adder-many': 'a\na\nx\nq\n',
}

/** The handout's client binds its own port to this (`portc = 32451`). */
const HANDOUT_CLIENT_PORT = 32451
const LIST_EXPECT: Expect = { kind: 'list', leadingText: true }
const PAIR_EXPECT: Expect = { kind: 'pair' }
const NUMBER_EXPECT: Expect = { kind: 'number' }
/** Gap between two messages sent in a row, so a `recv(1024)` sees them apart. */
const PACE_MS = 250
/** How long a dedup or intersection client may stay silent before it is greeted. */
const SILENT_MS = 400

interface Verdict {
  ok: boolean | null
  detail: string
  fix?: string
}

/** What one connection did, as graded. */
interface Graded {
  conn: Conn
  verdicts: Map<string, Verdict>
  name?: string
  /** Adder: every request answered (the numbers as sent and the sum sent back). */
  requests: { a: number; b: number; sum: number }[]
  /** Dedup: the final list and the duplicates sent back; intersection: the common numbers. */
  final?: number[]
  duplicates?: number[]
  duplicatesExtra?: number[]
  common?: number[]
  /** The connection ended: cleanly (FIN), reset, or still open at the deadline. */
  end: 'peer-closed' | 'peer-reset' | 'open'
  /** SocketLab sent the last bytes after the client's last message (so a reset means "did not read"). */
  unreadPossible: boolean
}

function terminatorOf(raw: Buffer): string {
  if (raw.length >= 2 && raw[raw.length - 2] === 0x0d && raw[raw.length - 1] === 0x0a) return '\r\n'
  if (raw.length && raw[raw.length - 1] === 0x0a) return '\n'
  if (raw.length && raw[raw.length - 1] === 0x00) return '\0'
  return ''
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

function remaining(deadline: number): number {
  return Math.max(1, deadline - Date.now())
}

/** Wait for the client to end the connection after the exchange, then close ours. */
async function finish(g: Graded, deadline: number, waitMs = 3000): Promise<void> {
  const end = await g.conn.waitEnd(Math.min(waitMs, remaining(deadline)))
  g.end = end
  await g.conn.close()
}

function readsVerdict(g: Graded, what: string): Verdict {
  if (g.end === 'peer-reset')
    return g.unreadPossible
      ? {
          ok: false,
          detail: `The client closed while ${what} was still unread (its kernel reset the connection).`,
          fix: "Read the server's reply before closing: `data = s.recv(1024)`, print it, then `s.close()`.",
        }
      : { ok: null, detail: 'The connection was reset by the client (did it crash?).' }
  if (g.end === 'open') return { ok: null, detail: 'The client was still connected at the end of the wait.' }
  return { ok: true, detail: `The client read ${what} and closed the connection cleanly.` }
}

// ------------------------------------------------------------------------------------------------

async function gradeGreeting(g: Graded, deadline: number): Promise<void> {
  const c = g.conn
  c.send(GREETING_TEXT)
  g.unreadPossible = true
  const r = await c.read({ kind: 'text' }, remaining(deadline))
  if (r.kind === 'message') {
    g.unreadPossible = false
    g.verdicts.set('acknowledgement', { ok: true, detail: `The client answered the greeting with ${shown(r.raw)}.` })
  } else
    g.verdicts.set('acknowledgement', {
      ok: false,
      detail:
        r.kind === 'silent'
          ? 'The client sent nothing after the greeting.'
          : 'The client closed the connection without an acknowledgement.',
      fix: "After printing the greeting, send the acknowledgement: `s.send('It was nice talking to you'.encode())`.",
    })
  await finish(g, deadline)
  g.verdicts.set('reads', readsVerdict(g, 'the greeting'))
}

/** A dedup or intersection client: optional greeting and acknowledgement, then the list. */
async function readClientList(g: Graded, deadline: number): Promise<{ values: number[]; raw: Buffer; pickle: boolean } | null> {
  const c = g.conn
  let r = await c.read(LIST_EXPECT, Math.min(SILENT_MS, remaining(deadline)))
  let greeted = false
  if (r.kind === 'silent') {
    // A silent client waits for the handout's greeting.
    c.send(GREETING_TEXT)
    greeted = true
    r = await c.read(LIST_EXPECT, remaining(deadline))
  }
  for (let i = 0; i < 3 && r.kind === 'message' && isPlainText(r.text); i++) {
    // An acknowledgement (before or after our greeting): note it and read on.
    g.verdicts.set('greeting-flow', {
      ok: true,
      detail: `${greeted ? 'Greeted; t' : 'T'}he client said ${shown(r.raw)} before its list.`,
    })
    r = await c.read(LIST_EXPECT, remaining(deadline))
  }
  if (r.kind !== 'message') {
    const why = r.kind === 'silent' ? 'The client sent no list.' : 'The client closed the connection without sending a list.'
    g.verdicts.set('list-size', { ok: false, detail: why, fix: 'Send the list: `s.send(str(numbers).encode())`.' })
    g.verdicts.set('list-range', { ok: null, detail: why })
    return null
  }
  const parsed = parseList(r.bytes, r.text)
  if (!parsed.ok) {
    g.verdicts.set('list-size', {
      ok: false,
      detail: `The client sent ${shown(r.raw)}, which is not a list of numbers (${parsed.error}).`,
      fix: 'Send the list as text, `s.send(str(numbers).encode())`, or as a pickle.',
    })
    g.verdicts.set('list-range', { ok: null, detail: 'No list to judge.' })
    return null
  }
  return { values: parsed.value.values, raw: r.bytes, pickle: parsed.value.encoding === 'pickle' }
}

function rangeVerdict(values: number[], lo: number, hi: number, what: string): Verdict {
  const out = values.filter((v) => v < lo || v > hi)
  if (out.length)
    return {
      ok: false,
      detail: `${formatList(out.slice(0, 10))} ${out.length === 1 ? 'is' : 'are'} outside ${lo} to ${hi}.`,
      fix: `Draw each number with \`random.randint(${lo}, ${hi})\`.`,
    }
  return { ok: true, detail: `Every ${what} is from ${lo} to ${hi}.` }
}

function encodeReply(values: number[], pickle: Buffer | null, term: string): Buffer {
  if (pickle) {
    const p = pickle[0] === 0x80 ? pickle[1] : 4
    return Buffer.from(writePickle(values, p === 2 || p === 3 || p === 5 ? p : 4))
  }
  return Buffer.from(formatList(values) + term)
}

async function gradeDedup(g: Graded, deadline: number): Promise<void> {
  const list = await readClientList(g, deadline)
  if (!list) return finish(g, deadline, 1000)
  const n = list.values.length
  g.verdicts.set(
    'list-size',
    n >= 25 && n <= 100
      ? { ok: true, detail: `The client sent ${n} numbers.` }
      : {
          ok: false,
          detail: `The client sent ${n} numbers; the handout asks for N chosen at random between 25 and 100.`,
          fix: 'Draw the size first: `n = random.randint(25, 100)`, then `[random.randint(1, 100) for _ in range(n)]`.',
        },
  )
  g.verdicts.set('list-range', rangeVerdict(list.values, 1, 100, 'number'))
  const { final } = dedup(list.values)
  g.final = final
  g.duplicates = duplicatesEachOnce(list.values)
  g.duplicatesExtra = duplicatesEveryExtra(list.values)
  const term = terminatorOf(list.raw)
  g.conn.send(encodeReply(final, list.pickle ? list.raw : null, term))
  g.unreadPossible = true
  // The duplicates as a second message, paced, as real dedup servers send them; unless the client has gone.
  await g.conn.waitEnd(PACE_MS)
  if (g.conn.open) g.conn.send(encodeReply(g.duplicates, list.pickle ? list.raw : null, term))
  await finish(g, deadline)
  g.verdicts.set('reads', readsVerdict(g, 'the final list'))
  if (g.end === 'peer-reset' && g.unreadPossible)
    g.verdicts.set('reads', {
      ok: null,
      detail:
        'The client closed with something unread: perhaps only the duplicates, which the handout does not require it to read.',
    })
}

async function gradeIntersection(g: Graded, deadline: number, rng: Rng): Promise<void> {
  const list = await readClientList(g, deadline)
  if (!list) return finish(g, deadline, 1000)
  const n = list.values.length
  g.verdicts.set(
    'list-size',
    n === 25
      ? { ok: true, detail: 'The client sent 25 numbers.' }
      : {
          ok: false,
          detail: `The client sent ${n} numbers; the handout says "say 25 values".`,
          fix: 'Send 25 numbers: `random.sample(range(1, 101), 25)`.',
        },
  )
  g.verdicts.set('list-range', rangeVerdict(list.values, 1, 100, 'number'))
  const distinct = new Set(list.values).size === n
  g.verdicts.set(
    'distinct',
    distinct
      ? { ok: true, detail: 'No number appears twice: a set.' }
      : {
          ok: false,
          detail: 'Some numbers appear twice: the handout asks for a set.',
          fix: 'Draw distinct numbers: `random.sample(range(1, 101), 25)`.',
        },
  )
  // The server's own set shares a few numbers with the client's, so the answer is never empty.
  const inRange = [...new Set(list.values.filter((v) => v >= 1 && v <= 100))]
  const shared = inRange.slice(0, Math.min(5, inRange.length))
  const own = new Set(shared)
  for (const v of randomSet(rng, 100)) if (own.size < 25) own.add(v)
  const common = intersection(list.values, [...own])
  g.common = common
  g.conn.send(encodeReply(common, list.pickle ? list.raw : null, terminatorOf(list.raw)))
  g.unreadPossible = true
  await finish(g, deadline)
  g.verdicts.set('reads', readsVerdict(g, 'the common numbers'))
}

async function gradeAdder(g: Graded, deadline: number): Promise<void> {
  const c = g.conn
  const first = await c.read({ kind: 'text' }, remaining(deadline))
  if (first.kind !== 'message') {
    g.verdicts.set('name-first', {
      ok: false,
      detail:
        first.kind === 'silent'
          ? 'The client sent nothing after connecting.'
          : 'The client closed the connection without sending anything.',
      fix: "Send the client's name right after connecting: `s.send(name.encode())`.",
    })
    g.end = first.kind === 'reset' ? 'peer-reset' : first.kind === 'closed' ? 'peer-closed' : 'open'
    await c.close()
    return
  }
  const text = clean(first.text)
  const term = terminatorOf(first.raw)
  let pending: string | null = null
  if (text === '' || parsePair(text).ok || parseNumber(text).ok || text === 'a' || text === 'q') {
    g.verdicts.set('name-first', {
      ok: false,
      detail: `The client's first message was ${shown(first.raw)}, not a name.`,
      fix: 'Send the name first, wait for "ack", then the requests.',
    })
    pending = text
  } else {
    g.name = text
    g.verdicts.set('name-first', { ok: true, detail: `The client sent its name first: ${shown(first.raw)}.` })
  }
  c.send(ADDER_ACK + term)
  g.unreadPossible = true
  let split = 0
  const outOfRange: string[] = []
  for (;;) {
    let message: { text: string; raw: Buffer; pieces: Buffer[] } | null = null
    if (pending !== null) {
      message = { text: pending, raw: Buffer.from(pending), pieces: [Buffer.from(pending)] }
      pending = null
    } else {
      const r = await c.read(PAIR_EXPECT, remaining(deadline))
      if (r.kind !== 'message') {
        g.end = r.kind === 'reset' ? 'peer-reset' : r.kind === 'closed' ? 'peer-closed' : 'open'
        break
      }
      message = r
    }
    const body = clean(message.text)
    if (body === 'q') continue
    let pair = parsePair(body)
    if (!pair.ok) {
      const lone = parseNumber(body)
      const pieces = message.pieces.map((p) => clean(p.toString('utf8'))).filter(Boolean)
      if (pieces.length === 2 && pieces.every((p) => parseNumber(p).ok)) {
        // Two sends that arrived back to back: `3` then `7`.
        split++
        pair = { ok: true, value: [Number(pieces[0]), Number(pieces[1])] }
      } else if (lone.ok) {
        const next = await c.read(NUMBER_EXPECT, Math.min(2000, remaining(deadline)))
        const second = next.kind === 'message' ? parseNumber(clean(next.text)) : null
        split++
        if (second?.ok) pair = { ok: true, value: [lone.value, second.value] }
        else {
          // One number and nothing after it: say so, so a client waiting for an answer is not left hanging.
          g.requests.push({ a: lone.value, b: NaN, sum: NaN })
          c.send(`error: expected two numbers in one message${term}`)
          continue
        }
      } else continue
    }
    const [a, b] = pair.value
    if (a < 1 || a > 10 || b < 1 || b > 10) outOfRange.push(`${a} and ${b}`)
    const sum = a + b
    g.requests.push({ a, b, sum })
    c.send(String(sum) + term)
    g.unreadPossible = true
  }
  const n = g.requests.length
  if (n === 0) {
    g.verdicts.set('bundled', { ok: null, detail: 'The client sent no request (type a to add).' })
    g.verdicts.set('range', { ok: null, detail: 'No request to judge.' })
  } else {
    g.verdicts.set(
      'bundled',
      split
        ? {
            ok: false,
            detail: `${split} of ${n} requests came as two messages (one number each).`,
            fix: "Bundle both numbers into a single string and send it once: `s.send(f'{a} {b}'.encode())`.",
          }
        : { ok: true, detail: `All ${n} requests had both numbers in one string.` },
    )
    g.verdicts.set(
      'range',
      outOfRange.length
        ? { ok: false, detail: `Out of range: ${outOfRange.join('; ')}.`, fix: 'Draw each number with `random.randint(1, 10)`.' }
        : { ok: true, detail: 'Every number was from 1 to 10.' },
    )
  }
  if (g.end === 'open') await g.conn.close()
  else await g.conn.close(50)
  g.verdicts.set(
    'quit',
    g.end === 'peer-closed'
      ? { ok: true, detail: 'The client closed the connection.' }
      : g.end === 'peer-reset'
        ? { ok: true, detail: 'The client closed the connection (with a reset).' }
        : {
            ok: false,
            detail: 'The client was still connected at the end of the wait.',
            fix: 'On `q`, close the socket and exit: `s.close()`, then `break`.',
          },
  )
  // Every answer read by the client means no reset at its close.
  if (g.end === 'peer-reset')
    g.verdicts.set('reads', {
      ok: false,
      detail: 'The client closed while an answer was still unread (its kernel reset the connection).',
      fix: 'Read each answer before the next command: `print("answer received from Server =", s.recv(1024).decode())`.',
    })
  else if (g.end === 'peer-closed')
    g.verdicts.set('reads', { ok: true, detail: 'The client read what it was sent and closed cleanly.' })
  else g.verdicts.set('reads', { ok: null, detail: 'The client was still connected at the end of the wait.' })
}

// ------------------------------------------------------------------------------------------------

function label(g: Graded, i: number): string {
  return g.name ? `client ${i + 1} (${g.name})` : `client ${i + 1}`
}

function aggregate(res: Results, id: string, graded: Graded[], programs: Map<Graded, Program>): void {
  if (!res.has(id)) return
  const withIt = graded.map((g, i) => ({ g, i, v: g.verdicts.get(id) })).filter((x) => x.v)
  const conns = graded.flatMap((g) => [g.conn.id, ...(programs.get(g) ? [programs.get(g)!.instance] : [])])
  if (!withIt.length) return res.na(id, 'No client got this far.', conns)
  const many = graded.length > 1
  const fails = withIt.filter((x) => x.v!.ok === false)
  if (fails.length)
    return res.fail(
      id,
      fails.map((x) => (many ? `${label(x.g, x.i)}: ${x.v!.detail}` : x.v!.detail)).join(' '),
      fails[0].v!.fix ?? '',
      conns,
    )
  const passes = withIt.filter((x) => x.v!.ok === true)
  if (!passes.length) return res.na(id, withIt[0].v!.detail, conns)
  return res.pass(id, many ? passes.map((x) => `${label(x.g, x.i)}: ${x.v!.detail}`).join(' ') : passes[0].v!.detail, conns)
}

/**
 * A setting of the check in the words of both places it is run from: the app's control and the command
 * line's option (`Clients to grade`, `--connections`).
 */
function setting(field: string, command: CheckCommandName): { control: string; flag: string } {
  return { control: fieldLabel(field, command), flag: cliFlag(field) }
}

/** `Serve on port; --port in the command line`. */
function inBoth(field: string, command: CheckCommandName): string {
  const { control, flag } = setting(field, command)
  return `${control}; ${flag} in the command line`
}

type CheckCommandName = Extract<CommandName, 'checkClient' | 'checkProgram'>

function uniqueNames(res: Results, graded: Graded[], command: CheckCommandName): void {
  if (!res.has('unique-names')) return
  const conns = graded.map((g) => g.conn.id)
  const names = graded.flatMap((g) => (g.name ? [g.name] : []))
  const connections = setting('connections', command)
  if (names.length < 2)
    return res.na(
      'unique-names',
      `Needs two or more clients: set ${connections.control} to 2 or more (${connections.flag} 2 in the command line).`,
      conns,
    )
  const seen = new Map<string, number>()
  for (const n of names) seen.set(n, (seen.get(n) ?? 0) + 1)
  const dup = [...seen.entries()].find(([, k]) => k > 1)
  if (dup)
    return res.fail(
      'unique-names',
      `${dup[1]} clients used the same name ${shown(dup[0])}.`,
      "Give each instance its own name, e.g. append a random number: `name = 'alice-' + str(random.randint(1000, 9999))`.",
      conns,
    )
  res.pass('unique-names', `${names.length} clients, ${names.length} different names: ${names.join(', ')}.`, conns)
}

/** What the program printed, per instance, against what SocketLab sent it. */
function printedVerdicts(question: CheckQuestion, g: Graded, p: Program): void {
  const lines = outputLines(p.output())
  const v = g.verdicts
  if (question === 'greeting') {
    v.set(
      'printed-greeting',
      lines.some((l) => phraseEnd(l, GREETING_TEXT) >= 0)
        ? { ok: true, detail: 'Printed the greeting.' }
        : {
            ok: false,
            detail: `"${GREETING_TEXT}" does not appear in its output.`,
            fix: 'Print what the server sent: `print(s.recv(1024).decode())`.',
          },
    )
  }
  if (question === 'dedup') {
    if (g.final)
      v.set(
        'printed-final',
        lineWithSequence(lines, g.final) !== null
          ? { ok: true, detail: `Printed the final list ${formatList(g.final.slice(0, 12))}${g.final.length > 12 ? '…' : ''}.` }
          : {
              ok: false,
              detail: 'The final list the server sent does not appear in its output.',
              fix: "Print the server's answer: `print('Final list:', final)`.",
            },
      )
    if (g.duplicates) {
      if (g.duplicates.length === 0) v.set('printed-duplicates', { ok: null, detail: 'Its list had no duplicates.' })
      else
        v.set(
          'printed-duplicates',
          printedDuplicatesLine(lines, g.final ?? [], [g.duplicates, g.duplicatesExtra ?? []]) !== null
            ? { ok: true, detail: `Printed the duplicates ${formatList(g.duplicates)}.` }
            : {
                ok: false,
                detail: `The duplicates ${formatList(g.duplicates)} do not appear in its output.`,
                fix: "Print the numbers that appeared more than once: `print('Duplicates:', [x for x in set(numbers) if numbers.count(x) > 1])`.",
              },
        )
    }
  }
  if (question === 'intersection' && g.common) {
    v.set(
      'printed-intersection',
      lineWithSequence(lines, g.common) !== null
        ? { ok: true, detail: `Printed the common numbers ${formatList(g.common)}.` }
        : {
            ok: false,
            detail: `The common numbers ${formatList(g.common)} do not appear in its output.`,
            fix: "Print the server's answer: `print('Intersection:', common)`.",
          },
    )
  }
  if (question === 'adder' || question === 'adder-many') {
    const reqs = g.requests.filter((r) => !Number.isNaN(r.sum))
    if (reqs.length === 0) {
      v.set('printed-numbers', { ok: null, detail: 'No request reached SocketLab.' })
      v.set('printed-sums', {
        ok: false,
        detail: 'No request reached SocketLab after typing a, a.',
        fix: 'On `a`, send two numbers and print the answer.',
      })
    } else {
      const unprinted = reqs.filter((r) => lineWithSequence(lines, [r.a, r.b]) === null)
      v.set(
        'printed-numbers',
        unprinted.length
          ? {
              ok: false,
              detail: `The numbers ${unprinted[0].a} and ${unprinted[0].b} were sent but not printed.`,
              fix: 'Print the two numbers before sending them: `print(a, b)`.',
            }
          : { ok: true, detail: `Printed the numbers of all ${reqs.length} requests.` },
      )
      const printed = lines.flatMap((l) => {
        const n = numberAfterPhrase(l, 'answer received from Server')
        return n === null ? [] : [n]
      })
      const want = reqs.map((r) => r.sum)
      const okSums = printed.length >= want.length && want.every((s, i) => printed[i] === s)
      v.set(
        'printed-sums',
        okSums
          ? { ok: true, detail: `Printed ${want.map((s) => `"answer received from Server = ${s}"`).join(', ')}.` }
          : {
              ok: false,
              detail: printed.length
                ? `Printed answers ${printed.join(', ')}; the server sent ${want.join(', ')}.`
                : `No "answer received from Server = <answer>" line; the server sent ${want.join(', ')}.`,
              fix: "Print the handout's line after each answer: `print('answer received from Server =', s.recv(1024).decode())`.",
            },
      )
    }
    v.set(
      'printed-invalid',
      lines.some((l) => phraseEnd(l, 'Invalid command') >= 0)
        ? { ok: true, detail: 'Printed "Invalid command" for the wrong command.' }
        : {
            ok: false,
            detail: 'Typing a wrong command (x) printed no "Invalid command".',
            fix: "For any command other than a and q: `print('Invalid command')`.",
          },
    )
  }
}

function exitVerdict(question: CheckQuestion, p: Program, limitMs: number): Verdict {
  const e = p.exit
  const after = question === 'adder' || question === 'adder-many' ? 'after q' : 'after the exchange'
  if (!e || e.stopped)
    return {
      ok: false,
      detail: `The program ${describeExit(p, limitMs)} ${after}. ${lastOutput(p)}`,
      fix: question.startsWith('adder')
        ? 'On `q`, close the socket and leave the loop (`break`).'
        : 'Close the socket when the exchange is over; the program then ends.',
    }
  if (e.startError || e.code !== 0) {
    const addrInUse = /Errno 98|Address already in use|EADDRINUSE/i.test(p.output())
    return {
      ok: false,
      detail: `The program ${describeExit(p)}. ${lastOutput(p)}`,
      fix: addrInUse
        ? 'See the connection doctor below: the client binds a fixed port that is still in TIME_WAIT.'
        : 'Run it in a terminal and read the traceback.',
    }
  }
  return { ok: true, detail: `The program ended by itself ${after} (exit code 0).` }
}

/** Run the grading server and grade `connections` clients (or start the command that many times). */
export async function checkClient(options: ClientCheckOptions): Promise<CheckReport> {
  const log = new EvidenceLog()
  const rng = options.rng ?? Math.random
  const wanted = Math.max(1, options.connections ?? 1)
  // Run my program's form, or the client check's: their controls are labelled apiece.
  const command: CheckCommandName = options.command ? 'checkProgram' : 'checkClient'
  const res = new Results(specsFor('client', options.question, { run: !!options.command, local: false }), log, options.onResult)
  options.onPlan?.(planOf(res.specs))
  const deadline = Date.now() + options.timeoutMs
  const graded: Graded[] = []
  const programs = new Map<Graded, Program>()
  const arrivals: Graded[] = []
  let notify: (() => void) | null = null
  const grading: Promise<void>[] = []
  const server = net.createServer((socket) => {
    if (arrivals.length >= wanted) {
      socket.destroy()
      return
    }
    const g: Graded = {
      conn: Conn.accepted(socket, log, 150),
      verdicts: new Map(),
      requests: [],
      end: 'open',
      unreadPossible: false,
    }
    g.verdicts.set('connected', { ok: true, detail: `Connected from ${g.conn.remote.address} port ${g.conn.remote.port}.` })
    arrivals.push(g)
    notify?.()
    grading.push(grade(g))
  })
  const grade = async (g: Graded): Promise<void> => {
    try {
      switch (options.question) {
        case 'greeting':
          return await gradeGreeting(g, deadline)
        case 'dedup':
          return await gradeDedup(g, deadline)
        case 'intersection':
          return await gradeIntersection(g, deadline, rng)
        default:
          return await gradeAdder(g, deadline)
      }
    } finally {
      graded.push(g)
      notify?.()
    }
  }
  const listenError = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err))
    server.listen({ port: options.port, host: options.bind }, () => resolve(null))
  })
  const port = listenError ? options.port : (server.address() as net.AddressInfo).port
  const target = { port, ...(options.command ? { command: [...options.command] } : {}) }
  if (listenError) {
    res.fail(
      'connected',
      `SocketLab could not listen on port ${options.port} (${listenError.code}): ${listenError.code === 'EADDRINUSE' ? 'another program (your own server?) uses it' : listenError.message}.`,
      `Stop the program that uses the port, or choose another (${inBoth('port', command)}), and give your client the same port.`,
    )
    res.rest('Not run: SocketLab could not serve the question.')
    return res.report('client', options.question, target)
  }
  options.onListening?.(port)
  const started: Program[] = []
  let cancelled = options.signal?.aborted ?? false
  const onAbort = (): void => {
    cancelled = true
    for (const a of arrivals) a.conn.destroy()
    for (const p of started) void p.stop()
    notify?.()
  }
  options.signal?.addEventListener('abort', onAbort, { once: true })
  const waitUntil = async (cond: () => boolean, until: number): Promise<void> => {
    while (!cond() && !cancelled && Date.now() < until) {
      await Promise.race([new Promise<void>((r) => (notify = r)), sleep(Math.max(1, until - Date.now()))])
      notify = null
    }
  }
  try {
    if (options.command) {
      for (let i = 0; i < wanted && Date.now() < deadline && !cancelled; i++) {
        const argv = options.command.map((a) => a.replaceAll('{port}', String(port)))
        const p = new Program(argv, log, { input: KEYBOARD[options.question], cwd: options.cwd })
        started.push(p)
        void p.exited.then(() => notify?.())
        const before = arrivals.length
        await waitUntil(() => arrivals.length > before || !p.running, deadline)
        const g = arrivals[before]
        if (g) {
          programs.set(g, p)
          await waitUntil(() => graded.includes(g), deadline)
        }
        const exited = await p.waitExit(Math.min(remaining(deadline), 5000))
        if (!exited) await p.stop()
        if (!g) {
          // It never connected: say why (a crash before connecting, the fixed port in TIME_WAIT).
          res.fail(
            'connected',
            `Instance ${i + 1} of the program ${describeExit(p, options.timeoutMs)} without connecting to port ${port}. ${lastOutput(p)}`,
            'Give the client the port SocketLab serves on (in its arguments), and start it only after SocketLab listens.',
            [p.instance],
          )
          res.fail(
            'exits',
            `The program ${describeExit(p, options.timeoutMs)}. ${lastOutput(p)}`,
            'Run it in a terminal and read the traceback.',
            [p.instance],
          )
          const inUse = /Errno 98|Address already in use|EADDRINUSE/i.test(p.output())
          if (inUse) {
            // Which of the client's own ports is still closing: one in TIME_WAIT towards this port, or the handout's 32451.
            const towards = timeWaitTowards(port) ?? []
            const handout = statesOfLocalPort(HANDOUT_CLIENT_PORT)?.includes('TIME_WAIT') ? HANDOUT_CLIENT_PORT : undefined
            const diagnosis = diagnoseSync({ host: '127.0.0.1', port, err: 'EADDRINUSE', localPort: towards[0] ?? handout })
            res.rest('Not run: the program did not connect.')
            return res.report('client', options.question, target, diagnosis)
          }
          break
        }
        g.verdicts.set('exits', exitVerdict(options.question, p, Math.min(options.timeoutMs, 5000)))
        printedVerdicts(options.question, g, p)
      }
    } else {
      await waitUntil(() => graded.length >= wanted, deadline)
    }
    // Let the last grading finish (connections still open at the deadline are graded as they are).
    await Promise.race([Promise.all(grading), sleep(Math.max(50, remaining(deadline + 3000)))])
    for (const a of arrivals) if (!graded.includes(a)) a.conn.destroy()
    await Promise.race([Promise.all(grading), sleep(500)])
    if (!arrivals.length && !res.isSet('connected'))
      res.fail(
        'connected',
        `No client connected to port ${port} within ${options.timeoutMs / 1000} s.`,
        `Point the client at this machine and port ${port} (127.0.0.1 on this machine), then start it.`,
      )
    else if (arrivals.length < wanted && !res.isSet('connected'))
      res.fail(
        'connected',
        `${arrivals.length} of ${wanted} clients connected within ${options.timeoutMs / 1000} s.`,
        `Start every instance while SocketLab waits, or raise the time: ${inBoth('timeoutS', command)}.`,
      )
    const ordered = arrivals.filter((a) => graded.includes(a))
    for (const spec of res.specs)
      if (spec.id !== 'unique-names' && !res.isSet(spec.id)) aggregate(res, spec.id, ordered, programs)
    uniqueNames(res, ordered, command)
    return res.report('client', options.question, target)
  } finally {
    options.signal?.removeEventListener('abort', onAbort)
    for (const a of arrivals) a.conn.destroy()
    for (const p of started) await p.stop()
    await new Promise<void>((r) => server.close(() => r()))
  }
}
