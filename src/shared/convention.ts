// A peer's detected convention in words, for the panes and the CLI: "ends its messages with \n; lists
// as a pickle (protocol 4)". The fact travels as fields (contract `Convention`); only the edges that
// show it compose these words.

import type { Convention } from './contract'

const ENDINGS: Record<Convention['terminator'], string> = {
  none: 'no line ending',
  lf: 'each message ends with \\n',
  crlf: 'each message ends with \\r\\n',
  nul: 'each message ends with \\0',
}

const ENCODINGS: Record<NonNullable<Convention['encoding']>, string> = {
  text: 'lists as text [3, 14]',
  json: 'lists as JSON',
  pickle: 'lists as a pickle',
  raw: 'lists as raw bytes',
}

export function describeConvention(c: Convention): string {
  const parts = [ENDINGS[c.terminator]]
  if (c.encoding) {
    const protocol = c.encoding === 'pickle' && c.pickleProtocol !== undefined ? ` (protocol ${c.pickleProtocol})` : ''
    parts.push(ENCODINGS[c.encoding] + protocol)
  }
  return parts.join('; ')
}
