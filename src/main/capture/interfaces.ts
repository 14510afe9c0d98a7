// The capture interfaces: `tshark -D` parsed, the sources that are not this machine's network left out
// (extcap's random packets, SSH, D-Bus, USB…), each named for what it is in the lab (loopback: both
// programs on this machine; any; network: a neighbour's machine), and the recommended one first.

import type { CaptureInterface, CaptureInterfaceKind } from '@shared/contract'
import type { Platform } from './filters'

export interface TsharkInterface {
  name: string
  description?: string
}

/** `tshark -D` output: `1. eth0`, `3. lo (Loopback)`, `5. \Device\NPF_Loopback (Adapter for loopback traffic capture)`. */
export function parseInterfaces(stdout: string): TsharkInterface[] {
  const out: TsharkInterface[] = []
  for (const raw of stdout.split(/\r?\n/)) {
    const m = /^\s*\d+\.\s+(.+?)\s*$/.exec(raw)
    if (!m) continue
    const rest = m[1]
    const open = rest.indexOf(' (')
    if (open > 0 && rest.endsWith(')')) out.push({ name: rest.slice(0, open), description: rest.slice(open + 2, -1) })
    else out.push({ name: rest })
  }
  return out
}

// Extcap and non-network sources: random packets, SSH, D-Bus, USB… never TCP of this machine.
const NOT_NETWORK =
  /^(?:ciscodump|dpauxmon|randpkt|sdjournal|sshdump|udpdump|wifidump|androiddump|etwdump|falcodump|randpktdump)$|^(?:bluetooth|dbus|nflog|nfqueue|usbmon|usbpcap|bluetooth-monitor|ifb|can|vcan)/i

export function isLoopback(i: TsharkInterface): boolean {
  return /^lo\d*$/.test(i.name) || /loopback/i.test(i.description ?? '') || /NPF_Loopback/i.test(i.name)
}

export function interfaceKind(i: TsharkInterface): CaptureInterfaceKind {
  if (i.name === 'any') return 'any'
  return isLoopback(i) ? 'loopback' : 'network'
}

export function describeInterface(i: TsharkInterface): CaptureInterface {
  return { name: i.name, ...(i.description ? { description: i.description } : {}), kind: interfaceKind(i) }
}

/** `any` on Linux (when listed), else the loopback interface, else the first one. */
export function defaultInterface(list: TsharkInterface[], platform: Platform = process.platform): string | undefined {
  if (platform === 'linux' && list.some((i) => i.name === 'any')) return 'any'
  return list.find(isLoopback)?.name ?? list[0]?.name
}

/** The interfaces worth offering, the recommended one first. */
export function usableInterfaces(list: TsharkInterface[], platform: Platform = process.platform): TsharkInterface[] {
  const useful = list.filter((i) => !NOT_NETWORK.test(i.name))
  const best = defaultInterface(useful, platform)
  return best ? [...useful.filter((i) => i.name === best), ...useful.filter((i) => i.name !== best)] : useful
}
