import type {ApprovalAnswer, ApprovalQuestion} from '../approvals/types.js'
import {knownMethod, passesKillSwitch} from '../policy/methods.js'
import type {PolicyCall, Stage} from '../policy/types.js'
import {RULE} from '../telemetry/record.js'
import type {RequestSpan, Telemetry, UpstreamSpan} from '../telemetry/types.js'
import {Approver, type ClientRequest, labelServerElicitation} from './approver.js'
import {ToolCatalogue} from './catalogue.js'
import {CHECKED_LISTINGS, CHECKED_RESULTS, checkListing, checkReturned, type Decider, decideToolCall, type GateDecision, preGate, type Returned, returnedStage} from './deciders.js'
import {
  type Decoded,
  ErrorCode,
  errorResponse,
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
} from './jsonrpc.js'
import type {PinStore} from './pins.js'
import type {PolicyPort} from './ports.js'
import {realPathVariant} from './real-paths.js'
import {type Origin, SessionRecorder, traceContext} from './recorder.js'
import type {Transport} from './transport.js'

export interface SessionOptions {
  agent: string
  server: string
  client: Transport
  upstream: Transport
  policy: PolicyPort
  pins: Pick<PinStore, 'inspect'>
  /** Ask a person through the state directory (`agentgov approvals`). */
  askCli(question: ApprovalQuestion, signal: AbortSignal): Promise<ApprovalAnswer>
  telemetry?: Telemetry
  transport: 'pipe' | 'tcp'
  /** Diagnostics for the person running the proxy (stderr). */
  log(message: string): void
}

/** A request the proxy forwarded upstream, keyed by the id the proxy gave it there. */
interface UpstreamPending {
  clientId?: JsonRpcId
  method: string
  tool?: string
  done?: (response: JsonRpcResponse) => void
  /** The CLIENT span of the hop to the server. */
  hop?: UpstreamSpan
}

/** A request sent to the client (the server's, or the proxy's own elicitation), keyed by the id the proxy gave it. */
interface ClientPending {
  serverId?: JsonRpcId
  done?: (response: JsonRpcResponse) => void
}

const PASS_BEFORE_INIT = new Set(['initialize', 'ping'])

/**
 * One client connected to one MCP server through the governance gate. Every message is decoded
 * strictly, decided on in its parsed form, and forwarded re-serialised with ids the proxy owns, so the
 * client, the server and the proxy's own requests can never collide.
 */
export class ProxySession {
  private initialized = false
  /** One initialize per session: what it declares (capabilities, who the client is) is fixed then. */
  private initializeSeen = false
  private protocolVersion?: string
  private nextUpstreamId = 1
  private nextClientId = 1
  private readonly upstreamPending = new Map<number, UpstreamPending>()
  private readonly clientPending = new Map<string, ClientPending>()
  /** Client request ids still awaiting an answer (reuse is refused), with what cancels them. */
  private readonly inFlight = new Map<string, {upstreamId?: number; abort?: AbortController; span?: RequestSpan}>()
  private readonly recorder: SessionRecorder
  private readonly catalogue: ToolCatalogue
  private readonly approver: Approver
  private readonly deciders: Decider[]
  private closed = false
  private closing = false
  onclose?: (code: number | null) => void

  constructor(private readonly options: SessionOptions) {
    const {agent, server, policy, pins, telemetry, transport, log, askCli} = options
    this.recorder = new SessionRecorder({agent, server, telemetry, policy, transport, log, sides: {client: options.client, upstream: options.upstream}})
    const recorder = this.recorder
    this.catalogue = new ToolCatalogue({agent, server, policy, pins, recorder, log, listTools: (cursor) => this.askUpstream('tools/list', cursor ? {cursor} : {}), listChanged: () => this.toClient({jsonrpc: '2.0', method: 'notifications/tools/list_changed'})})
    this.approver = new Approver({agent, server, policy, recorder, askCli, transport, requestClient: (method, params, related) => this.requestClient(method, params, related)})
    this.deciders = preGate({policy, catalogue: this.catalogue, storeFailing: () => recorder.storeFailing()})
  }

