// Check my program: the handout's requirements asked of a student's own server or client, one row per
// check with pass / fail / n/a, the bytes exchanged as evidence and what to change; Run my program (the
// student's own program started here with the handout's keyboard input); and the instructor's room board.

import type { ReactNode } from 'react'
import type { DoctorAction } from '@shared/contract'
import { CheckResults } from '../components/CheckResults'
import { ClientCheckForm, ProgramForm, ServerCheckForm } from '../components/CheckForms'
import { CheckRoomBoard } from '../components/CheckRoomBoard'
import { applyDoctorAction, checkStore, setCheckTab, useCheck, useCheckActions, type CheckTab } from '../store/check'
import './CheckPage.css'

const TABS: { id: CheckTab; label: string; intro: string }[] = [
  {
    id: 'server',
    label: 'Check a server',
    intro:
      'Point it at your server (or a neighbour’s) and pick the question: every requirement of the handout is checked on its own connections.',
  },
  {
    id: 'client',
    label: 'Check a client',
    intro: 'SocketLab serves the question on a port, as the handout’s server would, and grades every client that connects.',
  },
  {
    id: 'program',
    label: 'Run my program',
    intro:
      'SocketLab starts your own program on this machine, types the handout’s keyboard input into it, and checks what it sends and prints.',
  },
  {
    id: 'room',
    label: 'Room board',
    intro: 'For the instructor: every team’s server from a roster, checked a few at a time, as a live grid.',
  },
]

export function CheckPage(): ReactNode {
  const tab = useCheck((s) => s.tab)
  const actions = useCheckActions()
  const current = TABS.find((t) => t.id === tab)!
  const onDoctor = (a: DoctorAction): void => {
    if (a.kind === 'use-host' || a.kind === 'use-port') {
      applyDoctorAction(checkStore, a)
      void actions.checkServer()
    } else if (a.kind === 'retry') void actions.checkServer()
    else if (a.kind === 'show-addresses') window.location.hash = '#/machine'
  }
  return (
    <div className="page" data-testid="page-check">
      <header className="page-head">
        <h2>Check my program</h2>
        <p className="muted">{current.intro}</p>
      </header>
      <div className="seg check-tabs" role="tablist" aria-label="What to check">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            className={`seg-btn ${tab === t.id ? 'on' : ''}`}
            data-testid={`check-tab-${t.id}`}
            onClick={() => setCheckTab(checkStore, t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <section className="panel" role="tabpanel" aria-label={current.label}>
        {tab === 'server' && <ServerCheckForm />}
        {tab === 'client' && <ClientCheckForm />}
        {tab === 'program' && <ProgramForm />}
        {tab === 'room' && <CheckRoomBoard />}
      </section>
      {tab !== 'room' && (
        <section className="panel" aria-label="Results">
          <CheckResults tab={tab} onDoctorAction={tab === 'server' ? onDoctor : undefined} />
        </section>
      )}
    </div>
  )
}
