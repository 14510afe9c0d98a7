// The renderer's ladder logic, pure: which ladder a view draws (a connection's captured stream, else its
// socket events; one per TCP connection on a port), the selection between packets, arrows and messages,
// and the guided step-through's explanations and checks in this capture's own numbers. (That the screen
// and the SVG file draw one layout is in test/unit/ladder.test.ts, which may run a Node XML parser.)

import { describe, expect, it } from 'vitest'
import type { CapturedPacket, ConnectionInfo, TcpFlag, TrafficMessage } from '@shared/contract'
import { ladderFromPackets, ladderFromSocketEvents, socketTrace } from '@shared/ladder'
import {
  arrowOfMessage,
  captureLadders,
  connectionLadder,
  connectionsOnPort,
  defaultLadder,
  exercisePort,
  firstArrows,
  knownMessages,
  ladderOfPacket,
  packetsOfConnection,
} from '@renderer/components/LadderSource'
import { stepAt } from '@renderer/components/StepThroughSteps'
import { capturedPacket, CLIENT, SERVER } from '../../helpers/captured'

const GREETING = 'Thank you for connecting'
const ACK = 'It was nice talking to you'
const bytes = (s: string): number => new TextEncoder().encode(s).length

let no = 0
function pkt(
  from: 'client' | 'server',
  flags: TcpFlag[],
  facts: Partial<CapturedPacket> = {},
  payload = '',
  client = CLIENT,
): CapturedPacket {
  return capturedPacket(++no, from, flags, { connIds: ['s1', 'c1'], ...facts }, payload, client)
}

/** The greeting as tshark captures it on the loopback, the server closing first (stream 0 numbers from 1). */
function greeting(stream = 0, client = CLIENT): CapturedPacket[] {
  if (stream === 0) no = 0
  const p = (from: 'client' | 'server', flags: TcpFlag[], facts: Partial<CapturedPacket> = {}, payload = ''): CapturedPacket =>
    pkt(from, flags, { stream, ...facts }, payload, client)
  return [
    p('client', ['SYN'], { phase: 'handshake', step: 1 }),
    p('server', ['SYN', 'ACK'], { phase: 'handshake', step: 2, ack: 1 }),
    p('client', ['ACK'], { phase: 'handshake', step: 3, seq: 1, ack: 1 }),
    p('server', ['PSH', 'ACK'], { seq: 1, ack: 1, messages: [{ seq: 7, text: GREETING, size: 24 }] }, GREETING),
    p('client', ['ACK'], { seq: 1, ack: 25 }),
    p('client', ['PSH', 'ACK'], { seq: 1, ack: 25, messages: [{ seq: 8, text: ACK, size: 26 }] }, ACK),
    p('server', ['ACK'], { seq: 25, ack: 27 }),
    p('server', ['FIN', 'ACK'], { phase: 'teardown', teardown: 'fin', seq: 25, ack: 27 }),
    p('client', ['ACK'], { phase: 'teardown', teardown: 'ack-of-fin', seq: 27, ack: 26 }),
    p('client', ['FIN', 'ACK'], { phase: 'teardown', teardown: 'fin', seq: 27, ack: 26 }),
    p('server', ['ACK'], { phase: 'teardown', teardown: 'last-ack', seq: 26, ack: 28 }),
  ]
}

function conn(
  connId: string,
  role: 'server' | 'client',
  local: typeof CLIENT,
  remote: typeof CLIENT,
  openedAt = 1,
): ConnectionInfo {
  return {
    connId,
    seq: openedAt,
    role,
    exercise: 'greeting',
    ownerId: role === 'server' ? 'srv-1' : 'cli-1',
    local,
    remote,
    state: 'closed',
    openedAt,
    closedAt: openedAt + 50,
    counters: { bytesIn: 0, bytesOut: 0, messagesIn: 0, messagesOut: 0 },
  }
}

function msg(seq: number, connId: string, dir: 'in' | 'out', text: string): TrafficMessage {
  return { seq, t: seq, connId, dir, size: bytes(text), text, hex: '' }
}

const SERVER_CONN = conn('s1', 'server', SERVER, CLIENT)
const CLIENT_CONN = conn('c1', 'client', CLIENT, SERVER)
const TRAFFIC = [msg(7, 's1', 'out', GREETING), msg(8, 's1', 'in', ACK), msg(9, 'c1', 'in', GREETING), msg(10, 'c1', 'out', ACK)]

