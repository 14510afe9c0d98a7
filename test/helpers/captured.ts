// A captured packet as the engine describes it (facts only: phase, step, sender, numbers), for the
// ladder and Capture view tests. No Node: the renderer's tests use it too.

import type { CapturedPacket, Endpoint, TcpFlag } from '@shared/contract'

export const CLIENT: Endpoint = { address: '127.0.0.1', port: 40000 }
export const SERVER: Endpoint = { address: '127.0.0.1', port: 12345 }

/** Packet number `no` from one side, at a time that follows its number; the payload's length in UTF-8 bytes. */
export function capturedPacket(
  no: number,
  from: 'client' | 'server',
  flags: TcpFlag[],
  facts: Partial<CapturedPacket> = {},
  payload = '',
  client: Endpoint = CLIENT,
): CapturedPacket {
  return {
    no,
    t: 1_700_000_000_000 + no * 10,
    src: from === 'client' ? client : SERVER,
    dst: from === 'client' ? SERVER : client,
    stream: 0,
    flags,
    seq: 0,
    ack: 0,
    rawSeq: 0,
    rawAck: 0,
    len: new TextEncoder().encode(payload).length,
    payload,
    phase: payload ? 'data' : 'ack',
    from,
    ...facts,
  }
}
