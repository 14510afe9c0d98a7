// What each captured packet is, from the facts: its flags, its payload as text, its place in its
// connection's life (tracker), the Traffic messages it carried (matcher), and the words composed for
// display only (@shared/ladder-words).

import { describe, expect, it } from 'vitest'
import { parseEndpoint as endpointOf } from '@shared/endpoint'
import type { Endpoint } from '@shared/contract'
import { packetNote, visibleText } from '@shared/ladder-words'
import { packetLine } from '../../src/cli/capture'
import { hexToBytes, type RawPacket } from '../../src/main/capture/fields'
import { MessageMatcher, type MatchResult, type MessageSource } from '../../src/main/capture/matcher'
import { flagNames, payloadText, toCapturedPacket } from '../../src/main/capture/packet'
import { ConnectionTracker } from '../../src/main/capture/tracker'

const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'))

describe('TCP flags by name', () => {
  it.each([
    [0x0002, 'SYN'],
    [0x0012, 'SYN/ACK'],
    [0x0010, 'ACK'],
    [0x0018, 'PSH/ACK'],
    [0x0011, 'FIN/ACK'],
    [0x0019, 'FIN/PSH/ACK'],
    [0x0004, 'RST'],
    [0x0014, 'RST/ACK'],
    [0x00c2, 'SYN/ECE/CWR'],
    [0x0030, 'ACK/URG'],
  ])('%s → %s', (bits, words) => {
    expect(flagNames(bits).join('/')).toBe(words)
  })

  it('no flag at all', () => {
    expect(flagNames(0)).toEqual([])
  })
})

describe('payload bytes as text', () => {
  it('hex in any of tshark’s spellings', () => {
    expect(Buffer.from(hexToBytes('5468616e6b')).toString()).toBe('Thank')
    expect(Buffer.from(hexToBytes('54:68:61:6e:6b')).toString()).toBe('Thank')
    expect(Buffer.from(hexToBytes('54 68 61')).toString()).toBe('Tha')
    expect(hexToBytes('')).toHaveLength(0)
    expect(hexToBytes('41zz42')).toEqual(new Uint8Array([0x41]))
  })

  it('printable text as is, control bytes escaped', () => {
    expect(payloadText(bytes('Thank you for connecting'))).toBe('Thank you for connecting')
    expect(payloadText(bytes('3 7\n'))).toBe('3 7\\n')
    expect(payloadText(bytes('a\r\n\tb'))).toBe('a\\r\\n\\tb')
    expect(payloadText(new Uint8Array([0x80, 0x04, 0x95, 0x00]))).toBe('\\x80\\x04\\x95\\x00')
    expect(payloadText(bytes('C:\\x'))).toBe('C:\\\\x')
  })

  it('valid UTF-8 letters stay letters; broken or invisible sequences show as bytes', () => {
    expect(payloadText(bytes('café ✓'))).toBe('café ✓')
    expect(payloadText(new Uint8Array([0x63, 0xc3]))).toBe('c\\xc3') // cut in the middle of é
    expect(payloadText(new Uint8Array([0xff, 0xfe]))).toBe('\\xff\\xfe')
    expect(payloadText(new Uint8Array([0xc0, 0xaf]))).toBe('\\xc0\\xaf') // overlong
    expect(payloadText(bytes('a\u200bb'))).toBe('a\\xe2\\x80\\x8bb') // zero-width space
  })

  it('long payloads are bounded (the packet says it was cut)', () => {
    expect(payloadText(bytes('x'.repeat(10)), 4)).toBe('xxxx')
  })

  it('peer text made visible for a terminal or a page: controls escaped, letters kept', () => {
    expect(visibleText('ok')).toBe('ok')
    expect(visibleText('a\x1b[2Jb')).toBe('a\\x1b[2Jb')
    expect(visibleText('l1\nl2\r\t\u0000\u007f\u0085')).toBe('l1\\nl2\\r\\t\\x00\\x7f\\x85')
    expect(visibleText('café ✓ 😀')).toBe('café ✓ 😀')
    expect(visibleText('\ud800x\udc00\uffff')).toBe('\\u{d800}x\\u{dc00}\\u{ffff}')
  })
})

// ---- a connection's life ----

