// The ladder diagram model, its SVG and the answer sheet, from facts alone: packets as the engine
// describes them, and the app's own socket events when there is no capture. The SVG is read back by a
// strict XML parser (test/helpers/xml.ts), so "well-formed" and "the text is there" are checked as a
// viewer would see them.

import { describe, expect, it } from 'vitest'
import type { CapturedPacket, ConnectionInfo, TcpFlag, TrafficMessage } from '@shared/contract'
import { ladderFromPackets, ladderFromSocketEvents, laddersFromPackets, socketTrace, type Ladder } from '@shared/ladder'
import { answerSheet, transcriptText } from '@shared/ladder-sheet'
import { CLOSE_ORDER_NOTE, connectionHeading, ENDED_WITHOUT_NOTE, layoutLadder } from '@shared/ladder-layout'
import { ladderSvgDocument, wrapText, xmlText } from '@shared/ladder-svg'
import { capturedPacket, CLIENT, SERVER } from '../helpers/captured'
import { parseSvg } from '../helpers/xml'

let no = 0
function pkt(from: 'client' | 'server', flags: TcpFlag[], facts: Partial<CapturedPacket> = {}, payload = ''): CapturedPacket {
  return capturedPacket(++no, from, flags, facts, payload)
}

/** The greeting exchange as tshark captures it on the loopback (11 packets). */
function greeting(): CapturedPacket[] {
  no = 0
  return [
    pkt('client', ['SYN'], { phase: 'handshake', step: 1 }),
    pkt('server', ['SYN', 'ACK'], { phase: 'handshake', step: 2, ack: 1 }),
    pkt('client', ['ACK'], { phase: 'handshake', step: 3, seq: 1, ack: 1 }),
    pkt(
      'server',
      ['PSH', 'ACK'],
      { seq: 1, ack: 1, messages: [{ seq: 7, text: 'Thank you for connecting', size: 24 }] },
      'Thank you for connecting',
    ),
    pkt('client', ['ACK'], { seq: 1, ack: 25 }),
    pkt('client', ['PSH', 'ACK'], { seq: 1, ack: 25 }, 'It was nice talking to you'),
    pkt('server', ['ACK'], { seq: 25, ack: 27 }),
    pkt('server', ['FIN', 'ACK'], { phase: 'teardown', teardown: 'fin', seq: 25, ack: 27 }),
    pkt('client', ['ACK'], { phase: 'teardown', teardown: 'ack-of-fin', seq: 27, ack: 26 }),
    pkt('client', ['FIN', 'ACK'], { phase: 'teardown', teardown: 'fin', seq: 27, ack: 26 }),
    pkt('server', ['ACK'], { phase: 'teardown', teardown: 'last-ack', seq: 26, ack: 28 }),
  ]
}

