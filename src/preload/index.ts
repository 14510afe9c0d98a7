// The preload: the page's only way out. It exposes `window.socketlab` (one function per host command,
// onBatch and mode) and nothing else; the page never sees ipcRenderer or an IPC event object.
// It runs sandboxed, so everything except electron is bundled into out/preload/index.cjs.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import {
  CHANNEL_BATCH,
  CHANNEL_COMMAND,
  COMMAND_NAMES,
  type CommandFunctions,
  type EventBatch,
  type SocketLabBridge,
} from '@shared/contract'

const commands = Object.fromEntries(
  COMMAND_NAMES.map((name) => [name, (args: unknown) => ipcRenderer.invoke(CHANNEL_COMMAND, name, args)]),
) as CommandFunctions

const bridge: SocketLabBridge = {
  ...commands,
  onBatch(listener: (batch: EventBatch) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('socketlab.onBatch needs a function')
    const forward = (_event: IpcRendererEvent, batch: EventBatch): void => listener(batch)
    ipcRenderer.on(CHANNEL_BATCH, forward)
    let subscribed = true
    return () => {
      if (!subscribed) return
      subscribed = false
      ipcRenderer.removeListener(CHANNEL_BATCH, forward)
    }
  },
  mode: 'electron',
}

contextBridge.exposeInMainWorld('socketlab', bridge)
