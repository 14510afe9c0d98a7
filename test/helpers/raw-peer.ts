// A raw TCP peer for hostile-input tests: sends exactly the bytes given, records what comes back.

import net from 'node:net'

export interface RawPeer {
  socket: net.Socket
  send(data: string | Buffer): void
  received(): Buffer
  text(): string
  closed: Promise<void>
  isClosed(): boolean
  until(pred: (text: string) => boolean, ms?: number): Promise<string>
  /** Send one byte at a time with a pause between bytes. */
  dribble(data: string, gapMs: number): Promise<void>
}

export async function rawPeer(port: number, host = '127.0.0.1'): Promise<RawPeer> {
  const socket = net.connect({ host, port })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('error', reject)
  })
  const chunks: Buffer[] = []
  let closed = false
  socket.on('data', (d: Buffer) => chunks.push(d))
  socket.on('error', () => undefined)
  const closedP = new Promise<void>((r) =>
    socket.on('close', () => {
      closed = true
      r()
    }),
  )
  const received = (): Buffer => Buffer.concat(chunks)
  return {
    socket,
    send: (data) => void socket.write(data),
    received,
    text: () => received().toString('latin1'),
    closed: closedP,
    isClosed: () => closed,
    async until(pred, ms = 5000) {
      const start = Date.now()
      while (!pred(received().toString('latin1'))) {
        if (Date.now() - start > ms) throw new Error(`timed out; received ${JSON.stringify(received().toString('latin1'))}`)
        await new Promise((r) => setTimeout(r, 5))
      }
      return received().toString('latin1')
    },
    async dribble(data, gapMs) {
      for (const ch of data) {
        socket.write(ch)
        await new Promise((r) => setTimeout(r, gapMs))
      }
    },
  }
}

/** A port that nothing listens on (bound and released). */
export async function freePort(): Promise<number> {
  const probe = net.createServer()
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()))
  const port = (probe.address() as net.AddressInfo).port
  await new Promise<void>((r) => probe.close(() => r()))
  return port
}
