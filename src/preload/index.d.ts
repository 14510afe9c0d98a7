// What the preload puts on the page: `window.socketlab` (see src/shared/contract.ts). Optional, because
// the same page also runs in browser mode, where there is no preload; this matches the renderer's own
// declaration exactly, so the two merge if both are in one program.
import type { SocketLabBridge } from '../shared/contract'

declare global {
  interface Window {
    socketlab?: SocketLabBridge
  }
}

export {}
