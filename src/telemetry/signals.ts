/**
 * agentgov's spans and metrics, recorded through @opentelemetry/api. Names and attributes are the
 * telemetry contract (docs/telemetry.md): change them only with it. Loaded only when export is on.
 */
import {randomFillSync} from 'node:crypto'

import {
  type Attributes,
  type Context,
  type Counter,
  createTraceState,
  type Histogram,
  type Meter,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  type Tracer,
} from '@opentelemetry/api'
import type {IdGenerator} from '@opentelemetry/sdk-trace-base'


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
 * Spans and metric points are made in bulk, at most this often or when this many (one export batch)
 * are waiting, so their cost falls on one call in hundreds rather than on every call.
 */
const MAKE_EVERY_MS = 100
const MAX_PENDING = 512

/** A span's identity, chosen on the call's path so it can be propagated before the span exists. */
interface Ids {
  traceId: string
  spanId: string
  sampled: boolean
}

/** A span's ids and the open request it was recorded in, taken on the call's path (the request may end before the span is made). */
interface ChildIds extends Ids {
  parent?: Ids
}

/**
 * Records agentgov's spans and metrics. The call's path only picks ids and timestamps; the spans and
 * metric points themselves are made through the SDK later, in bulk (MAKE_EVERY_MS), so export on
 * costs a tool call about a microsecond, not the SDK's tens of them.
 */
export class Signals {
  private readonly evaluations?: Counter
  private readonly denials?: Counter
  private readonly latency?: Histogram
  private readonly approvals?: Counter
  private readonly duration?: Histogram
  /** Open request spans by JSON-RPC id, so a decision taken inside a request becomes its child. */
  private readonly open = new Map<string, Ids>()
  private pending: Array<() => void> = []
  private readonly counts = new Map<Counter, Map<string, {attributes: Attributes; n: number}>>()
  private scheduled = false

  constructor(
    private readonly tracer: Tracer | undefined,
    meter: Meter | undefined,
    private readonly ids: PresetIds = new PresetIds(),
    private readonly exportNow: () => void = () => {},
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
    const ids = this.tracer ? this.childIds(event) : undefined
    this.later(() => {
      const stage = event.stage
      const action = event.action
      this.count(this.evaluations, `${action} ${stage}`, () => ({'agt.policy.action': action, 'agt.policy.stage': stage}))
      this.latency?.record(event.latencyUs / 1000, {'agt.policy.action': action, 'agt.policy.stage': stage})
      if (action === 'deny') this.count(this.denials, JSON.stringify([event.rule, stage, event.tool]), () => compact({'agt.policy.rule': event.rule, 'agt.policy.stage': stage, 'agt.tool.name': event.tool}))
      if (!ids) return
      const attributes = compact({
        'agt.agent.id': event.agent,
        'agt.policy.stage': stage,
        'agt.policy.action': action,
        'agt.policy.rule': event.rule,
        'agt.policy.name': event.policy,
        'agt.tool.name': event.tool,
        'agt.server.name': event.server,
      })
      this.instant(SPAN.evaluate, attributes, now - event.latencyUs / 1000, now, ids, event)
    })
    return ids?.traceId
  }

  approval(event: ApprovalEvent, now: number): string | undefined {
    const ids = this.tracer ? this.childIds(event) : undefined
    this.later(() => {
      this.approvals?.add(1, compact({'agt.policy.rule': event.rule, 'agt.approval.outcome': event.outcome}))
      if (!ids) return
      const attributes = compact({
        'agt.agent.id': event.agent,
        'agt.policy.rule': event.rule,
        'agt.tool.name': event.tool,
        'agt.approval.outcome': event.outcome,
        'agt.approval.approver': event.approver,
        'agt.approval.channel': event.channel,
      })
      this.instant(SPAN.approval, attributes, now - event.waitedMs, now, ids, event)
    })
    return ids?.traceId
  }

