// Check a server: a student's own (on this machine or a neighbour's) is asked every requirement of one
// handout question, each on fresh connections, as a careful client would: greeting optional, the list
// sent alone (and once more if the server stays silent, since a server that reads an acknowledgement
// first took the list for it: nothing that could make a greeting→list server throw is ever sent), the
// adder's pairs as `3 7` (then `3,7` on a new connection if the server could not read that), never
// anything malformed, and every connection closed before the next check so that a one-at-a-time server
// is free for it. Each check answers pass, fail or not applicable with the bytes as evidence and, for a
// failure, what to change. With a command, SocketLab starts the server itself first and also checks
// what it printed.

import type { CheckQuestion, CheckReport } from '@shared/contract'
import { formatEndpoint, isLoopbackAddress, plainAddress } from '@shared/endpoint'
import { DEFAULT_ACK, GREETING_TEXT } from '@shared/settings'
import { diagnose } from '../doctor/doctor'
import { isThisMachine, listenersOn } from '../doctor/system'
import { formatList, randomInt, randomSet, type Rng } from '@shared/lab'
import { isDedupOf } from '../exercises/sets'
import { clean, parseAnswer, quote } from '../wire/parse'
import type { Expect } from '../wire/framer'
import { greetingMatch, judgeDuplicates, listsIn, orderOf, pickAnswer, phraseEnd, outputLines, type FoundList } from './answers'
import { Results, specsFor } from './checks'
import { Conn, codeOf } from './conn'
import { EvidenceLog } from './evidence'
import { describeExit, lastOutput, Program, waitForListener } from './program'

export interface ServerCheckOptions {
  question: CheckQuestion
  /** Where the server is; with a command and no host, where it was seen listening (else 127.0.0.1). */
  host?: string
  port: number
  /** Run my program: start this server first (argv, no shell). */
  command?: string[]
  cwd?: string
  connectTimeoutMs?: number
  /** How long to wait for each reply. */
  replyTimeoutMs?: number
  /** How long a started server has to begin listening. */
  startTimeoutMs?: number
  rng?: Rng
}

const LIST_EXPECT: Expect = { kind: 'list', leadingText: true }
const NUMBER_EXPECT: Expect = { kind: 'number' }

const secs = (ms: number): string => `${Math.round(ms / 100) / 10} s`

/** A text as a student would see it in Python's repr: escapes shown, long text cut. */
export function shown(data: Buffer | string, max = 80): string {
  const text = typeof data === 'string' ? data : data.toString('utf8')
  return quote(text, max)
}

interface Exchange {
  conn: Conn | null
  connectError?: string
  greeting: Buffer
  messages: { text: string; lists: FoundList[] }[]
  /** The list was sent a second time (the server took the first for an acknowledgement). */
  resent: boolean
  ended: Conn['ended']
}

class ServerRun {
  readonly res: Results
  rtt = 0
  private readonly conns: Conn[] = []
  readonly connectTimeoutMs: number
  readonly replyMs: number
  /** Names sent to an adder server, for the printed-names check. */
  readonly names: string[] = []
  /** The pair separator the server read (`3 7`, or `3,7` when it could not read a space). */
  sep = ' '
  readonly rng: Rng

  constructor(
    readonly options: ServerCheckOptions,
    readonly host: string,
    run: boolean,
    local: boolean,
    readonly log: EvidenceLog,
  ) {
    this.res = new Results(specsFor('server', options.question, { run, local }), this.log)
    this.connectTimeoutMs = options.connectTimeoutMs ?? 3000
    this.replyMs = options.replyTimeoutMs ?? 3000
    this.rng = options.rng ?? Math.random
  }

  get where(): string {
    return formatEndpoint({ address: this.host, port: this.options.port })
  }

  /** A quiet moment that follows the link: at least 150 ms, four round trips on a slow one. */
  get quietMs(): number {
    return Math.max(150, 4 * this.rtt)
  }

  /** How long a server that greets takes to do it. */
  get greetWaitMs(): number {
    return Math.max(800, 10 * this.rtt)
  }

  get replyWaitMs(): number {
    return this.replyMs + 4 * this.rtt
  }

  async connect(): Promise<{ conn: Conn } | { err: NodeJS.ErrnoException; elapsedMs: number; id: number }> {
    const r = await Conn.connect(this.host, this.options.port, this.log, {
      connectTimeoutMs: this.connectTimeoutMs,
      quietMs: this.quietMs,
    })
    if (!r.ok) return { err: r.err, elapsedMs: r.elapsedMs, id: r.id }
    if (this.rtt === 0) this.rtt = r.conn.rttMs
    this.conns.push(r.conn)
    return { conn: r.conn }
  }

  destroyAll(): void {
    for (const c of this.conns) c.destroy()
  }
}

/** Why a later connection failed, in the student's terms. */
function reconnectText(err: NodeJS.ErrnoException, after: string): string {
  return `A new connection ${after} failed (${codeOf(err)}): the server is no longer accepting connections.`
}

const FIX_KEEP_ACCEPTING =
  "Serve clients in a loop: `while True: c, addr = s.accept()`, and when a client has left (`recv()` returns `b''`), close that connection and go back to `accept()`. Catch errors per connection so one client cannot stop the server."

// ------------------------------------------------------------------------------------------------
// Lab 1, task 1

