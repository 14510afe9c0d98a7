// Peer text, handled in linear time. Every function here walks its input once with plain loops (no
// regular expression with unbounded repeats runs over peer input: one 64 KiB message of spaces must cost
// microseconds, not seconds), and bounds what it returns, so a peer's text can never flood a console
// line, a result or a batch.

/** What naive peers leave around a message: spaces, tabs, `\r`, `\n`, `\0` (and other ASCII spaces). */
export function isBlank(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0x00 || code === 0xa0
}

/** Strip leading and trailing blanks, in one pass from each end. */
export function clean(text: string): string {
  let start = 0
  let end = text.length
  while (start < end && isBlank(text.charCodeAt(start))) start++
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--
  return start === 0 && end === text.length ? text : text.slice(start, end)
}

/** The most peer text any console line, result or batch field carries (the traffic log keeps the bytes). */
export const MAX_SHOWN = 200

/** Peer text cut to `max` characters with an ellipsis, for a console line. */
export function shorten(text: string, max = MAX_SHOWN): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}

/** Show a peer's text in an error line without letting it flood or break the line. */
export function quote(text: string, max = 40): string {
  return JSON.stringify(shorten(text, max))
}

/** Any ASCII digit? */
export function hasDigit(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0x30 && c <= 0x39) return true
  }
  return false
}

/** Text with no digit, no bracket and no control byte: an acknowledgement or greeting, never a list. */
export function isPlainText(text: string): boolean {
  let any = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if ((c >= 0x30 && c <= 0x39) || c === 0x5b || c === 0x5d || c === 0x28 || c === 0x29 || c === 0x7b || c === 0x7d) return false
    // Raw bytes (`bytes([1, 5])`) are a list, not words.
    if (((c < 0x20 && !isBlank(c)) || c === 0x7f) && c !== 0x00) return false
    if (!isBlank(c)) any = true
  }
  return any
}

/** Starts with `prefix`, ignoring leading blanks and case (`error:` replies, `q`). */
export function startsWithWord(text: string, prefix: string): boolean {
  let i = 0
  while (i < text.length && isBlank(text.charCodeAt(i))) i++
  return text.slice(i, i + prefix.length).toLowerCase() === prefix
}

/**
 * Text safe to write to a terminal: control characters (C0, DEL, C1), escape sequences and the Unicode
 * controls that can fake or reorder a line (bidi overrides, zero-width marks, line separators) shown as
 * visible escapes. `\t` stays a tab. A classmate's server can then not clear the screen, set the window
 * title, write the clipboard (OSC 52) or overwrite a line with `\r`.
 */
export function visible(text: string): string {
  let out = ''
  let from = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const shown = escapeOf(c)
    if (shown === null) continue
    out += text.slice(from, i) + shown
    from = i + 1
  }
  return from === 0 ? text : out + text.slice(from)
}

function escapeOf(c: number): string | null {
  if (c === 0x09) return null
  if (c === 0x0a) return '\\n'
  if (c === 0x0d) return '\\r'
  if (c === 0x00) return '\\0'
  if (c === 0x1b) return '\\e'
  if (c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f)) return `\\x${c.toString(16).padStart(2, '0')}`
  // Bidi embeddings/overrides/isolates, zero-width and line/paragraph separators, the BOM.
  if (
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x2028 && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2069) ||
    c === 0xfeff ||
    c === 0x061c
  )
    return `\\u{${c.toString(16)}}`
  return null
}
