import {assessFrameworks} from '../../reports/compliance.js'
import {assessAll} from '../../reports/owasp.js'
import type {Inventory} from '../discovery/types.js'
import type {CompiledPolicy} from '../policy/index.js'
import {SIX_MONTHS_DAYS} from '../telemetry/retention.js'
import {VERSION} from '../version.js'
import {emptyInventoryControls, inventoryControls, policyControls, readInventoryFile, retentionOf} from './controls.js'
import {EvidenceBuilder} from './evidence.js'
import {type ReadProgress, readSources} from './sources.js'
import {type InventoryControls, type Report, REPORT_SCHEMA, type Status, type Window} from '../../reports/types.js'

export type * from '../../reports/types.js'

export interface ReportOptions {
  window: Window
  /** Store directories and OTLP JSON files. */
  traces: string[]
  policy?: CompiledPolicy
  /** Why there is no policy (missing file, invalid), shown in the report. */
  policyProblem?: {file: string; error: string}
  /** A saved inventory file, a fresh inventory, or neither. */
  inventoryFile?: string
  inventory?: Inventory
  inventoryError?: string
  owasp: boolean
  compliance: string[]
  /** Verify the hash chain of every store read (default true). */
  verify?: boolean
  env?: NodeJS.ProcessEnv
  now?: number
  /** Told now and then how far the pass over the traces is (the command's progress line). */
  onProgress?: (progress: ReadProgress) => void
}

/** One streaming pass over the traces, then the catalogue and frameworks evaluated on the result. */
export async function buildReport(options: ReportOptions): Promise<Report> {
  const builder = new EvidenceBuilder(options.window)
  const sources = await readSources(options.traces, options.window, builder, {verify: options.verify !== false, onProgress: options.onProgress})
  const runtime = builder.finish()
  let inventory: InventoryControls
  if (options.inventoryFile) inventory = readInventoryFile(options.inventoryFile)
  else if (options.inventory) inventory = inventoryControls(options.inventory, 'fresh')
  else inventory = emptyInventoryControls('none', options.inventoryError ? {error: options.inventoryError} : {})

  const evidence = {
    window: options.window,
    runtime,
    controls: {policy: policyControls(options.policy, options.policyProblem), inventory, retention: retentionOf(options.env ?? process.env)},
  }

  const owasp = options.owasp ? assessAll(evidence) : undefined
  const compliance = options.compliance.length > 0 ? assessFrameworks(options.compliance, evidence) : undefined
  const risks: Record<Status, number> = {covered: 0, partial: 0, gap: 0, 'out-of-reach': 0}
  for (const r of owasp ?? []) risks[r.status]++

  return {
    schema: REPORT_SCHEMA,
    agentgov: VERSION,
    generatedAt: new Date(options.now ?? Date.now()).toISOString(),
    window: {from: new Date(options.window.from).toISOString(), to: new Date(options.window.to).toISOString()},
    sources,
    notes: notesOf(evidence, sources),
    summary: {
      records: runtime.records,
      decisions: runtime.byKind.decision,
      denials: runtime.denials.total,
      approvals: runtime.approvals.total,
      agents: Object.keys(runtime.agents).length,
      risks,
    },
    evidence,
    ...(owasp ? {owasp} : {}),
    ...(compliance ? {compliance} : {}),
  }
}

/** What a reader must know before trusting the figures: empty windows, unreadable inputs, broken chains. */
function notesOf(evidence: Report['evidence'], sources: Report['sources']): string[] {
  const notes: string[] = []
  if (sources.length === 0) notes.push('No trace source was read.')
  for (const s of sources) {
    if (s.error) notes.push(`${s.path} could not be read: ${s.error}.`)
    if (s.unreadable > 0) notes.push(`${s.path}: ${s.unreadable} line(s) could not be read (torn or edited).`)
  }

  if (evidence.runtime.records === 0) notes.push('No trace record in the window: runtime evidence is empty, so nothing can be covered.')
  for (const c of evidence.runtime.chain) if (!c.ok) notes.push(`The trace store ${c.path} does not verify: ${c.problems[0] ?? 'see agentgov traces verify'}`)
  const {policy, inventory, retention} = evidence.controls
  if (!policy.loaded) notes.push(`No policy loaded${policy.file ? ` from ${policy.file}` : ''}${policy.error ? `: ${policy.error}` : ''}.`)
  if (inventory.error) notes.push(`No inventory${inventory.path ? ` from ${inventory.path}` : ''}: ${inventory.error}.`)
  if (retention.days < SIX_MONTHS_DAYS) notes.push(`Trace retention is ${retention.days} days: under the six months the EU AI Act asks for (Art. 19(1), Art. 26(6)).`)
  return notes
}
