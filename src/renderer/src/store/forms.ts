// Forms to command arguments. Only the syntax is checked here (a number field holds a whole number,
// a list parses); ranges and everything else are the host's job, and its errors come back with the
// field they belong to.

import type { ClientStartArgs, ServerStartArgs, ManyClientsStartArgs } from '@shared/contract'
import { LIMIT_SETTINGS, WIRE_SETTINGS, type Exercise, type ServerLimits, type WireSettings } from '@shared/settings'
import type { ClientForm, ExerciseSettings, FormOf, LimitsForm, ServerForm, ManyClientsForm, WireForm } from './settings'

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string; field: string }

class FieldError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message)
  }
}

/** Words for every field name the host may return, for error messages. */
export const FIELD_LABELS: Record<string, string> = {
  host: 'Host',
  port: 'Port',
  localPort: 'Local port',
  oneAtATime: 'Mode',
  setSize: 'Server set size',
  name: 'Name',
  ack: 'Acknowledgement',
  numbers: 'List',
  count: 'Count',
  size: 'Set size',
  command: 'Command',
  thinkMs: 'Pause',
  baseName: 'Base name',
  pairSeparator: 'Pair separator',
  paceMs: 'Pacing gap',
  quietMs: 'Quiet moment',
  listEncoding: 'List encoding',
  greetFirst: 'Greet first',
  answerGreeting: 'Answer greeting',
  lineMode: 'Line mode',
  connectTimeoutMs: 'Connect timeout',
  replyTimeoutMs: 'Reply timeout',
  maxClients: 'Max clients',
  maxMessageBytes: 'Max message size',
  handshakeTimeoutMs: 'First-message timeout',
  interface: 'Interface',
}

export function wholeNumber(text: string, field: string): number {
  const t = text.trim()
  if (!/^-?\d+$/.test(t))
    throw new FieldError(`${FIELD_LABELS[field] ?? field} must be a whole number${t ? `, not "${t.slice(0, 20)}"` : ''}.`, field)
  return Number(t)
}

function check<T>(build: () => T): Checked<T> {
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
    ...(exercise === 'intersection' ? { setSize: wholeNumber(form.setSize, 'setSize') } : {}),
  }))
}

export function clientArgs(exercise: Exercise, host: string, s: ExerciseSettings): Checked<ClientStartArgs> {
  const form: ClientForm = s.client
  return check(() => {
    const args: ClientStartArgs = {
      exercise,
      host: host.trim(),
      port: wholeNumber(form.port, 'port'),
      wire: wireFromForm(s.wire),
    }
    switch (exercise) {
      case 'greeting':
        args.params = { ack: form.ack }
        if (form.localPort.trim()) args.localPort = wholeNumber(form.localPort, 'localPort')
        break
      case 'dedup': {
        const list = parseNumberList(form.numbers)
        if (!list.ok) throw new FieldError(list.error, list.field)
        args.params = { numbers: list.value }
        break
      }
      case 'intersection':
        args.params = { size: wholeNumber(form.size, 'size') }
        break
      case 'adder':
        args.params = { name: form.name }
        break
    }
    return args
  })
}

export function manyClientsArgs(host: string, form: ManyClientsForm, wire?: WireForm): Checked<ManyClientsStartArgs> {
  return check(() => ({
    host: host.trim(),
    port: wholeNumber(form.port, 'port'),
    count: wholeNumber(form.count, 'count'),
    thinkMs: wholeNumber(form.thinkMs, 'thinkMs'),
    baseName: form.baseName,
    ...(wire ? { wire: wireFromForm(wire) } : {}),
  }))
}

/**
 * The host's validation messages (`port: must be 0 to 65535`) in plain words for the control they
 * belong to (`Port must be 0 to 65535.`). Messages already in sentences pass through.
 */
export function plainError(error: string, field?: string): string {
  let text = error.trim()
  const colon = text.indexOf(': ')
  const path = colon > 0 ? text.slice(0, colon) : ''
  if (field && path && /^[\w.]+$/.test(path) && path.split('.').pop() === field) {
    const rest = text.slice(colon + 2)
    const label = FIELD_LABELS[field] ?? field
    if (/^Invalid input: expected number/i.test(rest)) text = `${label} must be a number`
    else if (/^(must|is|should|cannot) /.test(rest)) text = `${label} ${rest}`
    else text = `${label}: ${rest}`
  }
  text = text.charAt(0).toUpperCase() + text.slice(1)
  return /[.!?)]$/.test(text) ? text : `${text}.`
}
