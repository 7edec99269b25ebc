import {unlinkSync} from 'node:fs'
import {hostname} from 'node:os'

import {isRunning} from '../../pid.js'
import {checkLine, openLine} from '../chain.js'
import {appendIndex, readIndex, segmentFacts} from './journal.js'
import {DAY_MS, eachLine, listSegments, type SegmentFile, segmentStart} from './segments.js'

export interface PruneResult {
  removed: Array<{segment: string; records: number; lastTime: number}>
  kept: number
  /** ms since the epoch: segments whose last record is older were removed. */
  cutoff: number
}

/**
 * Removes whole segments whose newest record is older than the cutoff, recording each in the index
 * first, so verify knows the gap is retention and not deletion. Open segments of running writers are
 * kept; a segment is pruned with its last hash, so what remains still verifies.
 */
export function pruneStore(dir: string, options: {olderThanDays: number; now?: number; dryRun?: boolean}): PruneResult {
  const now = options.now ?? Date.now()
  const cutoff = now - options.olderThanDays * DAY_MS
  const facts = segmentFacts(readIndex(dir).entries)
  const removed: PruneResult['removed'] = []
  let kept = 0
  for (const file of listSegments(dir)) {
    const {open, sealed} = facts.get(file.name) ?? {}
    const {records, last} = lastRecord(file)
    const lastTime = last ? (last.value.time as number) : segmentStart(file.name)
    const writing = !sealed && open?.host === hostname() && open.pid !== undefined && isRunning(open.pid)
    if (lastTime >= cutoff || writing || !open) {
      kept++
      continue
    }

    if (!options.dryRun) {
      appendIndex(dir, {type: 'prune', segment: file.name, count: last?.seq ?? 0, last: last?.hash ?? open.hash, time: now})
      unlinkSync(file.path)
    }

    removed.push({segment: file.name, records, lastTime})
  }

  return {removed, kept, cutoff}
}

/** How many whole records a segment holds, and its last one (parsed). */
function lastRecord(file: SegmentFile): {records: number; last?: Extract<ReturnType<typeof openLine>, {ok: true}>} {
  let records = 0
  let lastLine: string | undefined
  eachLine(file.path, (line) => {
    if (!checkLine(line).ok) return
    records++
    lastLine = line
  })
  const opened = lastLine === undefined ? undefined : openLine(lastLine)
  return {records, last: opened?.ok ? opened : undefined}
}
