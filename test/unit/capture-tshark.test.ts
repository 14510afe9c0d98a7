import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
// The tshark side of capture, job by job: locating it, the per-OS advice, the interface list, tshark's
// stderr, the field format and its parser, the live command line.

import { afterAll, describe, expect, it } from 'vitest'
import { checkAvailability, toCaptureAvailability } from '../../src/main/capture/availability'
import { epochMs, FIELDS, hexToBytes, LineSplitter, parseFieldsLine } from '../../src/main/capture/fields'
import { defaultInterface, describeInterface, parseInterfaces, usableInterfaces } from '../../src/main/capture/interfaces'
import { liveArgs } from '../../src/main/capture/live'
import { commonLocations, findTshark } from '../../src/main/capture/locate'
import { linuxFlavour, osCapture } from '../../src/main/capture/os'
import { runTshark } from '../../src/main/capture/run'
import { classifyError, errorText } from '../../src/main/capture/stderr'

const installAdvice = (platform: 'linux' | 'darwin' | 'win32', flavour?: 'debian' | 'fedora' | 'arch' | 'other') =>
  osCapture(platform, flavour).installAdvice()
const permissionAdvice = (platform: 'linux' | 'darwin' | 'win32') => osCapture(platform, 'other').permissionAdvice()

const tshark = findTshark()
const tsharkAvailable = tshark !== null
const reason = tsharkAvailable ? '' : ' (skipped: tshark is not installed (apt install tshark))'

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

const LINUX_D = `1. eth0
2. any
3. lo (Loopback)
4. bluetooth-monitor
5. nflog
6. nfqueue
7. dbus-system
8. ciscodump (Cisco remote capture)
9. randpkt (Random packet generator)
10. sshdump (SSH remote capture)
`
const WINDOWS_D = `1. \\Device\\NPF_{3B2C3B3E-1B1B-4C1C-9E9E-6D6D6D6D6D6D} (Ethernet)\r
2. \\Device\\NPF_Loopback (Adapter for loopback traffic capture)\r
3. etwdump (Event Tracing for Windows (ETW) reader)\r
`
const MAC_D = `1. en0 (Wi-Fi)
2. lo0 (Loopback)
3. bridge0 (Thunderbolt Bridge)
`

// Real stderr of tshark 4.0 run by an account without capture rights.
const NOT_PERMITTED = `tshark: You don't have permission to read the file "/root/.config/wireshark/hosts".
Capturing on 'Loopback: lo'
tshark: You do not have permission to capture on device "lo".
(socket: Operation not permitted)
Please check to make sure you have sufficient permissions.
`
const CONFIG_NOISE = `Running as user "root" and group "root". This could be dangerous.
tshark: You don't have permission to read the file "/root/.config/wireshark/hosts".
tshark: Error loading table 'DNS Servers': Permission denied
`

describe('tshark -D', () => {
  it('parses interface names and descriptions on every OS', () => {
    expect(parseInterfaces(LINUX_D).slice(0, 3)).toEqual([
      { name: 'eth0' },
      { name: 'any' },
      { name: 'lo', description: 'Loopback' },
    ])
    expect(parseInterfaces(WINDOWS_D)[1]).toEqual({
      name: '\\Device\\NPF_Loopback',
      description: 'Adapter for loopback traffic capture',
    })
    expect(parseInterfaces(WINDOWS_D)[2]).toEqual({ name: 'etwdump', description: 'Event Tracing for Windows (ETW) reader' })
    expect(parseInterfaces(MAC_D).map((i) => i.name)).toEqual(['en0', 'lo0', 'bridge0'])
    expect(parseInterfaces('Running as user "root"\n\n')).toEqual([])
  })

  it('offers network interfaces only, the recommended one first', () => {
    expect(usableInterfaces(parseInterfaces(LINUX_D), 'linux').map((i) => i.name)).toEqual(['any', 'eth0', 'lo'])
    expect(usableInterfaces(parseInterfaces(WINDOWS_D), 'win32').map((i) => i.name)).toEqual([
      '\\Device\\NPF_Loopback',
      '\\Device\\NPF_{3B2C3B3E-1B1B-4C1C-9E9E-6D6D6D6D6D6D}',
    ])
    expect(defaultInterface(parseInterfaces(MAC_D), 'darwin')).toBe('lo0')
    expect(defaultInterface(parseInterfaces('1. eth0\n2. lo (Loopback)\n'), 'linux')).toBe('lo')
    expect(defaultInterface([], 'linux')).toBeUndefined()
  })

  it('names each interface for what it is in the lab', () => {
    const kinds = (text: string) => parseInterfaces(text).map((i) => describeInterface(i).kind)
    expect(kinds(LINUX_D).slice(0, 3)).toEqual(['network', 'any', 'loopback'])
    expect(kinds(WINDOWS_D).slice(0, 2)).toEqual(['network', 'loopback'])
    expect(kinds(MAC_D)).toEqual(['network', 'loopback', 'network'])
  })
})

