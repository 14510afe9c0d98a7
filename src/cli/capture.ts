// `socketlab capture --port P`: Lab 2 question 3 in a terminal. tshark captures the exercise port and
// every packet is printed explained: the handshake, the text each side sent (control characters made
// visible, never raw), the teardown. At the end, the answer sheet, the ladder diagram and the evidence
// bundle are written when asked for. The terminal's line format lives here; the words come from
// @shared/ladder-words.

import { existsSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { CAPTURE_MAX_MB, type CapturedPacket, type EngineEvent } from '@shared/contract'
import { formatEndpoint } from '@shared/endpoint'
import { flagsText, packetNote, visibleText } from '@shared/ladder-words'
import { Recorder } from '../main/host/recorder'
import { createCapture, type CaptureOptions } from '../main/capture'
import { makeEvidence, writeBundleFolder } from '../main/capture/evidence'
import { filtersFor, loopbackHint } from '../main/capture/filters'
import { interfaceKind } from '../main/capture/interfaces'
import { integer, parseArgs, text, UsageError, flag } from './args'

export const CAPTURE_USAGE = `Usage: socketlab capture --port P [--interface I] [--write f.pcapng] [--count N] [--duration S]
                         [--max-size MB] [--sheet f.html] [--diagram f.svg] [--bundle DIR]

Captures the TCP traffic of port P with tshark (Wireshark's capture engine) and prints every packet
explained: the three-way handshake (SYN, SYN/ACK, ACK), the text each side sent, the teardown (FIN).
Runs until Ctrl+C, or until --count packets, --duration seconds or the --max-size cap.

  --port P          the exercise port, e.g. 12345 (required)
  --interface I     where to capture (default: any on Linux, else the loopback interface)
  --write FILE      also keep the capture as a .pcapng file Wireshark opens
  --count N         stop after N packets
  --duration S      stop after S seconds
  --max-size MB     stop when the capture file reaches MB megabytes (default ${CAPTURE_MAX_MB.default})
  --sheet FILE      at the end, write the answer sheet: one HTML page with the display filter, the
                    handshake packets with their numbers, the texts, the teardown and the diagram
  --diagram FILE    at the end, write the ladder diagram as an SVG file
  --bundle DIR      at the end, write all the evidence in one folder: the .pcapng, the sheet, the
                    diagram as SVG and PNG, and the transcript of the texts

Needs tshark: sudo apt install tshark (Debian/Ubuntu), sudo dnf install wireshark-cli (Fedora),
brew install wireshark (macOS), or the Wireshark installer with Npcap (Windows).

Exit status: 0 when the capture ran; 1 when tshark is missing or may not capture; 2 for a usage error.`

export interface CaptureCommandOptions {
  /** Stops the capture like Ctrl+C (tests, embedding). */
  signal?: AbortSignal
  /** Passed to the capture service (tests). */
  capture?: CaptureOptions
}

const SPEC = {
  port: { value: true },
  interface: { value: true },
  write: { value: true },
  count: { value: true },
  duration: { value: true },
  'max-size': { value: true },
  sheet: { value: true },
  diagram: { value: true },
  bundle: { value: true },
  help: {},
}

/** The header of the packet list, aligned with packetLine. */
export function headerLine(): string {
  return `${'No.'.padStart(5)} ${'Time'.padStart(10)}  ${'Source → Destination'.padEnd(45)} ${'Flags'.padEnd(11)} ${'Numbers'.padEnd(28)} What`
}

/**
 * One line of the terminal's packet list:
 * `    2   0.000123  127.0.0.1:12345 → 127.0.0.1:40001  SYN/ACK   seq=0 ack=1 len=0   handshake 2/3 (SYN/ACK)`
 * @param t0 time of the first packet (ms), for Wireshark's relative time column.
 */
export function packetLine(p: CapturedPacket, t0: number): string {
  const time = ((p.t - t0) / 1000).toFixed(6).padStart(10)
  const route = `${formatEndpoint(p.src)} → ${formatEndpoint(p.dst)}`
  const numbers = `seq=${p.seq} ack=${p.ack} len=${p.len}`
  const payload = p.len > 0 ? `  "${visibleText(p.payload)}${p.payloadCut ? '…' : ''}"` : ''
  return `${String(p.no).padStart(5)} ${time}  ${route.padEnd(45)} ${flagsText(p.flags).padEnd(11)} ${numbers.padEnd(28)} ${packetNote(p)}${payload}`
}

/** An output file's path, checked before the capture starts (a typo should not cost a whole capture). */
function outputFile(option: string, value: string | undefined, example: string): string | undefined {
  if (value === undefined) return undefined
  if (!value.trim()) throw new UsageError(`--${option} needs a file name, e.g. --${option} ${example}`)
  const file = path.resolve(value)
  const dir = path.dirname(file)
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--${option}: the folder ${dir} does not exist`)
  if (existsSync(file) && statSync(file).isDirectory())
    throw new UsageError(`--${option}: ${file} is a folder; give a file name such as ${example}`)
  return file
}

function outputFolder(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (!value.trim()) throw new UsageError('--bundle needs a folder, e.g. --bundle evidence')
  const dir = path.resolve(value)
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`--bundle: ${dir} is a file; give a folder name`)
  const parent = path.dirname(dir)
  if (!existsSync(parent)) throw new UsageError(`--bundle: the folder ${parent} does not exist`)
  return dir
}

export async function captureCommand(
  argv: string[],
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  options: CaptureCommandOptions = {},
): Promise<number> {
  const say = (s: string): void => void out.write(`${s}\n`)
  const complain = (s: string): void => void err.write(`${s}\n`)

  let port: number
  let iface: string | undefined
  let file: string | undefined
  let count: number | undefined
  let durationS: number | undefined
  let maxMB: number | undefined
  let sheet: string | undefined
  let diagram: string | undefined
  let bundle: string | undefined
  try {
    const args = parseArgs(argv, SPEC)
    if (flag(args, 'help') || args.positional.some((p) => p === '-h' || p === 'help')) {
      say(CAPTURE_USAGE)
      return 0
    }
    if (args.positional.length) throw new UsageError(`unexpected argument ${JSON.stringify(args.positional[0])}`)
    const p = integer(args, 'port', 1, 65535)
    if (p === undefined) throw new UsageError('--port is required: the port your server listens on, e.g. --port 12345')
    port = p
    iface = text(args, 'interface')
    if (iface !== undefined && !iface.trim()) throw new UsageError('--interface needs a name, e.g. --interface lo')
    count = integer(args, 'count', 1, 10_000_000)
    durationS = integer(args, 'duration', 1, 7 * 24 * 3600)
    maxMB = integer(args, 'max-size', CAPTURE_MAX_MB.min, CAPTURE_MAX_MB.max)
    file = outputFile('write', text(args, 'write'), 'capture.pcapng')
    sheet = outputFile('sheet', text(args, 'sheet'), 'answer.html')
    diagram = outputFile('diagram', text(args, 'diagram'), 'ladder.svg')
    bundle = outputFolder(text(args, 'bundle'))
  } catch (e) {
    if (e instanceof UsageError) {
      complain(`socketlab capture: ${e.message}`)
      complain('Run "socketlab capture --help" for the options.')
      return 2
    }
    throw e
  }

  const recorder = new Recorder()
  // No Traffic messages in a terminal capture: nothing to wait for before printing a payload.
  const capture = createCapture(recorder, { matchWaitMs: 0, ...options.capture })
  const avail = await capture.availability(true)
  if (!avail.available) {
    complain(avail.problem ?? 'Packet capture is not available.')
    return 1
  }
  if (iface !== undefined && !avail.all.some((i) => i.name === iface)) {
    complain(`socketlab capture: there is no capture interface called "${iface}".`)
    complain(`Interfaces tshark can use: ${avail.interfaces.map((i) => i.name).join(', ')}`)
    return 2
  }
  const chosen = iface ?? avail.defaultInterface!
  const listed = avail.all.find((i) => i.name === chosen)

  let t0: number | undefined
  let printed = 0
  let failure: string | undefined
  const print = (p: CapturedPacket): void => {
    t0 ??= p.t
    printed++
    say(packetLine(p, t0))
  }
  const unsubscribe = recorder.onEvent((e: EngineEvent) => {
    if (e.type === 'packets') e.packets.forEach(print)
    else if (e.type === 'capture' && e.error && e.info) failure = e.error
  })

  const f = filtersFor(port)
  say(`Capturing TCP port ${port} on "${chosen}" with tshark (Wireshark's capture engine).`)
  say(`  Wireshark display filter: ${f.display}`)
  say(`  Capture filter:           ${f.capture}`)
  // The loopback caveat matters only where it applies: on the loopback interface or `any`.
  if (!listed || interfaceKind(listed) !== 'network') say(`  ${loopbackHint()}`)
  else say(`  ${chosen} carries the traffic with other machines; two programs on this computer talk over the loopback instead.`)
  if (file) say(`Writing every packet to ${file} (open it in Wireshark: File → Open).`)

  let info
  try {
    info = await capture.start({ port, interface: chosen, ...(maxMB ? { maxMB } : {}) }, { file, count, durationS })
  } catch (e) {
    unsubscribe()
    await capture.dispose()
    complain(e instanceof Error ? e.message : String(e))
    return 1
  }

  const limits = [count ? `${count} packets` : '', durationS ? `${durationS} s` : ''].filter(Boolean).join(' or ')
  say(`Capturing now: run your client. ${limits ? `Stops after ${limits}, or ` : ''}press Ctrl+C to stop.`)
  say(headerLine())

  const stop = (): void => void capture.stop()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  options.signal?.addEventListener('abort', stop, { once: true })
  let code = 0
  try {
    await capture.ended()
    const last = capture.info()
    say(`${printed} packet${printed === 1 ? '' : 's'} captured.`)
    if (last?.ended === 'size')
      say(
        `The capture file reached its size cap of ${Math.round(info.maxBytes / (1024 * 1024))} MB, so tshark stopped. Start again with a larger --max-size, or stop sooner with --count or --duration.`,
      )
    if (file) say(`Saved to ${file}.`)
    const input = { port, interface: chosen, startedAt: info.startedAt, packets: capture.packets(), pcapng: capture.file() }
    if (sheet || diagram) {
      const e = makeEvidence(input)
      if (sheet) {
        writeFileSync(sheet, e.sheet)
        say(`Answer sheet: ${sheet} (open it in any browser).`)
      }
      if (diagram) {
        writeFileSync(diagram, e.svg)
        say(`Ladder diagram: ${diagram}`)
      }
    }
    if (bundle) {
      const r = await writeBundleFolder(bundle, input)
      say(`Evidence bundle: ${bundle} (${r.files.join(', ')}).`)
      if (!r.png.ok) say(`  No PNG of the diagram: ${r.png.reason}. The SVG opens in any browser.`)
    }
  } catch (e) {
    complain(`socketlab capture: could not write the files: ${e instanceof Error ? e.message : String(e)}`)
    code = 1
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
    options.signal?.removeEventListener('abort', stop)
    unsubscribe()
    await capture.dispose()
  }
  if (failure) {
    complain(failure)
    return 1
  }
  return code
}
