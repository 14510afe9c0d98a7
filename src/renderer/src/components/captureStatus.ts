// The host's capture facts for any view that needs them: whether tshark can capture, its interfaces,
// and the host's platform (which decides the loopback caveat). Asked once per page load, whoever asks
// first; the answer lives in the store, so every view reads the same one.

import { useEffect } from 'react'
import type { CaptureAvailability } from '@shared/contract'
import type { Platform } from '@shared/filters'
import { appStore, useActions, useApp, type Actions } from '../store'

let asking: Promise<void> | null = null

/** Ask the host once (a second caller waits for the same answer). */
export function loadCaptureStatusOnce(actions: Actions): Promise<void> {
  if (appStore.getState().captureStatus) return Promise.resolve()
  asking ??= actions.loadCaptureStatus().finally(() => (asking = null))
  return asking
}

/** The capture availability, asked for when the store has none yet. */
export function useCaptureStatus(): CaptureAvailability | null {
  const actions = useActions()
  const status = useApp((s) => s.captureStatus)
  useEffect(() => {
    if (!status) void loadCaptureStatusOnce(actions)
  }, [status, actions])
  return status
}

/** The host's operating system, as the host said it; undefined until it has. */
export function useHostPlatform(): Platform | undefined {
  return useCaptureStatus()?.platform
}
