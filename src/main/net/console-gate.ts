// An output limit for one console: at most N lines a second, then one line saying how many were left
// out. A server answering 100,000 sums a second (Lab 2 question 2 under Many clients, or a flood from a
// hostile neighbour) must not turn its console, the terminal of `socketlab serve` or the renderer into
// the bottleneck; the counters and the traffic log stay exact either way.
//
// The gate reads no clock on the hot path: a window's first line arms one timer that ends the window a
// second later, so `open` and `allow` are a comparison and a count.

import type { EventSink } from '../sink'

const WINDOW_MS = 1000

export class ConsoleGate {
  private used = 0
  private dropped = 0
  /** Ends the current window (armed by its first line), or null between windows. */
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly sink: EventSink,
    private readonly ownerId: string,
    private readonly perSecond: number,
  ) {}

  /** Would a line be printed now (without counting one)? Lets a hot path skip composing it. */
  get open(): boolean {
    return this.used < this.perSecond
  }

  /** May one more line be printed now? */
  allow(): boolean {
    if (!this.timer) {
      this.timer = setTimeout(() => this.endWindow(), WINDOW_MS)
      this.timer.unref()
    }
    if (this.used < this.perSecond) {
      this.used++
      return true
    }
    this.dropped++
    return false
  }

  /** The second is over: the count starts again, after saying how many lines were left out. */
  private endWindow(): void {
    this.timer = null
    this.used = 0
    const n = this.dropped
    if (n === 0) return
    this.dropped = 0
    this.sink.line(
      this.ownerId,
      `… ${n.toLocaleString('en-US')} more line${n === 1 ? '' : 's'} in that second not shown (at most ${this.perSecond} a second; Connections and Traffic have every message)`,
    )
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer)
    this.endWindow()
  }
}
