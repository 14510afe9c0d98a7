// Small formatting helpers shared by the views.

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} kB`
  return `${(n / (1024 * 1024)).toFixed(1)} MB`
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

/** 14:03:07.412 */
export function formatTime(t: number): string {
  const d = new Date(t)
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
}

/** 0.4 s, 12 s, 3 min 4 s, 2 h 10 min */
export function formatAge(ms: number): string {
  const s = Math.max(0, ms) / 1000
  if (s < 10) return `${s.toFixed(1)} s`
  if (s < 60) return `${Math.floor(s)} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ${Math.floor(s % 60)} s`
  return `${Math.floor(m / 60)} h ${m % 60} min`
}

/** A message's text on one line: control characters shown, never interpreted. */
export function oneLine(text: string, max = 300): string {
  const shown = text
    .replace(/\r/g, '\\r')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '·')
  return shown.length > max ? `${shown.slice(0, max)}…` : shown
}

/** Save text as a file: a Blob and a temporary link (works in the Electron window and in a browser). */
export function downloadText(filename: string, content: string, type = 'text/plain'): void {
  downloadBlob(filename, new Blob([content], { type: `${type};charset=utf-8` }))
}

export function downloadBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** Copy to the clipboard, with a fallback where the async clipboard API is unavailable. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    const area = document.createElement('textarea')
    area.value = text
    area.style.position = 'fixed'
    area.style.opacity = '0'
    document.body.appendChild(area)
    area.select()
    let ok = false
    try {
      ok = document.execCommand('copy')
    } catch {
      ok = false
    }
    area.remove()
    return ok
  }
}

/** Save bytes as a file (a capture's .pcapng), the same way as downloadText. */
export function downloadBytes(filename: string, bytes: Uint8Array<ArrayBuffer>, type = 'application/octet-stream'): void {
  downloadBlob(filename, new Blob([bytes], { type }))
}
