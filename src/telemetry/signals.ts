/**
 * agentgov's spans and metrics, as the proxy's thread keeps them. Span names and attributes are the
 * record contract's (record.ts, docs/telemetry.md): change them only with it. The call's path picks
 * ids, the sampled flag and timestamps and keeps a small record; in bulk (MAKE_EVERY_MS) the records
 * become plain spans and metric points and go to the OpenTelemetry SDK in the export worker
 * (otel.ts). Loaded only when export is on.
 */
import {randomFillSync} from 'node:crypto'

import type {OtelRuntime} from './otel.js'
import type {InstrumentName} from './otel-wire.js'
import {SPAN_KIND, type SpanRecord, STATUS_CODE, toWireSpan, type WireSpan} from './otlp-spans.js'
import {
  type ApprovalFields,
  type AttributeSource,
  type AttributeValue,
  ATTR,
  type DecisionFields,
  formatTraceparent,
  parseTraceparent,
  type RecordKind,
  REQUEST_METRIC_ATTRIBUTES,
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
  clientOperationDuration: 'mcp.client.operation.duration',
} as const satisfies Record<string, InstrumentName>

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
 * export batch) are waiting, so their cost falls on one call in hundreds rather than on every call.
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

/** What the runtime needs from the export side: the sampler, and where batches go. */
export type SignalSink = Pick<OtelRuntime, 'metrics' | 'propagate' | 'sampled' | 'send' | 'tracing'>

/**
 * Records agentgov's spans and metrics. The call's path picks ids and timestamps and keeps a small
 * record; spans and metric points are made later, in bulk (MAKE_EVERY_MS), and handed to the SDK.
 */
export class Signals {
  /** Open request spans by JSON-RPC id, so a decision taken inside a request becomes its child. */
  private readonly open = new Map<number | string, Ids>()
  private spans: SpanRecord[] = []
  private points = new Map<string, {name: InstrumentName; attributes: Record<string, AttributeValue>; values: number[]}>()
  private pointCount = 0
  private readonly counts = new Map<string, {name: InstrumentName; attributes: Record<string, AttributeValue>; n: number}>()
  private scheduled = false
  private immediate = false
  private readonly ids = new RandomIds()

  constructor(private readonly sink: SignalSink) {}

  /** Metrics and the span of one record; returns the trace id it was recorded under, if any. */
  record(kind: RecordKind, fields: ApprovalFields | DecisionFields | TrustFields, context: TraceContext | undefined, now: number): string | undefined {
    if (this.sink.metrics) {
      if (kind === 'decision') this.decisionMetrics(fields as DecisionFields)
      else if (kind === 'approval') this.approvalMetrics(fields as ApprovalFields)
    }

    if (!this.sink.tracing) return undefined
    const span = SPANS[kind]
    return this.instant(span, fields, now - span.durationMs(fields), now, fields.requestId, context)
  }

  private decisionMetrics(d: DecisionFields): void {
    const {stage, action} = d
    this.count(METRIC.evaluations, `${action} ${stage}`, () => ({[ATTR.action]: action, [ATTR.stage]: stage}))
    if (action === 'deny') this.count(METRIC.denials, JSON.stringify([d.rule, stage, d.tool]), () => compact({[ATTR.rule]: d.rule, [ATTR.stage]: stage, [ATTR.tool]: d.tool}))
    this.point(METRIC.latency, `${action} ${stage}`, d.latencyUs / 1000, () => ({[ATTR.action]: action, [ATTR.stage]: stage}))
  }

  private approvalMetrics(a: ApprovalFields): void {
    this.count(METRIC.approvals, JSON.stringify([a.rule, a.approval.outcome]), () => compact({[ATTR.rule]: a.rule, [ATTR.outcome]: a.approval.outcome}))
  }

