// Short ids for servers, clients and connections.

const counters = new Map<string, number>()

/** `srv-1`, `conn-42`: short ids, unique within this process. */
export function nextId(prefix: string): string {
  const n = (counters.get(prefix) ?? 0) + 1
  counters.set(prefix, n)
  return `${prefix}-${n}`
}
