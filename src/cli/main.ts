// The CLI's entry: bin/socketlab.js imports the built copy of this file.

import { run } from './run'

run(process.argv.slice(2), { out: process.stdout, err: process.stderr, input: process.stdin }).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`socketlab: ${String(err)}\n`)
    process.exit(1)
  },
)
