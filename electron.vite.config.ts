import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import type { Plugin } from 'vite'

const shared = resolve(__dirname, 'src/shared')

/**
 * `electron-vite dev` injects an inline script (React fast refresh) that the app's CSP forbids; the dev
 * server alone relaxes the meta tag. Built apps keep the strict policy.
 */
function devOnlyInlineScripts(): Plugin {
  return {
    name: 'socketlab-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
  }
}

export default defineConfig({
  main: {
    resolve: { alias: { '@shared': shared } },
    build: {
      rollupOptions: {
        input: {
          // The Electron entry (the only file that imports electron) ...
          index: resolve(__dirname, 'src/main/index.ts'),
          // ... and the plain-Node entries that run the very same host without Electron.
          web: resolve(__dirname, 'src/main/web/start.ts'),
          cli: resolve(__dirname, 'src/cli/main.ts'),
        },
      },
    },
  },
  preload: {
    resolve: { alias: { '@shared': shared } },
    build: {
      rollupOptions: {
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    resolve: { alias: { '@shared': shared, '@renderer': resolve(__dirname, 'src/renderer/src') } },
    plugins: [react(), devOnlyInlineScripts()],
    build: { minify: true },
  },
})
