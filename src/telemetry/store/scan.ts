import {hostname} from 'node:os'

import {isRunning} from '../../pid.js'
import {type CheckedLine, checkLine, parseLine, recordTime} from '../chain.js'
import {readRecord} from '../record.js'
import type {StoredRecord} from '../types.js'
import {readIndex, type SegmentFacts, segmentFacts} from './journal.js'
import {eachLine, INDEX_FILE, isSegmentName, listSegments, type SegmentFile, segmentStart} from './segments.js'

/**
 * The one pass over a store: every line's own hash, each segment's chain, and the index's account of
 * each segment (open, checkpoints, seal, prune), while the records inside a window go to a reader.
 * `traces verify` is this pass with no reader; the report, `traces list` and `export` read through it.
 * Files are streamed (segments.ts eachLine): memory does not grow with the store.
 */

export interface ReadWindow {
  /** ms since the epoch, inclusive. */
  since?: number
  /** ms since the epoch, exclusive. */
  until?: number
}

export interface VerifyProblem {
  segment: string
  /** The record that broke the chain (`<segment>:<seq>`), when one can be named. */
  record?: string
  line?: number
  message: string
}

export interface VerifyResult {
  ok: boolean
  segments: number
  /** Records that follow their segment's chain. */
  records: number
  problems: VerifyProblem[]
  /** Not failures: segments of running writers, and of writers that ended without sealing. */
  notes: string[]
  /** Lines that are not whole records with a matching hash (counted in problems where they break a chain). */
  unreadable: number
}

export interface ScanOptions {
  /** Only records inside the window reach onRecord. */
  window?: ReadWindow
  /**
   * Called for each record that matches its own hash, in file order within a segment, segments in
   * start order. Records past a segment's seal are not passed: the index does not vouch for them.
   */
  onRecord?: (record: StoredRecord) => void
  /**
   * false: read only. Segments that start after the window are skipped, so the chain figures of the
   * result cover only what was read.
   */
  verify?: boolean
}

export function verifyStore(dir: string): VerifyResult {
  return scanStore(dir)
}

export function scanStore(dir: string, options: ScanOptions = {}): VerifyResult {
  const since = options.window?.since ?? -Infinity
  const until = options.window?.until ?? Infinity
  const {entries, problems: indexProblems} = readIndex(dir)
  const problems: VerifyProblem[] = indexProblems.map(({line, message}) => ({segment: INDEX_FILE, line, record: `${INDEX_FILE}:${line}`, message}))
  const facts = segmentFacts(entries)
  const scan: Scan = {problems, notes: [], unreadable: 0, onRecord: options.onRecord, since, until}
  let records = 0
  let segments = 0
  const seen = new Set<string>()
  for (const file of listSegments(dir)) {
    seen.add(file.name)
    if (options.verify === false && segmentStart(file.name) >= until) continue
    segments++
    const f = facts.get(file.name)
    if (!isSegmentName(file.name) || !f?.open) {
      problems.push({segment: file.name, message: `segment ${file.name} is not in the index: it was added by hand or the index lost its entry`})
      // Its records are still read (a report of what is there), its chain is not checked.
      if (options.onRecord) scanSegment(file, undefined, scan)
      continue
    }

    records += scanSegment(file, f, scan)
  }

  for (const [name, f] of facts) {
    if (seen.has(name) || f.pruned) continue
    const count = f.reached?.count
    problems.push({segment: name, message: `segment ${name} is missing${count ? ` (the index saw ${count} record(s) in it)` : ''}: the file was deleted`})
  }

  return {ok: problems.length === 0, segments, records, problems, notes: scan.notes, unreadable: scan.unreadable}
}

interface Scan {
  problems: VerifyProblem[]
  notes: string[]
  unreadable: number
  onRecord?: (record: StoredRecord) => void
  since: number
  until: number
}

