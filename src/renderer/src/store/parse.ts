// Checking what was typed before it is sent: a number field holds a whole number, a list parses. Each
// failure names the field it belongs next to, in the words of the one list of field labels
// (src/shared/fields.ts) the host's errors use too.

import type { CommandName } from '@shared/contract'
import { fieldLabel } from '@shared/fields'

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string; field: string }

export class FieldError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message)
  }
}

/** @param command the command the form sends, where its label for the field differs (src/shared/fields.ts). */
export function wholeNumber(text: string, field: string, command?: CommandName): number {
  const t = text.trim()
  if (!/^-?\d+$/.test(t))
    throw new FieldError(`${fieldLabel(field, command)} must be a whole number${t ? `, not "${t.slice(0, 20)}"` : ''}.`, field)
  return Number(t)
}

/** A whole number in lo..hi, flagged before it is sent (the handout's ranges). */
export function numberIn(text: string, field: string, lo: number, hi: number, command?: CommandName): number {
  const n = wholeNumber(text, field, command)
  if (n < lo || n > hi) throw new FieldError(`${fieldLabel(field, command)} must be ${lo} to ${hi}, not ${n}.`, field)
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
