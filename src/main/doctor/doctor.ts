// The connection doctor: "we can't connect", answered from what can be measured instead of "check your
// firewall". The error code says how the attempt ended (a reset, silence, an ICMP message, no route, no
// such name); the time it took and the neighbour table tell a firewall's ICMP reject (fast, from a machine
// that is there) from an address where no machine answers (ARP gives up after about 3 s); and on this
// machine the kernel's socket table shows who listens where, which explains the lab room's classics: a
// server bound to 127.0.0.1 or to 127.0.1.1 (the handout's `gethostbyname(gethostname())` on
// Debian/Ubuntu), `localhost` meaning ::1 to one program and 127.0.0.1 to another, and the handout
// client's fixed port 32451 still in TIME_WAIT. Each diagnosis is a code, the facts as fields, steps in
// plain words and the next steps a button can take.

import { promises as dns } from 'node:dns'
import type { Diagnosis, DiagnosisCode, DiagnosisFacts, DoctorAction, Endpoint } from '@shared/contract'
import { formatEndpoint, ipFamily, isLoopbackAddress, plainAddress } from '@shared/endpoint'
import {
  inSubnet,
  isPrivateIPv4,
  isThisMachine,
  listenerCovers,
  listenersOn,
  localAddresses,
  neighbourState,
  networkOf,
  statesOfLocalPort,
} from './system'

export interface ConnectFailure {
  /** The host as the student typed it (a name or an address). */
  host: string
  port: number
  /** The error the connection attempt ended with (or its code). */
  err: unknown
  elapsedMs?: number
  /** The client bound its own port first (the handout's 32451). */
  localPort?: number
  /** SocketLab's own servers, so "ours listens on 12345, not 12346" can be said. */
  ownServers?: DiagnosisFacts['ownServers']
}

/** ARP gives up after about 3 s; an ICMP reject from a firewall comes back within a round trip. */
const ARP_GIVES_UP_MS = 2500

/** The error code of a connection failure; Node's Happy Eyeballs wraps one error per address tried. */
export function errnoOf(err: unknown): string {
  if (typeof err === 'string') return err
  if (typeof err !== 'object' || err === null) return ''
  const e = err as { code?: unknown; errors?: unknown[] }
  if (typeof e.code === 'string' && e.code) return e.code
  if (Array.isArray(e.errors)) {
    const codes = e.errors.map(errnoOf).filter(Boolean)
    // Refused on one family and timed out on the other: the refusal is the informative one.
    return codes.find((c) => c === 'ECONNREFUSED') ?? codes[0] ?? ''
  }
  return ''
}

/** The address the attempt went to (Node puts it on the error), or the host when it is an address. */
function attemptedAddress(err: unknown, host: string): string | undefined {
  if (typeof err === 'object' && err !== null) {
    const e = err as { address?: unknown; errors?: unknown[] }
    if (typeof e.address === 'string') return e.address
    if (Array.isArray(e.errors))
      for (const sub of e.errors) if (typeof sub === 'object' && sub) return attemptedAddress(sub, host)
  }
  return ipFamily(host) ? host : undefined
}

/** The client's own port, when the error says it bound one (`bind` fails with it; `connect` names it). */
function localPortOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined
  const e = err as { syscall?: unknown; port?: unknown; localPort?: unknown }
  if (typeof e.localPort === 'number' && e.localPort > 0) return e.localPort
  if (e.syscall === 'bind' && typeof e.port === 'number' && e.port > 0) return e.port
  return undefined
}

function listenerText(listeners: Endpoint[]): string {
  return listeners
    .map((l) => {
      const a = plainAddress(l.address)
      if (a === '0.0.0.0') return `every IPv4 address (0.0.0.0), port ${l.port}`
      if (a === '::') return `every address (::), port ${l.port}`
      return formatEndpoint(l)
    })
    .join(' and ')
}

const BIND_ALL =
  "In the Python server, bind to every address: `s.bind(('', port))` (or `'0.0.0.0'`) instead of `s.bind((host, port))`."

interface Draft {
  code: DiagnosisCode
  summary: string
  steps: string[]
  actions: DoctorAction[]
}

