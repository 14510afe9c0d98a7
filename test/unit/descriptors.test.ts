// The open-file limit is read, not assumed: /proc on Linux, a shell's `ulimit -n` (which inherits this
// process's soft limit) on macOS and the BSDs. On this Linux machine both ways are available, and they
// must agree; the connection budget keeps the reserve below it.

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { connectionBudget, descriptorLimit, readLimit } from '../../src/main/net/descriptors'

describe.skipIf(process.platform !== 'linux')('the open-file limit (read two ways on Linux)', () => {
  it("/proc/self/limits and the shell's ulimit -n say the same soft limit", () => {
    const soft = Number(/^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))![1])
    expect(readLimit('linux')).toBe(soft)
    expect(readLimit('darwin')).toBe(soft)
  })

  it('the connection budget leaves the reserve free', () => {
    expect(connectionBudget()).toBe(Math.max(16, descriptorLimit() - 256))
  })
})
