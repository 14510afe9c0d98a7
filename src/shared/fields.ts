// The words for every field a command takes, written once for the host (which words its errors), the
// renderer (which checks the forms before sending) and the check texts: each field's label in the app and
// its flag in the command line. Settings take theirs from the settings table.

import type { CommandName } from './contract'
import { LIMIT_SETTINGS, WIRE_SETTINGS, type SettingDescriptor } from './settings'

const SETTINGS = [...Object.entries(WIRE_SETTINGS), ...Object.entries(LIMIT_SETTINGS)] as [string, SettingDescriptor][]

/** Words for every form field that is not a setting (the settings' own labels come from their table). */
const FORM_LABELS: Readonly<Record<string, string>> = {
  host: 'Host',
  port: 'Port',
  localPort: 'Own port',
  oneAtATime: 'Mode',
  setSize: 'Own set size',
  name: 'Client name',
  ack: 'Acknowledgement',
  numbers: 'List',
  count: 'N',
  size: 'Set size',
  command: 'Command',
  thinkMs: 'Pause',
  baseName: 'Base name',
  interface: 'Interface',
  question: 'Question',
  cwd: 'Folder',
  connections: 'Clients to grade',
  timeoutS: 'Wait at most',
  roster: 'Roster',
  csv: 'Roster',
  maxMB: 'Largest capture',
}

/** Where one command's form calls a field otherwise (the Check page's tabs, the server's Listen on). */
const COMMAND_LABELS: Partial<Record<CommandName, Readonly<Record<string, string>>>> = {
  serverStart: { host: 'Listen on' },
  manyClientsStart: { count: 'Clients' },
  checkServer: { host: 'Server address' },
  checkClient: { port: 'Serve on port' },
  checkProgram: { connections: 'Times to start it', timeoutS: 'Time limit' },
}

/** Words for every field name the host may return, for error messages. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  ...FORM_LABELS,
  ...Object.fromEntries(SETTINGS.map(([k, d]) => [k, d.label])),
}

/** The label of a field as the control of that command's form shows it. */
export function fieldLabel(field: string, command?: CommandName): string {
  return (command && COMMAND_LABELS[command]?.[field]) ?? FIELD_LABELS[field] ?? field
}

/** Where the command line's flag is not the field's name in kebab case. */
const FLAGS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(SETTINGS.map(([k, d]) => [k, d.flag])),
  timeoutS: 'timeout',
  maxMB: 'max-size',
}

/** The command line's option for a field: `--local-port`, `--pace`, `--timeout`. */
export function cliFlag(field: string): string {
  return `--${FLAGS[field] ?? field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
}

/**
 * One sentence naming the field and what is wrong with it: `Port must be 0 to 65535.`, `Command: at most
 * 200 words.` A problem that starts with a verb follows the label; any other follows a colon.
 */
export function fieldSentence(label: string, problem: string): string {
  const joined = /^(must|is|cannot|has) /.test(problem) ? `${label} ${problem}` : `${label}: ${problem}`
  return sentence(joined)
}

/** A message as a sentence: a capital first, a full stop last (unless it ends in one already). */
export function sentence(text: string): string {
  const t = text.trim()
  const capital = t.charAt(0).toUpperCase() + t.slice(1)
  return /[.!?]["”)]?$/.test(capital) ? capital : `${capital}.`
}
