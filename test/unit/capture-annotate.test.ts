import { describe, expect, it } from 'vitest'
import { parseEndpoint as endpointOf } from '@shared/endpoint'
import type { Endpoint } from '@shared/contract'
import {
  ConnectionTracker,
  MessageMatcher,
  flagsInWords,
  hexToBytes,
  packetLine,
  parseEndpoint,
  payloadText,
  toCapturedPacket,
  type MessageSource,
  type RawPacket,
} from '../../src/main/capture/annotate'

const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'))

describe('TCP flags in words', () => {
  it.each([
    ['0x0002', 'SYN'],
    ['0x0012', 'SYN/ACK'],
    ['0x0010', 'ACK'],
    ['0x0018', 'PSH/ACK'],
    ['0x0011', 'FIN/ACK'],
    ['0x0019', 'FIN/PSH/ACK'],
    ['0x0004', 'RST'],
    ['0x0014', 'RST/ACK'],
    ['0x00c2', 'SYN/ECE/CWR'],
    ['0x0030', 'ACK/URG'],
    ['0x0000', 'none'],
  ])('%s → %s', (hex, words) => {
    expect(flagsInWords(hex)).toBe(words)
  })

  it('numbers and unreadable text', () => {
    expect(flagsInWords(0x12)).toBe('SYN/ACK')
    expect(flagsInWords('24')).toBe('PSH/ACK')
    expect(flagsInWords('')).toBe('?')
    expect(flagsInWords('0xzz')).toBe('?')
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

  it('long payloads are cut with an ellipsis', () => {
    expect(payloadText(bytes('x'.repeat(10)), 4)).toBe('xxxx…')
  })
})

describe('endpoints', () => {
  it('parses what the Connections view shows', () => {
    expect(parseEndpoint('127.0.0.1:5555')).toEqual({ address: '127.0.0.1', port: 5555 })
    expect(parseEndpoint('[::1]:5555')).toEqual({ address: '::1', port: 5555 })
    expect(parseEndpoint('[::ffff:10.0.0.5]:80')).toEqual({ address: '10.0.0.5', port: 80 })
    expect(parseEndpoint('localhost:12345')).toEqual({ address: 'localhost', port: 12345 })
    expect(parseEndpoint('')).toBeNull()
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
    flags,
    seq: 0,
    ack: 0,
    len: len || data.length,
    payload: data,
  }
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
    ].map((p) => t.note(p))
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
    t.note(pkt('c', 0x02))
    t.note(pkt('s', 0x12))
    t.note(pkt('c', 0x10))
    expect(t.note(pkt('c', 0x19, 0, 'q'))).toBe('data + teardown (FIN from client)')
    expect(t.note(pkt('s', 0x11))).toBe('teardown (FIN from server)')
    expect(t.note(pkt('c', 0x10))).toBe('teardown (last ACK)')
    expect(t.note(pkt('c', 0x14))).toBe('reset')
    expect(t.note(pkt('s', 0x04))).toBe('reset')
  })

  it('the third handshake packet may carry data; a retried SYN starts over', () => {
    const t = new ConnectionTracker(12345)
    t.note(pkt('c', 0x02))
    t.note(pkt('s', 0x12))
    expect(t.note(pkt('c', 0x18, 0, 'hi'))).toBe('data')
    expect(t.note(pkt('c', 0x02))).toBe('handshake 1/3 (SYN)')
    expect(t.note(pkt('s', 0x12))).toBe('handshake 2/3 (SYN/ACK)')
    expect(t.note(pkt('c', 0x10))).toBe('handshake 3/3 (ACK)')
  })

  it('a capture started mid-connection tells client from server by the exercise port', () => {
    const t = new ConnectionTracker(12345)
    expect(t.note(pkt('s', 0x18, 0, 'ack'))).toBe('data')
    expect(t.note(pkt('c', 0x10))).toBe('ack')
    expect(t.note(pkt('s', 0x11))).toBe('teardown (FIN from server)')
    const unknown = new ConnectionTracker()
    expect(unknown.note(pkt('s', 0x11))).toBe('teardown (FIN from 127.0.0.1:12345)')
  })

  it('a SYN/ACK without its SYN still names the client, connections are kept apart, IPv6 works', () => {
    const t = new ConnectionTracker(12345)
    expect(t.note(pkt('s', 0x12, 0, '', [5000, 12345]))).toBe('handshake 2/3 (SYN/ACK)')
    expect(t.note(pkt('c', 0x02, 0, '', [5001, 12345]))).toBe('handshake 1/3 (SYN)')
    expect(t.note(pkt('c', 0x10, 0, '', [5000, 12345]))).toBe('handshake 3/3 (ACK)')
    expect(t.note(pkt('s', 0x12, 0, '', [5001, 12345]))).toBe('handshake 2/3 (SYN/ACK)')
    expect(t.note(pkt('c', 0x11, 0, '', [5000, 12345]))).toBe('teardown (FIN from client)')
    const v6 = new ConnectionTracker(12345)
    const six = ['::1', '::1']
    expect(v6.note(pkt('c', 0x02, 0, '', [6000, 12345], six))).toBe('handshake 1/3 (SYN)')
    expect(v6.note(pkt('s', 0x12, 0, '', [6000, 12345], six))).toBe('handshake 2/3 (SYN/ACK)')
    expect(v6.note(pkt('c', 0x10, 0, '', [6000, 12345], six))).toBe('handshake 3/3 (ACK)')
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

describe('which Traffic message each payload carried', () => {
  it('one message, one segment: the sender’s message', () => {
    const r = loopbackPair()
    const out = r.message('s1', 'out', 'Thank you for connecting')
    r.message('c1', 'in', 'Thank you for connecting')
    const back = r.message('c1', 'out', 'It was nice talking to you')
    r.message('s1', 'in', 'It was nice talking to you')
    const m = new MessageMatcher(r, { port: 12345 })
    m.refresh()
    expect(m.match(fromServer('Thank you for connecting'))).toEqual({ seq: out })
    expect(m.match(fromClient('It was nice talking to you'))).toEqual({ seq: back })
  })

  it('the same text twice goes to the two messages in order; a retransmission to the same one', () => {
    const r = loopbackPair()
    const first = r.message('c1', 'out', '3 7')
    const second = r.message('c1', 'out', '3 7')
    const m = new MessageMatcher(r, { port: 12345 })
    m.refresh()
    expect(m.match(fromClient('3 7'))).toEqual({ seq: first })
    expect(m.match(fromClient('3 7'))).toEqual({ seq: second })
    // Sent again by TCP: no new message, still the last one with those bytes.
    expect(m.match(fromClient('3 7'))).toEqual({ seq: second })
  })

  it('several messages glued in one segment: the first one’s seq, and the next segment continues after them', () => {
    const r = loopbackPair()
    const name = r.message('c1', 'out', 'alice-1')
    r.message('c1', 'out', '3 7')
    const third = r.message('c1', 'out', '2 5')
    const m = new MessageMatcher(r, { port: 12345 })
    m.refresh()
    expect(m.match(fromClient('alice-13 7'))).toEqual({ seq: name })
    expect(m.match(fromClient('2 5'))).toEqual({ seq: third })
  })

  it('one long message over several segments: each segment is that message', () => {
    const r = loopbackPair()
    const long = 'x'.repeat(3000) + 'y'.repeat(3000)
    const seq = r.message('s1', 'out', long)
    const next = r.message('s1', 'out', 'end')
    const m = new MessageMatcher(r, { port: 12345 })
    m.refresh()
    expect(m.match(fromServer(long.slice(0, 1448)))).toEqual({ seq })
    expect(m.match(fromServer(long.slice(1448, 4000)))).toEqual({ seq })
    // The last piece and the next message share a segment.
    expect(m.match(fromServer(long.slice(4000) + 'end'))).toEqual({ seq })
    expect(m.match(fromServer('end'))).toEqual({ seq: next }) // a retransmission
  })

  it('a neighbour’s program on the other end: matched with what we received, end markers and all', () => {
    // Only the server is ours; the classmate's client sent "alice\n" and "3 7\n", framed as "alice" and "3 7".
    const r = new FakeRecorder().conn('s1', '192.168.1.10:12345', '192.168.1.20:51000')
    const name = r.message('s1', 'in', 'alice')
    const ack = r.message('s1', 'out', 'ack')
    const m = new MessageMatcher(r, { port: 12345 })
    m.refresh()
    const addr = ['192.168.1.20', '192.168.1.10']
    expect(m.match(fromClient('alice\n', [51000, 12345], addr))).toEqual({ seq: name })
    expect(m.match({ src: addr[1], dst: addr[0], srcPort: 12345, dstPort: 51000, payload: bytes('ack') })).toEqual({ seq: ack })
    // Received but not recorded yet (framing waits for the end of the message): wait for it.
    expect(m.match(fromClient('3 7\n', [51000, 12345], addr))).toEqual({ wait: true })
    const pair = r.message('s1', 'in', '3 7')
    m.refresh()
    expect(m.match(fromClient('3 7\n', [51000, 12345], addr))).toEqual({ seq: pair })
  })

  it('a client that connected by host name is found by its ports', () => {
    const r = new FakeRecorder().conn('c1', '127.0.0.1:40000', 'localhost:12345')
    const hello = r.message('c1', 'out', 'hello')
    const m = new MessageMatcher(r, { port: 12345 })
    m.refresh()
    expect(m.match(fromClient('hello'))).toEqual({ seq: hello })
  })

  it('IPv6 endpoints', () => {
    const r = new FakeRecorder().conn('s1', '[::1]:12345', '[::1]:40000')
    const hi = r.message('s1', 'out', 'hi')
    const m = new MessageMatcher(r, { port: 12345 })
    m.refresh()
    expect(m.match({ src: '::1', dst: '::1', srcPort: 12345, dstPort: 40000, payload: bytes('hi') })).toEqual({ seq: hi })
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

  it('refresh takes in only new messages, and connections that connected later', () => {
    const r = new FakeRecorder().conn('c1', '', '127.0.0.1:12345')
    const m = new MessageMatcher(r, { port: 12345 })
    m.refresh()
    r.conn('c1', '127.0.0.1:40000', '127.0.0.1:12345')
    const a = r.message('c1', 'out', 'a')
    m.refresh()
    m.refresh()
    expect(m.match(fromClient('a'))).toEqual({ seq: a })
  })
})

describe('one packet, explained', () => {
  it('CapturedPacket and the terminal line', () => {
    const raw: RawPacket = {
      no: 4,
      t: 1_700_000_000_250,
      src: '::ffff:127.0.0.1',
      dst: '127.0.0.1',
      srcPort: 12345,
      dstPort: 40000,
      flags: 0x18,
      seq: 1,
      ack: 1,
      len: 24,
      payload: bytes('Thank you for connecting'),
    }
    const p = toCapturedPacket(raw, 'data', 7)
    expect(p).toEqual({
      no: 4,
      t: 1_700_000_000_250,
      src: '127.0.0.1',
      dst: '127.0.0.1',
      srcPort: 12345,
      dstPort: 40000,
      flags: 'PSH/ACK',
      seq: 1,
      ack: 1,
      len: 24,
      payload: 'Thank you for connecting',
      note: 'data',
      messageSeq: 7,
    })
    expect(toCapturedPacket({ ...raw, payload: new Uint8Array(), len: 0, flags: 0x10 }, 'ack').messageSeq).toBeUndefined()
    const line = packetLine(p, 1_700_000_000_000)
    expect(line).toMatch(
      /^\s+4\s+0\.250000\s+127\.0\.0\.1:12345 → 127\.0\.0\.1:40000\s+PSH\/ACK\s+seq=1 ack=1 len=24\s+data\s+"Thank you for connecting"$/,
    )
  })
})
