// The checks as data: every requirement of the handouts that SocketLab can ask of a student's program,
// with a stable id (scripts and the README use it), a title in the handout's terms, whether it is
// required (a failed required check fails the report: exit 1), which question and which side it belongs
// to, and whether it needs SocketLab to run the program itself (`run`) or to see this machine's sockets
// (`local`). The app, the CLI's --json, the HTML report and the README all list these same rows.

import type { CheckEvidence, CheckPlan, CheckQuestion, CheckReport, CheckResult, CheckTarget, Diagnosis } from '@shared/contract'
import type { EvidenceLog } from './evidence'

export interface CheckSpec {
  id: string
  title: string
  required: boolean
  side: 'server' | 'client'
  questions: readonly CheckQuestion[]
  /** Only when SocketLab starts the program (`-- COMMAND`), or only when the server runs on this machine. */
  needs?: 'run' | 'local'
}

const ALL: readonly CheckQuestion[] = ['greeting', 'dedup', 'intersection', 'adder', 'adder-many']
const LISTS: readonly CheckQuestion[] = ['dedup', 'intersection']
const ADDERS: readonly CheckQuestion[] = ['adder', 'adder-many']

export const CHECKS: readonly CheckSpec[] = [
  // ---- A student's server ----
  { id: 'connect', title: 'Accepts a connection', required: true, side: 'server', questions: ALL },
  {
    id: 'greeting',
    title: 'Greets on connect with "Thank you for connecting"',
    required: true,
    side: 'server',
    questions: ['greeting'],
  },
  { id: 'acknowledgement', title: "Reads the client's acknowledgement", required: true, side: 'server', questions: ['greeting'] },
  {
    id: 'close',
    title: 'Closes the connection cleanly after the exchange',
    required: true,
    side: 'server',
    questions: ['greeting'],
  },
  { id: 'next-client', title: 'Greets the next client too', required: false, side: 'server', questions: ['greeting'] },
  {
    id: 'dedup',
    title: 'Sends back the list without duplicates (25 numbers)',
    required: true,
    side: 'server',
    questions: ['dedup'],
  },
  {
    id: 'dedup-100',
    title: 'Sends back the list without duplicates (100 numbers)',
    required: true,
    side: 'server',
    questions: ['dedup'],
  },
  {
    id: 'duplicates',
    title: 'The duplicates, when it sends them, are right',
    required: true,
    side: 'server',
    questions: ['dedup'],
  },
  {
    id: 'intersection',
    title: "Answers the client's set with a list",
    required: true,
    side: 'server',
    questions: ['intersection'],
  },
  { id: 'sorted', title: 'The common numbers are sorted', required: true, side: 'server', questions: ['intersection'] },
  { id: 'distinct', title: 'Each common number once', required: true, side: 'server', questions: ['intersection'] },
  { id: 'subset', title: 'Only numbers the client sent', required: true, side: 'server', questions: ['intersection'] },
  { id: 'complete', title: 'Every common number is there', required: false, side: 'server', questions: ['intersection'] },
  { id: 'consistency', title: 'The same answer for the same set', required: false, side: 'server', questions: ['intersection'] },
  { id: 'ack', title: 'Replies exactly "ack" after the name', required: true, side: 'server', questions: ADDERS },
  { id: 'sums', title: 'Every pair gets the right sum (1+1 and 10+10 too)', required: true, side: 'server', questions: ADDERS },
  { id: 'one-answer', title: 'One answer per request', required: true, side: 'server', questions: ADDERS },
  { id: 'after-close', title: 'Keeps working after a client closes', required: true, side: 'server', questions: ADDERS },
  {
    id: 'after-quit',
    title: 'Keeps working after a client sends q and leaves',
    required: false,
    side: 'server',
    questions: ADDERS,
  },
  {
    id: 'concurrent',
    title: 'Serves several clients at the same time',
    required: true,
    side: 'server',
    questions: ['adder-many'],
  },
  {
    id: 'no-crossing',
    title: 'Each answer goes to the client that asked',
    required: true,
    side: 'server',
    questions: ['adder-many'],
  },
  {
    id: 'bind-address',
    title: 'Reachable from a neighbour (not bound to loopback only)',
    required: false,
    side: 'server',
    questions: ALL,
    needs: 'local',
  },
  { id: 'running', title: 'Keeps running through the checks', required: true, side: 'server', questions: ALL, needs: 'run' },
  {
    id: 'printed-connection',
    title: 'Prints "Got connection from …"',
    required: false,
    side: 'server',
    questions: ['greeting', ...LISTS],
    needs: 'run',
  },
  {
    id: 'printed-ack',
    title: 'Prints the acknowledgement it received',
    required: false,
    side: 'server',
    questions: ['greeting'],
    needs: 'run',
  },
  {
    id: 'printed-names',
    title: 'Prints "Connection initiated by <client name>"',
    required: true,
    side: 'server',
    questions: ADDERS,
    needs: 'run',
  },

  // ---- A student's client ----
  { id: 'connected', title: 'Connects to the server', required: true, side: 'client', questions: ALL },
  {
    id: 'acknowledgement',
    title: 'Answers the greeting with an acknowledgement',
    required: true,
    side: 'client',
    questions: ['greeting'],
  },
  { id: 'list-size', title: 'Sends 25 to 100 numbers', required: true, side: 'client', questions: ['dedup'] },
  { id: 'list-size', title: 'Sends a set of 25 numbers', required: false, side: 'client', questions: ['intersection'] },
  { id: 'list-range', title: 'Every number is from 1 to 100', required: true, side: 'client', questions: LISTS },
  { id: 'distinct', title: 'A set: no number twice', required: false, side: 'client', questions: ['intersection'] },
  { id: 'name-first', title: 'Sends its name first', required: true, side: 'client', questions: ADDERS },
  { id: 'unique-names', title: 'Every instance has its own name', required: true, side: 'client', questions: ADDERS },
  { id: 'bundled', title: 'Sends the two numbers bundled in one string', required: true, side: 'client', questions: ADDERS },
  { id: 'range', title: 'Each number is from 1 to 10', required: true, side: 'client', questions: ADDERS },
  { id: 'quit', title: 'Closes the connection on q', required: true, side: 'client', questions: ADDERS },
  { id: 'reads', title: 'Reads what the server sends', required: true, side: 'client', questions: ALL },
  { id: 'printed-greeting', title: 'Prints the greeting', required: true, side: 'client', questions: ['greeting'], needs: 'run' },
  { id: 'printed-final', title: 'Prints the final list', required: true, side: 'client', questions: ['dedup'], needs: 'run' },
  {
    id: 'printed-duplicates',
    title: 'Prints the duplicates',
    required: true,
    side: 'client',
    questions: ['dedup'],
    needs: 'run',
  },
  {
    id: 'printed-intersection',
    title: 'Prints the common numbers',
    required: true,
    side: 'client',
    questions: ['intersection'],
    needs: 'run',
  },
  {
    id: 'printed-numbers',
    title: 'Prints the two numbers it sends',
    required: true,
    side: 'client',
    questions: ADDERS,
    needs: 'run',
  },
  {
    id: 'printed-sums',
    title: 'Prints "answer received from Server = <sum>"',
    required: true,
    side: 'client',
    questions: ADDERS,
    needs: 'run',
  },
  {
    id: 'printed-invalid',
    title: 'Prints "Invalid command" for a wrong command',
    required: true,
    side: 'client',
    questions: ADDERS,
    needs: 'run',
  },
  {
    id: 'exits',
    title: 'Ends by itself after the exchange (after q for the adder)',
    required: true,
    side: 'client',
    questions: ALL,
    needs: 'run',
  },
]

