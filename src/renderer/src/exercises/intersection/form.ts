// Intersection: how many distinct numbers (1..100) each side's set has.

import { numberIn } from '../../store/parse'
import type { ExerciseForm } from '../form'

export const intersectionForm: ExerciseForm = {
  clientDefaults: () => ({ size: '25' }),
  clientFields: ['size'],
  clientParams: (form) => ({ params: { size: numberIn(form.size, 'size', 1, 100) } }),
  serverFields: ['setSize'],
  serverParams: (form) => ({ setSize: numberIn(form.setSize, 'setSize', 1, 100) }),
}
