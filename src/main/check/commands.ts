// The check commands as the host serves them: their argument schemas (the renderer is not trusted: a
// command is an argv array of bounded strings, shell syntax refused, a roster a bounded text) and their
// handlers over the host's CheckRuns, kept beside the checks so a check command is added in one place.
// The host spreads both into its own tables, as it does the capture's.

import { z } from 'zod'
import { commandProblem } from '@shared/command-line'
import { CHECK_QUESTIONS, type CommandArgs, type CommandName, type CommandValue } from '@shared/contract'
import { checkHostInput } from '@shared/endpoint'
import { SENTENCE } from '../errors'
import type { CheckRuns } from './runs'

export type CheckCommand = Extract<CommandName, `check${string}`>

/** A roster file's text is read up to this size. */
export const ROSTER_MAX_BYTES = 512 * 1024

const port = (min: number) =>
  z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be ${min} to 65535`)
    .max(65535, `must be ${min} to 65535`)
const host = z
  .string()
  .max(300)
  .transform((text, ctx) => {
    const checked = checkHostInput(text)
    if (checked.ok) return checked.host
    ctx.addIssue({ code: 'custom', message: checked.error, params: SENTENCE })
    return z.NEVER
  })
const question = z.enum(CHECK_QUESTIONS, { error: `must be one of ${CHECK_QUESTIONS.join(', ')}` })
const connections = z.number().int('must be a whole number').min(1, 'must be 1 to 50').max(50, 'must be 1 to 50')
const timeoutS = z
  .number()
  .int('must be a whole number of seconds')
  .min(1, 'must be 1 to 3600 s')
  .max(3600, 'must be 1 to 3600 s')
const runId = z.string().min(1).max(64)
/** An argv: its length and every word's are bounded by commandProblem, so each error names the field `command`. */
const command = z
  .array(z.string({ error: 'must be text' }), { error: 'must be a list of words (an argv)' })
  .superRefine((argv, ctx) => {
    const problem = commandProblem(argv)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })

export const checkSchemas = {
  checkServer: z.object({ question, host, port: port(1) }).strict(),
  checkClient: z.object({ question, port: port(0), connections: connections.optional(), timeoutS: timeoutS.optional() }).strict(),
  checkProgram: z
    .object({
      side: z.enum(['server', 'client']),
      question,
      command,
      cwd: z.string().max(1000, 'must be at most 1000 characters').optional(),
      port: port(0),
      connections: connections.optional(),
      timeoutS: timeoutS.optional(),
    })
    .strict()
    .refine((a) => a.side === 'client' || a.port > 0, { message: 'give the port your server listens on', path: ['port'] }),
  checkRoster: z.object({ csv: z.string().max(ROSTER_MAX_BYTES, 'must be at most 512 KB') }).strict(),
  checkRosterTeam: z.object({ runId, index: z.number().int().min(0).max(10_000) }).strict(),
  checkCancel: z.object({ runId }).strict(),
  checkSave: z
    .object({
      runId,
      format: z.enum(['html', 'markdown', 'json', 'csv']),
      index: z.number().int().min(0).max(10_000).optional(),
    })
    .strict(),
} satisfies Record<CheckCommand, z.ZodType>

type Handlers = { [K in CheckCommand]: (args: CommandArgs<K>) => Promise<CommandValue<K>> }

/** @param runs the host's check runs (a getter: the host builds its tables before its fields). */
export function checkHandlers(runs: () => CheckRuns): Handlers {
  return {
    checkServer: async (args) => runs().server(args),
    checkClient: async (args) => runs().client(args),
    checkProgram: async (args) => runs().program(args),
    checkRoster: async ({ csv }) => runs().roster(csv),
    checkRosterTeam: async ({ runId, index }) => (runs().rerunTeam(runId, index), null),
    checkCancel: async ({ runId }) => (runs().cancel(runId), null),
    checkSave: async (args) => runs().save(args),
  }
}
