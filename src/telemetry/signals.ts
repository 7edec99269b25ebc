/**
 * agentgov's spans and metrics. Span names and attributes are the record contract's (record.ts,
 * docs/telemetry.md): change them only with it. Spans are written by otlp-spans.ts, metrics recorded through
 * @opentelemetry/api. Loaded only when export is on.
 */
import {randomFillSync} from 'node:crypto'

import type {Attributes, Counter, Histogram, Meter} from '@opentelemetry/api'

import {type AttributeValue, SPAN_KIND, type SpanRecord, STATUS_CODE} from './otlp-spans.js'
import {
  type ApprovalFields,
  type AttributeSource,
  ATTR,
  type DecisionFields,
  formatTraceparent,
  parseTraceparent,
  type RecordKind,
  type RequestInfo,
  requestAttributes,
  requestSpanName,
  type SpanContract,
  SPANS,
  type TraceContext,
  type TrustFields,
} from './record.js'

export const METRIC = {
  evaluations: 'agt.policy.evaluations',
  denials: 'agt.policy.denials',
  latency: 'agt.policy.latency_ms',
  approvals: 'agt.approval.requests',
  operationDuration: 'mcp.server.operation.duration',
} as const

// Bucket boundaries: the MCP semconv advice for operation duration (s); sub-millisecond-aware for policy latency (ms).
const DURATION_BUCKETS_S = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300]
const LATENCY_BUCKETS_MS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100]

export interface Outcome {
  errorType?: string
  failed?: boolean
  message?: string
}

export interface OpenSpan {
  traceparent?: string
  traceId?: string
  end(outcome?: Outcome): void
  upstream(): {traceparent?: string; end(outcome?: Outcome): void}
}

/** At most this many requests are tracked for parenting; a proxy never has nearly as many open. */
const MAX_OPEN_REQUESTS = 4096

/**
 * Spans are sent and metric points recorded in bulk, at most this often or when this many (one
 * export request) are waiting, so their cost falls on one call in hundreds rather than on every call.
 */
const MAKE_EVERY_MS = 100
const MAX_PENDING = 512

/** A span's identity, chosen on the call's path so it can be propagated before the span is sent. */
interface Ids {
  traceId: string
  spanId: string
  sampled: boolean
  traceState?: string
}

type SpanAttributes = Pick<SpanRecord, 'attributes' | 'recordAttributes'>

/**
 * Records agentgov's spans and metrics. The call's path picks ids and timestamps and keeps a small
 * record; export requests are written and metric points recorded later, in bulk (MAKE_EVERY_MS).
 */
export class Signals {
  private readonly evaluations?: Counter
  private readonly denials?: Counter
  private readonly latency?: Histogram
  private readonly approvals?: Counter
  private readonly duration?: Histogram
  /** Open request spans by JSON-RPC id, so a decision taken inside a request becomes its child. */
  private readonly open = new Map<number | string, Ids>()
  private spans: SpanRecord[] = []
  private points: Array<() => void> = []
  private readonly counts = new Map<Counter, Map<string, {attributes: Attributes; n: number}>>()
  private scheduled = false
  private immediate = false
  private readonly ids = new RandomIds()

  constructor(
    /** Where finished spans go; undefined when spans are not exported. */
    private readonly exportSpans: ((spans: SpanRecord[]) => void) | undefined,
    meter: Meter | undefined,
  ) {
    if (!meter) return
    this.evaluations = meter.createCounter(METRIC.evaluations, {unit: '1', description: 'Policy decisions, by action and stage.'})
    this.denials = meter.createCounter(METRIC.denials, {unit: '1', description: 'Denied calls, by rule, stage and tool.'})
    this.latency = meter.createHistogram(METRIC.latency, {unit: 'ms', description: 'Time to evaluate the policy.', advice: {explicitBucketBoundaries: LATENCY_BUCKETS_MS}})
    this.approvals = meter.createCounter(METRIC.approvals, {unit: '1', description: 'Human-approval rounds, by rule and outcome.'})
    this.duration = meter.createHistogram(METRIC.operationDuration, {
      unit: 's',
      description: 'Duration of an MCP request as seen by the proxy.',
      advice: {explicitBucketBoundaries: DURATION_BUCKETS_S},
    })
  }

