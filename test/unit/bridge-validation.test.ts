// The renderer is not trusted: every command with wrong types, out-of-range ports, over-long strings
// or unknown fields is refused with an error, and nothing reaches the engine.

import { afterAll, describe, expect, it } from 'vitest'
import { COMMAND_NAMES, type EngineEvent } from '@shared/contract'
import { Host } from '../../src/main/host/host'
import { commandSchemas } from '../../src/main/host/schemas'

const host = new Host()
const events: EngineEvent[] = []
host.onEvent((e) => events.push(e), { messages: true })
afterAll(() => host.close())

const long = 'x'.repeat(100_000)
const server = { exercise: 'adder', host: 'loopback', port: 0, oneAtATime: false }
const client = { exercise: 'adder', host: '127.0.0.1', port: 12345 }
const many = { host: '127.0.0.1', port: 12345, count: 10 }

/** Arguments that must each be refused, per command. */
const BAD: Record<(typeof COMMAND_NAMES)[number], unknown[]> = {
  serverStart: [
    undefined,
    null,
    'adder',
    [],
    { ...server, port: 65536 },
    { ...server, port: -1 },
    { ...server, port: 1.5 },
    { ...server, port: '12345' },
    { ...server, port: Number.NaN },
    { ...server, exercise: 'chat' },
    { ...server, host: long },
    { ...server, host: '' },
    { ...server, oneAtATime: 'yes' },
    { ...server, extra: true },
    { ...server, wire: { paceMs: -5 } },
    { ...server, wire: { pairSeparator: '\t' } },
    { ...server, wire: { unknown: 1 } },
    { ...server, limits: { maxClients: 0 } },
    { ...server, limits: { maxMessageBytes: 10 ** 12 } },
    { ...server, setSize: 101 },
    { ...server, __proto__: { polluted: true }, constructor: 'x' },
  ],
  serverStop: [{}, { serverId: 5 }, { serverId: long }, { serverId: 'srv-1', more: 1 }],
  clientStart: [
    { ...client, port: 0 },
    { ...client, port: 70000 },
    { ...client, host: long },
    { ...client, host: '   ' },
    { ...client, localPort: 65536 },
    { ...client, params: { name: long } },
    { ...client, params: { name: '' } },
    { ...client, params: { numbers: ['1'] } },
    { ...client, params: { numbers: Array(10_001).fill(1) } },
    { ...client, params: { count: 0 } },
    { ...client, params: { size: 101 } },
    { ...client, params: { evil: true } },
    { ...client, wire: { replyTimeoutMs: 0 } },
  ],
  clientCommand: [{ clientId: 'cli-1' }, { clientId: 'cli-1', command: long }, { clientId: 'cli-1', command: 7 }],
  clientStop: [{ clientId: null }, { clientId: '' }],
  manyClientsStart: [
    { ...many, count: 0 },
    { ...many, count: 1001 },
    { ...many, port: 0 },
    { ...many, thinkMs: -1 },
    { ...many, baseName: long },
  ],
  manyClientsStop: [{ manyClientsId: [] }],
  connectionClose: [{ connId: {} }, { connId: long }],
  systemInterfaces: [{ any: 1 }, 'x'],
  trafficExport: [{ format: 'xml' }, { format: 'json', connId: 3 }, {}],
  snapshot: [{ all: true }],
  captureStatus: [{ x: 1 }],
  captureStart: [
    { port: 0 },
    { port: 99999 },
    { port: 12345, interface: long },
    { port: 12345, filter: 'tcp' },
    { port: 12345, maxMB: 0 },
    { port: 12345, maxMB: 1e9 },
  ],
  captureStop: [{ now: true }],
  captureSave: [{ name: '../../etc/passwd' }, { what: 'exe' }],
  captureRead: [
    {},
    { fileId: '../../etc/passwd', offset: 0 },
    { fileId: 'a'.repeat(24), offset: -1 },
    { fileId: 'a'.repeat(24), offset: 1.5 },
  ],
  // Check my program: bad questions, hosts, ports, argv (no shell line, no shell syntax), roster sizes.
  checkServer: [
    { question: 'chat', host: '127.0.0.1', port: 1 },
    { question: 'adder', host: '127.0.0.256', port: 1 },
    { question: 'adder', host: '127.0.0.1', port: 0 },
  ],
  checkClient: [
    { question: 'adder', port: 70000 },
    { question: 'adder', port: 0, connections: 0 },
    { question: 'adder', port: 0, timeoutS: 0 },
  ],
  checkProgram: [
    { side: 'client', question: 'adder', port: 0, command: 'python3 client.py' },
    { side: 'client', question: 'adder', port: 0, command: [] },
    { side: 'client', question: 'adder', port: 0, command: ['python3', 'c.py', '>', 'out.txt'] },
    { side: 'client', question: 'adder', port: 0, command: ['sh', '-c', '$(rm -rf /)'] },
    { side: 'client', question: 'adder', port: 0, command: [long] },
    { side: 'server', question: 'adder', port: 0, command: ['python3', 'server.py'] },
    { side: 'client', question: 'adder', port: 0, command: ['no-such-program-here'] },
  ],
  checkRoster: [{ csv: 5 }, { csv: 'x'.repeat(600_000) }, { csv: 'team,host\n' }, { csv: 'team,host,port,question\n' }],
  checkRosterTeam: [
    { runId: 'roster-1', index: -1 },
    { runId: 'nope', index: 0 },
  ],
  checkCancel: [{ runId: '' }, { runId: 'nope' }],
  checkSave: [
    { runId: 'nope', format: 'html' },
    { runId: 'check-1', format: 'exe' },
  ],
}

