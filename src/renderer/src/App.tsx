// The window: a sidebar of pages, the current page, and a banner when the link to the host drops.

import { useEffect, useRef, useState, type ReactNode } from 'react'
import type { Exercise } from '@shared/settings'
import { LinkBanner, LinkDot } from './components/LinkBanner'
import { NavIcon } from './components/NavIcon'
import { CapturePage } from './pages/CapturePage'
import { CheckPage } from './pages/CheckPage'
import { ConnectionsPage } from './pages/ConnectionsPage'
import { ExercisePage } from './pages/ExercisePage'
import { MachinePage } from './pages/MachinePage'
import { ManyClientsPage } from './pages/ManyClientsPage'
import { TrafficPage } from './pages/TrafficPage'
import { EXERCISE_LIST } from './exercises'
import { appStore, leaveTraffic, setSidebarCollapsed, setTheme, THEMES, useApp, type Theme } from './store'

export type PageId = 'machine' | Exercise | 'many-clients' | 'connections' | 'traffic' | 'capture' | 'check'

interface NavItem {
  id: PageId
  label: string
}

const NAV: { group: string; items: NavItem[] }[] = [
  { group: 'Setup', items: [{ id: 'machine', label: 'This machine' }] },
  { group: 'Lab 1', items: EXERCISE_LIST.filter((m) => m.lab === 'Lab 1').map((m) => ({ id: m.id, label: m.nav })) },
  {
    group: 'Lab 2',
    items: [
      ...EXERCISE_LIST.filter((m) => m.lab === 'Lab 2').map((m) => ({ id: m.id, label: m.nav })),
      { id: 'many-clients', label: 'Many clients' },
    ],
  },
  {
    group: 'On the wire',
    items: [
      { id: 'connections', label: 'Connections' },
      { id: 'traffic', label: 'Traffic' },
      { id: 'capture', label: 'Capture' },
    ],
  },
  { group: 'Hand in', items: [{ id: 'check', label: 'Check my program' }] },
]

export const PAGE_IDS: PageId[] = NAV.flatMap((g) => g.items.map((i) => i.id))

function pageFromHash(hash: string): PageId {
  const id = hash.replace(/^#\/?/, '') as PageId
  return PAGE_IDS.includes(id) ? id : 'greeting'
}

function useRoute(): PageId {
  const [page, setPage] = useState(() => pageFromHash(window.location.hash))
  useEffect(() => {
    const on = (): void => setPage(pageFromHash(window.location.hash))
    window.addEventListener('hashchange', on)
    return () => window.removeEventListener('hashchange', on)
  }, [])
  // Leaving Traffic unfilters it: coming back from the sidebar shows all traffic.
  const previous = useRef(page)
  useEffect(() => {
    if (previous.current === 'traffic' && page !== 'traffic') leaveTraffic(appStore)
    previous.current = page
  }, [page])
  return page
}

/** Alt+1 … Alt+9, then Alt+0 for the tenth, jump to the pages in sidebar order (as the digit keys lie). */
const SHORTCUT_HINT = PAGE_IDS.length >= 10 ? 'Alt+1…9, 0 switch pages' : `Alt+1…${PAGE_IDS.length} switch pages`

function useShortcuts(): void {
  useEffect(() => {
    const on = (e: KeyboardEvent): void => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return
      const n = e.key === '0' ? 10 : Number(e.key)
      if (/^[0-9]$/.test(e.key) && n <= PAGE_IDS.length) {
        e.preventDefault()
        window.location.hash = `#/${PAGE_IDS[n - 1]}`
      }
    }
    window.addEventListener('keydown', on)
    return () => window.removeEventListener('keydown', on)
  }, [])
}

function NavBadge({ id }: { id: PageId }): ReactNode {
  // A primitive ("tone|text") so the sidebar re-renders only when a badge really changes.
  const badge = useApp((s): string => {
    if (id === 'connections') {
      let live = 0
      for (const k in s.connections) if (s.connections[k].state !== 'closed') live++
      return live ? `count|${live}` : ''
    }
    if (id === 'traffic') {
      const n = s.traffic.length
      return n ? `|${n > 999 ? `${Math.floor(n / 1000)}k` : n}` : ''
    }
    if (id === 'many-clients') {
      const st = s.manyClientsId ? s.manyClients[s.manyClientsId] : undefined
      return st?.running ? `count|${st.connected}` : ''
    }
    if (id === 'capture') {
      if (!s.capture?.running) return ''
      const n = Math.max(s.capture.packets, s.packets.length)
      return `count|${n > 999 ? `${Math.floor(n / 1000)}k` : n}`
    }
    if (id === 'machine' || id === 'check') return ''
    const pane = s.panes[id]
    const server = pane.serverId ? s.servers[pane.serverId] : undefined
    const client = pane.clientId ? s.clients[pane.clientId] : undefined
    return server?.running || client?.running ? 'dot|●' : ''
  })
  if (!badge) return null
  const [tone, text] = badge.split('|')
  return (
    <span className={`nav-badge ${tone}`} aria-label={tone === 'dot' ? 'running' : undefined}>
      {text}
    </span>
  )
}

