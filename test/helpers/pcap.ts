// A tiny libpcap writer for tests: Ethernet/IPv4/TCP frames with correct checksums, so tshark reads a
// crafted capture (a segment sent twice, a reset…) exactly as it reads a live one, and its own TCP
// analysis decides what each packet is.

import { writeFileSync } from 'node:fs'

export interface Segment {
  from: 'client' | 'server'
  flags: number
  seq: number
  ack: number
  data?: string
  /** Milliseconds after the first frame. */
  atMs: number
}

function checksum(b: Buffer): number {
  let sum = 0
  for (let i = 0; i + 1 < b.length; i += 2) sum += b.readUInt16BE(i)
  if (b.length % 2) sum += b[b.length - 1] << 8
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16)
  return ~sum & 0xffff
}

function ip(a: string): Buffer {
  return Buffer.from(a.split('.').map(Number))
}

function frame(src: string, dst: string, sport: number, dport: number, s: Segment): Buffer {
  const data = Buffer.from(s.data ?? '')
  const tcp = Buffer.alloc(20 + data.length)
  tcp.writeUInt16BE(sport, 0)
  tcp.writeUInt16BE(dport, 2)
  tcp.writeUInt32BE(s.seq >>> 0, 4)
  tcp.writeUInt32BE(s.ack >>> 0, 8)
  tcp[12] = 5 << 4
  tcp[13] = s.flags
  tcp.writeUInt16BE(65535, 14)
  data.copy(tcp, 20)
  const pseudo = Buffer.concat([ip(src), ip(dst), Buffer.from([0, 6]), Buffer.from([tcp.length >> 8, tcp.length & 0xff])])
  tcp.writeUInt16BE(checksum(Buffer.concat([pseudo, tcp])), 16)
  const iph = Buffer.alloc(20)
  iph[0] = 0x45
  iph.writeUInt16BE(20 + tcp.length, 2)
  iph.writeUInt16BE(1, 4)
  iph[8] = 64
  iph[9] = 6
  ip(src).copy(iph, 12)
  ip(dst).copy(iph, 16)
  iph.writeUInt16BE(checksum(iph), 10)
  const eth = Buffer.alloc(14)
  eth.writeUInt16BE(0x0800, 12)
  return Buffer.concat([eth, iph, tcp])
}

/** Write a .pcap of one connection between client `c` and server `s` (address and port each). */
export function writePcap(
  file: string,
  client: { address: string; port: number },
  server: { address: string; port: number },
  segments: Segment[],
  t0 = 1_700_000_000,
): void {
  const head = Buffer.alloc(24)
  head.writeUInt32LE(0xa1b2c3d4, 0)
  head.writeUInt16LE(2, 4)
  head.writeUInt16LE(4, 6)
  head.writeUInt32LE(65535, 16)
  head.writeUInt32LE(1, 20) // Ethernet
  const parts: Buffer[] = [head]
  for (const s of segments) {
    const [a, b] = s.from === 'client' ? [client, server] : [server, client]
    const f = frame(a.address, b.address, a.port, b.port, s)
    const rec = Buffer.alloc(16)
    rec.writeUInt32LE(t0 + Math.floor(s.atMs / 1000), 0)
    rec.writeUInt32LE(Math.round((s.atMs % 1000) * 1000), 4)
    rec.writeUInt32LE(f.length, 8)
    rec.writeUInt32LE(f.length, 12)
    parts.push(rec, f)
  }
  writeFileSync(file, Buffer.concat(parts))
}
