// The Capture view's derivations (connection colours, phases, each connection's story) and the
// shared Wireshark filters the renderer shows (the same implementation as the engine's).

import { describe, expect, it } from 'vitest'
import type { CapturedPacket } from '@shared/contract'
import { parseEndpoint as splitEndpoint, isLoopbackAddress } from '@shared/endpoint'
import { connectionDisplayFilter, filterAddress } from '@shared/filters'
import { neighbourOf } from '@renderer/components/WiresharkFilters'
import type { TcpFlag } from '@shared/contract'
import { packetNote, phaseDetail } from '@shared/ladder-words'
import { base64ToBytes, connectionStories, packetRows, sideOf } from '@renderer/packets'

let no = 0
/** A packet as the engine sends it: facts only (its phase, step, sender), no notes to parse. */
function pkt(
  stream: number,
  from: 'client' | 'server',
  c: number,
  flags: TcpFlag[],
  facts: Partial<CapturedPacket>,
  payload = '',
): CapturedPacket {
  const client = { address: '127.0.0.1', port: c }
  const server = { address: '127.0.0.1', port: 12345 }
  return {
    no: ++no,
    t: 1000 + no,
    src: from === 'client' ? client : server,
    dst: from === 'client' ? server : client,
    stream,
    flags,
    seq: 0,
    ack: 0,
    rawSeq: 0,
    rawAck: 0,
    len: payload.length,
    payload,
    phase: 'ack',
    from,
    ...facts,
  }
}

/** One greeting exchange between client port `c` and server port 12345, as the engine describes it. */
function greeting(stream: number, c: number): CapturedPacket[] {
  return [
    pkt(stream, 'client', c, ['SYN'], { phase: 'handshake', step: 1 }),
    pkt(stream, 'server', c, ['SYN', 'ACK'], { phase: 'handshake', step: 2 }),
    pkt(stream, 'client', c, ['ACK'], { phase: 'handshake', step: 3 }),
    pkt(stream, 'server', c, ['PSH', 'ACK'], { phase: 'data' }, 'Thank you for connecting'),
    pkt(stream, 'client', c, ['ACK'], { phase: 'ack' }),
    pkt(stream, 'client', c, ['PSH', 'ACK'], { phase: 'data' }, 'It was nice talking to you'),
    pkt(stream, 'server', c, ['ACK'], { phase: 'ack' }),
    pkt(stream, 'client', c, ['FIN', 'ACK'], { phase: 'teardown', teardown: 'fin' }),
    pkt(stream, 'server', c, ['FIN', 'ACK'], { phase: 'teardown', teardown: 'fin' }),
    pkt(stream, 'client', c, ['ACK'], { phase: 'teardown', teardown: 'last-ack' }),
  ]
}

describe('the packet list, explained', () => {
  it('notes are composed from the facts', () => {
    const [syn, synAck, , data, , , , fin, , last] = greeting(9, 40009)
    expect(packetNote(syn)).toBe('handshake 1/3 (SYN)')
    expect(phaseDetail(synAck)).toBe('2/3 (SYN/ACK)')
    expect(packetNote(data)).toBe('data')
    expect(packetNote(fin)).toBe('teardown (FIN from client)')
    expect(packetNote(last)).toBe('teardown (last ACK)')
    expect(packetNote({ ...data, teardown: 'fin', from: 'server' })).toBe('data + teardown (FIN from server)')
    expect(packetNote({ ...data, phase: 'retransmission', retransmits: 4 })).toBe('retransmission of #4')
  })

  it('groups packets by connection, with a colour each, and tells each connection’s story', () => {
    const a = greeting(0, 40001)
    const b = greeting(1, 40002)
    // Two connections interleaved.
    const rows = packetRows([...a.slice(0, 3), ...b.slice(0, 3), ...a.slice(3), ...b.slice(3)])
    expect(new Set(rows.map((r) => r.colour))).toEqual(new Set([0, 1]))
    expect(rows.filter((r) => r.colour === 0).every((r) => r.p.src.port === 40001 || r.p.dst.port === 40001)).toBe(true)
    const stories = connectionStories(rows)
    expect(stories).toHaveLength(2)
    const [first] = stories
    expect(first).toMatchObject({ client: '127.0.0.1:40001', server: '127.0.0.1:12345', complete: true })
    expect(first.handshake.map((p) => p.flags.join('/'))).toEqual(['SYN', 'SYN/ACK', 'ACK'])
    expect(first.data.map((p) => [sideOf(p), p.payload])).toEqual([
      ['server', 'Thank you for connecting'],
      ['client', 'It was nice talking to you'],
    ])
    expect(first.teardown.map((p) => p.flags.join('/'))).toEqual(['FIN/ACK', 'FIN/ACK', 'ACK'])
    // A connection whose SYN the capture missed: the engine still says who sent what.
    const late = connectionStories(packetRows(greeting(2, 40003).slice(3)))[0]
    expect(late.complete).toBe(false)
    expect(sideOf(late.data[0])).toBe('server')
  })

  it('decodes the saved capture for a download', () => {
    expect([...base64ToBytes(btoa('\n\r\r\n\xff'))]).toEqual([10, 13, 13, 10, 255])
  })
})

describe('shared Wireshark filters', () => {
  it('one connection: both ports, and the neighbour’s address when it is not this machine', () => {
    expect(connectionDisplayFilter(12345, 40001)).toBe('tcp.port == 12345 && tcp.port == 40001')
    expect(connectionDisplayFilter(12345, 40001, '192.168.1.20')).toBe(
      'ip.addr == 192.168.1.20 && tcp.port == 12345 && tcp.port == 40001',
    )
    expect(() => connectionDisplayFilter(12345, 0)).toThrow(/1 to 65535/)
  })

  it('addresses without Node: the same answers as net.isIP, loopback, endpoints', () => {
    expect(filterAddress('::ffff:10.0.0.5')).toEqual({ address: '10.0.0.5', family: 4 })
    expect(filterAddress('[FE80::1%eth0]')).toEqual({ address: 'fe80::1', family: 6 })
    expect(() => filterAddress('1.2.3.256')).toThrow(/not an IP address/)
    expect(() => filterAddress('1::2::3')).toThrow(/not an IP address/)
    expect(isLoopbackAddress('127.0.0.1')).toBe(true)
    expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true)
    expect(isLoopbackAddress('::1')).toBe(true)
    expect(isLoopbackAddress('192.168.1.20')).toBe(false)
    expect(splitEndpoint('[::1]:5555')).toEqual({ address: '::1', port: 5555 })
    expect(splitEndpoint('127.0.0.1:12345')).toEqual({ address: '127.0.0.1', port: 12345 })
    expect(splitEndpoint('')).toBeNull()
    expect(neighbourOf('127.0.0.1')).toBeUndefined()
    expect(neighbourOf('my-laptop')).toBeUndefined()
    expect(neighbourOf('10.0.0.7')).toBe('10.0.0.7')
  })
})
