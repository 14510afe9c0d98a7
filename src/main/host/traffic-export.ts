// The traffic log as a file: JSON for tools, text for reading (time, direction, connection, text).

import type { TrafficFormat } from '@shared/contract'
import { toTrafficMessage, type Recorder } from './recorder'

export function exportTraffic(recorder: Recorder, format: TrafficFormat, connId?: string): { filename: string; content: string } {
  const messages = recorder.recentMessages(connId).map((m) => toTrafficMessage(m))
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const base = `socketlab-traffic-${stamp}`
  if (format === 'json') {
    const connections = recorder.allConnections().filter((c) => !connId || c.connId === connId)
    const content = JSON.stringify(
      { exportedAt: new Date().toISOString(), droppedFromLog: recorder.ringDropped, connections, messages },
      null,
      2,
    )
    return { filename: `${base}.json`, content }
  }
  const lines = messages.map((m) => {
    const arrow = m.dir === 'in' ? '<-' : '->'
    const conn = recorder.connection(m.connId)
    const peer = conn ? `${conn.local} ${arrow} ${conn.remote}` : m.connId
    return `${new Date(m.t).toISOString()}  ${m.connId}  ${peer}  ${m.size} B  ${JSON.stringify(m.text)}`
  })
  const header = recorder.ringDropped ? [`# ${recorder.ringDropped} older messages were dropped from the bounded log`] : []
  return { filename: `${base}.txt`, content: [...header, ...lines].join('\n') + '\n' }
}
