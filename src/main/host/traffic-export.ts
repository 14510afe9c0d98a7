// The traffic log as a file: JSON for tools, text for reading (time, direction, connection, text).

import type { TrafficExportArgs } from '@shared/contract'
import { toTrafficMessage, type Recorder } from './recorder'

export function exportTraffic(
  recorder: Recorder,
  { format, connId, many, seqs }: TrafficExportArgs,
): { filename: string; content: string; count: number } {
  const log = many ? recorder.recentManyMessages(connId) : recorder.recentMessages(connId)
  const wanted = seqs ? new Set(seqs) : null
  const messages = (wanted ? log.filter((m) => wanted.has(m.seq)) : log).map((m) => toTrafficMessage(m, many))
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const base = `socketlab-traffic-${stamp}`
  if (format === 'json') {
    const connections = recorder.allConnections().filter((c) => !connId || c.connId === connId)
    const content = JSON.stringify(
      {
        exportedAt: new Date().toISOString(),
        ...(wanted ? { filtered: true } : {}),
        droppedFromLog: recorder.ringDropped,
        connections,
        messages,
      },
      null,
      2,
    )
    return { filename: `${base}.json`, content, count: messages.length }
  }
  const lines = messages.map((m) => {
    const arrow = m.dir === 'in' ? '<-' : '->'
    const conn = recorder.connection(m.connId)
    const peer = conn ? `${conn.local} ${arrow} ${conn.remote}` : m.connId
    return `${new Date(m.t).toISOString()}  ${m.connId}  ${peer}  ${m.size} B  ${JSON.stringify(m.text)}`
  })
  const header = [
    ...(wanted ? [`# the ${messages.length} message${messages.length === 1 ? '' : 's'} the Traffic view's filter showed`] : []),
    ...(recorder.ringDropped ? [`# ${recorder.ringDropped} older messages were dropped from the bounded log`] : []),
  ]
  return { filename: `${base}.txt`, content: [...header, ...lines].join('\n') + '\n', count: messages.length }
}
