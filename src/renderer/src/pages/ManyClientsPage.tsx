// Many clients: N adder clients against any host:port, with live counts (the Lab 2 question 2 demo).

import { useEffect, useState, type ReactNode } from 'react'
import { Console } from '../components/Console'
import { bindFields, FieldRow, FormError, TextField } from '../components/fields'
import { HostPortFields, PaneForm, StartStopButton, useBusy } from '../components/paneForm'
import type { ManyClientsStats } from '@shared/contract'
import { formatCount } from '../format'
import { appStore, formKey, setManyClientsField, useActions, useApp } from '../store'
import { useLiveCount } from './ServerPane'

const MANY_CLIENTS_FIELDS = ['host', 'port', 'count', 'thinkMs', 'baseName']

/** Answers per second over the last few seconds, sampled once a second from the store. */
function useRate(manyClientsId: string | undefined): number {
  const [rate, setRate] = useState(0)
  useEffect(() => {
    const samples: { t: number; n: number }[] = []
    const sample = (): void => {
      const st = manyClientsId ? appStore.getState().manyClients[manyClientsId] : undefined
      if (!st?.running) {
        samples.length = 0
        setRate(0)
        return
      }
      const now = performance.now()
      samples.push({ t: now, n: st.answered })
      while (samples.length > 4) samples.shift()
      const first = samples[0]
      const dt = (now - first.t) / 1000
      setRate(dt > 0.5 ? (st.answered - first.n) / dt : 0)
    }
    sample()
    const timer = setInterval(sample, 1000)
    return () => clearInterval(timer)
  }, [manyClientsId])
  return rate
}

/** The run's status in words: running, stopped by the student, every client failed, or done. */
export function runLook(stats: ManyClientsStats): { tone: '' | 'ok' | 'err'; text: string } {
  if (stats.running) return { tone: 'ok', text: 'Running' }
  switch (stats.ended) {
    case 'failed':
      return { tone: 'err', text: 'Failed: no client got through' }
    case 'finished':
      return stats.errors
        ? { tone: 'err', text: `Finished, ${formatCount(stats.errors)} failed` }
        : { tone: 'ok', text: 'Finished' }
    default:
      return { tone: '', text: 'Stopped' }
  }
}

function Stat({
  label,
  value,
  testid,
  tone,
}: {
  label: string
  value: ReactNode
  testid: string
  tone?: 'ok' | 'err' | 'warn'
}): ReactNode {
  return (
    <div className={`stat ${tone ?? ''}`}>
      <div className="stat-value" data-testid={testid}>
        {value}
      </div>
      <div className="stat-label">{label}</div>
    </div>
  )
}

