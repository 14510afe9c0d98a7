// `socketlab capture --port P`: Lab 2 question 3 in a terminal. tshark captures the exercise port and
// every packet is printed explained: the handshake, the text each side sent, the teardown.

import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import type { CapturedPacket, EngineEvent } from '@shared/contract'
import { Recorder } from '../main/host/recorder'
import { createCapture, type CaptureOptions } from '../main/capture'
import { packetLine } from '../main/capture/annotate'
import { filtersFor, loopbackHint } from '../main/capture/filters'
import { integer, parseArgs, text, UsageError, flag } from './args'

export const CAPTURE_USAGE = `Usage: socketlab capture --port P [--interface I] [--write f.pcapng] [--count N] [--duration S]

Captures the TCP traffic of port P with tshark (Wireshark's capture engine) and prints every packet
explained: the three-way handshake (SYN, SYN/ACK, ACK), the text each side sent, the teardown (FIN).
Runs until Ctrl+C, or until --count packets or --duration seconds.

  --port P          the exercise port, e.g. 12345 (required)
  --interface I     where to capture (default: any on Linux, else the loopback interface)
  --write FILE      also keep the capture as a .pcapng file Wireshark opens
  --count N         stop after N packets
  --duration S      stop after S seconds

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
  help: {},
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
    file = text(args, 'write')
    if (file !== undefined) {
      file = path.resolve(file)
      const dir = path.dirname(file)
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--write: the folder ${dir} does not exist`)
      if (existsSync(file) && statSync(file).isDirectory())
        throw new UsageError(`--write: ${file} is a folder; give a file name such as capture.pcapng`)
    }
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
    else if (e.type === 'capture' && e.error) failure = e.error
  })

  const f = filtersFor(port)
  say(`Capturing TCP port ${port} on "${chosen}" with tshark (Wireshark's capture engine).`)
  say(`  Wireshark display filter: ${f.display}`)
  say(`  Capture filter:           ${f.capture}`)
  say(`  ${loopbackHint()}`)
  if (file) say(`Writing every packet to ${file} (open it in Wireshark: File → Open).`)

  try {
    await capture.start({ port, interface: chosen }, { file, count, durationS })
  } catch (e) {
    unsubscribe()
    await capture.dispose()
    complain(e instanceof Error ? e.message : String(e))
    return 1
  }

  const limits = [count ? `${count} packets` : '', durationS ? `${durationS} s` : ''].filter(Boolean).join(' or ')
  say(`Capturing… ${limits ? `stops after ${limits}, or ` : ''}press Ctrl+C to stop.`)
  say(
    `${'No.'.padStart(5)} ${'Time'.padStart(10)}  ${'Source → Destination'.padEnd(45)} ${'Flags'.padEnd(11)} ${'Numbers'.padEnd(28)} What`,
  )

  const stop = (): void => void capture.stop()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  options.signal?.addEventListener('abort', stop, { once: true })
  try {
    await capture.ended()
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
    options.signal?.removeEventListener('abort', stop)
    unsubscribe()
    await capture.dispose()
  }

  say(`${printed} packet${printed === 1 ? '' : 's'} captured.`)
  if (file) say(`Saved to ${file}.`)
  if (failure) {
    complain(failure)
    return 1
  }
  return 0
}
