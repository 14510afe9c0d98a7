// A check run as the Check page shows it: the verdict so far, one row per check (filled in as each is
// settled), the connection doctor when the target could not be reached, Cancel while it runs, and the
// report saved as HTML, Markdown or JSON with where it went.

import type { ReactNode } from 'react'
import type { CheckSaveFormat, DoctorAction } from '@shared/contract'
import { useCheck, useCheckActions, type CheckTab, type RunView } from '../store/check'
import { CheckRow } from './CheckRow'
import { DoctorAdvice } from './DoctorAdvice'

function Verdict({ run }: { run: RunView }): ReactNode {
  const results = Object.values(run.results)
  const passed = results.filter((r) => r.ok === true).length
  const failed = results.filter((r) => r.ok === false).length
  const na = results.filter((r) => r.ok === null).length
  const counts = `${passed} passed, ${failed} failed, ${na} not applicable`
  if (run.error) return <span className="pill err">{run.error}</span>
  if (run.cancelled)
    return (
      <span className="pill" data-testid="check-verdict">
        Cancelled ({counts})
      </span>
    )
  if (!run.ended)
    return (
      <span className="pill info" data-testid="check-verdict">
        Checking… {results.length} of {run.plan.length || '?'} done
      </span>
    )
  const ok = run.report?.ok
  return (
    <span className={`pill ${ok ? 'ok' : 'err'}`} data-testid="check-verdict" data-ok={ok ? 'true' : 'false'}>
      {ok ? 'PASS: every required check passed' : 'FAIL: a required check failed'} ({counts})
    </span>
  )
}

export function SavedNote({ tab }: { tab: CheckTab }): ReactNode {
  const saved = useCheck((s) => s.saved[tab])
  if (!saved) return null
  return (
    <span className="ok-text small" role="status" data-testid={`check-saved-${tab}`}>
      Saved {saved.filename} to {saved.folder}
    </span>
  )
}

export function SaveButtons({
  tab,
  formats,
  disabled,
}: {
  tab: CheckTab
  formats: readonly { format: CheckSaveFormat; label: string }[]
  disabled?: boolean
}): ReactNode {
  const actions = useCheckActions()
  return (
    <div className="btn-group check-save">
      {formats.map((f) => (
        <button
          key={f.format}
          type="button"
          className="btn small"
          disabled={disabled}
          data-testid={`check-save-${tab}-${f.format}`}
          onClick={() => void actions.save(tab, f.format)}
        >
          {f.label}
        </button>
      ))}
    </div>
  )
}

const REPORT_FORMATS = [
  { format: 'html', label: 'Save as HTML' },
  { format: 'markdown', label: 'Markdown' },
  { format: 'json', label: 'JSON' },
] as const

export function CheckResults({
  tab,
  onDoctorAction,
}: {
  tab: Exclude<CheckTab, 'room'>
  /** A doctor's next step (another host or port, try again). */
  onDoctorAction?: (action: DoctorAction) => void
}): ReactNode {
  const actions = useCheckActions()
  const run = useCheck((s) => (s.current[tab] ? s.runs[s.current[tab]!] : undefined))
  if (!run) return <p className="muted">Nothing checked yet.</p>
  // Rows in the plan's order; a result for a row the plan did not list (it came first) still shows.
  const plan = run.plan.length
    ? run.plan
    : Object.values(run.results).map((r) => ({ id: r.id, title: r.title, required: r.required }))
  const diagnosis = run.report?.diagnosis
  return (
    <div className="check-run" data-testid={`check-run-${tab}`} data-run={run.info.runId}>
      <div className="toolbar">
        <Verdict run={run} />
        <span className="toolbar-spacer" />
        {!run.ended && (
          <button
            type="button"
            className="btn small danger"
            data-testid={`check-cancel-${tab}`}
            onClick={() => void actions.cancel(tab)}
          >
            Cancel
          </button>
        )}
        <SaveButtons tab={tab} formats={REPORT_FORMATS} disabled={!run.report} />
      </div>
      <SavedNote tab={tab} />
      {run.info.kind === 'client' && !run.ended && (
        <p className="small" data-testid="check-serving">
          SocketLab serves the <b>{run.info.question}</b> question on port <b className="mono">{run.info.target.port}</b>
          {run.info.target.command
            ? ': your program is started with that port.'
            : ': start your client and point it at this machine and that port.'}
        </p>
      )}
      {diagnosis && <DoctorAdvice diagnosis={diagnosis} onAction={onDoctorAction} />}
      <ul className="check-list" aria-label="Checks">
        {plan.map((p) => (
          <CheckRow key={p.id} plan={p} result={run.results[p.id]} ended={run.ended} />
        ))}
      </ul>
    </div>
  )
}