const C = '127.0.0.1'
let no = 0
function pkt(
  from: 'c' | 's',
  flags: number,
  len = 0,
  payload = '',
  ports: [number, number] = [44310, 12345],
  addr = [C, C],
  rawSeq = 1000 * (no + 1),
): RawPacket {
  const [cp, sp] = ports
  const data = bytes(payload)
  return {
    no: ++no,
    t: 1_700_000_000_000 + no,
    src: from === 'c' ? addr[0] : addr[1],
    dst: from === 'c' ? addr[1] : addr[0],
    srcPort: from === 'c' ? cp : sp,
    dstPort: from === 'c' ? sp : cp,
    stream: -1,
    flags,
    seq: 0,
    ack: 0,
    rawSeq,
    rawAck: 0,
    len: len || data.length,
    payload: data,
    retransmission: false,
  }
}

/** The tracker's facts, in the words the terminal prints. */
function note(t: ConnectionTracker, p: RawPacket): string {
  return packetNote(toCapturedPacket(p, t.life(p)))
}

describe('where each packet is in the life of its connection', () => {
  it('the greeting exchange as tshark captured it', () => {
    const t = new ConnectionTracker(12345)
    const notes = [
      pkt('c', 0x02),
      pkt('s', 0x12),
      pkt('c', 0x10),
      pkt('s', 0x18, 0, 'Thank you for connecting'),
      pkt('c', 0x10),
      pkt('c', 0x18, 0, 'It was nice talking to you'),
      pkt('s', 0x10),
      pkt('s', 0x11),
      pkt('c', 0x10),
      pkt('c', 0x11),
      pkt('s', 0x10),
    ].map((p) => note(t, p))
    expect(notes).toEqual([
      'handshake 1/3 (SYN)',
      'handshake 2/3 (SYN/ACK)',
      'handshake 3/3 (ACK)',
      'data',
      'ack',
      'data',
      'ack',
      'teardown (FIN from server)',
      'teardown (ACK of FIN)',
      'teardown (FIN from client)',
      'teardown (last ACK)',
    ])
  })

  it('three-packet close, data with FIN, reset', () => {
    const t = new ConnectionTracker(12345)
    note(t, pkt('c', 0x02))
    note(t, pkt('s', 0x12))
    note(t, pkt('c', 0x10))
    expect(note(t, pkt('c', 0x19, 0, 'q'))).toBe('data + teardown (FIN from client)')
    expect(note(t, pkt('s', 0x11))).toBe('teardown (FIN from server)')
    expect(note(t, pkt('c', 0x10))).toBe('teardown (last ACK)')
    expect(note(t, pkt('c', 0x14))).toBe('reset')
    expect(note(t, pkt('s', 0x04))).toBe('reset')
  })

  it('the third handshake packet may carry data; a new SYN starts over, the same SYN again is a retransmission', () => {
    const t = new ConnectionTracker(12345)
    note(t, pkt('c', 0x02))
    note(t, pkt('s', 0x12))
    expect(note(t, pkt('c', 0x18, 0, 'hi'))).toBe('data')
    expect(note(t, pkt('c', 0x02))).toBe('handshake 1/3 (SYN)')
    expect(note(t, pkt('s', 0x12))).toBe('handshake 2/3 (SYN/ACK)')
    expect(note(t, pkt('c', 0x10))).toBe('handshake 3/3 (ACK)')
    const again = new ConnectionTracker(12345)
    expect(note(again, pkt('c', 0x02, 0, '', undefined, undefined, 777))).toBe('handshake 1/3 (SYN)')
    expect(note(again, pkt('c', 0x02, 0, '', undefined, undefined, 777))).toBe('retransmission')
    expect(note(again, pkt('s', 0x12))).toBe('handshake 2/3 (SYN/ACK)')
    expect(note(again, pkt('s', 0x12))).toBe('retransmission')
    expect(note(again, pkt('c', 0x10))).toBe('handshake 3/3 (ACK)')
  })

  it('tshark’s own analysis names a retransmission; a retransmitted FIN is still part of the teardown', () => {
    const t = new ConnectionTracker(12345)
    for (const f of [0x02, 0x12]) note(t, pkt(f === 0x02 ? 'c' : 's', f))
    note(t, pkt('c', 0x10))
    const data = pkt('c', 0x18, 0, 'hello')
    expect(t.life(data)).toEqual({ phase: 'data', from: 'client' })
    const resent = { ...pkt('c', 0x18, 0, 'hello'), retransmission: true, rtoFrame: data.no }
    expect(t.life(resent)).toEqual({ phase: 'retransmission', from: 'client' })
    expect(toCapturedPacket(resent, t.life(resent))).toMatchObject({ phase: 'retransmission', retransmits: data.no })
    expect(note(t, resent)).toBe(`retransmission of #${data.no}`)
    const fin = { ...pkt('s', 0x11), retransmission: true }
    expect(t.life(fin)).toEqual({ phase: 'retransmission', from: 'server', teardown: 'fin' })
  })

  it('a capture started mid-connection tells client from server by the exercise port', () => {
    const t = new ConnectionTracker(12345)
    expect(note(t, pkt('s', 0x18, 0, 'ack'))).toBe('data')
    expect(note(t, pkt('c', 0x10))).toBe('ack')
    expect(note(t, pkt('s', 0x11))).toBe('teardown (FIN from server)')
    const unknown = new ConnectionTracker()
    expect(note(unknown, pkt('s', 0x11))).toBe('teardown (FIN from one side)')
    expect(unknown.life(pkt('s', 0x11)).from).toBeUndefined()
  })

  it('a SYN/ACK without its SYN still names the client, connections are kept apart, IPv6 works', () => {
    const t = new ConnectionTracker(12345)
    expect(note(t, pkt('s', 0x12, 0, '', [5000, 12345]))).toBe('handshake 2/3 (SYN/ACK)')
    expect(note(t, pkt('c', 0x02, 0, '', [5001, 12345]))).toBe('handshake 1/3 (SYN)')
    expect(note(t, pkt('c', 0x10, 0, '', [5000, 12345]))).toBe('handshake 3/3 (ACK)')
    expect(note(t, pkt('s', 0x12, 0, '', [5001, 12345]))).toBe('handshake 2/3 (SYN/ACK)')
    expect(note(t, pkt('c', 0x11, 0, '', [5000, 12345]))).toBe('teardown (FIN from client)')
    const v6 = new ConnectionTracker(12345)
    const six = ['::1', '::1']
    expect(note(v6, pkt('c', 0x02, 0, '', [6000, 12345], six))).toBe('handshake 1/3 (SYN)')
    expect(note(v6, pkt('s', 0x12, 0, '', [6000, 12345], six))).toBe('handshake 2/3 (SYN/ACK)')
    expect(note(v6, pkt('c', 0x10, 0, '', [6000, 12345], six))).toBe('handshake 3/3 (ACK)')
  })
})

