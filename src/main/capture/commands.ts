// The capture commands as the host serves them: their argument schemas (the renderer is not trusted)
// and their handlers, kept beside the capture service so a capture command is added in one place. The
// host spreads both into its own tables.

import { z } from 'zod'
import { CAPTURE_MAX_MB, type CommandArgs, type CommandName, type CommandValue } from '@shared/contract'
import type { CaptureService } from './service'

export type CaptureCommand = Extract<CommandName, `capture${string}`>

const clientPort = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be 1 to 65535')
  .max(65535, 'must be 1 to 65535')
const none = z.object({}).strict()

export const captureSchemas = {
  captureStatus: none,
  captureStart: z
    .object({
      port: clientPort,
      interface: z.string().max(100, 'must be at most 100 characters').min(1).optional(),
      maxMB: z
        .number({ error: 'must be a number' })
        .int('must be a whole number of megabytes')
        .min(CAPTURE_MAX_MB.min, `must be ${CAPTURE_MAX_MB.min} to ${CAPTURE_MAX_MB.max} MB`)
        .max(CAPTURE_MAX_MB.max, `must be ${CAPTURE_MAX_MB.min} to ${CAPTURE_MAX_MB.max} MB`)
        .optional(),
    })
    .strict(),
  captureStop: none,
  captureSave: z.object({ what: z.enum(['pcapng', 'sheet', 'diagram', 'png', 'bundle']).optional() }).strict(),
  captureRead: z
    .object({
      fileId: z.string().regex(/^[0-9a-f]{24}$/, 'is not a file id'),
      offset: z
        .number()
        .int()
        .min(0)
        .max(2 ** 40),
    })
    .strict(),
} satisfies Record<CaptureCommand, z.ZodType>

type Handlers = { [K in CaptureCommand]: (args: CommandArgs<K>) => Promise<CommandValue<K>> }

/** @param capture the host's capture service (a getter: the host builds its tables before its fields). */
export function captureHandlers(capture: () => CaptureService): Handlers {
  return {
    captureStatus: async () => capture().status(),
    captureStart: async (args) => capture().start(args),
    captureStop: async () => {
      await capture().stop()
      return null
    },
    captureSave: async ({ what }) => capture().save(what),
    captureRead: async ({ fileId, offset }) => capture().read(fileId, offset),
  }
}
