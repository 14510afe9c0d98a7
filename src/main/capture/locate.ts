// Finding tshark: `SOCKETLAB_TSHARK` when set, then the PATH, then the folders the OS's installers use
// (os/*.ts). Nothing is run here; a file that exists and may be executed is enough.

import { accessSync, constants } from 'node:fs'
import path from 'node:path'
import type { Platform } from './filters'
import { osCapture } from './os'

function executable(file: string, platform: Platform): boolean {
  try {
    accessSync(file, platform === 'win32' ? constants.F_OK : constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Where installers put tshark when it is not on the PATH. */
export function commonLocations(platform: Platform, env: NodeJS.ProcessEnv = process.env): string[] {
  return osCapture(platform, 'other').locations(env)
}

/** tshark's full path: `SOCKETLAB_TSHARK`, then the PATH, then the usual install folders; null when absent. */
export function findTshark(env: NodeJS.ProcessEnv = process.env, platform: Platform = process.platform): string | null {
  const forced = env.SOCKETLAB_TSHARK
  if (forced) return executable(forced, platform) ? forced : null
  const p = platform === 'win32' ? path.win32 : path.posix
  const name = osCapture(platform, 'other').executable
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':').filter(Boolean)
  for (const dir of dirs) {
    // Windows PATH entries may be quoted.
    const clean = dir.length > 1 && dir.startsWith('"') && dir.endsWith('"') ? dir.slice(1, -1) : dir
    const file = p.join(clean, name)
    if (executable(file, platform)) return file
  }
  for (const file of commonLocations(platform, env)) if (executable(file, platform)) return file
  return null
}
