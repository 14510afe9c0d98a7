// Every command's arguments are checked here before anything reaches the engine: the renderer is
// not trusted. Unknown fields, wrong types, out-of-range ports and over-long strings are refused.

import { z } from 'zod'
import type { CommandName } from '@shared/contract'
import { captureSchemas } from '../capture/commands'
import { EXERCISES, GREET_MODES, LIST_ENCODINGS, PAIR_SEPARATORS } from '@shared/settings'

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
const host = z.string().trim().min(1, 'enter a host name or IP address').max(253, 'is too long')
const id = z.string().min(1).max(64)
const text = (max: number) => z.string().max(max, `must be at most ${max} characters`)

const wire = z
  .object({
    pairSeparator: z.enum(PAIR_SEPARATORS),
    paceMs: ms(10_000),
    quietMs: ms(10_000).min(1),
    listEncoding: z.enum(LIST_ENCODINGS),
    greetFirst: z.enum(GREET_MODES),
    answerGreeting: z.boolean(),
    lineMode: z.boolean(),
    connectTimeoutMs: ms(120_000).min(1),
    replyTimeoutMs: ms(600_000).min(1),
  })
  .strict()
  .partial()

const limits = z
  .object({
    maxClients: z.number().int().min(1).max(100_000),
    maxMessageBytes: z
      .number()
      .int()
      .min(16)
      .max(16 * 1024 * 1024),
    handshakeTimeoutMs: ms(3_600_000).min(1),
  })
  .strict()
  .partial()

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
  trafficExport: z.object({ format: z.enum(['json', 'text']), connId: id.optional() }).strict(),
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
