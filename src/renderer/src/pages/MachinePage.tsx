// This machine: its addresses per interface (what you tell your neighbour), and the servers running.

import { useEffect, type ReactNode } from 'react'
import type { NetworkInterfaceInfo } from '@shared/contract'
import { EXERCISE_TITLES } from '@shared/settings'
import { CopyButton } from '../components/CopyButton'
import { FormError } from '../components/fields'
import { formKey, useActions, useApp } from '../store'

function groupByInterface(list: readonly NetworkInterfaceInfo[]): [string, NetworkInterfaceInfo[]][] {
  const groups = new Map<string, NetworkInterfaceInfo[]>()
  for (const i of list) {
    const g = groups.get(i.name)
    if (g) g.push(i)
    else groups.set(i.name, [i])
  }
  return [...groups]
}

/** A table's header row: its columns, then the copy buttons' column (named for screen readers only). */
function HeadWithCopy({ columns }: { columns: string[] }): ReactNode {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th key={c} scope="col">
            {c}
          </th>
        ))}
        <th scope="col">
          <span className="sr-only">Copy</span>
        </th>
      </tr>
    </thead>
  )
}

function kindOf(i: NetworkInterfaceInfo): string {
  if (i.internal) return 'loopback: this machine only'
  if (i.family === 'IPv6' && i.address.toLowerCase().startsWith('fe80')) return 'link-local'
  return 'LAN'
}

export function MachinePage(): ReactNode {
  const actions = useActions()
  const interfaces = useApp((s) => s.interfaces)
  const servers = useApp((s) => s.servers)
  const running = Object.values(servers).filter((e) => e.running)
  const lan = interfaces?.find((i) => !i.internal && i.family === 'IPv4')

  useEffect(() => {
    void actions.loadInterfaces()
  }, [actions])

  return (
    <div className="page" data-testid="page-machine">
      <header className="page-head">
        <h2>This machine</h2>
        <p className="muted">
          What you tell your neighbour: one of these addresses, and the port your server listens on. A neighbour on the same
          network uses a LAN address; <span className="mono">127.0.0.1</span> works only on this machine.
        </p>
      </header>

      {lan && (
        <div className="panel callout" data-testid="machine-main-address">
          <div className="callout-label">Your address on the network</div>
          <div className="callout-value mono">{lan.address}</div>
          <CopyButton text={lan.address} label="Copy address" />
        </div>
      )}

      <section className="panel">
        <header className="pane-head">
          <h3>Addresses</h3>
          <button
            type="button"
            className="btn ghost small"
            onClick={() => void actions.loadInterfaces()}
            data-testid="machine-refresh"
          >
            Refresh
          </button>
        </header>
        <FormError form={formKey.machine} fields={[]} />
        {interfaces === null ? (
          <p className="muted">Reading the interfaces…</p>
        ) : interfaces.length === 0 ? (
          <p className="muted">No network interfaces found.</p>
        ) : (
          <table className="table addresses" data-testid="machine-interfaces">
            <HeadWithCopy columns={['Interface', 'Family', 'Address', 'Kind']} />
            <tbody>
              {groupByInterface(interfaces).map(([name, list]) =>
                list.map((i, k) => (
                  <tr key={`${name}-${i.address}`} className={i.internal ? 'dim' : ''} data-testid="machine-address">
                    <td>{k === 0 ? <b>{name}</b> : ''}</td>
                    <td>{i.family}</td>
                    <td className="mono addr">{i.address}</td>
                    <td className="muted">{kindOf(i)}</td>
                    <td className="right">
                      <CopyButton text={i.address} label="Copy address" />
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        )}
      </section>

      <section className="panel">
        <header className="pane-head">
          <h3>Servers running here</h3>
        </header>
        {running.length === 0 ? (
          <p className="muted">None. Start one on an exercise page; its port shows here.</p>
        ) : (
          <table className="table" data-testid="machine-servers">
            <HeadWithCopy columns={['Exercise', 'Listening on', 'A neighbour types']} />
            <tbody>
              {running.map(({ info }) => {
                const reachable = info.address !== '127.0.0.1' && info.address !== '::1'
                const tell = reachable && lan ? `${lan.address} ${info.port}` : `127.0.0.1 ${info.port}`
                return (
                  <tr key={info.serverId}>
                    <td>{EXERCISE_TITLES[info.exercise]}</td>
                    <td className="mono">
                      {info.address.includes(':') ? `[${info.address}]` : info.address}:{info.port}
                    </td>
                    <td className="mono">
                      {reachable && lan ? (
                        <>
                          host {lan.address}, port {info.port}
                        </>
                      ) : (
                        <span className="muted">loopback only: this machine</span>
                      )}
                    </td>
                    <td className="right">
                      <CopyButton text={tell} label="Copy address and port" />
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        )}
      </section>
    </div>
  )
}
