// Socket errors in plain language, for the console next to the control that caused them. A client's
// failed connection also carries the connection doctor's structured diagnosis (src/main/doctor), so the
// app can show the steps and buttons next to it; where the doctor knows better than the error code (a
// firewall's ICMP reject reads as "host unreachable"; a server bound to 127.0.1.1 reads as "nothing
// listening"), its one-line summary is the message.

import type { DiagnosisCode, DiagnosisFacts } from '@shared/contract'
import { diagnoseSync } from '../doctor/doctor'
import { UserError } from '../errors'

/** The form field a socket error belongs next to. */
type Field = 'host' | 'port' | 'localPort'

/** A message and its field, before it becomes a UserError. */
interface Plain {
  message: string
  field?: Field
}

/** What the caller knows beyond the error: how long the attempt took, the client's own port, our servers. */
export interface ConnectContext {
  elapsedMs?: number
  localPort?: number
  ownServers?: DiagnosisFacts['ownServers']
}

/** Diagnoses whose summary says more than the error code's usual message. */
const REFINED: ReadonlySet<DiagnosisCode> = new Set([
  'firewall-reject',
  'gethostbyname-127.0.1.1',
  'loopback-only-server',
  'localhost-ipv6',
  'local-port-in-use',
  'other-subnet',
  'host-absent',
])

const FIELD: Partial<Record<DiagnosisCode, Field>> = {
  'gethostbyname-127.0.1.1': 'host',
  'loopback-only-server': 'host',
  'localhost-ipv6': 'host',
  'local-port-in-use': 'localPort',
  'other-subnet': 'host',
  'host-absent': 'host',
  'firewall-reject': 'port',
}

/** Errors that happen before or while connecting (the doctor's domain), as opposed to a broken session. */
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ETIMEDOUT',
  'CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EADDRINUSE',
  'EADDRNOTAVAIL',
])

function code(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err) return String((err as { code: unknown }).code)
  // Node's Happy Eyeballs (several addresses tried) reports an AggregateError with one error per address.
  if (err instanceof AggregateError && err.errors.length)
    return code(err.errors.find((e) => code(e) === 'ECONNREFUSED') ?? err.errors[0])
  return ''
}

/**
 * A client could not connect or lost its connection. A failed connection also carries what the doctor
 * measured and what to do (`detail.diagnosis`).
 */
export function clientError(err: unknown, host: string, port: number, context: ConnectContext = {}): UserError {
  const plain = plainClientError(err, host, port)
  if (!CONNECT_CODES.has(code(err))) return new UserError(plain.message, plain.field, undefined, { cause: err })
  try {
    const diagnosis = diagnoseSync({ host, port, err, ...context })
    const detail = { kind: 'connect-failed', diagnosis } as const
    if (!REFINED.has(diagnosis.code)) return new UserError(plain.message, plain.field, detail, { cause: err })
    return new UserError(diagnosis.summary, FIELD[diagnosis.code] ?? plain.field, detail, { cause: err })
  } catch {
    // The doctor reads system tables; if one is unreadable the plain message still stands.
    return new UserError(plain.message, plain.field, undefined, { cause: err })
  }
}

function plainClientError(err: unknown, host: string, port: number): Plain {
  const where = `${host}:${port}`
  switch (code(err)) {
    case 'ECONNREFUSED':
      return {
        message: `Nothing is listening at ${where}. Is the server started on that port, and is a firewall in the way?`,
        field: 'port',
      }
    case 'ETIMEDOUT':
    case 'CONNECT_TIMEOUT':
      return {
        message: `Timed out connecting to ${where}: no answer at all. Check the address, and that a firewall lets the port through.`,
        field: 'host',
      }
    case 'EHOSTUNREACH':
    case 'EHOSTDOWN':
      return {
        message: `Host ${host} is unreachable: check the IP address and that both machines are on the same network.`,
        field: 'host',
      }
    case 'ENETUNREACH':
      return { message: `No route to ${host}: this machine has no network path to that address.`, field: 'host' }
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return {
        message: `Name not found: "${host}" is not a known host name. Type the neighbour's IP address instead.`,
        field: 'host',
      }
    case 'ECONNRESET':
      return { message: `The connection was reset by the peer at ${where}.` }
    case 'EPIPE':
      return { message: `The peer at ${where} closed the connection while we were sending.` }
    case 'EADDRINUSE':
      return {
        message: `This machine's port is already in use by another connection (still closing?). Wait a minute or choose another local port.`,
        field: 'localPort',
      }
    case 'EADDRNOTAVAIL':
      return { message: `Cannot connect to ${where} from this machine: the address is not usable here.`, field: 'host' }
    default:
      return { message: `Connection to ${where} failed: ${err instanceof Error ? err.message : String(err)}` }
  }
}

/** A server could not start listening; the OS error stays as the cause (the host asks whose port it is). */
export function serverError(err: unknown, host: string, port: number): UserError {
  const plain = plainServerError(err, host, port)
  return new UserError(plain.message, plain.field, undefined, { cause: err })
}

function plainServerError(err: unknown, host: string, port: number): Plain {
  switch (code(err)) {
    case 'EADDRINUSE':
      return {
        message: `Port ${port} is already in use (another server, or one still closing). Stop it or choose another port.`,
        field: 'port',
      }
    case 'EACCES':
    case 'EPERM':
      return {
        message: `Permission denied for port ${port}: ports below 1024 need administrator rights. Use a port from 1024 to 65535.`,
        field: 'port',
      }
    case 'EADDRNOTAVAIL':
      return {
        message: `Address ${host} is not on this machine. Choose "all interfaces", "loopback" or one of this machine's addresses.`,
        field: 'host',
      }
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { message: `"${host}" is not an address of this machine.`, field: 'host' }
    default:
      return { message: `Could not start the server on ${host}:${port}: ${err instanceof Error ? err.message : String(err)}` }
  }
}
