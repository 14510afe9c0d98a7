// tshark on Linux: the distribution's package (the advice names the right command for Debian/Ubuntu,
// Fedora or Arch, read from /etc/os-release), and the wireshark group or dumpcap's capabilities for
// capturing without root.

import { readFileSync } from 'node:fs'
import { NO_PERMISSION, NOT_INSTALLED, type OsCapture } from './types'

export type LinuxFlavour = 'debian' | 'fedora' | 'arch' | 'other'

/** Which family the distribution belongs to, from /etc/os-release's ID and ID_LIKE lines. */
export function linuxFlavour(osRelease?: string): LinuxFlavour {
  let text = osRelease
  if (text === undefined) {
    try {
      text = readFileSync('/etc/os-release', 'utf8')
    } catch {
      // No os-release: give every distribution's line.
      return 'other'
    }
  }
  const ids = text
    .toLowerCase()
    .split('\n')
    .filter((l) => l.startsWith('id=') || l.startsWith('id_like='))
    .join(' ')
  if (/debian|ubuntu|mint|pop/.test(ids)) return 'debian'
  if (/fedora|rhel|centos|rocky|alma/.test(ids)) return 'fedora'
  if (/arch|manjaro/.test(ids)) return 'arch'
  return 'other'
}

const INSTALL: Record<LinuxFlavour, string> = {
  debian: 'On Debian or Ubuntu: sudo apt install tshark (answer "Yes" when asked whether non-superusers may capture packets).',
  fedora: 'On Fedora: sudo dnf install wireshark-cli.',
  arch: 'On Arch: sudo pacman -S wireshark-cli.',
  other:
    'On Debian or Ubuntu: sudo apt install tshark; on Fedora: sudo dnf install wireshark-cli; on Arch: sudo pacman -S wireshark-cli.',
}

export function linux(flavour: LinuxFlavour = linuxFlavour()): OsCapture {
  const permissionAdvice = (): string =>
    `${NO_PERMISSION} Join the wireshark group: sudo usermod -aG wireshark $USER, then log out and log back in (if the group does not exist, first run sudo dpkg-reconfigure wireshark-common and answer "Yes"). Without the group, give dumpcap the capture capabilities: sudo setcap cap_net_raw,cap_net_admin=eip $(which dumpcap).`
  return {
    executable: 'tshark',
    locations: () => ['/usr/bin/tshark', '/usr/local/bin/tshark', '/usr/sbin/tshark', '/snap/bin/tshark'],
    installAdvice: () =>
      `${NOT_INSTALLED} ${INSTALL[flavour]} Then add yourself to the wireshark group: sudo usermod -aG wireshark $USER, log out and log back in.`,
    permissionAdvice,
    noInterfacesAdvice: () => `tshark finds no capture interface. ${permissionAdvice()}`,
    warning: () => undefined,
  }
}
