// Files prepared for saving (the .pcapng, the sheet, the diagram, the bundle), read back in bounded
// chunks: no reply carries a whole capture, and nothing reads a whole file into memory. Browser mode
// may stream the same file over HTTP instead (`fileFor` gives its path). Temporary files go when they
// are replaced, when the service is disposed, or when the process exits.

import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { CAPTURE_CHUNK_BYTES, type CaptureChunk, type CaptureFile } from '@shared/contract'
import { removeAtExit, removeNow } from './cleanup'

interface Prepared extends CaptureFile {
  path: string
  /** A temporary file of ours (removed when forgotten); the .pcapng itself is not. */
  temporary: boolean
}

export class PreparedFiles {
  private readonly files = new Map<string, Prepared>()

  constructor(private readonly keep = 8) {}

  /** Offer a file for reading; its size is fixed now (a live capture's file may grow later). */
  add(file: { path: string; filename: string; mime: string; temporary: boolean }): CaptureFile {
    if (file.temporary) removeAtExit(file.path)
    const fileId = randomBytes(12).toString('hex')
    const prepared: Prepared = { ...file, fileId, size: statSync(file.path).size }
    this.files.set(fileId, prepared)
    while (this.files.size > this.keep) this.forget(this.files.keys().next().value as string)
    return { fileId, filename: prepared.filename, size: prepared.size, mime: prepared.mime }
  }

  /** Where a prepared file is, and how much of it to send. */
  fileFor(fileId: string): { path: string; size: number; filename: string; mime: string } | undefined {
    const f = this.files.get(fileId)
    return f && { path: f.path, size: f.size, filename: f.filename, mime: f.mime }
  }

  read(fileId: string, offset: number): CaptureChunk {
    const f = this.files.get(fileId)
    if (!f) throw new Error('That file is not ready any more: save it again.')
    if (!Number.isInteger(offset) || offset < 0 || offset > f.size) throw new Error(`No such place in the file: ${offset}`)
    const n = Math.min(CAPTURE_CHUNK_BYTES, f.size - offset)
    const buf = Buffer.alloc(n)
    let fd: number
    try {
      fd = openSync(f.path, 'r')
    } catch {
      throw new Error('The file is not there any more: start a new capture.')
    }
    try {
      let got = 0
      while (got < n) {
        const r = readSync(fd, buf, got, n - got, offset + got)
        if (r === 0) break
        got += r
      }
      const end = offset + got
      return { base64: buf.subarray(0, got).toString('base64'), next: end < f.size && got > 0 ? end : null }
    } finally {
      closeSync(fd)
    }
  }

  forget(fileId: string): void {
    const f = this.files.get(fileId)
    if (!f) return
    this.files.delete(fileId)
    if (f.temporary) removeNow(f.path)
  }

  clear(): void {
    for (const id of [...this.files.keys()]) this.forget(id)
  }
}
