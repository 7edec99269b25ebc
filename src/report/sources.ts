import {existsSync, statSync} from 'node:fs'

import {streamOtlpJsonFile} from '../telemetry/otlp-json.js'
import {scanStore} from '../telemetry/store/scan.js'
import type {EvidenceBuilder} from './evidence.js'
import type {SourceSummary, Window} from '../../reports/types.js'

/** A store directory holds segments and an index; anything else named is read as OTLP JSON lines. */
export function isStoreDir(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/** How far the pass is: records read so far (a store's, those in the window) and the source being read. */
export interface ReadProgress {
  records: number
  source: string
}

/** Progress is told every this many records: often enough for a line redrawn every 100 ms, cheap on a million. */
const PROGRESS_EVERY = 1024

/**
 * Feeds every record of every source inside the window to the builder, one at a time (never a whole
 * source in memory, as readStore does for a sorted listing). Sources that cannot be read are
 * reported in their summary, never thrown: a report of what could be read is still a report.
 */
export async function readSources(
  paths: readonly string[],
  window: Window,
  builder: EvidenceBuilder,
  options: {verify: boolean; onProgress?: (progress: ReadProgress) => void},
): Promise<SourceSummary[]> {
  const summaries: SourceSummary[] = []
  const progress = {records: 0, source: ''}
  const tick = options.onProgress
    ? () => {
        if (++progress.records % PROGRESS_EVERY === 0) options.onProgress!(progress)
      }
    : () => {}
  for (const path of paths) {
    progress.source = path
    if (!existsSync(path)) {
      // The default store does not exist until a proxy has run: say so in the report, as for any path.
      summaries.push({kind: /\.jsonl?$/i.test(path) ? 'otlp-json' : 'store', path, records: 0, unreadable: 0, error: 'no such file or directory'})
    } else if (isStoreDir(path)) summaries.push(readStoreDir(path, window, builder, options.verify, tick))
    else summaries.push(await readOtlpFile(path, window, builder, tick))
  }

  return summaries
}

/**
 * Reads a store through the store's own scan: the records inside the window go to the builder while
 * the same pass checks the chain (what `traces verify` checks), streamed, so a million-record store
 * is never held in memory.
 */
function readStoreDir(path: string, window: Window, builder: EvidenceBuilder, verify: boolean, tick: () => void): SourceSummary {
  const summary: SourceSummary = {kind: 'store', path, records: 0, unreadable: 0}
  const result = scanStore(path, {
    window: {since: window.from, until: window.to},
    verify,
    onRecord(record) {
      tick()
      summary.records++
      builder.add(record, record.id)
    },
  })
  summary.unreadable = result.unreadable
  if (verify) builder.addChain({path, ok: result.ok, segments: result.segments, records: result.records, problems: result.problems.slice(0, 10).map((p) => p.message), notes: result.notes.length})
  return summary
}

async function readOtlpFile(path: string, window: Window, builder: EvidenceBuilder, tick: () => void): Promise<SourceSummary> {
  const summary: SourceSummary = {kind: 'otlp-json', path, records: 0, unreadable: 0}
  try {
    for await (const record of streamOtlpJsonFile(path, () => summary.unreadable++)) {
      tick()
      if (record.time < window.from || record.time >= window.to) continue
      summary.records++
      builder.add(record, record.traceId)
    }
  } catch (error) {
    summary.error = (error as Error).message
  }

  return summary
}
