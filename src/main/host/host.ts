// The host owns every server, client, Many-clients run and capture of one app instance. The Electron
// main process, browser mode, the CLI and the tests all drive this same object through `call`.

import os from 'node:os'
import type {
  CommandArgs,
  CommandName,
  CommandResult,
  CommandValue,
  EngineEvent,
  EventBatch,
  NetworkInterfaceInfo,
  Snapshot,
} from '@shared/contract'
import { DEFAULT_LIMITS, DEFAULT_WIRE, type ServerLimits, type WireSettings } from '@shared/settings'
import type { Rng } from '../exercises/sets'
import { ExerciseClient } from '../net/client'
import { ExerciseServer, StartError } from '../net/server'
import { ManyClients } from '../net/many-clients'
import { createCapture, type CaptureService } from '../capture'
import { captureHandlers } from '../capture/commands'
import { Recorder, type RecorderOptions } from './recorder'
import { isCommandName, validate } from './schemas'
import { exportTraffic } from './traffic-export'

export interface HostOptions {
  rng?: Rng
  /** How often batches go to the renderer. */
  flushMs?: number
  recorder?: RecorderOptions
  /** Packet capture; default: tshark. */
  capture?: CaptureService
}

type Handlers = { [K in CommandName]: (args: CommandArgs<K>) => Promise<CommandValue<K>> }

export class HostError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message)
  }
}

export class Host {
  readonly recorder: Recorder
  private readonly servers = new Map<string, ExerciseServer>()
  private readonly clients = new Map<string, ExerciseClient>()
  private readonly manyClients = new Map<string, ManyClients>()
  private readonly batchListeners = new Set<(batch: EventBatch) => void>()
  private readonly changedManyClients = new Set<ManyClients>()
  private flushTimer: NodeJS.Timeout | null = null
  private readonly rng: Rng
  private readonly flushMs: number
  readonly capture: CaptureService

  constructor(options: HostOptions = {}) {
    this.recorder = new Recorder(options.recorder)
    this.rng = options.rng ?? Math.random
    this.flushMs = options.flushMs ?? 200
    this.capture = options.capture ?? createCapture(this.recorder)
  }

  /** Run one command from an untrusted front end: validated, never throws. */
  async call<K extends CommandName>(name: K | string, args: unknown): Promise<CommandResult<CommandValue<K>>> {
    if (!isCommandName(name)) return { ok: false, error: `unknown command ${JSON.stringify(String(name).slice(0, 40))}` }
    const checked = validate(name, args)
    if (!checked.ok) return checked
    try {
      const handler = this.handlers[name] as (a: unknown) => Promise<CommandValue<K>>
      return { ok: true, value: await handler(checked.value) }
    } catch (err) {
      if (err instanceof HostError) return { ok: false, error: err.message, field: err.field }
      if (err instanceof StartError) return { ok: false, error: err.plain.message, field: err.plain.field }
      return { ok: false, error: `Internal error: ${err instanceof Error ? err.message : String(err)}` }
    }
  }

  /** Raw events as they happen (CLI, tests). */
  onEvent(listener: (event: EngineEvent) => void, options?: { messages?: boolean; linesOnly?: boolean }): () => void {
    return this.recorder.onEvent(listener, options)
  }

  /** Batched events a few times a second (the renderer). */
  onBatch(listener: (batch: EventBatch) => void): () => void {
    this.batchListeners.add(listener)
    this.recorder.batching = true
    if (!this.flushTimer) {
      this.flushTimer = setInterval(() => this.flush(), this.flushMs)
      this.flushTimer.unref()
    }
    return () => {
      this.batchListeners.delete(listener)
      if (this.batchListeners.size === 0 && this.flushTimer) {
        clearInterval(this.flushTimer)
        this.flushTimer = null
        this.recorder.batching = false
      }
    }
  }

  /** Send what happened since the last batch. Exposed so tests need not wait for the timer. */
  flush(): void {
    for (const many of this.changedManyClients) this.recorder.emit({ type: 'many-clients', stats: { ...many.stats } })
    this.changedManyClients.clear()
    const batch = this.recorder.flush()
    if (!batch) return
    for (const l of this.batchListeners) l(batch)
  }

  private wire(partial?: Partial<WireSettings>): WireSettings {
    return { ...DEFAULT_WIRE, ...partial }
  }

  private limits(partial?: Partial<ServerLimits>): ServerLimits {
    return { ...DEFAULT_LIMITS, ...partial }
  }

