// What this machine can tell the connection doctor without sending anything: its own addresses and
// networks (os.networkInterfaces), the kernel's socket table (/proc/net/tcp and tcp6: who listens on a
// port, which connections still hold the handout client's fixed port 32451 in TIME_WAIT) and its
// neighbour table (/proc/net/arp: did a machine answer at that address on the local network).
// Linux files; elsewhere each reader answers null ("cannot tell") and the doctor says less, never wrong.

import { readFileSync } from 'node:fs'
import os from 'node:os'
import type { Endpoint } from '@shared/contract'
import { isIPv4, isLoopbackAddress, plainAddress } from '@shared/endpoint'

/** TCP states as the kernel numbers them in /proc/net/tcp. */
const STATES: Record<string, string> = {
  '01': 'ESTABLISHED',
  '02': 'SYN_SENT',
  '03': 'SYN_RECV',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
  '0A': 'LISTEN',
  '0B': 'CLOSING',
}

export interface SocketEntry {
  local: Endpoint
  remote: Endpoint
  state: string
}

/** `0100007F` (little-endian) → `127.0.0.1`. */
function ipv4FromHex(hex: string): string {
  const n = parseInt(hex, 16)
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.')
}

/** 32 hex digits as four little-endian words → an IPv6 address (`::1`, `::ffff:127.0.0.1` shown plain). */
function ipv6FromHex(hex: string): string {
  const bytes: number[] = []
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8)
    for (let b = 3; b >= 0; b--) bytes.push(parseInt(word.slice(b * 2, b * 2 + 2), 16))
  }
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16))
  // IPv4-mapped: ::ffff:a.b.c.d
  if (groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff') return bytes.slice(12).join('.')
  return compressIPv6(groups)
}

function compressIPv6(groups: string[]): string {
  let bestStart = -1
  let bestLen = 0
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== '0') {
      i++
      continue
    }
    let j = i
    while (j < groups.length && groups[j] === '0') j++
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i]
    i = j
  }
  if (bestLen < 2) return groups.join(':')
  const head = groups.slice(0, bestStart).join(':')
  const tail = groups.slice(bestStart + bestLen).join(':')
  return `${head}::${tail}`
}

function parseTable(text: string, v6: boolean): SocketEntry[] {
  const out: SocketEntry[] = []
  const lines = text.split('\n')
  for (let i = 1; i < lines.length; i++) {
    const cols = lines[i].trim().split(/\s+/)
    if (cols.length < 4) continue
    const [la, lp] = cols[1].split(':')
    const [ra, rp] = cols[2].split(':')
    if (!la || !lp || !ra || !rp) continue
    const addr = v6 ? ipv6FromHex : ipv4FromHex
    out.push({
      local: { address: addr(la), port: parseInt(lp, 16) },
      remote: { address: addr(ra), port: parseInt(rp, 16) },
      state: STATES[cols[3].toUpperCase()] ?? cols[3],
    })
  }
  return out
}

let cache: { at: number; entries: SocketEntry[] | null } | null = null
/** The table is read at most twice a second: a failing crowd of clients must not re-read it per client. */
const CACHE_MS = 500

/** Every TCP socket of this machine (its network namespace), or null when the table cannot be read. */
export function readSockets(fresh = false): SocketEntry[] | null {
  const now = Date.now()
  if (!fresh && cache && now - cache.at < CACHE_MS) return cache.entries
  let entries: SocketEntry[] | null = null
  for (const [file, v6] of [
    ['/proc/net/tcp', false],
    ['/proc/net/tcp6', true],
  ] as const) {
    try {
      const parsed = parseTable(readFileSync(file, 'utf8'), v6)
      entries = [...(entries ?? []), ...parsed]
    } catch {
      // Not Linux, or no IPv6: that table is simply not there.
    }
  }
  cache = { at: now, entries }
  return entries
}