// ---- matching payloads to Traffic messages ----

class FakeRecorder implements MessageSource {
  msgs: { seq: number; t: number; connId: string; dir: 'in' | 'out'; data: Uint8Array }[] = []
  conns = new Map<string, { local: Endpoint | null; remote: Endpoint }>()
  private seq = 0
  /** Endpoints as text (`127.0.0.1:5555`, `[::1]:5555`; '' = not connected yet), as a test reads best. */
  conn(connId: string, local: string, remote: string): this {
    this.conns.set(connId, { local: endpointOf(local), remote: endpointOf(remote)! })
    return this
  }
  message(connId: string, dir: 'in' | 'out', text: string | Uint8Array): number {
    const data = typeof text === 'string' ? bytes(text) : text
    this.msgs.push({ seq: ++this.seq, t: Date.now(), connId, dir, data })
    return this.seq
  }
  recentMessages() {
    return this.msgs
  }
  connection(connId: string) {
    return this.conns.get(connId)
  }
  allConnections() {
    return [...this.conns].map(([connId, c]) => ({ connId, ...c }))
  }
}

/** Both ends are SocketLab's: server conn s1 on 12345, client conn c1 from 40000. */
function loopbackPair(): FakeRecorder {
  return new FakeRecorder().conn('s1', '127.0.0.1:12345', '127.0.0.1:40000').conn('c1', '127.0.0.1:40000', '127.0.0.1:12345')
}

const fromServer = (payload: string | Uint8Array, ports: [number, number] = [40000, 12345]) => ({
  src: C,
  dst: C,
  srcPort: ports[1],
  dstPort: ports[0],
  payload: typeof payload === 'string' ? bytes(payload) : payload,
})
const fromClient = (payload: string | Uint8Array, ports: [number, number] = [40000, 12345], addr = [C, C]) => ({
  src: addr[0],
  dst: addr[1],
  srcPort: ports[0],
  dstPort: ports[1],
  payload: typeof payload === 'string' ? bytes(payload) : payload,
})

/** The seqs of the messages a payload carried, or the matcher's other answers as they are. */
function seqs(r: MatchResult): number[] | { wait: true } | null {
  return r && 'msgs' in r ? r.msgs.map((m) => m.seq) : r
}

