// Run my program: the command a student types (`python3 client.py 127.0.0.1 {port}`) as an argv array,
// and what is wrong with one. SocketLab starts the program without a shell, so nothing in the command is
// interpreted: quotes only group words, and shell syntax (`|`, `>`, `&&`, `$(…)`) would reach the program
// as plain arguments; it is refused with a clear error instead of being passed on silently. The renderer
// splits and checks what was typed (the error goes next to the field); the host checks the argv again,
// since the renderer is not trusted. One pass over the text: linear.

export const COMMAND_MAX_ARGS = 64
export const COMMAND_MAX_ARG_LENGTH = 1000

/** Words that mean something to a shell only. */
const SHELL_WORDS = new Set(['|', '||', '&', '&&', ';', ';;', '>', '>>', '<', '<<', '2>', '2>>', '&>', '2>&1', '>&2', '|&'])

export type CommandCheck = { ok: true; argv: string[] } | { ok: false; error: string }

/** Split a typed command into words: spaces separate, `"…"` and `'…'` group (no escapes, no expansion). */
export function splitCommandLine(text: string): CommandCheck {
  const argv: string[] = []
  let word = ''
  let inWord = false
  let quote: '"' | "'" | null = null
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null
      else word += ch
      continue
    }
    if (ch === '"' || ch === "'") {
      quote = ch
      inWord = true
    } else if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      if (inWord) argv.push(word)
      word = ''
      inWord = false
    } else {
      word += ch
      inWord = true
    }
  }
  if (quote) return { ok: false, error: `a ${quote === '"' ? 'double' : 'single'} quote is never closed` }
  if (inWord) argv.push(word)
  const problem = commandProblem(argv)
  return problem ? { ok: false, error: problem } : { ok: true, argv }
}

/** What is wrong with an argv as a command SocketLab can start, or null. */
export function commandProblem(argv: readonly string[]): string | null {
  if (argv.length === 0 || argv[0].trim() === '')
    return 'type the command that starts your program, e.g. python3 client.py 127.0.0.1 {port}'
  if (argv.length > COMMAND_MAX_ARGS) return `at most ${COMMAND_MAX_ARGS} words`
  for (const a of argv) {
    if (a.length > COMMAND_MAX_ARG_LENGTH) return `a word is longer than ${COMMAND_MAX_ARG_LENGTH} characters`
    if (a.includes('\0')) return 'the command holds a NUL character'
    if (SHELL_WORDS.has(a))
      return `"${a}" is shell syntax: SocketLab starts your program itself, without a shell, so it would reach your program as an argument; remove it`
    if (a.includes('$(') || a.includes('`'))
      return `"${a.slice(0, 40)}" is a shell substitution: SocketLab runs no shell; write the value itself`
  }
  const program = argv[0]
  for (const ch of '|&;<>$*?')
    if (program.includes(ch))
      return `"${program.slice(0, 40)}" is not a program name: the first word is the program to start (python3), without shell syntax`
  return null
}

/** The argv as a student reads it again: words with a space or a quote in them quoted. */
export function joinCommandLine(argv: readonly string[]): string {
  return argv.map((a) => (a === '' || /[\s"']/.test(a) ? (a.includes('"') ? `'${a}'` : `"${a}"`) : a)).join(' ')
}
