// The store's domains: connections indexed by owner, the crowd's traffic apart from the exercises',
// the history a snapshot hands over after a reload, a client's phase, and messages that go when their
// cause is fixed.

import { describe, expect, it } from 'vitest'
import type { ConnectionInfo, EventBatch, ServerInfo, Snapshot, TrafficMessage } from '@shared/contract'
import { DEFAULT_LIMITS, DEFAULT_WIRE } from '@shared/settings'
import { clientLook } from '@renderer/pages/ClientPane'
import { connIdsOf, LIMITS, reduceSnapshot } from '@renderer/store/state'
import { defaultSettings } from '@renderer/store/settings'
import { applyBatch, createAppStore, formKey, setError } from '@renderer/store/store'
import { clientArgs } from '@renderer/store/forms'
import { runLook } from '@renderer/pages/ManyClientsPage'

const zero = { bytesIn: 0, bytesOut: 0, messagesIn: 0, messagesOut: 0 }

function batch(part: Partial<EventBatch> = {}): EventBatch {
  return { events: [], messages: [], lines: [], counters: {}, droppedMessages: 0, droppedLines: 0, droppedResults: 0, ...part }
}

function conn(id: string, ownerId: string, patch: Partial<ConnectionInfo> = {}): ConnectionInfo {
  return {
    connId: id,
    seq: Number(id.replace(/\D/g, '') || 0),
    role: 'server',
    exercise: 'adder',
    ownerId,
    local: { address: '127.0.0.1', port: 12345 },
    remote: { address: '127.0.0.1', port: 40000 },
    state: 'open',
    openedAt: 1000,
    counters: { ...zero },
    ...patch,
  }
}

function server(id: string, port: number, exercise: ServerInfo['exercise'] = 'greeting'): ServerInfo {
  return {
    serverId: id,
    exercise,
    address: '::',
    port,
    oneAtATime: false,
    limits: DEFAULT_LIMITS,
    wire: DEFAULT_WIRE,
    startedAt: 1,
  }
}

function msg(seq: number, connId: string, many = false): TrafficMessage {
  return { seq, t: 1, connId, dir: 'in', size: 1, text: 'x', hex: '78', ...(many ? { many: true as const } : {}) }
}

const emptySnapshot = (): Snapshot => ({
  servers: [],
  clients: [],
  connections: [],
  manyClients: [],
  capture: null,
  lines: [],
  results: [],
  messages: [],
  droppedMessages: 0,
})

describe('connections by owner', () => {
  it('index each owner’s connections as they open, so a pane reads only its own', () => {
    const store = createAppStore(defaultSettings())
    applyBatch(
      store,
      batch({
        events: [
          { type: 'conn-opened', conn: conn('c1', 'srv-1') },
          { type: 'conn-opened', conn: conn('c2', 'cli-1') },
        ],
      }),
    )
    applyBatch(store, batch({ events: [{ type: 'conn-opened', conn: conn('c3', 'srv-1') }] }))
    const s = store.getState()
    expect(connIdsOf(s, 'srv-1')).toEqual(['c1', 'c3'])
    expect(connIdsOf(s, 'cli-1')).toEqual(['c2'])
    expect(connIdsOf(s, 'nobody')).toEqual([])
  })
})

describe('traffic', () => {
  it('keeps Many clients’ messages apart, so a crowd never pushes out the exercises’ own', () => {
    const store = createAppStore(defaultSettings())
    applyBatch(store, batch({ messages: [msg(1, 'mine')] }))
    const crowd = Array.from({ length: LIMITS.traffic + 50 }, (_, i) => msg(i + 1, 'crowd', true))
    applyBatch(store, batch({ messages: crowd }))
    const s = store.getState()
    expect(s.traffic.map((m) => m.connId)).toEqual(['mine'])
    expect(s.manyTraffic).toHaveLength(LIMITS.traffic)
    expect(s.trafficTrimmed).toBe(50)
  })
})

describe('a snapshot after a reload', () => {
  it('brings back the consoles, the results, the traffic and the page’s last client', () => {
    const store = createAppStore(defaultSettings())
    const snap: Snapshot = {
      ...emptySnapshot(),
      servers: [server('srv-1', 12345)],
      connections: [
        conn('c1', 'srv-1', { exercise: 'greeting', state: 'closed' }),
        conn('c2', 'cli-7', {
          exercise: 'greeting',
          role: 'client',
          state: 'closed',
          remote: { address: '127.0.0.1', port: 12345 },
        }),
      ],
      lines: [
        { seq: 1, t: 1, ownerId: 'srv-1', text: "Got connection from ('127.0.0.1', 40000)", level: 'info' },
        { seq: 2, t: 2, ownerId: 'cli-7', text: 'Thank you for connecting', level: 'info' },
      ],
      results: [{ ownerId: 'cli-7', connId: 'c2', t: 3, result: { kind: 'greeting', greeting: 'Thank you for connecting' } }],
      messages: [msg(1, 'c1'), msg(2, 'c2')],
      endedClients: [
        {
          client: { clientId: 'cli-3', exercise: 'greeting', host: '127.0.0.1', port: 12345, phase: 'ended' },
          ok: false,
          error: 'refused',
          endedAt: 1,
        },
        {
          client: { clientId: 'cli-7', exercise: 'greeting', host: '127.0.0.1', port: 12345, phase: 'ended' },
          ok: true,
          endedAt: 4,
        },
      ],
    }
    store.setState((s) => reduceSnapshot(s, snap))
    const s = store.getState()
    expect(s.panes.greeting).toEqual({ serverId: 'srv-1', clientId: 'cli-7' })
    expect(s.lines['srv-1'].map((l) => l.text)).toEqual(["Got connection from ('127.0.0.1', 40000)"])
    expect(s.lines['cli-7'].map((l) => l.text)).toEqual(['Thank you for connecting'])
    expect(s.results['cli-7']).toHaveLength(1)
    expect(s.traffic).toHaveLength(2)
    // How it ended, as the page said before the reload.
    expect(clientLook(s.clients['cli-7'], undefined)).toEqual({ tone: 'ok', text: 'Done' })
    // The same snapshot again (a reconnection): nothing twice.
    store.setState((st) => reduceSnapshot(st, snap))
    expect(store.getState().lines['srv-1']).toHaveLength(1)
    expect(store.getState().traffic).toHaveLength(2)
  })
})

