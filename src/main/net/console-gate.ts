// An output limit for one console: at most N lines a second, then one line saying how many were left
// out. A server answering 100,000 sums a second (Lab 2 question 2 under Many clients, or a flood from a
// hostile neighbour) must not turn its console, the terminal of `socketlab serve` or the renderer into
// the bottleneck; the counters and the traffic log stay exact either way.

import type { EventSink } from '../sink'

export class ConsoleGate {
  private windowStart = 0
  private used = 0
  private dropped = 0
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly sink: EventSink,
    private readonly ownerId: string,
    private readonly perSecond: number,
  ) {}

  /** Would a line be printed now (without counting one)? Lets a hot path skip composing it. */
  get open(): boolean {
    return this.used < this.perSecond || Date.now() - this.windowStart >= 1000
  }

  /** May one more line be printed now? */
  allow(): boolean {
    const now = Date.now()
    if (now - this.windowStart >= 1000) {
      this.report()
      this.windowStart = now
      this.used = 0
    }
    if (this.used < this.perSecond) {
      this.used++
      return true
    }
    if (this.dropped++ === 0) {
      // Say how many were left out once the second is over, even if nothing else is printed.
      this.timer = setTimeout(() => this.report(), Math.max(1, 1000 - (now - this.windowStart)))
      this.timer.unref()
    }
    return false
  }

  private report(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.dropped === 0) return
    const n = this.dropped
    this.dropped = 0
    this.sink.line(
      this.ownerId,
      `… ${n.toLocaleString('en-US')} more line${n === 1 ? '' : 's'} in that second not shown (at most ${this.perSecond} a second; Connections and Traffic have every message)`,
    )
  }

  dispose(): void {
    this.report()
  }
}
