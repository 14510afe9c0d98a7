// The Check page's state: its forms, every check run and room board the host reports (the plan of rows,
// each result as it comes, the report at the end), and where the last report was saved. A store of its
// own, fed by the check-* and roster-* events of the same batches as the rest of the app; every change
// goes through the actions below. Errors go to the app's one error map (keyed by form and field), so the
// field components show them next to the control that caused them.

import { createStore, type StoreApi } from 'zustand/vanilla'
import { useStore } from 'zustand'
import { splitCommandLine } from '@shared/command-line'
import type {
  CheckEvent,
  CheckPlan,
  CheckQuestion,
  CheckReport,
  CheckResult,
  CheckRunInfo,
  CheckSaveFormat,
  CommandResult,
  DoctorAction,
  EventBatch,
  RosterError,
  RosterRunInfo,
  SavedReport,
  Snapshot,
  SocketLabBridge,
} from '@shared/contract'
import { fieldLabel, fieldSentence } from '@shared/fields'
import { HANDOUT_PORT } from '@shared/settings'
import type { BridgeLink } from '../bridge'
import { appStore, setError } from './index'

export type CheckTab = 'server' | 'client' | 'program' | 'room'

/** Where each tab's errors are shown (the app's error map). */
export const checkForm: Record<CheckTab, string> = {
  server: 'check:server',
  client: 'check:client',
  program: 'check:program',
  room: 'check:room',
}

export interface CheckForms {
  server: { question: CheckQuestion; host: string; port: string }
  client: { question: CheckQuestion; port: string; connections: string; timeoutS: string }
  program: {
    side: 'server' | 'client'
    question: CheckQuestion
    command: string
    cwd: string
    port: string
    connections: string
    timeoutS: string
  }
  room: { csv: string }
}

export interface RunView {
  info: CheckRunInfo
  plan: CheckPlan[]
  results: Record<string, CheckResult>
  report?: CheckReport
  ended: boolean
  cancelled?: boolean
  error?: string
}

export interface RosterView {
  info: RosterRunInfo
  reports: (CheckReport | undefined)[]
  running: Record<number, true>
  ended: boolean
  cancelled?: boolean
}

export interface CheckState {
  tab: CheckTab
  forms: CheckForms
  runs: Record<string, RunView>
  /** The run each tab shows. */
  current: Partial<Record<Exclude<CheckTab, 'room'>, string>>
  rosters: Record<string, RosterView>
  roster?: string
  /** A roster that could not be read: every bad line. */
  rosterErrors: RosterError[]
  /** The last report saved from each tab. */
  saved: Partial<Record<CheckTab, SavedReport>>
}

export function initialCheckState(): CheckState {
  return {
    tab: 'server',
    forms: {
      server: { question: 'adder', host: '127.0.0.1', port: String(HANDOUT_PORT) },
      client: { question: 'adder', port: '0', connections: '1', timeoutS: '60' },
      program: {
        side: 'client',
        question: 'adder',
        command: 'python3 client.py 127.0.0.1 {port}',
        cwd: '',
        port: '0',
        connections: '1',
        timeoutS: '30',
      },
      room: { csv: 'team,host,port,question\n' },
    },
    runs: {},
    current: {},
    rosters: {},
    rosterErrors: [],
    saved: {},
  }
}

export type CheckStore = StoreApi<CheckState>

export function createCheckStore(): CheckStore {
  return createStore<CheckState>()(() => initialCheckState())
}

export const checkStore = createCheckStore()

export function useCheck<T>(selector: (s: CheckState) => T): T {
  return useStore(checkStore, selector)
}

// ---------- events ----------

