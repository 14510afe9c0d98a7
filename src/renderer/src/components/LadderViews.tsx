// The ladder diagram where a connection is shown: in the Connections detail and beside an exercise's
// Result. Each reads the connection, the capture's packets and the Traffic messages from the store and
// draws the captured ladder when the capture saw the connection, else the one from socket events. A
// click on an arrow shows that packet and the message it carried (and tells the view around it).

import { useMemo, useState, type ReactNode } from 'react'
import type { ConnectionInfo } from '@shared/contract'
import type { Ladder as LadderModel, LadderArrow } from '@shared/ladder'
import { connectionHeading } from '@shared/ladder-layout'
import { flagsText, visibleText } from '@shared/ladder-words'
import { appStore, focusMessage, useApp } from '../store'
import { Ladder } from './Ladder'
import { arrowOfMessage, connectionLadder } from './LadderSource'

/** One connection's ladder, recomputed when its packets or messages change. */
export function useConnectionLadder(conn: ConnectionInfo | undefined): LadderModel | undefined {
  const packets = useApp((s) => s.packets)
  const traffic = useApp((s) => s.traffic)
  return useMemo(() => (conn ? connectionLadder(conn, packets, traffic) : undefined), [conn, packets, traffic])
}

/** Open the Traffic view on a message (the packet that carried it named, when there is one). */
export function openMessage(seq: number, packet?: number): void {
  focusMessage(appStore, seq, packet ?? 0)
  window.location.hash = '#/traffic'
}

/** The selected arrow in words: `#5 PSH/ACK server → client · Seq=1 Ack=27 Len=24`, and the message it carried. */
export function ArrowDetail({
  ladder,
  arrow,
  testid = 'ladder-detail',
}: {
  ladder: LadderModel
  arrow: LadderArrow
  testid?: string
}): ReactNode {
  const to = arrow.from === 'client' ? 'server' : 'client'
  const seq = arrow.messages[0]
  return (
    <div className="ladder-detail small" data-testid={testid} data-no={arrow.no}>
      {arrow.no !== undefined && <b className="mono">#{arrow.no} </b>}
      <b className="mono">{flagsText(arrow.flags)}</b>{' '}
      <span className="muted">
        {arrow.from} → {to}
      </span>
      {arrow.seq !== undefined && (
        <span className="mono">
          {' '}
          · Seq={arrow.seq} Ack={arrow.ack ?? 0}
        </span>
      )}
      <span className="mono"> · Len={arrow.len}</span>
      {ladder.source === 'socket-events' && <span className="muted"> · inferred from the socket calls</span>}
      {arrow.text !== undefined && arrow.len > 0 && (
        <>
          {' '}
          · <span className="mono ladder-detail-text">“{visibleText(arrow.text)}”</span>
        </>
      )}
      {seq !== undefined && (
        <>
          {' '}
          ·{' '}
          <button type="button" className="link-btn" data-testid={`${testid}-message`} onClick={() => openMessage(seq, arrow.no)}>
            message #{seq} in Traffic
          </button>
        </>
      )}
    </div>
  )
}

interface ConnectionLadderProps {
  conn: ConnectionInfo
  /** The message selected around the diagram (the Connections timeline): its arrow is highlighted. */
  selectedSeq?: number
  /** An arrow was clicked: the first message it carried (undefined when none). */
  onMessage?(seq: number | undefined): void
  testid?: string
  maxHeight?: number
}

/** A connection's ladder with the selected arrow's facts under it. */
export function ConnectionLadder({
  conn,
  selectedSeq,
  onMessage,
  testid = 'conn-ladder',
  maxHeight = 420,
}: ConnectionLadderProps): ReactNode {
  const ladder = useConnectionLadder(conn)
  const [picked, setPicked] = useState<number | undefined>()
  if (!ladder) return null
  const fromMessage = arrowOfMessage(ladder, selectedSeq)
  const selected = fromMessage ?? (picked !== undefined && picked < ladder.arrows.length ? picked : undefined)
  const arrow = selected !== undefined ? ladder.arrows[selected] : undefined
  return (
    <div className="ladder-wrap" data-testid={`${testid}-wrap`}>
      <Ladder
        ladder={ladder}
        heading={connectionHeading(ladder, 0, 1)}
        selected={selected}
        onSelect={(a) => {
          setPicked(a.index)
          onMessage?.(a.messages[0])
        }}
        testid={testid}
        maxHeight={maxHeight}
      />
      {arrow && <ArrowDetail ladder={ladder} arrow={arrow} testid={`${testid}-detail`} />}
    </div>
  )
}

/** Beside an exercise's Result: the ladder of the connection the latest result came from. */
export function ResultLadder({ connId }: { connId: string | undefined }): ReactNode {
  const conn = useApp((s) => (connId ? s.connections[connId] : undefined))
  if (!conn) return null
  return (
    <details className="result-ladder" open data-testid="result-ladder-section">
      <summary>The exchange as a ladder diagram</summary>
      <ConnectionLadder conn={conn} testid="result-ladder" maxHeight={520} />
    </details>
  )
}