  async start(): Promise<void> {
    const {client, upstream} = this.options
    client.ondecoded = (decoded) => this.fromClient(decoded)
    upstream.ondecoded = (decoded) => this.fromUpstream(decoded)
    client.onclose = () => void this.close(null, 'client closed')
    upstream.onclose = (info) => void this.close(info.code ?? (info.signal ? 1 : 0), 'server exited')
    client.onerror = (error) => this.options.log(`client stream error: ${error.message}`)
    upstream.onerror = (error) => this.options.log(`server stream error: ${error.message}`)
    await upstream.start()
    await client.start()
  }

  // ── client → server ──────────────────────────────────────────────────────────────────────────

  private fromClient(decoded: Decoded): void {
    switch (decoded.kind) {
      case 'violation': {
        this.recorder.refused('client', decoded.violation, decoded.detail)
        // A line that is not one JSON object gets no answer (it may be smuggling); a JSON object that
        // breaks the protocol gets the invalid-request error it asked for.
        if (decoded.id !== undefined) this.toClient(errorResponse(decoded.id, ErrorCode.invalidRequest, `Invalid request: ${decoded.detail}.`))
        return
      }

      case 'request': {
        this.clientRequest(decoded.message)
        return
      }

      case 'notification': {
        this.clientNotification(decoded.message)
        return
      }

      case 'response': {
        this.clientResponse(decoded.message)
      }
    }
  }

  /** Whatever goes wrong while deciding, the request is answered with an error and never forwarded. */
  private failedClosed(request: JsonRpcRequest, error: Error): void {
    this.options.log(`could not decide ${request.method}: ${error.message}; the call was refused`)
    this.answer(request.id, errorResponse(request.id, ErrorCode.internal, 'agentgov could not decide this call, so it was not forwarded.'), true)
  }

  private clientRequest(request: JsonRpcRequest): void {
    try {
      this.routeRequest(request)
    } catch (error) {
      this.failedClosed(request, error as Error)
    }
  }

  private routeRequest(request: JsonRpcRequest): void {
    const key = idKey(request.id)
    if (this.inFlight.has(key)) {
      this.recorder.refused('client', 'id-reuse', `request id ${JSON.stringify(request.id)} is still in flight`)
      this.toClient(errorResponse(request.id, ErrorCode.invalidRequest, 'Invalid request: this id is already in use by a request in flight.'))
      return
    }

    if (!this.initialized && !PASS_BEFORE_INIT.has(request.method)) {
      this.recorder.refused('client', 'before-initialize', `${request.method} before initialize`)
      this.toClient(errorResponse(request.id, ErrorCode.invalidRequest, 'Invalid request: the session is not initialized yet.'))
      return
    }

    const tool = request.method === 'tools/call' && typeof request.params?.name === 'string' ? request.params.name : undefined
    this.inFlight.set(key, {span: this.recorder.request(request, tool, this.protocolVersion)})
    // Only methods agentgov knows pass, compared exactly: `Tools/Call` or `tools/call ` is no variant
    // of a known method but an unknown one, which a lenient server might still run.
    const known = knownMethod(request.method, 'client', 'request')
    if (!known) {
      this.refuseRequest(request, ErrorCode.methodNotFound, {rule: RULE.unknownMethod, reason: `${JSON.stringify(request.method)} is not an MCP method agentgov knows, so it was not forwarded.`})
      return
    }

    switch (request.method) {
      case 'initialize': {
        if (this.initializeSeen) {
          // A second handshake could add elicitation or rename the client mid-session, and with it
          // who answers the approvals: refused, and the first one stays in force.
          this.recorder.refused('client', 'second-initialize', 'initialize sent again in a session already initialized')
          this.answer(request.id, errorResponse(request.id, ErrorCode.invalidRequest, 'Invalid request: this session is already initialized; start a new session instead.'))
          return
        }

        this.initializeSeen = true
        const params = request.params ?? {}
        this.approver.client(params.capabilities as Record<string, unknown> | undefined)
        this.forward(request)
        return
      }

      case 'tools/call': {
        this.gateToolCall(request).catch((error: Error) => this.failedClosed(request, error))
        return
      }

      case 'resources/read': {
        this.gateNamed(request, 'resource', request.params?.uri)
        return
      }

      case 'prompts/get': {
        this.gateNamed(request, 'prompt', request.params?.name)
        return
      }

      default: {
        // No policy stage decides these (lists, completions, task bookkeeping), but the kill switch
        // stops every request except the session's own lifecycle.
        const killed = passesKillSwitch(known) ? undefined : this.options.policy.killed(this.options.agent)
        if (killed) this.refuseRequest(request, ErrorCode.invalidRequest, killed)
        else this.forward(request)
      }
    }
  }

