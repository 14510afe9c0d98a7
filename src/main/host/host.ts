// The host owns every server, client, Many-clients run and capture of one app instance. The Electron
// main process, browser mode, the CLI and the tests all drive this same object through `call`.

import net from 'node:net'
import os from 'node:os'
import type {
  CommandArgs,
  CommandName,
  CommandResult,
  CommandValue,
  EndedClient,
  EngineEvent,
  EventBatch,
  NetworkInterfaceInfo,
  Snapshot,
} from '@shared/contract'
import { isLoopbackAddress, type Endpoint } from '@shared/endpoint'
import { sentence } from '@shared/fields'
import { DEFAULT_LIMITS, DEFAULT_WIRE, type Exercise, type ServerLimits, type WireSettings } from '@shared/settings'
import type { Rng } from '@shared/lab'
import { ExerciseClient } from '../net/client'
import { UserError } from '../errors'
import type { OwnServer } from '../net/client'
import { ExerciseServer } from '../net/server'
import { ManyClients } from '../net/many-clients'
import { createCapture, type CaptureService } from '../capture'
import { captureHandlers } from '../capture/commands'
import { checkHandlers } from '../check/commands'
import { CheckRuns, type CheckRunsOptions } from '../check/runs'
import { Recorder, type EventOptions, type RecorderOptions } from './recorder'
import { isCommandName, validate } from './schemas'
import { exportTraffic } from './traffic-export'

/** How many ended clients a reloaded page can be told about (one per exercise page is all it shows). */
const ENDED_CLIENTS_KEPT = 50

export interface HostOptions {
  rng?: Rng
  /** How often batches go to the renderer. */
  flushMs?: number
  recorder?: RecorderOptions
  /** Packet capture; default: tshark. */
  capture?: CaptureService
  /** Check my program: where reports are saved, server-check timeouts. */
  checks?: Omit<CheckRunsOptions, 'emit'>
}

type Handlers = { [K in CommandName]: (args: CommandArgs<K>) => Promise<CommandValue<K>> }

export class Host {
  readonly recorder: Recorder
  private readonly servers = new Map<string, ExerciseServer>()
  private readonly clients = new Map<string, ExerciseClient>()
  /** How the recent clients ended, for a reloaded page (bounded). */
  private readonly endedClients: EndedClient[] = []
  private readonly manyClients = new Map<string, ManyClients>()
  private readonly batchListeners = new Set<(batch: EventBatch) => void>()
  private readonly changedManyClients = new Set<ManyClients>()
  private flushTimer: NodeJS.Timeout | null = null
  private readonly rng: Rng
  private readonly flushMs: number
  readonly capture: CaptureService
  readonly checks: CheckRuns

  constructor(options: HostOptions = {}) {
    this.recorder = new Recorder(options.recorder)
    this.rng = options.rng ?? Math.random
    this.flushMs = options.flushMs ?? 200
    this.capture = options.capture ?? createCapture(this.recorder)
    this.checks = new CheckRuns({ ...options.checks, emit: (event) => this.recorder.emit(event) })
  }

  /** Run one command from an untrusted front end: validated, never throws. */
  async call<K extends CommandName>(name: K | string, args: unknown): Promise<CommandResult<CommandValue<K>>> {
    if (!isCommandName(name)) return { ok: false, error: `Unknown command ${JSON.stringify(String(name).slice(0, 40))}.` }
    const checked = validate(name, args)
    if (!checked.ok) return checked
    try {
      const handler = this.handlers[name] as (a: unknown) => Promise<CommandValue<K>>
      return { ok: true, value: await handler(checked.value) }
    } catch (err) {
      if (err instanceof UserError)
        return {
          ok: false,
          error: err.message,
          ...(err.field ? { field: err.field } : {}),
          ...(err.detail ? { detail: err.detail } : {}),
        }
      return { ok: false, error: sentence(`Internal error: ${err instanceof Error ? err.message : String(err)}`) }
    }
  }