/** Which diagnosis a refused connection to this machine gets, from who listens on that port. */
function refusedHere(facts: DiagnosisFacts, address: string, listeners: Endpoint[]): Draft {
  const where = formatEndpoint({ address, port: facts.port })
  const own = (facts.ownServers ?? []).filter((s) => s.port !== facts.port)
  if (listeners.length === 0) {
    const steps = [
      `Start the server first, then connect. Nothing on this machine listens on port ${facts.port}.`,
      'Check that the client uses the same port number as the server (the handouts use 12345).',
    ]
    const actions: DoctorAction[] = []
    for (const s of own) {
      steps.push(`SocketLab's own ${s.exercise} server listens on port ${s.port}: did you mean that one?`)
      actions.push({ kind: 'use-port', port: s.port })
    }
    actions.push({ kind: 'retry' })
    return { code: 'refused', summary: `Nothing listens at ${where}: the connection was refused.`, steps, actions }
  }
  const lt = listenerText(listeners)
  const bound1271 = listeners.find((l) => plainAddress(l.address) === '127.0.1.1')
  if (bound1271) {
    return {
      code: 'gethostbyname-127.0.1.1',
      summary: `The server listens on 127.0.1.1 only, so ${where} is refused.`,
      steps: [
        "The handout's `host = socket.gethostbyname(socket.gethostname())` gives 127.0.1.1 on Debian and Ubuntu (from /etc/hosts): the server is bound to that address alone.",
        'A neighbour can never reach 127.0.1.1: it is a loopback address, inside this machine only.',
        BIND_ALL,
        'To test on this machine now, connect to 127.0.1.1.',
      ],
      actions: [{ kind: 'use-host', host: '127.0.1.1' }, { kind: 'show-addresses' }],
    }
  }
  const fam = ipFamily(plainAddress(address))
  const loopbackOther = listeners.find((l) => {
    const la = plainAddress(l.address)
    return isLoopbackAddress(la) && ipFamily(la) !== fam
  })
  if (isLoopbackAddress(address) && loopbackOther && !listeners.some((l) => ipFamily(plainAddress(l.address)) === fam)) {
    const other = plainAddress(loopbackOther.address)
    const v6 = fam === 6
    return {
      code: 'localhost-ipv6',
      summary: `The server listens on ${other} (${v6 ? 'IPv4' : 'IPv6'}) only; ${plainAddress(address)} is the ${v6 ? 'IPv6' : 'IPv4'} loopback.`,
      steps: [
        `"localhost" is two addresses: 127.0.0.1 (IPv4) and ::1 (IPv6). Programs differ in which one they try first, so a server on one of them refuses a client that tried the other.`,
        `Connect to ${other} instead of ${facts.host}.`,
        v6
          ? "Or make the server listen on both: `socket.create_server(('', port), family=socket.AF_INET6, dualstack_ipv6=True)` in Python."
          : "Or bind the Python server to '127.0.0.1' (or '') rather than '::1'.",
      ],
      actions: [{ kind: 'use-host', host: other }],
    }
  }
  if (listeners.every((l) => isLoopbackAddress(plainAddress(l.address)))) {
    const bound = plainAddress(listeners[0].address)
    return {
      code: 'loopback-only-server',
      summary: `The server listens on ${lt} only: a loopback address, so ${where} is refused.`,
      steps: [
        `A server bound to ${bound} accepts connections from this machine to ${bound} and nothing else: a neighbour cannot reach it.`,
        BIND_ALL,
        `To test on this machine now, connect to ${bound}.`,
      ],
      actions: [{ kind: 'use-host', host: bound }, { kind: 'show-addresses' }],
    }
  }
  if (listeners.some((l) => listenerCovers(l, address))) {
    return {
      code: 'refused',
      summary: `A server listens on ${lt}, but the connection to ${where} was refused: a firewall on this machine rejects it.`,
      steps: [
        `Something does listen on port ${facts.port} here, so the reset came from a firewall rule (firewalld, ufw or iptables "reject with tcp-reset").`,
        `Allow the port: \`sudo firewall-cmd --add-port=${facts.port}/tcp\` or \`sudo ufw allow ${facts.port}/tcp\`.`,
      ],
      actions: [{ kind: 'retry' }],
    }
  }
  const first = plainAddress(listeners[0].address)
  return {
    code: 'refused',
    summary: `The server listens on ${lt}, not on ${plainAddress(address)}.`,
    steps: [`Connect to ${first}, the address the server is bound to.`, BIND_ALL],
    actions: [{ kind: 'use-host', host: first }],
  }
}

