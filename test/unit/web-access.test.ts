// Browser mode's access decisions as pure functions: request targets decoded and normalised (or
// refused) without ever throwing, Host and Origin checked against this server's own names, cookies
// read without a regex, and one-time codes that turn into a session once.

import { describe, expect, it } from 'vitest'
import { Access, checkHost, checkOrigin, parseTarget, readCookie } from '../../src/main/web/access'

describe('parseTarget', () => {
  it('normalises every spelling of a path before anything is decided on it', () => {
    const cases: [string, string][] = [
      ['/', '/'],
      ['//', '/'],
      ['///index.html', '/index.html'],
      ['/%2findex.html', '/index.html'],
      ['/%2Findex.html', '/index.html'],
      ['/./index.html', '/index.html'],
      ['/a/../index.html', '/index.html'],
      ['/../../etc/passwd', '/etc/passwd'],
      ['/%2e%2e/%2e%2e/etc/passwd', '/etc/passwd'],
      ['/assets/x.js?v=1', '/assets/x.js'],
    ]
    for (const [raw, path] of cases) expect(parseTarget(raw)?.path, raw).toBe(path)
    expect(parseTarget('/login?code=a%2Bb&x')?.query.get('code')).toBe('a+b')
  })

  it('refuses what does not decode or does not belong in a URL path', () => {
    for (const raw of [
      undefined,
      '',
      '*',
      'index.html',
      'http://127.0.0.1:1/',
      '/%E0',
      '/%',
      '/%zz',
      '/%00',
      '/a\\b',
      '/%5c',
      '/'.repeat(9000),
    ]) {
      expect(parseTarget(raw), String(raw).slice(0, 30)).toBeNull()
    }
  })

  it('never throws, on any bytes (seeded, so a failure can be replayed)', () => {
    let seed = 0x5eed
    const next = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0), seed)
    const alphabet = '/%.?=&\\\0aZ09EeFf2c~ \u00e9\ud800'
    for (let i = 0; i < 5000; i++) {
      let raw = '/'
      const n = next() % 40
      for (let j = 0; j < n; j++) raw += alphabet[next() % alphabet.length]
      expect(() => parseTarget(raw)).not.toThrow()
    }
  })
})

describe('Host and Origin', () => {
  it('accept only 127.0.0.1:<port> and localhost:<port>', () => {
    expect(checkHost('127.0.0.1:4000', 4000)).toBe('127.0.0.1:4000')
    expect(checkHost('LOCALHOST:4000', 4000)).toBe('localhost:4000')
    for (const h of [undefined, '', '127.0.0.1', '127.0.0.1:4001', 'evil.example:4000', '127.0.0.2:4000', '[::1]:4000']) {
      expect(checkHost(h, 4000), String(h)).toBeNull()
    }
    expect(checkOrigin('http://127.0.0.1:4000', 4000)).toBe(true)
    expect(checkOrigin('http://localhost:4000', 4000)).toBe(true)
    for (const o of [
      undefined,
      'null',
      'http://127.0.0.1:4001',
      'https://127.0.0.1:4000',
      'http://evil.example:4000',
      'file://',
    ]) {
      expect(checkOrigin(o, 4000), String(o)).toBe(false)
    }
  })
})

describe('readCookie', () => {
  it('finds one cookie among others, and nothing in a malformed header', () => {
    expect(readCookie('a=1; socketlab-1=xyz; b=2', 'socketlab-1')).toBe('xyz')
    expect(readCookie('socketlab-10=no; socketlab-1=yes', 'socketlab-1')).toBe('yes')
    expect(readCookie(undefined, 'x')).toBeNull()
    expect(readCookie(';;;===;', 'x')).toBeNull()
    expect(readCookie('x', 'x')).toBeNull()
  })
})

describe('Access', () => {
  it('a code works once and becomes a session; sessions are per port', () => {
    const access = new Access(4000)
    const code = access.issueCode()
    const session = access.redeem(code)!
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(access.redeem(code)).toBeNull()
    expect(access.redeem(null)).toBeNull()
    expect(access.signedIn(`socketlab-4000=${session}`)).toBe(true)
    expect(access.signedIn(`socketlab-4001=${session}`)).toBe(false)
    expect(access.signedIn(`socketlab-4000=${session}x`)).toBe(false)
    expect(access.cookie(session)).toBe(`socketlab-4000=${session}; HttpOnly; SameSite=Strict; Path=/`)
  })

  it('keeps a bounded number of unused codes, dropping the oldest', () => {
    const access = new Access(4000)
    const codes = Array.from({ length: 9 }, () => access.issueCode())
    expect(access.redeem(codes[0])).toBeNull()
    expect(access.redeem(codes[8])).not.toBeNull()
  })
})