  /** Answer a request the gate refuses before any policy stage, and record it as a deny. */
  private refuseRequest(request: JsonRpcRequest, code: number, why: Pick<GateDecision, 'reason' | 'rule'> & Partial<GateDecision>): void {
    const {agent, server} = this.options
    const decision: GateDecision = {action: 'deny', policy: null, ...why}
    const call: PolicyCall = {agent, server, tool: request.method, stage: 'pre_tool'}
    this.decide(call, request, () => decision)
    this.answer(request.id, errorResponse(request.id, code, `Denied${decision.rule ? ` (rule ${decision.rule})` : ''}: ${decision.reason}`))
  }

  private async gateToolCall(request: JsonRpcRequest): Promise<void> {
    const {agent, server} = this.options
    const name = request.params?.name
    const rawArgs = request.params?.arguments ?? {}
    if (typeof name !== 'string' || typeof rawArgs !== 'object' || rawArgs === null || Array.isArray(rawArgs)) {
      this.answer(request.id, errorResponse(request.id, ErrorCode.invalidParams, 'Invalid params: tools/call needs a string name and an object of arguments.'))
      return
    }

    await this.catalogue.ensureKnown()
    const call: PolicyCall = {agent, server, tool: name, stage: 'pre_tool', args: rawArgs as Record<string, unknown>, annotations: this.catalogue.annotations(name)}
    const real = realPathVariant(call.args as Record<string, unknown>)
    const decision = this.decide(call, request, () => decideToolCall(this.deciders, this.options.policy, call, real ? [real] : []))
    if (decision.action === 'allow' || decision.action === 'audit') {
      this.forward(request, name)
    } else if (decision.hidden) {
      this.answer(request.id, errorResponse(request.id, ErrorCode.invalidParams, `Unknown tool: ${name}`))
    } else if (decision.action === 'deny') {
      this.answer(request.id, denyResult(request.id, decision))
    } else if (await this.approve(request, call, decision)) {
      this.forward(request, name)
    } else {
      this.answer(request.id, denyResult(request.id, {...decision, reason: `Not approved: ${decision.reason}`}))
    }
  }

  private gateNamed(request: JsonRpcRequest, stage: Stage, subject: unknown): void {
    if (typeof subject !== 'string') {
      this.answer(request.id, errorResponse(request.id, ErrorCode.invalidParams, `Invalid params: ${request.method} needs a string ${stage === 'resource' ? 'uri' : 'name'}.`))
      return
    }

    const {agent, server, policy} = this.options
    const call: PolicyCall = {agent, server, tool: subject, stage, args: (request.params?.arguments as Record<string, unknown>) ?? {}}
    const decision = this.decide(call, request, () => policy.decide(call))
    // No person to ask inside a resource read or prompt fetch: only allow and audit pass.
    if (decision.action === 'allow' || decision.action === 'audit') this.forward(request, subject)
    else this.answer(request.id, errorResponse(request.id, ErrorCode.invalidParams, `Denied by policy${decision.rule ? ` (rule ${decision.rule})` : ''}: ${decision.reason}`))
  }

