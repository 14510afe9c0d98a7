// The one store (zustand vanilla, so tests run it without a DOM) and the actions that run commands.
// Batches are folded in with one `set` each; command results land here too, errors keyed by form.

import { createStore, type StoreApi } from 'zustand/vanilla'
import {
  newManyClientsStats,
  type CaptureExportKind,
  type CommandResult,
  type ErrorDetail,
  type EventBatch,
  type Snapshot,
  type SocketLabBridge,
  type TrafficExportArgs,
} from '@shared/contract'
import type { Exercise } from '@shared/settings'
import type { BridgeLink } from '../bridge'
import { base64ToBytes } from '../packets'
import { clientArgs, serverArgs, manyClientsArgs, wholeNumber, type Checked } from './forms'
import {
  loadSettings,
  saveSettings,
  type ExerciseSettings,
  type ServerForm,
  type Settings,
  type ManyClientsForm,
  type Theme,
} from './settings'
import {
  ALL_TRAFFIC,
  initialState,
  reduceBatch,
  reduceSnapshot,
  type AppState,
  type CaptureForm,
  type FormError,
  type TrafficFilter,
} from './state'

export type AppStore = StoreApi<AppState>

export function createAppStore(settings: Settings = loadSettings()): AppStore {
  return createStore<AppState>()(() => initialState(settings))
}

/** Form keys: where an error is shown. */
export const formKey = {
  server: (ex: Exercise) => `server:${ex}`,
  client: (ex: Exercise) => `client:${ex}`,
  manyClients: 'many-clients',
  traffic: 'traffic',
  connections: 'connections',
  machine: 'machine',
  capture: 'capture',
} as const

export function applyBatch(store: AppStore, batch: EventBatch): void {
  store.setState((s) => reduceBatch(s, batch))
  clearFixedErrors(store, batch)
}

/**
 * A message goes when its cause is fixed: "nothing is listening" once a server listens on that port,
 * "port in use" once the server holding it stopped.
 */
function clearFixedErrors(store: AppStore, batch: EventBatch): void {
  const started = new Set<number>()
  const stopped = new Set<string>()
  for (const e of batch.events) {
    if (e.type === 'server-started') started.add(e.server.port)
    else if (e.type === 'server-stopped') stopped.add(e.serverId)
  }
  if (!started.size && !stopped.size) return
  const errors = store.getState().errors
  let next: Record<string, FormError | undefined> | null = null
  for (const [form, e] of Object.entries(errors)) {
    if (!e?.cause) continue
    const fixed =
      (e.cause === 'nothing-listening' && e.port !== undefined && started.has(e.port)) ||
      (e.cause === 'port-in-use' &&
        e.detail?.kind === 'port-in-use' &&
        !!e.detail.holder &&
        stopped.has(e.detail.holder.serverId))
    if (fixed) (next ??= { ...errors })[form] = undefined
  }
  if (next) store.setState({ errors: next })
}

export function setError(store: AppStore, form: string, error: FormError | undefined): void {
  if (store.getState().errors[form] === error) return
  store.setState((s) => ({ errors: { ...s.errors, [form]: error } }))
}

// ---------- settings ----------

export function updateSettings(store: AppStore, change: (s: Settings) => Settings): void {
  store.setState((s) => ({ settings: change(s.settings) }))
}

export function setHost(store: AppStore, host: string): void {
  updateSettings(store, (s) => ({ ...s, host }))
}

export function setExerciseField<P extends keyof ExerciseSettings, K extends keyof ExerciseSettings[P]>(
  store: AppStore,
  exercise: Exercise,
  part: P,
  key: K,
  value: ExerciseSettings[P][K],
): void {
  updateSettings(store, (s) => {
    const ex = s.exercises[exercise]
    return { ...s, exercises: { ...s.exercises, [exercise]: { ...ex, [part]: { ...ex[part], [key]: value } } } }
  })
}

export function resetExercisePart(
  store: AppStore,
  exercise: Exercise,
  part: 'wire' | 'limits',
  value: ExerciseSettings['wire'] | ExerciseSettings['limits'],
): void {
  updateSettings(store, (s) => ({
    ...s,
    exercises: { ...s.exercises, [exercise]: { ...s.exercises[exercise], [part]: { ...value } } },
  }))
}

export function setManyClientsField<K extends keyof ManyClientsForm>(store: AppStore, key: K, value: ManyClientsForm[K]): void {
  updateSettings(store, (s) => ({ ...s, manyClients: { ...s.manyClients, [key]: value } }))
}

