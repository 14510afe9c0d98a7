// Lab 2 question 3 for real: tshark captures the loopback while SocketLab's own servers and clients
// talk (greeting, dedup, adder), and every packet comes back as facts: its phase, its handshake step,
// who sent it, the messages it carried. The ladder diagram drawn from them has one arrow per packet,
// the handshake and teardown bracketed; a reset (a Python client closing with SO_LINGER 0) and a
// retransmission (a crafted capture read by tshark, whose own TCP analysis names it) are labelled so.
// The answer sheet, the SVG (read back by a strict XML parser) and the evidence bundle carry the
// filter, the handshake packets with their numbers and both texts.

import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { afterAll, afterEach, describe, expect, it, onTestFinished } from 'vitest'
import type { CapturedPacket, EngineEvent } from '@shared/contract'
import { ladderFromSocketEvents, laddersFromPackets, socketTrace, type Ladder } from '@shared/ladder'
import { captureCommand } from '../../src/cli/capture'
import { liveTsharkCount, type TsharkCaptureService } from '../../src/main/capture'
import { DOWNLOAD_PREFIX, sendCaptureFile } from '../../src/main/capture/download'
import { makeEvidence } from '../../src/main/capture/evidence'
import { findTshark } from '../../src/main/capture/locate'
import { flagNames, toCapturedPacket } from '../../src/main/capture/packet'
import { readCaptureFile } from '../../src/main/capture/run'
import { ConnectionTracker } from '../../src/main/capture/tracker'
import { toTrafficMessage } from '../../src/main/host/recorder'
import { adderSession, clientEnded, ok, watchedHost, type Watched } from '../helpers/host'
import { writePcap } from '../helpers/pcap'
import { freePort } from '../helpers/raw-peer'
import { runPython } from '../helpers/python'
import { parseSvg } from '../helpers/xml'

const tshark = findTshark()
const tsharkAvailable = tshark !== null
const reason = tsharkAvailable ? '' : ' (skipped: tshark is not installed (apt install tshark))'

let w: Watched | undefined
const dirs: string[] = []
const held: net.Server[] = []
afterEach(async () => {
  await w?.host.capture.dispose?.()
  await w?.host.close()
  w = undefined
  await Promise.all(held.splice(0).map((s) => new Promise((r) => s.close(r))))
  expect(liveTsharkCount()).toBe(0)
})
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/**
 * A port of the test's own for a capture that expects no traffic: listened on (127.0.0.1, port 0) and
 * held until the test ends, so no other program on the machine can use it meanwhile.
 */
async function quietPort(): Promise<number> {
  const server = net.createServer((s) => s.destroy())
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  held.push(server)
  return (server.address() as net.AddressInfo).port
}

function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'socketlab-capture-test-'))
  dirs.push(d)
  return d
}

function packetsOf(events: EngineEvent[]): CapturedPacket[] {
  return events.flatMap((e) => (e.type === 'packets' ? e.packets : []))
}

const flags = (p: { flags: readonly string[] }): string => p.flags.join('/')
const lastAck = (events: EngineEvent[]): boolean => packetsOf(events).some((p) => p.teardown === 'last-ack')

/** A server on the loopback, and a capture of its port on lo. */
async function serverWithCapture(exercise: 'greeting' | 'adder' | 'dedup') {
  w = watchedHost()
  const srv = ok(await w.host.call('serverStart', { exercise, host: 'loopback', port: 0, oneAtATime: false }))
  const info = ok(await w.host.call('captureStart', { port: srv.port, interface: 'lo' }))
  expect(info).toMatchObject({ port: srv.port, interface: 'lo', running: true, packets: 0, maxBytes: 100 * 1024 * 1024 })
  expect(info.starting).toBeUndefined()
  return { srv, w }
}

/** Read a prepared file back through captureRead, chunk by chunk, as the renderer does. */
async function readAll(w: Watched, fileId: string): Promise<Buffer> {
  const parts: Buffer[] = []
  let offset: number | null = 0
  let chunks = 0
  while (offset !== null) {
    const chunk: { base64: string; next: number | null } = ok(await w.host.call('captureRead', { fileId, offset }))
    parts.push(Buffer.from(chunk.base64, 'base64'))
    offset = chunk.next
    chunks++
  }
  expect(chunks).toBeGreaterThan(0)
  return Buffer.concat(parts)
}

/** The ladder of the one connection in `packets`: one arrow per packet, in order. */
function oneLadder(packets: CapturedPacket[], port: number): Ladder {
  const ladders = laddersFromPackets(packets, { port })
  expect(ladders).toHaveLength(1)
  const [l] = ladders
  expect(l.arrows.map((a) => [a.no, a.from, flags(a), a.len, a.seq, a.ack, a.text ?? ''])).toEqual(
    packets.map((p) => [p.no, p.from, flags(p), p.len, p.seq, p.ack, p.len > 0 ? p.payload : '']),
  )
  return l
}

/** The handshake is the first three arrows, the teardown runs from the first FIN to the last ACK. */
function expectBrackets(l: Ladder): void {
  const hs = l.brackets.find((b) => b.kind === 'handshake')!
  expect(hs).toEqual({ kind: 'handshake', first: 0, last: 2, complete: true })
  expect(l.arrows.slice(0, 3).map(flags)).toEqual(['SYN', 'SYN/ACK', 'ACK'])
  const td = l.brackets.find((b) => b.kind === 'teardown')!
  expect(td.complete).toBe(true)
  expect(td.first).toBe(l.arrows.findIndex((a) => a.flags.includes('FIN')))
  expect(l.arrows[td.last].teardown).toBe('last-ack')
  expect(td.last).toBe(l.arrows.length - 1)
  expect(l.brackets.some((b) => b.kind === 'reset')).toBe(false)
}

