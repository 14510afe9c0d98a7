// The guided step-through over a connection's ladder: play, step and back, one packet at a time, with
// what the packet is and the checks to make with this capture's own numbers. The step is the arrow
// selected in the diagram and the packet list, so the three always show the same packet.

import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import type { Ladder } from '@shared/ladder'
import { stepAt, type KnownMessage } from './StepThroughSteps'

/** How long each packet stays when playing. */
export const PLAY_MS = 2200

interface Props {
  ladder: Ladder
  /** The current step: the selected arrow's index (undefined: before the first). */
  index: number | undefined
  onIndex(index: number): void
  messages: ReadonlyMap<number, KnownMessage>
}

function Mark({ ok }: { ok?: boolean }): ReactNode {
  if (ok === undefined)
    return (
      <span className="check-mark info" aria-label="to check">
        ?
      </span>
    )
  return (
    <span className={`check-mark ${ok ? 'ok' : 'err'}`} aria-label={ok ? 'holds' : 'does not hold'}>
      {ok ? '✓' : '✗'}
    </span>
  )
}

export function StepThrough({ ladder, index, onIndex, messages }: Props): ReactNode {
  const [playing, setPlaying] = useState(false)
  const count = ladder.arrows.length
  const at = index !== undefined && index < count ? index : undefined
  const step = useMemo(() => (at !== undefined ? stepAt(ladder, at, messages) : undefined), [ladder, at, messages])
  const last = at !== undefined && at >= count - 1
  // The latest callback, so a re-render (a batch of a live capture) does not restart the play timer.
  const move = useRef(onIndex)
  useEffect(() => {
    move.current = onIndex
  }, [onIndex])

  // Playing moves one packet on every PLAY_MS, and stops at the last one (a live capture may add more).
  useEffect(() => {
    if (!playing) return
    if (last || count === 0) {
      setPlaying(false)
      return
    }
    const t = setTimeout(() => move.current(at === undefined ? 0 : at + 1), at === undefined ? 0 : PLAY_MS)
    return () => clearTimeout(t)
  }, [playing, at, last, count])

  const go = (i: number): void => {
    setPlaying(false)
    onIndex(Math.max(0, Math.min(count - 1, i)))
  }

  return (
    <section className="panel step-through" aria-labelledby="step-h" data-testid="step-through" data-step={at ?? ''}>
      <header className="pane-head">
        <h3 id="step-h">Step through it</h3>
        <div className="btn-group" role="group" aria-label="Step-through controls">
          <button
            type="button"
            className="btn small"
            onClick={() => go(0)}
            disabled={!count || at === 0}
            data-testid="step-first"
          >
            « First
          </button>
          <button
            type="button"
            className="btn small"
            onClick={() => go((at ?? 1) - 1)}
            disabled={!count || at === undefined || at === 0}
            data-testid="step-back"
          >
            ◀ Back
          </button>
          <button
            type="button"
            className={`btn small ${playing ? '' : 'primary'}`}
            onClick={() => {
              if (!playing && last) onIndex(0)
              setPlaying(!playing)
            }}
            disabled={!count}
            data-testid="step-play"
            aria-pressed={playing}
          >
            {playing ? '⏸ Pause' : '▶ Play'}
          </button>
          <button
            type="button"
            className="btn small"
            onClick={() => go(at === undefined ? 0 : at + 1)}
            disabled={!count || last}
            data-testid="step-next"
          >
            Step ▶
          </button>
        </div>
      </header>
      {!count ? (
        <p className="muted small">The packets of the connection appear here one at a time once there are some.</p>
      ) : !step || at === undefined ? (
        <p className="muted small" data-testid="step-intro">
          {count} packet{count === 1 ? '' : 's'} in this connection. Press <b>Play</b> or <b>Step</b> to go through them one at a
          time, from the handshake to the teardown, with what to check at each.
        </p>
      ) : (
        <div className="step-body">
          <div className="step-count small muted" data-testid="step-count">
            Packet {at + 1} of {count}
            {ladder.arrows[at].no !== undefined && <> · frame #{ladder.arrows[at].no}</>}
          </div>
          <h4 data-testid="step-title">{step.title}</h4>
          <p data-testid="step-explanation">{step.explanation}</p>
          {step.checks.length > 0 && (
            <ul className="step-checks" data-testid="step-checks">
              {step.checks.map((c) => (
                <li key={c.text} data-testid="step-check" data-ok={c.ok === undefined ? 'unknown' : String(c.ok)}>
                  <Mark ok={c.ok} /> {c.text}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  )
}
