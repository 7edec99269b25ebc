/**
 * agentgov's spans and metrics, recorded through @opentelemetry/api. Names and attributes are the
 * telemetry contract (docs/telemetry.md): change them only with it. Loaded only when export is on.
 */
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

export class Signals {
  private readonly evaluations?: Counter
  private readonly denials?: Counter
  private readonly latency?: Histogram
  private readonly approvals?: Counter
  private readonly duration?: Histogram
  /** Open request spans by JSON-RPC id, so a decision taken inside a request becomes its child. */
  private readonly open = new Map<string, Span>()

  constructor(
    private readonly tracer: Tracer | undefined,
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
    this.evaluations?.add(1, {'agt.policy.action': action, 'agt.policy.stage': stage})
    this.latency?.record(event.latencyUs / 1000, {'agt.policy.action': action, 'agt.policy.stage': stage})
    if (action === 'deny') this.denials?.add(1, compact({'agt.policy.rule': event.rule, 'agt.policy.stage': stage, 'agt.tool.name': event.tool}))
    if (!this.tracer) return undefined
    const attributes = compact({
      'agt.agent.id': event.agent,
      'agt.policy.stage': stage,
      'agt.policy.action': action,
      'agt.policy.rule': event.rule,
      'agt.policy.name': event.policy,
      'agt.tool.name': event.tool,
      'agt.server.name': event.server,
    })
    return this.instant(SPAN.evaluate, attributes, now - event.latencyUs / 1000, now, event)
  }

  approval(event: ApprovalEvent, now: number): string | undefined {
    this.approvals?.add(1, compact({'agt.policy.rule': event.rule, 'agt.approval.outcome': event.outcome}))
    if (!this.tracer) return undefined
    const attributes = compact({
      'agt.agent.id': event.agent,
      'agt.policy.rule': event.rule,
      'agt.tool.name': event.tool,
      'agt.approval.outcome': event.outcome,
      'agt.approval.approver': event.approver,
      'agt.approval.channel': event.channel,
    })
    return this.instant(SPAN.approval, attributes, now - event.waitedMs, now, event)
  }

  trust(event: TrustEvent, now: number): string | undefined {
    if (!this.tracer) return undefined
    const attributes = compact({'agt.agent.id': event.agent, 'agt.trust.score': event.score, 'agt.trust.tier': event.tier, 'agt.trust.subject': event.subject})
    return this.instant(SPAN.trust, attributes, now, now, event)
  }

  request(info: RequestInfo): OpenSpan {
    const start = performance.now()
    const name = info.tool ? `${info.method} ${info.tool}` : info.method
    const attributes = compact({
      'mcp.method.name': info.method,
      'gen_ai.tool.name': info.tool,
      'gen_ai.operation.name': info.method === 'tools/call' ? 'execute_tool' : undefined,
      'jsonrpc.request.id': String(info.requestId),
      'mcp.session.id': info.sessionId,
      'mcp.protocol.version': info.protocolVersion,
      'network.transport': info.transport,
    })
    const span = this.tracer?.startSpan(name, {kind: SpanKind.SERVER, attributes}, callerContext(info.traceparent, info.tracestate))
    const key = String(info.requestId)
    if (span && this.open.size < MAX_OPEN_REQUESTS) this.open.set(key, span)
    let ended = false
    return {
      traceparent: span ? traceparentOf(span) : undefined,
      traceId: span?.spanContext().traceId,
      end: (outcome = {}) => {
        if (ended) return
        ended = true
        if (this.open.get(key) === span) this.open.delete(key)
        this.duration?.record((performance.now() - start) / 1000, compact({'mcp.method.name': info.method, 'gen_ai.tool.name': info.tool, 'error.type': outcome.errorType}))
        if (!span) return
        finish(span, outcome)
      },
      upstream: () => {
        if (!span || !this.tracer) return {end: () => {}}
        const client = this.tracer.startSpan(name, {kind: SpanKind.CLIENT, attributes}, trace.setSpan(ROOT_CONTEXT, span))
        return {traceparent: traceparentOf(client), end: (outcome = {}) => finish(client, outcome)}
      },
    }
  }

  private instant(name: string, attributes: Attributes, start: number, end: number, event: {requestId?: number | string; traceparent?: string; tracestate?: string}): string {
    const parent = event.requestId === undefined ? undefined : this.open.get(String(event.requestId))
    const context = parent ? trace.setSpan(ROOT_CONTEXT, parent) : callerContext(event.traceparent, event.tracestate)
    const span = this.tracer!.startSpan(name, {kind: SpanKind.INTERNAL, attributes, startTime: start}, context)
    // A deny or a failed check is an outcome, not a failure of agentgov: status OK, reason in attributes.
    span.setStatus({code: SpanStatusCode.OK})
    span.end(end)
    return span.spanContext().traceId
  }
}

function finish(span: Span, outcome: Outcome): void {
  if (outcome.errorType) span.setAttribute('error.type', outcome.errorType)
  span.setStatus(outcome.failed ? {code: SpanStatusCode.ERROR, message: outcome.message} : {code: SpanStatusCode.OK})
  span.end()
}

function compact(attributes: Record<string, boolean | number | string | null | undefined>): Attributes {
  const out: Attributes = {}
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined && value !== null) out[key] = value
  return out
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/

/** The caller's W3C trace context from params._meta, or the root context when absent or malformed. */
export function callerContext(traceparent: string | undefined, tracestate: string | undefined): Context {
  const m = traceparent ? TRACEPARENT.exec(traceparent.trim().toLowerCase()) : null
  if (!m || m[1] === 'ff' || /^0+$/.test(m[2]) || /^0+$/.test(m[3])) return ROOT_CONTEXT
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: m[2],
    spanId: m[3],
    traceFlags: Number.parseInt(m[4], 16) & 1,
    isRemote: true,
    traceState: tracestate ? createTraceState(tracestate) : undefined,
  })
}

function traceparentOf(span: Span): string {
  const c = span.spanContext()
  return `00-${c.traceId}-${c.spanId}-0${c.traceFlags & 1}`
}