/** Save settings whenever they change (debounced), for the next launch. */
export function persistSettings(store: AppStore, delayMs = 300): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null
  return store.subscribe((s, prev) => {
    if (s.settings === prev.settings) return
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => saveSettings(store.getState().settings), delayMs)
  })
}

export function setTrafficFilter(store: AppStore, patch: Partial<TrafficFilter>): void {
  store.setState((s) => ({ trafficFilter: { ...s.trafficFilter, ...patch } }))
}

/**
 * The student left the Traffic view: its filter (source included) goes back to every exercise
 * message, so opening it again from the sidebar shows all traffic. A link that opens it filtered
 * (Connections' "Show in Traffic", a packet's message) sets its filter after this, on the way in.
 */
export function leaveTraffic(store: AppStore): void {
  if (store.getState().trafficFilter !== ALL_TRAFFIC) store.setState({ trafficFilter: ALL_TRAFFIC })
}

export function setTheme(store: AppStore, theme: Theme): void {
  updateSettings(store, (s) => ({ ...s, theme }))
}

export function setSidebarCollapsed(store: AppStore, collapsed: boolean): void {
  store.setState({ sidebarCollapsed: collapsed })
}

/** The Traffic view has read the message it was opened on. */
export function clearTrafficFocus(store: AppStore): void {
  if (store.getState().trafficFocus) store.setState({ trafficFocus: undefined })
}

export function selectConnection(store: AppStore, connId: string | undefined): void {
  store.setState({ selectedConn: connId })
}

export function setCaptureForm(store: AppStore, patch: Partial<CaptureForm>): void {
  store.setState((s) => ({ captureForm: { ...s.captureForm, ...patch } }))
}

/**
 * Open the Traffic view on the message a captured packet carried: only its connection, the message
 * selected. False when the message has left the Traffic view's window.
 */
export function focusMessage(store: AppStore, seq: number, packet: number): boolean {
  const st = store.getState()
  const m = st.traffic.find((x) => x.seq === seq) ?? st.manyTraffic.find((x) => x.seq === seq)
  store.setState((s) => ({
    trafficFocus: { seq, packet },
    trafficFilter: m ? { conn: m.connId, dir: 'all', text: '', source: m.many ? 'many-clients' : 'exercises' } : s.trafficFilter,
  }))
  return !!m
}

/** The port a capture would use now: the one typed, else the newest running server's. */
export function capturePort(s: Pick<AppState, 'captureForm' | 'servers'>): string {
  if (s.captureForm.port.trim()) return s.captureForm.port
  let newest: { port: number; startedAt: number } | undefined
  for (const id in s.servers) {
    const e = s.servers[id]
    if (e.running && (!newest || e.info.startedAt > newest.startedAt)) newest = e.info
  }
  return newest ? String(newest.port) : ''
}

// ---------- commands ----------

export interface Actions {
  startServer(ex: Exercise): Promise<boolean>
  stopServer(ex: Exercise): Promise<void>
  /** Stop one of our servers by id (the "Stop it" of a port held by another exercise's server); errors go to `form`. */
  stopServerById(serverId: string, form: string): Promise<void>
  runClient(ex: Exercise): Promise<boolean>
  stopClient(ex: Exercise): Promise<void>
  sendCommand(ex: Exercise, command: string): Promise<boolean>
  startManyClients(): Promise<boolean>
  stopManyClients(): Promise<void>
  /** Start (or reuse) the adder server on this machine and aim Many clients at it. */
  adderServerForManyClients(): Promise<boolean>
  closeConnection(connId: string): Promise<void>
  exportTraffic(args: TrafficExportArgs): Promise<{ filename: string; content: string; count: number } | null>
  loadInterfaces(): Promise<void>
  /** Fold in the host's snapshot; it is handed on (the Check page's own store rebuilds from it too). */
  resync(): Promise<Snapshot | null>
  /** Ask whether tshark can capture here (and on which interfaces). */
  loadCaptureStatus(): Promise<void>
  startCapture(): Promise<boolean>
  stopCapture(): Promise<void>
  /** The capture as a .pcapng file (or another export): its name and bytes, read in chunks. */
  saveCapture(what?: CaptureExportKind): Promise<{ filename: string; blob: Blob } | null>
}

