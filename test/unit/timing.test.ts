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

describe('the estimate, kept as TCP keeps it (RFC 6298)', () => {
  it('the first sample sets the smoothed RTT and half of it as the variation; later ones move it by 1/8 and 1/4', () => {
    const t = new LinkTiming(floors)
    expect(t.known).toBe(false)
    expect(t.rto()).toBe(1000)
    t.sample(100)
    expect(t.estimate()).toEqual({ srtt: 100, rttvar: 50 })
    t.sample(300)
    // rttvar = 3/4 × 50 + 1/4 × |100 − 300| = 87.5; srtt = 7/8 × 100 + 1/8 × 300 = 125.
    expect(t.estimate()).toEqual({ srtt: 125, rttvar: 87.5 })
    expect(t.rto()).toBe(125 + 4 * 87.5)
  })

  it('a sample that is no round trip (negative, NaN, or a person pausing for minutes) is ignored', () => {
    const t = new LinkTiming(floors)
    t.sample(-5)
    t.sample(Number.NaN)
    t.sample(60_000)
    expect(t.known).toBe(false)
    t.sample(40)
    t.sample(60_000)
    expect(t.estimate()).toEqual({ srtt: 40, rttvar: 20 })
  })
})

describe('quietMs: the pause that ends a message whose shape says nothing', () => {
  it('is the floor on loopback and on a steady link', () => {
    expect(new LinkTiming(floors, { srtt: 0.5, rttvar: 0.25 }).quietMs()).toBe(100)
    expect(new LinkTiming(floors, { srtt: 20, rttvar: 2 }).quietMs()).toBe(100)
  })

  it("stretches with the link's jitter and with the longest gap seen inside one message", () => {
    // ±150 ms jitter: rttvar 150 → twice that.
    expect(new LinkTiming(floors, { srtt: 200, rttvar: 150 }).quietMs()).toBe(300)
    const slow = new LinkTiming(floors, { srtt: 5, rttvar: 1 })
    slow.gap(180)
    expect(slow.quietMs()).toBe(360)
  })

  it('never grows past 30 s, however bad the estimate', () => {
    expect(new LinkTiming(floors, { srtt: 9000, rttvar: 9000 }).quietMs()).toBe(18_000)
    const t = new LinkTiming(floors, { srtt: 9000, rttvar: 9000 })
    t.gap(29_000)
    expect(t.quietMs()).toBe(30_000)
  })
})

describe('unfinishedQuietMs: an open `[` or a pickle before STOP waits much longer', () => {
  it('at least 3 s, and never less than four retransmission timeouts or four quiet moments', () => {
    expect(new LinkTiming(floors, { srtt: 0.5, rttvar: 0.25 }).unfinishedQuietMs()).toBe(3000)
    const far = new LinkTiming(floors)
    far.sample(400) // RTO = 400 + 4 × 200 = 1200 ms
    expect(far.unfinishedQuietMs()).toBe(4 * 1200)
    expect(new LinkTiming({ quietMs: 1000, paceMs: 50 }).unfinishedQuietMs()).toBe(4000)
  })

  it('is always longer than the quiet moment that ends a message of no particular shape', () => {
    for (const rtt of [0.5, 2, 20, 200, 800]) {
      const t = new LinkTiming(floors)
      t.sample(rtt)
      t.gap(rtt / 2)
      expect(t.unfinishedQuietMs(), `rtt ${rtt}`).toBeGreaterThan(2 * t.quietMs())
    }
  })
})

describe('greetingWaitMs: how long a client waits for an optional greeting', () => {
  it('the floor given, or four quiet moments, on loopback', () => {
    expect(new LinkTiming(floors, { srtt: 0.5, rttvar: 0.25 }).greetingWaitMs(400)).toBe(400)
    expect(new LinkTiming(floors, { srtt: 0.5, rttvar: 0.25 }).greetingWaitMs(0)).toBe(400)
  })

  it('three round trips and their spread across a slow link (200 ms ± 150: 3 × (200 + 600))', () => {
    const t = new LinkTiming(floors, { srtt: 200, rttvar: 150 })
    expect(t.greetingWaitMs(400)).toBe(3 * (200 + 4 * 150))
  })

  it('the initial retransmission timeout before anything is measured', () => {
    expect(new LinkTiming(floors).greetingWaitMs(400)).toBe(1000)
  })
})
