// Socket errors in plain language, for the console next to the control that caused them.

export interface PlainError {
  message: string
  /** The form field the error belongs next to. */
  field?: 'host' | 'port' | 'localPort'
}

function code(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : ''
}

/** A client could not connect or lost its connection. */
export function clientError(err: unknown, host: string, port: number): PlainError {
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

/** A server could not start listening. */
export function serverError(err: unknown, host: string, port: number): PlainError {
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
