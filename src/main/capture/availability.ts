// Is tshark installed and allowed to capture here, and on which interfaces? `tshark -D` lists them (it
// succeeds even without capture rights on Linux), then `tshark -L -i <interface>` opens the recommended
// one, which fails without them. The answer carries the host's platform, so every front end gives the
// advice for the machine that really captures.

import type { CaptureAvailability } from '@shared/contract'
import type { Platform } from './filters'
import {
  defaultInterface,
  describeInterface,
  isLoopback,
  parseInterfaces,
  usableInterfaces,
  type TsharkInterface,
} from './interfaces'
import { osCapture } from './os'
import { runTshark } from './run'
import { classifyError, errorText } from './stderr'

export interface Availability {
  available: boolean
  problem?: string
  tshark: string | null
  /** The interfaces worth offering (no extcap sources), the recommended one first. */
  interfaces: TsharkInterface[]
  /** Everything `tshark -D` lists. */
  all: TsharkInterface[]
  defaultInterface?: string
  platform: Platform
}

export async function checkAvailability(
  tshark: string | null,
  platform: Platform = process.platform,
  probe = true,
): Promise<Availability> {
  const advice = osCapture(platform)
  if (!tshark) return { available: false, problem: advice.installAdvice(), tshark: null, interfaces: [], all: [], platform }
  const listed = await runTshark(tshark, ['-D'])
  const all = parseInterfaces(listed.stdout)
  if (listed.code !== 0 || all.length === 0) {
    const kind = classifyError(listed.stderr)
    const unavailable = (problem: string): Availability => ({ available: false, problem, tshark, interfaces: [], all, platform })
    if (kind === 'permission' || (all.length === 0 && platform !== 'win32')) return unavailable(advice.permissionAdvice())
    if (kind === 'no-interfaces' || all.length === 0) return unavailable(advice.noInterfacesAdvice())
    return unavailable(`tshark could not list the interfaces: ${errorText(listed.stderr) || `exit code ${listed.code}`}`)
  }
  const interfaces = usableInterfaces(all, platform)
  const def = defaultInterface(interfaces, platform)
  if (probe && def) {
    const opened = await runTshark(tshark, ['-L', '-i', def])
    if (opened.code !== 0 && classifyError(opened.stderr) === 'permission') {
      return { available: false, problem: advice.permissionAdvice(), tshark, interfaces, all, defaultInterface: def, platform }
    }
  }
  const problem = advice.warning(interfaces.some(isLoopback))
  return { available: true, ...(problem ? { problem } : {}), tshark, interfaces, all, defaultInterface: def, platform }
}

/** What crosses the contract: names with their kind, the recommended one, the platform. */
export function toCaptureAvailability(a: Availability): CaptureAvailability {
  return {
    available: a.available,
    ...(a.problem ? { problem: a.problem } : {}),
    interfaces: a.interfaces.map(describeInterface),
    ...(a.defaultInterface ? { defaultInterface: a.defaultInterface } : {}),
    platform: a.platform,
  }
}
