/**
 * The telemetry contract with the rest of agentgov: the proxy records through a Telemetry, `report`
 * reads DecisionRecords. Names of spans, attributes and metrics are in docs/telemetry.md and
 * ../shared/reference/telemetry.md; nothing outside src/telemetry imports the OpenTelemetry SDK.
 */
import type {Action, Stage} from '../policy/types.js'

export type {Action, Stage} from '../policy/types.js'

export interface Finding {
  kind: string
  detail: string
}

/** One policy decision, as the proxy hands it over. */
export interface DecisionEvent {
  agent: string
  server: string
  tool?: string
  stage: Stage
  action: Action
  /** Policy that decided; null when nothing matched (default deny). */
  policy: string | null
  /** Rule that decided; null for the default. */
  rule: string | null
  reason: string
  condition?: string
  limit?: string
  grant?: string
  /** Time the policy evaluation took, in microseconds. */
  latencyUs: number
  /** Digest of the arguments (the caller's canonical form); recorded even when args are not. */
  argsDigest?: string
  /**
   * The arguments, only when the policy opts in (recordArguments: redacted). The recorder redacts
   * known secret shapes before anything is written or exported; the caller passes them raw.
   */
  args?: unknown
  findings?: Finding[]
  requestId?: number | string
  sessionId?: string
  /** W3C trace context of the caller, from params._meta. */
  traceparent?: string
  tracestate?: string
  /** ms since the epoch; defaults to now. */
  time?: number
}

export type ApprovalOutcome = 'approved' | 'cancelled' | 'denied' | 'timeout'
export type ApprovalChannel = 'cli' | 'elicitation' | 'webhook'

/** One human-approval round. */
export interface ApprovalEvent {
  agent: string
  server: string
  tool: string
  rule: string | null
  outcome: ApprovalOutcome
  approver: string
  channel: ApprovalChannel
  waitedMs: number
  requestId?: number | string
  sessionId?: string
  traceparent?: string
  tracestate?: string
  time?: number
}

/** An identity or integrity check (agent token, tool-definition pin). */
export interface TrustEvent {
  agent: string
  server: string
  subject: string
  ok: boolean
  detail?: string
  score?: number
  tier?: string
  traceparent?: string
  tracestate?: string
  time?: number
}

/** One proxied MCP request (the MCP semantic-convention span). */
export interface RequestInfo {
  /** JSON-RPC method, e.g. tools/call. */
  method: string
  tool?: string
  requestId: number | string
  sessionId?: string
  protocolVersion?: string
  /** pipe for stdio, tcp for HTTP. */
  transport: 'pipe' | 'tcp'
  traceparent?: string
  tracestate?: string
}

export interface RequestSpan {
  /**
   * Ends the request span and records mcp.server.operation.duration. errorType: the JSON-RPC error
   * code as a string, or `tool_error` when the result had isError; absent on success.
   * `failed` marks a failure of the proxy path (upstream crash, timeout, malformed message): span
   * status ERROR. A JSON-RPC error returned for a policy deny is not a failure.
   */
  end(outcome?: {errorType?: string; failed?: boolean; message?: string}): void
  /** W3C traceparent of this span; undefined when tracing is off. */
  readonly traceparent?: string
  /**
   * The CLIENT span for the hop to the upstream server, a child of this one. Forward its traceparent
   * in params._meta so the server's spans join the caller's trace.
   */
  upstream(): UpstreamSpan
}

export interface UpstreamSpan {
  readonly traceparent?: string
  end(outcome?: {errorType?: string; failed?: boolean; message?: string}): void
}

export interface Telemetry {
  /** Store append + agt.policy.evaluate span + metrics. Never throws, never awaits I/O on the caller's path. */
  decision(event: DecisionEvent): void
  /** Store append + agt.approval.request span + agt.approval.requests. */
  approval(event: ApprovalEvent): void
  /** Store append + agt.trust.verify span. */
  trust(event: TrustEvent): void
  /** MCP semconv span (SERVER kind) + mcp.server.operation.duration on end. */
  request(info: RequestInfo): RequestSpan
  /** Counts of what could not be exported or stored (for `--verbose` and tests). */
  stats(): TelemetryStats
  /** Flush the store and exporters; resolves within 2 s even if the backend is down. */
  shutdown(): Promise<void>
}

export interface TelemetryStats {
  /** Records appended to the local store. */
  stored: number
  /** Records that could not be written to the local store. */
  storeErrors: number
  /** Spans dropped: queue full or export failed. */
  droppedSpans: number
  /** Metric export rounds that failed. */
  failedMetricExports: number
  /** The store's last write failed; records wait for a retry. The proxy refuses calls meanwhile. */
  storeFailing: boolean
}

export interface TelemetryOptions {
  /** agentgov's state directory; the store lives in <stateDir>/traces. */
  stateDir: string
  /** OTEL_* variables are read from here (default process.env). */
  env?: NodeJS.ProcessEnv
  /** --otlp-endpoint: base URL, /v1/traces and /v1/metrics are appended. Overrides OTEL_EXPORTER_OTLP_ENDPOINT. */
  otlpEndpoint?: string
  /** --otlp-header, merged over OTEL_EXPORTER_OTLP_HEADERS. */
  otlpHeaders?: Record<string, string>
  /** Overrides OTEL_SERVICE_NAME; default agentgov. */
  serviceName?: string
  /** Write the local store (default true). */
  store?: boolean
  /** Retention in days for the local store (default 180); applied by prune. */
  retentionDays?: number
  /** Where warnings go (default process.stderr). */
  warn?: (message: string) => void
}

export type RecordKind = 'approval' | 'decision' | 'trust'

/**
 * The normalised record that both readers (the local store and OTLP JSON files) yield to `report`.
 * Field names are stable: they are what the store writes.
 */
export interface DecisionRecord {
  kind: RecordKind
  /** ms since the epoch. */
  time: number
  agent: string
  server: string
  tool?: string
  stage?: Stage
  action?: Action
  policy?: string | null
  rule?: string | null
  reason?: string
  condition?: string
  limit?: string
  grant?: string
  latencyUs?: number
  argsDigest?: string
  /** Present only when the policy opted in; already redacted. */
  args?: unknown
  findings?: Finding[]
  requestId?: number | string
  sessionId?: string
  traceId?: string
  approval?: {outcome: ApprovalOutcome; approver: string; channel: ApprovalChannel; waitedMs: number}
  /** ok is absent when read from OTLP: the contract's span carries no result attribute. */
  trust?: {subject: string; ok?: boolean; detail?: string; score?: number; tier?: string}
}

/** A record as stored: the DecisionRecord plus its place in the chain. */
export interface StoredRecord extends DecisionRecord {
  /** `<segment>:<seq>`: stable id for `traces show`. */
  id: string
  seq: number
  prev: string
  hash: string
}
