// Wire settings and server limits of one exercise, each with its one-line explanation. Collapsed by
// default; opens by itself when an error names one of its fields.

import { useEffect, useState, type ReactNode } from 'react'
import {
  LIMIT_SETTINGS,
  WIRE_SETTINGS,
  formatSetting,
  type Exercise,
  type IntegerSetting,
  type ServerLimits,
  type WireSettings,
} from '@shared/settings'
import {
  appStore,
  DEFAULT_LIMITS_FORM,
  DEFAULT_WIRE_FORM,
  formKey,
  resetExercisePart,
  setExerciseField,
  useApp,
  type LimitsForm,
  type WireForm,
} from '../store'
import { SelectField, TextField } from './fields'

const WIRE_KEYS = Object.keys(DEFAULT_WIRE_FORM) as (keyof WireSettings)[]
const LIMIT_KEYS = Object.keys(DEFAULT_LIMITS_FORM) as (keyof ServerLimits)[]
export const WIRE_FIELDS: readonly string[] = [...WIRE_KEYS, ...LIMIT_KEYS]

/** The order shown: what a classmate's program most often needs first. */
const WIRE_ORDER: (keyof WireSettings)[] = [
  'pairSeparator',
  'listEncoding',
  'terminator',
  'greetFirst',
  'acknowledge',
  'paceMs',
  'quietMs',
  'connectTimeoutMs',
  'replyTimeoutMs',
]

const LIST_EXERCISES: Exercise[] = ['dedup', 'intersection']
/** Which exercises a setting changes anything for. */
const USED_BY: Partial<Record<keyof WireSettings, Exercise[]>> = {
  pairSeparator: ['adder'],
  listEncoding: LIST_EXERCISES,
  greetFirst: LIST_EXERCISES,
  acknowledge: LIST_EXERCISES,
}

/** `Pace (ms)`: the table's label with its unit. */
function labelOf(d: (typeof WIRE_SETTINGS)[keyof WireSettings] | IntegerSetting): string {
  return d.kind === 'integer' && d.unit !== 'connections' ? `${d.label} (${d.unit})` : d.label
}

function changedCount(wire: WireForm, limits: LimitsForm): number {
  let n = 0
  for (const k of WIRE_KEYS) if (wire[k] !== DEFAULT_WIRE_FORM[k]) n++
  for (const k of LIMIT_KEYS) if (limits[k] !== DEFAULT_LIMITS_FORM[k]) n++
  return n
}

export function WirePanel({ exercise }: { exercise: Exercise }): ReactNode {
  const wire = useApp((s) => s.settings.exercises[exercise].wire)
  const limits = useApp((s) => s.settings.exercises[exercise].limits)
  const serverForm = formKey.server(exercise)
  const clientForm = formKey.client(exercise)
  // The field in error, if it is one of ours, and which form it came from.
  const errorAt = useApp((s) => {
    for (const f of [serverForm, clientForm]) {
      const e = s.errors[f]
      if (e?.field && WIRE_FIELDS.includes(e.field)) return f
    }
    return undefined
  })
  const [open, setOpen] = useState(false)
  useEffect(() => {
    if (errorAt) setOpen(true)
  }, [errorAt])

  const changed = changedCount(wire, limits)
  const form = errorAt ?? clientForm
  const setWire = <K extends keyof WireSettings>(key: K, value: WireForm[K]): void =>
    setExerciseField(appStore, exercise, 'wire', key, value)
  const setLimit = <K extends keyof ServerLimits>(key: K, value: string): void =>
    setExerciseField(appStore, exercise, 'limits', key, value)
  const unused = (key: keyof WireSettings): boolean => !!USED_BY[key] && !USED_BY[key]!.includes(exercise)
  const label = (key: keyof WireSettings): ReactNode => (
    <>
      {labelOf(WIRE_SETTINGS[key])}
      {unused(key) && <span className="unused"> · not used here</span>}
    </>
  )

  /** What every wire field has: its label, the form its error belongs to, its test id and its help. */
  const common = (key: keyof WireSettings) => ({
    label: label(key),
    form,
    field: key,
    testid: `wire-${key}`,
    help: WIRE_SETTINGS[key].help,
  })
  const field = (key: keyof WireSettings): ReactNode => {
    const d = WIRE_SETTINGS[key]
    if (d.kind === 'choice')
      return (
        <SelectField
          {...common(key)}
          value={wire[key]}
          options={d.choices.map((c) => ({ value: c.value, label: c.label }))}
          onChange={(v) => setWire(key, v as WireForm[typeof key])}
          width="full"
        />
      )
    return (
      <TextField
        {...common(key)}
        value={wire[key] as string}
        onChange={(v) => setWire(key, v as WireForm[typeof key])}
        numeric
        width="full"
      />
    )
  }

  return (
    <details className="panel wire-panel" open={open} onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="wire-panel">
      <summary data-testid="wire-toggle">
        <span className="summary-title">Wire settings and limits</span>
        <span className="muted small">
          {changed ? `${changed} changed from the defaults` : 'defaults: work with the handout\u2019s programs'}
        </span>
      </summary>
      <div className="wire-body">
        <section>
          <h4>Wire — both sides</h4>
          <div className="wire-grid">
            {WIRE_ORDER.filter((k) => !unused(k))
              .concat(WIRE_ORDER.filter(unused))
              .map((key) => (
                <div key={key} className={unused(key) ? 'dimmed' : undefined}>
                  {field(key)}
                </div>
              ))}
          </div>
        </section>
        <section>
          <h4>Server limits</h4>
          <div className="wire-grid">
            {LIMIT_KEYS.map((key) => (
              <TextField
                key={key}
                label={labelOf(LIMIT_SETTINGS[key])}
                value={limits[key]}
                onChange={(v) => setLimit(key, v)}
                form={serverForm}
                field={key}
                testid={`limit-${key}`}
                numeric
                help={`${LIMIT_SETTINGS[key].help} Default ${formatSetting(LIMIT_SETTINGS[key], LIMIT_SETTINGS[key].default)}.`}
                width="full"
              />
            ))}
          </div>
          <button
            type="button"
            className="btn"
            disabled={!changed}
            data-testid="wire-reset"
            onClick={() => {
              resetExercisePart(appStore, exercise, 'wire', DEFAULT_WIRE_FORM)
              resetExercisePart(appStore, exercise, 'limits', DEFAULT_LIMITS_FORM)
            }}
          >
            Reset to defaults
          </button>
        </section>
      </div>
    </details>
  )
}