function subnetSteps(facts: DiagnosisFacts, address: string): string[] {
  const mine = (facts.subnets ?? []).filter((c) => !c.startsWith('127.') && !c.includes(':'))
  const shown = mine.length ? mine.map((c) => `${c.split('/')[0]} on network ${networkOf(c)}`).join(', ') : 'no IPv4 network'
  return [
    `This machine is ${shown}; ${address} is not on any of them.`,
    "Both machines must be on the same network (the same Wi-Fi or lab switch). Compare the first numbers of both addresses: run `ip addr` (Linux) or `ipconfig` (Windows) on the neighbour's machine and type the address it shows on the shared network.",
  ]
}

function draft(facts: DiagnosisFacts, code: string, address: string | undefined): Draft {
  const target = address ?? facts.host
  const where = formatEndpoint({ address: target, port: facts.port })
  switch (code) {
    case 'ECONNREFUSED': {
      if (facts.thisMachine && facts.listeners) return refusedHere(facts, target, facts.listeners)
      return {
        code: 'refused',
        summary: `${where} answered, but nothing accepts connections on port ${facts.port} there: the connection was refused (reset).`,
        steps: [
          `The machine at ${target} is there, but no program listens on port ${facts.port}: start the server there first.`,
          'Check the port number on both sides (the handouts use 12345).',
          "Check that the server binds to every address (`s.bind(('', port))`): a server bound to 127.0.0.1 or 127.0.1.1 refuses the neighbours.",
          'A firewall set to "reject with tcp-reset" looks the same: if the server is running, allow the port on that machine.',
        ],
        actions: [{ kind: 'retry' }],
      }
    }
    case 'ETIMEDOUT':
    case 'CONNECT_TIMEOUT': {
      if (facts.sameSubnet === false && isPrivateIPv4(target))
        return {
          code: 'other-subnet',
          summary: `No answer from ${where}: it is not on this machine's network.`,
          steps: subnetSteps(facts, target),
          actions: [{ kind: 'show-addresses' }],
        }
      if (facts.neighbour === 'no-answer')
        return {
          code: 'host-absent',
          summary: `No machine answers at ${target} on this network.`,
          steps: [
            `Nothing on the local network answered for ${target}: the address is wrong (a typo in the last number?) or that machine is off or on another Wi-Fi.`,
            'Ask your neighbour for the address again: `ip addr` (Linux) or `ipconfig` (Windows) on their machine.',
          ],
          actions: [{ kind: 'show-addresses' }, { kind: 'retry' }],
        }
      const secs = facts.elapsedMs ? ` for ${(facts.elapsedMs / 1000).toFixed(1)} s` : ''
      return {
        code: 'timed-out',
        summary: `The connection attempt to ${where} was never answered${secs}.`,
        steps: [
          facts.neighbour === 'answers'
            ? `The machine at ${target} is there (it answered on the network), but it ignored the connection: a firewall on it drops port ${facts.port}.`
            : `Either a firewall silently drops port ${facts.port}, or no machine has the address ${target}.`,
          `On the server's machine, allow the port: \`sudo firewall-cmd --add-port=${facts.port}/tcp\`, \`sudo ufw allow ${facts.port}/tcp\`, or allow Python in the Windows Defender Firewall prompt.`,
          'Check the address: ask your neighbour to run `ip addr` or `ipconfig` and read it again.',
        ],
        actions: [{ kind: 'retry' }, { kind: 'show-addresses' }],
      }
    }
    case 'EHOSTUNREACH':
    case 'EHOSTDOWN': {
      const slow = (facts.elapsedMs ?? 0) >= ARP_GIVES_UP_MS
      if (facts.neighbour === 'no-answer' || (slow && facts.neighbour !== 'answers'))
        return {
          code: 'host-absent',
          summary: `No machine answers at ${target} on this network.`,
          steps: [
            `This machine asked the local network for ${target} and nobody answered: the address is wrong or that machine is off.`,
            'Check the address with your neighbour (`ip addr` or `ipconfig` on their machine).',
          ],
          actions: [{ kind: 'show-addresses' }, { kind: 'retry' }],
        }
      if (facts.sameSubnet === false && isPrivateIPv4(target))
        return {
          code: 'other-subnet',
          summary: `${target} is unreachable: it is not on this machine's network.`,
          steps: subnetSteps(facts, target),
          actions: [{ kind: 'show-addresses' }],
        }
      return {
        code: 'firewall-reject',
        summary: `A firewall at ${target} rejected the connection to port ${facts.port} (an ICMP "prohibited" reply).`,
        steps: [
          `The answer came back at once${facts.elapsedMs !== undefined ? ` (${facts.elapsedMs} ms)` : ''}, from a machine that is there: this is a firewall rule, not a wrong address. firewalld rejects this way by default ("host-prohibited" / "admin-prohibited").`,
          `On the server's machine, allow the port: \`sudo firewall-cmd --add-port=${facts.port}/tcp\` (add --permanent to keep it), or \`sudo ufw allow ${facts.port}/tcp\`.`,
        ],
        actions: [{ kind: 'retry' }],
      }
    }
    case 'ENETUNREACH': {
      if (facts.sameSubnet === true)
        return {
          code: 'firewall-reject',
          summary: `A firewall rejected the connection to ${where} (an ICMP "network prohibited" reply).`,
          steps: [`On the server's machine, allow the port: \`sudo firewall-cmd --add-port=${facts.port}/tcp\`.`],
          actions: [{ kind: 'retry' }],
        }
      if (isPrivateIPv4(target))
        return {
          code: 'other-subnet',
          summary: `This machine has no route to ${target}: it is on another network.`,
          steps: subnetSteps(facts, target),
          actions: [{ kind: 'show-addresses' }],
        }
      return {
        code: 'no-route',
        summary: `This machine has no network path to ${target}.`,
        steps: [
          'This machine is not connected to a network that leads there (no default route): check the Wi-Fi or cable.',
          "For a neighbour's machine, type the address it has on your shared network.",
        ],
        actions: [{ kind: 'show-addresses' }],
      }
    }
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return {
        code: 'name-not-found',
        summary: `"${facts.host}" is not a name this machine can look up.`,
        steps: [
          "Lab networks rarely have names for students' machines: type the neighbour's IP address instead (they find it with `ip addr` or `ipconfig`).",
          'For this machine itself, use 127.0.0.1.',
        ],
        actions: [{ kind: 'use-host', host: '127.0.0.1' }, { kind: 'show-addresses' }],
      }
    case 'EADDRINUSE':
    case 'EADDRNOTAVAIL': {
      if (facts.localPort) {
        const tw = facts.localPortStates?.includes('TIME_WAIT')
        return {
          code: 'local-port-in-use',
          summary: `The client's own port ${facts.localPort} is still in use${tw ? ' by the last connection, which is in TIME_WAIT' : ''}.`,
          steps: [
            `The handout's client binds its own port (portc = ${facts.localPort}). The side that closes a TCP connection first keeps its port in TIME_WAIT for about a minute, so a client that closes first cannot bind the same port again until then.`,
            "Wait a minute, or let the server close first (it does `c.close()` after answering; the client then reads until recv() returns nothing), or do not bind the client's port at all (drop `s.bind((host, portc))`).",
            'In Python, `s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)` before `bind` also lets the client reuse it.',
          ],
          actions: [{ kind: 'any-local-port' }, { kind: 'retry', afterMs: 60_000 }],
        }
      }
      return {
        code: 'other',
        summary: `This machine cannot make a connection to ${where} (${code}).`,
        steps: ['Check that the address is right and belongs to a network this machine is on.'],
        actions: [{ kind: 'show-addresses' }],
      }
    }
    case 'ECONNRESET':
    case 'EPIPE':
      return {
        code: 'reset',
        summary: `${where} reset the connection.`,
        steps: [
          'The other program closed the connection abruptly: it crashed, or it closed while data it had not read was waiting.',
          "Look at the other program's terminal for an error (a Python traceback).",
        ],
        actions: [{ kind: 'retry' }],
      }
    default:
      return {
        code: 'other',
        summary: `The connection to ${where} failed${code ? ` (${code})` : ''}.`,
        steps: ['Check the address and port, and that the server is running.'],
        actions: [{ kind: 'retry' }],
      }
  }
}