/** Reads one segment; checks its chain against the index when `facts` are given. Returns how many records chained. */
function scanSegment(file: SegmentFile, facts: SegmentFacts | undefined, scan: Scan): number {
  const name = file.name
  const sealedAt = facts?.sealed?.count
  let prev = facts?.open?.hash
  let seq = 0
  let broken = !facts
  let pastSeal = 0
  let tornPastSeal = 0
  const problem = (line: number, record: string, message: string) => {
    scan.problems.push({segment: name, record, line, message})
    broken = true
  }

  eachLine(file.path, (line, number) => {
    const checked = checkLine(line)
    if (!checked.ok) scan.unreadable++
    if (!broken && seq === sealedAt) {
      if (checked.ok) pastSeal++
      else tornPastSeal++
      return
    }

    if (!checked.ok) {
      if (!broken) {
        const named = `${name}:${checked.seq ?? seq + 1}`
        problem(number, named, `record ${named} (line ${number}) ${checked.reason}`)
      }

      return
    }

    if (!broken) {
      const found = checked.seq
      const id = `${name}:${found}`
      const expected = `${name}:${seq + 1}`
      if (found > seq + 1) {
        problem(number, expected, `record ${expected} is missing: line ${number} holds ${id} (deleted${found > seq + 2 ? ` ${found - seq - 1} records` : ''}, or records were reordered)`)
      } else if (found < seq + 1) {
        problem(number, id, `record ${id} at line ${number} is out of place after ${name}:${seq} (reordered or inserted)`)
      } else if (checked.prev === prev) {
        prev = checked.hash
        seq = found
      } else {
        problem(number, id, `record ${id} (line ${number}) does not follow the record before it: its prev hash differs (a record before it was edited and re-hashed, or this one was inserted)`)
      }
    }

    if (scan.onRecord) deliver(name, line, checked, scan)
  })

  if (!facts || broken) return seq
  const reached = facts.reached
  const at = {segment: name, record: `${name}:${seq + 1}`, line: seq + 1}
  if (reached && (reached.count ?? 0) > seq) {
    scan.problems.push({...at, message: `segment ${name} ends at record ${seq} but the index saw ${reached.count}: records ${name}:${seq + 1}..${reached.count} were truncated`})
  } else if (reached && reached.count === seq && reached.last !== prev) {
    scan.problems.push({segment: name, record: `${name}:${seq}`, line: seq, message: `record ${name}:${seq} is not the record the index saw last (rewritten)`})
  } else if (pastSeal + tornPastSeal > 0) {
    const what = [pastSeal > 0 && `${pastSeal} more record(s)`, tornPastSeal > 0 && `${tornPastSeal} torn line(s)`].filter(Boolean).join(' and ')
    scan.problems.push({
      ...at,
      message: `segment ${name} was sealed at ${seq} records but holds ${what} after the seal: appended after the seal, or left by a write that failed (a full disk) before the seal; they are not read as records`,
    })
  } else if (!facts.sealed) {
    const {pid, host} = facts.open!
    const running = host === hostname() && pid !== undefined && isRunning(pid)
    scan.notes.push(
      running
        ? `segment ${name} is open (process ${pid} is writing it)`
        : `segment ${name} was not sealed (its writer ended abruptly); records after ${reached?.count ?? 0} cannot be checked for truncation`,
    )
  }

  return seq
}

function deliver(segment: string, line: string, checked: Extract<CheckedLine, {ok: true}>, scan: Scan): void {
  // Most of a long store lies outside a short window: skip those lines without parsing them.
  const time = recordTime(line)
  if (time !== undefined && (time < scan.since || time >= scan.until)) return
  const record = parseLine(line, checked) as unknown as StoredRecord | undefined
  if (!record) {
    scan.unreadable++
    return
  }

  if (!(record.time >= scan.since && record.time < scan.until)) return
  record.id = `${segment}:${checked.seq}`
  scan.onRecord!(readRecord(record))
}