async function greetingChecks(run: ServerRun, first: Conn): Promise<void> {
  const { res } = run
  const c = first
  const raw = await c.collect(run.greetWaitMs, run.quietMs)
  const closedEarly = !c.open
  if (raw.length === 0) {
    res.fail(
      'greeting',
      closedEarly
        ? 'The server closed the connection without sending anything.'
        : `Nothing came within ${secs(run.greetWaitMs)} of connecting.`,
      `Send the greeting as soon as a client connects: \`c.send('${GREETING_TEXT}'.encode())\` right after \`c, addr = s.accept()\`.`,
      [c.id],
    )
    res.na('acknowledgement', 'No greeting came, so the client has nothing to acknowledge.', [c.id])
    res.na('close', 'No greeting came.', [c.id])
  } else {
    const match = greetingMatch(raw.toString('utf8'))
    if (match === 'exact') res.pass('greeting', `The server sent exactly "${GREETING_TEXT}".`, [c.id])
    else if (match === 'close')
      res.pass('greeting', `A close variant of the handout's greeting: ${shown(raw)} (the handout's is "${GREETING_TEXT}").`, [
        c.id,
      ])
    else
      res.fail(
        'greeting',
        `The server greets with ${shown(raw)}, not with the handout's "${GREETING_TEXT}".`,
        `Send the handout's greeting: \`c.send('${GREETING_TEXT}'.encode())\`.`,
        [c.id],
      )
    let end: Conn['ended'] | 'open' = c.ended
    if (!closedEarly) {
      c.send(DEFAULT_ACK)
      end = await c.waitEnd(run.replyWaitMs)
    }
    const readFix =
      'After sending the greeting, read the acknowledgement before closing: `ack = c.recv(1024)`, `print(ack.decode())`, then `c.close()`.'
    if (closedEarly)
      res.fail(
        'acknowledgement',
        "The server closed the connection right after its greeting, before the client's acknowledgement could arrive: it never reads it.",
        readFix,
        [c.id],
      )
    else if (end === 'peer-reset')
      res.fail(
        'acknowledgement',
        'The connection was reset after the acknowledgement was sent: the server closed without reading it (closing a socket with unread data makes the kernel send a reset).',
        readFix,
        [c.id],
      )
    else if (end === 'peer-closed')
      res.pass('acknowledgement', `The server took the acknowledgement ("${DEFAULT_ACK}") and then closed the connection.`, [
        c.id,
      ])
    else
      res.na(
        'acknowledgement',
        `The server was still connected ${secs(run.replyWaitMs)} after the acknowledgement: whether it read it cannot be told from outside.`,
        [c.id],
      )
    if (end === 'peer-closed')
      res.pass(
        'close',
        closedEarly ? 'The server closed the connection (right after the greeting).' : 'The server closed the connection.',
        [c.id],
      )
    else if (end === 'peer-reset')
      res.fail(
        'close',
        'The connection ended with a reset, not a clean close.',
        "Read what the client sends before `c.close()`: closing with unread data resets the connection, and the client may lose the server's last message.",
        [c.id],
      )
    else
      res.fail(
        'close',
        `The server kept the connection open for ${secs(run.replyWaitMs)} after the acknowledgement.`,
        'Close the connection when the exchange is over: `c.close()` after reading the acknowledgement.',
        [c.id],
      )
  }
  await c.close()
  const second = await run.connect()
  if ('err' in second) {
    res.fail('next-client', reconnectText(second.err, 'after the first client'), FIX_KEEP_ACCEPTING)
    return
  }
  const again = await second.conn.collect(run.greetWaitMs, run.quietMs)
  await second.conn.close()
  if (again.length) res.pass('next-client', `The second client was greeted too: ${shown(again)}.`, [second.conn.id])
  else res.fail('next-client', 'The second client got no greeting.', FIX_KEEP_ACCEPTING, [second.conn.id])
}

// ------------------------------------------------------------------------------------------------
// Lab 1, tasks 2 and 3: one list out, the answer (and, from a dedup server, the duplicates) back

async function readReplies(run: ServerRun, c: Conn, firstWaitMs: number, into: Exchange['messages']): Promise<boolean> {
  let gotList = into.some((m) => m.lists.length > 0)
  const afterMs = Math.max(1000, 8 * run.rtt)
  for (let i = 0; i < 12; i++) {
    const r = await c.read(LIST_EXPECT, gotList ? afterMs : firstWaitMs)
    if (r.kind !== 'message') break
    const lists = listsIn(r.bytes, r.text)
    into.push({ text: r.text, lists })
    if (lists.length) gotList = true
    if (clean(r.text).startsWith('error')) break
  }
  return gotList
}

async function listExchange(run: ServerRun, list: number[], first?: Conn): Promise<Exchange> {
  let c = first
  if (!c) {
    const r = await run.connect()
    if ('err' in r)
      return { conn: null, connectError: codeOf(r.err), greeting: Buffer.alloc(0), messages: [], resent: false, ended: 'open' }
    c = r.conn
  }
  const greeting = await c.collect(run.greetWaitMs, run.quietMs)
  const ex: Exchange = { conn: c, greeting, messages: [], resent: false, ended: c.ended }
  if (c.open) {
    c.send(formatList(list))
    const got = await readReplies(run, c, Math.max(1200, 10 * run.rtt), ex.messages)
    if (!got && c.open && !ex.messages.some((m) => clean(m.text).startsWith('error'))) {
      // Silence: this server read an acknowledgement first and took the list for it. Send the list again.
      ex.resent = true
      c.send(formatList(list))
      await readReplies(run, c, run.replyWaitMs, ex.messages)
    }
  }
  ex.ended = c.ended
  await c.close()
  return ex
}

