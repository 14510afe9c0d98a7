// The one user-facing error of the main process: a message in plain words (whole sentences, shown as
// they are), the form field it belongs next to, and (where buttons can help) facts about it. Commands that
// fail throw it; the host turns it into `{ ok: false, error, field, detail }` for the control that caused
// it. A socket's failure keeps the OS error as its `cause` (the host asks it whether a port was in use).
// Anything else thrown is a bug, and is reported as an internal error.

import type { ErrorDetail } from '@shared/contract'
import { sentence } from '@shared/fields'

export class UserError extends Error {
  constructor(
    message: string,
    readonly field?: string,
    readonly detail?: ErrorDetail,
    options?: { cause?: unknown },
  ) {
    super(sentence(message), options)
  }
}

/**
 * The params of a validation issue whose message is a whole sentence of its own (the host box's
 * `"127.0.0.256": 256 is too large…`), said as it is rather than after the field's label.
 */
export const SENTENCE = { sentence: true } as const