  trust(event: TrustEvent, now: number): string | undefined {
    if (!this.tracer) return undefined
    const ids = this.childIds(event)
    this.later(() => {
      const attributes = compact({'agt.agent.id': event.agent, 'agt.trust.score': event.score, 'agt.trust.tier': event.tier, 'agt.trust.subject': event.subject})
      this.instant(SPAN.trust, attributes, now, now, ids, event)
    })
    return ids.traceId
  }

  request(info: RequestInfo): OpenSpan {
    const start = preciseNow()
    const caller = this.tracer ? callerIds(info.traceparent) : undefined
    const ids = this.tracer ? {traceId: caller?.traceId ?? this.ids.traceId(), spanId: this.ids.spanId(), sampled: caller?.sampled ?? true} : undefined
    const key = String(info.requestId)
    if (ids && this.open.size < MAX_OPEN_REQUESTS) this.open.set(key, ids)
    let ended = false
    // Both spans of a request carry the same attributes (the SDK copies them): build them once.
    let attributes: Attributes | undefined
    const attributesOf = () => (attributes ??= requestAttributes(info))
    return {
      traceparent: ids ? traceparentOf(ids) : undefined,
      traceId: ids?.traceId,
      end: (outcome = {}) => {
        if (ended) return
        ended = true
        if (this.open.get(key) === ids) this.open.delete(key)
        const end = preciseNow()
        this.later(() => {
          this.duration?.record((end - start) / 1000, compact({'mcp.method.name': info.method, 'gen_ai.tool.name': info.tool, 'error.type': outcome.errorType}))
          if (!ids) return
          const span = this.startSpan(spanName(info), SpanKind.SERVER, attributesOf(), start, ids, callerContext(info.traceparent, info.tracestate))
          finish(span, outcome, end)
        })
      },
      upstream: () => {
        if (!ids) return {end: () => {}}
        const hop = {traceId: ids.traceId, spanId: this.ids.spanId(), sampled: ids.sampled}
        const hopStart = preciseNow()
        return {
          traceparent: traceparentOf(hop),
          end: (outcome = {}) => {
            const end = preciseNow()
            this.later(() => finish(this.startSpan(spanName(info), SpanKind.CLIENT, attributesOf(), hopStart, hop, contextOf(ids)), outcome, end))
          },
        }
      },
    }
  }

  /** Makes every span and metric point recorded so far; called before the providers flush. */
  flush(): void {
    const pending = this.pending
    this.pending = []
    this.scheduled = false
    for (const make of pending) {
      try {
        make()
      } catch {
        // A span the SDK refuses is lost alone; the rest are still made.
      }
    }

    for (const [counter, counts] of this.counts) for (const {attributes, n} of counts.values()) counter.add(n, attributes)
    this.counts.clear()
    // Serialised for export in this same turn, the SDK's span objects die young: held in the batch
    // queue they would survive into every young-generation GC and make each one several times dearer.
    if (pending.length > 0 && this.tracer) this.exportNow()
  }

  /** Counter increments are summed per attribute set until the flush: one SDK call each, not one per call. */
  private count(counter: Counter | undefined, key: string, attributes: () => Attributes): void {
    if (!counter) return
    let counts = this.counts.get(counter)
    if (!counts) this.counts.set(counter, (counts = new Map()))
    const entry = counts.get(key)
    if (entry) entry.n++
    else counts.set(key, {attributes: attributes(), n: 1})
  }

  private later(make: () => void): void {
    this.pending.push(make)
    if (this.pending.length >= MAX_PENDING) this.flush()
    else if (!this.scheduled) {
      this.scheduled = true
      setTimeout(() => this.flush(), MAKE_EVERY_MS).unref()
    }
  }

  /** Ids for a span that is the child of the open request it belongs to, or of the caller's context. */
  private childIds(event: {requestId?: number | string; traceparent?: string}): ChildIds {
    const parent = event.requestId === undefined ? undefined : this.open.get(String(event.requestId))
    const caller = parent ?? callerIds(event.traceparent)
    return {traceId: caller?.traceId ?? this.ids.traceId(), spanId: this.ids.spanId(), sampled: caller?.sampled ?? true, parent}
  }