  /** Raw events as they happen (CLI, tests). */
  onEvent(listener: (event: EngineEvent) => void, options?: EventOptions): () => void {
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
      const info = await server.start().catch(async (err: unknown) => {
        const inUse = err instanceof UserError && (err.cause as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE'
        throw inUse ? await this.portInUse(args.port, args.host) : err
      })
      this.servers.set(server.serverId, server)
      return info
    },
    serverStop: async ({ serverId }) => {
      const server = this.servers.get(serverId)
      if (!server) throw new UserError('That server is not running.')
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
          findOwnServer: (remote) => this.ownServerAt(remote),
          ownServers: () => this.listening(),
        },
        this.recorder,
      )
      this.clients.set(client.clientId, client)
      this.recorder.emit({ type: 'client-started', client: client.describe() })
      void client.done.then((outcome) => {
        this.endedClients.push({
          client: { ...client.describe(), phase: 'ended' },
          ok: outcome.ok,
          ...(outcome.error !== undefined ? { error: outcome.error } : {}),
          ...(outcome.detail ? { detail: outcome.detail } : {}),
          endedAt: Date.now(),
        })
        if (this.endedClients.length > ENDED_CLIENTS_KEPT) this.endedClients.shift()
        this.recorder.emit({
          type: 'client-ended',
          clientId: client.clientId,
          ok: outcome.ok,
          error: outcome.error,
          ...(outcome.detail ? { detail: outcome.detail } : {}),
        })
        this.clients.delete(client.clientId)
      })
      client.start()
      if (!(await client.connected)) {
        const outcome = await client.done
        throw new UserError(outcome.error ?? 'Could not connect', outcome.field, outcome.detail)
      }
      return client.describe()
    },
    clientCommand: async ({ clientId, command }) => {
      const client = this.clients.get(clientId)
      if (!client || !client.command(command)) throw new UserError('This client is not connected any more.', 'command')
      return null
    },
    clientStop: async ({ clientId }) => {
      const client = this.clients.get(clientId)
      if (!client) throw new UserError('This client is not running.')
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
          findOwnServer: (remote) => this.ownServerAt(remote),
        },
        this.recorder,
        (stats) => {
          this.changedManyClients.add(many)
          if (!stats.running) for (const s of this.servers.values()) s.releaseCrowd(many.manyClientsId)
        },
      )
      // A crowd from this machine against its own server is the student's demo, not an attack: let it in.
      const own = this.ownServerFor(args.host, args.port)
      if (own) own.allowCrowd(many.manyClientsId, args.count)
      this.manyClients.set(many.manyClientsId, many)
      many.start()
      this.changedManyClients.add(many)
      return { manyClientsId: many.manyClientsId, host: args.host, port: args.port, count: args.count }
    },
    manyClientsStop: async ({ manyClientsId }) => {
      const many = this.manyClients.get(manyClientsId)
      if (!many) throw new UserError('Those clients are not running.')
      many.stop()
      this.changedManyClients.add(many)
      return null
    },
    connectionClose: async ({ connId }) => {
      for (const server of this.servers.values()) if (server.closeConnection(connId)) return null
      for (const client of this.clients.values())
        if (client.connId === connId) return (client.stop('closed from the Connections view'), null)
      for (const many of this.manyClients.values()) if (many.closeConnection(connId)) return null
      throw new UserError('That connection is not open.')
    },
    systemInterfaces: async () => listInterfaces(),
    trafficExport: async (args) => exportTraffic(this.recorder, args),
    snapshot: async () => this.snapshot(),
    ...captureHandlers(() => this.capture),
    ...checkHandlers(() => this.checks),
  }

  snapshot(): Snapshot {
    return {
      servers: [...this.servers.values()].map((s) => s.describe()).filter((s) => s !== null),
      clients: [...this.clients.values()].map((c) => c.describe()),
      connections: this.recorder.allConnections(),
      manyClients: [...this.manyClients.values()].map((s) => ({ ...s.stats })),
      capture: this.capture.info(),
      capturePackets: this.capture.packets?.() ?? [],
      ...this.recorder.history(),
      endedClients: [...this.endedClients],
      ...this.checks.state(),
    }
  }

  /** Where this app's servers listen, for the connection doctor. */
  private listening(): { exercise: Exercise; address: string; port: number }[] {
    return [...this.servers.values()].flatMap((s) => {
      const info = s.describe()
      return info ? [{ exercise: info.exercise, address: info.address, port: info.port }] : []
    })
  }

  /** The server of ours that takes connections to this endpoint (a client's remote end once connected). */
  private ownServerAt(remote: Endpoint): OwnServer | undefined {
    for (const server of this.servers.values()) {
      const info = server.describe()
      if (info && server.accepts(remote))
        return {
          serverId: info.serverId,
          exercise: info.exercise,
          get busy() {
            return server.busy
          },
        }
    }
    return undefined
  }

  /** Our server a client typing this host and port would reach, judged before connecting. */
  private ownServerFor(host: string, port: number): ExerciseServer | undefined {
    const address = host === 'localhost' ? '127.0.0.1' : host
    for (const server of this.servers.values()) {
      const info = server.describe()
      if (!info || info.port !== port) continue
      if (server.accepts({ address, port }) || (isLoopbackAddress(address) && server.accepts({ address: '127.0.0.1', port })))
        return server
    }
    return undefined
  }

  /** "Port 12345 is already in use by your Greeting server", with a free port next to it to offer. */
  private async portInUse(port: number, host: string): Promise<UserError> {
    let holder: { serverId: string; exercise: Exercise } | undefined
    for (const server of this.servers.values()) {
      const info = server.describe()
      if (info?.port === port) holder = { serverId: info.serverId, exercise: info.exercise }
    }
    const free = await freePortNear(port, host)
    const name = holder ? holder.exercise[0].toUpperCase() + holder.exercise.slice(1) : ''
    const whose = holder ? `by your ${name} server` : 'by another program (or a server still closing)'
    const offer = [holder ? 'stop it' : '', free ? `use port ${free}` : ''].filter(Boolean).join(', or ')
    return new UserError(`Port ${port} is already in use ${whose}${offer ? `: ${offer}` : ''}.`, 'port', {
      kind: 'port-in-use',
      port,
      ...(holder ? { holder } : {}),
      ...(free ? { free } : {}),
    })
  }

  /** Stop everything: servers, clients, Many-clients runs, capture. */
  async close(): Promise<void> {
    if (this.flushTimer) clearInterval(this.flushTimer)
    this.flushTimer = null
    for (const many of this.manyClients.values()) many.stop()
    for (const client of this.clients.values()) client.stop('app closing')
    await Promise.all([...this.servers.values()].map((s) => s.stop('app closing')))
    this.servers.clear()
    await this.checks.close()
    await (this.capture.dispose ? this.capture.dispose() : this.capture.stop()).catch(() => undefined)
  }
}

/** The first port after `port` that can be listened on now (a quick probe), or undefined. */
async function freePortNear(port: number, host: string): Promise<number | undefined> {
  const address = host === 'all' ? '::' : host === 'loopback' ? '127.0.0.1' : host
  for (let p = port + 1; p <= Math.min(65535, port + 20); p++) {
    const ok = await new Promise<boolean>((resolve) => {
      const probe = net.createServer()
      probe.once('error', () => resolve(false))
      probe.listen({ host: address, port: p, exclusive: true }, () => probe.close(() => resolve(true)))
    })
    if (ok) return p
  }
  return undefined
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