function flowNote(ex: Exchange): string {
  const parts: string[] = []
  if (ex.greeting.length) parts.push(`The server greeted with ${shown(ex.greeting, 50)}`)
  else parts.push('No greeting')
  if (ex.resent)
    parts.push(
      'it read an acknowledgement before the list (the list was sent twice: the first one served as the acknowledgement)',
    )
  return `${parts.join('; ')}.`
}

/** Why an exchange produced no list, as a failure. */
function noAnswer(run: ServerRun, ex: Exchange): { detail: string; fix: string } {
  const error = ex.messages.find((m) => clean(m.text).startsWith('error'))
  if (ex.connectError)
    return {
      detail: reconnectText({ code: ex.connectError } as NodeJS.ErrnoException, 'for this check'),
      fix: FIX_KEEP_ACCEPTING,
    }
  if (error)
    return {
      detail: `The server answered with an error: ${shown(error.text, 120)}.`,
      fix: 'Read the list as the client sends it: `[3, 14, 15]` text (`ast.literal_eval`) or a pickle.',
    }
  if (ex.messages.length)
    return {
      detail: `The server's reply holds no list: ${shown(ex.messages[0].text, 120)}.`,
      fix: 'Send the answer as a list, e.g. `c.send(str(result).encode())`.',
    }
  if (ex.ended === 'peer-reset')
    return {
      detail: 'The server reset the connection without answering (did it crash? look at its terminal).',
      fix: 'Run the server in a terminal and read the traceback.',
    }
  if (ex.ended === 'peer-closed')
    return {
      detail: 'The server closed the connection without answering.',
      fix: 'Answer the list before closing: `c.send(str(result).encode())`, then `c.close()`.',
    }
  return {
    detail: `No answer within ${secs(run.replyWaitMs)} of sending the list (sent twice, in case the first was read as an acknowledgement).`,
    fix: 'Read the list with `c.recv(1024)`, answer it with `c.send(...)`.',
  }
}

/** 25 numbers with repeats guaranteed, one of them three times (to tell the duplicates styles apart). */
function listWithRepeats(rng: Rng): number[] {
  const distinct = randomSet(rng, 19)
  const list = [...distinct, distinct[0], distinct[0], distinct[1], distinct[2], distinct[3], distinct[4]]
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    ;[list[i], list[j]] = [list[j], list[i]]
  }
  return list
}

const ORDER_TEXT = {
  'first-occurrence': 'the order the numbers were sent',
  ascending: 'ascending order',
  other: 'an order of its own (any order is fine)',
}

async function dedupChecks(run: ServerRun, first: Conn): Promise<void> {
  const { res } = run
  const runs: [string, number[]][] = [
    ['dedup', listWithRepeats(run.rng)],
    ['dedup-100', Array.from({ length: 100 }, () => randomInt(run.rng, 1, 100))],
  ]
  const dupResults: { ok: boolean; text: string; conn: number }[] = []
  const conns: number[] = []
  for (const [id, sent] of runs) {
    const ex = await listExchange(run, sent, id === 'dedup' ? first : undefined)
    const cid = ex.conn ? [ex.conn.id] : []
    conns.push(...cid)
    const lists = ex.messages.flatMap((m) => m.lists)
    if (!lists.length) {
      const why = noAnswer(run, ex)
      res.fail(id, why.detail, why.fix, cid)
      continue
    }
    const pick = pickAnswer(lists, sent)
    if (!pick.answer) {
      res.na(id, `The server sent lists, but which one is the answer cannot be told: ${shown(ex.messages[0].text, 120)}.`, cid)
      continue
    }
    const distinct = new Set(sent).size
    const verdict = isDedupOf(pick.answer.values, sent)
    const echo = pick.echoes ? ' (It also echoed the list it received; that list was not judged.)' : ''
    if (verdict.ok)
      res.pass(
        id,
        `Sent ${sent.length} numbers (${distinct} distinct); got back ${pick.answer.values.length} numbers without duplicates, in ${ORDER_TEXT[orderOf(pick.answer.values, sent)]}. ${flowNote(ex)}${echo}`,
        cid,
      )
    else
      res.fail(
        id,
        `Sent ${sent.length} numbers (${distinct} distinct); the answer ${formatList(pick.answer.values.slice(0, 30))}${pick.answer.values.length > 30 ? '…' : ''} is wrong: ${verdict.why}. ${flowNote(ex)}`,
        'Keep every number once and drop only the repeats: `list(dict.fromkeys(numbers))` keeps the order, `sorted(set(numbers))` sorts.',
        cid,
      )
    if (pick.duplicates) {
      const d = judgeDuplicates(pick.duplicates, sent)
      const got = pick.duplicates.counts
        ? shown(ex.messages.map((m) => m.text).join(' '), 80)
        : formatList(pick.duplicates.values)
      if (d.ok) {
        const style = {
          'each-once': 'each repeated number once',
          'every-extra': 'every extra occurrence',
          counts: 'a count per number',
        }[d.style]
        dupResults.push({ ok: true, text: `${sent.length} numbers: ${got} (${style})`, conn: cid[0] })
      } else
        dupResults.push({
          ok: false,
          text: `${sent.length} numbers: the duplicates ${got} are wrong: ${d.why} (expected ${formatList(d.expected)})`,
          conn: cid[0],
        })
    }
  }
  if (!dupResults.length)
    res.na(
      'duplicates',
      'The server sends no list of duplicates; the handout\'s client shows them ("b. The list of numbers that were identified as duplicates"), which it can work out itself.',
      conns,
    )
  else if (dupResults.every((d) => d.ok))
    res.pass('duplicates', `The duplicates are right. ${dupResults.map((d) => d.text).join('; ')}.`, conns)
  else
    res.fail(
      'duplicates',
      `${dupResults
        .filter((d) => !d.ok)
        .map((d) => d.text)
        .join('; ')}.`,
      'Send each number that appeared more than once: `[x for x in dict.fromkeys(numbers) if numbers.count(x) > 1]`.',
      conns,
    )
}

