// The field format SocketLab asks tshark for, and its parser: one packet per line, tab-separated, the
// same fields in the same order whatever the user's Wireshark preferences (relative sequence numbers
// on, TCP analysis on so tshark itself names retransmissions, no reassembly so every segment shows
// its own payload). The parser is linear and turns anything that is not a TCP packet line into null.

/** The fields printed per packet, in this order (first occurrence of each). */
export const FIELDS = [
  'frame.number',
  'frame.time_epoch',
  'ip.src',
  'ipv6.src',
  'ip.dst',
  'ipv6.dst',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.stream',
  'tcp.flags',
  'tcp.seq',
  'tcp.ack',
  'tcp.seq_raw',
  'tcp.ack_raw',
  'tcp.len',
  'tcp.analysis.retransmission',
  'tcp.analysis.fast_retransmission',
  'tcp.analysis.spurious_retransmission',
  'tcp.analysis.rto_frame',
  'tcp.payload',
] as const

const AT = Object.fromEntries(FIELDS.map((f, i) => [f, i])) as Record<(typeof FIELDS)[number], number>

/** One packet as tshark reports it, before it is explained (src/main/capture/packet.ts). */
export interface RawPacket {
  no: number
  t: number
  src: string
  dst: string
  srcPort: number
  dstPort: number
  /** tshark's tcp.stream; -1 when tshark gave none. */
  stream: number
  /** The TCP flag bits (tcp.flags). */
  flags: number
  seq: number
  ack: number
  rawSeq: number
  rawAck: number
  len: number
  payload: Uint8Array
  /** tshark's TCP analysis calls it a retransmission (plain, fast or spurious). */
  retransmission: boolean
  /** The frame the retransmission timer ran from (tcp.analysis.rto_frame): the segment sent again. */
  rtoFrame?: number
}

/** Options that print FIELDS, one packet per line, whatever the user's Wireshark preferences. */
export function fieldArgs(): string[] {
  return [
    '-n',
    '-o',
    'tcp.analyze_sequence_numbers:TRUE',
    '-o',
    'tcp.relative_sequence_numbers:TRUE',
    '-o',
    'tcp.desegment_tcp_streams:FALSE',
    '-T',
    'fields',
    ...FIELDS.flatMap((f) => ['-e', f]),
    '-E',
    'separator=/t',
    '-E',
    'occurrence=f',
    '-E',
    'header=n',
    '-E',
    'quote=n',
  ]
}

/** `0x0018` → 24; anything unreadable → NaN. */
export function parseFlags(text: string): number {
  const t = text.trim()
  if (/^0x[0-9a-f]{1,8}$/i.test(t)) return parseInt(t.slice(2), 16)
  if (/^\d{1,10}$/.test(t)) return Number(t)
  return NaN
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x61 && c <= 0x66) return c - 0x57
  if (c >= 0x41 && c <= 0x46) return c - 0x37
  return -1
}

/** `54:68:61`, `546861` or `54 68 61` → bytes. Stops at the first character that is not hex. */
export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1)
  let n = 0
  let high = -1
  for (let i = 0; i < hex.length; i++) {
    const c = hex.charCodeAt(i)
    if (c === 0x3a || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue
    const v = hexValue(c)
    if (v < 0) break
    if (high < 0) high = v
    else {
      out[n++] = (high << 4) | v
      high = -1
    }
  }
  return out.subarray(0, n)
}

/** frame.time_epoch: seconds (`1715000000.123456789`), or ISO 8601 UTC as newer tshark may print it. */
export function epochMs(text: string | undefined): number | undefined {
  if (!text) return undefined
  const seconds = Number(text)
  if (Number.isFinite(seconds) && seconds > 0) return seconds * 1000
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(text.trim())
  if (!m) return undefined
  const whole = Date.parse(`${m[1]}Z`)
  return Number.isNaN(whole) ? undefined : whole + (m[2] ? Number(`0.${m[2]}`) * 1000 : 0)
}

function count(s: string | undefined): number {
  const n = Number(s)
  return s && Number.isFinite(n) && n >= 0 ? n : 0
}

/** One line of field output → a packet; null for anything else (noise, a packet without TCP). */
export function parseFieldsLine(line: string): RawPacket | null {
  const f = line.endsWith('\r') ? line.slice(0, -1).split('\t') : line.split('\t')
  if (f.length < FIELDS.length - 1) return null
  const no = Number(f[AT['frame.number']])
  const sp = f[AT['tcp.srcport']]
  const dp = f[AT['tcp.dstport']]
  const srcPort = Number(sp)
  const dstPort = Number(dp)
  const flags = parseFlags(f[AT['tcp.flags']] ?? '')
  if (
    !Number.isInteger(no) ||
    no <= 0 ||
    !sp ||
    !dp ||
    !Number.isInteger(srcPort) ||
    !Number.isInteger(dstPort) ||
    Number.isNaN(flags)
  )
    return null
  const stream = f[AT['tcp.stream']]
  const rto = f[AT['tcp.analysis.rto_frame']]
  return {
    no,
    t: epochMs(f[AT['frame.time_epoch']]) ?? Date.now(),
    src: f[AT['ip.src']] || f[AT['ipv6.src']] || '?',
    dst: f[AT['ip.dst']] || f[AT['ipv6.dst']] || '?',
    srcPort,
    dstPort,
    stream: stream && /^\d{1,10}$/.test(stream) ? Number(stream) : -1,
    flags,
    seq: count(f[AT['tcp.seq']]),
    ack: count(f[AT['tcp.ack']]),
    rawSeq: count(f[AT['tcp.seq_raw']]),
    rawAck: count(f[AT['tcp.ack_raw']]),
    len: count(f[AT['tcp.len']]),
    payload: hexToBytes(f[AT['tcp.payload']] ?? ''),
    retransmission:
      !!f[AT['tcp.analysis.retransmission']] ||
      !!f[AT['tcp.analysis.fast_retransmission']] ||
      !!f[AT['tcp.analysis.spurious_retransmission']],
    ...(rto && /^\d{1,10}$/.test(rto) ? { rtoFrame: Number(rto) } : {}),
  }
}

/** Splits a stream into lines, keeping a partial last line until the rest arrives. */
export class LineSplitter {
  private rest = ''
  push(chunk: string): string[] {
    const text = this.rest + chunk
    const lines = text.split('\n')
    this.rest = lines.pop() ?? ''
    return lines
  }
  end(): string[] {
    const last = this.rest
    this.rest = ''
    return last ? [last] : []
  }
}