/** What listens on `port` on this machine (`0.0.0.0` / `::` mean every address), or null when unknown. */
export function listenersOn(port: number, fresh = false): Endpoint[] | null {
  const all = readSockets(fresh)
  if (!all) return null
  const seen = new Set<string>()
  const out: Endpoint[] = []
  for (const s of all) {
    if (s.state !== 'LISTEN' || s.local.port !== port) continue
    const key = `${s.local.address}|${s.local.port}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(s.local)
  }
  return out
}

/** States of this machine's connections whose own port is `port` (e.g. the handout client's 32451). */
export function statesOfLocalPort(port: number): string[] | null {
  const all = readSockets(true)
  if (!all) return null
  return [...new Set(all.filter((s) => s.local.port === port && s.state !== 'LISTEN').map((s) => s.state))]
}

/** Connections in TIME_WAIT towards `remotePort` (a client that closed first), by their local port. */
export function timeWaitTowards(remotePort: number): number[] | null {
  const all = readSockets(true)
  if (!all) return null
  return [...new Set(all.filter((s) => s.state === 'TIME_WAIT' && s.remote.port === remotePort).map((s) => s.local.port))]
}

/** Does `listener` (perhaps a wildcard) accept connections addressed to `address`? */
export function listenerCovers(listener: Endpoint, address: string): boolean {
  const l = plainAddress(listener.address)
  const a = plainAddress(address)
  if (l === '::') return true
  if (l === '0.0.0.0') return isIPv4(a)
  return l === a
}

/** The kernel's neighbour table for an IPv4 address on a local network: did a machine answer ARP? */
export function neighbourState(address: string): 'answers' | 'no-answer' | 'unknown' {
  if (!isIPv4(address)) return 'unknown'
  let text: string
  try {
    text = readFileSync('/proc/net/arp', 'utf8')
  } catch {
    return 'unknown'
  }
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/)
    if (cols[0] !== address) continue
    // Flags 0x2: complete (a machine answered); 0x0: the request went unanswered.
    return (parseInt(cols[2], 16) & 0x2) !== 0 ? 'answers' : 'no-answer'
  }
  return 'unknown'
}

export interface LocalAddress {
  name: string
  address: string
  family: 'IPv4' | 'IPv6'
  internal: boolean
  /** `192.168.1.23/24`. */
  cidr: string
}

export function localAddresses(): LocalAddress[] {
  const out: LocalAddress[] = []
  for (const [name, list] of Object.entries(os.networkInterfaces())) {
    for (const i of list ?? []) {
      out.push({
        name,
        address: i.address,
        family: i.family === 'IPv6' ? 'IPv6' : 'IPv4',
        internal: i.internal,
        cidr: i.cidr ?? `${i.address}/${i.family === 'IPv6' ? 128 : 32}`,
      })
    }
  }
  return out
}

/** Is `address` one of this machine's own (loopback counts: all of 127/8 is this machine)? */
export function isThisMachine(address: string, addresses: LocalAddress[] = localAddresses()): boolean {
  const a = plainAddress(address)
  if (isLoopbackAddress(a)) return true
  return addresses.some((l) => plainAddress(l.address) === a)
}

function ipv4ToInt(a: string): number {
  return a.split('.').reduce((n, p) => ((n << 8) | Number(p)) >>> 0, 0)
}

/** Is the IPv4 `address` inside `cidr` (`192.168.1.23/24`)? IPv6 networks are not compared (false). */
export function inSubnet(address: string, cidr: string): boolean {
  const [net, bitsText] = cidr.split('/')
  const a = plainAddress(address)
  if (!isIPv4(a) || !isIPv4(net)) return false
  const bits = Number(bitsText)
  if (!(bits >= 0 && bits <= 32)) return false
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0
  return (ipv4ToInt(a) & mask) === (ipv4ToInt(net) & mask)
}

/** `192.168.1.23/24` → `192.168.1.0/24`: the network a student compares with the neighbour's. */
export function networkOf(cidr: string): string {
  const [addr, bitsText] = cidr.split('/')
  if (!isIPv4(addr)) return cidr
  const bits = Number(bitsText)
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0
  const n = ipv4ToInt(addr) & mask
  return `${[n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.')}/${bits}`
}

/** Private, shared or link-local IPv4 (a lab room's addresses): a neighbour's address looks like this. */
export function isPrivateIPv4(address: string): boolean {
  const a = plainAddress(address)
  if (!isIPv4(a)) return false
  return ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10'].some((c) => inSubnet(a, c))
}
