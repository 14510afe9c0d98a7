// The connection doctor on two "machines" (the netbench helper's namespaces): the student runs
// `socketlab check server` against the neighbour's address behind a firewall that drops, one that
// rejects with a reset, one that answers with ICMP admin-prohibited (firewalld's way), an address on
// another subnet, one nobody has, and a server bound to the neighbour's loopback. Each gets the expected
// diagnosis, in the --json report the CLI writes from inside the student's namespace.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CheckReport } from '@shared/contract'
import { benchAvailable, createBench, type Bench, type RunResult } from '../helpers/netbench'
import { absentAddress, addFirewall, addOtherSubnet, startLoopbackServer } from '../helpers/netbench-doctor'
import { CLI, startListener } from '../helpers/netbench-peers'

const avail = benchAvailable({ firewall: true })
const reason = !avail.ok ? avail.reason : !existsSync(CLI) ? `${CLI} is not built (npx electron-vite build)` : ''
if (reason) console.warn(`doctor bench tests skipped: ${reason}`)

describe.skipIf(reason !== '')(`connection doctor across two machines${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let bench: Bench
  const dir = mkdtempSync(join(tmpdir(), 'socketlab-doctor-'))

  beforeAll(async () => {
    bench = await createBench()
  })
  afterAll(async () => {
    await bench?.destroy()
    rmSync(dir, { recursive: true, force: true })
  })

  /** `socketlab check server adder --host H --port P --json F` run on the student's machine. */
  async function checkFromStudent(host: string, port: number): Promise<{ r: RunResult; report: CheckReport }> {
    const file = join(dir, `report-${host}-${port}-${Date.now()}.json`)
    const r = await bench.student.run(
      process.execPath,
      [CLI, 'check', 'server', 'adder', '--host', host, '--port', String(port), '--json', file],
      {
        timeoutMs: 60_000,
      },
    )
    return { r, report: JSON.parse(readFileSync(file, 'utf8')) as CheckReport }
  }

  it('a firewall that drops: timed out, and the neighbour is there (it answered ARP): a firewall, not a wrong address', async () => {
    const listener = await startListener(bench.neighbour, bench.neighbour.addr)
    const fw = await addFirewall(bench.neighbour, listener.port, 'drop')
    try {
      const { r, report } = await checkFromStudent(bench.neighbour.addr, listener.port)
      expect(r.code, r.stdout + r.stderr).toBe(1)
      expect(report.diagnosis?.code).toBe('timed-out')
      expect(report.diagnosis?.facts).toMatchObject({ errno: 'CONNECT_TIMEOUT', sameSubnet: true, neighbour: 'answers' })
      expect(report.diagnosis?.steps[0]).toMatch(/a firewall on it drops port/)
    } finally {
      await fw.remove()
      await listener.stop()
    }
  })

  it('a firewall that rejects with a reset: refused, with the firewall named among the causes', async () => {
    const listener = await startListener(bench.neighbour, bench.neighbour.addr)
    const fw = await addFirewall(bench.neighbour, listener.port, 'reset')
    try {
      const { report } = await checkFromStudent(bench.neighbour.addr, listener.port)
      expect(report.diagnosis?.code).toBe('refused')
      expect(report.diagnosis?.facts.thisMachine).toBe(false)
      expect(report.diagnosis?.steps.join(' ')).toMatch(/reject with tcp-reset/)
    } finally {
      await fw.remove()
      await listener.stop()
    }
  })

  it('ICMP admin-prohibited (what firewalld sends): a firewall reject, not "host unreachable, check the IP"', async () => {
    const listener = await startListener(bench.neighbour, bench.neighbour.addr)
    const fw = await addFirewall(bench.neighbour, listener.port, 'admin-prohibited')
    try {
      const { report } = await checkFromStudent(bench.neighbour.addr, listener.port)
      expect(report.diagnosis?.code).toBe('firewall-reject')
      expect(report.diagnosis?.facts.errno).toBe('EHOSTUNREACH')
      expect(report.diagnosis?.steps.join(' ')).toMatch(/firewall-cmd --add-port=\d+\/tcp/)
    } finally {
      await fw.remove()
      await listener.stop()
    }
  })

  it('an address on another subnet: both networks shown', async () => {
    const other = await addOtherSubnet(bench)
    const { report } = await checkFromStudent(other.addr, 12345)
    expect(report.diagnosis?.code).toBe('other-subnet')
    expect(report.diagnosis?.facts.sameSubnet).toBe(false)
    expect(report.diagnosis?.steps[0]).toContain(`${bench.student.addr} on network 10.231.0.0/24`)
    expect(report.diagnosis?.steps[0]).toContain(other.addr)
  })

  it('an address on the right network that nobody has: no machine answers there', async () => {
    const { report } = await checkFromStudent(absentAddress(bench), 12345)
    expect(report.diagnosis?.code).toBe('host-absent')
  })

  it("a server bound to the neighbour's loopback: refused, and the bind named as a cause", async () => {
    const server = await startLoopbackServer(bench, '127.0.0.1')
    try {
      const { report } = await checkFromStudent(bench.neighbour.addr, server.port)
      expect(report.diagnosis?.code).toBe('refused')
      expect(report.diagnosis?.steps.join(' ')).toMatch(/bound to 127\.0\.0\.1 or 127\.0\.1\.1 refuses the neighbours/)
    } finally {
      await server.stop()
    }
  })
})
