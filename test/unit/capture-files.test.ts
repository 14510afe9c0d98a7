// Saving a capture without one giant reply: prepared files read back in bounded chunks, and the
// evidence zip (stored entries, read back by Python's zipfile, which checks every CRC).

import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CAPTURE_CHUNK_BYTES } from '@shared/contract'
import { PreparedFiles } from '../../src/main/capture/files'
import { crc32, writeZip } from '../../src/main/capture/zip'

const dir = mkdtempSync(path.join(os.tmpdir(), 'socketlab-files-test-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('prepared files', () => {
  it('are read in chunks of at most CAPTURE_CHUNK_BYTES, up to the size they had when prepared', () => {
    const file = path.join(dir, 'big.bin')
    const data = Buffer.alloc(CAPTURE_CHUNK_BYTES * 2 + 123, 7)
    data[CAPTURE_CHUNK_BYTES] = 1
    writeFileSync(file, data)
    const files = new PreparedFiles()
    const f = files.add({ path: file, filename: 'big.bin', mime: 'application/octet-stream', temporary: false })
    expect(f.size).toBe(data.length)
    // The file grows afterwards (a live capture): the prepared size holds.
    writeFileSync(file, Buffer.concat([data, Buffer.alloc(1000)]))
    const parts: Buffer[] = []
    let offset: number | null = 0
    while (offset !== null) {
      const c = files.read(f.fileId, offset)
      const b = Buffer.from(c.base64, 'base64')
      expect(b.length).toBeLessThanOrEqual(CAPTURE_CHUNK_BYTES)
      parts.push(b)
      offset = c.next
    }
    expect(parts).toHaveLength(3)
    expect(Buffer.concat(parts).equals(data)).toBe(true)
    expect(() => files.read(f.fileId, -1)).toThrow(/No such place/)
    expect(() => files.read('nope', 0)).toThrow(/not ready any more/)
  })

  it('a temporary file goes when it is forgotten; only the last few are kept', () => {
    const files = new PreparedFiles(2)
    const made = [0, 1, 2].map((i) => {
      const p = path.join(dir, `t${i}`)
      writeFileSync(p, 'x')
      return { p, f: files.add({ path: p, filename: `t${i}`, mime: 'text/plain', temporary: true }) }
    })
    expect(existsSync(made[0].p)).toBe(false)
    expect(() => files.read(made[0].f.fileId, 0)).toThrow(/not ready/)
    expect(files.read(made[2].f.fileId, 0)).toEqual({ base64: Buffer.from('x').toString('base64'), next: null })
    files.clear()
    expect(made.some((m) => existsSync(m.p))).toBe(false)
  })
})

describe('the evidence zip', () => {
  it('holds files from disk and bytes, in one folder, and Python reads it back intact', async () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926)
    const src = path.join(dir, 'capture.pcapng')
    writeFileSync(src, Buffer.alloc(300_000, 0xab))
    const zip = path.join(dir, 'bundle.zip')
    await writeZip(zip, [
      { name: 'evidence/capture.pcapng', file: src },
      { name: 'evidence/answer-sheet.html', data: Buffer.from('<p>tcp.port == 12345 ✓</p>') },
      { name: 'evidence/empty.txt', data: new Uint8Array() },
    ])
    const py = spawnSync(
      'python3',
      [
        '-c',
        'import sys, zipfile, json; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(json.dumps({n: len(z.read(n)) for n in z.namelist()} | {"html": z.read("evidence/answer-sheet.html").decode()}))',
        zip,
      ],
      { encoding: 'utf8' },
    )
    expect(py.stderr).toBe('')
    expect(JSON.parse(py.stdout)).toEqual({
      'evidence/capture.pcapng': 300_000,
      'evidence/answer-sheet.html': Buffer.byteLength('<p>tcp.port == 12345 ✓</p>'),
      'evidence/empty.txt': 0,
      html: '<p>tcp.port == 12345 ✓</p>',
    })
  })
})
