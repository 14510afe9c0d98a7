// The one store (zustand vanilla, so tests run it without a DOM) and the actions that run commands.
// Batches are folded in with one `set` each; command results land here too, errors keyed by form.

import { createStore, type StoreApi } from 'zustand/vanilla'
import {
  newManyClientsStats,
  type CaptureExportKind,
  type CommandResult,
  type EventBatch,
  type SocketLabBridge,
  type TrafficFormat,
} from '@shared/contract'
import type { Exercise } from '@shared/settings'
import type { BridgeLink } from '../bridge'
import { base64ToBytes } from '../packets'
import { clientArgs, plainError, serverArgs, manyClientsArgs, wholeNumber, type Checked } from './forms'
import {
  loadSettings,
  saveSettings,
  type ExerciseSettings,
  type ServerForm,
  type Settings,
  type ManyClientsForm,
} from './settings'
import {
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
  const m = store.getState().traffic.find((x) => x.seq === seq)
  store.setState((s) => ({
    trafficFocus: { seq, packet },
    trafficFilter: m ? { conn: m.connId, dir: 'all', text: '' } : s.trafficFilter,
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
  runClient(ex: Exercise): Promise<boolean>
  stopClient(ex: Exercise): Promise<void>
  sendCommand(ex: Exercise, command: string): Promise<boolean>
  startManyClients(): Promise<boolean>
  stopManyClients(): Promise<void>
  /** Start (or reuse) the adder server on this machine and aim Many clients at it. */
  adderServerForManyClients(): Promise<boolean>
  closeConnection(connId: string): Promise<void>
  exportTraffic(format: TrafficFormat, connId?: string): Promise<{ filename: string; content: string } | null>
  loadInterfaces(): Promise<void>
  resync(): Promise<void>
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
    setError(store, form, { error: plainError(result.error, result.field), field: result.field })
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

    async exportTraffic(format, connId) {
      return run(formKey.traffic, () => bridge.trafficExport(connId ? { format, connId } : { format }))
    },

    async loadInterfaces() {
      const list = await run(formKey.machine, () => bridge.systemInterfaces({}))
      if (list) store.setState({ interfaces: list })
    },

    async resync() {
      const result = await bridge.snapshot({})
      if (result.ok) store.setState((s) => reduceSnapshot(s, result.value))
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

function sameCaptureStarted(s: AppState, startedAt: number): boolean {
  return !!s.capture && s.capture.startedAt === startedAt
}

/** Feed the store from the bridge: batches, link status, and a snapshot at start and after every reconnection. */
export function connectStore(store: AppStore, link: BridgeLink, actions: Actions): () => void {
  const offBatch = link.bridge.onBatch((batch) => applyBatch(store, batch))
  const offStatus = link.onStatus((status) => {
    store.setState({ link: status })
    if (status.state === 'open') void actions.resync()
  })
  store.setState({ link: link.status() })
  if (link.status().state === 'open') void actions.resync()
  return () => {
    offBatch()
    offStatus()
  }
}
