// The app's store instance and the React hook that reads narrow slices of it.

import { useStore } from 'zustand'
import type { AppState } from './state'
import { createAppStore, type Actions } from './store'

export * from './state'
export * from './store'
export * from './settings'
export * from './forms'

export const appStore = createAppStore()

/** Select a narrow slice: the component re-renders only when that slice changes. */
export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(appStore, selector)
}

let actions: Actions | null = null

export function setActions(a: Actions): void {
  actions = a
}

/** The command actions, bound to the window's bridge at startup. */
export function useActions(): Actions {
  if (!actions) throw new Error('actions used before the bridge was connected')
  return actions
}
