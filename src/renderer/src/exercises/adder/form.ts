// Adder: the client's whole name (a base name and a random suffix by default).

import { DEFAULT_CLIENT_BASE, regenerateName } from '@shared/lab'
import type { ExerciseForm } from '../form'

export const adderForm: ExerciseForm = {
  clientDefaults: () => ({ name: regenerateName(DEFAULT_CLIENT_BASE) }),
  clientFields: ['name'],
  clientParams: (form) => ({ params: { name: form.name } }),
}
