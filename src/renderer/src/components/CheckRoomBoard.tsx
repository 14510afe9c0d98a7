// The instructor's room board: a roster (CSV: team, host, port, question, typed, pasted or loaded from a
// file) with each bad line named beside it; then a live grid, one row per team and one column per check,
// each cell pass / fail / n/a with the failing reason on hover and its detail and evidence on click; a
// team re-run on demand; the board saved as CSV or JSON, and one team's report as HTML.

import { useId, useState, type ReactNode } from 'react'
import type { CheckReport } from '@shared/contract'
import { checkForm, checkStore, setCheckField, useCheck, useCheckActions } from '../store/check'
import { useApp } from '../store'
import { CheckDetail, VERDICT_TEXT, verdictOf } from './CheckRow'
import { SavedNote, SaveButtons } from './CheckResults'
import { ErrorText, FormError } from './fields'
import { PaneForm, StartStopButton, useBusy } from './paneForm'

const BOARD_FORMATS = [
  { format: 'csv', label: 'Save board as CSV' },
  { format: 'json', label: 'JSON' },
] as const

function RosterField({ running }: { running: boolean }): ReactNode {
  const id = useId()
  const csv = useCheck((s) => s.forms.room.csv)
  const lineErrors = useCheck((s) => s.rosterErrors)
  const error = useApp((s) => (s.errors[checkForm.room]?.field === 'roster' ? s.errors[checkForm.room]?.error : undefined))
  const load = (file: File | undefined): void => {
    if (!file) return
    void file.text().then((text) => setCheckField(checkStore, 'room', 'csv', text))
  }
  return (
    <div className="field w-full">
      <label htmlFor={id}>Roster (CSV: team,host,port,question)</label>
      <textarea
        id={id}
        className="mono roster-text"
        rows={6}
        spellCheck={false}
        value={csv}
        disabled={running}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-err` : undefined}
        data-testid="check-roster-csv"
        onChange={(e) => setCheckField(checkStore, 'room', 'csv', e.target.value)}
      />
      <div className="row">
        <label className="btn small file-btn">
          Load a .csv file…
          <input
            type="file"
            accept=".csv,text/csv,text/plain"
            className="sr-only"
            data-testid="check-roster-file"
            onChange={(e) => load(e.target.files?.[0])}
          />
        </label>
      </div>
      {lineErrors.length > 0 ? (
        <ul className="field-error roster-errors" id={`${id}-err`} role="alert" data-testid="error-roster">
          {lineErrors.map((e, i) => (
            <li key={i}>
              {e.line !== null && <b>line {e.line}: </b>}
              {e.message}
            </li>
          ))}
        </ul>
      ) : (
        <ErrorText id={`${id}-err`} field="roster" error={error} />
      )}
    </div>
  )
}

function cellOf(report: CheckReport | undefined, id: string, running: boolean) {
  const result = report?.checks.find((c) => c.id === id)
  if (!report) return { verdict: running ? ('running' as const) : ('cancelled' as const), result: undefined }
  return { verdict: result ? verdictOf(result, true) : ('none' as const), result }
}

export function CheckRoomBoard(): ReactNode {
  const actions = useCheckActions()
  const board = useCheck((s) => (s.roster ? s.rosters[s.roster] : undefined))
  const running = !!board && (!board.ended || Object.keys(board.running).length > 0)
  const [busy, withBusy] = useBusy()
  const [picked, setPicked] = useState<{ team: number; id: string } | null>(null)
  const pickedReport = picked && board ? board.reports[picked.team] : undefined
  const pickedResult = picked ? pickedReport?.checks.find((c) => c.id === picked.id) : undefined
  const done = board ? board.reports.filter(Boolean).length : 0
  return (
    <>
      <PaneForm onSubmit={() => void withBusy(() => (running ? actions.cancel('room') : actions.checkRoster()))}>
        <RosterField running={running} />
        <div className="actions">
          <StartStopButton
            running={running}
            busy={busy}
            start="Check every team"
            stop="Cancel"
            testids={{ start: 'check-roster-start', stop: 'check-roster-stop' }}
          />
          <span className="muted small">Six teams at a time; each team&rsquo;s row fills in as its check ends.</span>
        </div>
        <FormError form={checkForm.room} fields={['roster']} />
      </PaneForm>
      {board && (
        <div className="check-run" data-testid="check-room-board">
          <div className="toolbar">
            <span className={`pill ${running ? 'info' : ''}`} data-testid="check-room-state">
              {running
                ? `Checking… ${done} of ${board.info.entries.length} teams done`
                : `${board.reports.filter((r) => r?.ok).length} of ${board.info.entries.length} teams passed every required check`}
            </span>
            <span className="toolbar-spacer" />
            <SaveButtons tab="room" formats={BOARD_FORMATS} />
          </div>
          <SavedNote tab="room" />
          <div className="room-scroll">
            <table className="table room-grid">
              <thead>
                <tr>
                  <th>team</th>
                  <th>server</th>
                  <th>result</th>
                  {board.info.columns.map((c) => (
                    <th key={c} className="room-col">
                      <code>{c}</code>
                    </th>
                  ))}
                  <th />
                </tr>
              </thead>
              <tbody>
                {board.info.entries.map((e, i) => {
                  const report = board.reports[i]
                  const teamRunning = !!board.running[i]
                  return (
                    <tr key={i} data-testid={`room-team-${i}`} data-team={e.team}>
                      <td>
                        <b>{e.team}</b>
                      </td>
                      <td className="mono small">
                        {e.host}:{e.port} <span className="muted">{e.question}</span>
                      </td>
                      <td data-testid={`room-result-${i}`}>
                        {teamRunning ? (
                          <span className="pill info">checking…</span>
                        ) : report ? (
                          <span className={`pill ${report.ok ? 'ok' : 'err'}`}>{report.ok ? 'pass' : 'FAIL'}</span>
                        ) : (
                          <span className="muted">waiting</span>
                        )}
                      </td>
                      {board.info.columns.map((c) => {
                        const cell = cellOf(teamRunning ? undefined : report, c, teamRunning || !board.ended)
                        if (cell.verdict === 'none') return <td key={c} className="room-cell v-none" />
                        const reason = cell.result ? `${c}: ${cell.result.detail}` : undefined
                        const on = picked?.team === i && picked.id === c
                        return (
                          <td key={c} className={`room-cell v-${cell.verdict}`}>
                            <button
                              type="button"
                              className={`room-btn v-${cell.verdict}${on ? ' on' : ''}`}
                              title={reason}
                              disabled={!cell.result}
                              aria-label={`${e.team}, ${c}: ${VERDICT_TEXT[cell.verdict]}`}
                              data-testid={`room-cell-${i}-${c}`}
                              data-verdict={cell.verdict}
                              onClick={() => setPicked(on ? null : { team: i, id: c })}
                            >
                              {VERDICT_TEXT[cell.verdict]}
                            </button>
                          </td>
                        )
                      })}
                      <td>
                        <button
                          type="button"
                          className="btn small"
                          disabled={teamRunning}
                          data-testid={`room-rerun-${i}`}
                          onClick={() => void actions.rerunTeam(i)}
                        >
                          Re-run
                        </button>
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
          {picked && pickedResult && (
            <section className="room-picked" data-testid="room-picked" aria-label="Check detail">
              <div className="toolbar">
                <b>
                  {board.info.entries[picked.team].team}: <code>{pickedResult.id}</code> {pickedResult.title}
                </b>
                <span className="toolbar-spacer" />
                <button
                  type="button"
                  className="btn small"
                  data-testid="room-save-team"
                  onClick={() => void actions.save('room', 'html', picked.team)}
                >
                  Save this team&rsquo;s report (HTML)
                </button>
              </div>
              <CheckDetail result={pickedResult} />
            </section>
          )}
        </div>
      )}
    </>
  )
}
