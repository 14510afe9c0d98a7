// A console with exactly one server's or client's lines, as its program would print them.
// Follows the end while scrolled to the bottom; stays put while the student reads older lines.

import { memo, useLayoutEffect, useRef, useState, type ReactNode } from 'react'
import type { ConsoleLine } from '@shared/contract'
import { formatTime, copyText } from '../format'
import { useApp } from '../store'

const NO_LINES: ConsoleLine[] = []

const Line = memo(function Line({ line }: { line: ConsoleLine }) {
  return (
    <div className={`console-line is-${line.level}`} data-level={line.level}>
      <span className="console-time" aria-hidden="true">
        {formatTime(line.t)}
      </span>
      <span className="console-text">{line.text}</span>
    </div>
  )
})

interface ConsoleProps {
  ownerId?: string
  testid: string
  label: string
  empty: ReactNode
  height?: number
}

export function Console({ ownerId, testid, label, empty, height }: ConsoleProps): ReactNode {
  const lines = useApp((s) => (ownerId ? (s.lines[ownerId] ?? NO_LINES) : NO_LINES))
  const box = useRef<HTMLDivElement>(null)
  const atBottom = useRef(true)
  const [copied, setCopied] = useState(false)

  useLayoutEffect(() => {
    const el = box.current
    if (el && atBottom.current) el.scrollTop = el.scrollHeight
  }, [lines])

  return (
    <div className="console-wrap">
      <div className="console-bar">
        <span className="console-title">{label}</span>
        <span className="muted small">{lines.length ? `${lines.length} line${lines.length === 1 ? '' : 's'}` : ''}</span>
        <button
          type="button"
          className="btn ghost small"
          disabled={!lines.length}
          onClick={async () => {
            if (await copyText(lines.map((l) => l.text).join('\n'))) {
              setCopied(true)
              setTimeout(() => setCopied(false), 1200)
            }
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <div
        ref={box}
        className="console"
        style={height ? { height } : undefined}
        data-testid={testid}
        role="log"
        aria-label={label}
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24
        }}
      >
        {lines.length ? lines.map((l) => <Line key={l.seq} line={l} />) : <div className="console-empty">{empty}</div>}
      </div>
    </div>
  )
}
