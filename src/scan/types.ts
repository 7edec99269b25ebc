import type {Severity, Technique} from '../detect/index.js'
import type {Capability} from './capabilities.js'

export const SCAN_SCHEMA = 'agentgov.scan/1'

/** How the scan reaches one server: the command its client runs, or the URL it connects to. */
export type Launch =
  | {transport: 'stdio'; command: string; args: string[]; cwd?: string; env: Record<string, string>}
  | {transport: 'http' | 'sse'; url: string; headers: Record<string, string>}

/** A client config entry that points at the server (one server may be configured in several clients). */
export interface ServerUse {
  client: string
  clientName: string
  file: string
  scope: string
  entry: string
  /** The entry launches agentgov proxy: the scan reached the server it wraps. */
  wrapped: boolean
}

export type ServerStatus = 'ok' | 'failed' | 'timeout' | 'skipped'

export interface ListedTool {
  name: string
  title?: string
  description?: string
  annotations?: Record<string, unknown>
  /** What the tool can do for a toxic flow, with the evidence. */
  capabilities: Array<{capability: Capability; why: string}>
  /** The pin verdict: new (pinned now), same (as pinned), changed (differs from the pin: a rug pull). */
  pin?: 'changed' | 'new' | 'same'
}

export interface ListedItem {
  name: string
  title?: string
  description?: string
  uri?: string
  uriTemplate?: string
}

export interface ScannedServer {
  /** Stable within one report: `s1`, `s2`… */
  id: string
  /** The server's name, as the proxy pins it (`--server` of a wrapped entry, else the entry's name). */
  name: string
  uses: ServerUse[]
  /** The launch with env values and header values left out (names only) and secrets in args redacted. */
  launch: {transport: Launch['transport']; command?: string; args?: string[]; cwd?: string; envNames?: string[]; url?: string; headerNames?: string[]}
  status: ServerStatus
  /** Why a server was not listed: it did not start, crashed, hung past the timeout, or cannot be reached. */
  reason?: string
  era?: 'legacy' | 'modern'
  protocolVersion?: string
  serverInfo?: {name?: string; version?: string}
  durationMs: number
  tools: ListedTool[]
  prompts: ListedItem[]
  resources: ListedItem[]
  resourceTemplates: ListedItem[]
}

export type FindingKind = 'definition' | 'toxic-flow' | 'shadowing' | 'rug-pull'

export interface ScanFinding {
  kind: FindingKind
  severity: Severity
  /** The client (agent) that reaches what the finding is about. */
  client: string
  /** The server id (`s1`) and name the finding is about; a toxic flow names the servers of its tools. */
  server?: string
  serverName?: string
  subject?: {type: 'prompt' | 'resource' | 'resource-template' | 'tool'; name: string}
  message: string
  /** Detector findings: the technique, rule and where the span is (offsets into `field`). */
  technique?: Technique
  rule?: string
  field?: string
  start?: number
  end?: number
  excerpt?: string
  /** A toxic flow: the three tools and why each one counts. */
  flow?: Array<{capability: Capability; server: string; serverName: string; tool: string; why: string}>
}

export interface ScanReport {
  schema: typeof SCAN_SCHEMA
  agentgov: string
  generatedAt: string
  servers: ScannedServer[]
  /** Each client and the servers it reaches (server ids). */
  clients: Array<{client: string; name: string; servers: string[]}>
  findings: ScanFinding[]
  summary: {servers: number; listed: number; failed: number; tools: number; prompts: number; resources: number; findings: Record<Severity, number>}
}
