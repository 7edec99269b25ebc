/**
 * The report's data contract: the evidence model (one pass over traces, plus the controls read from
 * the policy and the inventory), and the report document every renderer draws from. It lives beside
 * the catalogue, which reads Evidence and returns results; src/report builds both from it, so the
 * two folders depend one way only (src/report -> reports). The JSON output
 * is the Report as it is; docs/report.md documents it (schema `agentgov.report/v1`).
 */
import type {Action} from '../src/policy/types.js'

export const REPORT_SCHEMA = 'agentgov.report/v1'

export type Status = 'covered' | 'gap' | 'out-of-reach' | 'partial'
export type Reach = 'full' | 'out-of-reach' | 'partial'

export interface Window {
  /** ms since the epoch, inclusive. */
  from: number
  /** ms since the epoch, exclusive. */
  to: number
}

export interface SourceSummary {
  kind: 'otlp-json' | 'store'
  path: string
  /** Records of this source inside the window. */
  records: number
  /** Lines that could not be read (torn or edited store lines, bad OTLP JSON lines). */
  unreadable: number
  /** Set when the source could not be read at all. */
  error?: string
}

export interface Counter {
  count: number
  /** Up to three record ids (`<segment>:<seq>` for the store, the trace id for OTLP). */
  examples: string[]
}

export interface AgentFigures {
  decisions: number
  allowed: number
  denied: number
  approvals: number
  audited: number
}

export interface ChainResult {
  path: string
  ok: boolean
  segments: number
  records: number
  problems: string[]
  notes: number
}

export interface TimeBucket {
  start: number
  allow: number
  audit: number
  deny: number
  human_approval: number
}

export interface RuntimeEvidence {
  records: number
  firstTime?: number
  lastTime?: number
  byKind: {decision: number; approval: number; trust: number}
  byAction: Record<Action, number>
  byStage: Record<string, number>
  agents: Record<string, AgentFigures>
  /** Decisions per rule id (`(default)` when nothing matched, `(hidden)` for calls to hidden tools). */
  rules: Record<string, number>
  denials: {total: number; byRule: Record<string, number>; defaultDeny: Counter; hidden: Counter; condition: Counter; examples: string[]}
  approvals: {total: number; byOutcome: Record<string, number>; approvers: Record<string, number>; channels: Record<string, number>; waitedMsMax: number; examples: string[]}
  /** Decisions that went through an approval rule before a person answered (stage pre_tool, action human_approval). */
  approvalDecisions: number
  grantsUsed: Counter
  trust: {
    /** Failed tool-pin checks: a pinned tool definition changed (possible rug pull). */
    pinChanges: Counter & {tools: string[]}
    /** Blocked calls to a changed tool (rule tool-pinning). */
    pinBlocks: Counter
    descriptionFindings: Counter
    /**
     * Answers with injection or hidden-text findings: decisions on what came back (tool and task
     * results, resource contents, prompts, errors) with findings. `byKind`: per ReturnedKind.
     */
    resultFindings: Counter & {byKind: Record<string, number>}
    resultBlocks: Counter
    /** Answers that carried secrets, redacted before the agent read them; `secrets`: how many strings. */
    resultSecrets: Counter & {secrets: number}
    /** Trust records of subject kind message: refusals of malformed or out-of-protocol traffic. */
    protocolRefusals: Counter
    serverRequests: Counter
    other: Counter
  }
  limits: {rate_limit: Counter; loop: Counter; kill_switch: Counter}
  /** Decisions whose arguments were recorded (redacted) rather than only their digest. */
  argsRecorded: number
  execCalls: Counter
  execDenied: Counter
  timeline: {bucketMs: number; buckets: TimeBucket[]}
  chain: ChainResult[]
}

export interface PolicyControls {
  loaded: boolean
  file?: string
  error?: string
  denyByDefault: boolean
  /** A rule that allows every tool of every server without a condition: deny by default is void. */
  catchAllAllow?: string
  rules: number
  policies: number
  perAgentPolicies: number
  approvalRules: Array<{id: string; tools: string[]}>
  /** Tool patterns behind approval rules that name destructive-looking tools. */
  destructiveApprovalTools: string[]
  denyRules: number
  conditionRules: number
  rateLimits: number
  execRules: string[]
  memoryRules: string[]
  pinning: 'block' | 'off' | 'warn'
  scanning: 'block' | 'off' | 'warn'
  loopDetection: boolean
  recordArguments: 'digest' | 'redacted'
  redactResults: boolean
  approvalTimeoutSec: number
}

export interface InventoryControls {
  source: 'file' | 'fresh' | 'none'
  path?: string
  error?: string
  generatedAt?: string
  agents: number
  servers: number
  governed: number
  approved: number
  shadow: number
  shadowServers: string[]
  unpinnedPackages: string[]
  plainHttp: string[]
  secrets: number
  findingsByRisk: Record<string, number>
  findingsByRule: Record<string, number>
}

export interface Controls {
  policy: PolicyControls
  inventory: InventoryControls
  retention: {days: number; source: string}
}

export interface Evidence {
  window: Window
  runtime: RuntimeEvidence
  controls: Controls
}

export interface Gap {
  what: string
  recommendation: string
}

export interface RiskResult {
  id: string
  name: string
  gist: string
  canEvidence: string
  reach: Reach
  reachWhy: string
  mcp: string[]
  status: Status
  /** Why this status, in one sentence. */
  why: string
  controls: string[]
  evidence: string[]
  gaps: Gap[]
  examples: string[]
}

export interface EvidenceRow {
  id: string
  label: string
  source: 'discovery' | 'policy' | 'trace'
  state: 'configured' | 'missing' | 'observed'
  detail: string
}

export interface ClauseResult {
  framework: string
  clause: string
  obligation: string
  status: Status
  why: string
  rows: EvidenceRow[]
  missing: string[]
}

export interface FrameworkResult {
  id: string
  name: string
  clauses: ClauseResult[]
}

export interface Report {
  schema: typeof REPORT_SCHEMA
  agentgov: string
  generatedAt: string
  window: {from: string; to: string}
  sources: SourceSummary[]
  notes: string[]
  summary: {records: number; decisions: number; denials: number; approvals: number; agents: number; risks: Record<Status, number>}
  evidence: Evidence
  owasp?: RiskResult[]
  compliance?: FrameworkResult[]
}