describe('bridge validation', () => {
  it('every command has a schema and bad cases', () => {
    expect(Object.keys(commandSchemas).sort()).toEqual([...COMMAND_NAMES].sort())
    for (const name of COMMAND_NAMES) expect(BAD[name].length, name).toBeGreaterThan(0)
  })

  for (const name of COMMAND_NAMES) {
    it(`${name}: bad arguments are refused with an error`, async () => {
      for (const args of BAD[name]) {
        const r = await host.call(name, args)
        expect(r.ok, `${name} ${JSON.stringify(args)?.slice(0, 80)}`).toBe(false)
        if (!r.ok) {
          expect(r.error.length).toBeGreaterThan(0)
          expect(r.error.length).toBeLessThan(300)
        }
      }
    })
  }

  it('an unknown command is refused', async () => {
    for (const name of ['eval', '__proto__', 'constructor', 'toString', '', 42, null]) {
      const r = await host.call(name as string, {})
      expect(r.ok).toBe(false)
    }
  })

  it('errors are one plain sentence for the control, with the field they belong next to', async () => {
    expect(await host.call('serverStart', { ...server, port: 70000 })).toEqual({
      ok: false,
      error: 'Port must be 0 to 65535.',
      field: 'port',
    })
    expect(await host.call('clientStart', { ...client, port: 0 })).toEqual({
      ok: false,
      error: 'Port must be 1 to 65535.',
      field: 'port',
    })
    // zod's own words are not shown: the field's label and what is wrong, in the app's words.
    expect(await host.call('serverStart', { ...server, wire: { paceMs: null } })).toEqual({
      ok: false,
      error: 'Pace must be a number.',
      field: 'paceMs',
    })
    expect(await host.call('serverStart', { ...server, port: 1.5 })).toMatchObject({ error: 'Port must be a whole number.' })
    expect(await host.call('manyClientsStart', { ...many, thinkMs: 70_000 })).toMatchObject({
      error: 'Pause must be at most 60000.',
      field: 'thinkMs',
    })
    expect(await host.call('serverStart', { ...server, exercise: 'chat' })).toMatchObject({
      error: 'Exercise must be one of greeting, dedup, intersection, adder.',
    })
    // The host box's sentence is said as it is; a number in a list is placed next to the list.
    expect(await host.call('clientStart', { ...client, host: '127.0.0.256' })).toEqual({
      ok: false,
      error: '256 is too large: each of the 4 numbers is 0–255.',
      field: 'host',
    })
    expect(await host.call('clientStart', { ...client, params: { numbers: [1, 'x'] } })).toMatchObject({
      error: 'List: item 2 must be a number.',
      field: 'numbers',
    })
    // A Check form's own labels: the same field is called as each tab calls it.
    expect(await host.call('checkClient', { question: 'adder', port: 0, connections: 99 })).toEqual({
      ok: false,
      error: 'Clients to grade must be 1 to 50.',
      field: 'connections',
    })
    expect(await host.call('checkProgram', { side: 'client', question: 'adder', command: ['x'], port: 0, timeoutS: 0 })).toEqual({
      ok: false,
      error: 'Time limit must be 1 to 3600 s.',
      field: 'timeoutS',
    })
    const unknown = await host.call('serverStart', { ...server, extra: 1 })
    expect(unknown).toMatchObject({ ok: false, error: 'Unknown field extra.' })
    expect(await host.call('serverStart', { ...server, wire: { bogus: 1 } })).toMatchObject({
      error: 'Unknown field bogus in wire.',
      field: 'wire',
    })
  })

  it('every refusal is a sentence, never a path or zod’s words', async () => {
    for (const [name, cases] of Object.entries(BAD))
      for (const args of cases) {
        const r = await host.call(name, args)
        if (r.ok) continue
        expect(r.error, `${name} ${JSON.stringify(args)?.slice(0, 80)}`).toMatch(/^[A-Z0-9"].*[.!?)]$/s)
        expect(r.error).not.toMatch(/Invalid input|Too (big|small)|^\w+\.\w+: /)
      }
  })

  it('nothing reached the engine', () => {
    expect(events).toEqual([])
    const snap = host.snapshot()
    expect(snap.servers).toEqual([])
    expect(snap.clients).toEqual([])
    expect(snap.connections).toEqual([])
    expect(snap.manyClients).toEqual([])
  })
})
