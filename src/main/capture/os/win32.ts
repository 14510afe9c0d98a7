// tshark on Windows: the Wireshark installer with TShark and Npcap, and Npcap's "Support loopback
// traffic" option, without which a client and server on the same computer never show up.

import path from 'node:path'
import { NO_PERMISSION, NOT_INSTALLED, type OsCapture } from './types'

export function win32(): OsCapture {
  return {
    executable: 'tshark.exe',
    locations: (env) => {
      const roots = [env.ProgramFiles, env['ProgramFiles(x86)'], env.ProgramW6432, 'C:\\Program Files', 'C:\\Program Files (x86)']
      return [...new Set(roots.filter((r): r is string => !!r).map((r) => path.win32.join(r, 'Wireshark', 'tshark.exe')))]
    },
    installAdvice: () =>
      `${NOT_INSTALLED} Install Wireshark from https://www.wireshark.org/download.html and, in its installer, keep "TShark" selected and install Npcap with "Support loopback traffic" ticked (needed to see a client and server on this same computer). Then restart SocketLab.`,
    permissionAdvice: () =>
      `${NO_PERMISSION} Reinstall Npcap (it comes with the Wireshark installer) without "Restrict Npcap driver's access to Administrators only", or run SocketLab as Administrator.`,
    noInterfacesAdvice: () =>
      'tshark finds no capture interface: Npcap is missing. Run the Wireshark installer again and install Npcap with "Support loopback traffic" ticked.',
    warning: (hasLoopback) =>
      hasLoopback
        ? undefined
        : 'Npcap was installed without loopback support: a client and server on this same computer will not show up. Run the Wireshark installer again and tick "Support loopback traffic" for Npcap.',
  }
}
