// The layers of the app are kept by the linter (eslint.config.js): each folder's forbidden imports are
// errors where they are written, static or dynamic (`import('…')`), and what a folder may import passes.
// Linted as text under the real paths, with the real config, so the rules themselves are what is tested.

import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname })

/** The messages of the import rules for `code` written at `filePath`. */
async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return result.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message)
}

const both = (spec: string): string[] => [
  `import x from '${spec}'\nexport default x\n`,
  `export const x = () => import('${spec}')\n`,
]

describe('the linter keeps the layers', () => {
  const forbidden: [file: string, spec: string, says: RegExp][] = [
    ['src/main/net/server.ts', 'electron', /Only src\/main\/index\.ts and the preload/],
    ['src/renderer/src/App.tsx', 'node:fs', /No Node built-ins/],
    ['src/renderer/src/App.tsx', 'zlib', /No Node built-ins/],
    ['src/shared/lab.ts', 'fs/promises', /No Node built-ins/],
    ['src/shared/lab.ts', '../main/host/host', /src\/shared imports nothing outside/],
    ['src/renderer/src/App.tsx', '../../main/host/host', /never imports the main process/],
    ['src/renderer/src/App.tsx', '../../preload/index', /only through window\.socketlab/],
    ['src/main/wire/framer.ts', '../host/host', /wire is the bottom of main/],
    ['src/main/wire/framer.ts', '../sink', /wire is the bottom of main/],
    ['src/main/wire/framer.ts', '../errors', /wire is the bottom of main/],
    ['src/main/exercises/adder.ts', '../net/session', /Exercises are pure lab logic/],
    ['src/main/net/server.ts', '../host/recorder', /never by importing the host/],
    ['src/main/capture/index.ts', '../host/host', /never by importing the host/],
  ]
  it.each(forbidden)('%s may not import %s (statically or dynamically)', async (file, spec, says) => {
    for (const code of both(spec)) {
      const errors = await importErrors(file, code)
      expect(errors, code).toHaveLength(1)
      expect(errors[0]).toMatch(says)
    }
  })

  const allowed: [file: string, spec: string][] = [
    ['src/main/index.ts', 'electron'],
    ['src/preload/index.ts', 'electron'],
    ['src/main/net/server.ts', 'node:net'],
    ['src/main/net/server.ts', '../wire/framer'],
    ['src/main/exercises/adder.ts', '../wire/parse'],
    ['src/main/wire/framer.ts', './parse'],
    ['src/renderer/src/App.tsx', '@shared/contract'],
    ['src/renderer/src/App.tsx', '../../preload/index.d'],
  ]
  it.each(allowed)('%s may import %s', async (file, spec) => {
    for (const code of both(spec)) expect(await importErrors(file, code), code).toEqual([])
  })
})
