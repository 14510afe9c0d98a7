// What the student typed: forms of every exercise, the wire settings and limits, Many clients.
// Kept as typed (strings for numbers) so a half-typed field is never rewritten under the cursor,
// and persisted in localStorage so the next launch starts where the last one ended.

import { DEFAULT_CLIENT_BASE } from '@shared/lab'
import {
  DEFAULT_ACK,
  DEFAULT_LIMITS,
  DEFAULT_WIRE,
  EXERCISES,
  HANDOUT_PORT,
  type Exercise,
  type ServerLimits,
  type WireSettings,
} from '@shared/settings'
import { EXERCISE_FORMS } from '../exercises/forms'

/** Number fields hold the text typed; booleans and choices hold their value. */
export type FormOf<T> = { [K in keyof T]: T[K] extends number ? string : T[K] }

export type WireForm = FormOf<WireSettings>
export type LimitsForm = FormOf<ServerLimits>

export interface ServerForm {
  bind: 'all' | 'loopback'
  port: string
  oneAtATime: boolean
  /** Intersection: size of the server's own set. */
  setSize: string
}

export interface ClientForm {
  port: string
  /** Greeting: bind the client's own port first (the handout's 32451); empty = any. */
  localPort: string
  /** Greeting: the acknowledgement. */
  ack: string
  /** Adder: the whole name. */
  name: string
  /** Dedup: how many numbers Regenerate draws. */
  count: string
  /** Dedup: the list, as text. */
  numbers: string
  /** Intersection: how many distinct numbers the client's set has. */
  size: string
}

export interface ExerciseSettings {
  server: ServerForm
  client: ClientForm
  wire: WireForm
  limits: LimitsForm
}

export interface ManyClientsForm {
  port: string
  count: string
  thinkMs: string
  baseName: string
}

/** Light or dark, or as the system says. */
export type Theme = 'system' | 'light' | 'dark'
export const THEMES: readonly Theme[] = ['system', 'light', 'dark']

export interface Settings {
  theme: Theme
  /** The last host typed in any client form (shared: a neighbour's IP is typed once). */
  host: string
  exercises: Record<Exercise, ExerciseSettings>
  manyClients: ManyClientsForm
}

function formOf<T extends object>(values: T): FormOf<T> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v])) as FormOf<T>
}

export const DEFAULT_WIRE_FORM: WireForm = formOf(DEFAULT_WIRE)
export const DEFAULT_LIMITS_FORM: LimitsForm = formOf(DEFAULT_LIMITS)

/** Every client field's default; each exercise's module sets its own (a drawn list, a name). */
const CLIENT_DEFAULTS: ClientForm = {
  port: String(HANDOUT_PORT),
  localPort: '',
  ack: DEFAULT_ACK,
  name: DEFAULT_CLIENT_BASE,
  count: '50',
  numbers: '',
  size: '25',
}

export function defaultExerciseSettings(exercise: Exercise): ExerciseSettings {
  return {
    server: { bind: 'all', port: String(HANDOUT_PORT), oneAtATime: false, setSize: '25' },
    client: { ...CLIENT_DEFAULTS, ...EXERCISE_FORMS[exercise].clientDefaults() },
    wire: { ...DEFAULT_WIRE_FORM },
    limits: { ...DEFAULT_LIMITS_FORM },
  }
}

export function defaultSettings(): Settings {
  return {
    theme: 'system',
    host: '127.0.0.1',
    exercises: Object.fromEntries(EXERCISES.map((e) => [e, defaultExerciseSettings(e)])) as Record<Exercise, ExerciseSettings>,
    manyClients: { port: String(HANDOUT_PORT), count: '50', thinkMs: '0', baseName: DEFAULT_CLIENT_BASE },
  }
}

export const SETTINGS_KEY = 'socketlab.settings.v1'

function pick<T extends object>(defaults: T, saved: unknown): T {
  if (typeof saved !== 'object' || saved === null) return defaults
  const out = { ...defaults }
  for (const key of Object.keys(defaults) as (keyof T)[]) {
    const value = (saved as Record<string, unknown>)[key as string]
    if (value !== undefined && typeof value === typeof defaults[key]) out[key] = value as T[keyof T]
  }
  return out
}

/** Saved settings over the defaults, field by field (a field added later keeps its default). */
export function mergeSettings(saved: unknown): Settings {
  const d = defaultSettings()
  if (typeof saved !== 'object' || saved === null) return d
  const s = saved as Partial<Record<keyof Settings, unknown>>
  const exercises = (s.exercises ?? {}) as Record<string, Partial<Record<keyof ExerciseSettings, unknown>> | undefined>
  return {
    theme: THEMES.includes(s.theme as Theme) ? (s.theme as Theme) : d.theme,
    host: typeof s.host === 'string' ? s.host : d.host,
    manyClients: pick(d.manyClients, s.manyClients),
    exercises: Object.fromEntries(
      EXERCISES.map((e) => {
        const def = d.exercises[e]
        const got = exercises[e] ?? {}
        return [
          e,
          {
            server: pick(def.server, got.server),
            client: pick(def.client, got.client),
            wire: pick(def.wire, got.wire),
            limits: pick(def.limits, got.limits),
          },
        ]
      }),
    ) as Record<Exercise, ExerciseSettings>,
  }
}

interface StorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

function storage(): StorageLike | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}

export function loadSettings(store: StorageLike | null = storage()): Settings {
  try {
    const raw = store?.getItem(SETTINGS_KEY)
    return mergeSettings(raw ? JSON.parse(raw) : null)
  } catch {
    return defaultSettings()
  }
}

export function saveSettings(settings: Settings, store: StorageLike | null = storage()): void {
  try {
    store?.setItem(SETTINGS_KEY, JSON.stringify(settings))
  } catch {
    // Private mode or a full quota: settings just do not persist.
  }
}
