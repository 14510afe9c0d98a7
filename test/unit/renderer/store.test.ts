// The renderer's store without a DOM: batches folded in, counters exact, consoles per owner, traffic
// bounded, many stats, snapshots, and command errors put next to the field they name.

import { describe, expect, it } from 'vitest'
import type {
  CaptureInfo,
  CapturedPacket,
  CommandResult,
  ConnectionInfo,
  ConsoleLine,
  EventBatch,
  ServerInfo,
  SocketLabBridge,
  TrafficMessage,
} from '@shared/contract'
import { regenerateName } from '@shared/lab'
import { DEFAULT_LIMITS, DEFAULT_WIRE } from '@shared/settings'
import { clientArgs, parseNumberList, serverArgs } from '@renderer/store/forms'
import { defaultSettings, loadSettings, mergeSettings, saveSettings, SETTINGS_KEY } from '@renderer/store/settings'
import { LIMITS, reduceBatch, reduceSnapshot } from '@renderer/store/state'
import {
  applyBatch,
  capturePort,
  createActions,
  createAppStore,
  focusMessage,
  formKey,
  leaveTraffic,
  setCaptureForm,
  setExerciseField,
  setTrafficFilter,
  type AppStore,
} from '@renderer/store/store'

function batch(part: Partial<EventBatch> = {}): EventBatch {
  return { events: [], messages: [], lines: [], counters: {}, droppedMessages: 0, droppedLines: 0, droppedResults: 0, ...part }
}

const zero = { bytesIn: 0, bytesOut: 0, messagesIn: 0, messagesOut: 0 }

function conn(id: string, patch: Partial<ConnectionInfo> = {}): ConnectionInfo {
  return {
    connId: id,
    seq: Number(id.replace(/\D/g, '') || 0),
    role: 'server',
    exercise: 'adder',
    ownerId: 'srv-1',
    local: { address: '127.0.0.1', port: 12345 },
    remote: { address: '127.0.0.1', port: 40000 + Number(id.replace(/\D/g, '') || 0) },
    state: 'open',
    openedAt: 1000,
    counters: { ...zero },
    ...patch,
  }
}

function server(id = 'srv-1', port = 12345): ServerInfo {
  return {
    serverId: id,
    exercise: 'greeting',
    address: '0.0.0.0',
    port,
    oneAtATime: false,
    limits: DEFAULT_LIMITS,
    wire: DEFAULT_WIRE,
    startedAt: 1,
  }
}

let seq = 0
function line(ownerId: string, text: string, level: 'info' | 'error' = 'info'): ConsoleLine {
  return { seq: ++seq, t: 1, ownerId, text, level }
}
function msg(connId: string, dir: 'in' | 'out', text: string): TrafficMessage {
  return { seq: ++seq, t: 1, connId, dir, size: text.length, text, hex: '' }
}

function fresh(): AppStore {
  return createAppStore(defaultSettings())
}

