// One page per exercise: its Server and Client panes side by side, the wire settings, the result.

import type { ReactNode } from 'react'
import { EXERCISE_TITLES, type Exercise } from '@shared/settings'
import { WirePanel } from '../components/WirePanel'
import { ClientPane } from './ClientPane'
import { ResultsPanel } from './Results'
import { ServerPane } from './ServerPane'

const INTRO: Record<Exercise, ReactNode> = {
  greeting: (
    <>
      The server greets with <code>Thank you for connecting</code>, the client answers with its acknowledgement, both close.
    </>
  ),
  dedup: <>The client sends a list of numbers; the server sends it back without duplicates, in first-seen order.</>,
  intersection: <>The client sends its set; the server answers with the numbers both sets share, sorted.</>,
  adder: (
    <>
      The client sends its name and gets <code>ack</code>; each <code>a</code> sends two numbers and the server answers their sum;{' '}
      <code>q</code> quits. The client stays connected until <code>q</code>.
    </>
  ),
}

export function ExercisePage({ exercise }: { exercise: Exercise }): ReactNode {
  return (
    <div className="page exercise-page" data-testid={`page-${exercise}`}>
      <header className="page-head">
        <h2>{EXERCISE_TITLES[exercise]}</h2>
        <p className="muted">{INTRO[exercise]}</p>
      </header>
      <div className="panes">
        <ServerPane exercise={exercise} />
        <ClientPane exercise={exercise} />
      </div>
      <WirePanel exercise={exercise} />
      <ResultsPanel exercise={exercise} />
    </div>
  )
}