function baseFacts(failure: ConnectFailure, code: string, address: string | undefined, resolved?: string[]): DiagnosisFacts {
  const localPort = failure.localPort ?? localPortOf(failure.err)
  // A failed bind names the client's own address, not the server's.
  if (typeof failure.err === 'object' && failure.err && (failure.err as { syscall?: unknown }).syscall === 'bind')
    address = ipFamily(failure.host) ? failure.host : undefined
  const facts: DiagnosisFacts = { host: failure.host, port: failure.port }
  if (code) facts.errno = code
  if (failure.elapsedMs !== undefined) facts.elapsedMs = Math.round(failure.elapsedMs)
  if (resolved?.length) facts.resolved = resolved
  if (failure.ownServers?.length) facts.ownServers = failure.ownServers
  const addresses = localAddresses()
  facts.subnets = addresses.filter((a) => !a.internal).map((a) => a.cidr)
  const target = address ?? resolved?.[0]
  if (target) {
    facts.thisMachine = isThisMachine(target, addresses)
    if (ipFamily(plainAddress(target)) === 4 && !isLoopbackAddress(target))
      facts.sameSubnet = addresses.some((a) => a.family === 'IPv4' && !a.internal && inSubnet(target, a.cidr))
    if (!facts.thisMachine) facts.neighbour = neighbourState(plainAddress(target))
  }
  if (facts.thisMachine) {
    const listeners = listenersOn(failure.port, true)
    if (listeners) facts.listeners = listeners
  }
  if (localPort) {
    facts.localPort = localPort
    const states = statesOfLocalPort(localPort)
    if (states) facts.localPortStates = states
  }
  return facts
}

