// The browser-mode bridge over a fake WebSocket: frames per WebRequest/WebFrame, commands queued
// while the socket is down, in-flight ones answered with an error when it drops, reconnection with
// backoff, and the store fed from it (link status, snapshot after every reconnection).

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EventBatch, Snapshot, WebFrame, WebRequest } from '@shared/contract'
import {
  bridgeUrl,
  createWebBridge,
  ENGINE_STOPPED_ERROR,
  engineReachable,
  type LinkStatus,
  type SocketLike,
} from '@renderer/bridge'
import { defaultSettings } from '@renderer/store/settings'
import { connectStore, createActions, createAppStore } from '@renderer/store/store'

class FakeSocket implements SocketLike {
  readyState = 0
  sent: WebRequest[] = []
  onopen: ((ev: unknown) => void) | null = null
  onclose: ((ev: unknown) => void) | null = null
  onerror: ((ev: unknown) => void) | null = null
  onmessage: ((ev: { data: unknown }) => void) | null = null
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(JSON.parse(data) as WebRequest)
  }
  close(): void {
    this.drop()
  }
  open(): void {
    this.readyState = 1
    this.onopen?.({})
  }
  drop(code = 1006): void {
    this.readyState = 3
    this.onclose?.({ code })
  }
  frame(f: WebFrame): void {
    this.onmessage?.({ data: JSON.stringify(f) })
  }
}

const emptyBatch: EventBatch = {
  events: [],
  messages: [],
  lines: [],
  counters: {},
  droppedMessages: 0,
  droppedLines: 0,
  droppedResults: 0,
}

