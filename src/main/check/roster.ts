// The instructor's room board: a roster (CSV: team, host, port, question) read strictly, one clear error
// per bad line; every team's server checked in parallel, a bounded number at a time, each result handed
// on as it comes (the live grid) and any team re-run on demand; the results exported as CSV (one row per
// team, one column per check) and JSON (every report, evidence included).

import {
  CHECK_QUESTIONS,
  type CheckQuestion,
  type CheckReport,
  type RosterEntry,
  type RosterError,
  type RosterResult,
} from '@shared/contract'
import { checkHostInput } from '@shared/endpoint'
import { CHECKS } from './checks'
import { checkServer, type ServerCheckOptions } from './server-check'

export type CsvRow = { line: number; fields: string[] }

export class CsvError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`)
  }
}

/** `line 3: port "x" is not a port number …`, as the CLI prints a roster's error. */
export function rosterErrorText(e: RosterError): string {
  return e.line === null ? e.message : `line ${e.line}: ${e.message}`
}

/** RFC 4180 CSV in one pass: commas, `"quoted, fields"`, `""` inside quotes, LF or CRLF line ends. */
export function readCsv(text: string): { rows: CsvRow[]; errors: CsvError[] } {
  const rows: CsvRow[] = []
  const errors: CsvError[] = []
  let line = 1
  let rowLine = 1
  let field = ''
  let fields: string[] = []
  let quoted = false
  let afterQuote = false
  let bad = false
  const endRow = (): void => {
    fields.push(field)
    if (!bad && !(fields.length === 1 && fields[0].trim() === '')) rows.push({ line: rowLine, fields })
    fields = []
    field = ''
    afterQuote = false
    bad = false
  }
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  for (let i = 0; i < t.length; i++) {
    const ch = t[i]
    if (quoted) {
      if (ch === '"') {
        if (t[i + 1] === '"') {
          field += '"'
          i++
        } else {
          quoted = false
          afterQuote = true
        }
      } else {
        if (ch === '\n') line++
        field += ch
      }
      continue
    }
    if (ch === ',') {
      fields.push(field)
      field = ''
      afterQuote = false
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && t[i + 1] === '\n') i++
      endRow()
      line++
      rowLine = line
    } else if (ch === '"') {
      if (field.trim() !== '' || afterQuote) {
        if (!bad) errors.push(new CsvError(line, 'a quote inside an unquoted field (quote the whole field: "…")'))
        bad = true
      } else {
        field = ''
        quoted = true
      }
    } else if (afterQuote) {
      if (ch !== ' ' && ch !== '\t') {
        if (!bad) errors.push(new CsvError(line, 'text after a closing quote (put a comma after the quoted field)'))
        bad = true
      }
    } else field += ch
  }
  if (quoted) errors.push(new CsvError(rowLine, 'a quoted field is never closed'))
  else if (field !== '' || fields.length) endRow()
  return { rows, errors }
}

const COLUMNS = ['team', 'host', 'port', 'question'] as const
const MAX_TEAMS = 500

/** A roster file: the header `team,host,port,question`, then one team per line; every bad line named. */
export function parseRoster(text: string): { entries: RosterEntry[]; errors: RosterError[] } {
  const { rows, errors: csvErrors } = readCsv(text)
  const errors: RosterError[] = csvErrors.map((e) => ({ line: e.line, message: e.reason }))
  const entries: RosterEntry[] = []
  if (!rows.length)
    return {
      entries,
      errors: [...errors, { line: null, message: 'the roster is empty: the first line is team,host,port,question' }],
    }
  const header = rows[0]
  const names = header.fields.map((f) => f.trim().toLowerCase())
  if (names.length !== 4 || COLUMNS.some((c, i) => names[i] !== c))
    return {
      entries,
      errors: [
        ...errors,
        {
          line: header.line,
          message: `the first line must be the header team,host,port,question (got ${header.fields.join(',').slice(0, 80)})`,
        },
      ],
    }
  const teams = new Set<string>()
  for (const row of rows.slice(1)) {
    const at = row.line
    if (row.fields.length !== 4) {
      errors.push({ line: at, message: `expected 4 fields (team,host,port,question), got ${row.fields.length}` })
      continue
    }
    const [team, hostText, portText, questionText] = row.fields.map((f) => f.trim())
    if (!team) {
      errors.push({ line: at, message: `the team is empty` })
      continue
    }
    if (teams.has(team.toLowerCase())) {
      errors.push({ line: at, message: `team "${team.slice(0, 40)}" appears twice` })
      continue
    }
    const host = checkHostInput(hostText)
    if (!host.ok) {
      errors.push({ line: at, message: `host: ${host.error}` })
      continue
    }
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      errors.push({ line: at, message: `port "${portText.slice(0, 20)}" is not a port number (1 to 65535)` })
      continue
    }
    const question = questionText.toLowerCase()
    if (!(CHECK_QUESTIONS as readonly string[]).includes(question)) {
      errors.push({ line: at, message: `question "${questionText.slice(0, 30)}" is not one of ${CHECK_QUESTIONS.join(', ')}` })
      continue
    }
    if (entries.length >= MAX_TEAMS) {
      errors.push({ line: at, message: `more than ${MAX_TEAMS} teams` })
      break
    }
    teams.add(team.toLowerCase())
    entries.push({ team, host: host.host, port: Number(portText), question: question as CheckQuestion })
  }
  return { entries, errors }
}

export interface RosterOptions {
  /** Teams checked at the same time. */
  parallel?: number
  /** Each team's result as soon as it is known (and `report: undefined` when its check starts). */
  onResult?: (result: RosterResult) => void
  /** Passed to every server check (timeouts). */
  check?: Partial<ServerCheckOptions>
}

export const ROSTER_PARALLEL = 6

/** Check every team's server, at most `parallel` at a time; resolves with the results in roster order. */
export async function runRoster(entries: RosterEntry[], options: RosterOptions = {}): Promise<RosterResult[]> {
  const results: RosterResult[] = entries.map((entry) => ({ entry }))
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < entries.length && !options.check?.signal?.aborted) {
      const i = next++
      results[i] = await checkTeam(entries[i], options)
    }
  }
  const n = Math.max(1, Math.min(options.parallel ?? ROSTER_PARALLEL, entries.length))
  await Promise.all(Array.from({ length: n }, worker))
  return results
}

/** One team, on its own: the board's "re-run" button. */
export async function checkTeam(entry: RosterEntry, options: RosterOptions = {}): Promise<RosterResult> {
  options.onResult?.({ entry })
  const report = await checkServer({ ...options.check, question: entry.question, host: entry.host, port: entry.port })
  const result = { entry, report }
  options.onResult?.(result)
  return result
}

/** The check ids of these questions, in the checks table's order (the board's columns). */
export function rosterColumns(questions: Iterable<CheckQuestion>): string[] {
  const want = new Set(questions)
  const ids: string[] = []
  for (const c of CHECKS)
    if (c.side === 'server' && !c.needs && c.questions.some((q) => want.has(q)) && !ids.includes(c.id)) ids.push(c.id)
  return ids
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

function cell(report: CheckReport | undefined, id: string): string {
  const c = report?.checks.find((x) => x.id === id)
  if (!c) return ''
  return c.ok === true ? 'pass' : c.ok === false ? 'fail' : 'n/a'
}

/** One row per team, one column per check (pass / fail / n/a), and the failing reasons in words. */
export function rosterCsv(results: RosterResult[]): string {
  const ids = rosterColumns(results.map((r) => r.entry.question))
  const head = ['team', 'host', 'port', 'question', 'result', 'passed', 'failed', ...ids, 'failing']
  const rows = results.map((r) => {
    const rep = r.report
    const failing = rep ? rep.checks.filter((c) => c.ok === false).map((c) => `${c.id}: ${c.detail}`) : []
    return [
      r.entry.team,
      r.entry.host,
      String(r.entry.port),
      r.entry.question,
      rep ? (rep.ok ? 'pass' : 'fail') : 'not run',
      rep ? String(rep.passed) : '',
      rep ? String(rep.failed) : '',
      ...ids.map((id) => cell(rep, id)),
      failing.join(' | '),
    ]
  })
  return `${[head, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`
}

export function rosterJson(results: RosterResult[], source?: string): string {
  return `${JSON.stringify(
    {
      roster: source ?? null,
      teams: results.map((r) => ({ ...r.entry, ok: r.report?.ok ?? null, report: r.report ?? null })),
      passed: results.filter((r) => r.report?.ok).length,
      failed: results.filter((r) => r.report && !r.report.ok).length,
    },
    null,
    2,
  )}\n`
}