  /** Decide, and record the decision once what the caller forwards or answers next has been written. */
  private decide(call: PolicyCall, request: JsonRpcRequest, decide: () => GateDecision): GateDecision {
    const started = process.hrtime.bigint()
    const decision = decide()
    const latencyUs = Number(process.hrtime.bigint() - started) / 1000
    if (decision.unrecorded) {
      this.options.log(`refused ${call.server}.${call.tool}: ${decision.reason}`)
      return decision
    }

    // The call does not wait for its digest, trace record and span ids; still recorded before any
    // other message is read.
    afterSends(() => {
      try {
        this.recorder.decision(call, decision, latencyUs, {id: request.id, context: traceContext(request)})
      } catch (error) {
        this.options.log(`could not record the decision on ${call.server}.${call.tool}: ${(error as Error).message}`)
      }
    })
    return decision
  }

  /** Hold the call for a person; a client cancel or the session's close ends the wait. */
  private approve(request: JsonRpcRequest, call: PolicyCall, decision: GateDecision): Promise<boolean> {
    const abort = new AbortController()
    const flight = this.inFlight.get(idKey(request.id))
    if (flight) flight.abort = abort
    const origin: Origin = {id: request.id, context: traceContext(request)}
    return this.approver.approve(call, decision, origin, abort.signal)
  }

  /** A request of the proxy's own to the client (an elicitation), under an id the proxy owns. */
  private requestClient(method: string, params: Record<string, unknown>, relatedRequestId?: JsonRpcId): ClientRequest {
    const id = this.nextClientId++
    const response = new Promise<JsonRpcResponse>((resolve) => this.clientPending.set(idKey(id), {done: resolve}))
    this.options.client.send({jsonrpc: '2.0', id, method, params}, {relatedRequestId})
    return {response, forget: () => this.clientPending.delete(idKey(id))}
  }

  private clientNotification(notification: JsonRpcNotification): void {
    // A notification cannot be answered, so one named like a request (tools/call without an id)
    // would run unanswered and undecided: only notifications/* pass.
    if (!notification.method.startsWith('notifications/')) {
      this.recorder.refused('client', 'notification-as-request', `${notification.method} sent as a notification`)
      return
    }

    if (!knownMethod(notification.method, 'client', 'notification')) {
      this.recorder.refused('client', 'unknown-method', `${JSON.stringify(notification.method)} is not a notification agentgov knows`)
      return
    }

    if (notification.method === 'notifications/cancelled') {
      const requestId = notification.params?.requestId
      const flight = validId(requestId) ? this.inFlight.get(idKey(requestId)) : undefined
      if (!flight) return
      flight.abort?.abort()
      if (flight.upstreamId === undefined) return
      this.options.upstream.send({...notification, params: {...notification.params, requestId: flight.upstreamId}})
      return
    }

    this.options.upstream.send(notification)
  }

  private clientResponse(response: JsonRpcResponse): void {
    const pending = response.id === null ? undefined : this.clientPending.get(idKey(response.id))
    if (!pending) {
      this.recorder.refused('client', 'unknown-response', `a response to id ${JSON.stringify(response.id)}, which was never asked`)
      return
    }

    this.clientPending.delete(idKey(response.id as JsonRpcId))
    if (pending.done) pending.done(response)
    else if (pending.serverId !== undefined) this.options.upstream.send({...response, id: pending.serverId})
  }

  /** Send a client request upstream under an id the proxy owns. */
  private forward(request: JsonRpcRequest, tool?: string): void {
    if (this.closed) return
    const upstreamId = this.nextUpstreamId++
    const flight = this.inFlight.get(idKey(request.id))
    if (flight) flight.upstreamId = upstreamId
    const hop = flight?.span?.upstream()
    this.upstreamPending.set(upstreamId, {clientId: request.id, method: request.method, tool, hop})
    // The server continues the trace from the proxy's hop; the rest of _meta passes as it came.
    const params = hop?.traceparent ? {...request.params, _meta: {...(request.params?._meta as object), traceparent: hop.traceparent}} : request.params
    this.options.upstream.send({...request, id: upstreamId, ...(params ? {params} : {})})
  }

  // ── server → client ──────────────────────────────────────────────────────────────────────────

