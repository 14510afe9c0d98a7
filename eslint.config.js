// Lint, and the layers of the app kept by the linter rather than by prose: which folder may import
// what (see the README's architecture section). A forbidden import is an error where it is written.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

const NODE_BUILTINS = { regex: '^node:', message: 'No Node built-ins here: this code also runs in the browser.' }
const BARE_NODE = {
  group: ['fs', 'path', 'net', 'os', 'child_process', 'crypto', 'http', 'url', 'events', 'stream', 'buffer', 'util'],
  message: 'No Node built-ins here: this code also runs in the browser.',
}
const ELECTRON = { name: 'electron', message: 'Only src/main/index.ts and the preload may import electron.' }
const layer = (regex, message) => ({ regex, message })

/** `no-restricted-imports` for one folder: its own rules plus electron, which only two files may import. */
const restrict = (patterns, paths = [ELECTRON]) => ({ 'no-restricted-imports': ['error', { paths, patterns }] })

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
      ...restrict([
        NODE_BUILTINS,
        BARE_NODE,
        layer('(^|/)main/', 'The renderer never imports the main process: it talks to it through the bridge.'),
        layer('(^|/)preload/(?!index\\.d)', 'The renderer reaches the preload only through window.socketlab.'),
      ]),
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict([
      NODE_BUILTINS,
      BARE_NODE,
      layer('^\\.\\./', 'src/shared imports nothing outside src/shared: main, preload and renderer all import it.'),
    ]),
  },
  {
    files: ['src/main/wire/**/*.ts'],
    rules: restrict([
      layer(
        '^\\.\\./(net|exercises|host|capture|web|check)(/|$)',
        'wire is the bottom of main: bytes to messages and back; it imports nothing of main.',
      ),
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