async function intersectionChecks(run: ServerRun, first: Conn): Promise<void> {
  const { res } = run
  const mine = randomSet(run.rng, 25)
  const all = randomSet(run.rng, 100)
  const plan: [string, number[]][] = [
    ['first', mine],
    ['all', all],
    ['again', mine],
  ]
  const answers = new Map<string, { values: number[] | null; ex: Exchange }>()
  for (const [name, sent] of plan) {
    const ex = await listExchange(run, sent, name === 'first' ? first : undefined)
    const lists = ex.messages.flatMap((m) => m.lists)
    const pick = lists.length ? pickAnswer(lists, sent) : null
    // "An answer sent twice is fine": a repeat of the same list is the same answer.
    answers.set(name, { values: pick?.answer?.values ?? null, ex })
  }
  const a1 = answers.get('first')!
  const conns = [...answers.values()].flatMap((a) => (a.ex.conn ? [a.ex.conn.id] : []))
  const c1 = a1.ex.conn ? [a1.ex.conn.id] : []
  if (!a1.values) {
    const why = noAnswer(run, a1.ex)
    res.fail('intersection', why.detail, why.fix, c1)
    for (const id of ['sorted', 'distinct', 'subset', 'complete', 'consistency']) res.na(id, 'No answer to judge.', c1)
    return
  }
  res.pass('intersection', `Sent 25 numbers ${formatList(mine)}; the answer: ${formatList(a1.values)}. ${flowNote(a1.ex)}`, c1)
  const judged = [...answers.entries()].filter(([, a]) => a.values) as [string, { values: number[]; ex: Exchange }][]
  const sentOf = (name: string): number[] => plan.find((p) => p[0] === name)![1]
  const unsorted = judged.find(([, a]) => a.values.some((v, i) => i > 0 && v < a.values[i - 1]))
  if (unsorted)
    res.fail(
      'sorted',
      `The answer ${formatList(unsorted[1].values)} is not in ascending order.`,
      'Sort before sending: `common = sorted(set(client) & set(server))`.',
      conns,
    )
  else res.pass('sorted', 'Every answer is in ascending order.', conns)
  const repeated = judged.find(([, a]) => new Set(a.values).size !== a.values.length)
  if (repeated)
    res.fail(
      'distinct',
      `The answer ${formatList(repeated[1].values)} has a number more than once.`,
      'Intersect sets, not lists: `sorted(set(client) & set(server))` has each number once.',
      conns,
    )
  else res.pass('distinct', 'No number appears twice in an answer.', conns)
  const stray = judged
    .map(([name, a]) => ({ name, bad: a.values.filter((v) => !sentOf(name).includes(v)) }))
    .find((x) => x.bad.length)
  if (stray)
    res.fail(
      'subset',
      `The answer holds ${formatList(stray.bad.slice(0, 10))}, which the client never sent.`,
      "Send only numbers that are in both sets: the client's and the server's.",
      conns,
    )
  else res.pass('subset', 'Every number in the answers was among the numbers sent.', conns)
  const a3 = answers.get('again')!
  const whole = answers.get('all')!
  const same = a3.values && a1.values.length === a3.values.length && a1.values.every((v, i) => v === a3.values![i])
  if (!a3.values) res.na('consistency', 'The second try with the same set got no answer.', conns)
  else if (same)
    res.na(
      'consistency',
      `The same set got the same answer twice: the server's own set looks fixed. (Informational: a new set per connection is fine too.)`,
      conns,
    )
  else
    res.na(
      'consistency',
      `The same set got a different answer the second time (${formatList(a3.values)}): the server draws a new set per connection, which the handout allows.`,
      conns,
    )
  if (same && a1.values.length > 0 && whole.values) {
    // A fixed set, and sending every number from 1 to 100 got it back whole: now completeness can be judged.
    const server = new Set(whole.values)
    const expected = [...new Set(mine.filter((v) => server.has(v)))].sort((x, y) => x - y)
    const missing = expected.filter((v) => !a1.values!.includes(v))
    if (missing.length)
      res.fail(
        'complete',
        `Sending every number from 1 to 100 showed the server's set (${formatList(whole.values)}); ${formatList(missing)} ${missing.length === 1 ? 'is' : 'are'} in both sets but missing from the answer.`,
        'Compare every number of the client with every number of the server: `sorted(set(client) & set(server))`.',
        conns,
      )
    else
      res.pass(
        'complete',
        `Sending every number from 1 to 100 showed the server's set (${whole.values.length} numbers); the answer has every common number.`,
        conns,
      )
  } else
    res.na(
      'complete',
      "Whether every common number is there cannot be checked without the server's own set" +
        (same ? ' (the answer was empty).' : ', and this server draws a new one per connection.'),
      conns,
    )
}