describe('the ladder model from captured packets', () => {
  it('one arrow per packet, on the right lanes, with the texts and the socket calls', () => {
    const packets = greeting()
    const l = ladderFromPackets(packets)
    expect(l.source).toBe('capture')
    expect(l.client).toEqual(CLIENT)
    expect(l.server).toEqual(SERVER)
    expect(l.arrows.map((a) => [a.no, a.from, a.flags.join('/'), a.len])).toEqual(
      packets.map((p) => [p.no, p.from, p.flags.join('/'), p.len]),
    )
    expect(l.arrows[3]).toMatchObject({ text: 'Thank you for connecting', messages: [7], seq: 1, ack: 1 })
    expect(l.calls.map((c) => [c.lane, c.call, c.arrow, c.at, c.bytes])).toEqual([
      ['client', 'connect', 0, 'start', undefined],
      ['server', 'accept', 2, 'end', undefined],
      ['server', 'send', 3, 'start', 24],
      ['client', 'recv', 3, 'end', 24],
      ['client', 'send', 5, 'start', 26],
      ['server', 'recv', 5, 'end', 26],
      ['server', 'close', 7, 'start', undefined],
      ['client', 'recv', 7, 'end', 0],
      ['client', 'close', 9, 'start', undefined],
    ])
    expect(l.brackets).toEqual([
      { kind: 'handshake', first: 0, last: 2, complete: true },
      { kind: 'teardown', first: 7, last: 10, complete: true },
    ])
  })

  it('a reset is bracketed as such; an unfinished handshake and teardown say so', () => {
    no = 0
    const packets = [
      pkt('client', ['SYN'], { phase: 'handshake', step: 1 }),
      pkt('server', ['SYN', 'ACK'], { phase: 'handshake', step: 2 }),
      pkt('client', ['PSH', 'ACK'], {}, 'hi'),
      pkt('client', ['RST', 'ACK'], { phase: 'reset' }),
    ]
    const l = ladderFromPackets(packets)
    expect(l.brackets).toEqual([
      { kind: 'handshake', first: 0, last: 1, complete: false },
      { kind: 'reset', first: 3, last: 3, complete: true },
    ])
    // The client's first data acknowledges the SYN/ACK too: accept() returns there.
    expect(l.calls.find((c) => c.call === 'accept')).toMatchObject({ arrow: 2, at: 'end' })
  })

  it('a retransmission is an arrow of its own, with no second send()', () => {
    no = 0
    const packets = [
      pkt('client', ['SYN'], { phase: 'handshake', step: 1 }),
      pkt('server', ['SYN', 'ACK'], { phase: 'handshake', step: 2 }),
      pkt('client', ['ACK'], { phase: 'handshake', step: 3 }),
      pkt('client', ['PSH', 'ACK'], {}, '3 7'),
      pkt('client', ['PSH', 'ACK'], { phase: 'retransmission', retransmits: 4 }, '3 7'),
    ]
    const l = ladderFromPackets(packets)
    expect(l.arrows[4]).toMatchObject({ phase: 'retransmission', retransmits: 4, text: '3 7' })
    expect(l.calls.filter((c) => c.call === 'send')).toHaveLength(1)
  })

  it('several connections: one ladder each, in order, bounded', () => {
    const a = greeting()
    const b = greeting().map((p) => ({
      ...p,
      no: p.no + 100,
      stream: 1,
      src: { ...p.src, port: p.src.port === 40000 ? 40001 : p.src.port },
    }))
    const ladders = laddersFromPackets([...a.slice(0, 3), ...b, ...a.slice(3)])
    expect(ladders.map((l) => [l.stream, l.arrows.length])).toEqual([
      [0, 11],
      [1, 11],
    ])
    expect(laddersFromPackets([...a, ...b], { max: 1 })).toHaveLength(1)
  })

  it('without the SYN, the exercise port tells the lanes', () => {
    const late = greeting()
      .slice(3)
      .map(({ from: _from, ...p }) => p as CapturedPacket)
    const l = ladderFromPackets(late, 12345)
    expect(l.client).toEqual(CLIENT)
    expect(l.arrows[0].from).toBe('server')
  })
})

/** A client's closed connection, as the app recorded it. */
const conn: ConnectionInfo = {
  connId: 'c1',
  seq: 1,
  role: 'client',
  exercise: 'adder',
  ownerId: 'cli-1',
  local: CLIENT,
  remote: SERVER,
  state: 'closed',
  openedAt: 1000,
  closedAt: 2000,
  counters: { bytesIn: 0, bytesOut: 0, messagesIn: 0, messagesOut: 0 },
}

