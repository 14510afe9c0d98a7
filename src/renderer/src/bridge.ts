// The renderer's only way to the host. In the Electron window the preload exposes `window.socketlab`;
// in browser mode there is no preload, so the same `SocketLabBridge` is built here over the loopback
// WebSocket (`/bridge`, let in by the browser's sign-in cookie), with automatic reconnection and a
// status the UI shows as a banner. Two ways the link can end are told apart, because the student's
// next move differs: 'lost' (the socket dropped: wait, it reconnects) and 'stopped' (the engine said
// goodbye: Ctrl+C or a closed terminal; nothing will answer until `npm start` runs again, so every
// waiting and every new command fails at once instead of hanging).

import {
  COMMAND_NAMES,
  type CommandName,
  type CommandResult,
  type EventBatch,
  type SocketLabBridge,
  type WebFrame,
  type WebRequest,
} from '@shared/contract'

export type LinkState = 'connecting' | 'open' | 'lost' | 'stopped'

export interface LinkStatus {
  state: LinkState
  /** Reconnection attempts since the link was last open. */
  attempt: number
  /** True once the link has been open at least once (a later 'open' is a reconnection). */
  wasOpen: boolean
}

export interface BridgeLink {
  bridge: SocketLabBridge
  status(): LinkStatus
  onStatus(listener: (status: LinkStatus) => void): () => void
  close(): void
}

declare global {
  interface Window {
    socketlab?: SocketLabBridge
  }
}

/** Commands sent while the socket is down wait this long for it to come back. */
const QUEUE_TIMEOUT_MS = 15_000
const MAX_BACKOFF_MS = 4_000
/** WebSocket close code "going away": the server is shutting down (a goodbye whose frame was lost). */
const GOING_AWAY = 1001

export const ENGINE_STOPPED_ERROR =
  'SocketLab has stopped (Ctrl+C or its terminal was closed). Start it again with "npm start" in the SocketLab folder.'

/** Can a command be sent now, or soon (queued until the link is back)? */
export function engineReachable(status: LinkStatus): boolean {
  return status.state !== 'stopped'
}

type Pending = { resolve: (r: CommandResult<unknown>) => void; timer?: ReturnType<typeof setTimeout> }

/** Minimal WebSocket surface, so tests can pass a fake. */
export interface SocketLike {
  readyState: number
  send(data: string): void
  close(): void
  onopen: ((ev: unknown) => void) | null
  onclose: ((ev: unknown) => void) | null
  onerror: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
}

