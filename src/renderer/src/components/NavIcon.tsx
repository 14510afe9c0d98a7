// The sidebar's page icons: small line drawings in the text colour, beside the page names, alone in a
// folded sidebar (the link then carries the page's name as its accessible name and title).

import type { ReactNode } from 'react'

export type NavIconId =
  'machine' | 'greeting' | 'dedup' | 'intersection' | 'adder' | 'many-clients' | 'connections' | 'traffic' | 'capture' | 'check'

/** The strokes of each icon, on a 20×20 grid. */
const DRAWINGS: Record<NavIconId, ReactNode> = {
  // A screen on a stand.
  machine: (
    <>
      <rect x="2.5" y="3.5" width="15" height="10" rx="1.5" />
      <path d="M7 17h6M10 13.5V17" />
    </>
  ),
  // A speech bubble.
  greeting: <path d="M3.5 4.5h13a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H9l-4 3v-3H3.5a1 1 0 0 1-1-1v-7a1 1 0 0 1 1-1Z" />,
  // Two copies of one card: the duplicate.
  dedup: (
    <>
      <rect x="6.5" y="6.5" width="10" height="10" rx="1.5" />
      <path d="M13.5 3.5h-8a2 2 0 0 0-2 2v8" />
    </>
  ),
  // Two overlapping sets.
  intersection: (
    <>
      <circle cx="7.5" cy="10" r="5" />
      <circle cx="12.5" cy="10" r="5" />
    </>
  ),
  // A plus in a circle.
  adder: (
    <>
      <circle cx="10" cy="10" r="7.5" />
      <path d="M10 6.5v7M6.5 10h7" />
    </>
  ),
  // Several clients aimed at one server.
  'many-clients': (
    <>
      <circle cx="15.5" cy="10" r="2" />
      <circle cx="4" cy="4.5" r="1.5" />
      <circle cx="4" cy="10" r="1.5" />
      <circle cx="4" cy="15.5" r="1.5" />
      <path d="M5.5 5.2 13.6 9.2M5.5 10h8M5.5 14.8l8.1-4" />
    </>
  ),
  // Two links of a chain.
  connections: (
    <>
      <path d="M8.5 11.5a3 3 0 0 0 4.2 0l2.6-2.6a3 3 0 0 0-4.2-4.2l-1 1" />
      <path d="M11.5 8.5a3 3 0 0 0-4.2 0l-2.6 2.6a3 3 0 0 0 4.2 4.2l1-1" />
    </>
  ),
  // A message each way.
  traffic: <path d="M3 7h12.5M12.5 4l3 3-3 3M17 13H4.5M7.5 10l-3 3 3 3" />,
  // A magnifier over the wire.
  capture: (
    <>
      <circle cx="8.5" cy="8.5" r="5" />
      <path d="m12.2 12.2 4.8 4.8M5.5 8.5h1.5l1-2 1 4 1-2h1" />
    </>
  ),
  // A ticked box.
  check: (
    <>
      <rect x="2.5" y="2.5" width="15" height="15" rx="2" />
      <path d="m6 10.2 2.8 2.8L14.2 7" />
    </>
  ),
}

/** A page's icon: decoration only, the page's name says what it is. */
export function NavIcon({ id }: { id: NavIconId }): ReactNode {
  return (
    <svg
      className="nav-icon"
      viewBox="0 0 20 20"
      width="18"
      height="18"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      data-testid={`nav-icon-${id}`}
    >
      {DRAWINGS[id]}
    </svg>
  )
}