describe('the ladder from socket events (no capture)', () => {
  const msg = (seq: number, dir: 'in' | 'out', text: string): TrafficMessage => ({
    seq,
    t: 1000 + seq,
    connId: 'c1',
    dir,
    size: Buffer.byteLength(text),
    text,
    hex: '',
  })
  const messages = [msg(1, 'out', 'alice-4821'), msg(2, 'in', 'ack'), msg(3, 'out', '3 7'), msg(4, 'in', '10')]

  it('the calls and the messages in order, marked as drawn from socket events', () => {
    const l = ladderFromSocketEvents(
      socketTrace(conn, [...messages, { ...msg(5, 'out', 'x'), connId: 'other' }], { first: 'client' }),
    )
    expect(l.source).toBe('socket-events')
    expect(l.arrows.every((a) => a.inferred)).toBe(true)
    expect(l.arrows.map((a) => [a.from, a.flags.join('/'), a.text ?? ''])).toEqual([
      ['client', 'SYN', ''],
      ['server', 'SYN/ACK', ''],
      ['client', 'ACK', ''],
      ['client', 'PSH/ACK', 'alice-4821'],
      ['server', 'PSH/ACK', 'ack'],
      ['client', 'PSH/ACK', '3 7'],
      ['server', 'PSH/ACK', '10'],
      ['client', 'FIN/ACK', ''],
      ['server', 'FIN/ACK', ''],
    ])
    expect(l.calls.map((c) => `${c.lane} ${c.call}${c.bytes !== undefined ? ` ${c.bytes}` : ''}`)).toEqual([
      'client connect',
      'server accept',
      'client send 10',
      'server recv 10',
      'server send 3',
      'client recv 3',
      'client send 3',
      'server recv 3',
      'server send 2',
      'client recv 2',
      'client close',
      'server recv 0',
      'server close',
    ])
    expect(l.arrows.filter((a) => a.messages.length).map((a) => a.messages)).toEqual([[1], [2], [3], [4]])
    expect(l.brackets.map((b) => b.kind)).toEqual(['handshake', 'teardown'])
    expect(l.closeOrderUnknown).toBeUndefined()
  })

  it('the server’s side of the same connection draws the same lanes; an open connection has no teardown', () => {
    const server: ConnectionInfo = { ...conn, connId: 's1', role: 'server', local: SERVER, remote: CLIENT, closedAt: undefined }
    const l = ladderFromSocketEvents(socketTrace(server, [{ ...msg(9, 'in', 'alice-4821'), connId: 's1' }]))
    expect(l.client).toEqual(CLIENT)
    expect(l.server).toEqual(SERVER)
    expect(l.arrows.at(-1)).toMatchObject({ from: 'client', text: 'alice-4821' })
    expect(l.brackets.map((b) => b.kind)).toEqual(['handshake'])
    const reset = ladderFromSocketEvents(socketTrace(conn, messages, { reset: true }))
    expect(reset.arrows.at(-1)!.flags).toEqual(['RST', 'ACK'])
    expect(reset.brackets.at(-1)!.kind).toBe('reset')
    expect(ladderFromSocketEvents(socketTrace(conn, messages)).closeOrderUnknown).toBe(true)
  })
})

describe('who closed, from the connection’s closedBy and closeKind', () => {
  // The server's side of one adder exchange: "us" is the server lane, "peer" the client's.
  const server: ConnectionInfo = { ...conn, connId: 's1', role: 'server', local: SERVER, remote: CLIENT }
  const messages: TrafficMessage[] = [
    { seq: 1, t: 1001, connId: 's1', dir: 'in', size: 5, text: 'bob-1', hex: '' },
    { seq: 2, t: 1002, connId: 's1', dir: 'out', size: 3, text: 'ack', hex: '' },
  ]
  const ending = (l: Ladder): string[] =>
    l.arrows.filter((a) => a.phase === 'teardown' || a.phase === 'reset').map((a) => `${a.from} ${a.flags.join('/')}`)
  const closeCalls = (l: Ladder): string[] =>
    l.calls
      .filter((c) => c.call === 'close' || c.bytes === 0)
      .map((c) => `${c.lane} ${c.call}${c.bytes !== undefined ? ` ${c.bytes}` : ''}`)
  /** Where each ending arrow starts and ends on screen (and in the SVG, which draws the same layout). */
  const endingLines = (l: Ladder): { from: number; to: number }[] => {
    const layout = layoutLadder(l, connectionHeading(l, 0, 1))
    const svg = ladderSvgDocument([l])
    return layout.arrows
      .filter((r) => r.arrow.phase === 'teardown' || r.arrow.phase === 'reset')
      .map((r) => {
        expect(svg).toContain(`x1="${r.line.x1}" y1="${r.line.y1}" x2="${r.line.x2}" y2="${r.line.y2}"`)
        return { from: r.line.x1, to: r.line.x2 }
      })
  }
  const clientX = (l: Ladder): number => layoutLadder(l, '').heads.find((h) => h.name === 'Client')!.x
  const serverX = (l: Ladder): number => layoutLadder(l, '').heads.find((h) => h.name === 'Server')!.x

  it('the peer (the client) closed first: its FIN leaves the client lane, the server answers', () => {
    const l = ladderFromSocketEvents(socketTrace({ ...server, closedBy: 'peer', closeKind: 'fin' }, messages))
    expect(ending(l)).toEqual(['client FIN/ACK', 'server FIN/ACK'])
    expect(closeCalls(l)).toEqual(['client close', 'server recv 0', 'server close'])
    expect(endingLines(l)).toEqual([
      { from: clientX(l), to: serverX(l) },
      { from: serverX(l), to: clientX(l) },
    ])
    expect(l.closeOrderUnknown).toBeUndefined()
    expect(layoutLadder(l, '').notes.map((n) => n.text)).not.toContain(CLOSE_ORDER_NOTE)
  })

  it('we (the server) closed first: the FIN leaves the server lane and the client’s recv() returns b""', () => {
    const l = ladderFromSocketEvents(socketTrace({ ...server, closedBy: 'us', closeKind: 'fin' }, messages))
    expect(ending(l)).toEqual(['server FIN/ACK', 'client FIN/ACK'])
    expect(closeCalls(l)).toEqual(['server close', 'client recv 0', 'client close'])
    expect(endingLines(l)[0]).toEqual({ from: serverX(l), to: clientX(l) })
    // The client's side of the same connection: "us" is now the client lane.
    const mine = ladderFromSocketEvents(socketTrace({ ...conn, closedBy: 'us', closeKind: 'fin' }, []))
    expect(ending(mine)).toEqual(['client FIN/ACK', 'server FIN/ACK'])
  })

  it('a reset by the peer is one RST from its lane, bracketed as a reset, with no FIN', () => {
    const l = ladderFromSocketEvents(socketTrace({ ...server, closedBy: 'peer', closeKind: 'reset' }, messages))
    expect(ending(l)).toEqual(['client RST/ACK'])
    expect(l.brackets.map((b) => b.kind)).toEqual(['handshake', 'reset'])
    expect(closeCalls(l)).toEqual([])
    expect(endingLines(l)).toEqual([{ from: clientX(l), to: serverX(l) }])
    const texts = parseSvg(ladderSvgDocument([l])).texts
    expect(texts).toContain('RST/ACK  Len=0')
    expect(texts.some((t) => t.startsWith('Reset (RST): the connection was aborted'))).toBe(true)
  })

  it('a timeout draws no close at all, and says why', () => {
    const l = ladderFromSocketEvents(socketTrace({ ...server, closeKind: 'timeout' }, messages))
    expect(ending(l)).toEqual([])
    expect(l.endedWithout).toBe('timeout')
    expect(l.closeOrderUnknown).toBeUndefined()
    expect(parseSvg(ladderSvgDocument([l])).texts).toContain(ENDED_WITHOUT_NOTE.timeout)
  })
})

