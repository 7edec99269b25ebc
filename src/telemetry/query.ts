import {closeSync, openSync, readSync} from 'node:fs'

import {subjectText} from './record.js'
import {recordsOf} from './store/read.js'
import {listSegments} from './store/segments.js'
import type {DecisionRecord, StoredRecord} from './types.js'

/** What `traces list` and `traces tail` filter on. Tool matches `tool` or `server.tool`. */
export interface RecordFilter {
  agent?: string
  tool?: string
  action?: string
}

export function matches(record: DecisionRecord, filter: RecordFilter): boolean {
  if (filter.agent && record.agent !== filter.agent) return false
  if (filter.tool && record.tool !== filter.tool && `${record.server}.${record.tool}` !== filter.tool) return false
  if (filter.action) {
    const action = record.kind === 'approval' ? 'human_approval' : record.action
    if (action !== filter.action) return false
  }

  return true
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/
const UNIT_MS: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000}

/** `30m`, `24h`, `7d` (ago), or an ISO date or date-time. Undefined when it is neither. */
export function parseTime(text: string, now = Date.now()): number | undefined {
  const d = DURATION.exec(text.trim())
  if (d) return now - Number(d[1]) * UNIT_MS[d[2]]
  const t = Date.parse(text)
  return Number.isNaN(t) ? undefined : t
}

/** One line per record for logs, pipes and CI. */
export function formatLine(record: StoredRecord): string {
  const time = new Date(record.time).toISOString()
  const where = record.tool ? `${record.server}.${record.tool}` : record.server
  if (record.kind === 'approval') {
    const a = record.approval
    return `${time}  approval ${a?.outcome ?? '?'}  ${record.agent}  ${where}  rule=${record.rule ?? '-'}  by ${a?.approver ?? '?'} via ${a?.channel ?? '?'} after ${a?.waitedMs ?? 0} ms  ${record.id}`
  }

  if (record.kind === 'trust') {
    const t = record.trust
    return `${time}  trust ${t?.ok === false ? 'FAIL' : 'ok'}  ${record.agent}  ${where}  ${t ? subjectText(t.subject) : ''}${t?.detail ? `: ${t.detail}` : ''}  ${record.id}`
  }

  return `${time}  ${record.action ?? '?'}  ${record.agent}  ${where}  ${record.stage ?? ''}  rule=${record.rule ?? '-'}  ${record.reason ?? ''}  ${record.id}`
}

/**
 * Follows the store as writers append: remembers how far each segment was read and returns only the
 * complete new lines. A line still being written (no newline yet) is picked up on the next poll.
 */
export class StoreFollower {
  private readonly offsets = new Map<string, number>()

  constructor(readonly dir: string) {}

  /** Everything now in the store (oldest first), and from here on poll() returns what is new. */
  start(): StoredRecord[] {
    return this.poll()
  }

  poll(): StoredRecord[] {
    const out: StoredRecord[] = []
    for (const file of listSegments(this.dir)) {
      const from = this.offsets.get(file.name) ?? 0
      if (file.bytes <= from) continue
      const buffer = Buffer.alloc(file.bytes - from)
      const fd = openSync(file.path, 'r')
      try {
        readSync(fd, buffer, 0, buffer.length, from)
      } finally {
        closeSync(fd)
      }

      const end = buffer.lastIndexOf(10)
      if (end < 0) continue
      this.offsets.set(file.name, from + end + 1)
      for (const record of recordsOf(file.name, buffer.subarray(0, end).toString('utf8').split('\n'))) out.push(record)
    }

    return out.sort((a, b) => a.time - b.time)
  }
}