describe('which ladder a view draws', () => {
  it('a connection’s port is the server’s, on either end', () => {
    expect(exercisePort(SERVER_CONN)).toBe(12345)
    expect(exercisePort(CLIENT_CONN)).toBe(12345)
    expect(exercisePort({ ...CLIENT_CONN, local: null })).toBe(12345)
  })

  it('a captured connection gets its own stream’s packets, drawn from the capture', () => {
    const other = greeting(1, { address: '127.0.0.1', port: 40001 }).map((p) => ({ ...p, connIds: ['s2'] }))
    const packets = [...greeting(0), ...other]
    expect(packetsOfConnection(packets, 's1').map((p) => p.stream)).toEqual(Array(11).fill(0))
    expect(packetsOfConnection(packets, 's2')).toHaveLength(11)
    expect(packetsOfConnection(packets, 'nope')).toEqual([])
    const l = connectionLadder(SERVER_CONN, packets, TRAFFIC)
    expect(l.source).toBe('capture')
    expect(l.arrows.map((a) => a.no)).toEqual(packets.slice(0, 11).map((p) => p.no))
  })

  it('a connection the capture did not see is drawn from its own socket events', () => {
    const l = connectionLadder(SERVER_CONN, [], TRAFFIC)
    expect(l.source).toBe('socket-events')
    expect(l.arrows.filter((a) => a.phase === 'data').map((a) => [a.from, a.text, a.messages])).toEqual([
      ['server', GREETING, [7]],
      ['client', ACK, [8]],
    ])
    // From the client's end: the same exchange, its own messages.
    const c = connectionLadder(CLIENT_CONN, [], TRAFFIC)
    expect(c.arrows.filter((a) => a.phase === 'data').map((a) => [a.from, a.messages])).toEqual([
      ['server', [9]],
      ['client', [10]],
    ])
  })

  it('on a port, our client and our server on one connection count once; oldest first', () => {
    const lone = conn('c9', 'client', { address: '127.0.0.1', port: 40009 }, SERVER, 0)
    const elsewhere = conn('s7', 'server', { address: '127.0.0.1', port: 999 }, CLIENT)
    const list = connectionsOnPort([CLIENT_CONN, SERVER_CONN, lone, elsewhere], 12345)
    expect(list.map((c) => c.connId)).toEqual(['c9', 's1'])
  })

  it('the Capture page: one ladder per captured stream, else one per connection from socket events', () => {
    const packets = [...greeting(0), ...greeting(1, { address: '127.0.0.1', port: 40001 })]
    const captured = captureLadders(packets, 12345, [SERVER_CONN], TRAFFIC)
    expect(captured.map((l) => [l.source, l.stream, l.arrows.length])).toEqual([
      ['capture', 0, 11],
      ['capture', 1, 11],
    ])
    const fromEvents = captureLadders([], 12345, [SERVER_CONN, CLIENT_CONN], TRAFFIC)
    expect(fromEvents.map((l) => l.source)).toEqual(['socket-events'])
    expect(captureLadders([], undefined, [SERVER_CONN], TRAFFIC)).toEqual([])
  })

  it('a packet, an arrow and a message find each other', () => {
    const packets = [...greeting(0), ...greeting(1, { address: '127.0.0.1', port: 40001 })]
    const ladders = captureLadders(packets, 12345, [], [])
    expect(ladderOfPacket(ladders, 3)).toBe(0)
    expect(ladderOfPacket(ladders, packets[15].no)).toBe(1)
    expect(ladderOfPacket(ladders, 10_000)).toBeUndefined()
    expect(ladderOfPacket(ladders, undefined)).toBeUndefined()
    expect(arrowOfMessage(ladders[0], 8)).toBe(5)
    expect(arrowOfMessage(ladders[0], 99)).toBeUndefined()
  })

  it('the connection shown first is the newest with a whole handshake', () => {
    const whole = ladderFromPackets(greeting(0))
    const late = ladderFromPackets(greeting(1).slice(3))
    expect(defaultLadder([whole, late])).toBe(0)
    expect(defaultLadder([late, whole])).toBe(1)
    expect(defaultLadder([late])).toBe(0)
    expect(defaultLadder([])).toBe(-1)
  })

  it('the messages of a ladder: as the capture matched them, else as Traffic has them', () => {
    const packets = greeting(0)
    const l = ladderFromPackets(packets)
    expect([...knownMessages(l, packets, [])]).toEqual([
      [7, { text: GREETING, size: 24 }],
      [8, { text: ACK, size: 26 }],
    ])
    const events = ladderFromSocketEvents(socketTrace(SERVER_CONN, TRAFFIC))
    expect(knownMessages(events, packets, TRAFFIC).get(8)).toEqual({ text: ACK, size: 26 })
    expect(knownMessages(undefined, packets, TRAFFIC).size).toBe(0)
  })
})

