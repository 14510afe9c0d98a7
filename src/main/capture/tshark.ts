// tshark, Wireshark's own capture engine: finding it, telling in plain words what to install or which
// permission is missing, and running one live capture that writes a .pcapng file and prints each
// packet's fields as they arrive. SocketLab never sniffs packets itself.

import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { accessSync, constants, existsSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { hexToBytes, parseFlags, type RawPacket } from './annotate'
import { captureFilter, type Platform } from './filters'

// ---------- finding tshark ----------

/** Where installers put tshark when it is not on the PATH. */
export function commonLocations(platform: Platform, env: NodeJS.ProcessEnv = process.env): string[] {
  if (platform === 'win32') {
    const roots = [env.ProgramFiles, env['ProgramFiles(x86)'], env.ProgramW6432, 'C:\\Program Files', 'C:\\Program Files (x86)']
    return [...new Set(roots.filter((r): r is string => !!r).map((r) => path.win32.join(r, 'Wireshark', 'tshark.exe')))]
  }
  if (platform === 'darwin') {
    return [
      '/Applications/Wireshark.app/Contents/MacOS/tshark',
      '/opt/homebrew/bin/tshark',
      '/usr/local/bin/tshark',
      '/opt/local/bin/tshark',
    ]
  }
  return ['/usr/bin/tshark', '/usr/local/bin/tshark', '/usr/sbin/tshark', '/snap/bin/tshark']
}

function executable(file: string, platform: Platform): boolean {
  try {
    accessSync(file, platform === 'win32' ? constants.F_OK : constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** tshark's full path: `SOCKETLAB_TSHARK`, then the PATH, then the usual install folders; null when absent. */
export function findTshark(env: NodeJS.ProcessEnv = process.env, platform: Platform = process.platform): string | null {
  const forced = env.SOCKETLAB_TSHARK
  if (forced) return executable(forced, platform) ? forced : null
  const p = platform === 'win32' ? path.win32 : path.posix
  const name = platform === 'win32' ? 'tshark.exe' : 'tshark'
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':').filter(Boolean)
  for (const dir of dirs) {
    const file = p.join(dir.replace(/^"(.*)"$/, '$1'), name)
    if (executable(file, platform)) return file
  }
  for (const file of commonLocations(platform, env)) if (executable(file, platform)) return file
  return null
}

// ---------- what to tell the student ----------

function linuxFlavour(): 'debian' | 'fedora' | 'arch' | 'other' {
  try {
    const text = readFileSync('/etc/os-release', 'utf8').toLowerCase()
    const ids = (text.match(/^id(?:_like)?=.*$/gm) ?? []).join(' ')
    if (/debian|ubuntu|mint|pop/.test(ids)) return 'debian'
    if (/fedora|rhel|centos|rocky|alma/.test(ids)) return 'fedora'
    if (/arch|manjaro/.test(ids)) return 'arch'
  } catch {
    // No os-release: give every distribution's line.
  }
  return 'other'
}

/** What to install, for this operating system. */
export function installAdvice(
  platform: Platform = process.platform,
  flavour = platform === 'linux' ? linuxFlavour() : 'other',
): string {
  const lead = 'Packet capture needs tshark, the command-line part of Wireshark, and it is not installed (or not on the PATH).'
  switch (platform) {
    case 'win32':
      return `${lead} Install Wireshark from https://www.wireshark.org/download.html and, in its installer, keep "TShark" selected and install Npcap with "Support loopback traffic" ticked (needed to see a client and server on this same computer). Then restart SocketLab.`
    case 'darwin':
      return `${lead} Install it with Homebrew: brew install wireshark (or install the Wireshark app from https://www.wireshark.org/download.html and run its "Install ChmodBPF" package so you may capture without sudo). Then restart SocketLab.`
    default: {
      const lines = {
        debian:
          'On Debian or Ubuntu: sudo apt install tshark (answer "Yes" when asked whether non-superusers may capture packets).',
        fedora: 'On Fedora: sudo dnf install wireshark-cli.',
        arch: 'On Arch: sudo pacman -S wireshark-cli.',
        other:
          'On Debian or Ubuntu: sudo apt install tshark; on Fedora: sudo dnf install wireshark-cli; on Arch: sudo pacman -S wireshark-cli.',
      }
      return `${lead} ${lines[flavour]} Then add yourself to the wireshark group: sudo usermod -aG wireshark $USER, log out and log back in.`
    }
  }
}

/** What to do when tshark is installed but may not capture. */
export function permissionAdvice(platform: Platform = process.platform): string {
  const lead = 'tshark is installed but this account is not allowed to capture packets.'
  switch (platform) {
    case 'win32':
      return `${lead} Reinstall Npcap (it comes with the Wireshark installer) without "Restrict Npcap driver's access to Administrators only", or run SocketLab as Administrator.`
    case 'darwin':
      return `${lead} Install the Wireshark app from https://www.wireshark.org/download.html and run "Install ChmodBPF.pkg" from its disk image (it lets the admin group capture), then log out and back in.`
    default:
      return `${lead} Join the wireshark group: sudo usermod -aG wireshark $USER, then log out and log back in (if the group does not exist, first run sudo dpkg-reconfigure wireshark-common and answer "Yes"). Without the group, give dumpcap the capture capabilities: sudo setcap cap_net_raw,cap_net_admin=eip $(which dumpcap).`
  }
}

export type Problem = 'permission' | 'no-interfaces' | 'no-such-interface' | 'bad-filter' | 'other'

/** Reads tshark's own error text: the config-file "permission" warnings tshark prints are not it. */
export function classifyError(stderr: string): Problem {
  const s = stderr.toLowerCase()
  if (
    /you (?:do not|don't) have permission to capture/.test(s) ||
    /couldn't run .*dumpcap.*(?:permission|not permitted)/.test(s) ||
    /dumpcap.*permission denied/.test(s) ||
    /(?:socket|pcap_activate\(\) failed).*operation not permitted/.test(s) ||
    /capabilities of the capture device .* could not be obtained/.test(s) ||
    /cannot open bpf device|\/dev\/bpf.*permission denied/.test(s) ||
    /sufficient permissions/.test(s)
  )
    return 'permission'
  if (/there are no interfaces on which a capture can be done|no interfaces found/.test(s)) return 'no-interfaces'
  if (
    /no such device|there is no device named|the capture session could not be initiated.*(?:no such|doesn't exist)|there is no interface with that adapter index|isn't a valid interface/.test(
      s,
    )
  )
    return 'no-such-interface'
  if (/invalid capture filter|can't parse filter expression/.test(s)) return 'bad-filter'
  return 'other'
}

/** tshark's real error lines, without the noise it prints on every start. */
export function errorText(stderr: string): string {
  return stderr
    .split(/\r?\n/)
    .map((l) => l.replace(/^tshark:\s*/, '').trim())
    .filter(
      (l) =>
        l &&
        !/^Running as user|This could be dangerous|^Capturing on|^\*\* \(tshark|\[Main MESSAGE\]|You don't have permission to read the file|^Error loading table|^\d+ packets? captured|^-- /.test(
          l,
        ),
    )
    .slice(0, 3)
    .join(' ')
}

// ---------- interfaces ----------

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

/** The interfaces worth offering, the recommended one first. */
export function usableInterfaces(list: TsharkInterface[], platform: Platform = process.platform): TsharkInterface[] {
  const useful = list.filter((i) => !NOT_NETWORK.test(i.name))
  const best = defaultInterface(useful, platform)
  return best ? [...useful.filter((i) => i.name === best), ...useful.filter((i) => i.name !== best)] : useful
}

/** `any` on Linux (when listed), else the loopback interface, else the first one. */
export function defaultInterface(list: TsharkInterface[], platform: Platform = process.platform): string | undefined {
  if (platform === 'linux' && list.some((i) => i.name === 'any')) return 'any'
  return list.find(isLoopback)?.name ?? list[0]?.name
}

// ---------- running tshark briefly ----------

export function runTshark(
  tshark: string,
  args: string[],
  timeoutMs = 15_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(tshark, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, windowsHide: true }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0
      resolve({ code, stdout: String(stdout), stderr: String(stderr) || (err && code === null ? err.message : '') })
    })
  })
}

export interface Availability {
  available: boolean
  problem?: string
  tshark: string | null
  /** The interfaces worth offering (no extcap sources), the recommended one first. */
  interfaces: TsharkInterface[]
  /** Everything `tshark -D` lists. */
  all: TsharkInterface[]
  defaultInterface?: string
}

/**
 * Is tshark installed and allowed to capture? `tshark -D` lists the interfaces (it succeeds even
 * without capture rights on Linux), then `tshark -L -i <interface>` opens the recommended one, which
 * fails without them.
 */
export async function checkAvailability(
  tshark: string | null,
  platform: Platform = process.platform,
  probe = true,
): Promise<Availability> {
  if (!tshark) return { available: false, problem: installAdvice(platform), tshark: null, interfaces: [], all: [] }
  const listed = await runTshark(tshark, ['-D'])
  const all = parseInterfaces(listed.stdout)
  if (listed.code !== 0 || all.length === 0) {
    const kind = classifyError(listed.stderr)
    if (kind === 'permission' || (all.length === 0 && platform !== 'win32'))
      return { available: false, problem: permissionAdvice(platform), tshark, interfaces: [], all }
    if (kind === 'no-interfaces' || all.length === 0) {
      const problem =
        platform === 'win32'
          ? 'tshark finds no capture interface: Npcap is missing. Run the Wireshark installer again and install Npcap with "Support loopback traffic" ticked.'
          : `tshark finds no capture interface. ${permissionAdvice(platform)}`
      return { available: false, problem, tshark, interfaces: [], all }
    }
    return {
      available: false,
      problem: `tshark could not list the interfaces: ${errorText(listed.stderr) || `exit code ${listed.code}`}`,
      tshark,
      interfaces: [],
      all,
    }
  }
  const interfaces = usableInterfaces(all, platform)
  const def = defaultInterface(interfaces, platform)
  if (probe && def) {
    const opened = await runTshark(tshark, ['-L', '-i', def])
    if (opened.code !== 0 && classifyError(opened.stderr) === 'permission') {
      return { available: false, problem: permissionAdvice(platform), tshark, interfaces, all, defaultInterface: def }
    }
  }
  let problem: string | undefined
  if (platform === 'win32' && !interfaces.some(isLoopback)) {
    problem =
      'Npcap was installed without loopback support: a client and server on this same computer will not show up. Run the Wireshark installer again and tick "Support loopback traffic" for Npcap.'
  }
  return { available: true, problem, tshark, interfaces, all, defaultInterface: def }
}

// ---------- one live capture ----------

/** The fields printed per packet, in this order (tab-separated, first occurrence of each). */
export const FIELDS = [
  'frame.number',
  'frame.time_epoch',
  'ip.src',
  'ipv6.src',
  'ip.dst',
  'ipv6.dst',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.flags',
  'tcp.seq',
  'tcp.ack',
  'tcp.len',
  'tcp.payload',
] as const

/** Options that print FIELDS, one packet per line, whatever the user's Wireshark preferences. */
export function fieldArgs(): string[] {
  return [
    '-n',
    '-o',
    'tcp.analyze_sequence_numbers:TRUE',
    '-o',
    'tcp.relative_sequence_numbers:TRUE',
    '-T',
    'fields',
    ...FIELDS.flatMap((f) => ['-e', f]),
    '-E',
    'separator=/t',
    '-E',
    'occurrence=f',
    '-E',
    'header=n',
    '-E',
    'quote=n',
  ]
}

export interface LiveOptions {
  interface: string
  port: number
  /** The .pcapng tshark writes. */
  file: string
  /** Stop by itself after this many packets (`-c`). */
  count?: number
  /** Stop by itself after this many seconds (`-a duration:`). */
  durationS?: number
}

/**
 * `tshark -i IFACE -f "tcp port P" -w FILE -P -l -n -T fields -e … `: dumpcap writes every packet to
 * the .pcapng and tshark prints each one's fields as it arrives (`-P` prints even while writing, `-l`
 * flushes every line).
 */
export function liveArgs(o: LiveOptions): string[] {
  return [
    '-i',
    o.interface,
    '-f',
    captureFilter(o.port),
    '-w',
    o.file,
    '-P',
    '-l',
    ...(o.count ? ['-c', String(o.count)] : []),
    ...(o.durationS ? ['-a', `duration:${o.durationS}`] : []),
    ...fieldArgs(),
  ]
}

/** frame.time_epoch: seconds (`1715000000.123456789`), or ISO 8601 UTC as newer tshark may print it. */
export function epochMs(text: string | undefined): number | undefined {
  if (!text) return undefined
  const seconds = Number(text)
  if (Number.isFinite(seconds) && seconds > 0) return seconds * 1000
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(text.trim())
  if (!m) return undefined
  const whole = Date.parse(`${m[1]}Z`)
  return Number.isNaN(whole) ? undefined : whole + (m[2] ? Number(`0.${m[2]}`) * 1000 : 0)
}

/** One line of field output → a packet; null for anything else (noise, a packet without TCP). */
export function parseFieldsLine(line: string): RawPacket | null {
  const f = line.replace(/\r$/, '').split('\t')
  if (f.length < FIELDS.length - 1) return null
  const no = Number(f[0])
  const srcPort = Number(f[6])
  const dstPort = Number(f[7])
  const flags = parseFlags(f[8] ?? '')
  if (
    !Number.isInteger(no) ||
    no <= 0 ||
    !f[6] ||
    !f[7] ||
    !Number.isFinite(srcPort) ||
    !Number.isFinite(dstPort) ||
    Number.isNaN(flags)
  )
    return null
  const t = epochMs(f[1])
  const num = (s: string | undefined): number => {
    const n = Number(s)
    return s && Number.isFinite(n) ? n : 0
  }
  return {
    no,
    t: t ?? Date.now(),
    src: f[2] || f[3] || '?',
    dst: f[4] || f[5] || '?',
    srcPort,
    dstPort,
    flags,
    seq: num(f[9]),
    ack: num(f[10]),
    len: num(f[11]),
    payload: hexToBytes(f[12] ?? ''),
  }
}

/** Splits a stream into lines, keeping a partial last line until the rest arrives. */
export class LineSplitter {
  private rest = ''
  push(chunk: string): string[] {
    const text = this.rest + chunk
    const lines = text.split('\n')
    this.rest = lines.pop() ?? ''
    return lines
  }
  end(): string[] {
    const last = this.rest
    this.rest = ''
    return last ? [last] : []
  }
}

/** Every tshark still running, so none outlives SocketLab. */
const live = new Set<ChildProcess>()
const tempPaths = new Set<string>()
let exitHookInstalled = false
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
let signalsHooked = false

function killAllNow(): void {
  for (const child of live) {
    try {
      child.kill('SIGTERM')
    } catch {
      // Already gone.
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  killAllNow()
  // Nobody else handles this signal: die of it, as the process would have without us.
  if (process.listenerCount(signal) === 1) {
    cleanUpNow()
    unhookSignals()
    process.kill(process.pid, signal)
  }
}

function hookSignals(): void {
  if (signalsHooked) return
  signalsHooked = true
  for (const s of SIGNALS) process.on(s, onSignal)
}

function unhookSignals(): void {
  if (!signalsHooked) return
  signalsHooked = false
  for (const s of SIGNALS) process.off(s, onSignal)
}

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', cleanUpNow)
}

/** Kill every tshark and remove the temporary files: the process is going away. */
function cleanUpNow(): void {
  killAllNow()
  for (const p of tempPaths) {
    try {
      rmSync(p, { recursive: true, force: true })
    } catch {
      // Best effort.
    }
  }
  tempPaths.clear()
}

/** A temporary file or folder removed when the process exits. */
export function removeAtExit(p: string): void {
  installExitHook()
  tempPaths.add(p)
}

export function forgetAtExit(p: string): void {
  tempPaths.delete(p)
}

/** How many tshark processes this process still runs (tests check it is 0). */
export function liveTsharkCount(): number {
  return live.size
}

const READY_TIMEOUT_MS = 20_000
/** tshark says "Capturing on" before dumpcap has opened the interface; an error follows within ms. */
const SETTLE_MS = 400

export interface LiveHandlers {
  packet(p: RawPacket): void
  /** tshark ended: by stop(), a count/duration limit, or an error (plain words). */
  exit(error?: string): void
}

export class LiveCapture {
  private child: ChildProcess | null = null
  private stderr = ''
  private exited = false
  private readonly exitPromise: Promise<void>
  private resolveExit!: () => void
  private stopping = false

  constructor(
    private readonly tshark: string,
    private readonly options: LiveOptions,
    private readonly handlers: LiveHandlers,
    private readonly platform: Platform = process.platform,
  ) {
    this.exitPromise = new Promise((r) => (this.resolveExit = r))
  }

  get pid(): number | undefined {
    return this.child?.pid
  }

  get running(): boolean {
    return !!this.child && !this.exited
  }

  /** Resolves once tshark captures; rejects in plain words when it cannot. */
  start(): Promise<void> {
    installExitHook()
    const child = spawn(this.tshark, liveArgs(this.options), { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true })
    this.child = child
    live.add(child)
    hookSignals()
    const out = new LineSplitter()
    child.stdout!.setEncoding('utf8')
    child.stdout!.on('data', (chunk: string) => {
      for (const line of out.push(chunk)) this.line(line)
    })
    child.stdout!.on('end', () => {
      for (const line of out.end()) this.line(line)
    })
    child.stderr!.setEncoding('utf8')

    return new Promise<void>((resolve, reject) => {
      let settled = false
      let settle: NodeJS.Timeout | null = null
      const done = (err?: Error): void => {
        if (settled) return
        settled = true
        clearTimeout(timeout)
        if (settle) clearTimeout(settle)
        if (err) reject(err)
        else resolve()
      }
      const timeout = setTimeout(() => {
        done(
          new Error(
            `tshark did not start capturing on "${this.options.interface}" within ${READY_TIMEOUT_MS / 1000} s. ${errorText(this.stderr)}`.trim(),
          ),
        )
        void this.stop()
      }, READY_TIMEOUT_MS)
      child.stderr!.on('data', (chunk: string) => {
        this.stderr = (this.stderr + chunk).slice(-16_384)
        if (/Capture started/.test(this.stderr)) done()
        else if (!settle && /Capturing on/.test(this.stderr)) settle = setTimeout(() => done(), SETTLE_MS)
      })
      const finish = (problem?: string): void => {
        if (this.exited) return
        this.exited = true
        live.delete(child)
        if (live.size === 0) unhookSignals()
        done(new Error(problem ?? 'tshark stopped before capturing'))
        this.handlers.exit(problem)
        this.resolveExit()
      }
      child.on('error', (err) => {
        const problem = `Could not run tshark (${this.tshark}): ${err.message}`
        done(new Error(problem))
        // Never started (not found, not executable): no 'close' will follow.
        if (child.pid === undefined) finish(problem)
      })
      // 'close': the process has exited and its output has been read to the end.
      child.on('close', (code, signal) => {
        finish(this.stopping || code === 0 || signal ? undefined : this.explain(code))
      })
    })
  }

  /** tshark's failure in plain words. */
  explain(code: number | null): string {
    switch (classifyError(this.stderr)) {
      case 'permission':
        return permissionAdvice(this.platform)
      case 'no-such-interface':
        return `There is no capture interface called "${this.options.interface}". Choose one that tshark -D lists.`
      case 'bad-filter':
        return `tshark rejected the capture filter "${captureFilter(this.options.port)}".`
      case 'no-interfaces':
        return this.platform === 'win32'
          ? 'tshark finds no capture interface: install Npcap (with the Wireshark installer) with "Support loopback traffic" ticked.'
          : permissionAdvice(this.platform)
      default:
        return `tshark stopped with an error: ${errorText(this.stderr) || `exit code ${code}`}`
    }
  }

  private line(line: string): void {
    const p = parseFieldsLine(line)
    if (p) this.handlers.packet(p)
  }

  /** Ask tshark to finish the file and exit; kill it if it does not within a few seconds. */
  async stop(graceMs = 3000): Promise<void> {
    const child = this.child
    if (!child || this.exited) return
    this.stopping = true
    try {
      // SIGINT: tshark stops dumpcap, writes the last packets and closes the file (on Windows: ends it).
      child.kill('SIGINT')
    } catch {
      // Already gone.
    }
    const timer = setTimeout(() => {
      try {
        child.kill('SIGKILL')
      } catch {
        // Already gone.
      }
    }, graceMs)
    await this.exitPromise
    clearTimeout(timer)
  }

  /** Resolves when tshark has exited and its output is read. */
  ended(): Promise<void> {
    return this.exitPromise
  }
}

/** Read a saved capture back: the same fields as the live capture. */
export async function readCaptureFile(tshark: string, file: string): Promise<RawPacket[]> {
  if (!existsSync(file)) throw new Error(`No such capture file: ${file}`)
  const r = await runTshark(tshark, ['-r', file, ...fieldArgs()])
  if (r.code !== 0) throw new Error(`tshark could not read ${file}: ${errorText(r.stderr) || `exit code ${r.code}`}`)
  return r.stdout
    .split('\n')
    .map(parseFieldsLine)
    .filter((p): p is RawPacket => p !== null)
}
