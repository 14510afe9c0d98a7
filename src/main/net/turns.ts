// The event loop's time, shared fairly by every connection in the process. Each phase of an event-loop
// turn (the poll phase that reads sockets, then the check phase where those waiting in line go) has one
// budget of messages for all sessions together; a session takes a small share of it at a time and,
// when it has more to do, waits in line behind the others (round robin). A peer that pipelines
// thousands of requests therefore gets no more turns than a student who sends one, and the student's
// answer waits at most about one budget of other peers' messages, not every pipelined request there is.

/** Something with messages to handle: it asks for a share, handles at most that, and queues again. */
export interface Turn {
  /** Handle what is waiting, asking `Turns.grant` first; called again when its turn comes. */
  pump(): void
}

export interface TurnsOptions {
  /** Messages per event-loop turn, all sessions together. */
  budget: number
  /** Messages per session at a time, before the next one in line. */
  share: number
  /** How the next turn is scheduled (setImmediate: after the poll phase, so new data is read first). */
  later?: (run: () => void) => void
}

export class Turns {
  private used = 0
  private scheduled = false
  /** Sessions that got nothing this turn: they go first on the next one. */
  private starved = new Set<Turn>()
  /** Sessions that used a share and may have more: they go after the starved ones. */
  private waiting = new Set<Turn>()

  constructor(private readonly opts: TurnsOptions) {}

  /**
   * How many messages the caller may handle now, taken from this turn's budget; 0 when the budget is
   * spent, and then the caller is first in line for the next turn. Give back what was not used with `refund`.
   */
  grant(turn: Turn): number {
    const n = Math.min(this.opts.share, this.opts.budget - this.used)
    if (n <= 0) {
      this.waiting.delete(turn)
      this.starved.add(turn)
      this.schedule()
      return 0
    }
    this.used += n
    // A quiet server (a request now and then) needs no extra event-loop step per request: the count
    // starts over once half the budget is used, on the next turn, which is plenty to bound a busy one.
    if (this.used > this.opts.budget / 2) this.schedule()
    return n
  }

  /**
   * A lone request answered at once (the session's fast lane) is never made to wait: a connection gives at
   * most one such chunk per poll phase, which is the round robin's own share. It is counted against the
   * budget, so those waiting in line (pipeliners) get that much less of this turn.
   */
  charge(): void {
    if (++this.used > this.opts.budget / 2) this.schedule()
  }

  /** Give back the part of a grant that was not used. */
  refund(n: number): void {
    if (n > 0) this.used = Math.max(0, this.used - n)
  }

  /** Get in line for the next turn, behind those that got nothing (a session that used its whole share). */
  wait(turn: Turn): void {
    if (!this.starved.has(turn)) this.waiting.add(turn)
    this.schedule()
  }

  /** Drop a closed session from the line. */
  forget(turn: Turn): void {
    this.starved.delete(turn)
    this.waiting.delete(turn)
  }

  /** How many sessions wait for a turn (for tests). */
  get inLine(): number {
    return this.starved.size + this.waiting.size
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    ;(this.opts.later ?? setImmediate)(() => this.nextTurn())
  }

  private nextTurn(): void {
    this.scheduled = false
    this.used = 0
    const line = [...this.starved, ...this.waiting]
    this.starved = new Set()
    this.waiting = new Set()
    for (let i = 0; i < line.length; i++) {
      if (this.used >= this.opts.budget) {
        // Those not reached got nothing this turn: they go first on the next one.
        for (let j = i; j < line.length; j++) this.starved.add(line[j])
        for (const turn of this.starved) this.waiting.delete(turn)
        this.used = 0
        this.schedule()
        return
      }
      line[i].pump()
    }
    // The poll phase that follows (new data from every socket) starts with a whole budget of its own.
    this.used = 0
  }
}

/** The process's one budget: 512 messages a turn (a few ms of work), 16 per session at a time. */
export const turns = new Turns({ budget: 512, share: 16 })