describe('batches', () => {
  it('tracks servers, clients and connections through their lives', () => {
    const store = fresh()
    applyBatch(
      store,
      batch({
        events: [
          { type: 'server-started', server: server() },
          {
            type: 'client-started',
            client: { clientId: 'cli-1', exercise: 'greeting', host: '127.0.0.1', port: 12345, phase: 'connecting' },
          },
          { type: 'conn-opened', conn: conn('conn-1') },
          { type: 'conn-opened', conn: conn('conn-2', { role: 'client', ownerId: 'cli-1', state: 'connecting', local: null }) },
          { type: 'conn-updated', connId: 'conn-2', state: 'open', local: { address: '127.0.0.1', port: 40002 } },
          { type: 'conn-updated', connId: 'conn-1', clientName: 'alice-1234' },
        ],
      }),
    )
    let s = store.getState()
    expect(s.servers['srv-1'].running).toBe(true)
    expect(s.clients['cli-1'].running).toBe(true)
    expect(s.connections['conn-2']).toMatchObject({ state: 'open', local: { address: '127.0.0.1', port: 40002 } })
    expect(s.connections['conn-1'].clientName).toBe('alice-1234')

    applyBatch(
      store,
      batch({
        events: [
          {
            type: 'conn-closed',
            connId: 'conn-2',
            reason: 'exchange complete',
            counters: { bytesIn: 24, bytesOut: 26, messagesIn: 1, messagesOut: 1 },
            at: 5000,
          },
          { type: 'client-ended', clientId: 'cli-1', ok: true },
          { type: 'server-stopped', serverId: 'srv-1', reason: 'stopped' },
        ],
      }),
    )
    s = store.getState()
    expect(s.connections['conn-2']).toMatchObject({ state: 'closed', closedAt: 5000, closeReason: 'exchange complete' })
    expect(s.connections['conn-2'].counters.bytesOut).toBe(26)
    expect(s.closedOrder).toEqual(['conn-2'])
    expect(s.clients['cli-1']).toMatchObject({ running: false, ok: true })
    expect(s.servers['srv-1']).toMatchObject({ running: false, stoppedReason: 'stopped' })
  })

  it('applies exact counters and leaves unchanged connections the same objects', () => {
    const store = fresh()
    applyBatch(
      store,
      batch({
        events: [
          { type: 'conn-opened', conn: conn('conn-1') },
          { type: 'conn-opened', conn: conn('conn-2') },
        ],
      }),
    )
    const before = store.getState().connections
    applyBatch(
      store,
      batch({
        counters: { 'conn-1': { bytesIn: 3, bytesOut: 2, messagesIn: 1, messagesOut: 1 }, 'conn-9': { ...zero, bytesIn: 1 } },
      }),
    )
    const after = store.getState().connections
    expect(after['conn-1'].counters).toEqual({ bytesIn: 3, bytesOut: 2, messagesIn: 1, messagesOut: 1 })
    // Rows memoised on the connection object re-render only for conn-1.
    expect(after['conn-2']).toBe(before['conn-2'])
    expect(after['conn-1']).not.toBe(before['conn-1'])
    // Counters of an unknown connection are ignored, not invented.
    expect(after['conn-9']).toBeUndefined()
  })

  it('applies one batch with one state change', () => {
    const store = fresh()
    let notifications = 0
    store.subscribe(() => notifications++)
    applyBatch(
      store,
      batch({
        events: Array.from({ length: 1000 }, (_, i) => ({ type: 'conn-opened' as const, conn: conn(`conn-${i}`) })),
        lines: [line('srv-1', 'a'), line('srv-1', 'b')],
        messages: [msg('conn-1', 'in', 'x')],
      }),
    )
    expect(notifications).toBe(1)
    expect(Object.keys(store.getState().connections)).toHaveLength(1000)
  })

  it('keeps each console to exactly its owner’s lines, in order, bounded', () => {
    const store = fresh()
    applyBatch(
      store,
      batch({
        lines: [
          line('srv-1', "Got connection from ('127.0.0.1', 5000)"),
          line('cli-1', 'Thank you for connecting'),
          line('srv-1', 'It was nice talking to you'),
        ],
      }),
    )
    const s = store.getState()
    expect(s.lines['srv-1'].map((l) => l.text)).toEqual(["Got connection from ('127.0.0.1', 5000)", 'It was nice talking to you'])
    expect(s.lines['cli-1'].map((l) => l.text)).toEqual(['Thank you for connecting'])

    const many = Array.from({ length: LIMITS.linesPerOwner + 50 }, (_, i) => line('srv-1', `line ${i}`))
    applyBatch(store, batch({ lines: many }))
    const kept = store.getState().lines['srv-1']
    expect(kept).toHaveLength(LIMITS.linesPerOwner)
    expect(kept[kept.length - 1].text).toBe(`line ${LIMITS.linesPerOwner + 49}`)
    expect(store.getState().lines['cli-1']).toBe(s.lines['cli-1'])
  })

  it('bounds the traffic array and counts what left it and what never came', () => {
    const store = fresh()
    const n = LIMITS.traffic + 1234
    for (let i = 0; i < n; i += 5000) {
      const part = Array.from({ length: Math.min(5000, n - i) }, (_, k) => msg('conn-1', (i + k) % 2 ? 'in' : 'out', `m${i + k}`))
      applyBatch(store, batch({ messages: part, droppedMessages: 10 }))
    }
    const s = store.getState()
    expect(s.traffic).toHaveLength(LIMITS.traffic)
    expect(s.traffic[s.traffic.length - 1].text).toBe(`m${n - 1}`)
    expect(s.traffic[0].text).toBe(`m${n - LIMITS.traffic}`)
    expect(s.trafficTrimmed).toBe(1234)
    expect(s.droppedMessages).toBe(10 * Math.ceil(n / 5000))
  })

  it('bounds recent closed connections but never live ones', () => {
    const store = fresh()
    const total = LIMITS.closedConnections + 100
    applyBatch(store, batch({ events: [{ type: 'conn-opened', conn: conn('live-1') }] }))
    applyBatch(
      store,
      batch({ events: Array.from({ length: total }, (_, i) => ({ type: 'conn-opened' as const, conn: conn(`c-${i}`) })) }),
    )
    applyBatch(
      store,
      batch({
        events: Array.from({ length: total }, (_, i) => ({
          type: 'conn-closed' as const,
          connId: `c-${i}`,
          reason: 'done',
          counters: zero,
          at: i,
        })),
      }),
    )
    const s = store.getState()
    expect(s.closedOrder).toHaveLength(LIMITS.closedConnections)
    expect(s.connections['c-0']).toBeUndefined()
    expect(s.connections[`c-${total - 1}`].state).toBe('closed')
    expect(s.connections['live-1'].state).toBe('open')
  })

  it('keeps results per owner and counts limit hits', () => {
    const store = fresh()
    applyBatch(
      store,
      batch({
        events: [
          {
            type: 'result',
            t: 1,
            ownerId: 'cli-1',
            connId: 'conn-1',
            result: { kind: 'dedup', sent: [1, 5, 5], final: [1, 5], duplicates: [{ value: 5, count: 2 }], correct: true },
          },
          { type: 'limit', ownerId: 'srv-1', limit: 'maxClients', detail: 'server full (2 clients)' },
          { type: 'limit', ownerId: 'srv-1', limit: 'maxClients', detail: 'server full (2 clients)' },
          { type: 'limit', ownerId: 'srv-1', limit: 'maxMessageBytes', detail: 'message too long' },
        ],
      }),
    )
    const s = store.getState()
    expect(s.results['cli-1'][0].result).toMatchObject({ kind: 'dedup', final: [1, 5] })
    expect(s.limits['srv-1']).toEqual([
      expect.objectContaining({ limit: 'maxClients', count: 2 }),
      expect.objectContaining({ limit: 'maxMessageBytes', count: 1 }),
    ])
  })

  it('takes many stats as they come', () => {
    const store = fresh()
    const stats = {
      manyClientsId: 'many-1',
      count: 50,
      connected: 12,
      answered: 340,
      wrong: 0,
      errors: 1,
      closed: 1,
      running: true,
      waiting: 0,
      failures: [{ error: 'reset', count: 1 }],
    }
    applyBatch(store, batch({ events: [{ type: 'many-clients', stats }] }))
    applyBatch(store, batch({ events: [{ type: 'many-clients', stats: { ...stats, connected: 50, answered: 900 } }] }))
    expect(store.getState().manyClients['many-1']).toMatchObject({ connected: 50, answered: 900, errors: 1 })
  })

  it('changes nothing for an empty batch', () => {
    const store = fresh()
    const s = store.getState()
    expect(reduceBatch(s, batch())).toEqual({})
  })
})

