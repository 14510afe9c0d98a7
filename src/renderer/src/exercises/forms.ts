// Every exercise's form half, by exercise (the store's defaults and command arguments read it).

import type { Exercise } from '@shared/settings'
import { adderForm } from './adder/form'
import { dedupForm } from './dedup/form'
import type { ExerciseForm } from './form'
import { greetingForm } from './greeting/form'
import { intersectionForm } from './intersection/form'

export const EXERCISE_FORMS: Readonly<Record<Exercise, ExerciseForm>> = {
  greeting: greetingForm,
  dedup: dedupForm,
  intersection: intersectionForm,
  adder: adderForm,
}
