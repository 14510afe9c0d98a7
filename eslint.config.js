// Lint, and the layers of the app kept by the linter rather than by prose: which folder may import
// what (see the README's architecture section). A forbidden import is an error where it is written.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import { builtinModules } from 'node:module'

const BROWSER = 'No Node built-ins here: this code also runs in the browser.'
const NODE_BUILTINS = { regex: '^node:', message: BROWSER }
/** Every built-in by its bare name too (`fs`, `zlib`, `fs/promises`…), as Node itself lists them. */
const BARE_NODE = builtinModules.filter((name) => !name.startsWith('_')).map((name) => ({ name, message: BROWSER }))
const ELECTRON = { name: 'electron', message: 'Only src/main/index.ts and the preload may import electron.' }
const layer = (regex, message) => ({ regex, message })

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** A selector's regex cannot hold a `/` (esquery ends it there): the same character, escaped. */
const selectorRegex = (regex) => regex.replaceAll('/', '\\x2f')

/**
 * One folder's import rules: its own layer patterns, and names it may not import (electron, which only
 * two files may, by default). The same rules hold for `import('…')`, which no-restricted-imports does
 * not see; `require` is banned everywhere by typescript-eslint.
 */
const restrict = (patterns, paths = [ELECTRON]) => {
  const dynamic = [...patterns, ...paths.map((p) => ({ regex: `^${escape(p.name)}$`, message: p.message }))]
  return {
    'no-restricted-imports': ['error', { paths, patterns }],
    // (A rule given a severity alone keeps the options of the config before it: nothing to ban is 'off'.)
    'no-restricted-syntax': dynamic.length
      ? [
          'error',
          ...dynamic.map(({ regex, message }) => ({
            selector: `ImportExpression[source.value=/${selectorRegex(regex)}/]`,
            message,
          })),
        ]
      : 'off',
  }
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
      ...restrict([]),
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      ...restrict(
        [
          NODE_BUILTINS,
          layer('(^|/)main/', 'The renderer never imports the main process: it talks to it through the bridge.'),
          layer('(^|/)preload/(?!index\\.d)', 'The renderer reaches the preload only through window.socketlab.'),
        ],
        [ELECTRON, ...BARE_NODE],
      ),
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict(
      [
        NODE_BUILTINS,
        layer('^\\.\\./', 'src/shared imports nothing outside src/shared: main, preload and renderer all import it.'),
      ],
      [ELECTRON, ...BARE_NODE],
    ),
  },
  {
    files: ['src/main/wire/**/*.ts'],
    rules: restrict([
      layer('^\\.\\.(/|$)', 'wire is the bottom of main: bytes to messages and back; it imports nothing of main.'),
    ]),
  },
  {
    files: ['src/main/exercises/**/*.ts'],
    rules: restrict([
      layer(
        '^\\.\\./(net|host|capture|web)(/|$)',
        'Exercises are pure lab logic: they never see a socket, the host or a capture.',
      ),
    ]),
  },
  {
    files: ['src/main/net/**/*.ts', 'src/main/capture/**/*.ts'],
    rules: restrict([
      layer(
        '^\\.\\./host(/|$)',
        'net and capture report through the small sink interfaces in src/main/sink.ts, never by importing the host.',
      ),
    ]),
  },
  {
    files: ['src/main/index.ts', 'src/preload/**/*.ts'],
    rules: restrict([], []),
  },
)