function reduceEvent(s: CheckState, e: CheckEvent): Partial<CheckState> {
  switch (e.type) {
    case 'check-started': {
      const old: RunView = s.runs[e.run.runId] ?? { info: e.run, plan: [], results: {}, ended: false }
      return { runs: { ...s.runs, [e.run.runId]: { ...old, info: e.run } } }
    }
    case 'check-plan':
    case 'check-result':
    case 'check-ended': {
      const run = s.runs[e.runId]
      if (!run) return {}
      let next: RunView = run
      if (e.type === 'check-plan') next = { ...run, plan: e.checks }
      else if (e.type === 'check-result') next = { ...run, results: { ...run.results, [e.result.id]: e.result } }
      else {
        const results = e.report ? Object.fromEntries(e.report.checks.map((c) => [c.id, c])) : run.results
        next = { ...run, ended: true, results, report: e.report, cancelled: e.cancelled, error: e.error }
      }
      return { runs: { ...s.runs, [e.runId]: next } }
    }
    case 'roster-started':
      return {
        rosters: {
          ...s.rosters,
          [e.roster.runId]: { info: e.roster, reports: e.roster.entries.map(() => undefined), running: {}, ended: false },
        },
      }
    case 'roster-team': {
      const r = s.rosters[e.runId]
      if (!r) return {}
      const running = { ...r.running }
      const reports = [...r.reports]
      if (e.report) {
        delete running[e.index]
        reports[e.index] = e.report
      } else running[e.index] = true
      return { rosters: { ...s.rosters, [e.runId]: { ...r, running, reports } } }
    }
    case 'roster-ended': {
      const r = s.rosters[e.runId]
      if (!r) return {}
      return { rosters: { ...s.rosters, [e.runId]: { ...r, ended: true, cancelled: e.cancelled, running: {} } } }
    }
  }
}

const CHECK_EVENTS = new Set<string>([
  'check-started',
  'check-plan',
  'check-result',
  'check-ended',
  'roster-started',
  'roster-team',
  'roster-ended',
])

/** Fold the check events of one batch in, with one `set`. */
export function applyCheckBatch(store: CheckStore, batch: EventBatch): void {
  const events = batch.events.filter((e): e is CheckEvent => CHECK_EVENTS.has(e.type))
  if (!events.length) return
  store.setState((s) => {
    let next = s
    for (const e of events) next = { ...next, ...reduceEvent(next, e) }
    return next
  })
}

/** The tab a run belongs on: Run my program's runs have the command they started. */
export function tabOf(info: CheckRunInfo): Exclude<CheckTab, 'room'> {
  return info.target.command ? 'program' : info.kind
}

/** A snapshot's runs and boards as the events that built them, so they are folded exactly as live ones are. */
function snapshotEvents(snap: Pick<Snapshot, 'checkRuns' | 'rosterRuns'>): CheckEvent[] {
  const events: CheckEvent[] = []
  for (const r of snap.checkRuns ?? []) {
    const runId = r.info.runId
    events.push({ type: 'check-started', run: r.info }, { type: 'check-plan', runId, checks: r.plan })
    for (const result of r.results) events.push({ type: 'check-result', runId, result })
    if (r.ended)
      events.push({
        type: 'check-ended',
        runId,
        ...(r.report ? { report: r.report } : {}),
        ...(r.cancelled ? { cancelled: true as const } : {}),
        ...(r.error !== undefined ? { error: r.error } : {}),
      })
  }
  for (const r of snap.rosterRuns ?? []) {
    const runId = r.info.runId
    events.push({ type: 'roster-started', roster: r.info })
    r.reports.forEach((report, index) => {
      if (report) events.push({ type: 'roster-team', runId, index, report })
    })
    if (r.ended) events.push({ type: 'roster-ended', runId, ...(r.cancelled ? { cancelled: true as const } : {}) })
    for (const index of r.running) events.push({ type: 'roster-team', runId, index })
  }
  return events
}

/** Said of a run the page showed running that the host no longer has (it was restarted). */
export const RUN_GONE = 'SocketLab no longer has this check (was it restarted?): run it again.'

/**
 * Rebuild the Check page from the host's snapshot (a reloaded page, a second tab, a reconnection): its runs
 * and boards replace the page's, each tab shows the run it showed (or else the newest of its own), and a
 * run the page thought running that the host no longer has is marked ended.
 */
