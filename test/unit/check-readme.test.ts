// The README's "Check my program" table lists every check id the checker can report, and nothing else:
// scripts read these ids from --json, so the table is where a student or instructor looks them up.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CHECK_QUESTIONS } from '@shared/contract'
import { CHECKS } from '../../src/main/check/checks'

function section(): string {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8')
  const start = readme.indexOf('## Check my program')
  expect(start, 'README has a "Check my program" section').toBeGreaterThanOrEqual(0)
  const end = readme.indexOf('\n## ', start + 1)
  return readme.slice(start, end < 0 ? undefined : end)
}

/** The ids in the table's first column: every `code` span of the rows' first cell. */
function tableIds(text: string): { side: string; id: string }[] {
  const out: { side: string; id: string }[] = []
  for (const line of text.split('\n')) {
    if (!line.startsWith('| `')) continue
    const cells = line.split('|').map((c) => c.trim())
    const side = cells[2]
    for (const part of cells[1].split('`')) if (/^[a-z0-9-]+$/.test(part)) out.push({ side, id: part })
  }
  return out
}

describe('README: Check my program', () => {
  it('lists every check id of the checks table, on its side, and no other', () => {
    const listed = tableIds(section())
    const key = (x: { side: string; id: string }): string => `${x.side}:${x.id}`
    const wanted = [...new Set(CHECKS.map(key))].sort()
    expect([...new Set(listed.map(key))].sort()).toEqual(wanted)
  })

  it('names every question and the exit codes', () => {
    const text = section()
    for (const q of CHECK_QUESTIONS) expect(text).toContain(`\`${q}\``)
    expect(text).toMatch(/Exit 0 when every required check passed, 1 when one failed/)
    expect(text).toMatch(/2 for a usage error/)
  })
})