describe('diagnosis in plain words', () => {
  it('tells a missing permission from tshark’s usual noise', () => {
    expect(classifyError(NOT_PERMITTED)).toBe('permission')
    expect(
      classifyError(
        'tshark: The capabilities of the capture device "any" could not be obtained (pcap_activate() failed: socket: Operation not permitted)',
      ),
    ).toBe('permission')
    expect(classifyError("tshark: Couldn't run /usr/bin/dumpcap in child process: Permission denied")).toBe('permission')
    expect(classifyError('tshark: cannot open BPF device /dev/bpf0: Permission denied')).toBe('permission')
    expect(classifyError(CONFIG_NOISE)).toBe('other')
    expect(classifyError('tshark: There is no device named "nosuch".\n(No such device exists)')).toBe('no-such-interface')
    expect(classifyError('tshark: There are no interfaces on which a capture can be done')).toBe('no-interfaces')
    expect(classifyError('tshark: Invalid capture filter "tcp portx 1" for interface')).toBe('bad-filter')
  })

  it('keeps tshark’s real error lines only', () => {
    expect(errorText(NOT_PERMITTED)).toBe(
      'You do not have permission to capture on device "lo". (socket: Operation not permitted) Please check to make sure you have sufficient permissions.',
    )
    expect(errorText(CONFIG_NOISE)).toBe('')
  })

  it('what to install, per OS', () => {
    expect(installAdvice('linux', 'debian')).toMatch(
      /sudo apt install tshark.*sudo usermod -aG wireshark \$USER, log out and log back in/,
    )
    expect(installAdvice('linux', 'fedora')).toMatch(/sudo dnf install wireshark-cli/)
    expect(installAdvice('linux', 'other')).toMatch(/apt install tshark.*wireshark-cli/)
    expect(installAdvice('darwin')).toMatch(/brew install wireshark.*ChmodBPF/)
    expect(installAdvice('win32')).toMatch(/Wireshark.*Npcap.*Support loopback traffic/)
    expect(linuxFlavour('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n')).toBe('debian')
    expect(linuxFlavour('ID=fedora\n')).toBe('fedora')
    expect(linuxFlavour('ID=arch\n')).toBe('arch')
    expect(linuxFlavour('ID=nixos\n')).toBe('other')
  })

  it('Windows without Npcap loopback support gets a warning, other systems none', () => {
    expect(osCapture('win32').warning(false)).toMatch(/Support loopback traffic/)
    expect(osCapture('win32').warning(true)).toBeUndefined()
    expect(osCapture('linux', 'other').warning(false)).toBeUndefined()
  })

  it('what to do without capture rights, per OS', () => {
    const linux = permissionAdvice('linux')
    expect(linux).toMatch(/sudo usermod -aG wireshark \$USER/)
    expect(linux).toMatch(/log out and log back in/)
    expect(linux).toMatch(/sudo dpkg-reconfigure wireshark-common/)
    expect(linux).toMatch(/sudo setcap cap_net_raw,cap_net_admin=eip \$\(which dumpcap\)/)
    expect(permissionAdvice('darwin')).toMatch(/ChmodBPF/)
    expect(permissionAdvice('win32')).toMatch(/Npcap/)
  })
})