export function applyCheckSnapshot(store: CheckStore, snap: Pick<Snapshot, 'checkRuns' | 'rosterRuns'>): void {
  if (!snap.checkRuns && !snap.rosterRuns) return
  store.setState((s) => {
    const runs: Record<string, RunView> = {}
    for (const [id, run] of Object.entries(s.runs)) runs[id] = run.ended ? run : { ...run, ended: true, error: RUN_GONE }
    const rosters: Record<string, RosterView> = {}
    for (const [id, r] of Object.entries(s.rosters)) rosters[id] = r.ended ? r : { ...r, ended: true, running: {} }
    for (const id of snap.checkRuns?.map((r) => r.info.runId) ?? []) delete runs[id]
    for (const id of snap.rosterRuns?.map((r) => r.info.runId) ?? []) delete rosters[id]
    let next: CheckState = { ...s, runs, rosters }
    for (const e of snapshotEvents(snap)) next = { ...next, ...reduceEvent(next, e) }
    const current: CheckState['current'] = {}
    for (const tab of ['server', 'client', 'program'] as const) {
      const shown = s.current[tab]
      const newest = snap.checkRuns?.filter((r) => tabOf(r.info) === tab).at(-1)?.info.runId
      const id = shown && next.runs[shown] ? shown : newest
      if (id) current[tab] = id
    }
    const roster = s.roster && next.rosters[s.roster] ? s.roster : snap.rosterRuns?.at(-1)?.info.runId
    return { ...next, current, ...(roster ? { roster } : {}) }
  })
}

// ---------- form fields ----------

export function setCheckTab(store: CheckStore, tab: CheckTab): void {
  store.setState({ tab })
}

export function setCheckField<T extends CheckTab, K extends keyof CheckForms[T]>(
  store: CheckStore,
  tab: T,
  key: K,
  value: CheckForms[T][K],
): void {
  store.setState((s) => ({ forms: { ...s.forms, [tab]: { ...s.forms[tab], [key]: value } } }))
}

/** A doctor's next step taken on the server check's form: another host or port, then run again. */
export function applyDoctorAction(store: CheckStore, action: DoctorAction): void {
  if (action.kind === 'use-host') setCheckField(store, 'server', 'host', action.host)
  if (action.kind === 'use-port') setCheckField(store, 'server', 'port', String(action.port))
}

// ---------- commands ----------

type Checked<T> = { ok: true; value: T } | { ok: false; error: string; field: string }

/** A whole number typed in a Check form, in min..max, or what is wrong in the words of that control's label. */
function whole(text: string, field: string, command: CheckCommandName, min: number, max: number): Checked<number> {
  const t = text.trim()
  const label = fieldLabel(field, command)
  if (!/^\d{1,6}$/.test(t)) return { ok: false, error: fieldSentence(label, `type a whole number (${min} to ${max})`), field }
  const n = Number(t)
  if (n < min || n > max) return { ok: false, error: fieldSentence(label, `must be ${min} to ${max}`), field }
  return { ok: true, value: n }
}

type CheckCommandName = 'checkServer' | 'checkClient' | 'checkProgram'

export interface CheckActions {
  checkServer(): Promise<boolean>
  checkClient(): Promise<boolean>
  runProgram(): Promise<boolean>
  checkRoster(): Promise<boolean>
  rerunTeam(index: number): Promise<void>
  cancel(tab: CheckTab): Promise<void>
  save(tab: CheckTab, format: CheckSaveFormat, index?: number): Promise<SavedReport | null>
}

