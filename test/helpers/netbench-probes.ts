// Measuring a bench condition from the two ends: echo servers, UDP probes, timed TCP transfers and an
// MTU check, each a few lines of Python run inside one machine.
//
// A condition is only worth testing against if it is really in force, so the bench's own tests measure
// each impairment end to end (round trip, loss, duplicates, reordering, rate, MTU) with these probes, and a
// lab test that fails under a condition can measure the same link to tell "the link was worse than asked"
// from "our timing is wrong". Python because its socket module sets IP_MTU_DISCOVER and TCP_MAXSEG, which
// Node does not expose; one embedded program keeps the probes in one file that the bench owns.

import { python, type Machine } from './netbench'
import { type BenchServer } from './netbench-peers'

const PY = String.raw`
import json, signal, socket, struct, sys, time

def out(o):
    print(json.dumps(o), flush=True)

def udp_echo(host):
    # Echo every datagram; on SIGTERM print what arrived: counts, duplicates, reordering (one way only).
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((host, 0))
    seen, stats = set(), {'received': 0, 'unique': 0, 'duplicates': 0, 'reordered': 0}
    top = [-1]
    def stop(*_):
        stats['missing'] = [i for i in range(top[0]) if i not in seen]
        out({'stats': stats}); sys.exit(0)
    signal.signal(signal.SIGTERM, stop)
    print('listening on', s.getsockname()[1], flush=True)
    while True:
        data, addr = s.recvfrom(65536)
        s.sendto(data, addr)
        seq = struct.unpack_from('!I', data)[0] if len(data) >= 4 else -1
        stats['received'] += 1
        if seq in seen: stats['duplicates'] += 1; continue
        seen.add(seq); stats['unique'] += 1
        if seq < top[0]: stats['reordered'] += 1
        top[0] = max(top[0], seq)

def udp_probe(host, port, count, interval_ms, wait_ms, size):
    # Send count numbered datagrams, interval_ms apart; collect replies until wait_ms after the last one.
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setblocking(False)
    sent_at, rtts, seen = {}, [], set()
    dups = reordered = received = 0
    top = -1
    start = time.monotonic()
    nxt, i = start, 0
    end = None
    while True:
        now = time.monotonic()
        if i < count and now >= nxt:
            sent_at[i] = now
            s.sendto(struct.pack('!I', i).ljust(size, b'.'), (host, port))
            i += 1; nxt += interval_ms / 1000
            if i == count: end = now + wait_ms / 1000
        if end is not None and now >= end: break
        try:
            data = s.recv(65536)
        except BlockingIOError:
            time.sleep(0.0005); continue
        seq = struct.unpack_from('!I', data)[0]
        received += 1
        if seq in seen: dups += 1; continue
        seen.add(seq)
        rtts.append((time.monotonic() - sent_at[seq]) * 1000)
        if seq < top: reordered += 1
        top = max(top, seq)
    out({'sent': count, 'received': received, 'unique': len(seen), 'duplicates': dups, 'reordered': reordered, 'rttsMs': rtts})

def tcp_echo(host):
    # Echo every byte of every connection, one connection at a time.
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, 0)); s.listen(8)
    print('listening on', s.getsockname()[1], flush=True)
    while True:
        c, _ = s.accept()
        while True:
            d = c.recv(65536)
            if not d: break
            c.sendall(d)
        c.close()

def tcp_rtt(host, port, rounds):
    # The connect time, then rounds of one byte out and back: each a full round trip.
    t = time.monotonic()
    c = socket.create_connection((host, port), timeout=30)
    connect = (time.monotonic() - t) * 1000
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    rtts = []
    for _ in range(rounds):
        t = time.monotonic(); c.sendall(b'x')
        if not c.recv(1): raise SystemExit('echo closed')
        rtts.append((time.monotonic() - t) * 1000)
    out({'connectMs': connect, 'rttsMs': rtts, 'mss': c.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)})

def tcp_sink(host):
    # Count the bytes of each connection until the peer shuts down its side, then answer the count.
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, 0)); s.listen(8)
    print('listening on', s.getsockname()[1], flush=True)
    while True:
        c, _ = s.accept(); n = 0
        while True:
            d = c.recv(65536)
            if not d: break
            n += len(d)
        c.sendall(str(n).encode()); c.close()

def tcp_send(host, port, nbytes):
    # Send nbytes, shut down, wait for the sink's count: the time until every byte arrived.
    t = time.monotonic()
    c = socket.create_connection((host, port), timeout=60)
    c.sendall(b'x' * nbytes); c.shutdown(socket.SHUT_WR)
    got = c.recv(100)
    out({'bytes': int(got or b'0'), 'elapsedMs': (time.monotonic() - t) * 1000, 'mss': c.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)})

def df_send(host, port, size):
    # One UDP datagram with Don't Fragment set: EMSGSIZE when it exceeds the path MTU known here.
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, 10, 2)  # IP_MTU_DISCOVER = IP_PMTUDISC_DO
    try:
        s.sendto(b'.' * size, (host, port)); out({'sent': True})
    except OSError as e:
        out({'sent': False, 'errno': e.errno, 'error': e.strerror})

cmd, args = sys.argv[1], sys.argv[2:]
{'udp_echo': lambda: udp_echo(args[0]),
 'udp_probe': lambda: udp_probe(args[0], int(args[1]), int(args[2]), float(args[3]), float(args[4]), int(args[5])),
 'tcp_echo': lambda: tcp_echo(args[0]),
 'tcp_rtt': lambda: tcp_rtt(args[0], int(args[1]), int(args[2])),
 'tcp_sink': lambda: tcp_sink(args[0]),
 'tcp_send': lambda: tcp_send(args[0], int(args[1]), int(args[2])),
 'df_send': lambda: df_send(args[0], int(args[1]), int(args[2]))}[cmd]()
`