export function createActions(store: AppStore, bridge: SocketLabBridge): Actions {
  const get = store.getState

  /** Run a command; on failure, put its error next to the control it names, in plain words. */
  async function run<T>(form: string, call: () => Promise<CommandResult<T>>): Promise<T | null> {
    setError(store, form, undefined)
    let result: CommandResult<T>
    try {
      result = await call()
    } catch (err) {
      result = { ok: false, error: err instanceof Error ? err.message : String(err) }
    }
    if (result.ok) return result.value
    setError(store, form, errorOf(result))
    return null
  }

  function checked<T>(form: string, c: Checked<T>): T | null {
    if (c.ok) return c.value
    setError(store, form, { error: c.error, field: c.field })
    return null
  }

  function setPane(ex: Exercise, patch: { serverId?: string; clientId?: string }): void {
    store.setState((s) => ({ panes: { ...s.panes, [ex]: { ...s.panes[ex], ...patch } } }))
  }

  async function startServer(ex: Exercise, override?: Partial<ServerForm>): Promise<boolean> {
    const form = formKey.server(ex)
    const args = checked(form, serverArgs(ex, get().settings.exercises[ex], override))
    if (!args) return false
    const info = await run(form, () => bridge.serverStart(args))
    if (!info) return false
    store.setState((s) => ({
      servers: { ...s.servers, [info.serverId]: s.servers[info.serverId] ?? { info, running: true } },
      panes: { ...s.panes, [ex]: { ...s.panes[ex], serverId: info.serverId } },
    }))
    return true
  }

  return {
    startServer: (ex) => startServer(ex),

    async stopServer(ex) {
      const id = get().panes[ex].serverId
      if (!id) return
      await run(formKey.server(ex), () => bridge.serverStop({ serverId: id }))
      // Stopped already (e.g. by another window): show it as stopped.
      const entry = get().servers[id]
      if (entry?.running)
        store.setState((s) => ({ servers: { ...s.servers, [id]: { ...entry, running: false, stoppedReason: 'stopped' } } }))
    },

    async stopServerById(serverId, form) {
      await run(form, () => bridge.serverStop({ serverId }))
    },

    async runClient(ex) {
      const form = formKey.client(ex)
      const s = get().settings
      const args = checked(form, clientArgs(ex, s.host, s.exercises[ex]))
      if (!args) return false
      const info = await run(form, () => bridge.clientStart(args))
      if (!info) {
        // A client that could not connect has nothing to show: the error is next to the field.
        setPane(ex, { clientId: undefined })
        return false
      }
      store.setState((st) => ({
        clients: { ...st.clients, [info.clientId]: st.clients[info.clientId] ?? { info, running: true } },
        panes: { ...st.panes, [ex]: { ...st.panes[ex], clientId: info.clientId } },
      }))
      return true
    },

    async stopClient(ex) {
      const id = get().panes[ex].clientId
      if (!id || !get().clients[id]?.running) return
      await run(formKey.client(ex), () => bridge.clientStop({ clientId: id }))
    },

    async sendCommand(ex, command) {
      const id = get().panes[ex].clientId
      if (!id) return false
      return (await run(formKey.client(ex), () => bridge.clientCommand({ clientId: id, command }))) !== null
    },

    async startManyClients() {
      const s = get().settings
      const args = checked(formKey.manyClients, manyClientsArgs(s.host, s.manyClients, s.exercises.adder.wire))
      if (!args) return false
      const info = await run(formKey.manyClients, () => bridge.manyClientsStart(args))
      if (!info) return false
      store.setState((st) => ({
        manyClientsId: info.manyClientsId,
        manyClients: {
          ...st.manyClients,
          [info.manyClientsId]: st.manyClients[info.manyClientsId] ?? newManyClientsStats(info.manyClientsId, info.count),
        },
      }))
      return true
    },

    async stopManyClients() {
      const id = get().manyClientsId
      if (!id) return
      await run(formKey.manyClients, () => bridge.manyClientsStop({ manyClientsId: id }))
    },

    async adderServerForManyClients() {
      const current = get().panes.adder.serverId
      let entry = current ? get().servers[current] : undefined
      if (!entry?.running) {
        // The Adder page's own settings, but many clients at a time; any free port if that one is taken.
        let ok = await startServer('adder', { oneAtATime: false })
        if (!ok) ok = await startServer('adder', { oneAtATime: false, port: '0' })
        if (!ok) {
          const err = get().errors[formKey.server('adder')]
          setError(store, formKey.manyClients, { error: `Could not start the adder server: ${err?.error ?? 'unknown error'}` })
          return false
        }
        setError(store, formKey.server('adder'), undefined)
        entry = get().servers[get().panes.adder.serverId!]
      }
      if (!entry) return false
      setError(store, formKey.manyClients, undefined)
      store.setState((s) => ({
        settings: { ...s.settings, host: '127.0.0.1', manyClients: { ...s.settings.manyClients, port: String(entry.info.port) } },
      }))
      return true
    },

    async closeConnection(connId) {
      await run(formKey.connections, () => bridge.connectionClose({ connId }))
    },

    async exportTraffic(args) {
      return run(formKey.traffic, () => bridge.trafficExport(args))
    },

    async loadInterfaces() {
      const list = await run(formKey.machine, () => bridge.systemInterfaces({}))
      if (list) store.setState({ interfaces: list })
    },

    async resync() {
      const result = await bridge.snapshot({})
      if (!result.ok) return null
      store.setState((s) => reduceSnapshot(s, result.value))
      return result.value
    },

    async loadCaptureStatus() {
      const status = await run(formKey.capture, () => bridge.captureStatus({}))
      if (status) store.setState({ captureStatus: status })
    },

    async startCapture() {
      const s = get()
      const port = checked(
        formKey.capture,
        ((): Checked<number> => {
          const text = capturePort(s)
          if (!text.trim()) return { ok: false, error: 'Type the port to capture, or start a server first.', field: 'port' }
          try {
            return { ok: true, value: wholeNumber(text, 'port') }
          } catch (err) {
            return { ok: false, error: err instanceof Error ? err.message : String(err), field: 'port' }
          }
        })(),
      )
      if (port === null) return false
      const iface = s.captureForm.iface || s.captureStatus?.interfaces[0]?.name
      const info = await run(formKey.capture, () => bridge.captureStart(iface ? { port, interface: iface } : { port }))
      if (!info) return false
      store.setState((st) =>
        // The batch announcing it may have come first, with packets already.
        sameCaptureStarted(st, info.startedAt) ? {} : { capture: info, packets: [], captureError: undefined },
      )
      return true
    },

    async stopCapture() {
      await run(formKey.capture, () => bridge.captureStop({}))
    },

    async saveCapture(what) {
      const file = await run(formKey.capture, () => bridge.captureSave(what ? { what } : {}))
      if (!file) return null
      // Bounded chunks: no reply carries the whole capture.
      const parts: Uint8Array<ArrayBuffer>[] = []
      let offset: number | null = 0
      while (offset !== null) {
        const at: number = offset
        const chunk = await run(formKey.capture, () => bridge.captureRead({ fileId: file.fileId, offset: at }))
        if (!chunk) return null
        parts.push(base64ToBytes(chunk.base64))
        offset = chunk.next
      }
      return { filename: file.filename, blob: new Blob(parts, { type: file.mime }) }
    },
  }
}