  private instant(name: string, attributes: Attributes, start: number, end: number, ids: ChildIds, event: {traceparent?: string; tracestate?: string}): void {
    const context = ids.parent ? contextOf(ids.parent) : callerContext(event.traceparent, event.tracestate)
    const span = this.startSpan(name, SpanKind.INTERNAL, attributes, start, ids, context)
    // A deny or a failed check is an outcome, not a failure of agentgov: status OK, reason in attributes.
    span.setStatus({code: SpanStatusCode.OK})
    span.end(end)
  }

  /** The SDK span, under the ids chosen on the call's path. */
  private startSpan(name: string, kind: SpanKind, attributes: Attributes, start: number, ids: Ids, parent: Context): Span {
    this.ids.preset(ids)
    try {
      return this.tracer!.startSpan(name, {kind, attributes, startTime: start}, parent)
    } finally {
      this.ids.preset(undefined)
    }
  }
}

/**
 * The tracer's id generator: random ids from a pooled CSPRNG buffer, except while a span chosen
 * earlier on the call's path is being made, when it hands out that span's ids.
 */
export class PresetIds implements IdGenerator {
  private next?: Ids
  private pool = Buffer.alloc(0)
  private offset = 0

  preset(ids: Ids | undefined): void {
    this.next = ids
  }

  traceId(): string {
    return this.random(16)
  }

  spanId(): string {
    return this.random(8)
  }

  generateTraceId(): string {
    return this.next?.traceId ?? this.traceId()
  }

  generateSpanId(): string {
    return this.next?.spanId ?? this.spanId()
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

function requestAttributes(info: RequestInfo): Attributes {
  return compact({
    'mcp.method.name': info.method,
    'gen_ai.tool.name': info.tool,
    'gen_ai.operation.name': info.method === 'tools/call' ? 'execute_tool' : undefined,
    'jsonrpc.request.id': String(info.requestId),
    'mcp.session.id': info.sessionId,
    'mcp.protocol.version': info.protocolVersion,
    'network.transport': info.transport,
  })
}

/** Milliseconds since the epoch with sub-millisecond precision, as the SDK's own clock. */
function preciseNow(): number {
  return performance.timeOrigin + performance.now()
}

function contextOf(ids: Ids): Context {
  return trace.setSpanContext(ROOT_CONTEXT, {traceId: ids.traceId, spanId: ids.spanId, traceFlags: ids.sampled ? 1 : 0})
}

function finish(span: Span, outcome: Outcome, end: number): void {
  if (outcome.errorType) span.setAttribute('error.type', outcome.errorType)
  span.setStatus(outcome.failed ? {code: SpanStatusCode.ERROR, message: outcome.message} : {code: SpanStatusCode.OK})
  span.end(end)
}

function compact(attributes: Record<string, boolean | number | string | null | undefined>): Attributes {
  const out: Attributes = {}
  for (const key in attributes) {
    const value = attributes[key]
    if (value !== undefined && value !== null) out[key] = value
  }

  return out
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/

/** The caller's W3C trace context from params._meta, or the root context when absent or malformed. */
export function callerContext(traceparent: string | undefined, tracestate: string | undefined): Context {
  const ids = callerIds(traceparent)
  if (!ids) return ROOT_CONTEXT
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: ids.traceId,
    spanId: ids.spanId,
    traceFlags: ids.sampled ? 1 : 0,
    isRemote: true,
    traceState: tracestate ? createTraceState(tracestate) : undefined,
  })
}

function callerIds(traceparent: string | undefined): Ids | undefined {
  const m = traceparent ? TRACEPARENT.exec(traceparent.trim().toLowerCase()) : null
  if (!m || m[1] === 'ff' || /^0+$/.test(m[2]) || /^0+$/.test(m[3])) return undefined
  return {traceId: m[2], spanId: m[3], sampled: (Number.parseInt(m[4], 16) & 1) === 1}
}

function traceparentOf(ids: Ids): string {
  return `00-${ids.traceId}-${ids.spanId}-0${ids.sampled ? 1 : 0}`
}