describe('the step-through', () => {
  const packets = greeting()
  const l = ladderFromPackets(packets)
  const messages = knownMessages(l, packets, [])
  const step = (i: number): ReturnType<typeof stepAt> => stepAt(l, i, messages)

  it('explains the handshake and checks the acknowledgement numbers', () => {
    expect(step(0).title).toBe('Handshake 1/3 — SYN')
    expect(step(0).checks).toEqual([{ text: 'Len 0: the handshake carries no data', ok: true }])
    expect(step(1).title).toBe('Handshake 2/3 — SYN/ACK')
    expect(step(1).checks).toEqual([{ text: 'Ack 1 = the SYN’s Seq 0 + 1 (packet #1)', ok: true }])
    expect(step(2).checks).toEqual([{ text: 'Ack 1 = the SYN/ACK’s Seq 0 + 1 (packet #2)', ok: true }])
    expect(step(2).explanation).toContain('accept() returns')
  })

  it('a wrong acknowledgement is marked as not holding', () => {
    const bad = ladderFromPackets(greeting().map((p) => (p.step === 2 ? { ...p, ack: 5 } : p)))
    expect(stepAt(bad, 1).checks[0]).toEqual({ text: 'Ack 5 = the SYN’s Seq 0 + 1 (packet #1)', ok: false })
  })

  it('checks the data’s length against the text, and the bare ACK against the data', () => {
    expect(step(3).title).toBe(`Data — the server sends “${GREETING}”`)
    expect(step(3).checks).toEqual([
      { text: `Len 24 = the 24 bytes of “${GREETING}”: nothing is added around the text`, ok: true },
    ])
    expect(step(4).checks).toEqual([{ text: 'Ack 25 = Seq 1 + Len 24 of packet #4: everything up to there arrived', ok: true }])
    // Without the matched message, the payload itself is counted; a split message is said to be one.
    expect(stepAt(l, 3).checks[0]).toEqual({ text: `Len 24 = the 24 bytes of the text “${GREETING}”`, ok: true })
    const split = new Map([[7, { text: GREETING + GREETING, size: 48 }]])
    expect(stepAt(l, 3, split).checks[0].text).toContain('part of the 48 bytes message')
    expect(stepAt(l, 3, split).checks[0].ok).toBeUndefined()
  })

  it('each side sends its own FIN: the first FIN waits for the other, the second ticks both', () => {
    expect(step(7).title).toBe('Teardown — FIN from the server')
    expect(step(7).checks).toEqual([
      { text: 'The server sent its own FIN (its close())', ok: true },
      { text: 'The client has not sent its FIN yet: each side sends its own' },
    ])
    expect(step(8).checks).toEqual([{ text: 'Ack 26 = the FIN’s Seq 25 + 1 (packet #8)', ok: true }])
    expect(step(9).checks.map((c) => c.ok)).toEqual([true, true])
    expect(step(10).title).toBe('Teardown — the last ACK')
    expect(step(10).checks[0]).toEqual({ text: 'Ack 28 = the FIN’s Seq 27 + 1 (packet #10)', ok: true })
  })

  it('a reset and a retransmission are explained as such', () => {
    const again = ladderFromPackets([
      ...greeting().slice(0, 4),
      pkt('server', ['PSH', 'ACK'], { phase: 'retransmission', retransmits: 4, seq: 1, ack: 1 }, GREETING),
      pkt('client', ['RST', 'ACK'], { phase: 'reset', seq: 1, ack: 25 }),
    ])
    expect(stepAt(again, 4).title).toBe('Retransmission of #4')
    expect(stepAt(again, 4).checks).toEqual([{ text: 'Same Seq as packet #4 (1): the same bytes again', ok: true }])
    expect(stepAt(again, 5).title).toBe('Reset — RST from the client')
  })

  it('drawn from socket events, the numbers are left to a capture and the length is checked from the message', () => {
    const events = ladderFromSocketEvents(socketTrace(SERVER_CONN, TRAFFIC))
    const known = knownMessages(events, [], TRAFFIC)
    expect(stepAt(events, 1, known).checks[0].ok).toBeUndefined()
    expect(stepAt(events, 1, known).checks[0].text).toContain('the numbers need a packet capture')
    expect(stepAt(events, 3, known).checks[0].ok).toBe(true)
    expect(stepAt(events, 3, known).explanation).toContain('one arrow per message')
  })
})

describe('a long connection on screen', () => {
  it('draws its first arrows with their calls and brackets, and says how many are left out', () => {
    const l = ladderFromPackets(greeting())
    expect(firstArrows(l, 20)).toEqual({ ladder: l, omitted: 0 })
    const cut = firstArrows(l, 9)
    expect(cut.omitted).toBe(2)
    expect(cut.ladder.arrows).toHaveLength(9)
    expect(cut.ladder.calls.every((c) => c.arrow < 9)).toBe(true)
    expect(cut.ladder.brackets.map((b) => [b.kind, b.first, b.last])).toEqual([
      ['handshake', 0, 2],
      ['teardown', 7, 8],
    ])
    expect(firstArrows(l, 3).ladder.brackets.map((b) => b.kind)).toEqual(['handshake'])
  })
})