export function createCheckActions(store: CheckStore, bridge: SocketLabBridge): CheckActions {
  const get = store.getState

  /** Run a command; on failure its error goes next to the control it names (and a roster's lines beside it). */
  async function run<T>(tab: CheckTab, call: () => Promise<CommandResult<T>>): Promise<T | null> {
    setError(appStore, checkForm[tab], undefined)
    const result = await call().catch((err: unknown): CommandResult<T> => ({
      ok: false,
      error: err instanceof Error ? err.message : String(err),
    }))
    if (tab === 'room')
      store.setState({ rosterErrors: !result.ok && result.detail?.kind === 'roster' ? result.detail.errors : [] })
    if (result.ok) return result.value
    setError(appStore, checkForm[tab], { error: result.error, field: result.field })
    return null
  }

  function fail(tab: CheckTab, c: { error: string; field: string }): false {
    setError(appStore, checkForm[tab], { error: c.error, field: c.field })
    return false
  }

  function started(tab: Exclude<CheckTab, 'room'>, info: CheckRunInfo): void {
    store.setState((s) => ({
      current: { ...s.current, [tab]: info.runId },
      saved: { ...s.saved, [tab]: undefined },
      runs: { ...s.runs, [info.runId]: s.runs[info.runId] ?? { info, plan: [], results: {}, ended: false } },
    }))
  }

  return {
    async checkServer() {
      const f = get().forms.server
      if (!f.host.trim())
        return fail('server', {
          error: fieldSentence(fieldLabel('host', 'checkServer'), 'type the server’s address (127.0.0.1 for this machine)'),
          field: 'host',
        })
      const port = whole(f.port, 'port', 'checkServer', 1, 65535)
      if (!port.ok) return fail('server', port)
      const info = await run('server', () => bridge.checkServer({ question: f.question, host: f.host.trim(), port: port.value }))
      if (info) started('server', info)
      return !!info
    },

    async checkClient() {
      const f = get().forms.client
      const port = whole(f.port, 'port', 'checkClient', 0, 65535)
      if (!port.ok) return fail('client', port)
      const connections = whole(f.connections, 'connections', 'checkClient', 1, 50)
      if (!connections.ok) return fail('client', connections)
      const timeoutS = whole(f.timeoutS, 'timeoutS', 'checkClient', 1, 3600)
      if (!timeoutS.ok) return fail('client', timeoutS)
      const info = await run('client', () =>
        bridge.checkClient({ question: f.question, port: port.value, connections: connections.value, timeoutS: timeoutS.value }),
      )
      if (info) started('client', info)
      return !!info
    },

    async runProgram() {
      const f = get().forms.program
      const split = splitCommandLine(f.command)
      if (!split.ok) return fail('program', { error: fieldSentence(fieldLabel('command'), split.error), field: 'command' })
      const port = whole(f.port, 'port', 'checkProgram', f.side === 'server' ? 1 : 0, 65535)
      if (!port.ok) return fail('program', port)
      const connections = whole(f.connections, 'connections', 'checkProgram', 1, 50)
      if (!connections.ok) return fail('program', connections)
      const timeoutS = whole(f.timeoutS, 'timeoutS', 'checkProgram', 1, 3600)
      if (!timeoutS.ok) return fail('program', timeoutS)
      const info = await run('program', () =>
        bridge.checkProgram({
          side: f.side,
          question: f.question,
          command: split.argv,
          port: port.value,
          timeoutS: timeoutS.value,
          ...(f.side === 'client' ? { connections: connections.value } : {}),
          ...(f.cwd.trim() ? { cwd: f.cwd.trim() } : {}),
        }),
      )
      if (info) started('program', info)
      return !!info
    },

    async checkRoster() {
      store.setState({ rosterErrors: [] })
      const info = await run('room', () => bridge.checkRoster({ csv: get().forms.room.csv }))
      if (!info) return false
      store.setState((s) => ({
        roster: info.runId,
        saved: { ...s.saved, room: undefined },
        rosters: {
          ...s.rosters,
          [info.runId]: s.rosters[info.runId] ?? { info, reports: info.entries.map(() => undefined), running: {}, ended: false },
        },
      }))
      return true
    },

    async rerunTeam(index) {
      const runId = get().roster
      if (runId) await run('room', () => bridge.checkRosterTeam({ runId, index }))
    },

    async cancel(tab) {
      const runId = tab === 'room' ? get().roster : get().current[tab]
      if (runId) await run(tab, () => bridge.checkCancel({ runId }))
    },

    async save(tab, format, index) {
      const runId = tab === 'room' ? get().roster : get().current[tab]
      if (!runId) return null
      const saved = await run(tab, () => bridge.checkSave(index === undefined ? { runId, format } : { runId, format, index }))
      if (saved) store.setState((s) => ({ saved: { ...s.saved, [tab]: saved } }))
      return saved
    },
  }
}

let actions: CheckActions | null = null

/** Feed the check store from the bridge's batches, and bind its actions to the bridge. */
export function connectCheckStore(store: CheckStore, link: BridgeLink): () => void {
  actions = createCheckActions(store, link.bridge)
  return link.bridge.onBatch((batch) => applyCheckBatch(store, batch))
}

export function useCheckActions(): CheckActions {
  if (!actions) throw new Error('check actions used before the bridge was connected')
  return actions
}
