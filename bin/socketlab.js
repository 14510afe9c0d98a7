#!/usr/bin/env node
// `npx socketlab …` in a SocketLab clone: runs the built CLI (npm install builds it).
import { existsSync } from 'node:fs'

const cli = new URL('../out/main/cli.js', import.meta.url)
if (!existsSync(cli)) {
  console.error('SocketLab is not built yet: run "npm install" (or "npm run build") in the SocketLab folder first.')
  process.exit(1)
}
await import(cli.href)
