// `npm start` (scripts/start.js) where a student on a headless machine first meets it: no display and
// no Electron runtime. It must say both (fixing one should not reveal the other), start browser mode
// with a one-time sign-in address, and on Ctrl+C stop cleanly. Needs the build (`npm test` builds first).

import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const emptyDist = mkdtempSync(join(tmpdir(), 'socketlab-no-electron-'))

afterAll(() => rmSync(emptyDist, { recursive: true, force: true }))

describe('npm start without a display', () => {
  it.skipIf(process.platform !== 'linux')(
    'says there is no display and that the Electron runtime is missing, then serves browser mode',
    async () => {
      expect(existsSync(join(root, 'out', 'main', 'web.js')), 'run the build first').toBe(true)
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        SOCKETLAB_WEB_PORT: '0',
        // A runtime folder with nothing in it: "not installed", whatever this machine has.
        ELECTRON_OVERRIDE_DIST_PATH: emptyDist,
      }
      delete env.DISPLAY
      delete env.WAYLAND_DISPLAY
      const child = spawn(process.execPath, [join(root, 'scripts', 'start.js'), '--no-open'], {
        cwd: root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let out = ''
      child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c))
      child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c))
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
      try {
        await new Promise<void>((resolvePromise, reject) => {
          const timer = setTimeout(() => reject(new Error(`no sign-in address within 45 s:\n${out}`)), 45_000)
          const poll = setInterval(() => {
            if (/http:\/\/127\.0\.0\.1:\d+\/login\?code=/.test(out)) {
              clearTimeout(timer)
              clearInterval(poll)
              resolvePromise()
            }
          }, 100)
          void exited.then(() => (clearTimeout(timer), clearInterval(poll), reject(new Error(`exited early:\n${out}`))))
        })
        expect(out).toContain('there is no graphical display here')
        expect(out).toContain('The Electron runtime (the desktop window) is not installed here either')
        expect(out).toContain('npx install-electron')
        expect(out).toContain('starting in browser mode')
        // Ctrl+C in the terminal: forwarded once to browser mode, which stops cleanly.
        child.kill('SIGINT')
        expect(await exited).toBe(0)
        expect(out).toContain('SocketLab stopped.')
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      }
    },
  )
})
