// Wire settings and server limits of one exercise, each with its one-line explanation. Collapsed by
// default; opens by itself when an error names one of its fields.

import { useEffect, useState, type ReactNode } from 'react'
import {
  GREET_MODES,
  LIMIT_HELP,
  LIST_ENCODINGS,
  PAIR_SEPARATORS,
  WIRE_HELP,
  type Exercise,
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
import { CheckField, SelectField, TextField } from './fields'

const WIRE_KEYS = Object.keys(DEFAULT_WIRE_FORM) as (keyof WireSettings)[]
const LIMIT_KEYS = Object.keys(DEFAULT_LIMITS_FORM) as (keyof ServerLimits)[]
export const WIRE_FIELDS: readonly string[] = [...WIRE_KEYS, ...LIMIT_KEYS]

/** The order shown: what a classmate's program most often needs first. */
const WIRE_ORDER: (keyof WireSettings)[] = [
  'pairSeparator',
  'listEncoding',
  'greetFirst',
  'answerGreeting',
  'lineMode',
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
  answerGreeting: LIST_EXERCISES,
}

const SEPARATOR_LABELS: Record<string, string> = { ' ': 'space — 3 7', ',': 'comma — 3,7', '+': 'plus — 3+7' }
const ENCODING_LABELS: Record<string, string> = { auto: 'auto — as the peer sent', text: 'text — [3, 14, 15]', pickle: 'pickle' }
const GREET_LABELS: Record<string, string> = { auto: 'auto — if the client is silent', always: 'always', never: 'never' }

type ChoiceKey = 'pairSeparator' | 'listEncoding' | 'greetFirst'

function choices<T extends string>(values: readonly T[], labels: Record<string, string>): readonly { value: T; label: string }[] {
  return values.map((v) => ({ value: v, label: labels[v] }))
}

/** The settings picked from a list, each choice in words. */
const WIRE_CHOICES: { [K in ChoiceKey]: readonly { value: WireForm[K]; label: string }[] } = {
  pairSeparator: choices(PAIR_SEPARATORS, SEPARATOR_LABELS),
  listEncoding: choices(LIST_ENCODINGS, ENCODING_LABELS),
  greetFirst: choices(GREET_MODES, GREET_LABELS),
}

const WIRE_LABELS: Record<keyof WireSettings, string> = {
  pairSeparator: 'Pair separator',
  paceMs: 'Pacing gap (ms)',
  quietMs: 'Quiet moment (ms)',
  listEncoding: 'List encoding',
  greetFirst: 'Greet first',
  answerGreeting: 'Answer the greeting',
  lineMode: 'Line mode (add \\n)',
  connectTimeoutMs: 'Connect timeout (ms)',
  replyTimeoutMs: 'Reply timeout (ms)',
}

const LIMIT_LABELS: Record<keyof ServerLimits, string> = {
  maxClients: 'Max clients',
  maxMessageBytes: 'Max message size (bytes)',
  handshakeTimeoutMs: 'First-message timeout (ms)',
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
      {WIRE_LABELS[key]}
      {unused(key) && <span className="unused"> · not used here</span>}
    </>
  )

  /** What every wire field has: its label, the form its error belongs to, its test id and its help. */
  const common = (key: keyof WireSettings) => ({
    label: label(key),
    form,
    field: key,
    testid: `wire-${key}`,
    help: WIRE_HELP[key],
  })
  const choiceField = <K extends ChoiceKey>(key: K): ReactNode => (
    <SelectField {...common(key)} value={wire[key]} options={WIRE_CHOICES[key]} onChange={(v) => setWire(key, v)} width="full" />
  )

  const field = (key: keyof WireSettings): ReactNode => {
    switch (key) {
      case 'pairSeparator':
      case 'listEncoding':
      case 'greetFirst':
        return choiceField(key)
      case 'answerGreeting':
      case 'lineMode':
        return <CheckField {...common(key)} checked={wire[key]} onChange={(v) => setWire(key, v)} />
      default:
        return <TextField {...common(key)} value={wire[key]} onChange={(v) => setWire(key, v)} numeric width="full" />
    }
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
                label={LIMIT_LABELS[key]}
                value={limits[key]}
                onChange={(v) => setLimit(key, v)}
                form={serverForm}
                field={key}
                testid={`limit-${key}`}
                numeric
                help={LIMIT_HELP[key]}
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
