// Lab 1, task 2: the server removes duplicates and sends the final list, then the duplicates as a second
// message (as every real dedup server does, and as real dedup clients expect); the client shows the final
// list and the duplicates, the server's own when it sent them, checked against what was sent.

import type { ExerciseResult } from '@shared/contract'
import { describeWrongDuplicates, findLists, judgeDuplicates, pickAnswer } from './answers'
import type { ListTask } from './list-exchange'
import { formatList } from '@shared/lab'
import { dedup, isDedupOf } from './sets'

function describeDuplicates(duplicates: { value: number; count: number }[]): string {
  if (duplicates.length === 0) return 'Duplicates: [] (none)'
  const counts = duplicates.map((d) => `${d.value} ×${d.count}`).join(', ')
  return `Duplicates: ${formatList(duplicates.map((d) => d.value))} (${counts})`
}

/** No list at all could be read: a malformed answer, shown as received. */
function malformed(sent: number[], duplicates: { value: number; count: number }[], why: string) {
  const result: ExerciseResult = { kind: 'dedup', sent, final: [], duplicates, verdict: 'wrong', why }
  return { lines: [], result, error: `The server's answer is malformed: ${why}` }
}

export const dedupTask: ListTask = {
  answer(values) {
    const { final, duplicates } = dedup(values)
    return {
      replies: [final, duplicates.map((d) => d.value)],
      lines: [
        `Received ${values.length} numbers, sending back ${final.length} without duplicates`,
        `Duplicates sent next: ${formatList(duplicates.map((d) => d.value))}`,
      ],
      result: { kind: 'dedup', sent: values, final, duplicates },
    }
  },
  sending(values) {
    return [`Sending ${values.length} numbers: ${formatList(values)}`]
  },
  judge(sent, messages) {
    const { duplicates } = dedup(sent)
    const found = findLists(messages)
    const { answer, duplicates: theirs } = pickAnswer(found.lists, sent, duplicates.length === 0)
    if (found.lists.length === 0) return malformed(sent, duplicates, found.problems[0] ?? 'there is no list in it')
    if (!answer) {
      const why = 'the server sent only a copy of our own list back'
      const result: ExerciseResult = { kind: 'dedup', sent, final: [], duplicates, verdict: 'unknown', why }
      return { lines: [`Cannot tell the answer: ${why}`, describeDuplicates(duplicates)], result }
    }
    const verdict = isDedupOf(answer.values, sent)
    const lines = [`Final list: ${formatList(answer.values)}`]
    const result: ExerciseResult = {
      kind: 'dedup',
      sent,
      final: answer.values,
      duplicates,
      correct: verdict.ok,
      verdict: verdict.ok ? 'correct' : 'wrong',
    }
    const problems: string[] = []
    if (!verdict.ok) problems.push(verdict.why!)
    if (theirs) {
      const judged = judgeDuplicates(theirs, sent)
      result.serverDuplicates = { values: judged.values, style: judged.style, correct: judged.correct }
      lines.push(`Duplicates (from the server): ${formatList(judged.values)}`)
      if (!judged.correct) problems.push(describeWrongDuplicates(judged.values, judged.expected))
    } else lines.push(`${describeDuplicates(duplicates)} — computed here: the server did not send them`)
    if (problems.length) {
      result.correct = false
      result.verdict = 'wrong'
      result.why = problems.join('; ')
    }
    return { lines, result, error: problems.length ? `The answer is wrong: ${problems.join('; ')}` : undefined }
  },
}