describe('finding tshark', () => {
  it('on the PATH, by override, or not at all', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'socketlab-find-'))
    dirs.push(dir)
    const fake = path.join(dir, 'tshark')
    writeFileSync(fake, '#!/bin/sh\n')
    chmodSync(fake, 0o755)
    expect(findTshark({ PATH: `/nonexistent:${dir}` }, 'linux')).toBe(fake)
    expect(findTshark({ SOCKETLAB_TSHARK: fake, PATH: '' }, 'linux')).toBe(fake)
    expect(findTshark({ SOCKETLAB_TSHARK: path.join(dir, 'missing'), PATH: dir }, 'linux')).toBeNull()
    expect(commonLocations('win32', { ProgramFiles: 'C:\\Program Files' })).toContain('C:\\Program Files\\Wireshark\\tshark.exe')
    expect(commonLocations('darwin')).toContain('/Applications/Wireshark.app/Contents/MacOS/tshark')
  })

  it('not installed: the install advice, with the host’s platform', async () => {
    const a = await checkAvailability(null, 'darwin')
    expect(a).toMatchObject({ available: false, tshark: null, interfaces: [], platform: 'darwin' })
    expect(a.problem).toMatch(/not installed.*brew install wireshark/)
    expect(toCaptureAvailability(a)).toEqual({ available: false, problem: a.problem, interfaces: [], platform: 'darwin' })
  })
})

describe('the live capture command line and its output', () => {
  it('writes the .pcapng and prints fields while writing', () => {
    const args = liveArgs({ interface: 'lo', port: 12345, file: '/tmp/x.pcapng', count: 4, durationS: 9, maxBytes: 5_000_000 })
    const at = (flag: string): string => args[args.indexOf(flag) + 1]
    expect(at('-i')).toBe('lo')
    expect(at('-f')).toBe('tcp port 12345')
    expect(at('-w')).toBe('/tmp/x.pcapng')
    expect(args).toContain('-P')
    expect(args).toContain('-l')
    expect(args).toContain('-n')
    expect(at('-c')).toBe('4')
    expect(at('-a')).toBe('duration:9')
    // The size cap: tshark stops when the file reaches it (kB).
    expect(args.filter((_, i) => args[i - 1] === '-a')).toEqual(['duration:9', 'filesize:5000'])
    // Each segment's own payload, and tshark's own analysis of retransmissions.
    expect(args).toContain('tcp.desegment_tcp_streams:FALSE')
    expect(args).toContain('tcp.analysis.retransmission')
    expect(args).toContain('tcp.seq_raw')
    expect(at('-T')).toBe('fields')
    expect(args).toContain('tcp.payload')
    expect(liveArgs({ interface: 'any', port: 1, file: 'f' })).not.toContain('-c')
  })

  it('parses packet lines; ignores noise', () => {
    /** A field line in FIELDS order. */
    const line = (f: Partial<Record<(typeof FIELDS)[number], string>>): string => FIELDS.map((k) => f[k] ?? '').join('\t')
    const p = parseFieldsLine(
      `${line({
        'frame.number': '4',
        'frame.time_epoch': '1795306316.082801369',
        'ip.src': '127.0.0.1',
        'ip.dst': '127.0.0.1',
        'tcp.srcport': '45678',
        'tcp.dstport': '44310',
        'tcp.stream': '3',
        'tcp.flags': '0x0018',
        'tcp.seq': '1',
        'tcp.ack': '1',
        'tcp.seq_raw': '3735928559',
        'tcp.ack_raw': '12345678',
        'tcp.len': '24',
        'tcp.payload': '5468616e6b20796f7520666f7220636f6e6e656374696e67',
      })}\r`,
    )
    expect(p).toMatchObject({
      no: 4,
      src: '127.0.0.1',
      dst: '127.0.0.1',
      srcPort: 45678,
      dstPort: 44310,
      stream: 3,
      flags: 0x18,
      seq: 1,
      ack: 1,
      rawSeq: 3735928559,
      rawAck: 12345678,
      len: 24,
      retransmission: false,
    })
    expect(p!.rtoFrame).toBeUndefined()
    expect(Math.round(p!.t)).toBe(1795306316083) // ms since the epoch
    expect(Buffer.from(p!.payload).toString()).toBe('Thank you for connecting')
    const again = parseFieldsLine(
      line({
        'frame.number': '5',
        'tcp.srcport': '1',
        'tcp.dstport': '2',
        'tcp.flags': '0x0018',
        'tcp.analysis.retransmission': '1',
        'tcp.analysis.rto_frame': '4',
      }),
    )
    expect(again).toMatchObject({ retransmission: true, rtoFrame: 4, stream: -1 })
    expect(
      parseFieldsLine(
        line({
          'frame.number': '6',
          'tcp.srcport': '1',
          'tcp.dstport': '2',
          'tcp.flags': '0x0010',
          'tcp.analysis.fast_retransmission': '1',
        }),
      )?.retransmission,
    ).toBe(true)
    const v6 = parseFieldsLine(
      line({
        'frame.number': '1',
        'frame.time_epoch': '1795306316.5',
        'ipv6.src': '::1',
        'ipv6.dst': '::1',
        'tcp.srcport': '40000',
        'tcp.dstport': '12345',
        'tcp.flags': '0x0002',
      }),
    )
    expect(v6).toMatchObject({ src: '::1', dst: '::1', flags: 2, len: 0 })
    expect(v6!.payload).toHaveLength(0)
    expect(parseFieldsLine("Capturing on 'Loopback: lo'")).toBeNull()
    expect(parseFieldsLine('')).toBeNull()
    expect(parseFieldsLine(line({ 'frame.number': '5', 'ip.src': '10.0.0.1', 'ip.dst': '10.0.0.2' }))).toBeNull() // not TCP
  })

  it('hex payloads in any of tshark’s spellings, stopping at the first non-hex character', () => {
    expect([...hexToBytes('54:68:61')]).toEqual([0x54, 0x68, 0x61])
    expect([...hexToBytes('546861')]).toEqual([0x54, 0x68, 0x61])
    expect([...hexToBytes('54 68 6')]).toEqual([0x54, 0x68])
    expect([...hexToBytes('54zz61')]).toEqual([0x54])
    expect([...hexToBytes('')]).toEqual([])
  })

  it('capture times as seconds or ISO 8601', () => {
    expect(epochMs('1715000000.5')).toBe(1_715_000_000_500)
    expect(epochMs('2025-10-22T02:20:33.634243780Z')! - 1_761_099_633_634).toBeCloseTo(0.24378, 3)
    expect(epochMs('2025-10-22T02:20:33Z')).toBe(1_761_099_633_000)
    expect(epochMs('')).toBeUndefined()
    expect(epochMs('yesterday')).toBeUndefined()
  })

  it('splits a stream into lines, keeping a partial line for later', () => {
    const s = new LineSplitter()
    expect(s.push('1\ta\n2\t')).toEqual(['1\ta'])
    expect(s.push('b')).toEqual([])
    expect(s.push('\n3')).toEqual(['2\tb'])
    expect(s.end()).toEqual(['3'])
    expect(s.end()).toEqual([])
  })
})

