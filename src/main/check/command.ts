// Run my program, before anything starts: the argv the app sent is checked strictly (shell syntax is
// refused, see src/shared/command-line.ts), its program must be one on this machine (a path to an
// executable file, or a name on PATH), the working folder must exist, and a script given to an
// interpreter (`python3 client.py`) must be there. Each problem is one clear error with the field it
// belongs next to, so a typo never reaches a spawn that would fail with a bare ENOENT.

import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, isAbsolute, join, resolve } from 'node:path'
import { commandProblem } from '@shared/command-line'
import { UserError } from '../errors'

export interface ResolvedCommand {
  argv: string[]
  /** Absolute working folder the program starts in. */
  cwd: string
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false
    if (process.platform !== 'win32') accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Where `name` is on PATH (with Windows' extensions), or null. */
export function findOnPath(name: string, path = process.env.PATH ?? ''): string | null {
  const exts = process.platform === 'win32' ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : ['']
  for (const dir of path.split(delimiter)) {
    if (!dir) continue
    for (const ext of exts) {
      const candidate = join(dir, name + ext)
      if (isExecutableFile(candidate)) return candidate
    }
  }
  return null
}

const INTERPRETERS = /^(python[0-9.]*|py|node|ruby|perl|bash|sh)(\.exe)?$/i

/** Check a command and its working folder; throws a UserError naming the field (`command`, `cwd`). */
export function resolveCommand(argv: readonly string[], cwd?: string): ResolvedCommand {
  const problem = commandProblem(argv)
  if (problem) throw new UserError(`Command: ${problem}.`, 'command')
  const dir = cwd && cwd.trim() ? resolve(cwd.trim()) : process.cwd()
  let isDir = false
  try {
    isDir = statSync(dir).isDirectory()
  } catch {
    isDir = false
  }
  if (!isDir) throw new UserError(`Folder: ${dir} is not a folder on this machine.`, 'cwd')
  const program = argv[0]
  const hasPath = program.includes('/') || program.includes('\\')
  if (hasPath) {
    const full = isAbsolute(program) ? program : resolve(dir, program)
    if (!isExecutableFile(full))
      throw new UserError(
        `Command: there is no program at ${full}${statSafe(full) ? ' that can be run (is it executable? try python3 before it)' : ''}.`,
        'command',
      )
  } else if (!findOnPath(program)) {
    throw new UserError(
      `Command: unknown command "${program.slice(0, 40)}": there is no such program on this machine (is it python3?).`,
      'command',
    )
  }
  const base = program.split(/[\\/]/).pop() ?? program
  const script = argv[1]
  if (INTERPRETERS.test(base) && script && !script.startsWith('-') && /\.(py|js|rb|pl|sh)$/i.test(script)) {
    const full = isAbsolute(script) ? script : resolve(dir, script)
    if (!statSafe(full))
      throw new UserError(`Command: ${script} is not in ${dir}: give its full path, or the folder it is in.`, 'command')
  }
  return { argv: [...argv], cwd: dir }
}

function statSafe(path: string): boolean {
  try {
    statSync(path)
    return true
  } catch {
    return false
  }
}