describe('the SVG', () => {
  const hostile = '<script>alert("x")</script> & \x1b[31m \u0000 \ud800'
  function withTexts(texts: string[]): Ladder {
    no = 0
    const packets = [
      pkt('client', ['SYN'], { phase: 'handshake', step: 1 }),
      pkt('server', ['SYN', 'ACK'], { phase: 'handshake', step: 2, ack: 1 }),
      pkt('client', ['ACK'], { phase: 'handshake', step: 3, seq: 1, ack: 1 }),
      ...texts.map((t, i) => pkt(i % 2 ? 'client' : 'server', ['PSH', 'ACK'], {}, t)),
      pkt('client', ['RST'], { phase: 'reset' }),
    ]
    return ladderFromPackets(packets)
  }

  it('is well-formed, with every flag and every text whole as real text, even hostile or long text', () => {
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ') + ' ' + 'x'.repeat(150)
    const svg = ladderSvgDocument([withTexts(['Thank you for connecting', hostile, long])], {
      title: 'TCP ladder diagram, port 12345',
      notes: ['Display filter: tcp.port == 12345'],
    })
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    expect(svg).not.toContain('<script>')
    const parsed = parseSvg(svg)
    expect(parsed.root).toBe('{http://www.w3.org/2000/svg}svg')
    const texts = parsed.texts
    expect(texts).toContain('Display filter: tcp.port == 12345')
    for (const label of [
      '#1  SYN  Seq=0 Ack=0 Len=0',
      '#2  SYN/ACK  Seq=0 Ack=1 Len=0',
      '#3  ACK  Seq=1 Ack=1 Len=0',
      '#7  RST  Seq=0 Ack=0 Len=0',
    ])
      expect(texts).toContain(label)
    expect(texts.filter((t) => t.includes('PSH/ACK'))).toHaveLength(3)
    // Each payload is all there: its wrapped lines joined give it back, quotes and all.
    const payloads = texts.filter((t) => t.startsWith('"'))
    expect(payloads[0]).toBe('"Thank you for connecting"')
    expect(payloads[1]).toBe('"<script>alert("x")</script> & \\x1b[31m \\x00 \\u{d800}"')
    expect(payloads[2].replaceAll('\n', '')).toBe(`"${long}"`)
    expect(payloads[2].split('\n').length).toBeGreaterThan(5)
    expect(Math.max(...payloads[2].split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(52)
    // The calls on their lanes and the brackets, named.
    for (const t of ['connect()', 'accept() returns', 'send() 24 bytes', 'recv() → 24 bytes']) expect(texts).toContain(t)
    expect(texts).toContain('Three-way handshake (packets 1–3)')
    expect(texts).toContain('Reset (RST): the connection was aborted (packet 7)')
  })

  it('drawn from socket events, it says so', () => {
    const l = ladderFromSocketEvents({
      client: CLIENT,
      server: SERVER,
      openedAt: 0,
      messages: [{ seq: 1, t: 1, from: 'server', text: 'hi', size: 2 }],
    })
    const texts = parseSvg(ladderSvgDocument([l])).texts
    expect(texts.some((t) => t.startsWith('Drawn from socket events'))).toBe(true)
    expect(texts).toContain('PSH/ACK  Len=2')
    expect(texts).toContain('"hi"')
  })

  it('wraps by characters, never cutting one, and escapes markup', () => {
    expect(wrapText('short')).toEqual(['short'])
    const emoji = '😀'.repeat(60)
    const lines = wrapText(emoji, 52)
    expect(lines.join('')).toBe(emoji)
    expect(lines.map((l) => [...l].length)).toEqual([52, 8])
    expect(xmlText(`a<b>&"'`)).toBe('a&lt;b&gt;&amp;&quot;&#39;')
    expect(xmlText('x'.repeat(100_000) + '\u0001').length).toBe(100_004)
  })
})

describe('the answer sheet and the transcript', () => {
  it('carries the filter, the handshake packets with their numbers, both texts, the teardown and the diagram', () => {
    const ladder = ladderFromPackets(greeting())
    const html = answerSheet({
      port: 12345,
      displayFilter: 'tcp.port == 12345',
      captureFilter: 'tcp port 12345',
      interface: 'lo',
      ladders: [ladder],
      madeAt: 1_700_000_100_000,
      packetCount: 11,
    })
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true)
    expect(html).toContain('<code class="filter" id="display-filter">tcp.port == 12345</code>')
    expect(html).toContain("default-src 'none'")
    expect(html).not.toMatch(/<script|src="http|href="http|@import/)
    expect(html).toMatch(/<td>1<\/td><td>0\.000000<\/td><td>client → server<\/td><td><b>SYN<\/b><\/td>/)
    expect(html).toMatch(/<td>2<\/td>.*<b>SYN\/ACK<\/b>.*Ack 1 = SYN Seq 0 \+ 1 ✓/)
    expect(html).toMatch(/<td>3<\/td>.*<b>ACK<\/b>.*Ack 1 = SYN\/ACK Seq 0 \+ 1 ✓/)
    expect(html).toContain('<code class="payload">Thank you for connecting</code>')
    expect(html).toContain('<code class="payload">It was nice talking to you</code>')
    expect(html).toMatch(/<td>8<\/td>.*<b>FIN\/ACK<\/b>.*FIN: the server’s close\(\)/)
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"')
    const transcript = transcriptText([ladder])
    expect(transcript).toContain('server → client    24 bytes  "Thank you for connecting"')
    expect(transcript).toContain('client → server    26 bytes  "It was nice talking to you"')
  })
})

describe('the screen and the file draw one layout', () => {
  it('every arrow, text, call and bracket of the layout is in the SVG, at the same place', () => {
    const l = ladderFromPackets(greeting())
    const layout = layoutLadder(l, connectionHeading(l, 0, 1))
    const svg = ladderSvgDocument([l])
    const texts = parseSvg(svg).texts
    expect(layout.arrows).toHaveLength(11)
    for (const r of layout.arrows) {
      expect(svg).toContain(`<text x="${r.label.x}" y="${r.label.y}" `)
      expect(svg).toContain(`x1="${r.line.x1}" y1="${r.line.y1}" x2="${r.line.x2}" y2="${r.line.y2}"`)
      expect(texts).toContain(r.label.text)
      for (const c of r.calls) expect(texts).toContain(c.text)
    }
    const payloads = layout.arrows.flatMap((r) => r.text.map((t) => t.text))
    expect(payloads).toEqual(['"Thank you for connecting"', '"It was nice talking to you"'])
    for (const p of payloads) expect(texts).toContain(p)
    for (const b of layout.brackets) expect(texts).toContain(b.label.text)
    expect(layout.brackets.map((b) => b.label.text)).toEqual(['Three-way handshake (packets 1–3)', 'Teardown (packets 8–11)'])
    expect(texts).toContain(layout.heading.text)
  })
})