describe('which Traffic messages each payload carried', () => {
  it('one message, one segment: the sender’s message', () => {
    const r = loopbackPair()
    const out = r.message('s1', 'out', 'Thank you for connecting')
    r.message('c1', 'in', 'Thank you for connecting')
    const back = r.message('c1', 'out', 'It was nice talking to you')
    r.message('s1', 'in', 'It was nice talking to you')
    const m = new MessageMatcher(r, { port: 12345 })
    m.refresh()
    expect(seqs(m.match(fromServer('Thank you for connecting')))).toEqual([out])
    expect(seqs(m.match(fromClient('It was nice talking to you')))).toEqual([back])
  })

  it('the same text twice goes to the two messages in order; a retransmission to the same one', () => {
    const r = loopbackPair()
    const first = r.message('c1', 'out', '3 7')
    const second = r.message('c1', 'out', '3 7')
    const m = new MessageMatcher(r, { port: 12345 })
    m.refresh()
    expect(seqs(m.match(fromClient('3 7')))).toEqual([first])
    expect(seqs(m.match(fromClient('3 7')))).toEqual([second])
    // Sent again by TCP: no new message, still the last one with those bytes.
    expect(seqs(m.match(fromClient('3 7')))).toEqual([second])
  })

  it('several messages glued in one segment: all of them, and the next segment continues after them', () => {
    const r = loopbackPair()
    const name = r.message('c1', 'out', 'alice-1')
    const pair = r.message('c1', 'out', '3 7')
    const third = r.message('c1', 'out', '2 5')
    const m = new MessageMatcher(r, { port: 12345 })
    m.refresh()
    expect(seqs(m.match(fromClient('alice-13 7')))).toEqual([name, pair])
    expect(seqs(m.match(fromClient('2 5')))).toEqual([third])
  })

  it('one long message over several segments: each segment is that message', () => {
    const r = loopbackPair()
    const long = 'x'.repeat(3000) + 'y'.repeat(3000)
    const seq = r.message('s1', 'out', long)
    const next = r.message('s1', 'out', 'end')
    const m = new MessageMatcher(r, { port: 12345 })
    m.refresh()
    expect(seqs(m.match(fromServer(long.slice(0, 1448))))).toEqual([seq])
    expect(seqs(m.match(fromServer(long.slice(1448, 4000))))).toEqual([seq])
    // The last piece and the next message share a segment.
    expect(seqs(m.match(fromServer(long.slice(4000) + 'end')))).toEqual([seq, next])
    expect(seqs(m.match(fromServer('end')))).toEqual([next]) // a retransmission
  })

  it('a neighbour’s program on the other end: matched with what we received, end markers and all', () => {
    // Only the server is ours; the classmate's client sent "alice\n" and "3 7\n", framed as "alice" and "3 7".
    const r = new FakeRecorder().conn('s1', '192.168.1.10:12345', '192.168.1.20:51000')
    const name = r.message('s1', 'in', 'alice')
    const ack = r.message('s1', 'out', 'ack')
    const m = new MessageMatcher(r, { port: 12345 })
    m.refresh()
    const addr = ['192.168.1.20', '192.168.1.10']
    expect(seqs(m.match(fromClient('alice\n', [51000, 12345], addr)))).toEqual([name])
    expect(seqs(m.match({ src: addr[1], dst: addr[0], srcPort: 12345, dstPort: 51000, payload: bytes('ack') }))).toEqual([ack])
    // Received but not recorded yet (framing waits for the end of the message): wait for it.
    expect(seqs(m.match(fromClient('3 7\n', [51000, 12345], addr)))).toEqual({ wait: true })
    const pair = r.message('s1', 'in', '3 7')
    m.refresh()
    expect(seqs(m.match(fromClient('3 7\n', [51000, 12345], addr)))).toEqual([pair])
  })

  it('a client that connected by host name is found by its ports', () => {
    const r = new FakeRecorder().conn('c1', '127.0.0.1:40000', 'localhost:12345')
    const hello = r.message('c1', 'out', 'hello')
    const m = new MessageMatcher(r, { port: 12345 })
    m.refresh()
    expect(seqs(m.match(fromClient('hello')))).toEqual([hello])
  })

  it('IPv6 endpoints', () => {
    const r = new FakeRecorder().conn('s1', '[::1]:12345', '[::1]:40000')
    const hi = r.message('s1', 'out', 'hi')
    const m = new MessageMatcher(r, { port: 12345 })
    m.refresh()
    expect(seqs(m.match({ src: '::1', dst: '::1', srcPort: 12345, dstPort: 40000, payload: bytes('hi') }))).toEqual([hi])
  })

  it('nothing fits: other ports, other bytes, older messages, empty payloads', () => {
    const r = loopbackPair().conn('o1', '127.0.0.1:8080', '127.0.0.1:40001')
    const old = r.message('s1', 'out', 'before the capture')
    r.message('o1', 'out', 'other port')
    const m = new MessageMatcher(r, { port: 12345, afterSeq: old })
    m.refresh()
    // Recorded before the capture started: not a candidate (nothing of that connection is known yet).
    expect(m.match(fromServer('before the capture'))).toBeNull()
    r.message('s1', 'out', 'Thank you for connecting')
    m.refresh()
    expect(m.match(fromServer('something else entirely'))).toBeNull()
    expect(m.match({ src: C, dst: C, srcPort: 8080, dstPort: 40001, payload: bytes('other port') })).toBeNull()
    expect(m.match(fromServer(''))).toBeNull()
    expect(m.match(fromClient('hi', [40002, 12345]))).toBeNull() // nobody of ours on that connection
  })

  it('the SocketLab connections at both ends, also before either has sent anything', () => {
    const r = loopbackPair().conn('o1', '127.0.0.1:8080', '127.0.0.1:40001')
    const m = new MessageMatcher(r, { port: 12345 })
    m.refresh()
    expect(m.connectionsOf({ src: C, dst: C, srcPort: 40000, dstPort: 12345 })).toEqual(['c1', 's1'])
    expect(m.connectionsOf({ src: C, dst: C, srcPort: 12345, dstPort: 40000 })).toEqual(['s1', 'c1'])
    expect(m.connectionsOf({ src: C, dst: C, srcPort: 40009, dstPort: 12345 })).toEqual([])
  })

  it('refresh takes in only new messages, and connections that connected later', () => {
    const r = new FakeRecorder().conn('c1', '', '127.0.0.1:12345')
    const m = new MessageMatcher(r, { port: 12345 })
    m.refresh()
    r.conn('c1', '127.0.0.1:40000', '127.0.0.1:12345')
    const a = r.message('c1', 'out', 'a')
    m.refresh()
    m.refresh()
    expect(seqs(m.match(fromClient('a')))).toEqual([a])
  })
})

