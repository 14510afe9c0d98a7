// The words for a captured packet, composed only where a packet is shown (the terminal, the Capture
// page, the ladder diagram, the answer sheet): the flags as Wireshark writes them (`SYN/ACK`), what the
// packet is in its connection's life (`handshake 2/3 (SYN/ACK)`), and peer text with its control
// characters made visible. The facts themselves cross the contract as fields; nothing here is ever
// parsed back. Pure, no Node; linear in its input (peer text reaches `visibleText`).

import type { CapturedPacket, PacketPhase, Side, TcpFlag } from './contract'

/** `['SYN', 'ACK']` → `SYN/ACK`; no flag at all → `none`. */
export function flagsText(flags: readonly TcpFlag[]): string {
  return flags.length ? flags.join('/') : 'none'
}

export const PHASE_LABEL: Record<PacketPhase, string> = {
  handshake: 'Handshake',
  data: 'Data',
  ack: 'ACK',
  teardown: 'Teardown',
  reset: 'Reset',
  retransmission: 'Retransmission',
}

const STEP_FLAGS = { 1: 'SYN', 2: 'SYN/ACK', 3: 'ACK' } as const

type NoteFacts = Pick<CapturedPacket, 'phase' | 'step' | 'teardown' | 'from' | 'flags' | 'retransmits'>

/** What follows the phase's own word: `1/3 (SYN)`, `FIN from client`, `last ACK`, `of #4`; '' when nothing. */
export function phaseDetail(p: NoteFacts): string {
  switch (p.phase) {
    case 'handshake':
      return p.step ? `${p.step}/3 (${STEP_FLAGS[p.step]})` : ''
    case 'retransmission':
      return p.retransmits !== undefined ? `of #${p.retransmits}` : ''
    default:
      break
  }
  switch (p.teardown) {
    case 'fin':
      return `FIN from ${p.from ?? 'one side'}`
    case 'ack-of-fin':
      return 'ACK of FIN'
    case 'last-ack':
      return 'last ACK'
    default:
      return ''
  }
}

/**
 * One short note per packet, as the terminal prints it: `handshake 1/3 (SYN)`, `data`, `ack`,
 * `teardown (FIN from server)`, `data + teardown (FIN from client)`, `teardown (last ACK)`, `reset`,
 * `retransmission of #4`.
 */
export function packetNote(p: NoteFacts): string {
  const detail = phaseDetail(p)
  switch (p.phase) {
    case 'handshake':
      return detail ? `handshake ${detail}` : 'handshake'
    case 'retransmission':
      return detail ? `retransmission ${detail}` : 'retransmission'
    case 'teardown':
      return detail ? `teardown (${detail})` : 'teardown'
    case 'data':
      return p.teardown ? `data + teardown (${detail})` : 'data'
    case 'reset':
      return 'reset'
    default:
      return 'ack'
  }
}

/** The other side. */
export function otherSide(side: Side): Side {
  return side === 'client' ? 'server' : 'client'
}

const VISIBLE: Record<number, string> = { 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' }

/**
 * Peer text made safe to print: newline, return and tab as `\n`, `\r`, `\t`; every other control
 * character (C0, DEL, C1), a lone surrogate and U+FFFE/U+FFFF as `\xNN` or `\u{…}`. A terminal escape
 * sequence a peer sends is shown, never obeyed, and the text is always valid XML and HTML content.
 */
export function visibleText(text: string): string {
  let out = ''
  let plainFrom = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    let rep: string | undefined
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) rep = VISIBLE[c] ?? `\\x${c.toString(16).padStart(2, '0')}`
    else if (c === 0xfffe || c === 0xffff) rep = `\\u{${c.toString(16)}}`
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++
        continue
      }
      rep = `\\u{${c.toString(16)}}`
    } else if (c >= 0xdc00 && c <= 0xdfff) rep = `\\u{${c.toString(16)}}`
    if (rep === undefined) continue
    out += text.slice(plainFrom, i) + rep
    plainFrom = i + 1
  }
  return plainFrom === 0 ? text : out + text.slice(plainFrom)
}

/** `24 bytes`, `1 byte`. */
export function bytesText(n: number): string {
  return `${n} byte${n === 1 ? '' : 's'}`
}
