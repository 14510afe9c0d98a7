// One page per exercise: its Server and Client panes side by side (as two tabs in a small window), the
// wire settings, the result. What differs between exercises comes from its module (../exercises).

import { useState, type ReactNode } from 'react'
import type { Exercise } from '@shared/settings'
import { ResultLadder } from '../components/LadderViews'
import { WirePanel } from '../components/WirePanel'
import { exerciseModule } from '../exercises'
import { useApp, type ResultEntry } from '../store'
import { ClientPane } from './ClientPane'
import { ServerPane } from './ServerPane'

const NONE: readonly ResultEntry[] = []

function ResultsPanel({ exercise }: { exercise: Exercise }): ReactNode {
  const module = exerciseModule(exercise)
  const server = useApp((s) => (s.panes[exercise].serverId ? (s.results[s.panes[exercise].serverId!] ?? NONE) : NONE))
  const client = useApp((s) => (s.panes[exercise].clientId ? (s.results[s.panes[exercise].clientId!] ?? NONE) : NONE))
  return (
    <section className="panel results" aria-labelledby={`${exercise}-results-h`} data-testid="results">
      <header className="pane-head">
        <h3 id={`${exercise}-results-h`}>Result</h3>
      </header>
      <module.Result server={server} client={client} />
      <ResultLadder connId={(client.at(-1) ?? server.at(-1))?.connId} />
    </section>
  )
}

type Side = 'server' | 'client'

export function ExercisePage({ exercise }: { exercise: Exercise }): ReactNode {
  const module = exerciseModule(exercise)
  // In a small window the two panes are tabs; this one is shown.
  const [side, setSide] = useState<Side>('server')
  return (
    <div className="page exercise-page" data-testid={`page-${exercise}`}>
      <header className="page-head">
        <h2>{module.title}</h2>
        <p className="muted">{module.intro}</p>
      </header>
      <div className="pane-tabs" role="tablist" aria-label="Side">
        {(['server', 'client'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            id={`${exercise}-tab-${k}`}
            aria-selected={side === k}
            aria-controls={`${exercise}-${k}-pane`}
            className={`pane-tab ${side === k ? 'on' : ''}`}
            data-testid={`tab-${k}`}
            onClick={() => setSide(k)}
          >
            {k === 'server' ? 'Server' : 'Client'}
          </button>
        ))}
      </div>
      <div className={`panes show-${side}`}>
        <ServerPane exercise={exercise} />
        <ClientPane exercise={exercise} />
      </div>
      <WirePanel exercise={exercise} />
      <ResultsPanel exercise={exercise} />
    </div>
  )
}