export function ManyClientsPage(): ReactNode {
  const actions = useActions()
  const host = useApp((s) => s.settings.host)
  const form = useApp((s) => s.settings.manyClients)
  const manyClientsId = useApp((s) => s.manyClientsId)
  const stats = useApp((s) => (s.manyClientsId ? s.manyClients[s.manyClientsId] : undefined))
  const adderServerId = useApp((s) => s.panes.adder.serverId)
  const adderServer = useApp((s) => (adderServerId ? s.servers[adderServerId] : undefined))
  const serverLive = useLiveCount(adderServer?.running ? adderServerId : undefined)
  const [busy, withBusy] = useBusy()
  const running = !!stats?.running
  const rate = useRate(manyClientsId)
  const key = formKey.manyClients
  const bind = bindFields(form, (k, v) => setManyClientsField(appStore, k, v), key, running)

  const count = stats?.count ?? 0
  const pct = count ? Math.min(100, Math.round(((stats?.connected ?? 0) / count) * 100)) : 0
  const aimed = adderServer?.running && host === '127.0.0.1' && form.port === String(adderServer.info.port)

  return (
    <div className="page" data-testid="page-many-clients">
      <header className="page-head">
        <h2>Many clients</h2>
        <p className="muted">
          Start up to 1000 adder clients at once against any server, each with its own name, asking for sums flat out or with a
          pause. A server that serves one client at a time keeps all but one waiting: that is Lab 2, question 2.
        </p>
      </header>

      <section className="panel">
        <header className="pane-head">
          <h3>Target</h3>
          {adderServer?.running ? (
            <span className="pill ok" data-testid="many-server-status">
              Our adder server: port {adderServer.info.port}, {adderServer.info.oneAtATime ? 'one at a time' : 'many at a time'},{' '}
              {serverLive} connected
            </span>
          ) : (
            <span className="pill">No adder server running here</span>
          )}
        </header>
        <PaneForm onSubmit={() => void withBusy(() => (running ? actions.stopManyClients() : actions.startManyClients()))}>
          <HostPortFields
            form={key}
            port={form.port}
            onPortChange={(v) => setManyClientsField(appStore, 'port', v)}
            testids={{ host: 'many-host', port: 'many-port' }}
            disabled={running}
          >
            <div className="field">
              <span className="label-spacer" aria-hidden="true">
                &nbsp;
              </span>
              <button
                type="button"
                className="btn"
                disabled={running || busy || !!aimed}
                data-testid="many-local-server"
                onClick={() => void withBusy(() => actions.adderServerForManyClients())}
              >
                {adderServer?.running
                  ? aimed
                    ? 'Aimed at our adder server'
                    : 'Aim at our adder server'
                  : 'Start an adder server here and aim at it'}
              </button>
            </div>
          </HostPortFields>
          <FieldRow form={key} fields={['count', 'thinkMs', 'baseName']}>
            <TextField label="Clients (1 to 1000)" testid="many-count" numeric width="s" {...bind('count')} />
            <TextField
              label="Pause between requests (ms, 0 = flat out)"
              testid="many-think"
              numeric
              width="l"
              {...bind('thinkMs')}
            />
            <TextField label="Base name" testid="many-base-name" width="s" {...bind('baseName')} />
          </FieldRow>
          <div className="actions">
            <StartStopButton
              running={running}
              busy={busy}
              start={<>Start {form.count.trim() || 'N'} clients</>}
              stop="Stop all clients"
              testids={{ start: 'many-start', stop: 'many-stop' }}
            />
            <span className="muted small">The adder page&rsquo;s wire settings apply (pair separator, pacing, timeouts).</span>
          </div>
          <FormError form={key} fields={MANY_CLIENTS_FIELDS} />
        </PaneForm>
      </section>

      <section className="panel" aria-labelledby="many-stats-h">
        <header className="pane-head">
          <h3 id="many-stats-h">Live counts</h3>
          {stats && (
            <span className={`pill ${runLook(stats).tone}`} data-testid="many-state">
              {runLook(stats).text}
            </span>
          )}
        </header>
        {stats ? (
          <>
            <div className="stats">
              <Stat
                label={`connected of ${formatCount(count)}`}
                value={formatCount(stats.connected)}
                testid="many-connected"
                tone="ok"
              />
              <Stat
                label="waiting their turn"
                value={formatCount(stats.waiting)}
                testid="many-waiting"
                tone={stats.waiting ? 'warn' : undefined}
              />
              <Stat label="requests answered" value={formatCount(stats.answered)} testid="many-answered" />
              <Stat label="answers per second" value={formatCount(Math.round(rate))} testid="many-rate" />
              <Stat
                label="wrong answers"
                value={formatCount(stats.wrong)}
                testid="many-wrong"
                tone={stats.wrong ? 'err' : undefined}
              />
              <Stat
                label="errors"
                value={formatCount(stats.errors)}
                testid="many-errors"
                tone={stats.errors ? 'err' : undefined}
              />
              <Stat label="closed" value={formatCount(stats.closed)} testid="many-closed" />
            </div>
            <div
              className="progress"
              role="progressbar"
              aria-label="Clients connected"
              aria-valuemin={0}
              aria-valuemax={count}
              aria-valuenow={stats.connected}
            >
              <div className="progress-bar" style={{ width: `${pct}%` }} />
            </div>
            <p className="small muted">
              Each client is a connection of its own: <a href="#/connections">see them in Connections</a>.
            </p>
            {stats.waiting > 0 && (
              <p className="small warn-text" data-testid="many-waiting-note">
                {formatCount(stats.waiting)} connected but not served yet: the server serves one client at a time (Lab 2, question
                1). They are served as the others quit.
              </p>
            )}
            {stats.failures.length > 0 && (
              <div className="failure-groups" data-testid="many-failures" role="status">
                <div className="small">{stats.ended === 'stopped' ? 'Before the stop:' : 'What went wrong:'}</div>
                <ul>
                  {stats.failures.map((g) => (
                    <li key={g.error} className="field-error" data-testid="many-failure">
                      {g.error} <b>×{formatCount(g.count)}</b>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </>
        ) : (
          <p className="muted">Not started yet.</p>
        )}
      </section>
      <section className="panel">
        <Console
          ownerId={manyClientsId}
          testid="many-console"
          label="Many clients log"
          empty="Start the clients: what happens to the crowd shows here."
          height={140}
        />
      </section>
    </div>
  )
}