async function probe<T>(machine: Machine, args: (string | number)[], timeoutMs = 30_000): Promise<T> {
  const r = await machine.run(python(), ['-c', PY, ...args.map(String)], { timeoutMs })
  const line = r.stdout.trim().split('\n').pop() ?? ''
  try {
    return JSON.parse(line) as T
  } catch {
    throw new Error(`netbench probe ${args[0]} failed (exit ${r.code ?? r.signal}): ${r.stdout}${r.stderr}`)
  }
}

function server(machine: Machine, kind: string): Promise<BenchServer & { stats(): Promise<UdpEchoStats | null> }> {
  const child = machine.spawn(python(), ['-c', PY, kind, machine.addr])
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const stop = (): Promise<void> =>
    new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done()
      child.once('exit', () => done())
      child.kill('SIGTERM')
    })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} did not start: ${out}`)), 10_000)
    child.once('exit', (code) => reject(new Error(`${kind} exited (${code}): ${out}`)))
    child.stdout!.on('data', () => {
      const m = /listening on (\d+)/.exec(out)
      if (!m) return
      clearTimeout(timer)
      resolve({
        port: Number(m[1]),
        child,
        output: () => out,
        stop,
        // For udp_echo: stop it and read what arrived at this end.
        stats: async () => {
          await stop()
          const line = out.split('\n').find((l) => l.startsWith('{"stats"'))
          return line ? (JSON.parse(line) as { stats: UdpEchoStats }).stats : null
        },
      })
    })
  })
}

export interface UdpEchoStats {
  received: number
  unique: number
  duplicates: number
  reordered: number
  /** Sequence numbers below the highest one seen that never arrived. */
  missing: number[]
}

export interface UdpProbeResult {
  sent: number
  received: number
  unique: number
  duplicates: number
  reordered: number
  rttsMs: number[]
}

/** A UDP echo on the machine's address; `stats()` stops it and says what arrived one way. */
export const startUdpEcho = (machine: Machine) => server(machine, 'udp_echo')
/** A TCP echo on the machine's address (one connection at a time). */
export const startTcpEcho = (machine: Machine) => server(machine, 'tcp_echo')
/** A TCP sink on the machine's address: counts a connection's bytes until EOF, answers the count. */
export const startTcpSink = (machine: Machine) => server(machine, 'tcp_sink')

export function udpProbe(
  machine: Machine,
  host: string,
  port: number,
  { count = 100, intervalMs = 5, waitMs = 1000, size = 32 } = {},
): Promise<UdpProbeResult> {
  return probe(machine, ['udp_probe', host, port, count, intervalMs, waitMs, size])
}

export function tcpRoundTrips(
  machine: Machine,
  host: string,
  port: number,
  rounds = 3,
): Promise<{ connectMs: number; rttsMs: number[]; mss: number }> {
  return probe(machine, ['tcp_rtt', host, port, rounds])
}

export function tcpSend(
  machine: Machine,
  host: string,
  port: number,
  bytes: number,
): Promise<{ bytes: number; elapsedMs: number; mss: number }> {
  return probe(machine, ['tcp_send', host, port, bytes], 90_000)
}

export function dfSend(
  machine: Machine,
  host: string,
  port: number,
  size: number,
): Promise<{ sent: boolean; errno?: number; error?: string }> {
  return probe(machine, ['df_send', host, port, size])
}
