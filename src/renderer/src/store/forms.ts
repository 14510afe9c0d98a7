// Forms to command arguments. Only the syntax and the handout's ranges are checked here (a number
// field holds a whole number, a list parses, a set has 1 to 100 numbers); everything else is the host's
// job, and its errors come back as sentences to show as they are, with the field they belong to. Each
// exercise's own fields are turned into parameters by its module (src/renderer/src/exercises).

import type { ClientStartArgs, ServerStartArgs, ManyClientsStartArgs } from '@shared/contract'
import { checkHostInput } from '@shared/endpoint'
import { LIMIT_SETTINGS, WIRE_SETTINGS, type Exercise, type ServerLimits, type WireSettings } from '@shared/settings'
import { EXERCISE_FORMS } from '../exercises/forms'
import { check, FieldError, numberIn, wholeNumber, type Checked } from './parse'
import type { ExerciseSettings, FormOf, LimitsForm, ServerForm, ManyClientsForm, WireForm } from './settings'

export { parseNumberList, wholeNumber, type Checked } from './parse'

/** A form's text fields as numbers (checked), its choices as they are: generic over the settings table. */
function fromForm<T>(form: FormOf<T>): T {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(form as Record<string, unknown>))
    out[key] = typeof value === 'string' && isNumeric(key) ? wholeNumber(value, key) : value
  return out as T
}

const NUMERIC = new Set(
  [...Object.entries(WIRE_SETTINGS), ...Object.entries(LIMIT_SETTINGS)].filter(([, d]) => d.kind === 'integer').map(([k]) => k),
)
function isNumeric(key: string): boolean {
  return NUMERIC.has(key)
}

export function wireFromForm(form: WireForm): WireSettings {
  return fromForm<WireSettings>(form)
}

export function limitsFromForm(form: LimitsForm): ServerLimits {
  return fromForm<ServerLimits>(form)
}

export function serverArgs(exercise: Exercise, s: ExerciseSettings, override?: Partial<ServerForm>): Checked<ServerStartArgs> {
  const form = { ...s.server, ...override }
  return check(() => ({
    exercise,
    host: form.bind,
    port: wholeNumber(form.port, 'port'),
    oneAtATime: form.oneAtATime,
    wire: wireFromForm(s.wire),
    limits: limitsFromForm(s.limits),
    ...EXERCISE_FORMS[exercise].serverParams?.(form),
  }))
}

/** The host box as typed, or what is wrong with it (`127.0.0.256`: each of the 4 numbers is 0–255). */
function hostOf(text: string): string {
  const checked = checkHostInput(text)
  if (!checked.ok) throw new FieldError(checked.error, 'host')
  return checked.host
}

export function clientArgs(exercise: Exercise, host: string, s: ExerciseSettings): Checked<ClientStartArgs> {
  return check(() => ({
    exercise,
    host: hostOf(host),
    port: wholeNumber(s.client.port, 'port'),
    wire: wireFromForm(s.wire),
    ...EXERCISE_FORMS[exercise].clientParams(s.client),
  }))
}

export function manyClientsArgs(host: string, form: ManyClientsForm, wire?: WireForm): Checked<ManyClientsStartArgs> {
  return check(() => ({
    host: hostOf(host),
    port: wholeNumber(form.port, 'port'),
    count: numberIn(form.count, 'count', 1, 1000, 'manyClientsStart'),
    thinkMs: wholeNumber(form.thinkMs, 'thinkMs'),
    baseName: form.baseName,
    ...(wire ? { wire: wireFromForm(wire) } : {}),
  }))
}
