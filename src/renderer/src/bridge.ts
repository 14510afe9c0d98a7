// The renderer's only way to the host. In the Electron window the preload exposes `window.socketlab`;
// in browser mode there is no preload, so the same `SocketLabBridge` is built here over the loopback
// WebSocket (`/bridge?token=…`), with automatic reconnection and a status the UI shows as a banner.

import {
  COMMAND_NAMES,
  type CommandName,
  type CommandResult,
  type EventBatch,
  type SocketLabBridge,
  type WebFrame,
  type WebRequest,
} from '@shared/contract'

export type LinkState = 'connecting' | 'open' | 'lost'

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

  const connect = (): void => {
    if (closed) return
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
      }
    }
    ws.onerror = () => undefined
    ws.onclose = () => {
      if (socket !== ws) return
      socket = null
      for (const [, pending] of inFlight) {
        pending.resolve({ ok: false, error: 'The connection to SocketLab dropped before the answer came. Try again.' })
      }
      inFlight.clear()
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

/** The address of the browser-mode bridge for the page at `location`. */
export function bridgeUrl(loc: Pick<Location, 'host' | 'search'>): string {
  const token = new URLSearchParams(loc.search).get('token') ?? ''
  return `ws://${loc.host}/bridge?token=${encodeURIComponent(token)}`
}

let link: BridgeLink | null = null

/** The one bridge of this window: the preload's in Electron, the WebSocket one in browser mode. */
export function getLink(): BridgeLink {
  if (!link) link = window.socketlab ? electronLink(window.socketlab) : createWebBridge(bridgeUrl(window.location))
  return link
}
