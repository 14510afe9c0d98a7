// The state of the link to the engine (the host that owns every server and client), where the student
// can see it: the banner over the page, the dot beside the app's name, and `useEngineReachable` for the
// buttons that cannot work without the engine. The words follow what the bridge knows, and no more:
// after a drop it cannot know whether the engine still runs; after a goodbye it knows it stopped.

import type { ReactNode } from 'react'
import { engineReachable } from '../bridge'
import { useApp } from '../store'

/** False once the engine has stopped: a button that sends it a command should be disabled. */
export function useEngineReachable(): boolean {
  return useApp((s) => engineReachable(s.link))
}

/** Why such a button is disabled (for its title). */
export const ENGINE_STOPPED_HINT = 'SocketLab has stopped: run "npm start" in the SocketLab folder to start it again'

export function LinkBanner(): ReactNode {
  const link = useApp((s) => s.link)
  if (link.state === 'open') return null
  if (link.state === 'stopped') {
    return (
      <div className="banner err" role="alert" data-testid="link-banner" data-link="stopped">
        <b>SocketLab has stopped</b> (Ctrl+C or its terminal was closed), and every server and client it ran stopped with it. To
        start it again, run <code>npm start</code> in the SocketLab folder and open the address it prints. Until then, what you
        see here is what was there when it stopped.
      </div>
    )
  }
  if (!link.wasOpen && link.state === 'connecting' && link.attempt === 0) {
    return (
      <div className="banner info" role="status" data-testid="link-banner" data-link="connecting">
        Connecting to SocketLab…
      </div>
    )
  }
  return (
    <div className="banner err" role="alert" data-testid="link-banner" data-link="lost">
      <b>Lost the connection to SocketLab</b> — reconnecting{link.attempt > 1 ? ` (attempt ${link.attempt})` : ''}… If its
      terminal is still open, its servers and clients are unaffected; if it was closed, run <code>npm start</code> in the
      SocketLab folder.
    </div>
  )
}

/** The dot beside the app's name: green only while the link is open. */
export function LinkDot(): ReactNode {
  const state = useApp((s) => s.link.state)
  const [tone, title] =
    state === 'open'
      ? ['ok', 'Connected to the engine']
      : state === 'stopped'
        ? ['stopped', 'SocketLab has stopped']
        : ['wait', state === 'lost' ? 'Reconnecting…' : 'Connecting…']
  return (
    <span
      className={`brand-dot ${tone}`}
      title={title}
      role="img"
      aria-label={title}
      data-testid="link-dot"
      // The stylesheet colours only "ok"; a stopped engine is the error colour.
      style={tone === 'stopped' ? { background: 'var(--err)' } : undefined}
    />
  )
}
