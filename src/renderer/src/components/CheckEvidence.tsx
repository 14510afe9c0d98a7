// The evidence of one check: every byte exchanged, chunk by chunk as it arrived, each with its time,
// connection and direction, the text with its invisible characters shown (`ack\n` reads as ack, then a
// marked \n) and the hex beside it; connection events and the program's output in the same timeline.

import type { ReactNode } from 'react'
import type { CheckEvidence as Evidence } from '@shared/contract'
import { formatEndpoint } from '@shared/endpoint'

const DIR: Record<Evidence['dir'], string> = {
  out: 'SocketLab → program',
  in: 'program → SocketLab',
  event: 'event',
  stdin: 'keyboard → program',
  stdout: 'program printed',
  stderr: 'printed (stderr)',
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' }

/** Text as received, with newlines, returns, tabs and NULs shown as marked escapes. */
export function VisibleText({ text }: { text: string }): ReactNode {
  const parts: ReactNode[] = []
  let plain = ''
  let k = 0
  for (const ch of text) {
    const esc = ESCAPES[ch]
    if (!esc) {
      plain += ch
      continue
    }
    if (plain) parts.push(plain)
    plain = ''
    parts.push(
      <span key={k++} className="esc">
        {esc}
      </span>,
    )
    if (ch === '\n') parts.push(<br key={k++} />)
  }
  if (plain) parts.push(plain)
  return <>{parts}</>
}

function eventText(e: Evidence): string {
  const parts: string[] = [e.event ?? '']
  if (e.local) parts.push(`local ${formatEndpoint(e.local)}`)
  if (e.remote) parts.push(`remote ${formatEndpoint(e.remote)}`)
  if (e.code) parts.push(e.code)
  return parts.join(', ')
}

export function CheckEvidence({ evidence, testid }: { evidence: Evidence[]; testid?: string }): ReactNode {
  if (!evidence.length) return <p className="muted small">No bytes were exchanged for this check.</p>
  return (
    <table className="table check-evidence" data-testid={testid}>
      <thead>
        <tr>
          <th>time</th>
          <th>#</th>
          <th>direction</th>
          <th>as received</th>
        </tr>
      </thead>
      <tbody>
        {evidence.map((e, i) => (
          <tr key={i} className={`ev-${e.dir}`} data-dir={e.dir}>
            <td className="mono">{(e.t / 1000).toFixed(3)} s</td>
            <td className="mono">{e.conn}</td>
            <td>{DIR[e.dir]}</td>
            <td>
              {e.data ? (
                <>
                  <div className="mono ev-text" data-testid="evidence-text">
                    <VisibleText text={e.data.text} />
                  </div>
                  <div className="mono ev-hex">
                    {e.data.hex}
                    {e.data.size > (e.data.hex.length + 1) / 3 ? ' …' : ''} <span className="faint">({e.data.size} bytes)</span>
                  </div>
                </>
              ) : (
                <span className="muted">{eventText(e)}</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
