// What SocketLab needs to know about tshark on one operating system: where installers put it, what to
// install, and what to do when it may not capture. One file per OS (linux.ts, darwin.ts, win32.ts)
// behind the facade in index.ts, as GitHub Desktop keeps its editor lookup per OS, so each piece of
// advice is written once and every caller (availability, live capture, CLI) shows the same words.

export interface OsCapture {
  /** tshark's file name on this OS. */
  readonly executable: string
  /** Where installers put tshark when it is not on the PATH. */
  locations(env: NodeJS.ProcessEnv): string[]
  /** tshark is not installed: what to install, step by step. */
  installAdvice(): string
  /** tshark is installed but this account may not capture: what to change. */
  permissionAdvice(): string
  /** tshark lists no interface at all. */
  noInterfacesAdvice(): string
  /** A warning even when capture works (Windows: Npcap without loopback support), given the interfaces. */
  warning(hasLoopback: boolean): string | undefined
}

export const NOT_INSTALLED =
  'Packet capture needs tshark, the command-line part of Wireshark, and it is not installed (or not on the PATH).'
export const NO_PERMISSION = 'tshark is installed but this account is not allowed to capture packets.'
