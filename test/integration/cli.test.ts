// The command line over the same engine: the handout's lines, exit codes, clear usage errors.

import { execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import net from 'node:net'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { EventEmitter } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/run'
import { startPythonServer, runPython } from '../helpers/python'

const root = join(__dirname, '..', '..')

function io(input = '') {
  const out = new PassThrough()
  const err = new PassThrough()
  let stdout = ''
  let stderr = ''
  out.on('data', (d) => (stdout += d))
  err.on('data', (d) => (stderr += d))
  const stdin = new PassThrough()
  stdin.end(input)
  return { io: { out, err, input: stdin }, stdout: () => stdout, stderr: () => stderr }
}

/** Start `serve` in-process; resolves with its port once it says it is serving. */
async function serve(args: string[]) {
  const t = io()
  const signals = new EventEmitter()
  const done = run(['serve', ...args, '--port', '0', '--host', 'loopback'], t.io, signals)
  const start = Date.now()
  while (!/Serving \w+ on port (\d+)/.test(t.stdout())) {
    if (Date.now() - start > 5000) throw new Error(`serve did not start: ${t.stdout()} ${t.stderr()}`)
    await new Promise((r) => setTimeout(r, 10))
  }
  const port = Number(/Serving \w+ on port (\d+)/.exec(t.stdout())![1])
  return { port, output: t, stop: async () => (signals.emit('SIGINT'), done) }
}

describe('socketlab serve / client (in-process)', () => {
  it('adder: --script a,a,q prints the handout lines and exits 0', async () => {
    const srv = await serve(['adder'])
    const t = io()
    const code = await run(
      ['client', 'adder', '--host', '127.0.0.1', '--port', String(srv.port), '--name', 'cli-7', '--script', 'a,x,a,q'],
      t.io,
    )
    expect(code).toBe(0)
    expect(t.stdout().match(/answer received from Server = \d+/g)).toHaveLength(2)
    expect(t.stdout()).toContain('Invalid command')
    expect(srv.output.stdout()).toContain('Connection initiated by cli-7')
    expect(await srv.stop()).toBe(0)
  })

  it('adder at a keyboard: the prompt comes after each answer, never before it', async () => {
    const srv = await serve(['adder'])
    const t = io()
    // A terminal: commands typed one at a time, each after the prompt for it.
    const keyboard = new PassThrough() as PassThrough & { isTTY: boolean }
    keyboard.isTTY = true
    const done = run(['client', 'adder', '--host', '127.0.0.1', '--port', String(srv.port)], { ...t.io, input: keyboard })
    const prompts = () => t.stdout().split('Enter command').length - 1
    for (const [n, command] of [
      [1, 'a'],
      [2, 'a'],
      [3, 'q'],
    ] as const) {
      while (prompts() < n) await new Promise((r) => setTimeout(r, 10))
      keyboard.write(`${command}\n`)
    }
    expect(await done).toBe(0)
    // Each prompt stands at the start of a line, after what the previous command printed.
    expect(t.stdout()).not.toMatch(/Enter command[^\n]*: answer received/)
    expect(t.stdout()).toMatch(/answer received from Server = \d+\nEnter command/)
    await srv.stop()
  })

  it('adder: commands from the keyboard (stdin); end of input is q', async () => {
    const srv = await serve(['adder', '--one-at-a-time'])
    const t = io('a\na\n')
    expect(await run(['client', 'adder', '--host', '127.0.0.1', '--port', String(srv.port)], t.io)).toBe(0)
    expect(t.stdout().match(/answer received from Server = \d+/g)).toHaveLength(2)
    await srv.stop()
  })

  it('greeting, dedup and intersection exchanges exit 0', async () => {
    for (const [exercise, extra, line] of [
      ['greeting', ['--ack', 'Cheers'], /Thank you for connecting/],
      ['dedup', ['--numbers', '1,5,5,9'], /Final list: \[1, 5, 9\]\nDuplicates \(from the server\): \[5\]/],
      ['intersection', ['--size', '30'], /Intersection: \[[\d, ]*\]/],
    ] as const) {
      const srv = await serve([exercise])
      const t = io()
      expect(await run(['client', exercise, '--host', '127.0.0.1', '--port', String(srv.port), ...extra], t.io)).toBe(0)
      expect(t.stdout()).toMatch(line)
      await srv.stop()
    }
  })

  it('a wrong answer from a (broken) server exits 1 with a clear message', async () => {
    const py = await startPythonServer('adder_server.py', ['--sep', ','])
    const t = io()
    // The classmate's server splits on commas; our default "3 7" is what it cannot read.
    const code = await run(
      ['client', 'adder', '--host', '127.0.0.1', '--port', String(py.port), '--script', 'a,q', '--reply-timeout', '1500'],
      t.io,
    )
    expect(code).toBe(1)
    expect(t.stderr()).toMatch(/The exchange did not go as the handout says: /)
    await py.stop()
  })

  it('nothing listening: exit 1 with the plain reason', async () => {
    const t = io()
    expect(await run(['client', 'greeting', '--host', '127.0.0.1', '--port', '1'], t.io)).toBe(1)
    expect(t.stderr()).toMatch(/Nothing is listening at 127\.0\.0\.1:1/)
  })

  it.each([
    [['client', 'adder'], /client needs --host/],
    [['client', 'adder', '--host', 'x', '--port', '70000'], /--port must be from 1 to 65535, got 70000/],
    [['client', 'adder', '--host', 'x', '--port', 'abc'], /--port must be a whole number/],
    [['client', 'nope', '--host', 'x'], /unknown exercise "nope"/],
    [['client', 'dedup', '--host', 'x', '--numbers', '1,two'], /"two" is not a whole number/],
    [['client', 'greeting', '--host', 'x', '--script', 'a'], /--script is for the adder exercise/],
    [['client', 'adder', '--host', '127.0.0.1', '--separator', 'tab'], /--separator must be one of/],
    [['serve', 'adder', '--bogus'], /unknown option --bogus/],
    // The host's own checks, in the words of the option typed (never the app's labels or a path).
    [['client', 'greeting', '--host', '127.0.0.256'], /^socketlab: --host: 256 is too large: each of the 4 numbers is 0–255\.\n/],
    [
      ['client', 'greeting', '--host', '127 0 0 1'],
      /^socketlab: --host: Separate the 4 numbers with dots, not spaces: 127\.0\.0\.1\.\n/,
    ],
    [['client', 'adder', '--host', '127.0.0.1', '--name', ' '], /^socketlab: --name: enter a name\.\n/],
    [
      ['client', 'greeting', '--host', '127.0.0.1', '--ack', 'x'.repeat(1001)],
      /^socketlab: --ack must be at most 1000 characters\.\n/,
    ],
    [['serve', 'adder', '--host', ' '], /^socketlab: --host: choose where to listen\.\n/],
    [['serve'], /serve needs an exercise/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('usage error %j exits 2', async (args, message) => {
    const t = io()
    expect(await run(args, t.io)).toBe(2)
    expect(t.stderr()).toMatch(message)
  })

  it('--help documents every option', async () => {
    const t = io()
    expect(await run(['--help'], t.io)).toBe(0)
    for (const opt of [
      '--one-at-a-time',
      '--script',
      '--numbers',
      '--count',
      '--size',
      '--ack',
      '--name',
      '--separator',
      '--pace',
    ]) {
      expect(t.stdout()).toContain(opt)
    }
  })

  it('port in use: exit 1 with the plain reason', async () => {
    const srv = await serve(['adder'])
    const t = io()
    expect(await run(['serve', 'adder', '--port', String(srv.port), '--host', 'loopback'], t.io)).toBe(1)
    expect(t.stderr()).toMatch(/already in use/)
    await srv.stop()
  })
})

describe('peer text on the terminal is made visible, never raw', () => {
  // A hostile classmate: write the clipboard (OSC 52), retitle the window, clear the screen, go back to
  // the start of the line to fake one, and reverse what follows with a bidi override.
  const HOSTILE = '\x1b]52;c;aGFja2Vk\x07\x1b]0;pwned\x07\x1b[2J\rAll checks passed\u202egnp.exe\x9b31m'
  const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/

  /** A server on the loopback that sends HOSTILE to whoever connects, then closes. */
  async function hostileServer(): Promise<{ hostile: net.Server; port: number }> {
    const hostile = net.createServer((socket) => {
      socket.on('error', () => undefined)
      socket.end(HOSTILE)
    })
    await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r))
    return { hostile, port: (hostile.address() as net.AddressInfo).port }
  }

  it('socketlab client: a server greeting with escape sequences is printed with them shown', async () => {
    const { hostile, port } = await hostileServer()
    try {
      const t = io()
      await run(['client', 'greeting', '--host', '127.0.0.1', '--port', String(port)], t.io)
      const printed = t.stdout() + t.stderr()
      expect(printed).toContain('\\e]52;c;aGFja2Vk\\x07')
      expect(printed).toContain('\\rAll checks passed\\u{202e}gnp.exe\\x9b31m')
      expect(printed).not.toMatch(RAW)
    } finally {
      hostile.close()
    }
  })

  it('socketlab serve: a client named with escape sequences is printed with them shown', async () => {
    const srv = await serve(['adder'])
    const peer = net.connect(srv.port, '127.0.0.1')
    peer.on('error', () => undefined)
    peer.write(HOSTILE)
    const start = Date.now()
    while (!srv.output.stdout().includes('Connection initiated by') && Date.now() - start < 5000)
      await new Promise((r) => setTimeout(r, 10))
    peer.destroy()
    expect(srv.output.stdout()).toContain('\\e[2J')
    expect(srv.output.stdout() + srv.output.stderr()).not.toMatch(RAW)
    expect(await srv.stop()).toBe(0)
  })

  it('socketlab check server: what a program sent, quoted in the report, is shown the same way', async () => {
    const { hostile, port } = await hostileServer()
    try {
      const t = io()
      const code = await run(['check', 'server', 'greeting', '--host', '127.0.0.1', '--port', String(port)], t.io)
      expect(code).toBe(1)
      expect(t.stdout()).toContain('SocketLab check')
      // The greeting is quoted in the report: JSON's escapes for C0, visible() for what JSON leaves raw.
      expect(t.stdout()).toContain('The server greets with "\\u001b]52;c;aGFja2Vk')
      expect(t.stdout()).toContain('All checks passed\\u{202e}gnp.exe\\x9b31m')
      expect(t.stdout() + t.stderr()).not.toMatch(RAW)
    } finally {
      hostile.close()
    }
  }, 60_000)
})

describe('npx socketlab (the built CLI as a user runs it)', () => {
  const cli = join(root, 'out', 'main', 'cli.js')
  beforeAll(() => {
    if (!existsSync(cli))
      execFileSync(join(root, 'node_modules', '.bin', 'electron-vite'), ['build'], { cwd: root, stdio: 'ignore' })
  }, 120_000)

  let server: ReturnType<typeof spawn> | null = null
  afterAll(() => {
    server?.kill('SIGINT')
  })

  it('serve runs until SIGINT and a Python client talks to it', async () => {
    server = spawn(process.execPath, [join(root, 'bin', 'socketlab.js'), 'serve', 'adder', '--port', '0', '--host', 'loopback'], {
      cwd: root,
    })
    let out = ''
    server.stdout!.on('data', (d) => (out += d))
    const start = Date.now()
    while (!/on port (\d+)/.test(out)) {
      if (Date.now() - start > 10_000) throw new Error(`no start: ${out}`)
      await new Promise((r) => setTimeout(r, 20))
    }
    const port = /on port (\d+)/.exec(out)![1]
    const py = await runPython('adder_client.py', ['--port', port, '--name', 'py-cli', '--script', 'a,q'])
    expect(py.code).toBe(0)
    const exited = new Promise<number | null>((r) => server!.on('exit', (code) => r(code)))
    server.kill('SIGINT')
    expect(await exited).toBe(0)
    expect(out).toContain('Connection initiated by py-cli')
    server = null
  })
})
