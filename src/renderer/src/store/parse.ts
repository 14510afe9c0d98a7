// Checking what was typed before it is sent: a number field holds a whole number, a list parses. Each
// failure names the field it belongs next to. The labels come from the settings table where a field is
// a setting, so a label is written once.

import { LIMIT_SETTINGS, WIRE_SETTINGS } from '@shared/settings'

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string; field: string }

export class FieldError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message)
  }
}

/** Words for every form field that is not a setting (the settings' own labels come from their table). */
const FORM_LABELS: Readonly<Record<string, string>> = {
  host: 'Host',
  port: 'Port',
  localPort: 'Own port',
  oneAtATime: 'Mode',
  setSize: 'Own set size',
  name: 'Client name',
  ack: 'Acknowledgement',
  numbers: 'List',
  count: 'N',
  size: 'Set size',
  command: 'Command',
  thinkMs: 'Pause',
  baseName: 'Base name',
  interface: 'Interface',
}

/** Words for every field name the host may return, for error messages. */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  ...FORM_LABELS,
  ...Object.fromEntries([...Object.entries(WIRE_SETTINGS), ...Object.entries(LIMIT_SETTINGS)].map(([k, d]) => [k, d.label])),
}

export function wholeNumber(text: string, field: string): number {
  const t = text.trim()
  if (!/^-?\d+$/.test(t))
    throw new FieldError(`${FIELD_LABELS[field] ?? field} must be a whole number${t ? `, not "${t.slice(0, 20)}"` : ''}.`, field)
  return Number(t)
}

/** A whole number in lo..hi, flagged before it is sent (the handout's ranges). */
export function numberIn(text: string, field: string, lo: number, hi: number): number {
  const n = wholeNumber(text, field)
  if (n < lo || n > hi) throw new FieldError(`${FIELD_LABELS[field] ?? field} must be ${lo} to ${hi}, not ${n}.`, field)
  return n
}

export function check<T>(build: () => T): Checked<T> {
  try {
    return { ok: true, value: build() }
  } catch (err) {
    if (err instanceof FieldError) return { ok: false, error: err.message, field: err.field }
    throw err
  }
}

/** `[3, 14, 15]`, `3 14 15`, `3,14,15`: every whole number in the text, in order. */
export function parseNumberList(text: string): Checked<number[]> {
  const tokens = text.split(/[\s,;[\](){}]+/).filter(Boolean)
  if (tokens.length === 0) return { ok: false, error: 'Type at least one number, or press Regenerate.', field: 'numbers' }
  const bad = tokens.find((t) => !/^-?\d+$/.test(t))
  if (bad !== undefined) return { ok: false, error: `"${bad.slice(0, 20)}" is not a whole number.`, field: 'numbers' }
  return { ok: true, value: tokens.map(Number) }
}
