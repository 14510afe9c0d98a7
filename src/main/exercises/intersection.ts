// Lab 1, task 3: the server intersects the client's set with its own and sends the common numbers sorted.

import type { ListTask } from './list-exchange'
import { formatList, intersection, isIntersectionFor } from './sets'

export function intersectionTask(serverSet: () => number[]): ListTask {
  return {
    answer(values) {
      const own = serverSet()
      const common = intersection(values, own)
      return {
        reply: common,
        lines: [`Client set: ${formatList(values)}`, `Server set: ${formatList(own)}`, `Common numbers: ${formatList(common)}`],
        result: { kind: 'intersection', clientSet: values, serverSet: own, common },
      }
    },
    sending(values) {
      return [`Client set: ${formatList(values)}`]
    },
    check(sent, reply) {
      const verdict = isIntersectionFor(reply, sent)
      return {
        lines: [`Intersection: ${formatList(reply)}`],
        result: { kind: 'intersection', clientSet: sent, common: reply, correct: verdict.ok },
        error: verdict.ok ? undefined : `The answer is wrong: ${verdict.why}`,
      }
    },
  }
}
