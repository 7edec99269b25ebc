import {openLine} from '../chain.js'
import {readRecord} from '../record.js'
import type {StoredRecord} from '../types.js'
import {type ReadWindow, scanStore} from './scan.js'
import {eachLine, listSegments, type SegmentFile} from './segments.js'

/** Every record in the window, across all segments, ordered by time (then by id). Held in memory: for listing and export. */
export function readStore(dir: string, window: ReadWindow = {}): StoredRecord[] {
  const out: StoredRecord[] = []
  scanStore(dir, {window, verify: false, onRecord: (record) => out.push(record)})
  return out.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** Records of one segment in file order; unreadable lines are skipped (verify reports them). */
export function readSegment(file: SegmentFile): StoredRecord[] {
  const lines: string[] = []
  eachLine(file.path, (line) => lines.push(line))
  return recordsOf(file.name, lines)
}

export function recordsOf(segment: string, lines: readonly string[]): StoredRecord[] {
  const records: StoredRecord[] = []
  for (const line of lines) {
    const opened = openLine(line)
    if (!opened.ok) continue
    const value = opened.value as unknown as StoredRecord
    value.id = `${segment}:${value.seq}`
    records.push(readRecord(value))
  }

  return records
}

/** One record by id (`<segment>:<seq>`), or by a unique prefix of its hash. */
export function findRecord(dir: string, id: string): StoredRecord | undefined {
  const colon = id.lastIndexOf(':')
  if (colon > 0) {
    const name = id.slice(0, colon)
    const file = listSegments(dir).find((f) => f.name === name)
    return file ? readSegment(file).find((r) => r.id === id) : undefined
  }

  const prefix = id.toLowerCase()
  const matches: StoredRecord[] = []
  scanStore(dir, {verify: false, onRecord: (record) => record.hash.startsWith(prefix) && matches.push(record)})
  return matches.length === 1 ? matches[0] : undefined
}