function finish(facts: DiagnosisFacts, code: string, address: string | undefined): Diagnosis {
  const d = draft(facts, code, address)
  return { code: d.code, summary: d.summary, steps: d.steps, facts, actions: d.actions }
}

/** A diagnosis from what is known at once (no name lookups): for the client's error line as it happens. */
export function diagnoseSync(failure: ConnectFailure): Diagnosis {
  const code = errnoOf(failure.err)
  const address = attemptedAddress(failure.err, failure.host)
  return finish(baseFacts(failure, code, address), code, address)
}

/** The full diagnosis: also looks the host name up, to tell "localhost is ::1 here" and this machine's names. */
export async function diagnose(failure: ConnectFailure): Promise<Diagnosis> {
  const code = errnoOf(failure.err)
  let address = attemptedAddress(failure.err, failure.host)
  let resolved: string[] | undefined
  if (!ipFamily(failure.host) && !code.startsWith('EAI_') && code !== 'ENOTFOUND') {
    try {
      const found = await dns.lookup(failure.host, { all: true, verbatim: true })
      resolved = found.map((f) => f.address)
    } catch {
      resolved = undefined
    }
  }
  if (!address && resolved?.length) address = resolved[0]
  const facts = baseFacts(failure, code, address, resolved)
  // A name such as localhost that stands for several addresses: judge against all of them.
  if (resolved && resolved.length > 1 && facts.listeners?.length && code === 'ECONNREFUSED') {
    const reachable = resolved.find((r) => facts.listeners!.some((l) => listenerCovers(l, r)))
    if (reachable && reachable !== address) address = resolved.find((r) => r !== reachable) ?? address
  }
  return finish(facts, code, address)
}
