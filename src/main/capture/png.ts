// The ladder diagram as a PNG, for the evidence bundle: the SVG drawn by a real Chromium (through
// playwright-core, when it is installed, and a Chromium it can start: SOCKETLAB_CHROMIUM, the system's
// chromium, or Playwright's own). Where there is none, the answer says so plainly and the bundle keeps
// the SVG, which every browser opens.

import { existsSync } from 'node:fs'

export type PngResult = { ok: true; png: Buffer } | { ok: false; reason: string }

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
]

/** A Chromium to draw with: SOCKETLAB_CHROMIUM, else a usual install path; undefined lets Playwright pick its own. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.SOCKETLAB_CHROMIUM) return env.SOCKETLAB_CHROMIUM
  return CANDIDATES.find((p) => existsSync(p))
}

interface Chromium {
  launch(o: { executablePath?: string; headless: boolean; args?: string[] }): Promise<{
    newPage(o: { viewport: { width: number; height: number }; deviceScaleFactor: number }): Promise<{
      setContent(html: string): Promise<void>
      screenshot(o: { fullPage: boolean; type: 'png' }): Promise<Buffer>
    }>
    close(): Promise<void>
  }>
}

/** Render a standalone SVG (its width and height in px) to PNG; never throws. */
export async function svgToPng(svg: string, width: number, height: number, timeoutMs = 30_000): Promise<PngResult> {
  let chromium: Chromium
  try {
    const name = 'playwright-core'
    chromium = ((await import(/* @vite-ignore */ name)) as { chromium: Chromium }).chromium
  } catch {
    return { ok: false, reason: 'the PNG needs playwright-core and a Chromium, and playwright-core is not installed here' }
  }
  let browser: Awaited<ReturnType<Chromium['launch']>> | undefined
  let timer: NodeJS.Timeout | undefined
  let launched: Promise<typeof browser> = Promise.resolve(undefined)
  try {
    const work = (async () => {
      launched = chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox'] })
      const b = await launched
      browser = b
      const page = await b!.newPage({ viewport: { width, height: Math.min(height, 16_000) }, deviceScaleFactor: 1 })
      const body = svg.replace(/^<\?xml[^>]*>\s*/, '')
      await page.setContent(`<!DOCTYPE html><html><body style="margin:0;background:#fff">${body}</body></html>`)
      return page.screenshot({ fullPage: true, type: 'png' })
    })()
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Chromium did not draw the PNG within ${timeoutMs / 1000} s`)), timeoutMs)
    })
    return { ok: true, png: await Promise.race([work, timeout]) }
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err)
    return { ok: false, reason: `Chromium could not draw the PNG (${message})` }
  } finally {
    clearTimeout(timer)
    if (browser) await browser.close().catch(() => undefined)
    // Timed out while Chromium was still starting: close it once it has.
    else void launched.then((b) => b?.close()).catch(() => undefined)
  }
}