  private readonly handlers: Handlers = {
    serverStart: async (args) => {
      const server = new ExerciseServer(
        {
          exercise: args.exercise,
          host: args.host,
          port: args.port,
          oneAtATime: args.oneAtATime,
          wire: this.wire(args.wire),
          limits: this.limits(args.limits),
          setSize: args.setSize ?? 25,
          rng: this.rng,
        },
        this.recorder,
      )
      const info = await server.start()
      this.servers.set(server.serverId, server)
      return info
    },
    serverStop: async ({ serverId }) => {
      const server = this.servers.get(serverId)
      if (!server) throw new HostError('That server is not running')
      this.servers.delete(serverId)
      await server.stop()
      return null
    },
    clientStart: async (args) => {
      const client = new ExerciseClient(
        {
          exercise: args.exercise,
          host: args.host,
          port: args.port,
          localPort: args.localPort,
          wire: this.wire(args.wire),
          params: args.params ?? {},
          rng: this.rng,
        },
        this.recorder,
      )
      this.clients.set(client.clientId, client)
      this.recorder.emit({ type: 'client-started', client: client.describe() })
      void client.done.then((outcome) => {
        this.recorder.emit({ type: 'client-ended', clientId: client.clientId, ok: outcome.ok, error: outcome.error })
        this.clients.delete(client.clientId)
      })
      client.start()
      if (!(await client.connected)) {
        const outcome = await client.done
        throw new HostError(outcome.error ?? 'Could not connect', outcome.field)
      }
      return client.describe()
    },
    clientCommand: async ({ clientId, command }) => {
      const client = this.clients.get(clientId)
      if (!client || !client.command(command)) throw new HostError('This client is not connected any more', 'command')
      return null
    },
    clientStop: async ({ clientId }) => {
      const client = this.clients.get(clientId)
      if (!client) throw new HostError('This client is not running')
      client.stop()
      return null
    },
    manyClientsStart: async (args) => {
      const many = new ManyClients(
        {
          host: args.host,
          port: args.port,
          count: args.count,
          baseName: args.baseName ?? 'student',
          wire: this.wire(args.wire),
          thinkMs: args.thinkMs ?? 0,
          rng: this.rng,
        },
        this.recorder,
        () => this.changedManyClients.add(many),
      )
      this.manyClients.set(many.manyClientsId, many)
      many.start()
      this.changedManyClients.add(many)
      return { manyClientsId: many.manyClientsId, host: args.host, port: args.port, count: args.count }
    },
    manyClientsStop: async ({ manyClientsId }) => {
      const many = this.manyClients.get(manyClientsId)
      if (!many) throw new HostError('Those clients are not running')
      many.stop()
      this.changedManyClients.add(many)
      return null
    },
    connectionClose: async ({ connId }) => {
      for (const server of this.servers.values()) if (server.closeConnection(connId)) return null
      for (const client of this.clients.values())
        if (client.connId === connId) return (client.stop('closed from the Connections view'), null)
      for (const many of this.manyClients.values()) if (many.closeConnection(connId)) return null
      throw new HostError('That connection is not open')
    },
    systemInterfaces: async () => listInterfaces(),
    trafficExport: async ({ format, connId }) => exportTraffic(this.recorder, format, connId),
    snapshot: async () => this.snapshot(),
    ...captureHandlers(() => this.capture),
  }

  snapshot(): Snapshot {
    return {
      servers: [...this.servers.values()].map((s) => s.describe()).filter((s) => s !== null),
      clients: [...this.clients.values()].map((c) => c.describe()),
      connections: this.recorder.allConnections(),
      manyClients: [...this.manyClients.values()].map((s) => ({ ...s.stats })),
      capture: this.capture.info(),
      capturePackets: this.capture.packets?.() ?? [],
      lines: [],
      results: [],
      messages: [],
      droppedMessages: this.recorder.ringDropped,
    }
  }

  /** Stop everything: servers, clients, Many-clients runs, capture. */
  async close(): Promise<void> {
    if (this.flushTimer) clearInterval(this.flushTimer)
    this.flushTimer = null
    for (const many of this.manyClients.values()) many.stop()
    for (const client of this.clients.values()) client.stop('app closing')
    await Promise.all([...this.servers.values()].map((s) => s.stop('app closing')))
    this.servers.clear()
    await (this.capture.dispose ? this.capture.dispose() : this.capture.stop()).catch(() => undefined)
  }
}

/** This machine's addresses: LAN first, loopback last, IPv4 before IPv6 — what you tell your neighbour. */
export function listInterfaces(): NetworkInterfaceInfo[] {
  const out: NetworkInterfaceInfo[] = []
  for (const [name, list] of Object.entries(os.networkInterfaces())) {
    for (const a of list ?? []) {
      out.push({ name, address: a.address, family: a.family === 'IPv6' ? 'IPv6' : 'IPv4', internal: a.internal })
    }
  }
  const rank = (i: NetworkInterfaceInfo): number =>
    (i.internal ? 10 : 0) + (i.family === 'IPv6' ? 2 : 0) + (i.family === 'IPv6' && i.address.startsWith('fe80') ? 1 : 0)
  return out.sort((x, y) => rank(x) - rank(y) || x.name.localeCompare(y.name))
}
