// The connection doctor's failure cases, made real on the bench's neighbour machine (issue 12, section 4).
//
// "We can't connect" has a handful of causes that look alike to a student and differ on the wire: a
// firewall that drops the SYN (silence, then a timeout), a port with nothing listening or a firewall that
// answers with a reset (refused), a firewall that answers with ICMP admin-prohibited (what firewalld sends),
// an address on another subnet (no route), an address on the right subnet where no host answers ARP, and a
// server bound to loopback (refused from outside, open from inside). Each helper builds one of them, so the
// doctor is tested against what the kernel really reports, not against what we think it reports.

import { benchAvailable, type Bench, type Machine } from './netbench'
import { startListener, type BenchServer } from './netbench-peers'

export type FirewallKind = 'drop' | 'reset' | 'admin-prohibited' | 'host-prohibited'

const TARGET: Record<FirewallKind, string[]> = {
  drop: ['-j', 'DROP'],
  reset: ['-j', 'REJECT', '--reject-with', 'tcp-reset'],
  'admin-prohibited': ['-j', 'REJECT', '--reject-with', 'icmp-admin-prohibited'],
  'host-prohibited': ['-j', 'REJECT', '--reject-with', 'icmp-host-prohibited'],
}

export interface Firewall {
  rule: string[]
  remove(): Promise<void>
}

/** An INPUT rule on the machine for TCP to `port` (iptables, nft or legacy backend, whichever works here). */
export async function addFirewall(machine: Machine, port: number, kind: FirewallKind): Promise<Firewall> {
  const a = benchAvailable({ firewall: true })
  if (!a.ok || !a.iptables) throw new Error(`netbench: no firewall on this machine: ${a.ok ? 'no iptables' : a.reason}`)
  const bin = a.iptables
  const rule = ['INPUT', '-p', 'tcp', '--dport', String(port), ...TARGET[kind]]
  // -w: wait for the xtables lock, which is one file for every namespace (and every parallel test run).
  const r = await machine.run(bin, ['-w', '-A', ...rule], { timeoutMs: 10_000 })
  if (r.code !== 0) throw new Error(`netbench: ${bin} -A ${rule.join(' ')} failed: ${r.stderr}`)
  return {
    rule,
    remove: async () => {
      await machine.run(bin, ['-w', '-D', ...rule], { timeoutMs: 10_000 })
    },
  }
}

/**
 * An address of the neighbour's on a different subnet (10.232.0.2/24 by default), which the student's machine
 * has no route to: connecting there fails at once with ENETUNREACH, and nothing is sent.
 */
export async function addOtherSubnet(bench: Bench, subnet = '10.232.0'): Promise<{ addr: string; subnet: string }> {
  const addr = `${subnet}.2`
  const r = await bench.neighbour.run('ip', ['addr', 'add', `${addr}/24`, 'dev', bench.neighbour.iface])
  if (r.code !== 0 && !/exists/i.test(r.stderr)) throw new Error(`netbench: cannot add ${addr}: ${r.stderr}`)
  return { addr, subnet: `${subnet}.0/24` }
}

/** An address on the shared /24 that no machine has: ARP goes unanswered (a typo in the last octet). */
export function absentAddress(bench: Bench): string {
  return bench.subnet.replace(/\.0\/24$/, '.99')
}

/** A server the student cannot reach because it listens on the neighbour's loopback only (127.0.0.1 or 127.0.1.1). */
export function startLoopbackServer(bench: Bench, host: '127.0.0.1' | '127.0.1.1' = '127.0.0.1'): Promise<BenchServer> {
  return startListener(bench.neighbour, host)
}
