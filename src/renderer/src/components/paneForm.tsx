// What the Client, Server and Many-clients forms share: one action at a time, the form itself,
// the start/stop button, and where to connect (host and port).

import { useState, type ReactNode } from 'react'
import { appStore, setHost, useApp } from '../store'
import { FieldRow, TextField } from './fields'
import { ENGINE_STOPPED_HINT, useEngineReachable } from './LinkBanner'

/** One action at a time: `busy` while it runs; a call meanwhile is ignored. */
export function useBusy(): [busy: boolean, run: (action: () => Promise<unknown>) => Promise<void>] {
  const [busy, setBusy] = useState(false)
  const run = async (action: () => Promise<unknown>): Promise<void> => {
    if (busy) return
    setBusy(true)
    try {
      await action()
    } finally {
      setBusy(false)
    }
  }
  return [busy, run]
}

/** A pane's form: Enter or the main button submits it, with no browser validation. */
export function PaneForm({ onSubmit, children }: { onSubmit(): void; children: ReactNode }): ReactNode {
  return (
    <form
      className="pane-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        onSubmit()
      }}
    >
      {children}
    </form>
  )
}

/** The form's main button: start (primary) while stopped, stop (danger) while running. */
export function StartStopButton(p: {
  running: boolean
  busy: boolean
  start: ReactNode
  stop: ReactNode
  testids: { start: string; stop: string }
}): ReactNode {
  const reachable = useEngineReachable()
  const title = reachable ? undefined : ENGINE_STOPPED_HINT
  return p.running ? (
    <button type="submit" className="btn danger" disabled={p.busy || !reachable} title={title} data-testid={p.testids.stop}>
      {p.stop}
    </button>
  ) : (
    <button type="submit" className="btn primary" disabled={p.busy || !reachable} title={title} data-testid={p.testids.start}>
      {p.start}
    </button>
  )
}

/** Where to connect: the host (shared by every client form: a neighbour's IP is typed once) and this form's port. */
export function HostPortFields(p: {
  form: string
  port: string
  onPortChange(port: string): void
  testids: { host: string; port: string }
  hostPlaceholder?: string
  disabled: boolean
  /** More of the row, after the port. */
  children?: ReactNode
}): ReactNode {
  const host = useApp((s) => s.settings.host)
  return (
    <FieldRow form={p.form} fields={['host', 'port']}>
      <TextField
        label="Server host or IP"
        value={host}
        onChange={(v) => setHost(appStore, v)}
        form={p.form}
        field="host"
        testid={p.testids.host}
        placeholder={p.hostPlaceholder}
        width="l"
        disabled={p.disabled}
      />
      <TextField
        label="Port"
        value={p.port}
        onChange={p.onPortChange}
        form={p.form}
        field="port"
        testid={p.testids.port}
        numeric
        width="s"
        disabled={p.disabled}
      />
      {p.children}
    </FieldRow>
  )
}
