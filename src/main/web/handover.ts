// How browser mode signs in the browser it opens without putting a secret on a command line (every
// local user can read /proc/*/cmdline of the opener and of the browser it starts): a small page in a
// private folder (0700, the file 0600) that posts a one-time code to the server as soon as it loads.
// Only the file's path is on the command line; the file is removed as soon as a browser has signed in,
// and in any case when SocketLab stops.

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Handover {
  /** The page to open (a path, not a URL: that is what every system's opener takes). */
  file: string
  /** Remove the page and its folder (safe to call more than once). */
  remove(): Promise<void>
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** The page: a POST, so the code is in no URL; a button too, for a browser with scripts off. */
export function handoverHtml(origin: string, code: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><meta charset="utf-8"><title>Opening SocketLab…</title>',
    `<form method="post" action="${escapeHtml(origin)}/login">`,
    `<input type="hidden" name="code" value="${escapeHtml(code)}">`,
    '<p>Opening SocketLab… <button type="submit">Open SocketLab</button></p>',
    '</form>',
    '<script>document.forms[0].submit()</script>',
    '</html>',
    '',
  ].join('\n')
}

export async function writeHandover(origin: string, code: string): Promise<Handover> {
  // mkdtemp makes the folder 0700: no other user can list or open what is inside.
  const dir = await mkdtemp(join(tmpdir(), 'socketlab-'))
  const file = join(dir, 'open-socketlab.html')
  await writeFile(file, handoverHtml(origin, code), { mode: 0o600, flag: 'wx' })
  let removed = false
  return {
    file,
    remove: async () => {
      if (removed) return
      removed = true
      await rm(dir, { recursive: true, force: true }).catch(() => undefined)
    },
  }
}