export function specsFor(side: 'server' | 'client', question: CheckQuestion, has: { run: boolean; local: boolean }): CheckSpec[] {
  return CHECKS.filter(
    (c) =>
      c.side === side &&
      c.questions.includes(question) &&
      (c.needs === undefined || (c.needs === 'run' && has.run) || (c.needs === 'local' && has.local)),
  )
}

/** The rows a run will fill in, as the app shows them before their results come. */
export function planOf(specs: readonly CheckSpec[]): CheckPlan[] {
  return specs.map((s) => ({ id: s.id, title: s.title, required: s.required }))
}

/** The results of one report, filled in by a flow check by check; what is never set is "not run". */
export class Results {
  private readonly results = new Map<string, CheckResult>()

  constructor(
    readonly specs: CheckSpec[],
    private readonly log: EvidenceLog,
    /** Told each result as it is settled (the app's live rows). */
    private readonly onResult?: (result: CheckResult) => void,
  ) {}

  has(id: string): boolean {
    return this.specs.some((s) => s.id === id)
  }

  private set(
    id: string,
    ok: boolean | null,
    detail: string,
    conns: Iterable<number>,
    fix?: string,
    extra: CheckEvidence[] = [],
  ): void {
    const spec = this.specs.find((s) => s.id === id)
    if (!spec) return
    const evidence = [...this.log.of(conns), ...extra].sort((a, b) => a.t - b.t)
    const result = { id, title: spec.title, required: spec.required, ok, detail, ...(fix ? { fix } : {}), evidence }
    this.results.set(id, result)
    this.onResult?.(result)
  }

  pass(id: string, detail: string, conns: Iterable<number> = [], extra?: CheckEvidence[]): void {
    this.set(id, true, detail, conns, undefined, extra)
  }

  fail(id: string, detail: string, fix: string, conns: Iterable<number> = [], extra?: CheckEvidence[]): void {
    this.set(id, false, detail, conns, fix, extra)
  }

  na(id: string, detail: string, conns: Iterable<number> = [], extra?: CheckEvidence[]): void {
    this.set(id, null, detail, conns, undefined, extra)
  }

  isSet(id: string): boolean {
    return this.results.has(id)
  }

  get(id: string): CheckResult | undefined {
    return this.results.get(id)
  }

  /** Every check not answered yet becomes "not run", with the reason. */
  rest(reason: string): void {
    for (const s of this.specs) if (!this.results.has(s.id)) this.na(s.id, reason)
  }

  report(kind: 'server' | 'client', question: CheckQuestion, target: CheckTarget, diagnosis?: Diagnosis): CheckReport {
    this.rest('Not run.')
    const checks = this.specs.map((s) => this.results.get(s.id)!)
    const failed = checks.filter((c) => c.ok === false).length
    const passed = checks.filter((c) => c.ok === true).length
    const ok = !diagnosis && checks.every((c) => !(c.required && c.ok === false))
    return {
      kind,
      question,
      target,
      checks,
      passed,
      failed,
      ok,
      startedAt: this.log.startedAt,
      durationMs: Date.now() - this.log.startedAt,
      ...(diagnosis ? { diagnosis } : {}),
    }
  }
}