describe('a client’s phase', () => {
  it('waits its turn, then is served; a refused one looks failed like any other failure', () => {
    const store = createAppStore(defaultSettings())
    applyBatch(
      store,
      batch({
        events: [
          {
            type: 'client-started',
            client: { clientId: 'cli-1', exercise: 'adder', host: '127.0.0.1', port: 1, phase: 'connecting' },
          },
          { type: 'client-updated', clientId: 'cli-1', phase: 'waiting', waitingReason: 'one-at-a-time' },
        ],
      }),
    )
    expect(clientLook(store.getState().clients['cli-1'], undefined).text).toBe('Waiting')
    applyBatch(store, batch({ events: [{ type: 'client-updated', clientId: 'cli-1', phase: 'ready' }] }))
    expect(store.getState().clients['cli-1'].info.waitingReason).toBeUndefined()
    expect(clientLook(store.getState().clients['cli-1'], undefined).text).toBe('Connected')
    applyBatch(
      store,
      batch({ events: [{ type: 'client-ended', clientId: 'cli-1', ok: false, error: 'The server closed the connection' }] }),
    )
    expect(clientLook(store.getState().clients['cli-1'], undefined)).toEqual({ tone: 'err', text: 'Failed' })
    expect(clientLook(undefined, { error: 'Nothing is listening', field: 'port' })).toEqual({ tone: 'err', text: 'Failed' })
  })
})

describe('messages that go when their cause is fixed', () => {
  it('"port in use" goes when our server holding it stops; "nothing listening" when a server listens there', () => {
    const store = createAppStore(defaultSettings())
    setError(store, formKey.server('dedup'), {
      error: 'Port 5000 is already in use by your Greeting server',
      field: 'port',
      cause: 'port-in-use',
      port: 5000,
      detail: { kind: 'port-in-use', port: 5000, holder: { serverId: 'srv-9', exercise: 'greeting' } },
    })
    setError(store, formKey.client('dedup'), {
      error: 'Nothing is listening',
      field: 'port',
      cause: 'nothing-listening',
      port: 6000,
    })
    applyBatch(store, batch({ events: [{ type: 'server-stopped', serverId: 'srv-9', reason: 'stopped' }] }))
    expect(store.getState().errors[formKey.server('dedup')]).toBeUndefined()
    expect(store.getState().errors[formKey.client('dedup')]).toBeDefined()
    applyBatch(store, batch({ events: [{ type: 'server-started', server: server('srv-2', 6000, 'dedup') }] }))
    expect(store.getState().errors[formKey.client('dedup')]).toBeUndefined()
  })
})

describe('checks before sending', () => {
  it('say what is wrong with a typed IP next to the host box, and refuse a set size outside 1..100', () => {
    const s = defaultSettings()
    const bad = clientArgs('greeting', '127.0.0.256', s.exercises.greeting)
    expect(bad).toMatchObject({ ok: false, field: 'host' })
    expect(!bad.ok && bad.error).toContain('each of the 4 numbers is 0–255')
    const size = clientArgs('intersection', '127.0.0.1', {
      ...s.exercises.intersection,
      client: { ...s.exercises.intersection.client, size: '500' },
    })
    expect(size).toEqual({ ok: false, field: 'size', error: 'Set size must be 1 to 100, not 500.' })
  })
})

describe('a Many clients run’s final status', () => {
  it('says running, stopped, failed or finished', () => {
    const base = {
      manyClientsId: 'm',
      count: 3,
      connected: 0,
      waiting: 0,
      answered: 0,
      wrong: 0,
      errors: 0,
      closed: 0,
      failures: [],
    }
    expect(runLook({ ...base, running: true }).text).toBe('Running')
    expect(runLook({ ...base, running: false, ended: 'stopped' }).text).toBe('Stopped')
    expect(runLook({ ...base, running: false, ended: 'failed', errors: 3 }).text).toBe('Failed: no client got through')
    expect(runLook({ ...base, running: false, ended: 'finished' })).toEqual({ tone: 'ok', text: 'Finished' })
  })
})
