// One raw packet turned into the contract's CapturedPacket: flag bits as names, the payload as
// readable text (escaped, bounded), its place in the connection's life (from the tracker) and the
// messages it carried (from the matcher). Facts only: the words are composed where they are shown.

import { CAPTURE_TEXT_MAX, type CapturedPacket, type CarriedMessage, type TcpFlag } from '@shared/contract'
import type { RawPacket } from './fields'
import type { Matched } from './matcher'
import { plain, type PacketLife } from './tracker'

const FLAG_BITS: [number, TcpFlag][] = [
  [0x001, 'FIN'],
  [0x002, 'SYN'],
  [0x004, 'RST'],
  [0x008, 'PSH'],
  [0x010, 'ACK'],
  [0x020, 'URG'],
  [0x040, 'ECE'],
  [0x080, 'CWR'],
  [0x100, 'AE'],
]

/** Flag bits → names in Wireshark's order (FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE). */
export function flagNames(bits: number): TcpFlag[] {
  return FLAG_BITS.filter(([bit]) => (bits & bit) !== 0).map(([, name]) => name)
}

const ESCAPES: Record<number, string> = { 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x5c: '\\\\' }

/**
 * The payload as readable text: printable ASCII and valid UTF-8 letters as is, newline/return/tab as
 * `\n`, `\r`, `\t`, a backslash as `\\`, any other byte as `\xNN`. At most `max` bytes.
 */
export function payloadText(bytes: Uint8Array, max = CAPTURE_TEXT_MAX): string {
  const end = Math.min(bytes.length, max)
  let out = ''
  let i = 0
  while (i < end) {
    const b = bytes[i]
    if (b >= 0x20 && b < 0x7f && b !== 0x5c) {
      out += String.fromCharCode(b)
      i++
      continue
    }
    if (ESCAPES[b]) {
      out += ESCAPES[b]
      i++
      continue
    }
    const n = utf8Length(bytes, i, end)
    if (n > 1) {
      const ch = Buffer.from(bytes.buffer, bytes.byteOffset + i, n).toString('utf8')
      // Printable letters only; invisible or control code points still show as bytes.
      if (/^[\p{L}\p{N}\p{P}\p{S}\p{Zs}]$/u.test(ch)) {
        out += ch
        i += n
        continue
      }
    }
    out += `\\x${b.toString(16).padStart(2, '0')}`
    i++
  }
  return out
}

/** Length of the valid UTF-8 multi-byte sequence at i (within end), or 0. */
function utf8Length(bytes: Uint8Array, i: number, end: number): number {
  const b = bytes[i]
  const n = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0
  if (!n || i + n > end) return 0
  for (let k = 1; k < n; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return 0
  // Overlong and surrogate forms are not valid UTF-8.
  if (b === 0xe0 && bytes[i + 1] < 0xa0) return 0
  if (b === 0xed && bytes[i + 1] >= 0xa0) return 0
  if (b === 0xf0 && bytes[i + 1] < 0x90) return 0
  if (b === 0xf4 && bytes[i + 1] >= 0x90) return 0
  return n
}

/** A message as the packet carries it: its seq, its text (bounded), its size. */
export function carriedMessage(m: { seq: number; data: Uint8Array; size: number }): CarriedMessage {
  const shown = m.data.length > CAPTURE_TEXT_MAX ? m.data.subarray(0, CAPTURE_TEXT_MAX) : m.data
  return { seq: m.seq, text: Buffer.from(shown.buffer, shown.byteOffset, shown.byteLength).toString('utf8'), size: m.size }
}

export function toCapturedPacket(
  raw: RawPacket,
  life: PacketLife,
  extra: { matched?: Matched; connIds?: string[] } = {},
): CapturedPacket {
  const messages = extra.matched?.msgs.map(carriedMessage)
  return {
    no: raw.no,
    t: raw.t,
    src: { address: plain(raw.src), port: raw.srcPort },
    dst: { address: plain(raw.dst), port: raw.dstPort },
    stream: raw.stream,
    flags: flagNames(raw.flags),
    seq: raw.seq,
    ack: raw.ack,
    rawSeq: raw.rawSeq,
    rawAck: raw.rawAck,
    len: raw.len,
    payload: payloadText(raw.payload),
    ...(raw.payload.length > CAPTURE_TEXT_MAX ? { payloadCut: true as const } : {}),
    phase: life.phase,
    ...(life.step ? { step: life.step } : {}),
    ...(life.teardown ? { teardown: life.teardown } : {}),
    ...(life.from ? { from: life.from } : {}),
    ...(life.phase === 'retransmission' && raw.rtoFrame !== undefined ? { retransmits: raw.rtoFrame } : {}),
    ...(messages?.length ? { messages } : {}),
    ...(extra.connIds?.length ? { connIds: extra.connIds } : {}),
  }
}
