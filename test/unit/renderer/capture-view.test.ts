// The Capture view's derivations (connection colours, phases, each connection's story) and the
// shared Wireshark filters the renderer shows (the same implementation as the engine's).

import { describe, expect, it } from 'vitest'
import type { CapturedPacket } from '@shared/contract'
import { parseEndpoint as splitEndpoint, isLoopbackAddress } from '@shared/endpoint'
import { connectionDisplayFilter, filterAddress } from '@shared/filters'
import { hostPlatform, neighbourOf } from '@renderer/components/WiresharkFilters'
import { base64ToBytes, connectionStories, noteDetail, packetRows, phaseOf, sideOf } from '@renderer/packets'

let no = 0
function pkt(from: number, to: number, flags: string, note: string, payload = ''): CapturedPacket {
  return {
    no: ++no,
    t: 1000 + no,
    src: '127.0.0.1',
    dst: '127.0.0.1',
    srcPort: from,
    dstPort: to,
    flags,
    seq: 0,
    ack: 0,
    len: payload.length,
    payload,
    note,
  }
}

/** One greeting exchange between client port `c` and server port 12345, as the engine notes it. */
function greeting(c: number): CapturedPacket[] {
  const s = 12345
  return [
    pkt(c, s, 'SYN', 'handshake 1/3 (SYN)'),
    pkt(s, c, 'SYN/ACK', 'handshake 2/3 (SYN/ACK)'),
    pkt(c, s, 'ACK', 'handshake 3/3 (ACK)'),
    pkt(s, c, 'PSH/ACK', 'data', 'Thank you for connecting'),
    pkt(c, s, 'ACK', 'ack'),
    pkt(c, s, 'PSH/ACK', 'data', 'It was nice talking to you'),
    pkt(s, c, 'ACK', 'ack'),
    pkt(c, s, 'FIN/ACK', 'teardown (FIN from client)'),
    pkt(s, c, 'FIN/ACK', 'teardown (FIN from server)'),
    pkt(c, s, 'ACK', 'teardown (last ACK)'),
  ]
}

describe('the packet list, explained', () => {
  it('phases and their short notes', () => {
    expect(phaseOf({ note: 'handshake 2/3 (SYN/ACK)', flags: 'SYN/ACK', len: 0 })).toBe('handshake')
    expect(phaseOf({ note: 'teardown (ACK of FIN)', flags: 'ACK', len: 0 })).toBe('teardown')
    expect(phaseOf({ note: 'data + teardown (FIN from server)', flags: 'FIN/PSH/ACK', len: 3 })).toBe('data')
    expect(phaseOf({ note: 'reset', flags: 'RST/ACK', len: 0 })).toBe('reset')
    expect(phaseOf({ note: 'data', flags: 'PSH/ACK', len: 5 })).toBe('data')
    expect(phaseOf({ note: 'ack', flags: 'ACK', len: 0 })).toBe('ack')
    expect(phaseOf({ flags: 'ACK', len: 0 })).toBe('ack')
    expect(noteDetail('handshake 1/3 (SYN)')).toBe('1/3 (SYN)')
    expect(noteDetail('teardown (FIN from client)')).toBe('FIN from client')
    expect(noteDetail('data + teardown (FIN from server)')).toBe('+ FIN from server')
    expect(noteDetail('data')).toBe('')
  })

  it('groups packets by connection, with a colour each, and tells each connection’s story', () => {
    const a = greeting(40001)
    const b = greeting(40002)
    // Two connections interleaved.
    const rows = packetRows([...a.slice(0, 3), ...b.slice(0, 3), ...a.slice(3), ...b.slice(3)])
    expect(new Set(rows.map((r) => r.colour))).toEqual(new Set([0, 1]))
    expect(rows.filter((r) => r.colour === 0).every((r) => r.p.srcPort === 40001 || r.p.dstPort === 40001)).toBe(true)
    const stories = connectionStories(rows)
    expect(stories).toHaveLength(2)
    const [first] = stories
    expect(first).toMatchObject({ client: '127.0.0.1:40001', server: '127.0.0.1:12345', complete: true })
    expect(first.handshake.map((p) => p.flags)).toEqual(['SYN', 'SYN/ACK', 'ACK'])
    expect(first.data.map((p) => [sideOf(first, p), p.payload])).toEqual([
      ['server', 'Thank you for connecting'],
      ['client', 'It was nice talking to you'],
    ])
    expect(first.teardown.map((p) => p.flags)).toEqual(['FIN/ACK', 'FIN/ACK', 'ACK'])
    // A connection whose SYN the capture missed: sides by the exercise port.
    const late = connectionStories(packetRows(greeting(40003).slice(3)))[0]
    expect(late.complete).toBe(false)
    expect(late.client).toBeUndefined()
    expect(sideOf(late, late.data[0], 12345)).toBe('server')
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

  it('the window’s operating system decides the loopback caveat', () => {
    expect(hostPlatform('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/140')).toBe('win32')
    expect(hostPlatform('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)')).toBe('darwin')
    expect(hostPlatform('Mozilla/5.0 (X11; Linux x86_64)')).toBe('linux')
  })
})
