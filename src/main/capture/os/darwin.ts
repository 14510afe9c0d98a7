// tshark on macOS: Homebrew or the Wireshark app, and its ChmodBPF package for capturing without sudo.

import { NO_PERMISSION, NOT_INSTALLED, type OsCapture } from './types'

export function darwin(): OsCapture {
  const permissionAdvice = (): string =>
    `${NO_PERMISSION} Install the Wireshark app from https://www.wireshark.org/download.html and run "Install ChmodBPF.pkg" from its disk image (it lets the admin group capture), then log out and back in.`
  return {
    executable: 'tshark',
    locations: () => [
      '/Applications/Wireshark.app/Contents/MacOS/tshark',
      '/opt/homebrew/bin/tshark',
      '/usr/local/bin/tshark',
      '/opt/local/bin/tshark',
    ],
    installAdvice: () =>
      `${NOT_INSTALLED} Install it with Homebrew: brew install wireshark (or install the Wireshark app from https://www.wireshark.org/download.html and run its "Install ChmodBPF" package so you may capture without sudo). Then restart SocketLab.`,
    permissionAdvice,
    noInterfacesAdvice: () => `tshark finds no capture interface. ${permissionAdvice()}`,
    warning: () => undefined,
  }
}