describe('browser-mode bridge', () => {
  let sockets: FakeSocket[]
  const make = (url: string): FakeSocket => {
    const s = new FakeSocket(url)
    sockets.push(s)
    return s
  }
  beforeEach(() => {
    sockets = []
    vi.useFakeTimers()
  })
  afterEach(() => vi.useRealTimers())

  it('addresses the bridge on the page’s own host, with no secret in the address (the cookie goes along)', () => {
    expect(bridgeUrl({ host: '127.0.0.1:4321' })).toBe('ws://127.0.0.1:4321/bridge')
  })

  it('queues commands until open, then matches results by id', async () => {
    const link = createWebBridge('ws://x/bridge?token=t', make)
    const pending = link.bridge.systemInterfaces({})
    expect(sockets[0].sent).toHaveLength(0)
    sockets[0].open()
    expect(sockets[0].sent).toEqual([{ id: 1, name: 'systemInterfaces', args: {} }])
    const second = link.bridge.serverStop({ serverId: 'srv-1' })
    sockets[0].frame({ kind: 'result', id: 2, result: { ok: false, error: 'That server is not running' } })
    sockets[0].frame({ kind: 'result', id: 1, result: { ok: true, value: [] } })
    expect(await pending).toEqual({ ok: true, value: [] })
    expect(await second).toEqual({ ok: false, error: 'That server is not running' })
    expect(link.bridge.mode).toBe('web')
  })

  it('delivers batches to every listener until unsubscribed', () => {
    const link = createWebBridge('ws://x', make)
    sockets[0].open()
    const got: EventBatch[] = []
    const off = link.bridge.onBatch((b) => got.push(b))
    sockets[0].frame({ kind: 'batch', batch: emptyBatch })
    off()
    sockets[0].frame({ kind: 'batch', batch: emptyBatch })
    expect(got).toHaveLength(1)
  })

  it('reports a drop, answers in-flight commands with an error, and reconnects with backoff', async () => {
    const link = createWebBridge('ws://x', make)
    const statuses: LinkStatus[] = []
    link.onStatus((s) => statuses.push({ ...s }))
    sockets[0].open()
    const inFlight = link.bridge.snapshot({})
    sockets[0].drop()
    expect(await inFlight).toMatchObject({ ok: false, error: expect.stringContaining('dropped') })
    expect(link.status()).toMatchObject({ state: 'lost', attempt: 1, wasOpen: true })

    vi.advanceTimersByTime(250)
    expect(sockets).toHaveLength(2)
    sockets[1].drop() // refused again: the next wait is longer
    expect(link.status()).toMatchObject({ state: 'lost', attempt: 2 })
    vi.advanceTimersByTime(250)
    expect(sockets).toHaveLength(2)
    vi.advanceTimersByTime(250)
    expect(sockets).toHaveLength(3)

    const queued = link.bridge.systemInterfaces({})
    sockets[2].open()
    expect(link.status()).toEqual({ state: 'open', attempt: 0, wasOpen: true })
    sockets[2].frame({ kind: 'result', id: sockets[2].sent[0].id, result: { ok: true, value: [] } })
    expect(await queued).toEqual({ ok: true, value: [] })
    expect(statuses.map((s) => s.state)).toEqual(['open', 'lost', 'connecting', 'lost', 'connecting', 'open'])
  })

  it('gives up on a queued command when the host stays away', async () => {
    const link = createWebBridge('ws://x', make)
    const queued = link.bridge.systemInterfaces({})
    vi.advanceTimersByTime(15_000)
    expect(await queued).toMatchObject({ ok: false, error: expect.stringContaining('not reachable') })
    link.close()
  })

  it('tells a stopped engine from a lost link: after its goodbye every waiting and new command fails at once', async () => {
    const link = createWebBridge('ws://x', make)
    const statuses: LinkStatus[] = []
    link.onStatus((s) => statuses.push({ ...s }))
    sockets[0].open()
    const inFlight = link.bridge.clientStart({ exercise: 'adder', host: '127.0.0.1', port: 5 })
    sockets[0].frame({ kind: 'goodbye' })
    expect(await inFlight).toEqual({ ok: false, error: ENGINE_STOPPED_ERROR })
    expect(link.status()).toEqual({ state: 'stopped', attempt: 0, wasOpen: true })
    expect(engineReachable(link.status())).toBe(false)
    sockets[0].drop(1001)
    // No reconnection, and a new command is answered now, not after the 15 s queue wait.
    vi.advanceTimersByTime(60_000)
    expect(sockets).toHaveLength(1)
    const later = link.bridge.snapshot({})
    expect(await later).toEqual({ ok: false, error: ENGINE_STOPPED_ERROR })
    expect(sockets[0].sent.map((r) => r.name)).toEqual(['clientStart'])
    expect(statuses.map((s) => s.state)).toEqual(['open', 'stopped'])
    expect(ENGINE_STOPPED_ERROR).toContain('npm start')
  })

  it('takes close code 1001 ("going away") as a stop even when the goodbye frame was lost', async () => {
    const link = createWebBridge('ws://x', make)
    sockets[0].open()
    const inFlight = link.bridge.snapshot({})
    sockets[0].drop(1001)
    expect(await inFlight).toEqual({ ok: false, error: ENGINE_STOPPED_ERROR })
    expect(link.status().state).toBe('stopped')
    vi.advanceTimersByTime(60_000)
    expect(sockets).toHaveLength(1)
  })

  it('a plain drop keeps commands that wait to be sent, and the engine counts as reachable', () => {
    const link = createWebBridge('ws://x', make)
    const queued = link.bridge.systemInterfaces({})
    sockets[0].drop() // refused before it ever opened
    expect(link.status().state).toBe('lost')
    expect(engineReachable(link.status())).toBe(true)
    vi.advanceTimersByTime(250)
    sockets[1].open()
    expect(sockets[1].sent.map((r) => r.name)).toEqual(['systemInterfaces'])
    sockets[1].frame({ kind: 'result', id: sockets[1].sent[0].id, result: { ok: true, value: [] } })
    return expect(queued).resolves.toEqual({ ok: true, value: [] })
  })

  it('feeds the store: link status, batches, and a snapshot after every (re)connection', async () => {
    const link = createWebBridge('ws://x', make)
    const store = createAppStore(defaultSettings())
    connectStore(store, link, createActions(store, link.bridge))
    expect(store.getState().link.state).toBe('connecting')
    sockets[0].open()
    expect(store.getState().link.state).toBe('open')
    const snap: Snapshot = {
      servers: [],
      clients: [],
      connections: [],
      manyClients: [],
      capture: null,
      lines: [],
      results: [],
      messages: [],
      droppedMessages: 0,
    }
    const req = sockets[0].sent.find((r) => r.name === 'snapshot')!
    sockets[0].frame({ kind: 'result', id: req.id, result: { ok: true, value: snap } })
    sockets[0].frame({
      kind: 'batch',
      batch: { ...emptyBatch, lines: [{ seq: 1, t: 1, ownerId: 'srv-1', text: 'host ip 10.0.0.5', level: 'info' }] },
    })
    expect(store.getState().lines['srv-1'][0].text).toBe('host ip 10.0.0.5')
    sockets[0].drop()
    expect(store.getState().link).toMatchObject({ state: 'lost', wasOpen: true })
    vi.advanceTimersByTime(250)
    sockets[1].open()
    expect(sockets[1].sent.map((r) => r.name)).toContain('snapshot')
    sockets[1].frame({ kind: 'goodbye' })
    expect(store.getState().link.state).toBe('stopped')
  })
})