/** A failed command's error for the store: the host's sentence, with the facts to offer a fix and to clear it later. */
function errorOf(result: { error: string; field?: string; detail?: ErrorDetail }): FormError {
  const base = { error: result.error, field: result.field }
  const d = result.detail
  if (d?.kind === 'port-in-use') return { ...base, detail: d, cause: 'port-in-use', port: d.port }
  if (d?.kind === 'connect-failed')
    return {
      ...base,
      detail: d,
      ...(d.diagnosis.code === 'refused' ? { cause: 'nothing-listening' as const, port: d.diagnosis.facts.port } : {}),
    }
  return base
}

function sameCaptureStarted(s: AppState, startedAt: number): boolean {
  return !!s.capture && s.capture.startedAt === startedAt
}

/**
 * Feed the store from the bridge: batches, link status, and a snapshot at start and after every
 * reconnection, handed on to `onSnapshot` (the Check page's store) once folded in.
 */
export function connectStore(
  store: AppStore,
  link: BridgeLink,
  actions: Actions,
  onSnapshot?: (snap: Snapshot) => void,
): () => void {
  const resync = (): void =>
    void actions.resync().then((snap) => {
      if (snap) onSnapshot?.(snap)
    })
  const offBatch = link.bridge.onBatch((batch) => applyBatch(store, batch))
  const offStatus = link.onStatus((status) => {
    store.setState({ link: status })
    if (status.state === 'open') resync()
  })
  store.setState({ link: link.status() })
  if (link.status().state === 'open') resync()
  return () => {
    offBatch()
    offStatus()
  }
}
