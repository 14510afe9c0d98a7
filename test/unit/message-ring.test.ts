import { describe, expect, it } from 'vitest'
import { MessageRing } from '../../src/main/host/message-ring'

const text = (m: { data: Uint8Array } | undefined) => (m ? Buffer.from(m.data).toString() : undefined)

describe('the traffic log ring', () => {
  it('keeps messages as sent, strings and bytes alike, oldest first', () => {
    const ring = new MessageRing({ entries: 8, bytes: 1024 })
    ring.push('c1', 'in', Buffer.from('3 7'), 1)
    ring.push('c1', 'out', '10', 2)
    ring.push('c2', 'out', 'héllo', 3)
    expect(ring.range(1).map(text)).toEqual(['3 7', '10', 'héllo'])
    expect(ring.get(3)).toMatchObject({ seq: 3, t: 3, connId: 'c2', dir: 'out', size: 6 })
    expect(ring.range(1, 'c1').map((m) => m.seq)).toEqual([1, 2])
    expect(ring.range(2).map((m) => m.seq)).toEqual([2, 3])
    expect(ring.dropped).toBe(0)
  })

  it('is bounded in count: the oldest fall out and are counted', () => {
    const ring = new MessageRing({ entries: 4, bytes: 1024 })
    for (let i = 1; i <= 10; i++) ring.push('c', 'in', `m${i}`, i)
    expect(ring.range(1).map(text)).toEqual(['m7', 'm8', 'm9', 'm10'])
    expect(ring.dropped).toBe(6)
    expect(ring.get(6)).toBeUndefined()
  })

  it('is bounded in bytes: data wraps around and overwritten messages are dropped', () => {
    const ring = new MessageRing({ entries: 100, bytes: 40 })
    for (let i = 0; i < 10; i++) ring.push('c', 'in', `message-${i}`, i) // 9 bytes each
    const kept = ring.range(1)
    expect(kept.map(text)).toEqual(['message-6', 'message-7', 'message-8', 'message-9'])
    expect(ring.dropped).toBe(6)
  })

  it('keeps at most a quarter of the store of one big message, with its real size', () => {
    const ring = new MessageRing({ entries: 10, bytes: 40 })
    const big = Buffer.alloc(100, 0x61)
    ring.push('c', 'in', big, 1)
    const m = ring.get(1)!
    expect(m.size).toBe(100)
    expect(m.data.length).toBe(10)
    ring.push('c', 'out', 'x'.repeat(100), 2)
    expect(ring.get(2)!.size).toBe(100)
    expect(text(ring.get(2))).toBe('x'.repeat(10))
  })

  it('copies out, so later writes never change what was read', () => {
    const ring = new MessageRing({ entries: 2, bytes: 16 })
    ring.push('c', 'in', 'abcd', 1)
    const first = ring.get(1)!
    ring.push('c', 'in', 'efgh', 2)
    ring.push('c', 'in', 'ijkl', 3)
    expect(text(first)).toBe('abcd')
  })
})

describe('MessageRing over many laps', () => {
  it('stays exact however often the slots and the bytes wrap around', () => {
    const ring = new MessageRing({ entries: 7, bytes: 40 })
    const sent: string[] = []
    for (let i = 0; i < 500; i++) {
      const text = 'x'.repeat(i % 9) + String(i)
      sent.push(text)
      ring.push(`conn-${i % 3}`, i % 2 ? 'out' : 'in', i % 4 ? text : Buffer.from(text), 1000 + i)
      const kept = ring.range(1)
      // Every message still listed is the one that was sent, whole, in order, the newest last.
      expect(kept.length).toBeGreaterThan(0)
      expect(kept.length).toBeLessThanOrEqual(7)
      expect(kept.at(-1)!.seq).toBe(i + 1)
      for (const m of kept) {
        // A message keeps at most a quarter of the store (10 bytes here), with its real size.
        expect(Buffer.from(m.data).toString()).toBe(sent[m.seq - 1].slice(0, 10))
        expect(m.size).toBe(sent[m.seq - 1].length)
        expect([m.t, m.dir, m.connId]).toEqual([999 + m.seq, (m.seq - 1) % 2 ? 'out' : 'in', `conn-${(m.seq - 1) % 3}`])
      }
      // Bytes kept never exceed the store.
      expect(kept.reduce((n, m) => n + m.data.length, 0)).toBeLessThanOrEqual(40)
      expect(ring.dropped).toBe(i + 1 - kept.length)
    }
  })
})
