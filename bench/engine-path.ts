// The engine's own cost per adder request, measured in one process with no kernel in the way: the
// same requests go to SocketLab's server (the real Host, Recorder and Session, reached through the real
// accept path) and to a bare handler like bench/bare-adder-server.js, both through sockets that only
// count what is written. The loopback benchmark (bench/run.js) swings with the machine; this one
// isolates the JavaScript each request costs above the floor, as a ratio to that floor and as
// nanoseconds, each the best of several runs made back to back.
//
// Built and run by bench/engine.js (esbuild bundles it, as the app's build does).

import { EventEmitter } from 'node:events'
import net from 'node:net'
import { Host } from '../src/main/host/host'
import { answerAsBareNode } from './bare-adder-server.js'

/** A socket that is always writable and counts what it is given: the kernel's part is not measured. */
class CountingSocket extends EventEmitter {
  readonly remoteAddress = '127.0.0.1'
  readonly localAddress = '127.0.0.1'
  readonly localPort = 12345
  readonly writableHighWaterMark = 16 * 1024
  destroyed = false
  writableLength = 0
  writes = 0
  last: unknown = ''
  constructor(readonly remotePort: number) {
    super()
  }
  setKeepAlive(): this {
    return this
  }
  setNoDelay(): this {
    return this
  }
  pause(): this {
    return this
  }
  resume(): this {
    return this
  }
  write(data: unknown): boolean {
    this.writes++
    this.last = data
    return true
  }
  end(): this {
    return this
  }
  destroy(): this {
    this.destroyed = true
    return this
  }
}

/** 100 by default; BENCH_ENGINE_CLIENTS=1000 shows what a crowd's cache misses add. */
export const CLIENTS = Number(process.env.BENCH_ENGINE_CLIENTS ?? 100)
const REQUEST = Buffer.from('3 4')
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r))

/** Every client sends one request per event-loop turn, as 100 lock-step clients would; ns per request. */
async function drive(sockets: CountingSocket[], rounds: number): Promise<number> {
  const t0 = process.hrtime.bigint()
  for (let k = 0; k < rounds; k++) {
    // A fresh chunk per request, as the socket layer hands one over.
    for (const s of sockets) s.emit('data', Buffer.from(REQUEST))
    await nextTurn()
  }
  return Number(process.hrtime.bigint() - t0) / (rounds * sockets.length)
}

async function socketlab(rounds: number): Promise<number> {
  // The server's own net.Server, caught as it is made, gets the counting sockets as connections.
  const createServer = net.createServer
  let listening: net.Server | null = null
  net.createServer = ((...args: Parameters<typeof net.createServer>) =>
    (listening = createServer(...args))) as typeof net.createServer
  const host = new Host()
  try {
    // As `socketlab serve` listens: console lines and connection updates, nothing else.
    host.onEvent(() => undefined, { linesOnly: true })
    host.onEvent(() => undefined, { types: ['conn-updated'] })
    const started = await host.call('serverStart', {
      exercise: 'adder',
      host: 'loopback',
      port: 0,
      oneAtATime: false,
      limits: { maxClients: 20_000, maxPerAddress: 20_000, handshakeTimeoutMs: 600_000 },
    })
    if (!started.ok) throw new Error(started.error)
    net.createServer = createServer
    const server = listening as net.Server | null
    if (!server) throw new Error('the server made no net.Server')
    const sockets = Array.from({ length: CLIENTS }, (_, i) => new CountingSocket(40_000 + i))
    for (const s of sockets) {
      server.emit('connection', s)
      s.emit('data', Buffer.from('bench'))
    }
    // The name has no line ending: it is complete after the quiet moment, then `ack` goes out.
    await sleep(300)
    const ns = await drive(sockets, rounds)
    if (sockets.some((s) => s.last !== '7')) throw new Error(`a wrong answer: ${String(sockets[0].last)}`)
    return ns
  } finally {
    net.createServer = createServer
    await host.close()
  }
}

async function bare(rounds: number): Promise<number> {
  const sockets = Array.from({ length: CLIENTS }, (_, i) => new CountingSocket(40_000 + i))
  for (const socket of sockets) {
    answerAsBareNode(socket)
    socket.emit('data', Buffer.from('bench'))
  }
  const ns = await drive(sockets, rounds)
  if (sockets.some((s) => s.last !== '7')) throw new Error('the bare handler answered wrong')
  return ns
}

export interface EnginePathResult {
  requests: number
  runs: number
  bareNs: number
  socketlabNs: number
  bareRuns: number[]
  socketlabRuns: number[]
}

/** `runs` pairs of runs, bare then SocketLab, each of `rounds` × 100 requests; the best of each. */
export async function measure(runs = 9, rounds = 2000): Promise<EnginePathResult> {
  const bareRuns: number[] = []
  const socketlabRuns: number[] = []
  for (let i = 0; i < runs; i++) {
    bareRuns.push(await bare(rounds))
    socketlabRuns.push(await socketlab(rounds))
  }
  return {
    requests: rounds * CLIENTS,
    runs,
    bareNs: Math.min(...bareRuns),
    socketlabNs: Math.min(...socketlabRuns),
    bareRuns,
    socketlabRuns,
  }
}
