// What the guided step-through says at each packet of a ladder: a title, a short explanation in the
// lab's terms, and the checks a student is expected to make with this capture's own numbers (the
// SYN/ACK acknowledges the SYN's sequence number + 1; the data's length matches the text; each side
// sends its own FIN). Pure: computed from the ladder model's facts, no React.

import type { Ladder, LadderArrow } from '@shared/ladder'
import { bytesText, flagsText, visibleText } from '@shared/ladder-words'

export interface StepCheck {
  text: string
  /** true: holds here; false: does not (worth a look); undefined: cannot be checked from these facts. */
  ok?: boolean
}

export interface Step {
  title: string
  explanation: string
  checks: StepCheck[]
}

/** A Traffic message as the step-through needs it: its text and its real size. */
export interface KnownMessage {
  text: string
  size: number
}

const encoder = new TextEncoder()

function quoted(text: string, max = 60): string {
  const v = visibleText(text)
  return `“${[...v].length > max ? `${[...v].slice(0, max).join('')}…` : v}”`
}

/** The bytes a payload stands for, when its text has no escapes (`\n`, `\xNN`) and is whole. */
function payloadBytes(a: LadderArrow): number | undefined {
  if (a.text === undefined || a.textCut || a.text.includes('\\')) return undefined
  return encoder.encode(a.text).length
}

function before(ladder: Ladder, a: LadderArrow, match: (x: LadderArrow) => boolean): LadderArrow | undefined {
  for (let i = a.index - 1; i >= 0; i--) if (match(ladder.arrows[i])) return ladder.arrows[i]
  return undefined
}