// ---------- commands ----------

type Calls = { name: string; args: unknown }[]

function fakeBridge(answers: Partial<Record<keyof SocketLabBridge, (args: never) => CommandResult<unknown>>>): {
  bridge: SocketLabBridge
  calls: Calls
} {
  const calls: Calls = []
  const bridge = new Proxy({} as SocketLabBridge, {
    get(_t, name: string) {
      if (name === 'mode') return 'web'
      if (name === 'onBatch') return () => () => undefined
      return async (args: unknown) => {
        calls.push({ name, args })
        const answer = (answers as Record<string, ((a: unknown) => CommandResult<unknown>) | undefined>)[name]
        return answer ? answer(args) : { ok: true, value: null }
      }
    },
  })
  return { bridge, calls }
}

describe('commands and errors by field', () => {
  it('puts a bad port next to the port field, in the host’s words', async () => {
    const store = fresh()
    setExerciseField(store, 'greeting', 'server', 'port', '70000')
    const { bridge, calls } = fakeBridge({ serverStart: () => ({ ok: false, error: 'Port must be 0 to 65535.', field: 'port' }) })
    const actions = createActions(store, bridge)
    expect(await actions.startServer('greeting')).toBe(false)
    expect(calls[0].args).toMatchObject({ exercise: 'greeting', port: 70000, host: 'all' })
    expect(store.getState().errors[formKey.server('greeting')]).toEqual({ error: 'Port must be 0 to 65535.', field: 'port' })
  })

  it('puts a refused connection next to the field the host names, and clears it on success', async () => {
    const store = fresh()
    let refuse = true
    const { bridge } = fakeBridge({
      clientStart: () =>
        refuse
          ? {
              ok: false,
              error: 'Nothing is listening at 127.0.0.1:9. Is the server started on that port, and is a firewall in the way?',
              field: 'port',
            }
          : { ok: true, value: { clientId: 'cli-7', exercise: 'greeting', host: '127.0.0.1', port: 9 } },
    })
    const actions = createActions(store, bridge)
    expect(await actions.runClient('greeting')).toBe(false)
    expect(store.getState().errors[formKey.client('greeting')]).toMatchObject({
      field: 'port',
      error: expect.stringContaining('Nothing is listening at 127.0.0.1:9'),
    })
    expect(store.getState().panes.greeting.clientId).toBeUndefined()
    refuse = false
    expect(await actions.runClient('greeting')).toBe(true)
    expect(store.getState().errors[formKey.client('greeting')]).toBeUndefined()
    expect(store.getState().panes.greeting.clientId).toBe('cli-7')
    expect(store.getState().clients['cli-7'].running).toBe(true)
  })

  it('checks number syntax before sending, with the field named', async () => {
    const store = fresh()
    setExerciseField(store, 'dedup', 'client', 'port', '12x')
    const { bridge, calls } = fakeBridge({})
    const actions = createActions(store, bridge)
    expect(await actions.runClient('dedup')).toBe(false)
    expect(calls).toHaveLength(0)
    expect(store.getState().errors[formKey.client('dedup')]).toMatchObject({
      field: 'port',
      error: 'Port must be a whole number, not "12x".',
    })
  })

  it('records the server it started for its page, and the many', async () => {
    const store = fresh()
    const { bridge } = fakeBridge({
      serverStart: () => ({ ok: true, value: server('srv-4', 43210) }),
      manyClientsStart: () => ({ ok: true, value: { manyClientsId: 'many-2', host: '127.0.0.1', port: 43210, count: 50 } }),
    })
    const actions = createActions(store, bridge)
    expect(await actions.adderServerForManyClients()).toBe(true)
    expect(store.getState().panes.adder.serverId).toBe('srv-4')
    expect(store.getState().settings.manyClients.port).toBe('43210')
    expect(await actions.startManyClients()).toBe(true)
    expect(store.getState().manyClientsId).toBe('many-2')
    expect(store.getState().manyClients['many-2']).toMatchObject({ count: 50, running: true })
  })
})