  private fromUpstream(decoded: Decoded): void {
    switch (decoded.kind) {
      case 'violation': {
        this.recorder.refused('server', decoded.violation, decoded.detail)
        // An answer too large to pass still ends its request, with an error instead of silence.
        const pending = typeof decoded.id === 'number' ? this.upstreamPending.get(decoded.id) : undefined
        if (pending && typeof decoded.id === 'number') {
          this.upstreamResponse(errorResponse(decoded.id, ErrorCode.internal, `The server's answer was refused: ${decoded.detail}.`))
        }

        return
      }

      case 'response': {
        this.upstreamResponse(decoded.message)
        return
      }

      case 'request': {
        if (!knownMethod(decoded.message.method, 'server', 'request')) {
          this.recorder.refused('server', 'unknown-method', `${JSON.stringify(decoded.message.method)} is not a request agentgov knows`)
          this.options.upstream.send(errorResponse(decoded.message.id, ErrorCode.methodNotFound, 'Method not found: agentgov passes only the MCP requests it knows.'))
          return
        }

        // Sampling, elicitation and roots requests pass through, recorded, under a proxy-owned id.
        const id = this.nextClientId++
        this.clientPending.set(idKey(id), {serverId: decoded.message.id})
        this.recorder.trust({kind: 'server-request', name: decoded.message.method}, true)
        const params = decoded.message.method === 'elicitation/create' ? labelServerElicitation(this.options.server, decoded.message.params) : decoded.message.params
        this.options.client.send({...decoded.message, id, params})
        return
      }

      case 'notification': {
        if (!knownMethod(decoded.message.method, 'server', 'notification')) {
          this.recorder.refused('server', 'unknown-method', `${JSON.stringify(decoded.message.method)} is not a notification agentgov knows`)
          return
        }

        if (decoded.message.method === 'notifications/tools/list_changed') this.catalogue.invalidate()

        if (decoded.message.method === 'notifications/cancelled') {
          this.serverCancelled(decoded.message)
          return
        }

        this.options.client.send(decoded.message)
      }
    }
  }

  private upstreamResponse(response: JsonRpcResponse): void {
    const upstreamId = typeof response.id === 'number' ? response.id : undefined
    const pending = upstreamId === undefined ? undefined : this.upstreamPending.get(upstreamId)
    if (!pending || upstreamId === undefined) {
      this.recorder.refused('server', 'unknown-response', `a response to id ${JSON.stringify(response.id)}, which was never asked`)
      return
    }

    this.upstreamPending.delete(upstreamId)
    if (pending.done) {
      pending.done(response)
      return
    }

    let {result, error} = response
    if (result && pending.method === 'initialize') {
      this.initialized = true
      if (typeof result.protocolVersion === 'string') this.protocolVersion = result.protocolVersion
    } else if (result && pending.method === 'tools/list') {
      result = this.catalogue.shown(result)
    } else if (result && CHECKED_LISTINGS.has(pending.method)) {
      result = checkListing(this.options.policy, pending.method, result, (subject, detail) => this.recorder.trust(subject, false, detail))
    } else if (error || CHECKED_RESULTS.has(pending.method)) {
      ;({result, error} = this.checkedReturned(pending, {result, error}))
    }

    pending.hop?.end({errorType: errorTypeOf(response.error, result)})
    if (pending.clientId !== undefined) this.answer(pending.clientId, {jsonrpc: '2.0', id: pending.clientId, ...(error ? {error} : result ? {result} : {})})
  }

  /** What came back as the agent may read it; a finding or a redaction is recorded as a decision on it. */
  private checkedReturned(pending: UpstreamPending, returned: Returned): Returned {
    const subject = pending.tool ?? pending.method
    const checked = checkReturned(this.options.policy, CHECKED_RESULTS.get(pending.method) ?? 'tool-result', returned, this.options.log, subject)
    const origin = pending.clientId === undefined ? undefined : {id: pending.clientId}
    if (checked.decision) this.recorder.decision({tool: subject, stage: returnedStage(pending.method)}, checked.decision, 0, origin)
    return checked.returned
  }

