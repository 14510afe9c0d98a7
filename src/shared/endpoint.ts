// Addresses and ports, written once for every layer: an endpoint crosses the contract as a field
// (`{ address, port }`) and becomes `127.0.0.1:12345` or `[::1]:12345` only at the edge that shows it.
// Also the check of what a student types as a host, with the typos of a lab room named plainly
// (`127.0.0.256`, `127.0.0.l`, `127.0.0.1:23460`, `127 0 0 1`). Pure, no Node: main, CLI and renderer
// use this one module. Every function is linear in its input (peer-supplied text reaches some of them).

export interface Endpoint {
  address: string
  port: number
}

/** An IPv4-mapped IPv6 address (`::ffff:10.0.0.5`) as the IPv4 address a student recognises. */
export function plainAddress(address: string): string {
  return address.toLowerCase().startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address
}

/** `127.0.0.1:12345`, `[::1]:12345`. */
export function formatEndpoint(endpoint: Endpoint): string {
  const a = plainAddress(endpoint.address)
  return a.includes(':') ? `[${a}]:${endpoint.port}` : `${a}:${endpoint.port}`
}

/** An endpoint that may not be known yet (a client's own side before it connects): `—` then. */
export function endpointText(endpoint: Endpoint | null | undefined): string {
  return endpoint ? formatEndpoint(endpoint) : '—'
}

/** `127.0.0.1:5555`, `[::1]:5555`, `localhost:5555` → address and port; null for anything else. */
export function parseEndpoint(text: string): Endpoint | null {
  const t = text.trim()
  let address: string
  let portText: string
  if (t.startsWith('[')) {
    const close = t.indexOf(']')
    if (close < 0 || t[close + 1] !== ':') return null
    address = t.slice(1, close)
    portText = t.slice(close + 2)
  } else {
    const colon = t.lastIndexOf(':')
    if (colon < 0 || t.indexOf(':') !== colon) return null
    address = t.slice(0, colon)
    portText = t.slice(colon + 1)
  }
  if (!/^\d{1,5}$/.test(portText)) return null
  const port = Number(portText)
  if (port > 65535) return null
  return { address, port }
}

function isOctet(part: string): boolean {
  return /^(?:0|[1-9]\d{0,2})$/.test(part) && Number(part) <= 255
}

export function isIPv4(a: string): boolean {
  const parts = a.split('.')
  return parts.length === 4 && parts.every(isOctet)
}

export function isIPv6(a: string): boolean {
  if (a.length > 45 || !/^[0-9a-f:.]+$/i.test(a)) return false
  let groups = 0
  let text = a
  // An embedded IPv4 address counts as two groups (`::ffff:10.0.0.5`).
  const lastColon = text.lastIndexOf(':')
  if (text.includes('.')) {
    if (!isIPv4(text.slice(lastColon + 1))) return false
    text = text.slice(0, lastColon + 1) + '0:0'
  }
  const halves = text.split('::')
  if (halves.length > 2) return false
  for (const half of halves) {
    if (half === '') continue
    for (const g of half.split(':')) {
      if (!/^[0-9a-f]{1,4}$/i.test(g)) return false
      groups++
    }
  }
  return halves.length === 2 ? groups <= 7 : groups === 8
}

/** 4, 6, or 0 when the text is not an IP address (what Node's `net.isIP` answers). */
export function ipFamily(address: string): 0 | 4 | 6 {
  if (isIPv4(address)) return 4
  if (isIPv6(address)) return 6
  return 0
}

/** 127.x.x.x and ::1 (and ::ffff:127.x.x.x): this machine talking to itself. */
export function isLoopbackAddress(address: string): boolean {
  let a = address.trim()
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1)
  a = plainAddress(a)
  return (isIPv4(a) && a.startsWith('127.')) || a === '::1'
}

export type HostCheck = { ok: true; host: string } | { ok: false; error: string }

/** Letters that are digits mistyped: `l`/`I` for 1, `O`/`o` for 0. */
const LOOKALIKE: Record<string, string> = { l: '1', I: '1', O: '0', o: '0' }

/**
 * What a student typed in a Host box, checked before any connection is tried. Host names pass (the
 * resolver decides); text that is clearly meant as an IPv4 address but is not one gets a reason.
 */
export function checkHostInput(input: string): HostCheck {
  const host = input.trim()
  if (host.length === 0) return { ok: false, error: 'Type the server’s IP address or host name (127.0.0.1 for this machine).' }
  if (host.length > 253) return { ok: false, error: 'That is too long for a host name or IP address.' }
  if (/\s/.test(host)) {
    const parts = host.split(/[\s.]+/).filter(Boolean)
    if (parts.length === 4 && parts.every((p) => /^\d+$/.test(p)))
      return { ok: false, error: `Separate the 4 numbers with dots, not spaces: ${parts.join('.')}` }
    return { ok: false, error: 'A host name or IP address has no spaces.' }
  }
  if (host.startsWith('[') || (host.includes(':') && !isIPv6(host))) {
    const ep = parseEndpoint(host)
    if (ep && (isIPv4(ep.address) || isIPv6(ep.address) || /^[a-z0-9.-]+$/i.test(ep.address)))
      return { ok: false, error: `Put the port in the Port box: type ${ep.address} here and ${ep.port} as the port.` }
    if (host.startsWith('[') && host.endsWith(']') && isIPv6(host.slice(1, -1))) return { ok: true, host: host.slice(1, -1) }
    return { ok: false, error: `"${host.slice(0, 60)}" is neither an IPv4 address (4 numbers with dots) nor an IPv6 address.` }
  }
  if (isIPv6(host)) return { ok: true, host }
  const parts = host.split('.')
  const numeric = parts.filter((p) => /^\d+$/.test(p)).length
  // Mostly numbers with dots: the student means an IPv4 address, so say exactly what is wrong with it.
  if (parts.length >= 3 && numeric >= parts.length - 1) {
    if (parts.length !== 4) return { ok: false, error: `An IPv4 address has 4 numbers with dots; this has ${parts.length}.` }
    const bad = parts.find((p) => !/^\d+$/.test(p))
    if (bad !== undefined) {
      const fixed = [...bad].map((c) => LOOKALIKE[c] ?? c).join('')
      const hint = /^\d+$/.test(fixed) ? ` Did you mean ${parts.map((p) => (p === bad ? fixed : p)).join('.')}?` : ''
      return { ok: false, error: `"${bad.slice(0, 20)}" is not a number: each of the 4 parts is a number from 0 to 255.${hint}` }
    }
    const big = parts.find((p) => Number(p) > 255)
    if (big !== undefined) return { ok: false, error: `${big} is too large: each of the 4 numbers is 0–255.` }
    return { ok: true, host: parts.map((p) => String(Number(p))).join('.') }
  }
  if (!/^[a-z0-9_.-]+$/i.test(host))
    return {
      ok: false,
      error: `"${host.slice(0, 60)}" is not a host name: use letters, digits, dots and dashes, or an IP address.`,
    }
  return { ok: true, host }
}
