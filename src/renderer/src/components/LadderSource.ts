// Which ladder diagram a view draws, from the facts in the store: a connection's own packets when the
// capture saw them (tshark's stream that carries its connId), else the app's own socket events for it
// (its Traffic messages), marked as such by the model. Pure: no React, no store.

import type { CapturedPacket, ConnectionInfo, Endpoint, TrafficMessage } from '@shared/contract'
import { ladderFromPackets, ladderFromSocketEvents, laddersFromPackets, socketTrace, type Ladder } from '@shared/ladder'
import type { KnownMessage } from './StepThroughSteps'

/** How many connections of one capture get a diagram (the .pcapng and the packet list have them all). */
export const MAX_LADDERS = 50

/** The exercise (server's) port of a connection: its own port on the server side, the remote's on the client side. */
export function exercisePort(c: Pick<ConnectionInfo, 'role' | 'local' | 'remote'>): number | undefined {
  return c.role === 'server' ? c.local?.port : c.remote.port
}

/** The packets of the capture's stream that carries this SocketLab connection (empty when it was not captured). */
export function packetsOfConnection(packets: readonly CapturedPacket[], connId: string): CapturedPacket[] {
  const first = packets.find((p) => p.connIds?.includes(connId))
  if (!first) return []
  return packets.filter((p) => p.stream === first.stream)
}

/** One connection's ladder: captured when the capture has it, else from the app's socket events. */
export function connectionLadder(
  conn: ConnectionInfo,
  packets: readonly CapturedPacket[],
  traffic: readonly TrafficMessage[],
): Ladder {
  const own = packetsOfConnection(packets, conn.connId)
  if (own.length) return ladderFromPackets(own, exercisePort(conn))
  return ladderFromSocketEvents(socketTrace(conn, traffic))
}

const same = (a: Endpoint | null | undefined, b: Endpoint | null | undefined): boolean =>
  !!a && !!b && a.port === b.port && a.address === b.address

/**
 * The connections on one exercise port, once per TCP connection: when both ends are this app's (our
 * client talking to our server), the server's side stands for both. Oldest first.
 */
export function connectionsOnPort(connections: Iterable<ConnectionInfo>, port: number): ConnectionInfo[] {
  const on = [...connections].filter((c) => exercisePort(c) === port && c.local)
  const servers = on.filter((c) => c.role === 'server')
  const kept = on.filter((c) => c.role === 'server' || !servers.some((s) => same(s.remote, c.local)))
  return kept.sort((a, b) => a.openedAt - b.openedAt)
}

/** The Capture page's ladders: one per captured connection, or, without packets, one per connection the app saw on the port. */
export function captureLadders(
  packets: readonly CapturedPacket[],
  port: number | undefined,
  connections: Iterable<ConnectionInfo>,
  traffic: readonly TrafficMessage[],
): Ladder[] {
  if (packets.length) return laddersFromPackets(packets, { port, max: MAX_LADDERS })
  if (port === undefined) return []
  return connectionsOnPort(connections, port)
    .slice(-MAX_LADDERS)
    .map((c) => ladderFromSocketEvents(socketTrace(c, traffic)))
}

/** The ladder that holds a packet (by frame number), or undefined. */
export function ladderOfPacket(ladders: readonly Ladder[], no: number | undefined): number | undefined {
  if (no === undefined) return undefined
  const i = ladders.findIndex((l) => l.arrows.some((a) => a.no === no))
  return i >= 0 ? i : undefined
}

/** The arrow of a ladder that carried a Traffic message, or undefined. */
export function arrowOfMessage(ladder: Ladder, seq: number | undefined): number | undefined {
  if (seq === undefined) return undefined
  return ladder.arrows.find((a) => a.messages.includes(seq))?.index
}

/** The connection worth showing first: the newest with a whole handshake, else the newest. */
export function defaultLadder(ladders: readonly Ladder[]): number {
  for (let i = ladders.length - 1; i >= 0; i--)
    if (ladders[i].brackets.some((b) => b.kind === 'handshake' && b.complete)) return i
  return ladders.length - 1
}

/** The messages a ladder's arrows carried, as the capture matched them, else as Traffic recorded them. */
export function knownMessages(
  ladder: Ladder | undefined,
  packets: readonly CapturedPacket[],
  traffic: readonly TrafficMessage[],
): Map<number, KnownMessage> {
  const out = new Map<number, KnownMessage>()
  if (!ladder) return out
  const wanted = new Set(ladder.arrows.flatMap((a) => a.messages))
  if (!wanted.size) return out
  const frames = new Set(ladder.arrows.map((a) => a.no))
  for (const p of packets) {
    if (!frames.has(p.no)) continue
    for (const m of p.messages ?? []) out.set(m.seq, { text: m.text, size: m.size })
  }
  for (const m of traffic) if (wanted.has(m.seq) && !out.has(m.seq)) out.set(m.seq, { text: m.text, size: m.size })
  return out
}

/** How many arrows of one connection the screen draws (a flood's connection has thousands; the files have them all). */
export const SCREEN_ARROWS = 300

/** The ladder's first `max` arrows, with their calls and the brackets that start among them; how many were left out. */
export function firstArrows(ladder: Ladder, max = SCREEN_ARROWS): { ladder: Ladder; omitted: number } {
  if (ladder.arrows.length <= max) return { ladder, omitted: 0 }
  return {
    ladder: {
      ...ladder,
      arrows: ladder.arrows.slice(0, max),
      calls: ladder.calls.filter((c) => c.arrow < max),
      brackets: ladder.brackets.filter((b) => b.first < max).map((b) => (b.last < max ? b : { ...b, last: max - 1 })),
    },
    omitted: ladder.arrows.length - max,
  }
}
