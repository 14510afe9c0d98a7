// A result as it is kept and sent: at most RESULT_LIST_MAX numbers of each list and RESULT_WHY_MAX
// characters of its explanation, however long a peer's list was. The exercise judged the whole lists
// first; a cut list says its real length in `cut`, so the view can say "and 29,000 more".

import { RESULT_LIST_MAX, RESULT_WHY_MAX, type ExerciseResult, type ResultList } from '@shared/contract'
import { shorten } from '../wire/text'

type Cut = Partial<Record<ResultList, number>>

function cap<T>(list: T[], name: ResultList, cut: Cut): T[] {
  if (list.length <= RESULT_LIST_MAX) return list
  cut[name] = list.length
  return list.slice(0, RESULT_LIST_MAX)
}

function isLong(list: readonly unknown[] | undefined): boolean {
  return list !== undefined && list.length > RESULT_LIST_MAX
}

/** Does anything in `result` exceed its bound? (Most results: no, and they pass through as they are.) */
function oversized(r: ExerciseResult): boolean {
  if (r.why !== undefined && r.why.length > RESULT_WHY_MAX) return true
  switch (r.kind) {
    case 'dedup':
      return isLong(r.sent) || isLong(r.final) || isLong(r.duplicates) || isLong(r.serverDuplicates?.values)
    case 'intersection':
      return isLong(r.clientSet) || isLong(r.serverSet) || isLong(r.common)
    default:
      return false
  }
}

export function boundResult(result: ExerciseResult): ExerciseResult {
  if (!oversized(result)) return result
  const cut: Cut = { ...result.cut }
  const r: ExerciseResult = { ...result }
  if (r.why !== undefined) r.why = shorten(r.why, RESULT_WHY_MAX)
  if (r.kind === 'dedup') {
    r.sent = cap(r.sent, 'sent', cut)
    r.final = cap(r.final, 'final', cut)
    r.duplicates = cap(r.duplicates, 'duplicates', cut)
    if (r.serverDuplicates)
      r.serverDuplicates = { ...r.serverDuplicates, values: cap(r.serverDuplicates.values, 'serverDuplicates', cut) }
  } else if (r.kind === 'intersection') {
    r.clientSet = cap(r.clientSet, 'clientSet', cut)
    if (r.serverSet) r.serverSet = cap(r.serverSet, 'serverSet', cut)
    r.common = cap(r.common, 'common', cut)
  }
  if (Object.keys(cut).length > 0) r.cut = cut
  return r
}
