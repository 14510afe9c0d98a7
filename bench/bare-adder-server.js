// The floor of overhead: the adder with Node's `net` and nothing else (no framing for naive peers,
// no recording, no limits). Run as a program it listens and prints `listening on <port>`; the
// in-process engine benchmark (bench/engine-path.ts) drives the same handler.
import net from 'node:net'
import { pathToFileURL } from 'node:url'

/** Answer one adder client on `socket`: `ack` to its name, then each sum. */
export function answerAsBareNode(socket) {
  let named = false
  socket.on('error', () => socket.destroy())
  socket.on('data', (chunk) => {
    if (!named) {
      named = true
      socket.write('ack')
      return
    }
    const [a, b] = chunk
      .toString('latin1')
      .trim()
      .split(/[ ,+]+/)
    socket.write(String(Number(a) + Number(b)))
  })
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const server = net.createServer({ noDelay: true }, answerAsBareNode)
  server.listen({ host: '127.0.0.1', port: 0, backlog: 1024 }, () => {
    console.log(`listening on ${server.address().port}`)
  })
  process.on('SIGTERM', () => process.exit(0))
  process.on('SIGINT', () => process.exit(0))
}
