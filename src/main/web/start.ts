// Entry of browser mode: `npm run start:web`, or `npm start` where the Electron window cannot open.
// Starts the host and the loopback web server, prints a one-time sign-in address and opens the
// system browser (through a private file, so no secret is on a command line: see handover.ts).
// On Ctrl+C (or a closed terminal) it tells every open page that it stopped, then stops every server
// and client. Environment: SOCKETLAB_WEB_PORT (default 0: any free port), SOCKETLAB_BROWSER (a
// command to open the page with instead of the system's opener), CI or --no-open (open nothing).

import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Host } from '../host/host'
import { writeHandover, type Handover } from './handover'
import { startWebServer } from './server'

const here = dirname(fileURLToPath(import.meta.url))
/** An opener that fails this soon found no browser; later exits are the browser's own business. */
const OPENER_FAILS_WITHIN_MS = 10_000
/** A stop that hangs (a peer that never lets go) still ends the process. */
const STOP_DEADLINE_MS = 5_000

const NO_BROWSER = '(No web browser could be opened here: open the address above in one yourself.)'

function openerFor(file: string): [string, string[]] {
  const custom = process.env.SOCKETLAB_BROWSER
  if (custom) return [custom, [file]]
  if (process.platform === 'darwin') return ['open', [file]]
  if (process.platform === 'win32') return ['cmd', ['/c', 'start', '', file]]
  return ['xdg-open', [file]]
}

function openBrowser(file: string): void {
  const [command, args] = openerFor(file)
  const startedAt = Date.now()
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true })
    child.on('error', () => console.log(NO_BROWSER))
    child.on('exit', (code) => {
      if (code !== 0 && Date.now() - startedAt < OPENER_FAILS_WITHIN_MS) console.log(NO_BROWSER)
    })
    child.unref()
  } catch {
    console.log(NO_BROWSER)
  }
}

async function main(): Promise<void> {
  const host = new Host()
  const port = Number(process.env.SOCKETLAB_WEB_PORT ?? 0)
  let handover: Handover | null = null
  const web = await startWebServer(host, {
    staticDir: join(here, '../renderer'),
    port,
    onLocked: () =>
      console.log(
        `\nA browser asked for SocketLab without being signed in. To sign it in, open (works once):\n\n  ${web.signInUrl()}\n`,
      ),
    // The opened browser is in (or the student used the printed address): the file has done its job.
    onSignIn: () => void handover?.remove(),
  })
  console.log(
    'SocketLab is running in browser mode. Open this address in a web browser on this machine\n' +
      '(it signs that browser in and works once; reloads and new tabs need nothing more):\n\n' +
      `  ${web.signInUrl()}\n`,
  )
  console.log('Keep this terminal open; press Ctrl+C to stop every server and client.')
  if (!process.argv.includes('--no-open') && !process.env.CI) {
    try {
      handover = await writeHandover(web.origin, web.issueCode())
      console.log('Opening SocketLab in your web browser…')
      openBrowser(handover.file)
    } catch (err) {
      console.log(`(Could not prepare the browser's sign-in: ${err instanceof Error ? err.message : String(err)}.)`)
      console.log(NO_BROWSER)
    }
  }

  let stopping = false
  const stop = async (): Promise<void> => {
    if (stopping) return
    stopping = true
    setTimeout(() => process.exit(0), STOP_DEADLINE_MS).unref()
    // The pages first, so they say "stopped" instead of watching their servers vanish one by one.
    await web.close()
    await host.close()
    await handover?.remove()
    console.log('SocketLab stopped.')
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
  if (process.platform !== 'win32') process.once('SIGHUP', () => void stop())
}

main().catch((err: unknown) => {
  console.error(`SocketLab could not start browser mode: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
