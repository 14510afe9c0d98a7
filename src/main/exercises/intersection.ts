// Lab 1, task 3: the server intersects the client's set with its own and sends the common numbers
// sorted. A client can check that the answer is sorted, distinct and drawn from its own set; whether it
// is the whole intersection it can know only if the server also says which set it drew.

import type { ExerciseResult } from '@shared/contract'
import { findLists, pickAnswer } from './answers'
import type { ListTask } from './list-exchange'
import { formatList } from '@shared/lab'
import { intersection, isIntersectionFor } from './sets'

export function intersectionTask(serverSet: () => number[]): ListTask {
  return {
    answer(values) {
      const own = serverSet()
      const common = intersection(values, own)
      return {
        replies: [common],
        lines: [`Client set: ${formatList(values)}`, `Server set: ${formatList(own)}`, `Common numbers: ${formatList(common)}`],
        result: { kind: 'intersection', clientSet: values, serverSet: own, common },
      }
    },
    sending(values) {
      return [`Client set: ${formatList(values)}`]
    },
    judge(sent, messages) {
      const found = findLists(messages)
      const { answer, serverSet } = pickAnswer(found.lists, sent, isIntersectionFor(sent, sent).ok)
      if (found.lists.length === 0) {
        const why = found.problems[0] ?? 'there is no list in it'
        const result: ExerciseResult = { kind: 'intersection', clientSet: sent, common: [], verdict: 'wrong', why }
        return { lines: [], result, error: `The server's answer is malformed: ${why}` }
      }
      if (!answer) {
        const why = 'the server sent only a copy of our own list back'
        const result: ExerciseResult = { kind: 'intersection', clientSet: sent, common: [], verdict: 'unknown', why }
        return { lines: [`Cannot tell the answer: ${why}`], result }
      }
      const verdict = isIntersectionFor(answer.values, sent)
      const result: ExerciseResult = { kind: 'intersection', clientSet: sent, common: answer.values }
      const lines = [`Intersection: ${formatList(answer.values)}`]
      if (!verdict.ok) {
        Object.assign(result, { correct: false, verdict: 'wrong', why: verdict.why })
        return { lines, result, error: `The answer is wrong: ${verdict.why}` }
      }
      if (serverSet) {
        // The server said which set it drew: the answer can be checked in full.
        const want = intersection(sent, serverSet.values)
        const exact = want.length === answer.values.length && want.every((v, i) => v === answer.values[i])
        Object.assign(result, { serverSet: serverSet.values, correct: exact, verdict: exact ? 'correct' : 'wrong' })
        if (!exact) {
          result.why = `with the server's set ${formatList(serverSet.values)} the common numbers are ${formatList(want)}`
          return { lines, result, error: `The answer is wrong: ${result.why}` }
        }
        return { lines, result }
      }
      result.verdict = 'looks-valid'
      result.why = "looks valid (sorted, all from your set); cannot be checked without the server's set"
      lines.push(`Looks valid: sorted, without repeats, all from our set (the server's own set is not known here)`)
      return { lines, result }
    },
  }
}
