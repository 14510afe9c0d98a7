// Wireshark filters for an exercise port, and the short how-to shown next to them (Lab 2 question 3).
// The one implementation lives in @shared/filters (the renderer shows the same filters); here the
// platform-dependent texts default to the host's own operating system.

import { howTo as sharedHowTo, loopbackHint as sharedLoopbackHint, type Platform } from '@shared/filters'

export {
  captureFilter,
  connectionDisplayFilter,
  displayFilter,
  filterAddress,
  filtersFor,
  isCapturePort,
  neighbourDisplayFilter,
  type FilterSet,
  type Platform,
} from '@shared/filters'

/** Which interface shows traffic between two programs on this same machine. */
export function loopbackHint(platform: Platform = process.platform): string {
  return sharedLoopbackHint(platform)
}

/** The short how-to: which interface, which filter, what to look for. One paragraph per entry. */
export function howTo(port: number, options: { neighbour?: string; platform?: Platform } = {}): string[] {
  return sharedHowTo(port, { neighbour: options.neighbour, platform: options.platform ?? process.platform })
}