/** `Ack 1 = SYN Seq 0 + 1` with whether it holds; undefined when the numbers are not known (socket events). */
function ackCheck(a: LadderArrow, of: LadderArrow | undefined, name: string, plus: number): StepCheck {
  if (a.ack === undefined || of?.seq === undefined)
    return { text: `In Wireshark: this Ack is the ${name}’s Seq + ${plus} (the numbers need a packet capture).` }
  const want = of.seq + plus
  return {
    text: `Ack ${a.ack} = the ${name}’s Seq ${of.seq} + ${plus}${of.no !== undefined ? ` (packet #${of.no})` : ''}`,
    ok: a.ack === want,
  }
}

function lengthCheck(a: LadderArrow, messages: ReadonlyMap<number, KnownMessage>): StepCheck {
  const known = a.messages.map((seq) => messages.get(seq)).filter((m): m is KnownMessage => !!m)
  if (known.length === 1 && known.length === a.messages.length) {
    const m = known[0]
    if (m.size === a.len)
      return { text: `Len ${a.len} = the ${bytesText(m.size)} of ${quoted(m.text)}: nothing is added around the text`, ok: true }
    if (m.size > a.len)
      return {
        text: `Len ${a.len}: part of the ${bytesText(m.size)} message ${quoted(m.text)} — TCP may split one send() over several segments`,
      }
  }
  if (known.length > 1 && known.length === a.messages.length) {
    const total = known.reduce((n, m) => n + m.size, 0)
    return {
      text: `Len ${a.len} = ${known.length} messages together (${known.map((m) => m.size).join(' + ')} bytes): TCP keeps no message boundaries`,
      ok: total === a.len ? true : undefined,
    }
  }
  const bytes = payloadBytes(a)
  if (bytes !== undefined)
    return { text: `Len ${a.len} = the ${bytesText(bytes)} of the text ${quoted(a.text ?? '')}`, ok: bytes === a.len }
  return { text: `Len ${a.len}: count the bytes of the text in Wireshark’s bytes pane` }
}

function finChecks(ladder: Ladder, a: LadderArrow): StepCheck[] {
  const upTo = ladder.arrows.slice(0, a.index + 1)
  const finFrom = (side: 'client' | 'server'): boolean => upTo.some((x) => x.teardown === 'fin' && x.from === side)
  const other = a.from === 'client' ? 'server' : 'client'
  return [
    { text: `The ${a.from} sent its own FIN (its close())`, ok: finFrom(a.from) },
    finFrom(other)
      ? { text: `The ${other} sent its own FIN too: each side closes its own direction`, ok: true }
      : { text: `The ${other} has not sent its FIN yet: each side sends its own` },
  ]
}

/** The step at one arrow of the ladder. */
export function stepAt(ladder: Ladder, index: number, messages: ReadonlyMap<number, KnownMessage> = new Map()): Step {
  const a = ladder.arrows[index]
  const flags = flagsText(a.flags)
  const to = a.from === 'client' ? 'server' : 'client'
  const inferred = ladder.source === 'socket-events'
  switch (a.phase) {
    case 'handshake': {
      if (a.step === 1)
        return {
          title: 'Handshake 1/3 — SYN',
          explanation: `The client’s connect() sends SYN: “may I open a connection?”, with its first sequence number${a.seq !== undefined ? ` (Wireshark shows it relative: Seq=${a.seq})` : ''}. No text travels yet.`,
          checks: [{ text: `Len ${a.len}: the handshake carries no data`, ok: a.len === 0 }],
        }
      if (a.step === 2)
        return {
          title: 'Handshake 2/3 — SYN/ACK',
          explanation:
            'The server’s kernel answers SYN/ACK: it acknowledges the client’s SYN and sends its own SYN. The server program has not returned from accept() yet.',
          checks: [
            ackCheck(
              a,
              before(ladder, a, (x) => x.step === 1),
              'SYN',
              1,
            ),
          ],
        }
      return {
        title: 'Handshake 3/3 — ACK',
        explanation:
          'The client acknowledges the server’s SYN. The connection is open: connect() has returned on the client, and accept() returns on the server.',
        checks: [
          ackCheck(
            a,
            before(ladder, a, (x) => x.step === 2),
            'SYN/ACK',
            1,
          ),
        ],
      }
    }
    case 'data':
      return {
        title: `Data — the ${a.from} sends ${a.text !== undefined ? quoted(a.text, 40) : bytesText(a.len)}`,
        explanation: `The ${a.from}’s send() put ${bytesText(a.len)} on the wire in a ${flags} segment; the ${to}’s recv() returns them.${inferred ? ' (Drawn from the app’s socket events: one arrow per message.)' : ''}`,
        checks: [lengthCheck(a, messages), ...(a.teardown === 'fin' ? finChecks(ladder, a) : [])],
      }
    case 'ack': {
      const data = before(ladder, a, (x) => x.from !== a.from && x.len > 0)
      return {
        title: `ACK — the ${a.from} confirms what it received`,
        explanation: `A bare acknowledgement (Len 0): the ${a.from} tells the ${to} which byte it expects next. recv() does not see it.`,
        checks:
          data && data.seq !== undefined && a.ack !== undefined
            ? [
                {
                  text: `Ack ${a.ack} = Seq ${data.seq} + Len ${data.len} of packet #${data.no ?? '?'}: everything up to there arrived`,
                  ok: a.ack === data.seq + data.len,
                },
              ]
            : [],
      }
    }
    case 'teardown': {
      if (a.teardown === 'fin')
        return {
          title: `Teardown — FIN from the ${a.from}`,
          explanation: `The ${a.from}’s close() sends FIN (shown ${flags}): it will send no more. The ${to}’s recv() now returns b'' (empty).`,
          checks: finChecks(ladder, a),
        }
      const fin = before(ladder, a, (x) => x.teardown === 'fin' && x.from !== a.from)
      if (a.teardown === 'last-ack')
        return {
          title: 'Teardown — the last ACK',
          explanation: `The ${a.from} acknowledges the ${to}’s FIN: both directions are closed, the connection is over.`,
          checks: [ackCheck(a, fin, 'FIN', 1 + (fin?.len ?? 0)), ...finChecks(ladder, a).slice(0, 1)],
        }
      return {
        title: 'Teardown — ACK of the FIN',
        explanation: `The ${a.from} acknowledges the ${to}’s FIN. Its own direction stays open until it calls close() too.`,
        checks: [ackCheck(a, fin, 'FIN', 1 + (fin?.len ?? 0))],
      }
    }
    case 'reset':
      return {
        title: `Reset — RST from the ${a.from}`,
        explanation:
          'RST aborts the connection at once, without the FIN exchange: for example a socket closed with data it had not read, or a program that crashed.',
        checks: [{ text: 'No FIN/ACK exchange follows: the connection is gone', ok: true }],
      }
    case 'retransmission': {
      const original = ladder.arrows.find((x) => x.no !== undefined && x.no === a.retransmits)
      return {
        title: `Retransmission${a.retransmits !== undefined ? ` of #${a.retransmits}` : ''}`,
        explanation: `The ${a.from} sent these bytes again: no acknowledgement came in time, so TCP repeats the segment. The ${to}’s program still receives the text once.`,
        checks:
          original && original.seq !== undefined
            ? [{ text: `Same Seq as packet #${original.no} (${original.seq}): the same bytes again`, ok: original.seq === a.seq }]
            : [],
      }
    }
  }
}
