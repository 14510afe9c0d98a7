// The CLI's wire and limit options, generated from the one settings table (src/shared/settings.ts):
// the flags, their parsing with bounds and choices, and the help lines. A bound or default changed
// there is changed here, in the app's forms and in the host's validation at once.

import {
  LIMIT_SETTINGS,
  WIRE_SETTINGS,
  formatSetting,
  type ServerLimits,
  type SettingDescriptor,
  type WireSettings,
} from '@shared/settings'
import { integer, oneOf, type OptionSpec, type ParsedArgs } from './args'

type Side = 'server' | 'client'

function applies(d: SettingDescriptor, side: Side): boolean {
  return d.side === 'both' || d.side === side
}

/** The option specs of the settings one side uses. */
export function settingOptions(side: Side, withLimits: boolean): Record<string, OptionSpec> {
  const out: Record<string, OptionSpec> = {}
  for (const d of Object.values(WIRE_SETTINGS) as SettingDescriptor[]) if (applies(d, side)) out[d.flag] = { value: true }
  if (withLimits) for (const d of Object.values(LIMIT_SETTINGS) as SettingDescriptor[]) out[d.flag] = { value: true }
  return out
}

function read(args: ParsedArgs, d: SettingDescriptor): number | string | undefined {
  if (d.kind === 'integer') return integer(args, d.flag, d.min, d.max)
  const allowed: Record<string, string> = {}
  for (const c of d.choices) for (const word of c.cli) allowed[word] = c.value
  return oneOf(args, d.flag, allowed)
}

function collect<T>(args: ParsedArgs, table: Record<string, SettingDescriptor>, side: Side): Partial<T> {
  const out: Record<string, unknown> = {}
  for (const [key, d] of Object.entries(table)) {
    if (!applies(d, side)) continue
    const v = read(args, d)
    if (v !== undefined) out[key] = v
  }
  return out as Partial<T>
}

export function wireOf(args: ParsedArgs, side: Side): Partial<WireSettings> {
  return collect<WireSettings>(args, WIRE_SETTINGS as unknown as Record<string, SettingDescriptor>, side)
}

export function limitsOf(args: ParsedArgs): Partial<ServerLimits> {
  return collect<ServerLimits>(args, LIMIT_SETTINGS as unknown as Record<string, SettingDescriptor>, 'server')
}

function helpLine(d: SettingDescriptor): string {
  const value = d.kind === 'integer' ? d.unit.toUpperCase().replace('LINES/S', 'N').replace('CONNECTIONS', 'N') : 'X'
  const choices = d.kind === 'choice' ? ` (${d.choices.map((c) => c.cli[0]).join(', ')})` : ''
  const def = d.kind === 'integer' ? formatSetting(d, d.default) : d.choices.find((c) => c.value === d.default)!.cli[0]
  const head = `  --${d.flag} ${value}`.padEnd(30)
  return `${head}${d.label}${choices}, default ${def}.\n${' '.repeat(30)}${d.help.replace(/`/g, '')}`
}

/** Help lines for the wire settings (each says which side uses it). */
export function wireHelp(): string {
  return (Object.values(WIRE_SETTINGS) as SettingDescriptor[]).map(helpLine).join('\n')
}

/** Help lines for a server's limits. */
export function limitsHelp(): string {
  return (Object.values(LIMIT_SETTINGS) as SettingDescriptor[]).map(helpLine).join('\n')
}
