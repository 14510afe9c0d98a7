// Start a student server from test/peers/students on a free port and wait until it listens, judged by
// a `listening` probe that reads the kernel's socket table (never a connection: a fragile server would
// choke on a probe). A port taken between choosing it and the bind is simply chosen again.

import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

export async function startStudentServer(
  students: string,
  script: string,
  children: ChildProcess[],
  freePort: () => Promise<number>,
  listening: (port: number) => boolean,
): Promise<number> {
  const port = await freePort()
  const child = spawn('python3', [join(students, script), String(port)], { stdio: ['ignore', 'ignore', 'pipe'] })
  children.push(child)
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += d))
  const start = Date.now()
  while (!listening(port)) {
    if (child.exitCode !== null) {
      if (/Address already in use/.test(stderr)) return startStudentServer(students, script, children, freePort, listening)
      throw new Error(`${script} exited: ${stderr}`)
    }
    if (Date.now() - start > 20_000) throw new Error(`${script} did not listen on ${port}: ${stderr}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return port
}
