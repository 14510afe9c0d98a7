// The one virtualised list (Connections, Traffic, Capture's packets): only the visible rows exist in the
// DOM; it follows the newest row while scrolled to the bottom, moves the selection with the keyboard
// (listKeys), and is a listbox only while it has options (an empty list is a plain note).

import { useCallback, useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { nextIndex, onListKey } from './listKeys'

export interface VirtualListProps<T> {
  items: readonly T[]
  rowHeight: number
  itemKey(item: T): string | number
  /** The DOM id of a row (for aria-activedescendant). */
  rowId(item: T): string
  /** The selected row's index, -1 for none. */
  selectedIndex: number
  /** The keyboard moved the selection to this row (undefined: Escape cleared it). */
  onSelect(item: T | undefined): void
  renderRow(item: T, top: number, index: number): ReactNode
  /** The column heads, above the scroller. */
  header?: ReactNode
  label: string
  testid: string
  empty: ReactNode
  className?: string
  /** Keep the newest row in view while scrolled to the bottom (default true). */
  follow?: boolean
  /** Follow only once the user has scrolled to the bottom, not from the start (the first rows stay in view). */
  followAfterScroll?: boolean
  /** Scroll the selected row into view whenever the selection changes (it may be picked outside the list). */
  revealSelected?: boolean
  /** Scroll this row into view once (a row opened from elsewhere). */
  revealIndex?: number
  /** More keys (Delete closes a connection); true when handled. */
  onKey?(e: KeyboardEvent<HTMLDivElement>): boolean
}

export function VirtualList<T>(p: VirtualListProps<T>): ReactNode {
  const scroller = useRef<HTMLDivElement>(null)
  const atBottom = useRef(!p.followAfterScroll)
  const { items, itemKey } = p
  // A stable key function: a new one each render makes the virtualiser re-measure every row.
  const getItemKey = useCallback((i: number) => itemKey(items[i]), [items, itemKey])
  const v = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => p.rowHeight,
    overscan: 12,
    getItemKey,
  })

  const follow = p.follow ?? true
  useEffect(() => {
    if (follow && atBottom.current && items.length) v.scrollToIndex(items.length - 1, { align: 'end' })
  }, [items.length, follow, v])

  const revealed = useRef(false)
  useEffect(() => {
    if (p.revealIndex === undefined || p.revealIndex < 0 || revealed.current) return
    revealed.current = true
    atBottom.current = false
    v.scrollToIndex(p.revealIndex, { align: 'center' })
  }, [p.revealIndex, v])

  const revealSelected = p.revealSelected ?? false
  useEffect(() => {
    if (revealSelected && p.selectedIndex >= 0) v.scrollToIndex(p.selectedIndex, { align: 'auto' })
  }, [revealSelected, p.selectedIndex, v])

  // A selected row in view stays in view when the list gets shorter (the detail it opened below it).
  const selectedNow = useRef(p.selectedIndex)
  selectedNow.current = p.selectedIndex
  const { rowHeight } = p
  useEffect(() => {
    const el = scroller.current
    if (!el || typeof ResizeObserver === 'undefined') return
    let height = el.clientHeight
    const watch = new ResizeObserver(() => {
      const before = height
      height = el.clientHeight
      const i = selectedNow.current
      if (i < 0 || height >= before) return
      const top = i * rowHeight
      if (top >= el.scrollTop && top + rowHeight <= el.scrollTop + before) v.scrollToIndex(i, { align: 'auto' })
    })
    watch.observe(el)
    return () => watch.disconnect()
  }, [v, rowHeight])

  const move = (delta: number): void => {
    if (!items.length) return
    const next = nextIndex(p.selectedIndex, delta, items.length)
    p.onSelect(items[next])
    v.scrollToIndex(next, { align: 'auto' })
  }

  const has = items.length > 0
  const selected = p.selectedIndex >= 0 && p.selectedIndex < items.length ? items[p.selectedIndex] : undefined
  return (
    <div className={`vlist-wrap ${p.className ?? ''}`}>
      {p.header}
      <div
        ref={scroller}
        className="vlist"
        role={has ? 'listbox' : undefined}
        aria-label={has ? p.label : undefined}
        tabIndex={0}
        data-testid={p.testid}
        aria-activedescendant={selected !== undefined ? p.rowId(selected) : undefined}
        onScroll={(e) => {
          const el = e.currentTarget
          atBottom.current =
            el.scrollHeight > el.clientHeight && el.scrollHeight - el.scrollTop - el.clientHeight < p.rowHeight * 2
        }}
        onKeyDown={(e) => {
          if (p.onKey?.(e)) {
            e.preventDefault()
            return
          }
          onListKey(e, move, () => p.onSelect(undefined))
        }}
      >
        {has ? (
          <div style={{ height: v.getTotalSize(), position: 'relative' }}>
            {v.getVirtualItems().map((item) => p.renderRow(items[item.index], item.start, item.index))}
          </div>
        ) : (
          <div className="vlist-empty" data-testid={`${p.testid}-empty`}>
            {p.empty}
          </div>
        )}
      </div>
    </div>
  )
}