describe('one packet, explained', () => {
  it('CapturedPacket carries facts, and the terminal line composes its words', () => {
    const raw: RawPacket = {
      no: 4,
      t: 1_700_000_000_250,
      src: '::ffff:127.0.0.1',
      dst: '127.0.0.1',
      srcPort: 12345,
      dstPort: 40000,
      stream: 0,
      flags: 0x18,
      seq: 1,
      ack: 1,
      rawSeq: 3_000_000_001,
      rawAck: 17,
      len: 24,
      payload: bytes('Thank you for connecting'),
      retransmission: false,
    }
    const message = { seq: 7, data: bytes('Thank you for connecting'), size: 24 }
    const p = toCapturedPacket(raw, { phase: 'data', from: 'server' }, { matched: { msgs: [message] }, connIds: ['s1', 'c1'] })
    expect(p).toEqual({
      no: 4,
      t: 1_700_000_000_250,
      src: { address: '::ffff:127.0.0.1', port: 12345 },
      dst: { address: '127.0.0.1', port: 40000 },
      stream: 0,
      flags: ['PSH', 'ACK'],
      seq: 1,
      ack: 1,
      rawSeq: 3_000_000_001,
      rawAck: 17,
      len: 24,
      payload: 'Thank you for connecting',
      phase: 'data',
      from: 'server',
      messages: [{ seq: 7, text: 'Thank you for connecting', size: 24 }],
      connIds: ['s1', 'c1'],
    })
    expect(
      toCapturedPacket({ ...raw, payload: new Uint8Array(), len: 0, flags: 0x10 }, { phase: 'ack' }).messages,
    ).toBeUndefined()
    const line = packetLine(p, 1_700_000_000_000)
    expect(line).toMatch(
      /^\s+4\s+0\.250000\s+127\.0\.0\.1:12345 → 127\.0\.0\.1:40000\s+PSH\/ACK\s+seq=1 ack=1 len=24\s+data\s+"Thank you for connecting"$/,
    )
    // A peer's escape sequence is printed visible, never obeyed.
    const evil = toCapturedPacket({ ...raw, payload: bytes('\x1b[2J'), len: 4 }, { phase: 'data' })
    expect(packetLine(evil, raw.t)).toContain('"\\x1b[2J"')
    expect(packetLine(evil, raw.t)).not.toContain('\x1b')
  })
})