  /** Metrics and the span of one record; returns the trace id it was recorded under, if any. */
  record(kind: RecordKind, fields: ApprovalFields | DecisionFields | TrustFields, context: TraceContext | undefined, now: number): string | undefined {
    if (kind === 'decision') this.decisionMetrics(fields as DecisionFields)
    else if (kind === 'approval') this.approvalMetrics(fields as ApprovalFields)
    if (!this.exportSpans) return undefined
    const span = SPANS[kind]
    return this.instant(span, fields, now - span.durationMs(fields), now, fields.requestId, context)
  }

  private decisionMetrics(d: DecisionFields): void {
    const {stage, action} = d
    this.count(this.evaluations, `${action} ${stage}`, () => ({[ATTR.action]: action, [ATTR.stage]: stage}))
    if (action === 'deny') this.count(this.denials, JSON.stringify([d.rule, stage, d.tool]), () => compact({[ATTR.rule]: d.rule, [ATTR.stage]: stage, [ATTR.tool]: d.tool}))
    if (this.latency) this.point(this.latency, d.latencyUs / 1000, {[ATTR.action]: action, [ATTR.stage]: stage})
  }

  private approvalMetrics(a: ApprovalFields): void {
    this.count(this.approvals, JSON.stringify([a.rule, a.approval.outcome]), () => compact({[ATTR.rule]: a.rule, [ATTR.outcome]: a.approval.outcome}))
  }

  request(info: RequestInfo): OpenSpan {
    const start = preciseNow()
    const caller = this.exportSpans ? callerIds(info.traceparent, info.tracestate) : undefined
    const ids: Ids | undefined = this.exportSpans
      ? {traceId: caller?.traceId ?? this.ids.traceId(), spanId: this.ids.spanId(), sampled: caller?.sampled ?? true, traceState: caller?.traceState}
      : undefined
    const key = info.requestId
    if (ids && this.open.size < MAX_OPEN_REQUESTS) this.open.set(key, ids)
    let ended = false
    return {
      traceparent: ids ? traceparentOf(ids) : undefined,
      traceId: ids?.traceId,
      end: (outcome = {}) => {
        if (ended) return
        ended = true
        if (this.open.get(key) === ids) this.open.delete(key)
        const end = preciseNow()
        if (this.duration) this.point(this.duration, (end - start) / 1000, compact({'mcp.method.name': info.method, 'gen_ai.tool.name': info.tool, 'error.type': outcome.errorType}))
        if (ids) this.span(requestSpanName(info), SPAN_KIND.server, {attributes: requestAttributes(info, outcome.errorType)}, start, end, ids, caller?.spanId, true, outcome)
      },
      upstream: () => {
        if (!ids) return {end: () => {}}
        const hop: Ids = {traceId: ids.traceId, spanId: this.ids.spanId(), sampled: ids.sampled, traceState: ids.traceState}
        const hopStart = preciseNow()
        return {
          traceparent: traceparentOf(hop),
          end: (outcome = {}) => this.span(requestSpanName(info), SPAN_KIND.client, {attributes: requestAttributes(info, outcome.errorType)}, hopStart, preciseNow(), hop, ids.spanId, false, outcome),
        }
      },
    }
  }

  /** Sends every span and records every metric point kept so far; called before the providers flush. */
  flush(): void {
    const spans = this.spans
    const points = this.points
    this.spans = []
    this.points = []
    this.scheduled = false
    for (const record of points) {
      try {
        record()
      } catch {
        // A point the SDK refuses is lost alone; the rest are still recorded.
      }
    }

    for (const [counter, counts] of this.counts) for (const {attributes, n} of counts.values()) counter.add(n, attributes)
    this.counts.clear()
    if (spans.length > 0) this.exportSpans?.(spans)
  }

  /** Counter increments are summed per attribute set until the flush: one SDK call each, not one per call. */
  private count(counter: Counter | undefined, key: string, attributes: () => Attributes): void {
    if (!counter) return
    let counts = this.counts.get(counter)
    if (!counts) this.counts.set(counter, (counts = new Map()))
    const entry = counts.get(key)
    if (entry) entry.n++
    else counts.set(key, {attributes: attributes(), n: 1})
    this.schedule()
  }

  private point(histogram: Histogram, value: number, attributes: Attributes): void {
    this.points.push(() => histogram.record(value, attributes))
    this.schedule(this.points.length)
  }

