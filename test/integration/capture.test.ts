// Lab 2 question 3 for real: tshark captures the loopback while SocketLab's own server and client
// talk, and every packet comes back explained.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { CapturedPacket, EngineEvent } from '@shared/contract'
import { captureCommand } from '../../src/cli/capture'
import type { TsharkCaptureService } from '../../src/main/capture'
import { flagsInWords } from '../../src/main/capture/annotate'
import { findTshark, liveTsharkCount, readCaptureFile } from '../../src/main/capture/tshark'
import { clientEnded, ok, watchedHost, type Watched } from '../helpers/host'

const tshark = findTshark()
const tsharkAvailable = tshark !== null
const reason = tsharkAvailable ? '' : ' (skipped: tshark is not installed (apt install tshark))'

let w: Watched | undefined
const dirs: string[] = []
afterEach(async () => {
  await w?.host.capture.dispose?.()
  await w?.host.close()
  w = undefined
  expect(liveTsharkCount()).toBe(0)
})
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'socketlab-capture-test-'))
  dirs.push(d)
  return d
}

function packetsOf(events: EngineEvent[]): CapturedPacket[] {
  return events.flatMap((e) => (e.type === 'packets' ? e.packets : []))
}

/** A server on the loopback, and a capture of its port on lo. */
async function serverWithCapture(exercise: 'greeting' | 'adder') {
  w = watchedHost()
  const messages: EngineEvent[] = []
  w.host.onEvent((e) => messages.push(e), { messages: true })
  const srv = ok(await w.host.call('serverStart', { exercise, host: 'loopback', port: 0, oneAtATime: false }))
  const info = ok(await w.host.call('captureStart', { port: srv.port, interface: 'lo' }))
  expect(info).toMatchObject({ port: srv.port, interface: 'lo', running: true, packets: 0 })
  return { srv, w }
}

