// Run my program's command: split as typed (quotes group, nothing is expanded), shell syntax refused with
// a clear error, and the host's own check of the argv (a program on this machine, the script there, the
// folder there), each error naming its field.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { commandProblem, joinCommandLine, splitCommandLine } from '@shared/command-line'
import { findOnPath, resolveCommand } from '../../src/main/check/command'
import { UserError } from '../../src/main/errors'

const dir = mkdtempSync(join(tmpdir(), 'socketlab-command-'))
writeFileSync(join(dir, 'client.py'), 'print("hi")\n')
writeFileSync(join(dir, 'notes.txt'), 'not a program\n')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function errorOf(f: () => unknown): { message: string; field?: string } {
  try {
    f()
  } catch (err) {
    if (err instanceof UserError) return { message: err.message, field: err.field }
    throw err
  }
  throw new Error('no error')
}

describe('splitting a typed command', () => {
  it('splits on spaces; quotes group words and are not kept; nothing is expanded', () => {
    expect(splitCommandLine('python3 client.py 127.0.0.1 {port}')).toEqual({
      ok: true,
      argv: ['python3', 'client.py', '127.0.0.1', '{port}'],
    })
    expect(splitCommandLine('  python3   "my client.py"  \'$HOME\' ')).toEqual({
      ok: true,
      argv: ['python3', 'my client.py', '$HOME'],
    })
    expect(splitCommandLine('python3 ""')).toEqual({ ok: true, argv: ['python3', ''] })
    expect(joinCommandLine(['python3', 'my client.py', ''])).toBe('python3 "my client.py" ""')
  })

  it('refuses what a shell would interpret, with the reason', () => {
    expect(splitCommandLine('')).toMatchObject({ ok: false, error: expect.stringMatching(/type the command/) })
    expect(splitCommandLine('python3 "client.py')).toEqual({ ok: false, error: 'a double quote is never closed' })
    expect(splitCommandLine('python3 c.py > out.txt')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/">" is shell syntax/),
    })
    expect(splitCommandLine('python3 c.py && rm x')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/"&&" is shell syntax/),
    })
    expect(splitCommandLine('python3 $(whoami).py')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/shell substitution/),
    })
    expect(splitCommandLine('py*thon c.py')).toMatchObject({ ok: false, error: expect.stringMatching(/not a program name/) })
    // Inside quotes the same characters are plain text: a `>` in an argument is passed as it is.
    expect(splitCommandLine('python3 c.py "a > b"')).toEqual({ ok: true, argv: ['python3', 'c.py', 'a > b'] })
    expect(commandProblem(Array(65).fill('x'))).toBe('at most 64 words')
    expect(commandProblem(['python3', 'x'.repeat(1001)])).toMatch(/longer than 1000 characters/)
    expect(commandProblem(['python3', 'a\0b'])).toMatch(/NUL/)
  })

  it('is linear on a huge line', () => {
    const t = Date.now()
    expect(splitCommandLine(`python3 ${'"'.repeat(1)}${'x '.repeat(1_000_000)}`).ok).toBe(false)
    splitCommandLine('a '.repeat(1_000_000))
    // A quadratic reader would take minutes on this input; the bound leaves room for a loaded machine.
    expect(Date.now() - t).toBeLessThan(20_000)
  })
})

describe('the host checks the argv', () => {
  it('finds a program on PATH, and the script in the folder', () => {
    expect(findOnPath('python3')).toMatch(/python3$/)
    expect(findOnPath('no-such-program-socketlab')).toBeNull()
    expect(resolveCommand(['python3', 'client.py', '127.0.0.1', '{port}'], dir)).toEqual({
      argv: ['python3', 'client.py', '127.0.0.1', '{port}'],
      cwd: dir,
    })
  })

  it('names what is wrong, next to the field it belongs to', () => {
    expect(errorOf(() => resolveCommand([], dir))).toMatchObject({
      field: 'command',
      message: expect.stringMatching(/type the command/),
    })
    expect(errorOf(() => resolveCommand(['pyhton3', 'client.py'], dir))).toEqual({
      field: 'command',
      message: 'Command: unknown command "pyhton3": there is no such program on this machine (is it python3?).',
    })
    expect(errorOf(() => resolveCommand(['python3', 'server.py'], dir)).message).toBe(
      `Command: server.py is not in ${dir}: give its full path, or the folder it is in.`,
    )
    expect(errorOf(() => resolveCommand(['./notes.txt'], dir)).message).toMatch(/no program at .*notes\.txt that can be run/)
    expect(errorOf(() => resolveCommand(['python3', 'client.py'], join(dir, 'nope')))).toMatchObject({
      field: 'cwd',
      message: expect.stringMatching(/is not a folder on this machine/),
    })
    expect(errorOf(() => resolveCommand(['python3', 'client.py', ';', 'ls'], dir)).message).toMatch(/";" is shell syntax/)
  })
})