describe.skipIf(!tsharkAvailable)(`capture with tshark${reason}`, () => {
  it('status: available, each interface with its kind, the recommended one first, the host’s platform', async () => {
    w = watchedHost()
    const status = ok(await w.host.call('captureStatus', {}))
    expect(status.available).toBe(true)
    expect(status.problem).toBeUndefined()
    expect(status.platform).toBe(process.platform)
    expect(status.defaultInterface).toBe('any')
    expect(status.interfaces[0]).toEqual({ name: 'any', kind: 'any' })
    expect(status.interfaces.find((i) => i.name === 'lo')).toMatchObject({ kind: 'loopback' })
    expect(status.interfaces.map((i) => i.name)).not.toContain('randpkt')
  })

  it('greeting: the packets as facts, one arrow each, both texts with their messages, the sheet and the SVG', async () => {
    const { srv, w } = await serverWithCapture('greeting')
    // Run the client at once: ready means ready, so its SYN is packet 1.
    const cli = ok(await w.host.call('clientStart', { exercise: 'greeting', host: '127.0.0.1', port: srv.port }))
    expect((await w.waitFor(clientEnded(cli.clientId))).ok).toBe(true)
    await w.waitUntil(() => lastAck(w.events), 'the last ACK of the teardown')
    ok(await w.host.call('captureStop', {}))
    const stopped = w.events.filter((e) => e.type === 'capture').at(-1)
    expect(stopped).toMatchObject({ type: 'capture', info: { running: false, ended: 'stopped' } })

    const packets = packetsOf(w.events)
    // Batches, not one event per packet.
    expect(w.events.filter((e) => e.type === 'packets').length).toBeLessThan(packets.length)
    expect(packets.map((p) => p.no)).toEqual(packets.map((_, i) => i + 1))
    expect(w.host.capture.info()).toMatchObject({ port: srv.port, running: false, packets: packets.length })
    expect(new Set(packets.map((p) => p.stream)).size).toBe(1)

    // The three-way handshake.
    const [syn, synAck, ack] = packets
    expect(syn).toMatchObject({
      flags: ['SYN'],
      phase: 'handshake',
      step: 1,
      from: 'client',
      dst: { port: srv.port },
      seq: 0,
      len: 0,
    })
    expect(synAck).toMatchObject({ flags: ['SYN', 'ACK'], phase: 'handshake', step: 2, from: 'server', seq: 0, ack: 1 })
    expect(ack).toMatchObject({ flags: ['ACK'], phase: 'handshake', step: 3, from: 'client', seq: 1, ack: 1 })
    // Absolute numbers too: the SYN/ACK acknowledges the SYN's own sequence number + 1.
    expect(synAck.rawAck).toBe((syn.rawSeq + 1) % 2 ** 32)
    expect(ack.rawAck).toBe((synAck.rawSeq + 1) % 2 ** 32)
    const clientPort = syn.src.port

    // The text of the two processes, in order, each with the Traffic message that sent it.
    const data = packets.filter((p) => p.len > 0)
    expect(data.map((p) => [p.from, p.src.port, p.payload])).toEqual([
      ['server', srv.port, 'Thank you for connecting'],
      ['client', clientPort, 'It was nice talking to you'],
    ])
    expect(data.map(flags)).toEqual(['PSH/ACK', 'PSH/ACK'])
    expect(data.every((p) => p.phase === 'data')).toBe(true)
    expect(data[0]).toMatchObject({ seq: 1, len: 24 })
    const recorded = w.host.recorder.recentMessages()
    for (const p of data) {
      expect(p.messages).toHaveLength(1)
      const [carried] = p.messages!
      expect(carried.text).toBe(p.payload)
      expect(carried.size).toBe(p.len)
      const m = recorded.find((r) => r.seq === carried.seq)!
      expect(m.dir).toBe('out')
      expect(Buffer.from(m.data).toString()).toBe(p.payload)
      expect(w.host.recorder.connection(m.connId)!.local).toEqual({ address: '127.0.0.1', port: p.src.port })
    }
    // Every packet knows the SocketLab connections at its two ends (the server's and the client's).
    const conns = w.host.recorder.allConnections()
    const serverConn = conns.find((c) => c.role === 'server' && c.remote.port === clientPort)!
    const clientConn = conns.find((c) => c.role === 'client' && c.local?.port === clientPort)!
    for (const p of packets) expect(new Set(p.connIds)).toEqual(new Set([serverConn.connId, clientConn.connId]))

    // The teardown: a FIN from each side, after the data, then the last ACK.
    const fins = packets.filter((p) => p.flags.includes('FIN'))
    expect(fins).toHaveLength(2)
    expect(fins.every((p) => p.phase === 'teardown' && p.teardown === 'fin')).toBe(true)
    expect(new Set(fins.map((p) => p.from))).toEqual(new Set(['client', 'server']))
    expect(packets.indexOf(fins[0])).toBeGreaterThan(packets.indexOf(data[1]))
    expect(packets.at(-1)!.teardown).toBe('last-ack')
    expect(packets.some((p) => p.flags.includes('RST') || p.phase === 'retransmission')).toBe(false)

    // The ladder: one arrow per packet, the calls on their lanes, the brackets right.
    const ladder = oneLadder(packets, srv.port)
    expectBrackets(ladder)
    expect(ladder.connIds.sort()).toEqual([serverConn.connId, clientConn.connId].sort())
    const calls = ladder.calls.map(
      (c) => `${c.lane} ${c.call} ${ladder.arrows[c.arrow].no}${c.bytes !== undefined ? ` ${c.bytes}` : ''}`,
    )
    expect(calls.slice(0, 6)).toEqual([
      'client connect 1',
      'server accept 3',
      `server send ${data[0].no} 24`,
      `client recv ${data[0].no} 24`,
      `client send ${data[1].no} 26`,
      `server recv ${data[1].no} 26`,
    ])
    expect(calls.filter((c) => c.includes('close'))).toEqual(fins.map((f) => `${f.from} close ${f.no}`))

    // Late subscribers get the same list.
    expect(w.host.capture.packets?.()).toEqual(packets)

    // The .pcapng, read in bounded chunks, holds the same packets (tshark reads it back).
    const saved = ok(await w.host.call('captureSave', {}))
    expect(saved.filename).toMatch(new RegExp(`^socketlab-port${srv.port}-\\d{8}-\\d{6}\\.pcapng$`))
    expect(saved.mime).toBe('application/x-pcapng')
    const bytes = await readAll(w, saved.fileId)
    expect(bytes.length).toBe(saved.size)
    expect(bytes.equals(readFileSync((w.host.capture as TsharkCaptureService).file()!))).toBe(true)
    const file = path.join(tmp(), saved.filename)
    writeFileSync(file, bytes)
    const back = await readCaptureFile(tshark!, file)
    expect(
      back.map((p) => [
        p.no,
        flagNames(p.flags).join('/'),
        p.srcPort,
        p.dstPort,
        p.seq,
        p.ack,
        p.len,
        Buffer.from(p.payload).toString(),
      ]),
    ).toEqual(packets.map((p) => [p.no, flags(p), p.src.port, p.dst.port, p.seq, p.ack, p.len, p.payload]))
    expect(back.map((p) => Math.round(p.t))).toEqual(packets.map((p) => Math.round(p.t)))

    // The diagram as SVG: well-formed, every arrow's flags and both texts as real text.
    const svgFile = ok(await w.host.call('captureSave', { what: 'diagram' }))
    expect(svgFile).toMatchObject({ mime: 'image/svg+xml' })
    expect(svgFile.filename).toMatch(/-ladder\.svg$/)
    const svg = parseSvg((await readAll(w, svgFile.fileId)).toString('utf8'))
    expect(svg.texts).toContain(`Display filter: tcp.port == ${srv.port}`)
    for (const p of packets)
      expect(svg.texts.some((t) => t.startsWith(`#${p.no}  ${flags(p)}  Seq=${p.seq} Ack=${p.ack} Len=${p.len}`))).toBe(true)
    expect(svg.texts).toContain('"Thank you for connecting"')
    expect(svg.texts).toContain('"It was nice talking to you"')
    expect(svg.texts).toContain('Three-way handshake (packets 1–3)')
    expect(svg.texts.some((t) => t.startsWith(`Teardown (packets ${fins[0].no}–${packets.at(-1)!.no})`))).toBe(true)

    // The answer sheet: the filter, the three handshake packets with their numbers, both texts, the teardown.
    const sheetFile = ok(await w.host.call('captureSave', { what: 'sheet' }))
    const sheet = (await readAll(w, sheetFile.fileId)).toString('utf8')
    expect(sheet).toContain(`<code class="filter" id="display-filter">tcp.port == ${srv.port}</code>`)
    expect(sheet).toMatch(/<td>1<\/td><td>[\d.]+<\/td><td>client → server<\/td><td><b>SYN<\/b><\/td>/)
    expect(sheet).toMatch(/<td>2<\/td><td>[\d.]+<\/td><td>server → client<\/td><td><b>SYN\/ACK<\/b><\/td>.*✓/)
    expect(sheet).toMatch(/<td>3<\/td><td>[\d.]+<\/td><td>client → server<\/td><td><b>ACK<\/b><\/td>.*✓/)
    expect(sheet).toContain('<code class="payload">Thank you for connecting</code>')
    expect(sheet).toContain('<code class="payload">It was nice talking to you</code>')
    expect(sheet).toContain(`<td>${fins[0].no}</td>`)
    expect(sheet).toContain('<svg xmlns="http://www.w3.org/2000/svg"')
  })

  it('adder: the name and ack, then each request and its answer, then q closes; one arrow per packet', async () => {
    const { srv, w } = await serverWithCapture('adder')
    const cli = ok(
      await w.host.call('clientStart', { exercise: 'adder', host: '127.0.0.1', port: srv.port, params: { name: 'alice-4821' } }),
    )
    for (const command of ['a', 'a', 'q']) ok(await w.host.call('clientCommand', { clientId: cli.clientId, command }))
    expect((await w.waitFor(clientEnded(cli.clientId))).ok).toBe(true)
    await w.waitUntil(() => lastAck(w.events), 'the end of the teardown')
    // Saved while tshark still runs: the file already holds every packet shown.
    const live = ok(await w.host.call('captureSave', {}))
    const file = path.join(tmp(), live.filename)
    writeFileSync(file, await readAll(w, live.fileId))
    expect((await readCaptureFile(tshark!, file)).length).toBeGreaterThanOrEqual(packetsOf(w.events).length)
    expect(w.host.capture.info()?.running).toBe(true)
    ok(await w.host.call('captureStop', {}))

    const results = w.results(srv.serverId).flatMap((r) => (r.kind === 'adder' ? [r] : []))
    expect(results).toHaveLength(2)
    const packets = packetsOf(w.events)
    const data = packets.filter((p) => p.len > 0)
    expect(data.map((p) => [p.from, p.payload])).toEqual([
      ['client', 'alice-4821'],
      ['server', 'ack'],
      ['client', `${results[0].a} ${results[0].b}`],
      ['server', String(results[0].answer)],
      ['client', `${results[1].a} ${results[1].b}`],
      ['server', String(results[1].answer)],
    ])
    const recorded = w.host.recorder.recentMessages()
    for (const p of data) {
      const m = recorded.find((r) => r.seq === p.messages?.[0].seq)
      expect(m && Buffer.from(m.data).toString()).toBe(p.payload)
    }
    expect(new Set(data.map((p) => p.messages![0].seq)).size).toBe(6)
    // `q` is not sent: the client just closes.
    const fins = packets.filter((p) => p.flags.includes('FIN'))
    expect(fins[0]).toMatchObject({ from: 'client', teardown: 'fin', dst: { port: srv.port } })

    const ladder = oneLadder(packets, srv.port)
    expectBrackets(ladder)
    expect(ladder.arrows.filter((a) => a.len > 0).map((a) => a.messages)).toEqual(data.map((p) => [p.messages![0].seq]))
    expect(ladder.calls.filter((c) => c.call === 'send').map((c) => c.lane)).toEqual(data.map((p) => p.from))
  })

  it('dedup: the list out, the list back; one arrow per packet, each text on the arrow that carried it', async () => {
    const { srv, w } = await serverWithCapture('dedup')
    const numbers = [3, 14, 15, 3, 92, 65, 14, 3]
    const cli = ok(
      await w.host.call('clientStart', { exercise: 'dedup', host: '127.0.0.1', port: srv.port, params: { numbers } }),
    )
    expect((await w.waitFor(clientEnded(cli.clientId))).ok).toBe(true)
    await w.waitUntil(() => lastAck(w.events), 'the end of the teardown')
    ok(await w.host.call('captureStop', {}))
    const packets = packetsOf(w.events)
    const data = packets.filter((p) => p.len > 0)
    expect(data.some((p) => p.from === 'client' && p.payload === '[3, 14, 15, 3, 92, 65, 14, 3]')).toBe(true)
    expect(data.some((p) => p.from === 'server' && p.payload.startsWith('[3, 14, 15, 92, 65]'))).toBe(true)
    const recorded = w.host.recorder.recentMessages()
    for (const p of data) {
      const texts = p.messages!.map((m) => Buffer.from(recorded.find((r) => r.seq === m.seq)!.data).toString())
      expect(texts.join('')).toBe(p.payload)
    }
    const ladder = oneLadder(packets, srv.port)
    expectBrackets(ladder)
    const svg = parseSvg(makeEvidence({ port: srv.port, packets }).svg)
    expect(svg.texts).toContain('"[3, 14, 15, 3, 92, 65, 14, 3]"')
  })

  it('ready means ready: a client run the moment the capture starts has its SYN captured, every time', async () => {
    w = watchedHost()
    const srv = ok(await w.host.call('serverStart', { exercise: 'greeting', host: 'loopback', port: 0, oneAtATime: false }))
    for (let round = 0; round < 3; round++) {
      ok(await w.host.call('captureStart', { port: srv.port, interface: 'lo' }))
      const sock = net.connect(srv.port, '127.0.0.1')
      await new Promise<void>((resolve, reject) => sock.once('connect', resolve).once('error', reject))
      sock.destroy()
      await w.waitUntil(() => (w!.host.capture.packets?.() ?? []).length > 0, 'the first packet')
      expect(w.host.capture.packets!()[0]).toMatchObject({ no: 1, flags: ['SYN'], step: 1 })
      ok(await w.host.call('captureStop', {}))
    }
    // Each start announced "starting" first, then running only once tshark captured.
    const states = w.events.flatMap((e) =>
      e.type === 'capture' && e.info ? [e.info.starting ? 'starting' : e.info.running ? 'running' : 'stopped'] : [],
    )
    expect(states.filter((s, i) => s !== states[i - 1]).slice(0, 3)).toEqual(['starting', 'running', 'stopped'])
  })

  it('a reset: a Python client that closes with SO_LINGER 0 sends RST, labelled and bracketed so', async () => {
    const { srv, w } = await serverWithCapture('greeting')
    // Asynchronously: the server runs in this very process and must keep serving meanwhile.
    const py = await runPython('greeting_abort_client.py', ['--port', String(srv.port)])
    expect(py.code).toBe(0)
    expect(py.stdout.trim()).toBe('Thank you for connecting')
    await w.waitUntil(() => packetsOf(w.events).some((p) => p.phase === 'reset'), 'the reset')
    ok(await w.host.call('captureStop', {}))
    const packets = packetsOf(w.events)
    const rst = packets.find((p) => p.phase === 'reset')!
    expect(rst.flags).toContain('RST')
    expect(rst.from).toBe('client')
    expect(packets.some((p) => p.flags.includes('FIN'))).toBe(false)
    const ladder = oneLadder(packets, srv.port)
    const index = packets.indexOf(rst)
    expect(ladder.brackets.find((b) => b.kind === 'reset')).toEqual({ kind: 'reset', first: index, last: index, complete: true })
    const e = makeEvidence({ port: srv.port, packets })
    expect(parseSvg(e.svg).texts).toContain(`Reset (RST): the connection was aborted (packet ${rst.no})`)
    expect(e.sheet).toContain('RST: the connection is aborted')
  })

  it('the size cap: tshark stops when the capture file reaches it, and says why', async () => {
    // A server that sends 3 MB to whoever connects: more than the 1 MB cap.
    const big = net.createServer((s) => s.end(Buffer.alloc(3 * 1024 * 1024, 0x61)))
    await new Promise<void>((r) => big.listen(0, '127.0.0.1', r))
    const port = (big.address() as net.AddressInfo).port
    try {
      w = watchedHost()
      ok(await w.host.call('captureStart', { port, interface: 'lo', maxMB: 1 }))
      const sock = net.connect(port, '127.0.0.1')
      sock.resume()
      await new Promise((r) => sock.once('close', r))
      await (w.host.capture as TsharkCaptureService).ended()
      const last = w.events.filter((e) => e.type === 'capture').at(-1)
      expect(last).toMatchObject({ info: { running: false, ended: 'size', maxBytes: 1024 * 1024 } })
      const size = statSync((w.host.capture as TsharkCaptureService).file()!).size
      expect(size).toBeGreaterThanOrEqual(1_000_000)
      expect(size).toBeLessThan(3 * 1024 * 1024)
    } finally {
      big.close()
    }
  })
})

