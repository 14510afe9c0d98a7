// Endpoints as fields, formatted once; and the host a student types, with a lab room's typos named.

import { describe, expect, it } from 'vitest'
import { checkHostInput, endpointText, formatEndpoint, isLoopbackAddress, parseEndpoint, plainAddress } from '@shared/endpoint'

describe('endpoints', () => {
  it('format IPv4, IPv6 and IPv4-mapped addresses as a student reads them', () => {
    expect(formatEndpoint({ address: '127.0.0.1', port: 12345 })).toBe('127.0.0.1:12345')
    expect(formatEndpoint({ address: '::1', port: 12345 })).toBe('[::1]:12345')
    expect(formatEndpoint({ address: '::ffff:10.0.0.5', port: 80 })).toBe('10.0.0.5:80')
    expect(plainAddress('::ffff:10.0.0.5')).toBe('10.0.0.5')
    expect(endpointText(null)).toBe('—')
  })
  it('parse them back, and refuse what is not one', () => {
    expect(parseEndpoint('[::1]:5555')).toEqual({ address: '::1', port: 5555 })
    expect(parseEndpoint('localhost:80')).toEqual({ address: 'localhost', port: 80 })
    expect(parseEndpoint('1.2.3.4:99999')).toBeNull()
    expect(parseEndpoint('::1')).toBeNull()
  })
  it('tell loopback', () => {
    expect(isLoopbackAddress('127.0.1.1')).toBe(true)
    expect(isLoopbackAddress('[::1]')).toBe(true)
    expect(isLoopbackAddress('192.168.1.20')).toBe(false)
  })
})

describe('the host box: what is wrong, in words', () => {
  const error = (text: string): string => {
    const r = checkHostInput(text)
    return r.ok ? `ok ${r.host}` : r.error
  }
  it('accepts addresses and host names', () => {
    expect(error('127.0.0.1')).toBe('ok 127.0.0.1')
    expect(error(' 192.168.1.20 ')).toBe('ok 192.168.1.20')
    expect(error('::1')).toBe('ok ::1')
    expect(error('[fe80::1]')).toBe('ok fe80::1')
    expect(error('my-laptop.local')).toBe('ok my-laptop.local')
    expect(error('localhost')).toBe('ok localhost')
  })
  it('names the typos of a lab room', () => {
    expect(error('127.0.0.256')).toBe('256 is too large: each of the 4 numbers is 0–255.')
    expect(error('127.0.0.l')).toBe('"l" is not a number: each of the 4 parts is a number from 0 to 255. Did you mean 127.0.0.1?')
    expect(error('127.0.0.1:23460')).toBe('Put the port in the Port box: type 127.0.0.1 here and 23460 as the port.')
    expect(error('127 0 0 1')).toBe('Separate the 4 numbers with dots, not spaces: 127.0.0.1')
    expect(error('127.0.1')).toBe('An IPv4 address has 4 numbers with dots; this has 3.')
    expect(error('')).toMatch(/^Type the server/)
    expect(error('a b')).toBe('A host name or IP address has no spaces.')
  })
})
