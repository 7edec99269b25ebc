import type {ApprovalAnswer} from '../approvals/types.js'
import type {PolicyCall} from '../policy/types.js'
import type {RequestSpan, Subject, Telemetry, TraceContext} from '../telemetry/types.js'
import {digestOf} from '../digest.js'
import {redactUri} from '../telemetry/redact.js'
import type {JsonRpcId, JsonRpcRequest} from './jsonrpc.js'
import type {GateDecision, PolicyPort} from './ports.js'
import type {Transport} from './transport.js'

export interface RecorderOptions {
  agent: string
  server: string
  telemetry?: Telemetry
  /** Whether arguments are recorded (redacted) beside their digest: the policy's recordArguments. */
  policy: Pick<PolicyPort, 'settings'>
  transport: 'pipe' | 'tcp'
  /** The two sides, for mcp.session.id (each side's own session) and the upstream span's server.*. */
  sides?: {client: Pick<Transport, 'sessionId'>; upstream: Pick<Transport, 'sessionId' | 'peer'>}
  log(message: string): void
}

/** The request a record belongs to: the client's id, and the trace it continues. */
export interface Origin {
  id: JsonRpcId
  context?: TraceContext
}

/**
 * What one session tells telemetry, in the record contract's shape (src/telemetry/record.ts): the
 * record's fields are built here once, from the call and the decision as they are, and telemetry adds
 * only the time and the trace ids. The session and its parts never build a record themselves.
 */
export class SessionRecorder {
  constructor(private readonly options: RecorderOptions) {}

  /** The MCP request span of a client request, under the caller's trace. */
  request(request: JsonRpcRequest, tool: string | undefined, protocolVersion: string | undefined): RequestSpan | undefined {
    const params = request.params as {name?: unknown; uri?: unknown} | undefined
    const {sides} = this.options
    const peer = sides?.upstream.peer
    return this.options.telemetry?.request({
      method: request.method,
      tool,
      // The MCP conventions' gen_ai.prompt.name and mcp.resource.uri (telemetry owns the attribute names).
      prompt: request.method === 'prompts/get' && typeof params?.name === 'string' ? params.name : undefined,
      resourceUri: request.method.startsWith('resources/') && typeof params?.uri === 'string' ? params.uri : undefined,
      requestId: request.id,
      protocolVersion,
      transport: this.options.transport,
      sessionId: sides?.client.sessionId,
      upstream: peer && {...peer, sessionId: sides?.upstream.sessionId},
      ...traceContext(request),
    })
  }

  /** One decision on a call: the policy's or a check's, in the policy's shape (rule, reason, limit, hidden…). */
  decision(call: Pick<PolicyCall, 'args' | 'stage' | 'tool'>, decision: GateDecision, latencyUs: number, origin?: Origin): void {
    const {agent, server, telemetry, policy} = this.options
    if (!telemetry) return
    const {args} = call
    // Absent members are undefined rather than spread in: the store's serialiser drops them.
    telemetry.decision(
      {
        agent,
        server,
        // A resource's URI is its name here, and may carry credentials (user:pass@, ?token=): the
        // store and the OTLP span both get it redacted.
        tool: call.stage === 'resource' ? redactUri(call.tool) : call.tool,
        stage: call.stage,
        ...decision,
        latencyUs,
        argsDigest: args === undefined ? undefined : digestOf(args),
        args: args !== undefined && policy.settings().recordArguments === 'redacted' ? args : undefined,
        requestId: origin?.id,
      },
      origin?.context,
    )
  }

  approval(tool: string, rule: string | null, answer: ApprovalAnswer, waitedMs: number, origin: Origin): void {
    const {agent, server, telemetry} = this.options
    telemetry?.approval({agent, server, tool, stage: 'pre_tool', rule, approval: {outcome: answer.outcome, approver: answer.approver, channel: answer.channel, waitedMs}, requestId: origin.id}, origin.context)
  }

  trust(subject: Subject, ok: boolean, detail?: string): void {
    const {agent, server, telemetry} = this.options
    telemetry?.trust({agent, server, trust: {subject, ok, ...(detail === undefined ? {} : {detail})}})
  }

  /** A message refused at the protocol level: said on stderr and recorded. */
  refused(from: 'client' | 'server', violation: string, detail: string): void {
    this.options.log(`refused a message from the ${from}: ${detail}`)
    this.trust({kind: 'message', name: `${from}:${violation}`}, false, detail)
  }

  /** The trace store's last write failed: calls are refused until it can record again. */
  storeFailing(): boolean {
    return this.options.telemetry?.stats().storeFailing ?? false
  }
}

/** The caller's W3C trace context, from params._meta. */
export function traceContext(request: JsonRpcRequest): TraceContext {
  const meta = request.params?._meta as {traceparent?: unknown; tracestate?: unknown} | undefined
  return {
    ...(typeof meta?.traceparent === 'string' ? {traceparent: meta.traceparent} : {}),
    ...(typeof meta?.tracestate === 'string' ? {tracestate: meta.tracestate} : {}),
  }
}