describe.skipIf(!tsharkAvailable)(`a retransmission, named by tshark’s own analysis${reason}`, () => {
  it('a crafted capture with one segment sent twice: the second is a retransmission of the first', async () => {
    const file = path.join(tmp(), 'resent.pcap')
    const client = { address: '127.0.0.1', port: 40000 }
    const server = { address: '127.0.0.1', port: 12345 }
    const [SYN, ACK, PSH, FIN] = [0x02, 0x10, 0x08, 0x01]
    writePcap(file, client, server, [
      { from: 'client', flags: SYN, seq: 1000, ack: 0, atMs: 0 },
      { from: 'server', flags: SYN | ACK, seq: 5000, ack: 1001, atMs: 1 },
      { from: 'client', flags: ACK, seq: 1001, ack: 5001, atMs: 2 },
      { from: 'client', flags: PSH | ACK, seq: 1001, ack: 5001, data: 'alice-4821', atMs: 3 },
      // No ACK came: the client's TCP sends the same bytes again after its retransmission timer.
      { from: 'client', flags: PSH | ACK, seq: 1001, ack: 5001, data: 'alice-4821', atMs: 210 },
      { from: 'server', flags: ACK, seq: 5001, ack: 1011, atMs: 211 },
      { from: 'server', flags: PSH | ACK, seq: 5001, ack: 1011, data: 'ack', atMs: 212 },
      { from: 'client', flags: FIN | ACK, seq: 1011, ack: 5004, atMs: 213 },
      { from: 'server', flags: FIN | ACK, seq: 5004, ack: 1012, atMs: 214 },
      { from: 'client', flags: ACK, seq: 1012, ack: 5005, atMs: 215 },
    ])
    const raw = await readCaptureFile(tshark!, file)
    expect(raw).toHaveLength(10)
    expect(raw.map((p) => p.retransmission)).toEqual([false, false, false, false, true, false, false, false, false, false])
    const tracker = new ConnectionTracker(12345)
    const packets = raw.map((p) => toCapturedPacket(p, tracker.life(p)))
    expect(packets[3]).toMatchObject({ phase: 'data', from: 'client', payload: 'alice-4821' })
    expect(packets[4]).toMatchObject({ phase: 'retransmission', retransmits: 4, from: 'client', payload: 'alice-4821' })
    expect(packets.map((p) => p.phase)).toEqual([
      'handshake',
      'handshake',
      'handshake',
      'data',
      'retransmission',
      'ack',
      'data',
      'teardown',
      'teardown',
      'teardown',
    ])
    const ladder = oneLadder(packets, 12345)
    expect(ladder.arrows[4]).toMatchObject({ phase: 'retransmission', retransmits: 4 })
    // One send() for the two copies: TCP sent it again, not the program.
    expect(ladder.calls.filter((c) => c.call === 'send' && c.lane === 'client')).toHaveLength(1)
    const texts = parseSvg(makeEvidence({ port: 12345, packets }).svg).texts
    expect(texts).toContain('#5  Retransmission of #4  PSH/ACK  Seq=1 Ack=1 Len=10')
    expect(makeEvidence({ port: 12345, packets }).sheet).toContain('Sent again (retransmissions)')
  })
})

