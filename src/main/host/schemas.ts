// Every command's arguments are checked here before anything reaches the engine: the renderer is
// not trusted. Unknown fields, wrong types, out-of-range ports and over-long strings are refused.

import { z } from 'zod'
import { checkHostInput } from '@shared/endpoint'
import { TRAFFIC_EXPORT_SEQS_MAX, type CommandName } from '@shared/contract'
import { captureSchemas } from '../capture/commands'
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
  ctx.addIssue({ code: 'custom', message: checked.error })
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
          numbers: z.array(number).max(10_000, 'at most 10,000 numbers').optional(),
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
      count: z.number().int().min(1, 'at least 1 client').max(1000, 'at most 1000 clients'),
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
} satisfies Record<CommandName, z.ZodType>

export type ValidationFailure = { ok: false; error: string; field?: string }

/** Parse one command's arguments, or say in plain words what is wrong and with which field. */
export function validate<K extends CommandName>(
  name: K,
  args: unknown,
): { ok: true; value: z.infer<(typeof commandSchemas)[K]> } | ValidationFailure {
  const schema = commandSchemas[name] as z.ZodType
  const parsed = schema.safeParse(args ?? {})
  if (parsed.success) return { ok: true, value: parsed.data as z.infer<(typeof commandSchemas)[K]> }
  const issue = parsed.error.issues[0]
  const path = issue.path.map(String)
  const field = path[path.length - 1]
  const where = path.length ? `${path.join('.')}: ` : ''
  const message = issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}` : issue.message
  return { ok: false, error: `${where}${message}`, field }
}

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(commandSchemas, name)
}
