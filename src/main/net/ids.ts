const counters = new Map<string, number>()

/** `srv-1`, `conn-42`: short ids, unique within this process. */
export function nextId(prefix: string): string {
  const n = (counters.get(prefix) ?? 0) + 1
  counters.set(prefix, n)
  return `${prefix}-${n}`
}

/** An IPv4-mapped IPv6 address (`::ffff:10.0.0.5`) shown as the IPv4 address a student recognises. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address
}

/** `127.0.0.1:12345`, `[::1]:12345`. */
export function formatEndpoint(address: string, port: number): string {
  const a = plainAddress(address)
  return a.includes(':') ? `[${a}]:${port}` : `${a}:${port}`
}
