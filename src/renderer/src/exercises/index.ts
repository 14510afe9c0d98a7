// The registry of the exercises' renderer modules, in the handouts' order (mirrors src/main/exercises).

import { EXERCISES, type Exercise } from '@shared/settings'
import { adder } from './adder'
import { dedup } from './dedup'
import { greeting } from './greeting'
import { intersection } from './intersection'
import type { ExerciseModule } from './types'

export type { ExerciseModule } from './types'

export const EXERCISE_MODULES: Readonly<Record<Exercise, ExerciseModule>> = { greeting, dedup, intersection, adder }

/** The modules in the handouts' order. */
export const EXERCISE_LIST: readonly ExerciseModule[] = EXERCISES.map((e) => EXERCISE_MODULES[e])

export function exerciseModule(exercise: Exercise): ExerciseModule {
  return EXERCISE_MODULES[exercise]
}