  request(info: RequestInfo): OpenSpan {
    const start = preciseNow()
    const tracing = this.sink.tracing
    const caller = tracing && this.sink.propagate ? callerIds(info.traceparent, info.tracestate) : undefined
    let ids: Ids | undefined
    if (tracing) {
      const traceId = caller?.traceId ?? this.ids.traceId()
      ids = {traceId, spanId: this.ids.spanId(), sampled: this.sink.sampled(traceId, caller), traceState: caller?.traceState}
    }

    const key = info.requestId
    if (ids && this.open.size < MAX_OPEN_REQUESTS) this.open.set(key, ids)
    let ended = false
    return {
      traceparent: ids && this.sink.propagate ? traceparentOf(ids) : undefined,
      traceId: ids?.traceId,
      end: (outcome = {}) => {
        if (ended) return
        ended = true
        if (this.open.get(key) === ids) this.open.delete(key)
        const end = preciseNow()
        if (this.sink.metrics) this.operation(METRIC.operationDuration, info, outcome, (end - start) / 1000, 'server')
        if (ids) this.span(requestSpanName(info), SPAN_KIND.server, {attributes: requestAttributes(info, outcome.errorType)}, start, end, ids, caller?.spanId, true, outcome)
      },
      upstream: () => {
        const hopStart = preciseNow()
        const hop: Ids | undefined = ids && {traceId: ids.traceId, spanId: this.ids.spanId(), sampled: ids.sampled, traceState: ids.traceState}
        return {
          traceparent: hop && this.sink.propagate ? traceparentOf(hop) : undefined,
          end: (outcome = {}) => {
            const hopEnd = preciseNow()
            if (this.sink.metrics) this.operation(METRIC.clientOperationDuration, info, outcome, (hopEnd - hopStart) / 1000, 'client')
            if (hop && ids) this.span(requestSpanName(info), SPAN_KIND.client, {attributes: requestAttributes(info, outcome.errorType, 'client')}, hopStart, hopEnd, hop, ids.spanId, false, outcome)
          },
        }
      },
    }
  }

  /** Hands every span and metric point kept so far to the SDK; called before the runtime flushes. */
  flush(): void {
    const kept = this.spans
    this.spans = []
    this.scheduled = false
    const spans: WireSpan[] = kept.map(toWireSpan)
    const counts = [...this.counts.values()]
    const points = [...this.points.values()]
    this.counts.clear()
    this.points.clear()
    this.pointCount = 0
    if (spans.length > 0 || counts.length > 0 || points.length > 0) this.sink.send({spans, counts, points})
  }

  /** Counter increments are summed per attribute set until the flush: one SDK call each, not one per call. */
  private count(name: InstrumentName, key: string, attributes: () => Record<string, AttributeValue>): void {
    const id = `${name} ${key}`
    const entry = this.counts.get(id)
    if (entry) entry.n++
    else this.counts.set(id, {name, attributes: attributes(), n: 1})
    this.schedule()
  }

  /** Histogram values are grouped per attribute set until the flush. */
  private point(name: InstrumentName, key: string, value: number, attributes: () => Record<string, AttributeValue>): void {
    const id = `${name} ${key}`
    const entry = this.points.get(id)
    if (entry) entry.values.push(value)
    else this.points.set(id, {name, attributes: attributes(), values: [value]})
    this.schedule(++this.pointCount)
  }

  private operation(name: InstrumentName, info: RequestInfo, outcome: Outcome, seconds: number, side: 'client' | 'server'): void {
    const key = `${info.method} ${info.tool ?? info.prompt ?? ''} ${outcome.errorType ?? ''} ${info.protocolVersion ?? ''} ${side}`
    this.point(name, key, seconds, () => {
      const all = requestAttributes(info, outcome.errorType, side)
      const out: Record<string, AttributeValue> = {}
      for (const attribute of REQUEST_METRIC_ATTRIBUTES) {
        const value = all[attribute]
        if (value !== undefined) out[attribute] = value
      }

      return out
    })
  }

  /**
   * A record's span under the open request it belongs to, or under the caller's context; returns its
   * trace id. Its attributes are read from the record by the contract's table when the batch is made.
   */
  private instant(span: SpanContract, record: AttributeSource, start: number, end: number, requestId: number | string | undefined, context: TraceContext | undefined): string {
    const open = requestId === undefined ? undefined : this.open.get(requestId)
    const caller = open || !this.sink.propagate ? undefined : callerIds(context?.traceparent, context?.tracestate)
    const parent = open ?? caller
    const traceId = parent?.traceId ?? this.ids.traceId()
    const ids: Ids = {traceId, spanId: this.ids.spanId(), sampled: open ? open.sampled : this.sink.sampled(traceId, caller), traceState: parent?.traceState}
    // A deny or a failed check is an outcome, not a failure of agentgov: status OK, reason in attributes.
    this.span(span.name, SPAN_KIND.internal, {recordAttributes: {fields: span.attributes, record}}, start, end, ids, parent?.spanId, !open)
    return ids.traceId
  }

  /** parentIsRemote: the parent is the caller's span, in another process. */
  private span(
    name: string,
    kind: WireSpan['kind'],
    attributes: Pick<SpanRecord, 'attributes' | 'recordAttributes'>,
    start: number,
    end: number,
    ids: Ids,
    parentSpanId: string | undefined,
    parentIsRemote: boolean,
    outcome: Outcome = {},
  ): void {
    // An unsampled trace: the ids still propagate, nothing is sent.
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
function compact(attributes: Record<string, AttributeValue | null | undefined>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {}
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
