// Port errors: address in use, permission denied below 1024 for a normal user, an address that is not
// on this machine. Each is a clear message next to the field, and nothing is left half-open.

import { spawn, execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ok, watchedHost, type Watched } from '../helpers/host'

const root = join(__dirname, '..', '..')

/** Some systems (containers) let every user bind low ports; then there is no error to show. */
function unprivilegedPortStart(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'))
  } catch {
    return 1024
  }
}
const lowPortsOpenToAll = unprivilegedPortStart() <= 80
let w: Watched
afterEach(async () => {
  await w?.host.close()
})

describe('port errors', () => {
  beforeAll(() => {
    if (!existsSync(join(root, 'out/main/cli.js')))
      execFileSync(join(root, 'node_modules/.bin/electron-vite'), ['build'], { cwd: root, stdio: 'ignore' })
  }, 120_000)

  it('address in use: the first server keeps serving, the second is refused next to the port', async () => {
    w = watchedHost()
    const a = ok(await w.host.call('serverStart', { exercise: 'adder', host: 'loopback', port: 0, oneAtATime: false }))
    const b = await w.host.call('serverStart', { exercise: 'greeting', host: 'loopback', port: a.port, oneAtATime: false })
    expect(b).toMatchObject({ ok: false, field: 'port' })
    expect(w.host.snapshot().servers).toHaveLength(1)
  })

  it('an address that is not on this machine', async () => {
    w = watchedHost()
    // TEST-NET-2 (RFC 5737): never assigned to a real machine; binding fails locally, nothing is sent.
    const r = await w.host.call('serverStart', { exercise: 'adder', host: '198.51.100.77', port: 0, oneAtATime: false })
    expect(r).toEqual({
      ok: false,
      field: 'host',
      error:
        'Address 198.51.100.77 is not on this machine. Choose "all interfaces", "loopback" or one of this machine\'s addresses.',
    })
    expect(w.host.snapshot().servers).toHaveLength(0)
  })

  it.skipIf(lowPortsOpenToAll)('permission denied for a port below 1024 as a normal user (the CLI, run as nobody)', async () => {
    const asRoot = process.getuid?.() === 0
    const child = spawn(
      process.execPath,
      [join(root, 'bin/socketlab.js'), 'serve', 'adder', '--port', '80', '--host', 'loopback'],
      {
        // As root, drop to the unprivileged user the way a student runs it; otherwise run as we are.
        ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
        cwd: root,
      },
    )
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)))
    expect(stderr).toContain(
      'Permission denied for port 80: ports below 1024 need administrator rights. Use a port from 1024 to 65535.',
    )
    expect(code).toBe(1)
  })
})
