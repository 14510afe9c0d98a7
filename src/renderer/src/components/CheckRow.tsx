// One check as a row: pass / fail / n/a (or still running), its id and title, optional or required; a
// click opens what was found, what to change and the bytes exchanged for it.

import { useState, type ReactNode } from 'react'
import type { CheckPlan, CheckResult } from '@shared/contract'
import { CheckEvidence } from './CheckEvidence'
import { HelpText } from './fields'

export type RowVerdict = 'pass' | 'fail' | 'na' | 'running' | 'cancelled'

export const VERDICT_TEXT: Record<RowVerdict, string> = {
  pass: 'pass',
  fail: 'fail',
  na: 'n/a',
  running: '…',
  cancelled: 'not run',
}

export function verdictOf(result: CheckResult | undefined, ended: boolean): RowVerdict {
  if (result) return result.ok === true ? 'pass' : result.ok === false ? 'fail' : 'na'
  return ended ? 'cancelled' : 'running'
}

/** What a check found and what to change, with its evidence: the row's open part, and the board's cell detail. */
export function CheckDetail({ result }: { result: CheckResult }): ReactNode {
  return (
    <div className="check-detail" data-testid={`check-detail-${result.id}`}>
      <HelpText text={result.detail} />
      {result.ok === false && result.fix && (
        <div className="check-fix" data-testid={`check-fix-${result.id}`}>
          <b>What to change: </b>
          <HelpText text={result.fix} />
        </div>
      )}
      <CheckEvidence evidence={result.evidence} testid={`check-evidence-${result.id}`} />
    </div>
  )
}

export function CheckRow({ plan, result, ended }: { plan: CheckPlan; result?: CheckResult; ended: boolean }): ReactNode {
  const [open, setOpen] = useState(false)
  const verdict = verdictOf(result, ended)
  return (
    <li className={`check-item v-${verdict}`} data-testid={`check-row-${plan.id}`} data-verdict={verdict}>
      <button
        type="button"
        className="check-line"
        aria-expanded={open}
        disabled={!result}
        onClick={() => setOpen(!open)}
        data-testid={`check-toggle-${plan.id}`}
      >
        <span className={`check-mark v-${verdict}`} data-testid={`check-verdict-${plan.id}`}>
          {VERDICT_TEXT[verdict]}
        </span>
        <code className="check-id">{plan.id}</code>
        <span className="check-title">{plan.title}</span>
        {!plan.required && <span className="muted small">optional</span>}
        {result && (
          <span className="check-caret" aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
        )}
      </button>
      {result && !open && result.ok !== true && (
        <div className="check-summary small">
          <HelpText text={result.detail.split('\n')[0]} />
        </div>
      )}
      {result && open && <CheckDetail result={result} />}
    </li>
  )
}
