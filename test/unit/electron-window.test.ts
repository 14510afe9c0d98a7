// What can be checked of the Electron window without the Electron runtime: the window's options as a
// value, and the built preload (sandboxed, so CommonJS that requires nothing but electron).

import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SECURE_WEB_PREFERENCES, windowOptions } from '../../src/main/security'

const root = resolve(__dirname, '../..')

describe('the window options', () => {
  const options = windowOptions('/app/out/preload/index.cjs')

  it('isolate and sandbox the page, with no Node in it and the preload as its only way out', () => {
    expect(options.webPreferences).toEqual({ ...SECURE_WEB_PREFERENCES, preload: '/app/out/preload/index.cjs' })
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
  })

  it('let the window be as small as 800×600, and show it only once painted', () => {
    expect(options.minWidth).toBeLessThanOrEqual(800)
    expect(options.minHeight).toBeLessThanOrEqual(600)
    expect(options.show).toBe(false)
    expect(options.title).toBe('SocketLab')
  })
})

describe.runIf(existsSync(join(root, 'out', 'preload')))('the built preload', () => {
  const dir = join(root, 'out', 'preload')
  const files = readdirSync(dir).filter((f) => /\.(c?js)$/.test(f))

  it('is one CommonJS file (a sandboxed preload cannot load ES modules)', () => {
    expect(files).toEqual(['index.cjs'])
    const code = readFileSync(join(dir, 'index.cjs'), 'utf8')
    expect(code).toMatch(/^"use strict";/)
    expect(code).not.toMatch(/^\s*import\s/m)
    expect(code).not.toMatch(/^\s*export\s/m)
  })

  it('requires nothing but electron (everything else is bundled in)', () => {
    const code = readFileSync(join(dir, 'index.cjs'), 'utf8')
    const required = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])
    expect(required.length).toBeGreaterThan(0)
    expect(new Set(required)).toEqual(new Set(['electron']))
    expect(code).not.toMatch(/\bimport\(/)
  })
})
