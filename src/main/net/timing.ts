// Timing that follows the link. Every wait SocketLab makes on a classmate's program (how long a pause
// ends a message, how long to wait for an optional greeting, how long a server waits before greeting a
// silent client, how far apart two messages go) derives from the connection's measured round trip, kept
// as TCP keeps it (RFC 6298: a smoothed RTT and its variation, and 1 s before any sample), with the
// fixed values of a fast LAN as floors. On loopback nothing changes; across a slow, jittery or lossy
// link the waits stretch instead of cutting a message or sending into the wrong `recv()`.

export interface TimingFloors {
  /** A message with no end marker counts as complete after this much quiet (at least). */
  quietMs: number
  /** Two messages sent in a row are at least this far apart. */
  paceMs: number
}

export interface RttEstimate {
  srtt: number
  rttvar: number
}

/** TCP's initial retransmission timeout, before any round trip has been measured (RFC 6298, 2.1). */
const INITIAL_RTO_MS = 1000
/** Linux's smallest retransmission timeout: a lost segment is not resent sooner than this. */
const MIN_RTO_MS = 200
/** No single wait grows past this, however bad the estimate (a broken peer must not stall for minutes). */
const MAX_WAIT_MS = 30_000
/** A round trip this short is this machine's own loopback, where no segment is ever lost. */
const LOSSLESS_RTT_MS = 1
/** A sample longer than this is a pause of the peer (a person at a keyboard), not a round trip. */
const MAX_SAMPLE_MS = 10_000

export class LinkTiming {
  private srtt = -1
  private rttvar = 0
  /** The longest gap seen between two chunks of one message (a slow link's serialisation time). */
  private chunkGap = 0

  constructor(
    private readonly floors: TimingFloors,
    initial?: RttEstimate,
  ) {
    if (initial) {
      this.srtt = initial.srtt
      this.rttvar = initial.rttvar
    }
  }

  /** One round-trip measurement (a connect, or a request and its reply). */
  sample(ms: number): void {
    if (!(ms >= 0) || ms > MAX_SAMPLE_MS) return
    if (this.srtt < 0) {
      this.srtt = ms
      this.rttvar = ms / 2
      return
    }
    this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - ms)
    this.srtt = 0.875 * this.srtt + 0.125 * ms
  }

  /** The gap between two chunks of one message, so the quiet moment outlasts the link's own pauses. */
  gap(ms: number): void {
    if (ms > this.chunkGap && ms < MAX_WAIT_MS) this.chunkGap = ms
  }

  get known(): boolean {
    return this.srtt >= 0
  }

  estimate(): RttEstimate | null {
    return this.known ? { srtt: this.srtt, rttvar: this.rttvar } : null
  }

  /** The retransmission timeout TCP itself would use now. */
  rto(): number {
    if (!this.known) return INITIAL_RTO_MS
    return Math.max(MIN_RTO_MS, this.srtt + 4 * this.rttvar)
  }

  /** The smoothed round trip plus its variation, without TCP's 200 ms floor (for waits, not resends). */
  private spread(): number {
    return this.srtt + 4 * this.rttvar
  }

  /** Quiet that ends a message whose shape says nothing either way (text without a terminator). */
  quietMs(): number {
    const jitter = this.known ? 2 * this.rttvar : 0
    return bounded(Math.max(this.floors.quietMs, jitter, 2 * this.chunkGap))
  }

  /** Quiet that may end a message whose shape says it is unfinished (an open `[`, a pickle before STOP). */
  unfinishedQuietMs(): number {
    return bounded(Math.max(3000, 4 * this.rto(), 4 * this.chunkGap, 4 * this.floors.quietMs))
  }

  /**
   * How far apart two messages sent in a row go: past the first one's acknowledgement, even when its
   * segment was lost. A lost first message is resent one retransmission timeout later; a second message
   * sent before that resend lands waits in the peer's reordering queue and reaches its `recv()` glued to
   * the first (`[…][…]`, seen at 10 % loss). So across a real link the second goes two timeouts and a
   * round trip later. Loopback (a round trip under a millisecond) loses nothing: one timeout is plenty.
   */
  paceMs(): number {
    if (!this.known) return bounded(this.floors.paceMs)
    const rto = this.rto()
    return bounded(Math.max(this.floors.paceMs, this.srtt < LOSSLESS_RTT_MS ? rto : 2 * rto + this.srtt))
  }

  /** Client: how long to wait for an optional greeting before speaking first. */
  greetingWaitMs(floor: number): number {
    return bounded(Math.max(floor, 4 * this.floors.quietMs, this.known ? 3 * this.spread() : INITIAL_RTO_MS))
  }

  /**
   * Server: how long a new client has to speak first before it is greeted. Across a real link a
   * list-first client's list may be lost and resent one retransmission timeout later, or lost again and
   * resent two timeouts after that (TCP doubles it): greeting sooner would put the greeting into the
   * `recv()` that waits for the answer (seen at 10 % loss). Loopback loses nothing: its spread is plenty.
   */
  speakFirstMs(): number {
    if (!this.known) return bounded(Math.max(this.floors.quietMs, INITIAL_RTO_MS))
    const lossless = this.srtt < LOSSLESS_RTT_MS
    return bounded(Math.max(this.floors.quietMs, 2 * this.spread(), lossless ? 0 : 3 * this.rto() + this.srtt))
  }

  /** Client: how long a server that has shown it is talking to us may take before we try again. */
  answerWaitMs(): number {
    return bounded(Math.max(1000, 3 * this.rto(), 4 * this.floors.paceMs))
  }

  /** Client: after an answer, how long to keep reading for a second message (the duplicates). */
  collectMs(): number {
    return bounded(Math.max(750, 3 * this.floors.paceMs, 2 * this.rto() + this.floors.paceMs))
  }
}

function bounded(ms: number): number {
  return Math.ceil(Math.min(ms, MAX_WAIT_MS))
}

/**
 * Round trips remembered per peer address, so a server (which never sees the handshake's timing) can
 * judge a returning classmate's link. Bounded: the oldest addresses are forgotten first.
 */
export class RttMemory {
  private readonly byAddress = new Map<string, RttEstimate>()

  constructor(private readonly max = 1024) {}

  get(address: string): RttEstimate | undefined {
    return this.byAddress.get(address)
  }

  remember(address: string, estimate: RttEstimate | null): void {
    if (!estimate) return
    this.byAddress.delete(address)
    this.byAddress.set(address, estimate)
    if (this.byAddress.size > this.max) this.byAddress.delete(this.byAddress.keys().next().value as string)
  }
}