// Each test starts tshark, which takes seconds on a busy machine: a generous limit, no timing assertion.
describe.skipIf(!tsharkAvailable)(`this machine’s tshark${reason}`, { timeout: 30_000 }, () => {
  it('is available, lists lo and any, and recommends any', async () => {
    const a = await checkAvailability(tshark, 'linux')
    expect(a.available).toBe(true)
    expect(a.interfaces.map((i) => i.name)).toEqual(expect.arrayContaining(['any', 'lo']))
    expect(a.defaultInterface).toBe('any')
    expect(a.all.length).toBeGreaterThanOrEqual(a.interfaces.length)
  })

  const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p))
  const isRoot = process.getuid?.() === 0
  it.skipIf(!setpriv || !isRoot)('an account without capture rights is diagnosed as such', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'socketlab-nobody-'))
    dirs.push(home)
    chmodSync(home, 0o777)
    let stderr = ''
    try {
      execFileSync(setpriv!, ['--reuid=65534', '--regid=65534', '--clear-groups', tshark!, '-L', '-i', 'lo'], {
        env: { ...process.env, HOME: home },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 20_000,
      })
    } catch (e) {
      stderr = String((e as { stderr?: Buffer }).stderr ?? '')
    }
    // Where even nobody may capture (dumpcap with capabilities for everyone), there is nothing to diagnose.
    if (stderr) expect(classifyError(stderr)).toBe('permission')
  })

  it('runTshark reports the exit code and output', async () => {
    const r = await runTshark(tshark!, ['--version'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^TShark \(Wireshark\) \d+\.\d+/)
  })
})
