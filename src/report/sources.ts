import {createReadStream, existsSync, statSync} from 'node:fs'

import {checkLine} from '../telemetry/chain.js'
import {streamOtlpJsonFile} from '../telemetry/otlp-json.js'
import {readRecord} from '../telemetry/record.js'
import {type IndexEntry, listSegments, readIndex} from '../telemetry/store.js'
import type {DecisionRecord} from '../telemetry/types.js'
import type {EvidenceBuilder} from './evidence.js'
import type {SourceSummary, Window} from './types.js'


/** A store directory holds segments and an index; anything else named is read as OTLP JSON lines. */
export function isStoreDir(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/**
 * Feeds every record of every source inside the window to the builder, line by line: the store's own
 * readStore sorts all records in memory, which a million-record report cannot afford. Sources that
 * cannot be read are reported in their summary, never thrown: a report of what could be read is still
 * a report.
 */
export async function readSources(paths: readonly string[], window: Window, builder: EvidenceBuilder, options: {verify: boolean}): Promise<SourceSummary[]> {
  const summaries: SourceSummary[] = []
  for (const path of paths) {
    if (!existsSync(path)) {
      // The default store does not exist until a proxy has run: say so in the report, as for any path.
      summaries.push({kind: /\.jsonl?$/i.test(path) ? 'otlp-json' : 'store', path, records: 0, unreadable: 0, error: 'no such file or directory'})
    } else if (isStoreDir(path)) summaries.push(await readStoreDir(path, window, builder, options.verify))
    else summaries.push(await readOtlpFile(path, window, builder))
  }

  return summaries
}

/**
 * Reads a store and checks its chain in the same pass: verifyStore holds a whole 64 MiB segment in
 * memory and hashes every line a second time, which a million-record report cannot afford. The checks
 * are verifyStore's (own hash, seq, prev, index open/checkpoint/seal, missing and unindexed segments).
 */
async function readStoreDir(path: string, window: Window, builder: EvidenceBuilder, verify: boolean): Promise<SourceSummary> {
  const summary: SourceSummary = {kind: 'store', path, records: 0, unreadable: 0}
  const {entries, problems: indexProblems} = readIndex(path)
  const problems = indexProblems.map((p) => p.message)
  const facts = new Map<string, {open?: IndexEntry; reached?: IndexEntry; sealed?: IndexEntry; pruned?: boolean}>()
  for (const entry of entries) {
    const f = facts.get(entry.segment) ?? {}
    facts.set(entry.segment, f)
    if (entry.type === 'open') f.open = entry
    else if (entry.type === 'prune') f.pruned = true
    else {
      if (!f.reached || (entry.count ?? 0) >= (f.reached.count ?? 0)) f.reached = entry
      if (entry.type === 'seal') f.sealed = entry
    }
  }

  const segments = listSegments(path)
  let checked = 0
  let unsealed = 0
  for (const segment of segments) {
    const f = facts.get(segment.name)
    if (!f?.open) problems.push(`segment ${segment.name} is not in the index: it was added by hand or the index lost its entry`)
    // Without verification, a segment that starts after the window holds nothing to read.
    if (!verify && segmentStart(segment.name) >= window.to) continue
    let prev = f?.open?.hash
    let seq = 0
    let broken = !f?.open
    await eachLine(segment.path, (line) => {
      const c = checkLine(line)
      if (!c.ok) {
        summary.unreadable++
        if (!broken) problems.push(`record ${segment.name}:${c.seq ?? seq + 1} ${c.reason}`)
        broken = true
        return
      }

      if (!broken) {
        if (c.seq !== seq + 1) {
          problems.push(c.seq > seq + 1 ? `record ${segment.name}:${seq + 1} is missing (deleted, or records were reordered)` : `record ${segment.name}:${c.seq} is out of place (reordered or inserted)`)
          broken = true
        } else if (c.prev !== prev) {
          problems.push(`record ${segment.name}:${c.seq} does not follow the record before it (prev hash differs)`)
          broken = true
        } else {
          prev = c.hash
          seq = c.seq
          checked++
        }
      }

      const time = timeOf(line)
      // Cheap pre-filter on the time member: most of a long store is outside a short window.
      if (time !== undefined && (time < window.from || time >= window.to)) return
      let record: DecisionRecord
      try {
        record = readRecord(JSON.parse(line) as DecisionRecord)
      } catch {
        summary.unreadable++
        return
      }

      if (record.time < window.from || record.time >= window.to) return
      summary.records++
      builder.add(record, `${segment.name}:${c.seq}`)
    })

    if (broken || !f) continue
    if (f.reached && (f.reached.count ?? 0) > seq) problems.push(`segment ${segment.name} ends at record ${seq} but the index saw ${f.reached.count}: records were truncated`)
    else if (f.reached && f.reached.count === seq && f.reached.last !== prev) problems.push(`record ${segment.name}:${seq} is not the record the index saw last (rewritten)`)
    else if (f.sealed && seq > (f.sealed.count ?? 0)) problems.push(`segment ${segment.name} was sealed at ${f.sealed.count} records but holds ${seq}: records were appended after the seal`)
    else if (!f.sealed) unsealed++
  }

  const present = new Set(segments.map((s) => s.name))
  for (const [name, f] of facts) if (!present.has(name) && !f.pruned) problems.push(`segment ${name} is missing: the file was deleted`)
  if (verify) builder.addChain({path, ok: problems.length === 0, segments: segments.length, records: checked, problems: problems.slice(0, 10), notes: unsealed})
  return summary
}

async function readOtlpFile(path: string, window: Window, builder: EvidenceBuilder): Promise<SourceSummary> {
  const summary: SourceSummary = {kind: 'otlp-json', path, records: 0, unreadable: 0}
  try {
    for await (const record of streamOtlpJsonFile(path, () => summary.unreadable++)) {
      if (record.time < window.from || record.time >= window.to) continue
      summary.records++
      builder.add(record, record.traceId)
    }
  } catch (error) {
    summary.error = (error as Error).message
  }

  return summary
}

const TIME_MEMBER = ',"time":'

/** The record's time without parsing the line; undefined when it cannot be found quickly. */
function timeOf(line: string): number | undefined {
  // Members are sorted: the top-level time is the last one (only args, findings and approval, which sort
  // before it, can nest another).
  const at = line.lastIndexOf(TIME_MEMBER)
  if (at < 0) return undefined
  let end = at + TIME_MEMBER.length
  while (end < line.length && ((line.charCodeAt(end) >= 48 && line.charCodeAt(end) <= 57) || line[end] === '.')) end++
  const time = Number(line.slice(at + TIME_MEMBER.length, end))
  return Number.isFinite(time) && end > at + TIME_MEMBER.length ? time : undefined
}

function segmentStart(name: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/.exec(name)
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]) : 0
}

/**
 * Calls `fn` for each line of a file, streamed in 1 MiB chunks and handled synchronously within each
 * chunk: a per-line await (readline, async generators) costs a third of a million-record pass.
 */
async function eachLine(path: string, fn: (line: string) => void): Promise<void> {
  let rest = ''
  for await (const chunk of createReadStream(path, {encoding: 'utf8', highWaterMark: 1 << 20})) {
    const text = rest + (chunk as string)
    let start = 0
    let end: number
    while ((end = text.indexOf('\n', start)) >= 0) {
      fn(text.slice(start, end))
      start = end + 1
    }

    rest = text.slice(start)
  }

  // A torn last line (no newline) is still a line: the chain check names it.
  if (rest) fn(rest)
}
