import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {eventually} from './tree.js'

export interface DecisionRecord {
  kind: 'decision'
  tool?: string
  action?: string
  rule?: string | null
  condition?: string
  reason?: string
  requestId?: number | string
}

/**
 * Every whole line the proxies of `stateDir` appended to the trace store. A line still being written
 * (no newline yet) is left out, so a reader racing a writer never parses half a record.
 */
export function traceLines(stateDir: string): string[] {
  const root = join(stateDir, 'traces')
  if (!existsSync(root)) return []
  const files = (readdirSync(root, {recursive: true}) as string[]).filter((f) => f.endsWith('.jsonl'))
  return files.flatMap((f) => readFileSync(join(root, f), 'utf8').split('\n').slice(0, -1)).filter(Boolean)
}

/** Every decision record the proxies of `stateDir` appended to the trace store. */
export function decisionRecords(stateDir: string): DecisionRecord[] {
  return traceLines(stateDir)
    .map((line) => JSON.parse(line) as {kind?: string})
    .filter((r): r is DecisionRecord => r.kind === 'decision')
}

/** The store's text once some line holds `needle` (waits for the recorder). */
export async function eventuallyTraceText(stateDir: string, needle: string, timeoutMs = 5000): Promise<string> {
  const lines = await eventually(() => traceLines(stateDir), (all) => all.some((line) => line.includes(needle)), timeoutMs)
  return lines.join('\n')
}

/** The decision recorded for request `id` (waits for the recorder). */
export async function recordedDecision(stateDir: string, id: number | string, timeoutMs = 5000): Promise<DecisionRecord | undefined> {
  const all = await eventually(() => decisionRecords(stateDir), (records) => records.some((r) => r.requestId === id), timeoutMs)
  return all.find((r) => r.requestId === id)
}
