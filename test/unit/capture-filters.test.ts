import { describe, expect, it } from 'vitest'
import {
  captureFilter,
  displayFilter,
  filterAddress,
  filtersFor,
  howTo,
  isCapturePort,
  loopbackHint,
  neighbourDisplayFilter,
} from '../../src/main/capture/filters'

describe('Wireshark filters for the exercise port', () => {
  it('display and capture filters for a port', () => {
    expect(displayFilter(12345)).toBe('tcp.port == 12345')
    expect(captureFilter(12345)).toBe('tcp port 12345')
    expect(filtersFor(5000)).toEqual({ port: 5000, display: 'tcp.port == 5000', capture: 'tcp port 5000' })
  })

  it('a neighbour: ip.addr for IPv4, ipv6.addr for IPv6', () => {
    expect(neighbourDisplayFilter('192.168.1.20', 12345)).toBe('ip.addr == 192.168.1.20 && tcp.port == 12345')
    expect(neighbourDisplayFilter('fe80::1%eth0', 12345)).toBe('ipv6.addr == fe80::1 && tcp.port == 12345')
    expect(neighbourDisplayFilter('[2001:DB8::20]', 80)).toBe('ipv6.addr == 2001:db8::20 && tcp.port == 80')
    // An IPv4-mapped address is the IPv4 machine Wireshark shows.
    expect(neighbourDisplayFilter('::ffff:10.0.0.5', 12345)).toBe('ip.addr == 10.0.0.5 && tcp.port == 12345')
    expect(filtersFor(12345, '10.0.0.7').neighbour).toBe('ip.addr == 10.0.0.7 && tcp.port == 12345')
  })

  it('rejects what is not a port or an address, in plain words', () => {
    for (const bad of [0, -1, 65536, 1.5, NaN]) {
      expect(isCapturePort(bad)).toBe(false)
      expect(() => displayFilter(bad)).toThrow(/whole number from 1 to 65535/)
      expect(() => captureFilter(bad)).toThrow(/whole number from 1 to 65535/)
    }
    expect(isCapturePort('12345')).toBe(false)
    expect(isCapturePort(1)).toBe(true)
    expect(isCapturePort(65535)).toBe(true)
    expect(() => neighbourDisplayFilter('my-laptop.local', 12345)).toThrow(/not an IP address/)
    expect(() => filterAddress('300.1.1.1')).toThrow(/not an IP address/)
  })

  it('the how-to names the interface, both filters, the handshake and the loopback caveat', () => {
    const linux = howTo(12345, { platform: 'linux' }).join('\n')
    expect(linux).toContain('tcp port 12345')
    expect(linux).toContain('tcp.port == 12345')
    expect(linux).toContain('[SYN], [SYN, ACK], [ACK]')
    expect(linux).toMatch(/Follow → TCP Stream/)
    expect(linux).toMatch(/\blo\b.*any/)

    const mac = howTo(12345, { platform: 'darwin' }).join('\n')
    expect(mac).toContain('lo0')

    const win = howTo(12345, { platform: 'win32', neighbour: '192.168.1.20' }).join('\n')
    expect(win).toMatch(/Npcap/)
    expect(win).toMatch(/Adapter for loopback traffic capture/)
    expect(win).toContain('ip.addr == 192.168.1.20 && tcp.port == 12345')
  })

  it('the loopback caveat per operating system', () => {
    expect(loopbackHint('win32')).toMatch(/only appears on the Npcap loopback adapter.*Support loopback traffic/)
    expect(loopbackHint('darwin')).toMatch(/lo0/)
    expect(loopbackHint('linux')).toMatch(/interface lo .*"any"/)
  })
})
