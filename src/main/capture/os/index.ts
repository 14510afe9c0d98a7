// The facade over the per-OS files: `osCapture(platform)` is the one way the rest of capture asks
// where tshark lives and what to tell the student. Every OS that is not Windows or macOS gets the
// Linux advice (the BSDs' packages have the same names).

import type { Platform } from '../filters'
import { darwin } from './darwin'
import { linux, type LinuxFlavour } from './linux'
import type { OsCapture } from './types'
import { win32 } from './win32'

export type { OsCapture }
export { linuxFlavour, type LinuxFlavour } from './linux'

export function osCapture(platform: Platform = process.platform, flavour?: LinuxFlavour): OsCapture {
  if (platform === 'win32') return win32()
  if (platform === 'darwin') return darwin()
  return linux(flavour)
}
