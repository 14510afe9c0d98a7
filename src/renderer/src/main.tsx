// Entry of the renderer: connect the one store to the bridge (preload or browser-mode WebSocket),
// persist the typed settings, and render.

import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { getLink } from './bridge'
import { appStore, connectStore, createActions, persistSettings, setActions } from './store'
import { applyCheckSnapshot, checkStore, connectCheckStore } from './store/check'
import './styles.css'

const link = getLink()
const actions = createActions(appStore, link.bridge)
setActions(actions)
connectCheckStore(checkStore, link)
connectStore(appStore, link, actions, (snap) => applyCheckSnapshot(checkStore, snap))
persistSettings(appStore)
// The addresses are wanted on several pages ("a neighbour connects to …").
void actions.loadInterfaces()

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