  /**
   * A record's span under the open request it belongs to, or under the caller's context; returns its
   * trace id. Its attributes are read from the record by the contract's table when the span is written.
   */
  private instant(span: SpanContract, record: AttributeSource, start: number, end: number, requestId: number | string | undefined, context: TraceContext | undefined): string {
    const open = requestId === undefined ? undefined : this.open.get(requestId)
    const parent = open ?? callerIds(context?.traceparent, context?.tracestate)
    const ids: Ids = {traceId: parent?.traceId ?? this.ids.traceId(), spanId: this.ids.spanId(), sampled: parent?.sampled ?? true, traceState: parent?.traceState}
    // A deny or a failed check is an outcome, not a failure of agentgov: status OK, reason in attributes.
    this.span(span.name, SPAN_KIND.internal, {recordAttributes: {fields: span.attributes, record}}, start, end, ids, parent?.spanId, !open)
    return ids.traceId
  }

  /** parentIsRemote: the parent is the caller's span, in another process. */
  private span(
    name: string,
    kind: SpanRecord['kind'],
    attributes: SpanAttributes,
    start: number,
    end: number,
    ids: Ids,
    parentSpanId: string | undefined,
    parentIsRemote: boolean,
    outcome: Outcome = {},
  ): void {
    // An unsampled caller asked for no spans: the ids still propagate, nothing is sent.
    if (!ids.sampled) return
    this.spans.push({
      name,
      kind,
      traceId: ids.traceId,
      spanId: ids.spanId,
      parentSpanId,
      parentIsRemote: parentSpanId !== undefined && parentIsRemote,
      traceState: ids.traceState,
      startMs: start,
      endMs: end,
      attributes: attributes.attributes,
      recordAttributes: attributes.recordAttributes,
      status: outcome.failed ? {code: STATUS_CODE.error, message: outcome.message} : {code: STATUS_CODE.ok},
    })
    this.schedule(this.spans.length)
  }

  /** A flush at most MAKE_EVERY_MS away; a full batch goes right after the current turn, not inside the call that filled it. */
  private schedule(pending = 0): void {
    if (pending >= MAX_PENDING && !this.immediate) {
      this.immediate = true
      setImmediate(() => {
        this.immediate = false
        this.flush()
      })
    } else if (!this.scheduled) {
      this.scheduled = true
      setTimeout(() => this.flush(), MAKE_EVERY_MS).unref()
    }
  }
}

/** Span and trace ids from a pooled CSPRNG buffer: one system call per few hundred ids. */
class RandomIds {
  private pool = Buffer.alloc(0)
  private offset = 0

  traceId(): string {
    return this.random(16)
  }

  spanId(): string {
    return this.random(8)
  }

  private random(bytes: number): string {
    if (this.offset + bytes > this.pool.length) {
      this.pool = randomFillSync(Buffer.allocUnsafe(4096))
      this.offset = 0
    }

    const id = this.pool.toString('hex', this.offset, this.offset + bytes)
    this.offset += bytes
    // An all-zero id is invalid in W3C trace context; 2^-64 odds, but cheap to rule out.
    return /^0+$/.test(id) ? this.random(bytes) : id
  }
}

/** Milliseconds since the epoch with sub-millisecond precision. */
function preciseNow(): number {
  return performance.timeOrigin + performance.now()
}

/** Metric attributes without the absent ones (the SDK would keep them as attribute-set keys). */
function compact(attributes: Record<string, AttributeValue | null | undefined>): Attributes {
  const out: Attributes = {}
  for (const key in attributes) {
    const value = attributes[key]
    if (value !== undefined && value !== null) out[key] = value
  }

  return out
}

/** The caller's W3C trace context from params._meta; undefined when absent or malformed. */
function callerIds(traceparent: string | undefined, tracestate: string | undefined): Ids | undefined {
  const parsed = parseTraceparent(traceparent)
  return parsed && {...parsed, traceState: validTraceState(tracestate)}
}

/** W3C caps tracestate at 512 characters of printable ASCII; anything else is not passed on. */
function validTraceState(tracestate: string | undefined): string | undefined {
  const value = tracestate?.trim()
  return value && value.length <= 512 && /^[\x20-\x7e]+$/.test(value) ? value : undefined
}

function traceparentOf(ids: Ids): string {
  return formatTraceparent(ids.traceId, ids.spanId, ids.sampled)
}
