/**
 * What the proxy's thread (otel.ts, signals.ts) and the export worker (otel-worker.ts) say to each
 * other, and the metric instruments the worker creates. Plain data only: it crosses a thread.
 */
import type {OtelConfig, Protocol, Signal} from './config.js'
import type {WireSpan} from './otlp-spans.js'
import type {AttributeValue} from './record.js'

export type InstrumentName = keyof typeof INSTRUMENTS
type MetricAttributes = Record<string, AttributeValue>

export type ToWorker =
  | {t: 'batch'; spans: WireSpan[]; counts: Array<{name: InstrumentName; attributes: MetricAttributes; n: number}>; points: Array<{name: InstrumentName; attributes: MetricAttributes; values: number[]}>}
  | {t: 'flush'; id: number}
  | {t: 'shutdown'}

export interface ExportStats {
  deliveredSpans: number
  failedSpans: number
  failedMetricExports: number
}

export type FromWorker =
  | {t: 'ready'}
  | ({t: 'stats'} & ExportStats)
  | ({t: 'flushed'; id: number} & ExportStats)
  | ({t: 'done'} & ExportStats)
  | {t: 'failure'; signal?: Signal; protocol?: Protocol; endpoint?: string; message: string}

export interface WorkerData {
  config: OtelConfig
  version: string
  /** Replaying stored records: every span is sent, whatever the sampler. */
  replay: boolean
}

// Bucket boundaries: the MCP semconv advice for operation duration (s); sub-millisecond-aware for policy latency (ms).
const DURATION_BUCKETS_S = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300]
const LATENCY_BUCKETS_MS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100]

/** agentgov's metrics (docs/telemetry.md): `agt.*` as AGT names them, `mcp.*` as the MCP semantic conventions do. */
export const INSTRUMENTS = {
  'agt.policy.evaluations': {kind: 'counter', unit: '1', description: 'Policy decisions, by action and stage.'},
  'agt.policy.denials': {kind: 'counter', unit: '1', description: 'Denied calls, by rule, stage and tool.'},
  'agt.policy.latency_ms': {kind: 'histogram', unit: 'ms', description: 'Time to evaluate the policy.', buckets: LATENCY_BUCKETS_MS},
  'agt.approval.requests': {kind: 'counter', unit: '1', description: 'Human-approval rounds, by rule and outcome.'},
  'mcp.server.operation.duration': {kind: 'histogram', unit: 's', description: 'Duration of an MCP request as the proxy serves it to the client.', buckets: DURATION_BUCKETS_S},
  'mcp.client.operation.duration': {kind: 'histogram', unit: 's', description: 'Duration of an MCP request as the proxy sends it to the server.', buckets: DURATION_BUCKETS_S},
} as const satisfies Record<string, {kind: 'counter'; unit: string; description: string} | {kind: 'histogram'; unit: string; description: string; buckets: readonly number[]}>