// ------------------------------------------------------------------------------------------------
// Lab 2: the adder

interface AdderConn {
  c: Conn
  name: string
  /** Everything the server sent after the name, until it was quiet. */
  reply: Buffer
  /** Nothing came until a newline followed the name (a server that reads lines). */
  nudged: boolean
}

async function openAdder(run: ServerRun, name: string, first?: Conn): Promise<AdderConn | { err: NodeJS.ErrnoException }> {
  let c = first
  if (!c) {
    const r = await run.connect()
    if ('err' in r) return { err: r.err }
    c = r.conn
  }
  run.names.push(name)
  c.send(name)
  let reply = await c.collect(run.replyWaitMs, run.quietMs)
  let nudged = false
  if (reply.length === 0 && c.open) {
    // A server that reads the name with readline() waits for a newline the handout's client never sends.
    nudged = true
    c.send('\n')
    reply = await c.collect(run.replyWaitMs, run.quietMs)
  }
  return { c, name, reply, nudged }
}

function isAck(a: AdderConn): boolean {
  return clean(a.reply.toString('latin1')).toLowerCase().includes('ack')
}

function judgeAck(run: ServerRun, a: AdderConn): void {
  const { res } = run
  const raw = a.reply.toString('latin1')
  const ids = [a.c.id]
  const fix = "After reading the name, send exactly `ack`: `c.send('ack'.encode())`, with no newline, spaces or other words."
  if (raw === 'ack' && !a.nudged) return res.pass('ack', 'The server replied exactly "ack" to the name.', ids)
  if (raw.length === 0)
    return res.fail(
      'ack',
      `No reply to the name ${shown(a.name)} within ${secs(run.replyWaitMs)}${a.c.open ? '' : ' (the server closed the connection)'}.`,
      fix,
      ids,
    )
  const s = JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw)
  if (a.nudged)
    return res.fail(
      'ack',
      `The server answered only after a newline followed the name: it reads lines (readline), but the handout's client sends its name without one. Then it sent ${s}.`,
      "Read the name with `c.recv(1024)`: the handout's client sends no newline.",
      ids,
    )
  const body = clean(raw)
  if (body === 'ack')
    return res.fail('ack', `The server sends ${s}; the handout's client compares with "ack": send exactly "ack".`, fix, ids)
  if (body.toLowerCase() === 'ack')
    return res.fail('ack', `The server sends ${s}, not "ack": the client's comparison is case-sensitive.`, fix, ids)
  if (body.toLowerCase().includes('ack'))
    return res.fail('ack', `The server sends ${s}: "ack" with other text, so the client's comparison with "ack" fails.`, fix, ids)
  return res.fail('ack', `The server replied ${s} instead of "ack".`, fix, ids)
}

type Answer =
  { value: number; text: string; extra: Buffer } | { none: 'silent' | 'closed' | 'reset' | 'unreadable'; text?: string }

function sendPair(a: AdderConn, x: number, y: number, sep: string): void {
  a.c.send(`${x}${sep}${y}`)
}

async function readAnswer(run: ServerRun, a: AdderConn, checkExtra = true): Promise<Answer> {
  const r = await a.c.read(NUMBER_EXPECT, run.replyWaitMs)
  if (r.kind === 'silent') return { none: 'silent' }
  if (r.kind === 'closed' || r.kind === 'reset') return { none: r.kind }
  const parsed = clean(r.text).startsWith('error') ? null : parseAnswer(r.text)
  if (!parsed?.ok) return { none: 'unreadable', text: r.text }
  const value = parsed.value.value
  const extra = checkExtra ? await a.c.collect(run.quietMs, run.quietMs) : Buffer.alloc(0)
  return { value, text: r.text, extra }
}

async function ask(run: ServerRun, a: AdderConn, x: number, y: number, sep: string): Promise<Answer> {
  sendPair(a, x, y, sep)
  return readAnswer(run, a)
}

function answerText(x: number, y: number, ans: Answer): string {
  if ('value' in ans) return `${x}+${y} → ${shown(ans.text, 30)}`
  const why = {
    silent: 'no answer',
    closed: 'the server closed the connection',
    reset: 'the connection was reset',
    unreadable: `the reply ${shown(ans.text ?? '', 40)} holds no single number`,
  }
  return `${x}+${y} → ${why[ans.none]}`
}

function adderName(run: ServerRun, n: number): string {
  return `checker-${randomInt(run.rng, 1000, 9999)}-${n}`
}

