/**
 * agentgov's spans and metrics. Names and attributes are the telemetry contract (docs/telemetry.md):
 * change them only with it. Spans are written by otlp-spans.ts, metrics recorded through
 * @opentelemetry/api. Loaded only when export is on.
 */
import {randomFillSync} from 'node:crypto'

import type {Attributes, Counter, Histogram, Meter} from '@opentelemetry/api'

import {type AttributeValue, SPAN_KIND, type SpanRecord, STATUS_CODE} from './otlp-spans.js'
import type {ApprovalEvent, DecisionEvent, RequestInfo, TrustEvent} from './types.js'

export const SPAN = {
  evaluate: 'agt.policy.evaluate',
  approval: 'agt.approval.request',
  trust: 'agt.trust.verify',
} as const

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

type SpanAttributes = SpanRecord['attributes']

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

  /** Returns the trace id the decision was recorded under, if any. */
  decision(event: DecisionEvent, now: number): string | undefined {
    const stage = event.stage
    const action = event.action
    this.count(this.evaluations, `${action} ${stage}`, () => ({'agt.policy.action': action, 'agt.policy.stage': stage}))
    if (action === 'deny') this.count(this.denials, JSON.stringify([event.rule, stage, event.tool]), () => compact({'agt.policy.rule': event.rule, 'agt.policy.stage': stage, 'agt.tool.name': event.tool}))
    if (this.latency) this.record(this.latency, event.latencyUs / 1000, {'agt.policy.action': action, 'agt.policy.stage': stage})
    if (!this.exportSpans) return undefined
    const attributes = {
      'agt.agent.id': event.agent,
      'agt.policy.stage': stage,
      'agt.policy.action': action,
      'agt.policy.rule': event.rule,
      'agt.policy.name': event.policy,
      'agt.tool.name': event.tool,
      'agt.server.name': event.server,
    }
    return this.instant(SPAN.evaluate, attributes, now - event.latencyUs / 1000, now, event)
  }

  approval(event: ApprovalEvent, now: number): string | undefined {
    this.count(this.approvals, JSON.stringify([event.rule, event.outcome]), () => compact({'agt.policy.rule': event.rule, 'agt.approval.outcome': event.outcome}))
    if (!this.exportSpans) return undefined
    const attributes = {
      'agt.agent.id': event.agent,
      'agt.policy.rule': event.rule,
      'agt.tool.name': event.tool,
      'agt.approval.outcome': event.outcome,
      'agt.approval.approver': event.approver,
      'agt.approval.channel': event.channel,
    }
    return this.instant(SPAN.approval, attributes, now - event.waitedMs, now, event)
  }

  trust(event: TrustEvent, now: number): string | undefined {
    if (!this.exportSpans) return undefined
    const attributes = {'agt.agent.id': event.agent, 'agt.trust.score': event.score, 'agt.trust.tier': event.tier, 'agt.trust.subject': event.subject}
    return this.instant(SPAN.trust, attributes, now, now, event)
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
        if (this.duration) this.record(this.duration, (end - start) / 1000, compact({'mcp.method.name': info.method, 'gen_ai.tool.name': info.tool, 'error.type': outcome.errorType}))
        if (ids) this.span(spanName(info), SPAN_KIND.server, requestAttributes(info, outcome), start, end, ids, caller?.spanId, true, outcome)
      },
      upstream: () => {
        if (!ids) return {end: () => {}}
        const hop: Ids = {traceId: ids.traceId, spanId: this.ids.spanId(), sampled: ids.sampled, traceState: ids.traceState}
        const hopStart = preciseNow()
        return {
          traceparent: traceparentOf(hop),
          end: (outcome = {}) => this.span(spanName(info), SPAN_KIND.client, requestAttributes(info, outcome), hopStart, preciseNow(), hop, ids.spanId, false, outcome),
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

  private record(histogram: Histogram, value: number, attributes: Attributes): void {
    this.points.push(() => histogram.record(value, attributes))
    this.schedule(this.points.length)
  }

  /** A span under the open request it belongs to, or under the caller's context; returns its trace id. */
  private instant(name: string, attributes: SpanAttributes, start: number, end: number, event: {requestId?: number | string; traceparent?: string; tracestate?: string}): string {
    const open = event.requestId === undefined ? undefined : this.open.get(event.requestId)
    const parent = open ?? callerIds(event.traceparent, event.tracestate)
    const ids: Ids = {traceId: parent?.traceId ?? this.ids.traceId(), spanId: this.ids.spanId(), sampled: parent?.sampled ?? true, traceState: parent?.traceState}
    // A deny or a failed check is an outcome, not a failure of agentgov: status OK, reason in attributes.
    this.span(name, SPAN_KIND.internal, attributes, start, end, ids, parent?.spanId, !open)
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
      attributes,
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

function spanName(info: RequestInfo): string {
  return info.tool ? `${info.method} ${info.tool}` : info.method
}

function requestAttributes(info: RequestInfo, outcome: Outcome): SpanAttributes {
  return {
    'mcp.method.name': info.method,
    'gen_ai.tool.name': info.tool,
    'gen_ai.operation.name': info.method === 'tools/call' ? 'execute_tool' : undefined,
    'jsonrpc.request.id': String(info.requestId),
    'mcp.session.id': info.sessionId,
    'mcp.protocol.version': info.protocolVersion,
    'network.transport': info.transport,
    'error.type': outcome.errorType,
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

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/

/** The caller's W3C trace context from params._meta; undefined when absent or malformed. */
function callerIds(traceparent: string | undefined, tracestate: string | undefined): Ids | undefined {
  const m = traceparent ? TRACEPARENT.exec(traceparent.trim().toLowerCase()) : null
  if (!m || m[1] === 'ff' || /^0+$/.test(m[2]) || /^0+$/.test(m[3])) return undefined
  return {traceId: m[2], spanId: m[3], sampled: (Number.parseInt(m[4], 16) & 1) === 1, traceState: validTraceState(tracestate)}
}

/** W3C caps tracestate at 512 characters of printable ASCII; anything else is not passed on. */
function validTraceState(tracestate: string | undefined): string | undefined {
  const value = tracestate?.trim()
  return value && value.length <= 512 && /^[\x20-\x7e]+$/.test(value) ? value : undefined
}

function traceparentOf(ids: Ids): string {
  return `00-${ids.traceId}-${ids.spanId}-0${ids.sampled ? 1 : 0}`
}
