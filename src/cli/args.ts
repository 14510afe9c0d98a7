// A small, strict argument reader: `--key value`, `--key=value` and boolean flags. Unknown options
// and missing values are usage errors with a plain message, never a stack trace.

export class UsageError extends Error {}

export interface OptionSpec {
  /** Takes a value (otherwise a boolean flag). */
  value?: boolean
}

export interface ParsedArgs {
  positional: string[]
  options: Map<string, string | true>
}

export function parseArgs(argv: readonly string[], spec: Record<string, OptionSpec>): ParsedArgs {
  const positional: string[] = []
  const options = new Map<string, string | true>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(arg)
      continue
    }
    const eq = arg.indexOf('=')
    const name = arg.slice(2, eq > 0 ? eq : undefined)
    const known = spec[name]
    if (!known) throw new UsageError(`unknown option --${name}`)
    if (!known.value) {
      if (eq > 0) throw new UsageError(`--${name} takes no value`)
      options.set(name, true)
      continue
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i]
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`)
    options.set(name, value)
  }
  return { positional, options }
}

export function text(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name)
  return typeof v === 'string' ? v : undefined
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options.get(name) === true
}

/** A whole number option within bounds, or a usage error that says which option and why. */
export function integer(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const v = text(args, name)
  if (v === undefined) return undefined
  if (!/^\d+$/.test(v.trim())) throw new UsageError(`--${name} must be a whole number, got ${JSON.stringify(v)}`)
  const n = Number(v)
  if (n < min || n > max) throw new UsageError(`--${name} must be from ${min} to ${max}, got ${n}`)
  return n
}

export function oneOf<T extends string>(args: ParsedArgs, name: string, allowed: Record<string, T>): T | undefined {
  const v = text(args, name)
  if (v === undefined) return undefined
  const hit = allowed[v]
  if (hit === undefined)
    throw new UsageError(`--${name} must be one of ${Object.keys(allowed).join(', ')}, got ${JSON.stringify(v)}`)
  return hit
}

/** `1,5,5,9` → [1, 5, 5, 9]. */
export function numberList(args: ParsedArgs, name: string): number[] | undefined {
  const v = text(args, name)
  if (v === undefined) return undefined
  const parts = v.split(/[\s,]+/).filter(Boolean)
  if (!parts.length) throw new UsageError(`--${name} needs numbers, e.g. --${name} 1,5,5,9`)
  return parts.map((p) => {
    if (!/^-?\d+$/.test(p)) throw new UsageError(`--${name}: ${JSON.stringify(p)} is not a whole number`)
    return Number(p)
  })
}
