// The pure half of an exercise's renderer module: its client form's defaults and how its form becomes
// the command's parameters (no React here, so the store can use it).

import type { ClientStartArgs, ServerStartArgs } from '@shared/contract'
import type { ClientForm, ServerForm } from '../store/settings'

export interface ExerciseForm {
  /** The client form's fields of this exercise, with their defaults (the other fields keep theirs). */
  clientDefaults(): Partial<ClientForm>
  /** The fields this exercise's client controls show (an error naming one is shown next to it). */
  clientFields: readonly (keyof ClientForm)[]
  /** The client command's parameters from the form; throws a FieldError naming the field at fault. */
  clientParams(form: ClientForm): Pick<ClientStartArgs, 'params' | 'localPort'>
  /** The server fields of its own (the intersection server's set size). */
  serverFields?: readonly (keyof ServerForm)[]
  serverParams?(form: ServerForm): Pick<ServerStartArgs, 'setSize'>
}
