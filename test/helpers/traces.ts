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

/** Every decision record the proxies of `stateDir` appended to the trace store. */
export function decisionRecords(stateDir: string): DecisionRecord[] {
  const root = join(stateDir, 'traces')
  if (!existsSync(root)) return []
  const files = (readdirSync(root, {recursive: true}) as string[]).filter((f) => f.endsWith('.jsonl'))
  return files
    .flatMap((f) => readFileSync(join(root, f), 'utf8').split('\n'))
    .filter(Boolean)
    .map((line) => JSON.parse(line) as {kind?: string})
    .filter((r): r is DecisionRecord => r.kind === 'decision')
}

/** The decision recorded for request `id` (waits for the recorder). */
export async function recordedDecision(stateDir: string, id: number | string, timeoutMs = 5000): Promise<DecisionRecord | undefined> {
  const all = await eventually(() => decisionRecords(stateDir), (records) => records.some((r) => r.requestId === id), timeoutMs)
  return all.find((r) => r.requestId === id)
}