async function adderChecks(run: ServerRun, first: Conn): Promise<void> {
  const { res } = run
  const a1 = await openAdder(run, adderName(run, 1), first)
  if ('err' in a1) return
  judgeAck(run, a1)
  const pairs: [number, number][] = [
    [1, 1],
    [10, 10],
    [3, 7],
    ...Array.from({ length: 3 }, (): [number, number] => [randomInt(run.rng, 1, 10), randomInt(run.rng, 1, 10)]),
  ]
  let sep = ' '
  let session: AdderConn = a1
  const answers: { x: number; y: number; ans: Answer; conn: number }[] = []
  let firstAns = await ask(run, session, 1, 1, sep)
  const sumConns = [session.c.id]
  if (!('value' in firstAns) && firstAns.none !== 'silent') {
    // The server could not read `1 1`: it may split on commas. Try `1,1` on a fresh connection.
    await session.c.close()
    const retry = await openAdder(run, adderName(run, 1), undefined)
    if (!('err' in retry)) {
      const tried = await ask(run, retry, 1, 1, ',')
      sumConns.push(retry.c.id)
      if ('value' in tried) {
        sep = ','
        session = retry
        firstAns = tried
      } else await retry.c.close()
    }
  }
  run.sep = sep
  answers.push({ x: 1, y: 1, ans: firstAns, conn: session.c.id })
  if ('value' in firstAns)
    for (const [x, y] of pairs.slice(1)) {
      const ans = await ask(run, session, x, y, sep)
      answers.push({ x, y, ans, conn: session.c.id })
      if (!('value' in ans)) break
    }
  const sepText = sep === ' ' ? 'with a space (`3 7`)' : 'with a comma (`3,7`): `3 7` could not be read'
  const wrong = answers.filter((a) => 'value' in a.ans && a.ans.value !== a.x + a.y)
  const missing = answers.filter((a) => !('value' in a.ans))
  if (missing.length === 0 && wrong.length === 0 && answers.length === pairs.length)
    res.pass(
      'sums',
      `${answers.length} pairs, sent ${sepText}, all summed right: ${answers.map((a) => answerText(a.x, a.y, a.ans)).join(', ')}.`,
      sumConns,
    )
  else if (wrong.length) {
    const glued = wrong.find((w) => 'value' in w.ans && w.ans.value === Number(`${w.x}${w.y}`))
    const list = wrong.map((w) => `the sum of ${w.x} and ${w.y} came back as ${'value' in w.ans ? w.ans.value : '?'}`).join('; ')
    res.fail(
      'sums',
      `${list}.`,
      glued
        ? 'The numbers are joined as text, not added: convert them first, `a, b = data.decode().split()` then `str(int(a) + int(b))`.'
        : 'Split the message into its two numbers, convert each with `int()` and send back their sum: `str(int(a) + int(b))`.',
      sumConns,
    )
  } else {
    const m = missing[0]
    res.fail(
      'sums',
      `Pairs were sent ${sepText}; ${answerText(m.x, m.y, m.ans)}.`,
      'Read each request with `c.recv(1024)`, split the two numbers (`data.decode().split()`), and answer every one with `c.send(str(a + b).encode())`.',
      sumConns,
    )
  }
  const extra = answers.find((a) => 'value' in a.ans && a.ans.extra.length > 0)
  if (!answers.some((a) => 'value' in a.ans)) res.na('one-answer', 'No answer came to judge.', sumConns)
  else if (extra && 'value' in extra.ans)
    res.fail(
      'one-answer',
      `After its answer to ${extra.x}+${extra.y} (${shown(extra.ans.text, 20)}) the server also sent ${shown(extra.ans.extra, 40)}.`,
      'Send exactly one reply per request: `c.send(str(a + b).encode())` once, nothing else.',
      sumConns,
    )
  else res.pass('one-answer', 'Each request got one answer and nothing more.', sumConns)

  // A client that leaves by closing (what the handout's client does on q), then one that sends q first.
  await session.c.close()
  const followUp = async (id: 'after-close' | 'after-quit', what: string, fix: string): Promise<AdderConn | null> => {
    const next = await openAdder(run, adderName(run, id === 'after-close' ? 2 : 3))
    if ('err' in next) {
      res.fail(id, reconnectText(next.err, what), FIX_KEEP_ACCEPTING)
      return null
    }
    if (!isAck(next)) {
      await next.c.close()
      res.fail(id, `A new client got no "ack" ${what}: the server is still busy with the client that left.`, fix, [next.c.id])
      return null
    }
    const x = randomInt(run.rng, 1, 10)
    const y = randomInt(run.rng, 1, 10)
    const ans = await ask(run, next, x, y, sep)
    if ('value' in ans) {
      // Served: whether the sum is right is the `sums` check's business.
      const wrong = ans.value === x + y ? '' : ' (a wrong sum: see `sums`)'
      res.pass(id, `A new client ${what} got its "ack" and ${answerText(x, y, ans)}${wrong}.`, [next.c.id])
      return next
    }
    res.fail(id, `A new client ${what} got ${answerText(x, y, ans)}.`, fix, [next.c.id])
    return next
  }
  const a2 = await followUp(
    'after-close',
    'after the previous client closed',
    "When `recv()` returns `b''` the client has left: `if not data: break`, close that connection and go back to `accept()` (an endless loop on an empty recv serves nobody).",
  )
  if (a2) {
    a2.c.send('q')
    await a2.c.collect(run.quietMs, run.quietMs)
    await a2.c.close()
    const a3 = await followUp(
      'after-quit',
      'after the previous client sent q and left',
      'Treat `q` (and an empty recv) as the end of that client: close its connection and keep accepting; do not let `int("q")` stop the server.',
    )
    if (a3) await a3.c.close()
  } else res.na('after-quit', 'Not checked: the server did not serve a new client after the previous one closed.')
}

