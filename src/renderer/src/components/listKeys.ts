// Keyboard selection for the virtualised lists (Traffic, Capture): one behaviour everywhere.

import type { KeyboardEvent } from 'react'

const STEPS: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 20, PageUp: -20, Home: -Infinity, End: Infinity }

/** The row the selection moves to from `current` (-1 when nothing is selected). */
export function nextIndex(current: number, delta: number, length: number): number {
  const target = current < 0 ? (delta > 0 ? 0 : length - 1) : current + delta
  return Math.max(0, Math.min(length - 1, target))
}

/** Arrow keys, Page Up/Down and Home/End move the selection; Escape clears it. */
export function onListKey(e: KeyboardEvent<HTMLElement>, move: (delta: number) => void, clear: () => void): void {
  if (e.key === 'Escape') clear()
  else if (e.key in STEPS) move(STEPS[e.key])
  else return
  e.preventDefault()
}
