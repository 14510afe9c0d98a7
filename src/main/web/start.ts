// Entry of browser mode: `npm run start:web`, or `npm start` where the Electron runtime is missing.
// Starts the host and the loopback web server, prints the URL and opens the system browser if any.

import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Host } from '../host/host'
import { startWebServer } from './server'

const here = dirname(fileURLToPath(import.meta.url))

function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open'
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url]
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true })
    child.on('error', () => console.log('(No system browser found: open the address above yourself.)'))
    child.unref()
  } catch {
    console.log('(No system browser found: open the address above yourself.)')
  }
}

async function main(): Promise<void> {
  const host = new Host()
  const port = Number(process.env.SOCKETLAB_WEB_PORT ?? 0)
  const web = await startWebServer(host, {
    staticDir: join(here, '../renderer'),
    port,
    token: process.env.SOCKETLAB_WEB_TOKEN || undefined,
  })
  console.log(`SocketLab is running in browser mode at:\n\n  ${web.url}\n`)
  console.log('Keep this terminal open; press Ctrl+C to stop every server and client.')
  if (!process.argv.includes('--no-open') && !process.env.CI) openBrowser(web.url)
  const stop = async (): Promise<void> => {
    await host.close()
    await web.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
}

main().catch((err: unknown) => {
  console.error(`SocketLab could not start browser mode: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
