// What a student shows the instructor for Lab 2 question 3, made from the captured packets: the
// answer sheet (HTML), the ladder diagram (SVG, and PNG where a Chromium can draw it), the transcript
// of the texts, and the .pcapng itself, together in one folder (the CLI's --bundle) or one zip (the
// app's "Save evidence"). The words and pictures come from the shared ladder modules; this file only
// gathers them and writes files.

import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { CapturedPacket } from '@shared/contract'
import { laddersFromPackets, type Ladder } from '@shared/ladder'
import { answerSheet, transcriptText } from '@shared/ladder-sheet'
import { ladderSvg, ladderSvgDocument } from '@shared/ladder-svg'
import { captureFilter, displayFilter } from './filters'
import { svgToPng, type PngResult } from './png'
import { writeZip, type ZipEntry } from './zip'

/** At most this many connections are drawn and listed (a Many-clients capture has thousands). */
export const MAX_LADDERS = 12

export interface EvidenceInput {
  port: number
  interface?: string
  startedAt?: number
  packets: readonly CapturedPacket[]
  /** The .pcapng, when there is one. */
  pcapng?: string | null
  /** Ladders to use instead of the packets' own (drawn from socket events). */
  ladders?: Ladder[]
}

export interface Evidence {
  ladders: Ladder[]
  moreConnections: number
  sheet: string
  svg: string
  transcript: string
}

function connections(packets: readonly CapturedPacket[]): number {
  return new Set(packets.map((p) => p.stream)).size
}

export function makeEvidence(input: EvidenceInput, madeAt = Date.now()): Evidence {
  const ladders = input.ladders ?? laddersFromPackets(input.packets, { port: input.port, max: MAX_LADDERS })
  const moreConnections = input.ladders ? 0 : Math.max(0, connections(input.packets) - ladders.length)
  const filter = displayFilter(input.port)
  const sheet = answerSheet({
    port: input.port,
    displayFilter: filter,
    captureFilter: captureFilter(input.port),
    interface: input.interface,
    startedAt: input.startedAt,
    packetCount: input.packets.length,
    ladders,
    madeAt,
    moreConnections,
  })
  const notes = [`Display filter: ${filter}`, ...(input.interface ? [`Captured on ${input.interface}, port ${input.port}`] : [])]
  const svg = ladderSvgDocument(ladders, { title: `TCP ladder diagram, port ${input.port}`, notes })
  const transcript = transcriptText(ladders, [`SocketLab transcript: the texts on port ${input.port} (display filter ${filter})`])
  return { ladders, moreConnections, sheet, svg, transcript }
}

export async function diagramPng(e: Evidence, port: number): Promise<PngResult> {
  const { svg, width, height } = ladderSvg(e.ladders, { title: `TCP ladder diagram, port ${port}` })
  return svgToPng(svg, width, height)
}

export const BUNDLE_FILES = {
  pcapng: 'capture.pcapng',
  sheet: 'answer-sheet.html',
  svg: 'ladder.svg',
  png: 'ladder.png',
  transcript: 'transcript.txt',
  readme: 'README.txt',
} as const

function readme(port: number, png: PngResult, pcapng: boolean): string {
  return [
    `SocketLab evidence for Lab 2 question 3, port ${port}.`,
    '',
    `${BUNDLE_FILES.sheet}  the answer sheet: the display filter, the handshake packets with their numbers, the texts, the teardown, the diagram (open it in any browser)`,
    `${BUNDLE_FILES.svg}         the ladder diagram (opens in any browser; the flags and texts are real text)`,
    png.ok ? `${BUNDLE_FILES.png}         the same diagram as a picture` : `${BUNDLE_FILES.png}         not made: ${png.reason}`,
    `${BUNDLE_FILES.transcript}    the texts the two processes sent, in order`,
    pcapng
      ? `${BUNDLE_FILES.pcapng}   the packets themselves: open in Wireshark (File > Open) and type the display filter tcp.port == ${port}`
      : `${BUNDLE_FILES.pcapng}   not included: there was no packet capture (the diagram is drawn from socket events)`,
    '',
  ].join('\n')
}

/** The bundle as files in a folder (made if missing). Returns the files written and the PNG's fate. */
export async function writeBundleFolder(
  dir: string,
  input: EvidenceInput,
  e = makeEvidence(input),
): Promise<{ files: string[]; png: PngResult }> {
  mkdirSync(dir, { recursive: true })
  const files: string[] = []
  const put = (name: string, data: string | Buffer): void => {
    writeFileSync(path.join(dir, name), data)
    files.push(name)
  }
  const pcap = !!input.pcapng && existsSync(input.pcapng)
  if (pcap) {
    copyFileSync(input.pcapng!, path.join(dir, BUNDLE_FILES.pcapng))
    files.push(BUNDLE_FILES.pcapng)
  }
  put(BUNDLE_FILES.sheet, e.sheet)
  put(BUNDLE_FILES.svg, e.svg)
  const png = await diagramPng(e, input.port)
  if (png.ok) put(BUNDLE_FILES.png, png.png)
  put(BUNDLE_FILES.transcript, e.transcript)
  put(BUNDLE_FILES.readme, readme(input.port, png, pcap))
  return { files, png }
}

/** The bundle as one zip whose entries sit in one folder named `folder`. */
export async function writeBundleZip(
  target: string,
  folder: string,
  input: EvidenceInput,
  e = makeEvidence(input),
): Promise<PngResult> {
  const png = await diagramPng(e, input.port)
  const pcap = !!input.pcapng && existsSync(input.pcapng)
  const text = (s: string): Uint8Array => Buffer.from(s, 'utf8')
  const entries: ZipEntry[] = [
    ...(pcap ? [{ name: `${folder}/${BUNDLE_FILES.pcapng}`, file: input.pcapng! }] : []),
    { name: `${folder}/${BUNDLE_FILES.sheet}`, data: text(e.sheet) },
    { name: `${folder}/${BUNDLE_FILES.svg}`, data: text(e.svg) },
    ...(png.ok ? [{ name: `${folder}/${BUNDLE_FILES.png}`, data: png.png }] : []),
    { name: `${folder}/${BUNDLE_FILES.transcript}`, data: text(e.transcript) },
    { name: `${folder}/${BUNDLE_FILES.readme}`, data: text(readme(input.port, png, pcap)) },
  ]
  await writeZip(target, entries)
  return png
}
