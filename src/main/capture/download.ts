// A prepared capture file streamed as an HTTP download, for browser mode: the browser saves it as it
// arrives and neither side ever holds the whole file. The web server only routes the request here
// (after its own token check); this file knows which files exist and how to send one.

import { createReadStream } from 'node:fs'
import type { ServerResponse } from 'node:http'
import type { CaptureService } from './service'

/** The URL path of a prepared file: `/capture-file/<fileId>` (the web server adds its token check). */
export const DOWNLOAD_PREFIX = '/capture-file/'

/** Send the file named by `fileId` (its size as prepared), or a plain 404 when there is no such file. */
export function sendCaptureFile(
  capture: Pick<CaptureService, 'fileFor'>,
  fileId: string,
  res: ServerResponse,
  head = false,
): void {
  const f = /^[0-9a-f]{24}$/.test(fileId) ? capture.fileFor?.(fileId) : undefined
  if (!f) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('That file is not ready any more: save it again.\n')
    return
  }
  res.writeHead(200, {
    'Content-Type': f.mime,
    'Content-Length': String(f.size),
    // Our own file names: letters, digits, dashes and dots only.
    'Content-Disposition': `attachment; filename="${f.filename.replace(/[^\w.-]/g, '_')}"`,
    'Cache-Control': 'no-store',
  })
  if (head || f.size === 0) {
    res.end()
    return
  }
  const stream = createReadStream(f.path, { start: 0, end: f.size - 1 })
  stream.on('error', () => res.destroy())
  res.on('close', () => stream.destroy())
  stream.pipe(res)
}
