// An exercise's renderer module: everything the pages show of one exercise (its title, intro, client
// and server controls, result view) beside its form half (defaults, command parameters). The pages
// read the registry (./index.ts) and never switch on the exercise.

import type { ComponentType, ReactNode } from 'react'
import type { Exercise } from '@shared/settings'
import type { ClientForm, ResultEntry, ServerForm } from '../store'
import type { ExerciseForm } from './form'

export interface ClientControlsProps {
  client: ClientForm
  set<K extends keyof ClientForm>(key: K, value: ClientForm[K]): void
  /** The form key its errors are stored under. */
  form: string
  disabled: boolean
}

export interface ServerControlsProps {
  server: ServerForm
  set<K extends keyof ServerForm>(key: K, value: ServerForm[K]): void
  form: string
  disabled: boolean
}

export interface ResultProps {
  /** The results of the page's server and client, oldest first. */
  server: readonly ResultEntry[]
  client: readonly ResultEntry[]
}

export interface ExerciseModule extends ExerciseForm {
  id: Exercise
  /** The page title (`Greeting (Lab 1, task 1)`) and the sidebar's shorter label. */
  title: string
  nav: string
  /** Which lab's group of the sidebar it is in. */
  lab: 'Lab 1' | 'Lab 2'
  intro: ReactNode
  /** The client's buttons: `Run client` / `Stop`, or for a client that stays connected `Connect` / `Disconnect`. */
  run: { start: string; stop: string }
  /** A client that stays connected takes typed commands (the adder's `Enter command:`); `ready` when it may. */
  CommandLine?: ComponentType<{ ready: boolean }>
  /** What the client pane says once the exchange ended well. */
  done: string
  ClientControls: ComponentType<ClientControlsProps>
  ServerControls?: ComponentType<ServerControlsProps>
  Result: ComponentType<ResultProps>
}
