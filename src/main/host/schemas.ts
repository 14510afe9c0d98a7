// Every command's arguments are checked here before anything reaches the engine: the renderer is
// not trusted. Unknown fields, wrong types, out-of-range ports and over-long strings are refused.

import { z } from 'zod'
import { checkHostInput } from '@shared/endpoint'
import { fieldLabel, fieldSentence, sentence } from '@shared/fields'
import { TRAFFIC_EXPORT_SEQS_MAX, type CommandName } from '@shared/contract'
import { captureSchemas } from '../capture/commands'
import { checkSchemas } from '../check/commands'
import { SENTENCE } from '../errors'
import { EXERCISES, LIMIT_SETTINGS, WIRE_SETTINGS, type SettingDescriptor } from '@shared/settings'

const port = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be 0 to 65535')
  .max(65535, 'must be 0 to 65535')
const clientPort = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be 1 to 65535')
  .max(65535, 'must be 1 to 65535')
const ms = (max: number) => z.number().int().min(0).max(max)
/** What a student typed as the server's host: typos of an IP address are named (`127.0.0.256`, `127 0 0 1`). */
const host = z.string().transform((text, ctx) => {
  const checked = checkHostInput(text)
  if (checked.ok) return checked.host
  ctx.addIssue({ code: 'custom', message: checked.error, params: SENTENCE })
  return z.NEVER
})
const id = z.string().min(1).max(64)
const text = (max: number) => z.string().max(max, `must be at most ${max} characters`)

/** One zod schema per setting, generated from the descriptor table (bounds and choices live there only). */
function settingSchema(d: SettingDescriptor): z.ZodType {
  if (d.kind === 'integer')
    return z
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(d.min, `must be ${d.min} to ${d.max}`)
      .max(d.max, `must be ${d.min} to ${d.max}`)
  const values = d.choices.map((c) => c.value) as [string, ...string[]]
  return z.enum(values)
}

function tableSchema(table: Record<string, SettingDescriptor>) {
  return z
    .object(Object.fromEntries(Object.entries(table).map(([k, d]) => [k, settingSchema(d)])))
    .strict()
    .partial()
}

const wire = tableSchema(WIRE_SETTINGS as unknown as Record<string, SettingDescriptor>)
const limits = tableSchema(LIMIT_SETTINGS as unknown as Record<string, SettingDescriptor>)

const number = z.number().int().min(-1_000_000_000).max(1_000_000_000)
const none = z.object({}).strict()

export const commandSchemas = {
  serverStart: z
    .object({
      exercise: z.enum(EXERCISES),
      host: z.string().trim().min(1, 'choose where to listen').max(64),
      port,
      oneAtATime: z.boolean(),
      wire: wire.optional(),
      limits: limits.optional(),
      setSize: z.number().int().min(0).max(100).optional(),
    })
    .strict(),
  serverStop: z.object({ serverId: id }).strict(),
  clientStart: z
    .object({
      exercise: z.enum(EXERCISES),
      host,
      port: clientPort,
      wire: wire.optional(),
      localPort: port.optional(),
      params: z
        .object({
          name: text(100).trim().min(1, 'enter a name').optional(),
          ack: text(1000).optional(),
          numbers: z.array(number).max(10_000, 'must have at most 10,000 numbers').optional(),
          count: z.number().int().min(1).max(10_000).optional(),
          size: z.number().int().min(0).max(100).optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
  clientCommand: z.object({ clientId: id, command: text(200) }).strict(),
  clientStop: z.object({ clientId: id }).strict(),
  manyClientsStart: z
    .object({
      host,
      port: clientPort,
      count: z.number().int().min(1, 'must be 1 to 1000').max(1000, 'must be 1 to 1000'),
      baseName: text(50).trim().min(1).optional(),
      wire: wire.optional(),
      thinkMs: ms(60_000).optional(),
    })
    .strict(),
  manyClientsStop: z.object({ manyClientsId: id }).strict(),
  connectionClose: z.object({ connId: id }).strict(),
  systemInterfaces: none,
  trafficExport: z
    .object({
      format: z.enum(['json', 'text']),
      connId: id.optional(),
      many: z.boolean().optional(),
      seqs: z.array(z.number().int().min(1)).max(TRAFFIC_EXPORT_SEQS_MAX).optional(),
    })
    .strict(),
  snapshot: none,
  ...captureSchemas,
  ...checkSchemas,
} satisfies Record<CommandName, z.ZodType>

export type ValidationFailure = { ok: false; error: string; field?: string }

/** Whom the words are for: the app names a field by its control's label, the command line by its flag. */
export interface FieldWords {
  label(field: string, command: CommandName): string
  /** Put the field's name before a message that is a sentence of its own (a terminal has no box beside it). */
  nameSentences?: boolean
}

const APP_WORDS: FieldWords = { label: fieldLabel }

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object (named arguments)',
}

/** What is wrong, to follow the field's label, for the issues whose schema gives no words of its own. */
function problemOf(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is missing'
      if (issue.expected === 'int') return 'must be a whole number'
      return `must be ${TYPE_WORDS[issue.expected as string] ?? `of type ${issue.expected}`}`
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1 ? 'cannot be empty' : `must be at least ${issue.minimum} characters`
      if (issue.origin === 'array') return `must have at least ${issue.minimum} items`
      return `must be at least ${issue.minimum}`
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`
      if (issue.origin === 'array') return `must have at most ${issue.maximum} items`
      return `must be at most ${issue.maximum}`
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => (/^[\w-]+$/.test(String(v)) ? String(v) : JSON.stringify(v))).join(', ')}`
    default:
      return 'is not valid'
  }
}

/**
 * Parse one command's arguments, or say in one plain sentence what is wrong, for the control of the field
 * it names (`Port must be 0 to 65535.`); the command line asks for its flags' names instead (`--port …`).
 */
export function validate<K extends CommandName>(
  name: K,
  args: unknown,
  words: FieldWords = APP_WORDS,
): { ok: true; value: z.infer<(typeof commandSchemas)[K]> } | ValidationFailure {
  const schema = commandSchemas[name] as z.ZodType
  const parsed = schema.safeParse(args ?? {}, { error: problemOf })
  if (parsed.success) return { ok: true, value: parsed.data as z.infer<(typeof commandSchemas)[K]> }
  const issue = parsed.error.issues[0]
  // The last name in the path (not an index into a list): the control the value came from.
  const field = issue.path.filter((p): p is string => typeof p === 'string').at(-1)
  const label = field !== undefined ? words.label(field, name) : undefined
  return { ok: false, error: errorSentence(issue, label, words), ...(field !== undefined ? { field } : {}) }
}

function errorSentence(issue: z.core.$ZodIssue, label: string | undefined, words: FieldWords): string {
  const last = issue.path.at(-1)
  // One item of a list (a number of the list, a word of a command): which one, counted from 1.
  if (label && typeof last === 'number') return fieldSentence(label, `item ${last + 1} ${issue.message}`)
  if (issue.code === 'unrecognized_keys') {
    const what = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
    return sentence(label ? `${what} in ${label}` : what)
  }
  if (issue.code === 'custom' && issue.params?.sentence)
    return sentence(words.nameSentences && label ? `${label}: ${issue.message}` : issue.message)
  return fieldSentence(label ?? 'The arguments', issue.message)
}

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(commandSchemas, name)
}
