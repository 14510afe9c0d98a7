// Lab 1, task 2: the server removes duplicates; the client shows the final list and the duplicates.

import type { ListTask } from './list-exchange'
import { dedup, formatList, isDedupOf } from './sets'

function describeDuplicates(duplicates: { value: number; count: number }[]): string {
  if (duplicates.length === 0) return 'Duplicates: [] (none)'
  const counts = duplicates.map((d) => `${d.value} ×${d.count}`).join(', ')
  return `Duplicates: ${formatList(duplicates.map((d) => d.value))} (${counts})`
}

export const dedupTask: ListTask = {
  answer(values) {
    const { final, duplicates } = dedup(values)
    return {
      reply: final,
      lines: [`Received ${values.length} numbers, sending back ${final.length} without duplicates`],
      result: { kind: 'dedup', sent: values, final, duplicates },
    }
  },
  sending(values) {
    return [`Sending ${values.length} numbers: ${formatList(values)}`]
  },
  check(sent, reply) {
    const { duplicates } = dedup(sent)
    const verdict = isDedupOf(reply, sent)
    return {
      lines: [`Final list: ${formatList(reply)}`, describeDuplicates(duplicates)],
      result: { kind: 'dedup', sent, final: reply, duplicates, correct: verdict.ok },
      error: verdict.ok ? undefined : `The answer is wrong: ${verdict.why}`,
    }
  },
}