const THEME_WORDS: Record<Theme, string> = { system: 'As the system', light: 'Light', dark: 'Dark' }

/** The light/dark choice, kept with the settings (the system's by default). */
function ThemeSelect(): ReactNode {
  const theme = useApp((s) => s.settings.theme)
  return (
    <label className="theme-select small">
      <span>Theme</span>
      <select value={theme} data-testid="theme-select" onChange={(e) => setTheme(appStore, e.target.value as Theme)}>
        {THEMES.map((t) => (
          <option key={t} value={t}>
            {THEME_WORDS[t]}
          </option>
        ))}
      </select>
    </label>
  )
}

/** The theme in force, on the document (`data-theme`), following the system while the choice is "system". */
function useTheme(): void {
  const theme = useApp((s) => s.settings.theme)
  useEffect(() => {
    const media = window.matchMedia?.('(prefers-color-scheme: dark)')
    const apply = (): void => {
      document.documentElement.dataset.theme = theme === 'system' ? (media?.matches ? 'dark' : 'light') : theme
    }
    apply()
    media?.addEventListener('change', apply)
    return () => media?.removeEventListener('change', apply)
  }, [theme])
}

/** Below this width the sidebar starts folded. */
const NARROW = 900

function useNarrowStart(): void {
  useEffect(() => {
    if (window.innerWidth < NARROW) setSidebarCollapsed(appStore, true)
  }, [])
}

function Sidebar({ page }: { page: PageId }): ReactNode {
  const collapsed = useApp((s) => s.sidebarCollapsed)
  return (
    <nav className={`sidebar ${collapsed ? 'collapsed' : ''}`} aria-label="Pages" data-testid="sidebar">
      <div className="brand">
        <button
          type="button"
          className="btn ghost sidebar-toggle"
          aria-expanded={!collapsed}
          aria-label={collapsed ? 'Show the page names' : 'Fold the sidebar'}
          title={collapsed ? 'Show the page names' : 'Fold the sidebar'}
          data-testid="sidebar-toggle"
          onClick={() => setSidebarCollapsed(appStore, !collapsed)}
        >
          <span aria-hidden="true">{collapsed ? '»' : '«'}</span>
        </button>
        {!collapsed && <span className="brand-name">SocketLab</span>}
        <LinkDot />
      </div>
      {NAV.map((g) => (
        <div className="nav-group" key={g.group}>
          <div className="nav-group-title">{collapsed ? (SHORT_GROUP[g.group] ?? g.group) : g.group}</div>
          <ul>
            {g.items.map((item) => (
              <li key={item.id}>
                <a
                  href={`#/${item.id}`}
                  className={`nav-link ${page === item.id ? 'active' : ''}`}
                  aria-current={page === item.id ? 'page' : undefined}
                  aria-label={collapsed ? item.label : undefined}
                  title={collapsed ? item.label : undefined}
                  data-testid={`nav-${item.id}`}
                >
                  <NavIcon id={item.id} />
                  {!collapsed && <span className="nav-label">{item.label}</span>}
                  {!collapsed && <NavBadge id={item.id} />}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
      {!collapsed && (
        <div className="sidebar-foot small">
          <ThemeSelect />
          <div className="muted">{SHORTCUT_HINT}</div>
        </div>
      )}
    </nav>
  )
}

/** A folded sidebar's group headings. */
const SHORT_GROUP: Record<string, string> = { 'Lab 1': 'L1', 'Lab 2': 'L2', 'On the wire': 'Wire', 'Hand in': 'Check' }

function Page({ page }: { page: PageId }): ReactNode {
  switch (page) {
    case 'machine':
      return <MachinePage />
    case 'many-clients':
      return <ManyClientsPage />
    case 'connections':
      return <ConnectionsPage />
    case 'traffic':
      return <TrafficPage />
    case 'capture':
      return <CapturePage />
    case 'check':
      return <CheckPage />
    default:
      return <ExercisePage key={page} exercise={page} />
  }
}

export function App(): ReactNode {
  const page = useRoute()
  useShortcuts()
  useTheme()
  useNarrowStart()
  useEffect(() => {
    document.querySelector<HTMLElement>('main')?.focus({ preventScroll: true })
  }, [page])
  return (
    <div className="app">
      <Sidebar page={page} />
      <div className="main-col">
        <LinkBanner />
        <main className="main" tabIndex={-1} aria-live="off">
          <Page page={page} />
        </main>
      </div>
    </div>
  )
}