  private askUpstream(method: string, params: Record<string, unknown>): Promise<JsonRpcResponse> {
    return new Promise((resolve) => {
      const id = this.nextUpstreamId++
      this.upstreamPending.set(id, {method, done: resolve})
      this.options.upstream.send({jsonrpc: '2.0', id, method, params})
    })
  }

  private serverCancelled(notification: JsonRpcNotification): void {
    const serverId = notification.params?.requestId
    for (const [key, pending] of this.clientPending) {
      if (pending.serverId !== undefined && pending.serverId === serverId) {
        this.clientPending.delete(key)
        this.options.client.send({...notification, params: {...notification.params, requestId: parseIdKey(key)}})
        return
      }
    }
  }

  // ── both ─────────────────────────────────────────────────────────────────────────────────────

  /** The one place a client request gets its answer: exactly once. `failed`: the proxy path broke. */
  private answer(id: JsonRpcId, response: JsonRpcResponse, failed = false): void {
    const flight = this.inFlight.get(idKey(id))
    if (!flight) return
    this.inFlight.delete(idKey(id))
    flight.span?.end({errorType: errorTypeOf(response.error, response.result), failed})
    this.toClient(response)
  }

  private toClient(message: JsonRpcMessage): void {
    if (!this.closed) this.options.client.send(message)
  }

  /** The agent's token was revoked: recorded, then the session ends as if the client had left. */
  async revoke(detail: string): Promise<void> {
    this.recorder.refused('client', 'token-revoked', detail)
    await this.close(null, detail)
  }

  /** When the server goes, every request still waiting gets an error; when the client goes, the server is stopped. */
  async close(code: number | null, why: string): Promise<void> {
    if (this.closed || this.closing) return
    this.closing = true
    for (const [upstreamId, pending] of this.upstreamPending) {
      this.upstreamPending.delete(upstreamId)
      pending.hop?.end({errorType: String(ErrorCode.internal), failed: true})
      if (pending.clientId !== undefined) this.answer(pending.clientId, errorResponse(pending.clientId, ErrorCode.internal, `The MCP server is gone (${why}).`), true)
      pending.done?.(errorResponse(upstreamId, ErrorCode.internal, why))
    }

    for (const flight of this.inFlight.values()) flight.abort?.abort()
    await this.approver.settled()
    for (const key of this.inFlight.keys()) this.answer(parseIdKey(key), errorResponse(parseIdKey(key), ErrorCode.internal, `The MCP server is gone (${why}).`), true)
    this.closed = true
    await Promise.allSettled([this.options.upstream.close(), this.options.client.close()])
    this.onclose?.(code)
  }
}

/** error.type as the telemetry contract has it: the JSON-RPC code, or tool_error for an isError result. */
function errorTypeOf(error: JsonRpcResponse['error'], result: Record<string, unknown> | undefined): string | undefined {
  if (error) return String(error.code)
  return result?.isError === true ? 'tool_error' : undefined
}

function denyResult(id: JsonRpcId, decision: GateDecision): JsonRpcResponse {
  const rule = decision.rule ? ` (rule ${decision.rule})` : ''
  return {jsonrpc: '2.0', id, result: {content: [{type: 'text', text: `Denied by agentgov policy${rule}: ${decision.reason}`}], isError: true}}
}

/** Ids as map keys: 1 and "1" are different ids. */
function idKey(id: JsonRpcId): string {
  return typeof id === 'number' ? `n${id}` : `s${id}`
}

function parseIdKey(key: string): JsonRpcId {
  return key.startsWith('n') ? Number(key.slice(1)) : key.slice(1)
}

function validId(id: unknown): id is JsonRpcId {
  return typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id))
}

/**
 * Runs fn after the microtasks queued by the rest of this synchronous run, among them the one in which
 * a transport writes what was sent (LineTransport.send flushes in a microtask): the outer microtask is
 * queued before that flush, the inner one after it.
 */
function afterSends(fn: () => void): void {
  queueMicrotask(() => queueMicrotask(fn))
}
