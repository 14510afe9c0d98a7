// What belongs to this window and not to the host: the link to it, which server and client each page
// shows, errors next to their fields, the forms as typed (settings), filters, selection, the theme.

import type { ErrorDetail } from '@shared/contract'
import { EXERCISES, type Exercise } from '@shared/settings'
import type { LinkStatus } from '../bridge'
import type { Settings } from './settings'

/** What one exercise page shows: the server and the client it started (or adopted). */
export interface Pane {
  readonly serverId?: string
  readonly clientId?: string
}

export interface FormError {
  readonly error: string
  /** The control it belongs next to; absent: next to the form's main button. */
  readonly field?: string
  /** Why it is shown, so it can go when its cause is fixed (a server started, a port freed). */
  readonly cause?: 'nothing-listening' | 'port-in-use'
  /** The port it is about. */
  readonly port?: number
  /** The host's facts about it: which of our servers holds a port, the doctor's diagnosis. */
  readonly detail?: ErrorDetail
}

export type Direction = 'all' | 'in' | 'out'

/** Whose traffic the Traffic view shows: the exercises' own, or Many clients' (kept apart). */
export type TrafficSource = 'exercises' | 'many-clients'

export interface TrafficFilter {
  /** A connId, or text matched against connId, addresses and names. */
  readonly conn: string
  readonly dir: Direction
  readonly text: string
  readonly source: TrafficSource
}

/** The Traffic view unfiltered: every exercise message. What it shows when opened from the sidebar. */
export const ALL_TRAFFIC: TrafficFilter = { conn: '', dir: 'all', text: '', source: 'exercises' }

/** The Capture page's form, as typed (not persisted: ports change from one run to the next). */
export interface CaptureForm {
  /** Interface name; empty: the recommended one (the first that captureStatus lists). */
  readonly iface: string
  /** Empty: the port of the newest running server. */
  readonly port: string
}

/** A message to select when the Traffic view opens (a packet's "message" link). */
export interface TrafficFocus {
  readonly seq: number
  /** The packet (Wireshark's No.) that carried it. */
  readonly packet: number
}

export interface UiState {
  readonly link: LinkStatus
  readonly panes: Readonly<Record<Exercise, Pane>>
  readonly manyClientsId?: string
  readonly errors: Readonly<Record<string, FormError | undefined>>
  readonly settings: Settings
  readonly trafficFilter: TrafficFilter
  readonly selectedConn?: string
  readonly trafficFocus?: TrafficFocus
  readonly captureForm: CaptureForm
  /** The sidebar folded to icons (a small window). */
  readonly sidebarCollapsed: boolean
}

export function initialUi(settings: Settings): UiState {
  return {
    link: { state: 'connecting', attempt: 0, wasOpen: false },
    panes: Object.fromEntries(EXERCISES.map((e) => [e, {}])) as Record<Exercise, Pane>,
    errors: {},
    settings,
    trafficFilter: ALL_TRAFFIC,
    captureForm: { iface: '', port: '' },
    sidebarCollapsed: false,
  }
}