describe('forms and settings', () => {
  it('builds each exercise’s client arguments', () => {
    const s = defaultSettings()
    s.exercises.dedup.client.numbers = '[3, 14, 15, 3]'
    expect(clientArgs('dedup', ' 10.0.0.5 ', s.exercises.dedup)).toMatchObject({
      ok: true,
      value: { host: '10.0.0.5', port: 12345, params: { numbers: [3, 14, 15, 3] } },
    })
    s.exercises.adder.client.name = 'alice-1234'
    expect(clientArgs('adder', '127.0.0.1', s.exercises.adder)).toMatchObject({
      ok: true,
      value: { params: { name: 'alice-1234' } },
    })
    s.exercises.greeting.client.localPort = '32451'
    expect(clientArgs('greeting', '127.0.0.1', s.exercises.greeting)).toMatchObject({
      ok: true,
      value: { localPort: 32451, params: { ack: 'It was nice talking to you' } },
    })
    expect(serverArgs('intersection', s.exercises.intersection)).toMatchObject({
      ok: true,
      value: { setSize: 25, wire: DEFAULT_WIRE, limits: DEFAULT_LIMITS },
    })
    s.exercises.adder.wire.paceMs = 'fast'
    expect(serverArgs('adder', s.exercises.adder)).toMatchObject({ ok: false, field: 'paceMs' })
  })

  it('parses number lists the ways students type them', () => {
    expect(parseNumberList('[1, 5, 5, 9]')).toEqual({ ok: true, value: [1, 5, 5, 9] })
    expect(parseNumberList('1 5\n5,9')).toEqual({ ok: true, value: [1, 5, 5, 9] })
    expect(parseNumberList('1, five')).toMatchObject({ ok: false, field: 'numbers' })
    expect(parseNumberList('  ')).toMatchObject({ ok: false, field: 'numbers' })
  })

  it('persists settings and merges them over the defaults', () => {
    const mem = new Map<string, string>()
    const storage = { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v) }
    const s = defaultSettings()
    s.host = '192.168.1.23'
    s.exercises.adder.client.name = 'bob-4242'
    s.exercises.adder.wire.pairSeparator = ','
    saveSettings(s, storage)
    expect(mem.has(SETTINGS_KEY)).toBe(true)
    const loaded = loadSettings(storage)
    expect(loaded.host).toBe('192.168.1.23')
    expect(loaded.exercises.adder.client.name).toBe('bob-4242')
    expect(loaded.exercises.adder.wire.pairSeparator).toBe(',')
    // A field missing from old saved settings keeps its default; junk is ignored.
    const merged = mergeSettings({ host: 5, exercises: { greeting: { server: { port: '4000' } } } })
    expect(merged.host).toBe('127.0.0.1')
    expect(merged.exercises.greeting.server).toMatchObject({ port: '4000', bind: 'all', oneAtATime: false })
    expect(loadSettings({ getItem: () => '{not json', setItem: () => undefined }).host).toBe('127.0.0.1')
  })

  it('regenerates a name with a fresh 4-digit suffix', () => {
    expect(regenerateName('alice-1234', () => 0)).toBe('alice-1000')
    expect(regenerateName('', () => 0.99999)).toBe('student-9999')
    expect(regenerateName('bob')).toMatch(/^bob-\d{4}$/)
  })
})