export function createWebBridge(
  url: string,
  makeSocket: (url: string) => SocketLike = (u) => new WebSocket(u) as unknown as SocketLike,
): BridgeLink {
  let socket: SocketLike | null = null
  let nextId = 1
  let closed = false
  /** The engine said goodbye: no reconnection, every command fails at once. */
  let stopped = false
  let status: LinkStatus = { state: 'connecting', attempt: 0, wasOpen: false }
  const statusListeners = new Set<(s: LinkStatus) => void>()
  const batchListeners = new Set<(b: EventBatch) => void>()
  /** Sent, waiting for the result. */
  const inFlight = new Map<number, Pending>()
  /** Not sent yet: the socket is down. */
  const queued: { request: WebRequest; pending: Pending }[] = []

  const setStatus = (next: LinkStatus): void => {
    status = next
    for (const l of statusListeners) l(status)
  }

  const flushQueue = (): void => {
    while (queued.length && socket && socket.readyState === 1) {
      const { request, pending } = queued.shift()!
      if (pending.timer) clearTimeout(pending.timer)
      inFlight.set(request.id, pending)
      socket.send(JSON.stringify(request))
    }
  }

  /** Answer what was sent with an error; with `andQueued`, what waits to be sent too. */
  const failAll = (error: string, andQueued = true): void => {
    for (const [, pending] of inFlight) pending.resolve({ ok: false, error })
    inFlight.clear()
    if (!andQueued) return
    for (const { pending } of queued.splice(0)) {
      if (pending.timer) clearTimeout(pending.timer)
      pending.resolve({ ok: false, error })
    }
  }

  const stop = (): void => {
    if (stopped) return
    stopped = true
    failAll(ENGINE_STOPPED_ERROR)
    setStatus({ state: 'stopped', attempt: 0, wasOpen: status.wasOpen })
  }

  const connect = (): void => {
    if (closed || stopped) return
    const ws = makeSocket(url)
    socket = ws
    ws.onopen = () => {
      setStatus({ state: 'open', attempt: 0, wasOpen: true })
      flushQueue()
    }
    ws.onmessage = (ev) => {
      let frame: WebFrame
      try {
        frame = JSON.parse(String(ev.data)) as WebFrame
      } catch {
        return
      }
      if (frame.kind === 'batch') {
        for (const l of batchListeners) l(frame.batch)
      } else if (frame.kind === 'result') {
        const pending = inFlight.get(frame.id)
        if (pending) {
          inFlight.delete(frame.id)
          pending.resolve(frame.result)
        }
      } else if (frame.kind === 'goodbye') {
        stop()
      }
    }
    ws.onerror = () => undefined
    ws.onclose = (ev) => {
      if (socket !== ws) return
      socket = null
      if (!closed && (ev as { code?: unknown } | null)?.code === GOING_AWAY) stop()
      if (stopped) return
      failAll('The connection to SocketLab dropped before the answer came. Try again.', false)
      if (closed) return
      const attempt = status.state === 'open' ? 1 : status.attempt + 1
      setStatus({ state: 'lost', attempt, wasOpen: status.wasOpen })
      const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(attempt - 1, 5))
      setTimeout(() => {
        if (closed) return
        setStatus({ state: 'connecting', attempt, wasOpen: status.wasOpen })
        connect()
      }, delay)
    }
  }

  const call = (name: CommandName, args: unknown): Promise<CommandResult<unknown>> =>
    new Promise((resolve) => {
      if (stopped) return resolve({ ok: false, error: ENGINE_STOPPED_ERROR })
      const request: WebRequest = { id: nextId++, name, args }
      const pending: Pending = { resolve }
      if (socket && socket.readyState === 1) {
        inFlight.set(request.id, pending)
        socket.send(JSON.stringify(request))
        return
      }
      pending.timer = setTimeout(() => {
        const i = queued.findIndex((q) => q.request === request)
        if (i >= 0) queued.splice(i, 1)
        resolve({ ok: false, error: 'SocketLab is not reachable: is the terminal that started it still running?' })
      }, QUEUE_TIMEOUT_MS)
      queued.push({ request, pending })
    })

  const commands = Object.fromEntries(COMMAND_NAMES.map((name) => [name, (args: unknown) => call(name, args)]))
  const bridge = {
    ...commands,
    mode: 'web',
    onBatch(listener: (batch: EventBatch) => void) {
      batchListeners.add(listener)
      return () => batchListeners.delete(listener)
    },
  } as unknown as SocketLabBridge

  connect()
  return {
    bridge,
    status: () => status,
    onStatus(listener) {
      statusListeners.add(listener)
      return () => statusListeners.delete(listener)
    },
    close() {
      closed = true
      socket?.close()
    },
  }
}

/** The bridge of the Electron window: always connected. */
function electronLink(bridge: SocketLabBridge): BridgeLink {
  const status: LinkStatus = { state: 'open', attempt: 0, wasOpen: true }
  return { bridge, status: () => status, onStatus: () => () => undefined, close: () => undefined }
}

/** The address of the browser-mode bridge for the page at `location` (the cookie goes along by itself). */
export function bridgeUrl(loc: Pick<Location, 'host'>): string {
  return `ws://${loc.host}/bridge`
}

let link: BridgeLink | null = null

/** The one bridge of this window: the preload's in Electron, the WebSocket one in browser mode. */
export function getLink(): BridgeLink {
  if (!link) link = window.socketlab ? electronLink(window.socketlab) : createWebBridge(bridgeUrl(window.location))
  return link
}
