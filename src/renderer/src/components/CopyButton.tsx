import { useState, type ReactNode } from 'react'
import { copyText } from '../format'

/** A small button that copies `text` and says so for a moment. */
export function CopyButton({ text, label, testid }: { text: string; label: string; testid?: string }): ReactNode {
  const [done, setDone] = useState(false)
  return (
    <button
      type="button"
      className={`btn ghost small copy ${done ? 'done' : ''}`}
      aria-label={`${label}: ${text}`}
      title={label}
      data-testid={testid}
      onClick={async () => {
        if (await copyText(text)) {
          setDone(true)
          setTimeout(() => setDone(false), 1200)
        }
      }}
    >
      {done ? 'Copied' : 'Copy'}
    </button>
  )
}