async function concurrencyChecks(run: ServerRun): Promise<void> {
  const { res } = run
  const k1 = await openAdder(run, adderName(run, 11))
  if ('err' in k1) {
    res.fail('concurrent', reconnectText(k1.err, 'for this check'), FIX_KEEP_ACCEPTING)
    res.na('no-crossing', 'Not checked.')
    return
  }
  if (!isAck(k1)) {
    await k1.c.close()
    res.na('concurrent', 'The server did not answer even one client with "ack", so serving several cannot be judged.', [k1.c.id])
    res.na('no-crossing', 'Not checked.', [k1.c.id])
    return
  }
  const sep = run.sep
  const warm = await ask(run, k1, 2, 3, sep)
  const open: AdderConn[] = [k1]
  const fixThreads =
    'Serve each client in its own thread: right after `c, addr = s.accept()`, `threading.Thread(target=serve_client, args=(c, addr)).start()`, and go straight back to `accept()`.'
  try {
    const others: AdderConn[] = []
    for (const n of [12, 13]) {
      const k = await openAdder(run, adderName(run, n))
      if ('err' in k) {
        res.fail('concurrent', reconnectText(k.err, 'while the first client was connected'), fixThreads, [k1.c.id])
        res.na('no-crossing', 'Not checked.')
        return
      }
      open.push(k)
      if (!isAck(k)) {
        // Confirm: once the first client leaves, a one-at-a-time server turns to the waiting one.
        await k1.c.close()
        const late = await k.c.collect(run.replyWaitMs, run.quietMs)
        const confirm = late.length
          ? ` When the first client left, the waiting one got ${shown(late, 20)} at once: the server serves one client at a time.`
          : ''
        res.fail(
          'concurrent',
          `Client ${others.length + 2} got no "ack" while client 1 was still connected (and idle).${confirm} Question 2 needs the server to serve several clients at the same time.`,
          fixThreads,
          open.map((o) => o.c.id),
        )
        res.na('no-crossing', 'Not checked: the clients were not served at the same time.')
        return
      }
      others.push(k)
    }
    const sums: string[] = ['value' in warm ? `client 1: ${answerText(2, 3, warm)}` : 'client 1: no answer']
    let allRight = 'value' in warm && warm.value === 5
    for (const [i, k] of others.entries()) {
      const x = 4 + i
      const y = 5
      const ans = await ask(run, k, x, y, sep)
      sums.push(`client ${i + 2}: ${answerText(x, y, ans)}`)
      if (!('value' in ans) || ans.value !== x + y) allRight = false
    }
    if (allRight)
      res.pass(
        'concurrent',
        `Three clients connected at the same time (${open.map((o) => o.name).join(', ')}); each got its "ack" and its sum while client 1 stayed connected: ${sums.join('; ')}.`,
        open.map((o) => o.c.id),
      )
    else
      res.fail(
        'concurrent',
        `Three clients got their "ack", but not every sum came back right: ${sums.join('; ')}.`,
        fixThreads,
        open.map((o) => o.c.id),
      )
    // All three ask at once, with sums that differ: an answer sent on the wrong connection shows.
    const rounds: [number, number][][] = [
      [
        [1, 1],
        [4, 4],
        [9, 9],
      ],
      [
        [2, 3],
        [5, 5],
        [10, 7],
      ],
    ]
    const crossed: string[] = []
    const lost: string[] = []
    for (const round of rounds) {
      round.forEach(([x, y], i) => sendPair(open[i], x, y, sep))
      const got = await Promise.all(open.map((o) => readAnswer(run, o, false)))
      got.forEach((ans, i) => {
        const [x, y] = round[i]
        if (!('value' in ans)) lost.push(`client ${i + 1} (${x}+${y}): ${answerText(x, y, ans)}`)
        else if (ans.value !== x + y) {
          const owner = round.findIndex(([p, q]) => p + q === ans.value)
          crossed.push(
            owner >= 0 && owner !== i
              ? `client ${i + 1} asked ${x}+${y} and got ${ans.value}, client ${owner + 1}'s sum`
              : `client ${i + 1} asked ${x}+${y} and got ${ans.value}`,
          )
        }
      })
    }
    if (crossed.length)
      res.fail(
        'no-crossing',
        `${crossed.join('; ')}.`,
        "Each thread must answer on its own client's socket: pass `c` to the thread function and use that, never a shared global connection variable.",
        open.map((o) => o.c.id),
      )
    else if (lost.length)
      res.fail(
        'no-crossing',
        `With three clients asking at once, not every one got an answer: ${lost.join('; ')}.`,
        fixThreads,
        open.map((o) => o.c.id),
      )
    else
      res.pass(
        'no-crossing',
        'Three clients asked at the same time, twice; each got its own sum.',
        open.map((o) => o.c.id),
      )
  } finally {
    for (const o of open) await o.c.close()
  }
}

// ------------------------------------------------------------------------------------------------

function bindAddressCheck(run: ServerRun): void {
  if (!run.res.has('bind-address')) return
  const listeners = listenersOn(run.options.port, true)
  if (!listeners || listeners.length === 0) {
    run.res.na('bind-address', "This machine's socket table does not show the server listening.")
    return
  }
  const reachable = listeners.filter((l) => !isLoopbackAddress(plainAddress(l.address)))
  const text = listeners.map((l) => formatEndpoint({ address: plainAddress(l.address), port: l.port })).join(', ')
  if (reachable.length) run.res.pass('bind-address', `The server listens on ${text}: a neighbour can connect.`)
  else {
    const is1271 = listeners.some((l) => plainAddress(l.address) === '127.0.1.1')
    run.res.fail(
      'bind-address',
      `The server listens on ${text} only: a loopback address, which no neighbour can reach${is1271 ? ' (127.0.1.1 is what `socket.gethostbyname(socket.gethostname())` gives on Debian and Ubuntu)' : ''}.`,
      "Bind to every address: `s.bind(('', port))` (or `'0.0.0.0'`).",
    )
  }
}