// ---------- capture ----------

function captureInfo(patch: Partial<CaptureInfo> = {}): CaptureInfo {
  return { port: 12345, interface: 'lo', running: true, packets: 0, startedAt: 5000, maxBytes: 100 * 1024 * 1024, ...patch }
}

function packet(no: number, patch: Partial<CapturedPacket> = {}): CapturedPacket {
  return {
    no,
    t: 5000 + no,
    src: { address: '127.0.0.1', port: 40000 },
    dst: { address: '127.0.0.1', port: 12345 },
    stream: 0,
    flags: ['ACK'],
    seq: 1,
    ack: 1,
    rawSeq: 1001,
    rawAck: 2001,
    len: 0,
    payload: '',
    phase: 'ack',
    from: 'client',
    ...patch,
  }
}

const packets = (from: number, to: number): CapturedPacket[] => Array.from({ length: to - from + 1 }, (_, i) => packet(from + i))

describe('capture', () => {
  it('appends packets from batches, bounded to the last LIMITS.packets, never twice', () => {
    const store = fresh()
    applyBatch(store, batch({ events: [{ type: 'capture', info: captureInfo() }] }))
    const n = LIMITS.packets + 1234
    for (let i = 1; i <= n; i += 1000) {
      const part = packets(i, Math.min(n, i + 999))
      applyBatch(
        store,
        batch({
          events: [
            { type: 'packets', packets: part },
            { type: 'capture', info: captureInfo({ packets: part.at(-1)!.no }) },
          ],
        }),
      )
    }
    let s = store.getState()
    expect(s.packets).toHaveLength(LIMITS.packets)
    expect(s.packets[0].no).toBe(n - LIMITS.packets + 1)
    expect(s.packets.at(-1)!.no).toBe(n)
    expect(s.capture).toMatchObject({ packets: n, running: true })
    // Packets already there (a snapshot, then the batch with the same ones) are not added again.
    applyBatch(store, batch({ events: [{ type: 'packets', packets: packets(n - 5, n + 2) }] }))
    s = store.getState()
    expect(s.packets).toHaveLength(LIMITS.packets)
    expect(s.packets.slice(-4).map((p) => p.no)).toEqual([n - 1, n, n + 1, n + 2])
    expect(new Set(s.packets.map((p) => p.no)).size).toBe(LIMITS.packets)
    // A batch without capture events leaves the packet array as it was.
    const before = store.getState().packets
    applyBatch(store, batch({ messages: [msg('conn-1', 'in', 'x')] }))
    expect(store.getState().packets).toBe(before)
  })

  it('a new capture starts its list over; the error of the last one is kept until then', () => {
    const store = fresh()
    applyBatch(
      store,
      batch({
        events: [
          { type: 'capture', info: captureInfo() },
          { type: 'packets', packets: packets(1, 10) },
        ],
      }),
    )
    applyBatch(
      store,
      batch({
        events: [
          { type: 'capture', info: captureInfo({ running: false, packets: 10 }), error: 'tshark stopped with an error: boom' },
        ],
      }),
    )
    expect(store.getState()).toMatchObject({ captureError: 'tshark stopped with an error: boom', capture: { running: false } })
    expect(store.getState().packets).toHaveLength(10)
    // The next capture numbers its packets from 1 again, in the same batch as its first packets.
    applyBatch(
      store,
      batch({
        events: [
          { type: 'capture', info: captureInfo({ startedAt: 9000 }) },
          { type: 'packets', packets: packets(1, 3) },
        ],
      }),
    )
    const s = store.getState()
    expect(s.packets.map((p) => p.no)).toEqual([1, 2, 3])
    expect(s.captureError).toBeUndefined()
    expect(s.capture?.startedAt).toBe(9000)
  })

  it('a late subscriber gets the packets from the snapshot, merged with what batches brought', () => {
    const store = fresh()
    const snap = {
      servers: [],
      clients: [],
      connections: [],
      manyClients: [],
      lines: [],
      results: [],
      messages: [],
      droppedMessages: 0,
    }
    // A reload during a capture: the snapshot has packets 1..8, a batch already brought 7..9.
    applyBatch(
      store,
      batch({
        events: [
          { type: 'capture', info: captureInfo() },
          { type: 'packets', packets: packets(7, 9) },
        ],
      }),
    )
    store.setState((s) => reduceSnapshot(s, { ...snap, capture: captureInfo({ packets: 8 }), capturePackets: packets(1, 8) }))
    expect(store.getState().packets.map((p) => p.no)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    // The same packets again in the next batch: nothing doubles.
    applyBatch(store, batch({ events: [{ type: 'packets', packets: packets(8, 10) }] }))
    expect(store.getState().packets.map((p) => p.no)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    // Another capture on the host: its packets replace these.
    store.setState((s) =>
      reduceSnapshot(s, { ...snap, capture: captureInfo({ startedAt: 7777 }), capturePackets: packets(1, 2) }),
    )
    expect(store.getState().packets.map((p) => p.no)).toEqual([1, 2])
    // A snapshot bigger than the bound keeps the newest.
    store.setState((s) =>
      reduceSnapshot(s, { ...snap, capture: captureInfo({ startedAt: 8888 }), capturePackets: packets(1, LIMITS.packets + 10) }),
    )
    expect(store.getState().packets).toHaveLength(LIMITS.packets)
    expect(store.getState().packets[0].no).toBe(11)
    // No capture at all (a restarted engine): no packets.
    store.setState((s) => reduceSnapshot(s, { ...snap, capture: null }))
    expect(store.getState().packets).toEqual([])
  })

  it('starts a capture on the typed port or the newest running server, errors next to the port', async () => {
    const store = fresh()
    const { bridge, calls } = fakeBridge({
      captureStatus: () => ({
        ok: true,
        value: {
          available: true,
          platform: 'linux',
          defaultInterface: 'any',
          interfaces: [
            { name: 'any', kind: 'any' },
            { name: 'lo', description: 'Loopback', kind: 'loopback' },
            { name: 'eth0', kind: 'network' },
          ],
        },
      }),
      captureStart: () => ({ ok: true, value: captureInfo({ port: 43210, interface: 'any' }) }),
    })
    const actions = createActions(store, bridge)
    // Nothing to capture yet.
    expect(await actions.startCapture()).toBe(false)
    expect(calls).toHaveLength(0)
    expect(store.getState().errors[formKey.capture]).toMatchObject({ field: 'port' })

    await actions.loadCaptureStatus()
    applyBatch(store, batch({ events: [{ type: 'server-started', server: { ...server('srv-1', 43210), startedAt: 2 } }] }))
    applyBatch(store, batch({ events: [{ type: 'server-started', server: server('srv-0', 40000) }] }))
    expect(capturePort(store.getState())).toBe('43210')
    expect(await actions.startCapture()).toBe(true)
    expect(calls.at(-1)).toEqual({ name: 'captureStart', args: { port: 43210, interface: 'any' } })
    expect(store.getState().capture).toMatchObject({ port: 43210, running: true })
    expect(store.getState().errors[formKey.capture]).toBeUndefined()

    setCaptureForm(store, { port: '12x', iface: 'lo' })
    expect(await actions.startCapture()).toBe(false)
    expect(store.getState().errors[formKey.capture]).toEqual({ field: 'port', error: 'Port must be a whole number, not "12x".' })
    setCaptureForm(store, { port: '5555' })
    await actions.startCapture()
    expect(calls.at(-1)).toEqual({ name: 'captureStart', args: { port: 5555, interface: 'lo' } })
  })

  it('a packet’s message opens Traffic on its connection', () => {
    const store = fresh()
    const m = msg('conn-9', 'out', 'Thank you for connecting')
    applyBatch(store, batch({ messages: [msg('conn-1', 'in', 'other'), m] }))
    expect(focusMessage(store, m.seq, 4)).toBe(true)
    expect(store.getState().trafficFocus).toEqual({ seq: m.seq, packet: 4 })
    expect(store.getState().trafficFilter).toEqual({ conn: 'conn-9', dir: 'all', text: '', source: 'exercises' })
    // A message no longer in the view: the focus is kept (Traffic says so), the filter left alone.
    expect(focusMessage(store, 99_999, 5)).toBe(false)
    expect(store.getState().trafficFilter.conn).toBe('conn-9')
  })

  it('leaving Traffic unfilters it, source included; a link sets its filter again on the way in', () => {
    const store = fresh()
    setTrafficFilter(store, { source: 'many-clients', text: 'q', dir: 'in', conn: 'conn-3' })
    leaveTraffic(store)
    expect(store.getState().trafficFilter).toEqual({ conn: '', dir: 'all', text: '', source: 'exercises' })
    const m = msg('conn-9', 'out', 'hello')
    applyBatch(store, batch({ messages: [m] }))
    focusMessage(store, m.seq, 1)
    expect(store.getState().trafficFilter.conn).toBe('conn-9')
  })
})
