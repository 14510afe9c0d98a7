// The traffic export saves exactly what the Traffic view's filter shows (the messages it names), from
// the log it names (the exercises' or Many clients'), and says how many.

import { describe, expect, it } from 'vitest'
import { exportTraffic } from '../../src/main/host/traffic-export'
import { Recorder } from '../../src/main/host/recorder'
import { adderServerEnd } from '../helpers/connection'

function recorderWith(): { recorder: Recorder; seqs: number[]; manySeqs: number[] } {
  const recorder = new Recorder()
  const own = recorder.open({ ...adderServerEnd, connId: 'conn-1' })
  const crowd = recorder.open({ ...adderServerEnd, connId: 'conn-2', many: true })
  const seqs = ['alice-1234', '3 4', '7'].map((t) => own.message('in', t))
  const manySeqs = ['m-1', 'm-2'].map((t) => crowd.message('in', t))
  return { recorder, seqs, manySeqs }
}

describe('exportTraffic', () => {
  it('saves the whole exercises’ log, or only the messages named, and counts them', () => {
    const { recorder, seqs } = recorderWith()
    const all = exportTraffic(recorder, { format: 'json' })
    expect(all.count).toBe(3)
    const some = exportTraffic(recorder, { format: 'json', seqs: [seqs[0], seqs[2]] })
    expect(some.count).toBe(2)
    const parsed = JSON.parse(some.content) as { filtered: boolean; messages: { text: string }[] }
    expect(parsed.filtered).toBe(true)
    expect(parsed.messages.map((m) => m.text)).toEqual(['alice-1234', '7'])
    const text = exportTraffic(recorder, { format: 'text', seqs: [seqs[1]] })
    expect(text.count).toBe(1)
    expect(text.content).toContain("# the 1 message the Traffic view's filter showed")
    expect(text.content).toContain('"3 4"')
  })

  it('reads Many clients’ own log when asked', () => {
    const { recorder } = recorderWith()
    const crowd = exportTraffic(recorder, { format: 'json', many: true })
    expect(crowd.count).toBe(2)
    expect((JSON.parse(crowd.content) as { messages: { text: string }[] }).messages.map((m) => m.text)).toEqual(['m-1', 'm-2'])
  })
})
