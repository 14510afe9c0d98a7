// Run the student-style Python peers of test/peers as real processes.

import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

const PEERS = join(__dirname, '..', 'peers')

export interface PythonRun {
  code: number | null
  stdout: string
  stderr: string
}

function collect(child: ChildProcess): { out: () => string; err: () => string } {
  let out = ''
  let err = ''
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
  return { out: () => out, err: () => err }
}

/** Run a Python client to completion (bounded by timeoutMs). */
export function runPython(script: string, args: string[], timeoutMs = 20_000, input?: string): Promise<PythonRun> {
  return new Promise((resolve) => {
    const child = spawn('python3', [join(PEERS, script), ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
    const io = collect(child)
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    if (input !== undefined) child.stdin?.end(input)
    else child.stdin?.end()
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout: io.out(), stderr: io.err() })
    })
  })
}

export interface PythonServer {
  port: number
  output(): string
  stop(): Promise<void>
}

/** Start a Python server on a free port; resolves once it prints `listening on <port>`. */
export function startPythonServer(script: string, args: string[] = []): Promise<PythonServer> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [join(PEERS, script), '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    const io = collect(child)
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${script} did not start: ${io.out()} ${io.err()}`))
    }, 10_000)
    child.stdout?.on('data', () => {
      const m = /listening on (\d+)/.exec(io.out())
      if (!m) return
      clearTimeout(timer)
      resolve({
        port: Number(m[1]),
        output: () => io.out() + io.err(),
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done()
            child.once('close', () => done())
            child.kill('SIGTERM')
          }),
      })
    })
    child.on('error', reject)
  })
}
