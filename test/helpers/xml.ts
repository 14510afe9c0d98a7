// A strict XML check for the SVG files SocketLab writes: Python's expat parser (a real, non-forgiving
// XML parser) reads the document and reports its root and the text of every <text> element, so a
// test sees exactly what a viewer would, and a document that is not well-formed fails loudly.

import { spawnSync } from 'node:child_process'

export interface ParsedSvg {
  root: string
  width: string | null
  /** The full text of each <text> element (its <tspan> lines joined by a newline), in document order. */
  texts: string[]
}

const SCRIPT = `
import sys, json
import xml.etree.ElementTree as ET
NS = '{http://www.w3.org/2000/svg}'
root = ET.fromstring(sys.stdin.buffer.read())
texts = []
for el in root.iter(NS + 'text'):
    spans = el.findall(NS + 'tspan')
    texts.append('\\n'.join(''.join(s.itertext()) for s in spans) if spans else ''.join(el.itertext()))
print(json.dumps({'root': root.tag, 'width': root.get('width'), 'texts': texts}))
`

export function parseSvg(svg: string): ParsedSvg {
  const r = spawnSync('python3', ['-c', SCRIPT], { input: svg, encoding: 'utf8', timeout: 20_000 })
  if (r.status !== 0) throw new Error(`not well-formed XML: ${r.stderr.trim().split('\n').pop()}`)
  return JSON.parse(r.stdout) as ParsedSvg
}
