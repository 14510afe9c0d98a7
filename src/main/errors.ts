// The one user-facing error of the main process: a message in plain words, the form field it belongs
// next to, and (where buttons can help) facts about it. Commands that fail throw it; the host turns it
// into `{ ok: false, error, field, detail }` for the control that caused it. Anything else thrown is a
// bug, and is reported as an internal error.

import type { ErrorDetail } from '@shared/contract'

export class UserError extends Error {
  constructor(
    message: string,
    readonly field?: string,
    readonly detail?: ErrorDetail,
  ) {
    super(message)
  }
}
