// The Capture page's ladder diagram: one connection of the capture at a time (a chooser when there are
// several), the guided step-through beside it, and the selected packet's facts under it. The selected
// arrow is the selected packet of the list above, so the list, the diagram and the step agree.

import { useMemo, type ReactNode } from 'react'
import type { CapturedPacket, TrafficMessage } from '@shared/contract'
import type { Ladder as LadderModel } from '@shared/ladder'
import { connectionHeading } from '@shared/ladder-layout'
import { Ladder } from './Ladder'
import { defaultLadder, knownMessages } from './LadderSource'
import { ArrowDetail } from './LadderViews'
import { StepThrough } from './StepThrough'

/** Which connection's ladder is shown, and which of its arrows is selected. */
export interface LadderPick {
  ladder: number
  arrow?: number
}

interface Props {
  ladders: readonly LadderModel[]
  pick?: LadderPick
  onPick(pick: LadderPick): void
  packets: readonly CapturedPacket[]
  traffic: readonly TrafficMessage[]
  port?: number
}

export function LadderCapture({ ladders, pick, onPick, packets, traffic, port }: Props): ReactNode {
  const shown = pick && pick.ladder < ladders.length ? pick.ladder : defaultLadder(ladders)
  const ladder = shown >= 0 ? ladders[shown] : undefined
  const arrowIndex = pick?.ladder === shown ? pick.arrow : undefined
  const arrow = ladder && arrowIndex !== undefined ? ladder.arrows[arrowIndex] : undefined
  const messages = useMemo(() => knownMessages(ladder, packets, traffic), [ladder, packets, traffic])

  return (
    <section className="panel capture-ladder" aria-labelledby="ladder-h" data-testid="capture-ladder">
      <header className="pane-head">
        <h3 id="ladder-h">Ladder diagram</h3>
        {ladder?.source === 'socket-events' && (
          <span className="pill warn" data-testid="ladder-source">
            from socket events, not a capture
          </span>
        )}
        {ladders.length > 1 && (
          <label className="small ladder-choose">
            Connection{' '}
            <select
              value={shown}
              onChange={(e) => onPick({ ladder: Number(e.target.value) })}
              data-testid="ladder-connection"
              aria-label="Connection shown in the diagram"
            >
              {ladders.map((l, i) => (
                <option key={i} value={i}>
                  {connectionHeading(l, i, ladders.length)}
                </option>
              ))}
            </select>
          </label>
        )}
      </header>
      {!ladder ? (
        <p className="muted small" data-testid="ladder-empty">
          {port === undefined
            ? 'Choose the port: each connection on it is drawn here as a ladder, an arrow per packet.'
            : `No connection on port ${port} yet: run the client, and each of its packets becomes an arrow here.`}
        </p>
      ) : (
        <div className="ladder-grid">
          <div className="ladder-main">
            <Ladder
              ladder={ladder}
              heading={connectionHeading(ladder, shown, ladders.length)}
              selected={arrowIndex}
              onSelect={(a) => onPick({ ladder: shown, arrow: a.index })}
              testid="capture-ladder-diagram"
              maxHeight={640}
            />
            {arrow && <ArrowDetail ladder={ladder} arrow={arrow} testid="capture-ladder-detail" />}
          </div>
          <StepThrough
            ladder={ladder}
            index={arrowIndex}
            onIndex={(i) => onPick({ ladder: shown, arrow: i })}
            messages={messages}
          />
        </div>
      )}
    </section>
  )
}