describe.skipIf(!tsharkAvailable)(`capture with tshark${reason}`, () => {
  it('status: available, with the loopback interface', async () => {
    w = watchedHost()
    const status = ok(await w.host.call('captureStatus', {}))
    expect(status.available).toBe(true)
    expect(status.problem).toBeUndefined()
    expect(status.interfaces).toContain('lo')
    expect(status.interfaces[0]).toBe('any') // the recommended one first (Linux)
    expect(status.interfaces).not.toContain('randpkt')
  })

  it('greeting: handshake, both texts in order with their Traffic messages, teardown; the .pcapng holds the same packets', async () => {
    const { srv, w } = await serverWithCapture('greeting')
    const cli = ok(await w.host.call('clientStart', { exercise: 'greeting', host: '127.0.0.1', port: srv.port }))
    expect((await w.waitFor(clientEnded(cli.clientId))).ok).toBe(true)
    // Both sides closed: wait for the last ACK of the teardown.
    await w.waitUntil(() => packetsOf(w.events).some((p) => p.note === 'teardown (last ACK)'), 'the last ACK of the teardown')
    ok(await w.host.call('captureStop', {}))
    const stopped = w.events.filter((e) => e.type === 'capture').at(-1)
    expect(stopped).toMatchObject({ type: 'capture', info: { running: false } })

    const packets = packetsOf(w.events)
    // Batches, not one event per packet.
    expect(w.events.filter((e) => e.type === 'packets').length).toBeLessThan(packets.length)
    expect(packets.map((p) => p.no)).toEqual(packets.map((_, i) => i + 1))
    expect(w.host.capture.info()).toMatchObject({ port: srv.port, running: false, packets: packets.length })

    // The three-way handshake.
    const [syn, synAck, ack] = packets
    expect(syn).toMatchObject({ flags: 'SYN', note: 'handshake 1/3 (SYN)', dstPort: srv.port, seq: 0, len: 0 })
    expect(synAck).toMatchObject({ flags: 'SYN/ACK', note: 'handshake 2/3 (SYN/ACK)', srcPort: srv.port, seq: 0, ack: 1 })
    expect(ack).toMatchObject({ flags: 'ACK', note: 'handshake 3/3 (ACK)', dstPort: srv.port, seq: 1, ack: 1 })
    const clientPort = syn.srcPort

    // The text of the two processes, in order.
    const data = packets.filter((p) => p.len > 0)
    expect(data.map((p) => [p.srcPort, p.payload])).toEqual([
      [srv.port, 'Thank you for connecting'],
      [clientPort, 'It was nice talking to you'],
    ])
    expect(data.map((p) => p.flags)).toEqual(['PSH/ACK', 'PSH/ACK'])
    expect(data.every((p) => p.note === 'data')).toBe(true)
    expect(data[0]).toMatchObject({ seq: 1, len: 24 })
    expect(packets.indexOf(data[0])).toBeGreaterThan(2)

    // Each payload carries the seq of the Traffic message that sent it.
    const recorded = w.host.recorder.recentMessages()
    for (const p of data) {
      expect(p.messageSeq).toBeTypeOf('number')
      const m = recorded.find((r) => r.seq === p.messageSeq)!
      expect(m.dir).toBe('out')
      expect(Buffer.from(m.data).toString()).toBe(p.payload)
      const conn = w.host.recorder.connection(m.connId)!
      expect(conn.local).toEqual({ address: '127.0.0.1', port: p.srcPort })
    }

    // The teardown: a FIN from each side, after the data.
    const fins = packets.filter((p) => p.flags.includes('FIN'))
    expect(fins).toHaveLength(2)
    expect(fins.every((p) => p.note?.startsWith('teardown (FIN from'))).toBe(true)
    expect(new Set(fins.map((p) => p.srcPort))).toEqual(new Set([srv.port, clientPort]))
    expect(packets.indexOf(fins[0])).toBeGreaterThan(packets.indexOf(data[1]))
    expect(packets.at(-1)!.note).toBe('teardown (last ACK)')
    expect(packets.some((p) => p.flags.includes('RST'))).toBe(false)

    // Late subscribers get the same list.
    expect(w.host.capture.packets?.()).toEqual(packets)

    // The saved .pcapng, read back by tshark, holds the same packets.
    const saved = ok(await w.host.call('captureSave', {}))
    expect(saved.filename).toMatch(new RegExp(`^socketlab-port${srv.port}-\\d{8}-\\d{6}\\.pcapng$`))
    const file = path.join(tmp(), saved.filename)
    writeFileSync(file, Buffer.from(saved.base64, 'base64'))
    const back = await readCaptureFile(tshark!, file)
    expect(
      back.map((p) => [
        p.no,
        flagsInWords(p.flags),
        p.srcPort,
        p.dstPort,
        p.seq,
        p.ack,
        p.len,
        Buffer.from(p.payload).toString(),
      ]),
    ).toEqual(packets.map((p) => [p.no, p.flags, p.srcPort, p.dstPort, p.seq, p.ack, p.len, p.payload]))
    expect(back.map((p) => Math.round(p.t))).toEqual(packets.map((p) => Math.round(p.t)))
  })

  it('adder: the name and ack, then each request and its answer, then q closes', async () => {
    const { srv, w } = await serverWithCapture('adder')
    const cli = ok(
      await w.host.call('clientStart', { exercise: 'adder', host: '127.0.0.1', port: srv.port, params: { name: 'alice-4821' } }),
    )
    for (const command of ['a', 'a', 'q']) ok(await w.host.call('clientCommand', { clientId: cli.clientId, command }))
    expect((await w.waitFor(clientEnded(cli.clientId))).ok).toBe(true)
    await w.waitUntil(() => packetsOf(w.events).some((p) => p.note === 'teardown (last ACK)'), 'the end of the teardown')
    // Saved while tshark still runs: the file already holds every packet shown.
    const live = ok(await w.host.call('captureSave', {}))
    const file = path.join(tmp(), live.filename)
    writeFileSync(file, Buffer.from(live.base64, 'base64'))
    expect((await readCaptureFile(tshark!, file)).length).toBeGreaterThanOrEqual(packetsOf(w.events).length)
    expect(w.host.capture.info()?.running).toBe(true)
    ok(await w.host.call('captureStop', {}))

    const results = w.results(srv.serverId).flatMap((r) => (r.kind === 'adder' ? [r] : []))
    expect(results).toHaveLength(2)
    const packets = packetsOf(w.events)
    const fromClient = (p: CapturedPacket): boolean => p.dstPort === srv.port
    const data = packets.filter((p) => p.len > 0)
    expect(data.map((p) => [fromClient(p) ? 'client' : 'server', p.payload])).toEqual([
      ['client', 'alice-4821'],
      ['server', 'ack'],
      ['client', `${results[0].a} ${results[0].b}`],
      ['server', String(results[0].answer)],
      ['client', `${results[1].a} ${results[1].b}`],
      ['server', String(results[1].answer)],
    ])
    const recorded = w.host.recorder.recentMessages()
    for (const p of data) {
      const m = recorded.find((r) => r.seq === p.messageSeq)
      expect(m && Buffer.from(m.data).toString()).toBe(p.payload)
    }
    // Every answer comes after its request.
    expect(new Set(data.map((p) => p.messageSeq)).size).toBe(6)
    // `q` is not sent: the client just closes.
    const fins = packets.filter((p) => p.flags.includes('FIN'))
    expect(fins[0].dstPort).toBe(srv.port)
    expect(fins[0].note).toBe('teardown (FIN from client)')
  })

  it('plain errors: an unknown interface, saving before any capture', async () => {
    w = watchedHost()
    const save = await w.host.call('captureSave', {})
    expect(save).toEqual({ ok: false, error: 'Nothing has been captured yet: start a capture first.' })
    const bad = await w.host.call('captureStart', { port: 12345, interface: 'nosuch0' })
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error).toMatch(/^There is no capture interface called "nosuch0"\. Choose one of: any, .*\blo\b/)
    expect(w.host.capture.info()).toBeNull()
  })

  it('a second start replaces the first; stop and close leave no tshark behind', async () => {
    w = watchedHost()
    ok(await w.host.call('captureStart', { port: 23456, interface: 'lo' }))
    expect(liveTsharkCount()).toBe(1)
    const second = ok(await w.host.call('captureStart', { port: 23457, interface: 'lo' }))
    expect(second.port).toBe(23457)
    expect(liveTsharkCount()).toBe(1)
    ok(await w.host.call('captureStop', {}))
    expect(liveTsharkCount()).toBe(0)
    ok(await w.host.call('captureStop', {})) // twice is fine
    ok(await w.host.call('captureStart', { port: 23458, interface: 'lo' }))
    await w.host.close()
    expect(liveTsharkCount()).toBe(0)
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
    expect(back.map((p) => flagsInWords(p.flags))).toEqual(['SYN', 'SYN/ACK', 'ACK', 'PSH/ACK'])
    expect(Buffer.from(back[3].payload).toString()).toBe('Thank you for connecting')
    expect(liveTsharkCount()).toBe(0)
  })

  it('stops on its own after --duration, or when aborted, and removes its temporary file', async () => {
    const temps = (): string[] =>
      readdirSync(os.tmpdir()).filter((n) => n.startsWith('socketlab-capture-') && !n.includes('test'))
    const before = temps()
    const out = new Collect()
    const err = new Collect()
    const started = Date.now()
    expect(await captureCommand(['--port', '23459', '--interface', 'lo', '--duration', '1'], out, err)).toBe(0)
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(out.text).toContain('0 packets captured.')
    const abort = new AbortController()
    const out2 = new Collect()
    const run = captureCommand(['--port=23460', '--interface=lo'], out2, err, { signal: abort.signal })
    await new Promise<void>((resolve) => {
      const t = setInterval(() => out2.text.includes('press Ctrl+C') && (clearInterval(t), resolve()), 20)
    })
    abort.abort()
    expect(await run).toBe(0)
    expect(err.text).toBe('')
    expect(temps()).toEqual(before)
    expect(liveTsharkCount()).toBe(0)
  })

  it('bad arguments: exit 2 with a message; tshark missing: exit 1 with what to install', async () => {
    const cases: [string[], RegExp][] = [
      [[], /--port is required/],
      [['--port', 'abc'], /--port must be a whole number/],
      [['--port', '70000'], /--port must be from 1 to 65535/],
      [['--port', '12345', '--count', '0'], /--count must be from 1/],
      [['--port', '12345', '--count', '-3'], /--count must be a whole number/],
      [['--port', '12345', '--duration', '0'], /--duration must be from 1/],
      [['--port', '12345', '--bogus'], /unknown option --bogus/],
      [
        ['--port', '12345', '--interface', 'nosuch0'],
        /no capture interface called "nosuch0"[\s\S]*Interfaces tshark can use: any/,
      ],
      [['--port', '12345', '--write', '/no/such/folder/x.pcapng'], /the folder \/no\/such\/folder does not exist/],
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

describe.skipIf(!tsharkAvailable)(`capture files${reason}`, () => {
  it('a temporary capture file is removed when the next capture starts', async () => {
    w = watchedHost()
    const capture = w.host.capture as TsharkCaptureService
    ok(await w.host.call('captureStart', { port: 23461, interface: 'lo' }))
    ok(await w.host.call('captureStop', {}))
    const saved = ok(await w.host.call('captureSave', {}))
    // A pcapng starts with a Section Header Block.
    expect(Buffer.from(saved.base64, 'base64').readUInt32LE(0)).toBe(0x0a0d0d0a)
    const first = capture.file()!
    expect(readFileSync(first).equals(Buffer.from(saved.base64, 'base64'))).toBe(true)
    ok(await w.host.call('captureStart', { port: 23462, interface: 'lo' }))
    expect(existsSync(first)).toBe(false)
    const second = capture.file()!
    await capture.dispose()
    expect(existsSync(second)).toBe(false)
  })
})