/**
 * A network namespace of the test's own, whose loopback drops the first data segment to the port once
 * (iptables, inside the namespace only): the sender's TCP sends it again, live.
 */
function lossyNamespace(port: number): { ns: string; tshark: string } | string {
  const ns = `slcap-${process.pid}-${Math.random().toString(36).slice(2, 8)}`
  const run = (args: string[]): boolean => spawnSync(args[0], args.slice(1), { stdio: 'ignore', timeout: 10_000 }).status === 0
  if (!run(['ip', 'netns', 'add', ns])) return 'ip netns add failed'
  dirs.push(`netns:${ns}`)
  const rule = ['-A', 'INPUT', '-i', 'lo', '-p', 'tcp', '--dport', String(port), '--tcp-flags', 'PSH', 'PSH']
  const once = ['-m', 'statistic', '--mode', 'nth', '--every', '1000000', '--packet', '0', '-j', 'DROP']
  if (!run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']) || !run(['ip', 'netns', 'exec', ns, 'iptables', ...rule, ...once]))
    return 'iptables is not usable in a network namespace here'
  // tshark inside the namespace: `ip netns exec` replaces itself with tshark, so signals reach it.
  const tshark = path.join(tmp(), 'tshark-in-netns')
  writeFileSync(tshark, `#!/bin/sh\nexec ip netns exec ${ns} ${findTshark()} "$@"\n`, { mode: 0o755 })
  return { ns, tshark }
}

afterAll(() => {
  for (const d of dirs) if (d.startsWith('netns:')) spawnSync('ip', ['netns', 'del', d.slice(6)], { stdio: 'ignore' })
})

const netnsMissing =
  process.getuid?.() !== 0
    ? 'it needs root to make a network namespace'
    : spawnSync('iptables', ['--version'], { stdio: 'ignore' }).status !== 0
      ? 'iptables is not installed (apt install iptables)'
      : ''

describe.skipIf(!tsharkAvailable || !!netnsMissing)(
  `a retransmission on a live loopback${reason || (netnsMissing ? ` (skipped: ${netnsMissing})` : '')}`,
  () => {
    it('the first data segment dropped once: tshark sees it sent again, the CLI and the ladder say so', async () => {
      // The namespace is the test's own, so any port is free in it; one found free at run time all the same.
      const port = await freePort()
      const bench = lossyNamespace(port)
      if (typeof bench === 'string') throw new Error(bench)
      const dir = tmp()
      const diagram = path.join(dir, 'ladder.svg')
      const out = new Collect()
      const err = new Collect()
      const abort = new AbortController()
      const run = captureCommand(['--port', String(port), '--interface', 'lo', '--diagram', diagram], out, err, {
        signal: abort.signal,
        capture: { tshark: bench.tshark },
      })
      const started = Date.now()
      while (!out.text.includes('press Ctrl+C to stop')) {
        if (Date.now() - started > 30_000) throw new Error(`the capture did not start: ${err.text}`)
        await new Promise((r) => setTimeout(r, 20))
      }
      const script = [
        'import socket, threading',
        `srv = socket.socket(); srv.bind(("127.0.0.1", ${port})); srv.listen()`,
        'def serve():',
        '    c, _ = srv.accept(); c.recv(1024); c.sendall(b"ack"); c.close()',
        't = threading.Thread(target=serve); t.start()',
        `s = socket.create_connection(("127.0.0.1", ${port})); s.sendall(b"alice-4821"); print(s.recv(1024).decode()); s.close(); t.join()`,
      ].join('\n')
      const py = spawn('ip', ['netns', 'exec', bench.ns, 'python3', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'] })
      let said = ''
      py.stdout.on('data', (d) => (said += d))
      expect((await once(py, 'close'))[0]).toBe(0)
      expect(said.trim()).toBe('ack')
      while (!out.text.includes('last ACK')) {
        if (Date.now() - started > 60_000) throw new Error('no teardown captured')
        await new Promise((r) => setTimeout(r, 20))
      }
      abort.abort()
      expect(await run).toBe(0)
      const lines = out.text.split('\n').filter((l) => /^\s+\d+\s+\d+\.\d{6}\s/.test(l))
      const first = lines.findIndex((l) => l.includes('"alice-4821"'))
      expect(lines[first]).toMatch(/PSH\/ACK\s+seq=1 ack=1 len=10\s+data\s+"alice-4821"$/)
      const no = Number(lines[first].trim().split(/\s+/)[0])
      expect(lines[first + 1]).toMatch(new RegExp(`PSH\\/ACK\\s+seq=1 ack=1 len=10\\s+retransmission of #${no}\\s+"alice-4821"$`))
      expect(parseSvg(readFileSync(diagram, 'utf8')).texts).toContain(
        `#${no + 1}  Retransmission of #${no}  PSH/ACK  Seq=1 Ack=1 Len=10`,
      )
    }, 120_000)
  },
)

describe('without tshark: the diagram from the app’s own socket events', () => {
  it('an adder session: connect, accept, each send and recv with its message, close', async () => {
    w = watchedHost()
    const { port, clientId } = await adderSession(w)
    const conn = w.host.recorder.allConnections().find((c) => c.ownerId === clientId)!
    await w.waitUntil(() => w!.host.recorder.connection(conn.connId)?.state === 'closed', 'the client connection to close')
    const closed = w.host.recorder.connection(conn.connId)!
    const messages = w.host.recorder.recentMessages(conn.connId).map((m) => toTrafficMessage(m))
    const result = w.results(clientId).find((r) => r.kind === 'adder')!
    expect(result.kind).toBe('adder')
    // The client closed after "q": the recorded fact draws its FIN first, no guess needed.
    expect(closed).toMatchObject({ closedBy: 'us', closeKind: 'fin' })
    const l = ladderFromSocketEvents(socketTrace(closed, messages))
    expect(l.closeOrderUnknown).toBeUndefined()
    expect(l.source).toBe('socket-events')
    expect(l.client).toEqual(closed.local)
    expect(l.server).toEqual({ address: '127.0.0.1', port })
    const pair = result.kind === 'adder' ? `${result.a} ${result.b}` : ''
    const answer = result.kind === 'adder' ? String(result.answer) : ''
    expect(l.arrows.filter((a) => a.text !== undefined).map((a) => [a.from, a.text])).toEqual([
      ['client', 'bob-1'],
      ['server', 'ack'],
      ['client', pair],
      ['server', answer],
    ])
    expect(l.calls.map((c) => `${c.lane} ${c.call}${c.bytes !== undefined ? ` ${c.bytes}` : ''}`)).toEqual([
      'client connect',
      'server accept',
      'client send 5',
      'server recv 5',
      'server send 3',
      'client recv 3',
      `client send ${pair.length}`,
      `server recv ${pair.length}`,
      `server send ${answer.length}`,
      `client recv ${answer.length}`,
      'client close',
      'server recv 0',
      'server close',
    ])
    const texts = parseSvg(makeEvidence({ port, packets: [], ladders: [l] }).svg).texts
    expect(texts.some((t) => t.startsWith('Drawn from socket events'))).toBe(true)
    expect(texts).toContain('"bob-1"')
  })
})

class Collect extends Writable {
  text = ''
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString()
    done()
  }
}

describe.skipIf(!tsharkAvailable)(`socketlab capture (CLI)${reason}`, () => {
  it('--count and --write: annotated lines, and a file tshark reads back', async () => {
    w = watchedHost()
    const srv = ok(await w.host.call('serverStart', { exercise: 'greeting', host: 'loopback', port: 0, oneAtATime: false }))
    const file = path.join(tmp(), 'greeting.pcapng')
    const out = new Collect()
    const err = new Collect()
    const run = captureCommand(['--port', String(srv.port), '--interface', 'lo', '--count', '4', '--write', file], out, err)
    await w.waitUntil(() => out.text.includes('press Ctrl+C to stop'), 'the capture to start', 20_000)
    const cli = ok(await w.host.call('clientStart', { exercise: 'greeting', host: '127.0.0.1', port: srv.port }))
    await w.waitFor(clientEnded(cli.clientId))
    expect(await run).toBe(0)
    expect(err.text).toBe('')
    const text = out.text
    expect(text).toContain(`Wireshark display filter: tcp.port == ${srv.port}`)
    expect(text).toContain(`Capture filter:           tcp port ${srv.port}`)
    expect(text).toContain('loopback interface lo')
    const lines = text.split('\n').filter((l) => /^\s+\d+\s+\d+\.\d{6}\s/.test(l))
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(
      new RegExp(`127\\.0\\.0\\.1:\\d+ → 127\\.0\\.0\\.1:${srv.port}\\s+SYN\\s+seq=0 ack=0 len=0\\s+handshake 1/3 \\(SYN\\)$`),
    )
    expect(lines[1]).toMatch(/SYN\/ACK\s+seq=0 ack=1 len=0\s+handshake 2\/3 \(SYN\/ACK\)$/)
    expect(lines[2]).toMatch(/ACK\s+seq=1 ack=1 len=0\s+handshake 3\/3 \(ACK\)$/)
    expect(lines[3]).toMatch(/PSH\/ACK\s+seq=1 ack=1 len=24\s+data\s+"Thank you for connecting"$/)
    expect(text).toContain('4 packets captured.')
    expect(text).toContain(`Saved to ${file}.`)
    const back = await readCaptureFile(tshark!, file)
    expect(back.map((p) => flagNames(p.flags).join('/'))).toEqual(['SYN', 'SYN/ACK', 'ACK', 'PSH/ACK'])
    expect(Buffer.from(back[3].payload).toString()).toBe('Thank you for connecting')
    expect(liveTsharkCount()).toBe(0)
  })

  it('--sheet, --diagram and --bundle: the answer sheet opens offline in Chromium, the SVG parses, the bundle is complete', async () => {
    w = watchedHost()
    const srv = ok(await w.host.call('serverStart', { exercise: 'greeting', host: 'loopback', port: 0, oneAtATime: false }))
    const dir = tmp()
    const sheet = path.join(dir, 'answer.html')
    const diagram = path.join(dir, 'ladder.svg')
    const bundle = path.join(dir, 'evidence')
    const out = new Collect()
    const err = new Collect()
    const abort = new AbortController()
    const run = captureCommand(
      ['--port', String(srv.port), '--interface', 'lo', '--sheet', sheet, '--diagram', diagram, '--bundle', bundle],
      out,
      err,
      { signal: abort.signal },
    )
    await w.waitUntil(() => out.text.includes('press Ctrl+C to stop'), 'the capture to start', 20_000)
    const cli = ok(await w.host.call('clientStart', { exercise: 'greeting', host: '127.0.0.1', port: srv.port }))
    await w.waitFor(clientEnded(cli.clientId))
    await w.waitUntil(() => out.text.includes('last ACK'), 'the end of the teardown', 15_000)
    abort.abort()
    expect(await run).toBe(0)
    expect(err.text).toBe('')
    expect(out.text).toContain(`Answer sheet: ${sheet}`)
    expect(out.text).toContain(`Ladder diagram: ${diagram}`)

    const svg = parseSvg(readFileSync(diagram, 'utf8'))
    expect(svg.texts).toContain(`Display filter: tcp.port == ${srv.port}`)
    for (const [n, f] of [
      [1, 'SYN'],
      [2, 'SYN/ACK'],
      [3, 'ACK'],
    ])
      expect(svg.texts.some((t) => t.startsWith(`#${n}  ${f}  Seq=`))).toBe(true)
    expect(svg.texts).toContain('"Thank you for connecting"')
    expect(svg.texts).toContain('"It was nice talking to you"')

    expect(readdirSync(bundle).sort()).toEqual([
      'README.txt',
      'answer-sheet.html',
      'capture.pcapng',
      'ladder.png',
      'ladder.svg',
      'transcript.txt',
    ])
    expect(readFileSync(path.join(bundle, 'ladder.png')).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
    expect((await readCaptureFile(tshark!, path.join(bundle, 'capture.pcapng'))).length).toBeGreaterThanOrEqual(10)
    const transcript = readFileSync(path.join(bundle, 'transcript.txt'), 'utf8')
    expect(transcript).toMatch(/server → client\s+24 bytes\s+"Thank you for connecting"/)
    expect(transcript).toMatch(/client → server\s+26 bytes\s+"It was nice talking to you"/)

    // The sheet in a real browser, with every network request refused: it needs none.
    const { chromium } = await import('playwright-core')
    const browser = await chromium.launch({ executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined })
    try {
      const page = await browser.newPage()
      const requests: string[] = []
      await page.route('**/*', (route) => {
        if (route.request().url().startsWith('file:')) return route.continue()
        requests.push(route.request().url())
        return route.abort()
      })
      await page.goto(`file://${sheet}`)
      expect(requests).toEqual([])
      expect(await page.locator('#display-filter').textContent()).toBe(`tcp.port == ${srv.port}`)
      const handshake = await page
        .locator('table.handshake tbody tr')
        .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)))
      expect(handshake.map((r) => [r[0], r[2], r[3]])).toEqual([
        ['1', 'client → server', 'SYN'],
        ['2', 'server → client', 'SYN/ACK'],
        ['3', 'client → server', 'ACK'],
      ])
      const texts = await page.locator('table.texts code.payload').allTextContents()
      expect(texts).toEqual(['Thank you for connecting', 'It was nice talking to you'])
      expect(await page.locator('table.teardown tbody tr').count()).toBeGreaterThanOrEqual(3)
      // The inline diagram is real SVG with its texts.
      expect(await page.locator('figure svg text', { hasText: 'Three-way handshake' }).count()).toBe(1)
      // The standalone SVG parses in Chromium too.
      const svgText = readFileSync(diagram, 'utf8')
      const parseError = await page.evaluate((s) => {
        type Parser = new () => {
          parseFromString(s: string, type: string): { getElementsByTagName(n: string): ArrayLike<unknown> }
        }
        const doc = new (globalThis as unknown as { DOMParser: Parser }).DOMParser().parseFromString(s, 'image/svg+xml')
        return doc.getElementsByTagName('parsererror').length
      }, svgText)
      expect(parseError).toBe(0)
    } finally {
      await browser.close()
    }
  }, 180_000)

  it('stops on its own after --duration, or when aborted, and removes its temporary file', async () => {
    // Its own temporary folder (os.tmpdir() follows TMPDIR), so captures of tests running beside this
    // one cannot look like files it left behind.
    const own = tmp()
    const savedTmp = process.env.TMPDIR
    process.env.TMPDIR = own
    onTestFinished(() => {
      if (savedTmp === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = savedTmp
    })
    const out = new Collect()
    const err = new Collect()
    const started = Date.now()
    const quiet = await quietPort()
    expect(await captureCommand(['--port', String(quiet), '--interface', 'lo', '--duration', '1'], out, err)).toBe(0)
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(out.text).toContain('0 packets captured.')
    const abort = new AbortController()
    const out2 = new Collect()
    const run = captureCommand([`--port=${await quietPort()}`, '--interface=lo'], out2, err, { signal: abort.signal })
    await new Promise<void>((resolve) => {
      const t = setInterval(() => out2.text.includes('press Ctrl+C') && (clearInterval(t), resolve()), 20)
    })
    abort.abort()
    expect(await run).toBe(0)
    expect(err.text).toBe('')
    expect(readdirSync(own)).toEqual([])
    expect(liveTsharkCount()).toBe(0)
  })

  it('--max-size: the cap reached is said in plain words', async () => {
    const big = net.createServer((s) => {
      // The capture may stop mid-transfer and the client go: that reset is expected.
      s.on('error', () => undefined)
      s.end(Buffer.alloc(3 * 1024 * 1024, 0x62))
    })
    await new Promise<void>((r) => big.listen(0, '127.0.0.1', r))
    const port = (big.address() as net.AddressInfo).port
    try {
      const out = new Collect()
      const err = new Collect()
      const run = captureCommand(['--port', String(port), '--interface', 'lo', '--max-size', '1'], out, err)
      await new Promise<void>((resolve) => {
        const t = setInterval(() => out.text.includes('press Ctrl+C') && (clearInterval(t), resolve()), 20)
      })
      // 3 MB per connection, again until the cap is reached: on a loaded machine the first transfer may
      // be over before tshark's capture has really begun, and a capture that never fills would wait forever.
      let ended = false
      const code = run.finally(() => (ended = true))
      const socks: net.Socket[] = []
      for (let i = 0; i < 20 && !ended; i++) {
        const sock = net.connect(port, '127.0.0.1')
        sock.on('error', () => undefined)
        sock.resume()
        socks.push(sock)
        await Promise.race([code, new Promise((r) => sock.once('close', r))])
      }
      expect(await code).toBe(0)
      for (const sock of socks) sock.destroy()
      expect(out.text).toContain('The capture file reached its size cap of 1 MB, so tshark stopped.')
    } finally {
      big.close()
    }
  })

  it('bad arguments: exit 2 with a message; tshark missing: exit 1 with what to install', async () => {
    const cases: [string[], RegExp][] = [
      [[], /--port is required/],
      [['--port', 'abc'], /--port must be a whole number/],
      [['--port', '70000'], /--port must be from 1 to 65535/],
      [['--port', '12345', '--count', '0'], /--count must be from 1/],
      [['--port', '12345', '--count', '-3'], /--count must be a whole number/],
      [['--port', '12345', '--duration', '0'], /--duration must be from 1/],
      [['--port', '12345', '--max-size', '0'], /--max-size must be from 1/],
      [['--port', '12345', '--bogus'], /unknown option --bogus/],
      [
        ['--port', '12345', '--interface', 'nosuch0'],
        /no capture interface called "nosuch0"[\s\S]*Interfaces tshark can use: any/,
      ],
      [['--port', '12345', '--write', '/no/such/folder/x.pcapng'], /the folder \/no\/such\/folder does not exist/],
      [['--port', '12345', '--sheet', '/no/such/folder/a.html'], /--sheet: the folder \/no\/such\/folder does not exist/],
      [['--port', '12345', '--diagram', os.tmpdir()], /--diagram: .* is a folder/],
      [['--port', '12345', '--bundle', '/no/such/folder/evidence'], /--bundle: the folder \/no\/such\/folder does not exist/],
      [['12345'], /unexpected argument "12345"/],
    ]
    for (const [argv, message] of cases) {
      const out = new Collect()
      const err = new Collect()
      expect(await captureCommand(argv, out, err), argv.join(' ')).toBe(2)
      expect(err.text).toMatch(message)
    }
    const help = new Collect()
    expect(await captureCommand(['--help'], help, new Collect())).toBe(0)
    expect(help.text).toMatch(/^Usage: socketlab capture --port P/)
    expect(help.text).toContain('--sheet FILE')

    const err = new Collect()
    expect(await captureCommand(['--port', '12345'], new Collect(), err, { capture: { tshark: null, platform: 'linux' } })).toBe(
      1,
    )
    expect(err.text).toMatch(/not installed[\s\S]*sudo apt install tshark[\s\S]*usermod -aG wireshark/)
    const mac = new Collect()
    expect(await captureCommand(['--port', '12345'], new Collect(), mac, { capture: { tshark: null, platform: 'darwin' } })).toBe(
      1,
    )
    expect(mac.text).toMatch(/brew install wireshark/)
    expect(existsSync('/no/such/folder')).toBe(false)
  })
})

describe.skipIf(!tsharkAvailable)(`capture files and errors${reason}`, () => {
  it('plain errors: an unknown interface, saving or reading before any capture', async () => {
    w = watchedHost()
    const save = await w.host.call('captureSave', {})
    expect(save).toEqual({ ok: false, error: 'Nothing has been captured yet: start a capture first.' })
    const read = await w.host.call('captureRead', { fileId: 'a'.repeat(24), offset: 0 })
    expect(read).toEqual({ ok: false, error: 'That file is not ready any more: save it again.' })
    const bad = await w.host.call('captureStart', { port: 12345, interface: 'nosuch0' })
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error).toMatch(/^There is no capture interface called "nosuch0"\. Choose one of: any, .*\blo\b/)
    expect(w.host.capture.info()).toBeNull()
  })

  it('a second start replaces the first; stop and close leave no tshark behind', async () => {
    w = watchedHost()
    ok(await w.host.call('captureStart', { port: await quietPort(), interface: 'lo' }))
    expect(liveTsharkCount()).toBe(1)
    const port = await quietPort()
    const second = ok(await w.host.call('captureStart', { port, interface: 'lo' }))
    expect(second.port).toBe(port)
    expect(liveTsharkCount()).toBe(1)
    ok(await w.host.call('captureStop', {}))
    expect(liveTsharkCount()).toBe(0)
    ok(await w.host.call('captureStop', {})) // twice is fine
    ok(await w.host.call('captureStart', { port: await quietPort(), interface: 'lo' }))
    await w.host.close()
    expect(liveTsharkCount()).toBe(0)
  })

  it('browser mode can stream a prepared file as an HTTP download instead', async () => {
    w = watchedHost()
    ok(await w.host.call('captureStart', { port: await quietPort(), interface: 'lo' }))
    ok(await w.host.call('captureStop', {}))
    const saved = ok(await w.host.call('captureSave', {}))
    const server = http.createServer((req, res) =>
      sendCaptureFile(w!.host.capture, (req.url ?? '').slice(DOWNLOAD_PREFIX.length), res),
    )
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}${DOWNLOAD_PREFIX}`
      const got = await fetch(`${base}${saved.fileId}`)
      expect(got.status).toBe(200)
      expect(got.headers.get('content-disposition')).toBe(`attachment; filename="${saved.filename}"`)
      expect(Buffer.from(await got.arrayBuffer()).equals(readFileSync((w.host.capture as TsharkCaptureService).file()!))).toBe(
        true,
      )
      expect((await fetch(`${base}${'0'.repeat(24)}`)).status).toBe(404)
      expect((await fetch(`${base}..%2F..%2Fetc%2Fpasswd`)).status).toBe(404)
    } finally {
      server.close()
    }
  })

  it('temporary files go when the next capture starts or the service is disposed; a bundle is a zip Python reads', async () => {
    w = watchedHost()
    const capture = w.host.capture as TsharkCaptureService
    const port = await quietPort()
    ok(await w.host.call('captureStart', { port, interface: 'lo' }))
    ok(await w.host.call('captureStop', {}))
    const saved = ok(await w.host.call('captureSave', {}))
    const bytes = await readAll(w, saved.fileId)
    // A pcapng starts with a Section Header Block.
    expect(bytes.readUInt32LE(0)).toBe(0x0a0d0d0a)
    const first = capture.file()!
    expect(readFileSync(first).equals(bytes)).toBe(true)
    const zip = ok(await w.host.call('captureSave', { what: 'bundle' }))
    expect(zip).toMatchObject({ mime: 'application/zip' })
    expect(zip.filename).toMatch(new RegExp(`^socketlab-port${port}-\\d{8}-\\d{6}-evidence\\.zip$`))
    const zipFile = path.join(tmp(), zip.filename)
    writeFileSync(zipFile, await readAll(w, zip.fileId))
    const listing = spawnSync(
      'python3',
      [
        '-c',
        'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print("\\n".join(z.namelist()))',
        zipFile,
      ],
      { encoding: 'utf8' },
    )
    expect(listing.stderr).toBe('')
    const base = zip.filename.replace(/-evidence\.zip$/, '')
    expect(listing.stdout.trim().split('\n').sort()).toEqual(
      ['README.txt', 'answer-sheet.html', 'capture.pcapng', 'ladder.png', 'ladder.svg', 'transcript.txt'].map(
        (n) => `${base}/${n}`,
      ),
    )
    // The diagram alone as a picture (the Capture page's "Diagram (PNG)"); an unknown kind is refused by name.
    const png = ok(await w.host.call('captureSave', { what: 'png' }))
    expect(png).toMatchObject({ mime: 'image/png' })
    expect(png.filename).toMatch(new RegExp(`^socketlab-port${port}-\\d{8}-\\d{6}-ladder\\.png$`))
    expect((await readAll(w, png.fileId)).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
    const refused = await w.host.call('captureSave', { what: 'gif' } as never)
    expect(refused).toMatchObject({ ok: false, field: 'what' })
    const exported = capture.fileFor(zip.fileId)!.path
    ok(await w.host.call('captureStart', { port: await quietPort(), interface: 'lo' }))
    expect(existsSync(first)).toBe(false)
    const second = capture.file()!
    await capture.dispose()
    expect(existsSync(second)).toBe(false)
    expect(existsSync(exported)).toBe(false)
  }, 180_000)
})
