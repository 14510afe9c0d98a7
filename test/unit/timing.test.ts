// The link's timing: how far apart two messages in a row go, on loopback and across a lossy link.

import { describe, expect, it } from 'vitest'
import { LinkTiming } from '../../src/main/net/timing'

const floors = { quietMs: 100, paceMs: 50 }

describe('paceMs: the second of two messages in a row', () => {
  it('before any round trip is measured, goes after the floor', () => {
    expect(new LinkTiming(floors).paceMs()).toBe(50)
  })

  it('on loopback waits one retransmission timeout (Linux never resends sooner than 200 ms)', () => {
    expect(new LinkTiming(floors, { srtt: 0.5, rttvar: 0.25 }).paceMs()).toBe(200)
  })

  it('across a real link goes after the resend of a lost first message would have landed', () => {
    const t = new LinkTiming(floors)
    t.sample(200)
    // RTO = 200 + 4 × 100 = 600 ms; a lost first message is resent at 600 ms and lands by ~700 ms.
    expect(t.rto()).toBe(600)
    expect(t.paceMs()).toBe(2 * 600 + 200)
    expect(t.paceMs()).toBeGreaterThan(t.rto() + 200)
  })
})

describe('speakFirstMs: how long a new client may take to speak first before it is greeted', () => {
  it('before any round trip is measured, one initial retransmission timeout', () => {
    expect(new LinkTiming(floors).speakFirstMs()).toBe(1000)
  })

  it('on loopback, the floor (nothing is ever lost there)', () => {
    expect(new LinkTiming(floors, { srtt: 0.5, rttvar: 0.25 }).speakFirstMs()).toBe(100)
  })

  it('across a real link, past the second resend of a lost list (RTO, then 2 × RTO later)', () => {
    const lan = new LinkTiming(floors, { srtt: 2, rttvar: 1 })
    // A LAN: RTO is Linux's 200 ms floor; the list lost twice arrives by 3 × 200 ms + a round trip.
    expect(lan.speakFirstMs()).toBe(3 * 200 + 2)
    const slow = new LinkTiming(floors)
    slow.sample(200)
    expect(slow.speakFirstMs()).toBe(3 * 600 + 200)
  })
})
