// A zip archive of a few files, stored without compression (a .pcapng and an HTML page gain little,
// and every unzip tool reads the stored method): the evidence bundle as one download. Written as a
// stream of parts, so a large capture is never copied into one buffer.

import { createReadStream, createWriteStream, statSync } from 'node:fs'
import { once } from 'node:events'

const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

export function crc32(data: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8)
  return ~c >>> 0
}

export interface ZipEntry {
  /** The name inside the archive (a folder prefix such as `socketlab-port12345/` is fine). */
  name: string
  /** A file on disk, or the bytes themselves. */
  file?: string
  data?: Uint8Array
}

/** DOS time and date of a moment, as zip headers keep them. */
function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((Math.max(1980, d.getFullYear()) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  }
}

/** The first `size` bytes of a file, in chunks (a live capture may grow meanwhile: the rest is left out). */
async function* chunksOf(file: string, size: number): AsyncGenerator<Buffer> {
  if (size === 0) return
  for await (const chunk of createReadStream(file, { start: 0, end: size - 1 })) yield chunk as Buffer
}

async function crcOfFile(file: string, size: number): Promise<number> {
  let crc = 0
  for await (const chunk of chunksOf(file, size)) crc = crc32(chunk, crc)
  return crc
}

/** Write a stored (uncompressed) zip of the entries. Sizes stay under 4 GiB (captures are capped far below). */
export async function writeZip(target: string, entries: ZipEntry[], now = new Date()): Promise<void> {
  const out = createWriteStream(target)
  let failed: Error | null = null
  out.on('error', (err) => (failed = err))
  const { time, date } = dosTime(now)
  const central: Buffer[] = []
  let offset = 0
  const write = async (b: Buffer): Promise<void> => {
    if (failed) throw failed
    offset += b.length
    if (!out.write(b)) await once(out, 'drain')
  }
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8')
    const size = e.file ? statSync(e.file).size : (e.data?.length ?? 0)
    const crc = e.file ? await crcOfFile(e.file, size) : crc32(e.data ?? new Uint8Array())
    const header = Buffer.alloc(30)
    header.writeUInt32LE(0x04034b50, 0)
    header.writeUInt16LE(20, 4) // version needed
    header.writeUInt16LE(0x0800, 6) // UTF-8 names
    header.writeUInt16LE(0, 8) // stored
    header.writeUInt16LE(time, 10)
    header.writeUInt16LE(date, 12)
    header.writeUInt32LE(crc, 14)
    header.writeUInt32LE(size, 18)
    header.writeUInt32LE(size, 22)
    header.writeUInt16LE(name.length, 26)
    header.writeUInt16LE(0, 28)
    const at = offset
    await write(Buffer.concat([header, name]))
    if (e.file) {
      let copied = 0
      for await (const chunk of chunksOf(e.file, size)) {
        copied += chunk.length
        await write(chunk)
      }
      if (copied !== size) throw new Error(`${e.file} changed while it was being zipped`)
    } else if (e.data?.length) await write(Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength))
    const c = Buffer.alloc(46)
    c.writeUInt32LE(0x02014b50, 0)
    c.writeUInt16LE(20, 4)
    c.writeUInt16LE(20, 6)
    c.writeUInt16LE(0x0800, 8)
    c.writeUInt16LE(0, 10)
    c.writeUInt16LE(time, 12)
    c.writeUInt16LE(date, 14)
    c.writeUInt32LE(crc, 16)
    c.writeUInt32LE(size, 20)
    c.writeUInt32LE(size, 24)
    c.writeUInt16LE(name.length, 28)
    c.writeUInt32LE(at, 42)
    central.push(c, name)
  }
  const dir = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(dir.length, 12)
  end.writeUInt32LE(offset, 16)
  await write(Buffer.concat([dir, end]))
  out.end()
  if (!failed) await Promise.race([once(out, 'finish'), once(out, 'error')])
  if (failed) throw failed
}
