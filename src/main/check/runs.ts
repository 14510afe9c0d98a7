// The checks the app runs: a server check, a client check, Run my program and the room board, each a run
// with an id that the app follows through check-* and roster-* events (the plan of rows, each result as it
// is settled, the report at the end), that can be cancelled (connections closed, programs stopped) and
// whose report can be saved to this machine's reports folder as HTML, Markdown, JSON or, for a roster,
// CSV. The host owns one of these; the CLI runs the same check functions directly.

import { mkdirSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type {
  CheckClientArgs,
  CheckEvent,
  CheckPlan,
  CheckProgramArgs,
  CheckReport,
  CheckResult,
  CheckRunInfo,
  CheckRunState,
  CheckSaveArgs,
  CheckServerArgs,
  RosterRunInfo,
  RosterRunState,
  SavedReport,
} from '@shared/contract'
import { UserError } from '../errors'
import { nextId } from '../net/ids'
import { checkClient, type ClientCheckOptions } from './client-check'
import { resolveCommand } from './command'
import { htmlReport, jsonReport, markdownReport } from './report'
import { checkTeam, parseRoster, rosterColumns, rosterCsv, rosterErrorText, rosterJson, runRoster } from './roster'
import { checkServer, type ServerCheckOptions } from './server-check'

export interface CheckRunsOptions {
  emit(event: CheckEvent): void
  /** Where saved reports go (default: $SOCKETLAB_REPORTS_DIR, else ~/SocketLab/reports). */
  reportsDir?: string
  /** Passed to every server check (tests shorten the timeouts). */
  server?: Partial<ServerCheckOptions>
}

/** Checks running at the same time (a roster counts as one). */
export const MAX_RUNNING = 4
/** Finished runs kept for saving. */
const KEEP_FINISHED = 20

interface Run {
  info: CheckRunInfo
  controller: AbortController
  done: Promise<void>
  report?: CheckReport
  running: boolean
  /** Told to the app (check-started): a client check is once it listens. */
  announced: boolean
  /** What its events said, for a reloaded page: the plan, each result as it came, how it ended. */
  plan: CheckPlan[]
  results: Map<string, CheckResult>
  cancelled?: true
  error?: string
}

interface RosterRun {
  info: RosterRunInfo
  controller: AbortController
  reports: (CheckReport | undefined)[]
  running: Set<number>
  done: Promise<void>
  active: boolean
  cancelled?: true
}

export function defaultReportsDir(): string {
  return process.env.SOCKETLAB_REPORTS_DIR || join(homedir(), 'SocketLab', 'reports')
}

function stamp(t: number): string {
  return new Date(t).toISOString().slice(0, 19).replaceAll(':', '-')
}

export class CheckRuns {
  private readonly runs = new Map<string, Run>()
  private readonly rosters = new Map<string, RosterRun>()

  constructor(private readonly options: CheckRunsOptions) {}

  private running(): number {
    let n = 0
    for (const r of this.runs.values()) if (r.running) n++
    for (const r of this.rosters.values()) if (r.active || r.running.size) n++
    return n
  }

  private room(field?: string): void {
    if (this.running() >= MAX_RUNNING)
      throw new UserError(`${MAX_RUNNING} checks are running already: wait for one to end, or cancel one.`, field)
  }

  private forgetOld(): void {
    const finished = [...this.runs.values()].filter((r) => !r.running)
    for (const r of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.runs.delete(r.info.runId)
    const rosters = [...this.rosters.values()].filter((r) => !r.active && !r.running.size)
    for (const r of rosters.slice(0, Math.max(0, rosters.length - 4))) this.rosters.delete(r.info.runId)
  }

  /** Start one check; `started` resolves with the run's info (a client check: once it listens). */
  private start(
    kind: CheckRunInfo['kind'],
    question: CheckRunInfo['question'],
    target: CheckRunInfo['target'],
    go: (hooks: Hooks) => Promise<CheckReport>,
  ): Promise<CheckRunInfo> {
    this.forgetOld()
    const runId = nextId('check')
    const controller = new AbortController()
    const info: CheckRunInfo = { runId, kind, question, target, startedAt: Date.now() }
    const emit = this.options.emit
    let announce: (info: CheckRunInfo) => void = () => undefined
    let refuse: (err: Error) => void = () => undefined
    const started = new Promise<CheckRunInfo>((resolve, reject) => {
      announce = resolve
      refuse = reject
    })
    // A client check plans its rows before it listens: what it says waits until the run is announced,
    // so the app, which knows a run from its check-started, misses none of it.
    const waiting: CheckEvent[] = []
    const say = (event: CheckEvent): void => void (run.announced ? emit(event) : waiting.push(event))
    const hooks: Hooks = {
      signal: controller.signal,
      onPlan: (checks) => {
        run.plan = checks
        say({ type: 'check-plan', runId, checks })
      },
      onResult: (result) => {
        run.results.set(result.id, result)
        say({ type: 'check-result', runId, result })
      },
      listening: (port) => {
        run.info = { ...run.info, target: { ...run.info.target, port } }
        run.announced = true
        emit({ type: 'check-started', run: run.info })
        for (const event of waiting.splice(0)) emit(event)
        announce(run.info)
      },
    }
    const run: Run = {
      info,
      controller,
      running: true,
      announced: false,
      plan: [],
      results: new Map(),
      done: Promise.resolve(),
    }
    this.runs.set(runId, run)
    const announceNow = kind === 'server'
    if (announceNow) hooks.listening(target.port)
    run.done = go(hooks).then(
      (report) => {
        run.running = false
        if (!run.announced) {
          // A client check that never listened: its error goes next to the port, and the run is gone.
          this.runs.delete(runId)
          const c = report.checks.find((x) => x.id === 'connected')
          refuse(new UserError(c?.detail ?? 'SocketLab could not serve the question.', 'port'))
          return
        }
        if (controller.signal.aborted) {
          run.cancelled = true
          emit({ type: 'check-ended', runId, cancelled: true })
        } else {
          run.report = report
          emit({ type: 'check-ended', runId, report })
        }
      },
      (err: unknown) => {
        run.running = false
        const error = `Internal error: ${err instanceof Error ? err.message : String(err)}`
        if (!run.announced) {
          this.runs.delete(runId)
          refuse(new Error(error))
        } else {
          run.error = error
          emit({ type: 'check-ended', runId, error })
        }
      },
    )
    return started
  }

  server(args: CheckServerArgs): Promise<CheckRunInfo> {
    this.room('host')
    return this.start('server', args.question, { host: args.host, port: args.port }, (hooks) =>
      checkServer({ ...this.options.server, ...hooks, question: args.question, host: args.host, port: args.port }),
    )
  }

  client(args: CheckClientArgs): Promise<CheckRunInfo> {
    this.room('port')
    return this.start('client', args.question, { port: args.port }, (hooks) =>
      checkClient({ ...clientOptions(args, hooks), question: args.question }),
    )
  }

  program(args: CheckProgramArgs): Promise<CheckRunInfo> {
    const { argv, cwd } = resolveCommand(args.command, args.cwd)
    this.room('command')
    const target = { port: args.port, command: argv }
    if (args.side === 'server') {
      // `{port}` in a server's command is the port it is told to listen on, as for a client.
      const command = argv.map((a) => a.replaceAll('{port}', String(args.port)))
      return this.start('server', args.question, target, (hooks) =>
        checkServer({
          ...this.options.server,
          ...hooks,
          question: args.question,
          port: args.port,
          command,
          cwd,
          ...(args.timeoutS ? { startTimeoutMs: args.timeoutS * 1000 } : {}),
        }),
      )
    }
    return this.start('client', args.question, target, (hooks) =>
      checkClient({ ...clientOptions(args, hooks), question: args.question, command: argv, cwd }),
    )
  }

  roster(csv: string): RosterRunInfo {
    const { entries, errors } = parseRoster(csv)
    if (errors.length) {
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''
      throw new UserError(`The roster cannot be read: ${rosterErrorText(errors[0])}${more}.`, 'roster', {
        kind: 'roster',
        errors: errors.slice(0, 100),
      })
    }
    if (!entries.length)
      throw new UserError('The roster lists no team: add one line team,host,port,question per team under the header.', 'roster')
    this.room('roster')
    this.forgetOld()
    const info: RosterRunInfo = {
      runId: nextId('roster'),
      entries,
      columns: rosterColumns(entries.map((e) => e.question)),
      startedAt: Date.now(),
    }
    const roster: RosterRun = {
      info,
      controller: new AbortController(),
      reports: entries.map(() => undefined),
      running: new Set(),
      active: true,
      done: Promise.resolve(),
    }
    this.rosters.set(info.runId, roster)
    this.options.emit({ type: 'roster-started', roster: info })
    roster.done = runRoster(entries, {
      check: { ...this.options.server, signal: roster.controller.signal },
      onResult: (r) => this.teamResult(roster, entries.indexOf(r.entry), r.report),
    }).then(() => {
      roster.active = false
      if (roster.controller.signal.aborted) roster.cancelled = true
      this.options.emit({
        type: 'roster-ended',
        runId: info.runId,
        ...(roster.controller.signal.aborted ? { cancelled: true as const } : {}),
      })
    })
    return info
  }

  private teamResult(roster: RosterRun, index: number, report: CheckReport | undefined): void {
    if (report) roster.running.delete(index)
    else roster.running.add(index)
    if (report && !roster.controller.signal.aborted) roster.reports[index] = report
    const cancelled = report && roster.controller.signal.aborted
    this.options.emit({
      type: 'roster-team',
      runId: roster.info.runId,
      index,
      ...(report && !cancelled ? { report } : {}),
    })
  }

  rerunTeam(runId: string, index: number): void {
    const roster = this.rosters.get(runId)
    if (!roster) throw new UserError('That room board is not open any more: load the roster again.')
    const entry = roster.info.entries[index]
    if (!entry) throw new UserError(`The roster has no team number ${index + 1}.`)
    if (roster.running.has(index)) throw new UserError(`${entry.team} is being checked already.`)
    if (roster.controller.signal.aborted) roster.controller = new AbortController()
    delete roster.cancelled
    void checkTeam(entry, {
      check: { ...this.options.server, signal: roster.controller.signal },
      onResult: (r) => this.teamResult(roster, index, r.report),
    })
  }

  cancel(runId: string): void {
    const run = this.runs.get(runId)
    if (run) {
      if (run.running) run.controller.abort()
      return
    }
    const roster = this.rosters.get(runId)
    if (!roster) throw new UserError('That check is not running.')
    roster.controller.abort()
  }

  save(args: CheckSaveArgs): SavedReport {
    const { filename, content } = this.fileOf(args)
    const folder = this.options.reportsDir ?? defaultReportsDir()
    const path = join(folder, filename)
    try {
      mkdirSync(folder, { recursive: true })
      writeFileSync(path, content)
    } catch (err) {
      throw new UserError(`Could not save ${filename} to ${folder}: ${err instanceof Error ? err.message : String(err)}`, 'save')
    }
    return { filename, folder, path, size: Buffer.byteLength(content) }
  }

  private fileOf({ runId, format, index }: CheckSaveArgs): { filename: string; content: string } {
    const run = this.runs.get(runId)
    if (run) {
      if (!run.report)
        throw new UserError(
          run.running ? 'The check is still running: save it when it ends.' : 'That check has no report.',
          'save',
        )
      return reportFile(run.report, format, `socketlab-${run.info.kind}-${run.info.question}-${stamp(run.info.startedAt)}`)
    }
    const roster = this.rosters.get(runId)
    if (!roster) throw new UserError('That check is not there any more: run it again.', 'save')
    const base = `socketlab-room-${stamp(roster.info.startedAt)}`
    if (index !== undefined) {
      const report = roster.reports[index]
      const entry = roster.info.entries[index]
      if (!report || !entry) throw new UserError('That team has no report yet.', 'save')
      return reportFile(report, format, `${base}-${entry.team.replaceAll(/[^A-Za-z0-9_-]/g, '_').slice(0, 40)}`)
    }
    const results = roster.info.entries.map((entry, i) => ({
      entry,
      ...(roster.reports[i] ? { report: roster.reports[i] } : {}),
    }))
    if (format === 'csv') return { filename: `${base}.csv`, content: rosterCsv(results) }
    if (format === 'json') return { filename: `${base}.json`, content: rosterJson(results) }
    throw new UserError('A room board is saved as CSV or JSON (or one team as HTML or Markdown).', 'save')
  }

  /** The recent runs and room boards as their events have left them, oldest first, for a reloaded page. */
  state(): { checkRuns: CheckRunState[]; rosterRuns: RosterRunState[] } {
    const checkRuns = [...this.runs.values()]
      .filter((r) => r.announced)
      .map((r): CheckRunState => ({
        info: r.info,
        plan: r.plan,
        results: [...r.results.values()],
        ended: !r.running,
        ...(r.report ? { report: r.report } : {}),
        ...(r.cancelled ? { cancelled: true as const } : {}),
        ...(r.error !== undefined ? { error: r.error } : {}),
      }))
    const rosterRuns = [...this.rosters.values()].map((r): RosterRunState => ({
      info: r.info,
      reports: r.reports.map((report) => report ?? null),
      running: [...r.running],
      ended: !r.active,
      ...(r.cancelled ? { cancelled: true as const } : {}),
    }))
    return { checkRuns, rosterRuns }
  }

  /** Cancel everything and wait (a little) for it to stop. */
  async close(): Promise<void> {
    for (const r of this.runs.values()) if (r.running) r.controller.abort()
    for (const r of this.rosters.values()) r.controller.abort()
    const all = [...this.runs.values(), ...this.rosters.values()].map((r) => r.done)
    await Promise.race([Promise.all(all), new Promise((r) => setTimeout(r, 3000).unref())])
  }
}

type Hooks = Pick<ServerCheckOptions, 'signal' | 'onPlan' | 'onResult'> & { listening(port: number): void }

function clientOptions(args: CheckClientArgs | CheckProgramArgs, hooks: Hooks): Omit<ClientCheckOptions, 'question'> {
  return {
    port: args.port,
    connections: args.connections ?? 1,
    timeoutMs: (args.timeoutS ?? 60) * 1000,
    signal: hooks.signal,
    onPlan: hooks.onPlan,
    onResult: hooks.onResult,
    onListening: hooks.listening,
  }
}

function reportFile(report: CheckReport, format: CheckSaveArgs['format'], base: string): { filename: string; content: string } {
  if (format === 'html') return { filename: `${base}.html`, content: htmlReport(report) }
  if (format === 'markdown') return { filename: `${base}.md`, content: markdownReport(report) }
  if (format === 'json') return { filename: `${base}.json`, content: jsonReport(report) }
  throw new UserError('A check report is saved as HTML, Markdown or JSON.', 'save')
}
