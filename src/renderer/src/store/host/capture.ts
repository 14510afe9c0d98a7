// The capture domain, in one place: can tshark capture here, the current (or last) capture, why it
// ended, and its packets. (The Capture page's form is UI state: ../ui.ts, `captureForm`.)

import type { CaptureAvailability, CaptureInfo, CapturedPacket, EngineEvent, EventBatch, Snapshot } from '@shared/contract'
import type { Patch } from './draft'
import { LIMITS } from './limits'

export interface CaptureState {
  /** Can tshark capture here? null until the Capture page asked. */
  readonly captureStatus: CaptureAvailability | null
  /** The current (or last) capture. */
  readonly capture: CaptureInfo | null
  /** Why the last capture ended on its own (tshark's error in plain words). */
  readonly captureError?: string
  /** Its packets, oldest first, at most LIMITS.packets. */
  readonly packets: readonly CapturedPacket[]
}

export function initialCapture(): CaptureState {
  return { captureStatus: null, capture: null, packets: [] }
}

/** A capture is known by when it started: a new one starts its packet list (and numbering) over. */
export function sameCapture(a: CaptureInfo | null | undefined, b: CaptureInfo | null | undefined): boolean {
  return !!a && !!b && a.startedAt === b.startedAt && a.port === b.port && a.interface === b.interface
}

/**
 * Append packets of the current capture, skipping any already there (a snapshot and the next batch
 * may both carry the newest ones), keeping the last `max`.
 */
export function appendPackets(
  list: readonly CapturedPacket[],
  add: readonly CapturedPacket[],
  max: number = LIMITS.packets,
): readonly CapturedPacket[] {
  const last = list.length ? list[list.length - 1].no : 0
  const fresh = add.length && add[0].no > last ? add : add.filter((p) => p.no > last)
  if (!fresh.length) return list
  const all = list.concat(fresh)
  return all.length > max ? all.slice(all.length - max) : all
}

export function foldCapture(s: CaptureState, batch: EventBatch): Partial<CaptureState> {
  let { capture, captureError, packets } = s
  for (const e of batch.events as readonly EngineEvent[]) {
    if (e.type === 'capture') {
      if (e.info && !sameCapture(capture, e.info)) {
        // A new capture: its packets are numbered from 1 again.
        packets = []
        captureError = undefined
      }
      capture = e.info
      if (e.error) captureError = e.error
    } else if (e.type === 'packets') packets = appendPackets(packets, e.packets)
  }
  const patch: Patch<CaptureState> = {}
  if (capture !== s.capture) patch.capture = capture
  if (captureError !== s.captureError) patch.captureError = captureError
  if (packets !== s.packets) patch.packets = packets
  return patch
}

/** The capture as the host has it; packets a batch brought meanwhile are kept (none twice). */
export function snapshotCapture(s: CaptureState, snap: Snapshot): Pick<CaptureState, 'capture' | 'packets'> {
  const capture = snap.capture
  let packets = s.packets
  if (!capture) packets = []
  else if (snap.capturePackets) {
    const same = sameCapture(s.capture, capture)
    packets = appendPackets(snap.capturePackets.slice(-LIMITS.packets), same ? s.packets : [])
  } else if (!sameCapture(s.capture, capture)) packets = []
  return { capture, packets }
}
