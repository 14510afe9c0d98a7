// Bounds that keep the renderer responsive with 1000 clients and 50,000 messages. The Traffic bound is
// the host's own log size, so the view, the export and the README say one number.

import { TRAFFIC_LOG_MESSAGES } from '@shared/contract'

export const LIMITS = {
  /** Messages kept for the Traffic view, per log (the exercises' and Many clients'), as the host keeps them. */
  traffic: TRAFFIC_LOG_MESSAGES,
  /** Console lines kept per server or client. */
  linesPerOwner: 2_000,
  /** Exercise results kept per server or client. */
  resultsPerOwner: 200,
  /** Closed connections kept as "recent". */
  closedConnections: 2_000,
  /** Finished clients whose console and results are kept. */
  endedClients: 200,
  /** Captured packets kept for the Capture view (the .pcapng keeps them all). */
  packets: 5_000,
} as const