function printedChecks(run: ServerRun, program: Program): void {
  const { res } = run
  const lines = outputLines(program.output())
  const out = [program.instance]
  if (res.has('printed-names')) {
    const named = run.names.filter((n) => lines.some((l) => phraseEnd(l, `Connection initiated by ${n}`) >= 0))
    const missingNames = run.names.filter((n) => !named.includes(n))
    if (!run.names.length) res.na('printed-names', 'No client sent a name.', out)
    else if (!missingNames.length)
      res.pass('printed-names', `Printed "Connection initiated by <name>" for all ${run.names.length} clients.`, out)
    else
      res.fail(
        'printed-names',
        `No "Connection initiated by ${missingNames[0]}" line${missingNames.length > 1 ? ` (nor for ${missingNames.length - 1} other names)` : ''}.`,
        "Print the handout's line when the name arrives: `print('Connection initiated by', name)`.",
        out,
      )
  }
  if (res.has('printed-connection')) {
    if (lines.some((l) => phraseEnd(l, 'Got connection from') >= 0))
      res.pass('printed-connection', 'Printed "Got connection from …".', out)
    else
      res.fail(
        'printed-connection',
        'No "Got connection from …" line in its output.',
        "Print it after accept(): `print('Got connection from', addr)`.",
        out,
      )
  }
  if (res.has('printed-ack')) {
    if (lines.some((l) => phraseEnd(l, DEFAULT_ACK) >= 0))
      res.pass('printed-ack', `Printed the acknowledgement ("${DEFAULT_ACK}").`, out)
    else
      res.fail(
        'printed-ack',
        'The acknowledgement does not appear in its output.',
        'Print what the client sent: `print(c.recv(1024).decode())`.',
        out,
      )
  }
}

/** Run every check of one question against a server; resolves with the report (never throws for the server's doing). */
export async function checkServer(options: ServerCheckOptions): Promise<CheckReport> {
  const log = new EvidenceLog()
  let program: Program | null = null
  let host = options.host
  let startFailure: string | null = null
  if (options.command) {
    program = new Program(options.command, log, { cwd: options.cwd })
    const limit = options.startTimeoutMs ?? 10_000
    const listening = await waitForListener(options.port, program, limit)
    if (!listening.ok)
      startFailure =
        listening.why === 'exited'
          ? `The server program ${describeExit(program)} before it listened on port ${options.port}. ${lastOutput(program)}`
          : `The server program did not listen on port ${options.port} within ${limit / 1000} s (is that the port it binds?). ${lastOutput(program)}`
    else if (!host) {
      // Connect where it listens: a server bound to 127.0.1.1 alone is still checked (and told so).
      const specific = listening.listeners.find((l) => !['0.0.0.0', '::'].includes(plainAddress(l.address)))
      host = specific ? plainAddress(specific.address) : '127.0.0.1'
    }
  }
  host = host ?? '127.0.0.1'
  const local = isThisMachine(host)
  const run = new ServerRun(options, host, program !== null, local, log)
  const target = { host, port: options.port, ...(options.command ? { command: [...options.command] } : {}) }
  const programConns = program ? [program.instance] : []
  try {
    if (startFailure) {
      run.res.fail('connect', startFailure, 'Start the server by hand and read its error; check the port it binds.', programConns)
      run.res.rest('Not run: the server did not start.')
      return run.res.report('server', options.question, target)
    }
    const first = await run.connect()
    if ('err' in first) {
      const diagnosis = await diagnose({ host, port: options.port, err: first.err, elapsedMs: first.elapsedMs })
      run.res.fail('connect', diagnosis.summary, diagnosis.steps.join(' '), [first.id, ...programConns])
      if (program) finishProgram(run, program)
      run.res.rest(`Not run: ${run.where} could not be reached.`)
      return run.res.report('server', options.question, target, diagnosis)
    }
    run.res.pass('connect', `Connected to ${run.where} in ${first.conn.rttMs} ms.`, [first.conn.id])
    switch (options.question) {
      case 'greeting':
        await greetingChecks(run, first.conn)
        break
      case 'dedup':
        await dedupChecks(run, first.conn)
        break
      case 'intersection':
        await intersectionChecks(run, first.conn)
        break
      case 'adder':
        await adderChecks(run, first.conn)
        break
      case 'adder-many':
        await adderChecks(run, first.conn)
        await concurrencyChecks(run)
        break
    }
    if (local) bindAddressCheck(run)
    if (program) {
      // Give the last lines a moment to be printed (the server prints as each client leaves).
      await new Promise((r) => setTimeout(r, 100))
      finishProgram(run, program)
    }
    return run.res.report('server', options.question, target)
  } finally {
    run.destroyAll()
    if (program) await program.stop()
  }
}

function finishProgram(run: ServerRun, program: Program): void {
  const out = [program.instance]
  if (program.running) run.res.pass('running', 'The server program kept running through every check.', out)
  else
    run.res.fail(
      'running',
      `The server program ${describeExit(program)} during the checks. ${lastOutput(program)}`,
      'Run it in a terminal to see the traceback; catch errors per connection so one client cannot stop the server.',
      out,
    )
  printedChecks(run, program)
}
