/**
 * The telemetry contract with the rest of agentgov: the proxy records through a Telemetry, `report`
 * reads DecisionRecords. Names of spans, attributes and metrics are in docs/telemetry.md and
 * ../shared/reference/telemetry.md; nothing outside src/telemetry imports the OpenTelemetry SDK.
 */
import type {ApprovalFields, DecisionFields, RequestInfo, TraceContext, TrustFields} from './record.js'

export type {Action, Stage} from '../policy/types.js'
/** The record itself (kinds, fields, subjects, spans) is record.ts's. */
export type * from './record.js'

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
  /**
   * Store append + agt.policy.evaluate span + metrics. Never throws, never awaits I/O on the caller's
   * path. The fields become the record as they are; telemetry adds the kind, the time (unless given)
   * and the trace id, which continues `context` (the caller's params._meta) or the open request span.
   */
  decision(fields: DecisionFields, context?: TraceContext): void
  /** Store append + agt.approval.request span + agt.approval.requests. */
  approval(fields: ApprovalFields, context?: TraceContext): void
  /** Store append + agt.trust.verify span. */
  trust(fields: TrustFields, context?: TraceContext): void
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
