// The README's limits table is generated from the one settings table, so a bound or a default can never
// say one thing in the docs and another in the app. `UPDATE_README=1 npx vitest run test/unit/readme.test.ts`
// rewrites it.

import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { format } from 'prettier'
import { describe, expect, it } from 'vitest'
import { LIMIT_SETTINGS, formatSetting } from '@shared/settings'

const README = join(__dirname, '..', '..', 'README.md')
const START = '<!-- limits:start -->'
const END = '<!-- limits:end -->'

async function limitsTable(): Promise<string> {
  const rows = Object.values(LIMIT_SETTINGS).map(
    (d) => `| ${d.label} | \`--${d.flag}\` | ${formatSetting(d, d.default)} | ${d.reached ?? ''} |`,
  )
  const md = ['| limit | CLI option | default | when it is reached |', '|---|---|---|---|', ...rows].join('\n')
  const config = JSON.parse(readFileSync(join(__dirname, '..', '..', '.prettierrc.json'), 'utf8'))
  return (await format(md, { ...config, parser: 'markdown' })).trim()
}

describe('README', () => {
  it('the limits table is the settings table', async () => {
    const text = readFileSync(README, 'utf8')
    const start = text.indexOf(START)
    const end = text.indexOf(END)
    expect(start).toBeGreaterThan(0)
    const table = await limitsTable()
    const current = text.slice(start + START.length, end).trim()
    if (process.env.UPDATE_README && current !== table)
      writeFileSync(README, `${text.slice(0, start + START.length)}\n\n${table}\n\n${text.slice(end)}`)
    else expect(current).toBe(table)
  })
})
