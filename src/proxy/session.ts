import type {Decision, PolicyCall, Stage, ToolAnnotations} from '../policy/types.js'
import type {RequestSpan, Telemetry, UpstreamSpan} from '../telemetry/types.js'
import {digestOf} from '../digest.js'
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
import type {PinStore, ToolDefinition} from './pins.js'
import {realPathVariant} from './real-paths.js'
import type {ApprovalAnswer, ApprovalQuestion, PolicyPort} from './ports.js'
import type {TextFinding} from '../detect/injection.js'
import {redactResult, scanResult, scanTools} from './scanning.js'
import type {Transport} from './transport.js'

export interface SessionOptions {
  agent: string
  server: string
  client: Transport
  upstream: Transport
  policy: PolicyPort
  pins: PinStore
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
  private clientElicitation = false
  private clientName = 'client'
  private protocolVersion?: string
  private nextUpstreamId = 1
  private nextClientId = 1
  private readonly upstreamPending = new Map<number, UpstreamPending>()
  private readonly clientPending = new Map<string, ClientPending>()
  /** Client request ids still awaiting an answer (reuse is refused), with what cancels them. */
  private readonly inFlight = new Map<string, {upstreamId?: number; abort?: AbortController; span?: RequestSpan}>()
  private readonly tools = new Map<string, ToolDefinition>()
  private readonly changedTools = new Set<string>()
  /** Tools whose definition carries injection signs: withheld while `scanning: block`. */
  private readonly poisonedTools = new Set<string>()
  private toolsKnown?: Promise<void>
  /** Approvals being asked: close waits for them, so a cancelled one is marked and recorded before exit. */
  private readonly asking = new Set<Promise<ApprovalAnswer>>()
  private closed = false
  private closing = false
  onclose?: (code: number | null) => void

  constructor(private readonly options: SessionOptions) {}

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
        this.refused('client', decoded.violation, decoded.detail)
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
      this.refused('client', 'id-reuse', `request id ${JSON.stringify(request.id)} is still in flight`)
      this.toClient(errorResponse(request.id, ErrorCode.invalidRequest, 'Invalid request: this id is already in use by a request in flight.'))
      return
    }

    if (!this.initialized && !PASS_BEFORE_INIT.has(request.method)) {
      this.refused('client', 'before-initialize', `${request.method} before initialize`)
      this.toClient(errorResponse(request.id, ErrorCode.invalidRequest, 'Invalid request: the session is not initialized yet.'))
      return
    }

    const tool = request.method === 'tools/call' && typeof request.params?.name === 'string' ? request.params.name : undefined
    const span = this.options.telemetry?.request({
      method: request.method,
      tool,
      requestId: request.id,
      protocolVersion: this.protocolVersion,
      transport: this.options.transport,
      ...traceContext(request),
    })
    this.inFlight.set(key, {span})
    switch (request.method) {
      case 'initialize': {
        const params = request.params ?? {}
        const capabilities = params.capabilities as Record<string, unknown> | undefined
        this.clientElicitation = typeof capabilities?.elicitation === 'object' && capabilities.elicitation !== null
        const info = params.clientInfo as {name?: unknown} | undefined
        if (typeof info?.name === 'string') this.clientName = info.name
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
        this.forward(request)
      }
    }
  }

  private async gateToolCall(request: JsonRpcRequest): Promise<void> {
    const {agent, server, policy} = this.options
    const name = request.params?.name
    const rawArgs = request.params?.arguments ?? {}
    if (typeof name !== 'string' || typeof rawArgs !== 'object' || rawArgs === null || Array.isArray(rawArgs)) {
      this.answer(request.id, errorResponse(request.id, ErrorCode.invalidParams, 'Invalid params: tools/call needs a string name and an object of arguments.'))
      return
    }

    const args = rawArgs as Record<string, unknown>
    // Conditions may use the tool's annotations: learn them before the first decision.
    if (this.tools.size === 0) await this.refreshTools()
    const annotations = this.tools.get(name)?.annotations as ToolAnnotations | undefined
    if (!policy.visible(agent, server, name, annotations)) {
      this.record({agent, server, tool: name, stage: 'pre_tool', args}, hiddenDecision(name), 0, request)
      this.answer(request.id, errorResponse(request.id, ErrorCode.invalidParams, `Unknown tool: ${name}`))
      return
    }

    if (this.changedTools.has(name) && policy.settings().pinning === 'block') {
      const decision: Decision = {action: 'deny', policy: null, rule: 'tool-pinning', reason: `The definition of tool "${name}" changed since it was pinned; a person must accept it with 'agentgov pins accept ${server} ${name}'.`}
      this.record({agent, server, tool: name, stage: 'pre_tool', args}, decision, 0, request)
      this.answer(request.id, denyResult(request.id, decision))
      return
    }

    if (this.poisonedTools.has(name) && policy.settings().scanning === 'block') {
      const decision: Decision = {action: 'deny', policy: null, rule: 'description-scanning', reason: `The definition of tool "${name}" carries instructions aimed at the model (scanning: block).`}
      this.record({agent, server, tool: name, stage: 'pre_tool', args}, decision, 0, request)
      this.answer(request.id, denyResult(request.id, decision))
      return
    }

    // Governance without a trace is a promise: once the trace store cannot write (a full disk),
    // calls are refused rather than forwarded unrecorded.
    if (this.options.telemetry?.stats().storeFailing) {
      this.options.log(`refused ${server}.${name}: the trace store cannot be written`)
      this.answer(request.id, denyResult(request.id, {action: 'deny', policy: null, rule: 'trace-store', reason: 'The trace store cannot be written (is the disk full?); calls are refused until agentgov can record them again.'}))
      return
    }

    const call: PolicyCall = {agent, server, tool: name, stage: 'pre_tool', args, annotations}
    const real = realPathVariant(args)
    const decision = this.decide(call, request, real ? [real] : [])
    if (decision.action === 'allow' || decision.action === 'audit') {
      this.forward(request, name)
      return
    }

    if (decision.action === 'deny') {
      this.answer(request.id, denyResult(request.id, decision))
      return
    }

    const approved = await this.askPerson(request, call, decision)
    if (approved) this.forward(request, name)
    else this.answer(request.id, denyResult(request.id, {...decision, reason: `Not approved: ${decision.reason}`}))
  }

  private gateNamed(request: JsonRpcRequest, stage: Stage, subject: unknown): void {
    if (typeof subject !== 'string') {
      this.answer(request.id, errorResponse(request.id, ErrorCode.invalidParams, `Invalid params: ${request.method} needs a string ${stage === 'resource' ? 'uri' : 'name'}.`))
      return
    }

    const {agent, server} = this.options
    const call: PolicyCall = {agent, server, tool: subject, stage, args: (request.params?.arguments as Record<string, unknown>) ?? {}}
    const decision = this.decide(call, request)
    // No person to ask inside a resource read or prompt fetch: only allow and audit pass.
    if (decision.action === 'allow' || decision.action === 'audit') this.forward(request)
    else this.answer(request.id, errorResponse(request.id, ErrorCode.invalidParams, `Denied by policy${decision.rule ? ` (rule ${decision.rule})` : ''}: ${decision.reason}`))
  }

  private decide(call: PolicyCall, request: JsonRpcRequest, variants: Array<Record<string, unknown>> = []): Decision {
    const started = process.hrtime.bigint()
    const decision = this.options.policy.decide(call, variants)
    const latencyUs = Number(process.hrtime.bigint() - started) / 1000
    // Recorded once what the caller forwards or answers next has been written, so the call does not
    // wait for its digest, trace record and span ids; still before any other message is read.
    afterSends(() => {
      try {
        this.record(call, decision, latencyUs, request)
      } catch (error) {
        this.options.log(`could not record the decision on ${call.server}.${call.tool}: ${(error as Error).message}`)
      }
    })
    return decision
  }

  private record(call: PolicyCall, decision: Decision, latencyUs: number, request: JsonRpcRequest): void {
    const meta = traceContext(request)
    this.options.telemetry?.decision({
      agent: call.agent,
      server: call.server,
      tool: call.tool,
      stage: call.stage,
      action: decision.action,
      policy: decision.policy,
      rule: decision.rule,
      reason: decision.reason,
      condition: decision.condition,
      limit: decision.limit,
      grant: decision.grant,
      latencyUs,
      argsDigest: digestOf(call.args),
      ...(this.options.policy.settings().recordArguments === 'redacted' ? {args: call.args} : {}),
      requestId: request.id,
      ...meta,
    })
  }

  /** Human approval: in the client when it can ask its user, otherwise through `agentgov approvals`. */
  private async askPerson(request: JsonRpcRequest, call: PolicyCall, decision: Decision): Promise<boolean> {
    const {agent, server, telemetry} = this.options
    const question: ApprovalQuestion = {
      requestId: request.id,
      agent,
      server,
      tool: call.tool,
      args: (call.args ?? {}) as Record<string, unknown>,
      rule: decision.rule,
      reason: decision.reason,
      timeoutMs: this.options.policy.settings().approvalTimeoutSec * 1000,
    }
    const abort = new AbortController()
    const flight = this.inFlight.get(idKey(request.id))
    if (flight) flight.abort = abort
    const started = Date.now()
    const asked = this.clientElicitation ? this.askClient(question, abort.signal) : this.options.askCli(question, abort.signal)
    this.asking.add(asked)
    const answer = await asked.finally(() => this.asking.delete(asked))
    telemetry?.approval({
      agent,
      server,
      tool: call.tool,
      rule: decision.rule,
      outcome: answer.outcome,
      approver: answer.approver,
      channel: answer.channel,
      waitedMs: Date.now() - started,
      requestId: request.id,
      ...traceContext(request),
    })
    return answer.outcome === 'approved'
  }

  /** elicitation/create on the client, with the exact tool and arguments; cancel and timeout deny. */
  private askClient(question: ApprovalQuestion, signal: AbortSignal): Promise<ApprovalAnswer> {
    return new Promise((resolve) => {
      const id = this.nextClientId++
      const settle = (answer: ApprovalAnswer) => {
        clearTimeout(timer)
        this.clientPending.delete(idKey(id))
        resolve(answer)
      }

      const timer = setTimeout(() => settle({outcome: 'timeout', approver: 'timeout', channel: 'elicitation'}), question.timeoutMs)
      signal.addEventListener('abort', () => settle({outcome: 'cancelled', approver: 'cancelled', channel: 'elicitation'}), {once: true})
      this.clientPending.set(idKey(id), {
        done: (response) => {
          const result = response.result as {action?: unknown; content?: {approve?: unknown}} | undefined
          const approver = `elicitation:${this.clientName}`
          if (result?.action === 'accept' && result.content?.approve === true) settle({outcome: 'approved', approver, channel: 'elicitation'})
          else if (result?.action === 'cancel') settle({outcome: 'cancelled', approver, channel: 'elicitation'})
          else settle({outcome: 'denied', approver, channel: 'elicitation'})
        },
      })
      const message = `agentgov: agent "${question.agent}" wants to call ${question.server}.${question.tool} with ${JSON.stringify(question.args)}. ${question.reason}`
      const requestedSchema = {
        type: 'object',
        properties: {approve: {type: 'boolean', title: 'Approve this call?', description: `${question.server}.${question.tool}`}},
        required: ['approve'],
      }
      this.options.client.send({jsonrpc: '2.0', id, method: 'elicitation/create', params: {message, requestedSchema}}, {relatedRequestId: question.requestId})
    })
  }

  private clientNotification(notification: JsonRpcNotification): void {
    // A notification cannot be answered, so one named like a request (tools/call without an id)
    // would run unanswered and undecided: only notifications/* pass.
    if (!notification.method.startsWith('notifications/')) {
      this.refused('client', 'notification-as-request', `${notification.method} sent as a notification`)
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
      this.refused('client', 'unknown-response', `a response to id ${JSON.stringify(response.id)}, which was never asked`)
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
        this.refused('server', decoded.violation, decoded.detail)
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
        // Sampling, elicitation and roots requests pass through, recorded, under a proxy-owned id.
        const id = this.nextClientId++
        this.clientPending.set(idKey(id), {serverId: decoded.message.id})
        this.options.telemetry?.trust({agent: this.options.agent, server: this.options.server, subject: `server-request:${decoded.message.method}`, ok: true})
        this.options.client.send({...decoded.message, id})
        return
      }

      case 'notification': {
        if (decoded.message.method === 'notifications/tools/list_changed') {
          this.tools.clear()
          void this.refreshTools()
        }

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
      this.refused('server', 'unknown-response', `a response to id ${JSON.stringify(response.id)}, which was never asked`)
      return
    }

    this.upstreamPending.delete(upstreamId)
    if (pending.done) {
      pending.done(response)
      return
    }

    let result = response.result
    if (result && pending.method === 'initialize') {
      this.initialized = true
      if (typeof result.protocolVersion === 'string') this.protocolVersion = result.protocolVersion
    } else if (result && pending.method === 'tools/list') {
      result = this.filterTools(result)
    } else if (result && pending.method === 'tools/call' && pending.tool) {
      result = this.checkResult(pending.tool, result, pending.clientId)
    }

    pending.hop?.end({errorType: errorTypeOf(response.error, result)})
    if (pending.clientId !== undefined) this.answer(pending.clientId, {...response, id: pending.clientId, ...(result ? {result} : {})})
  }

  /** Hide what the policy denies outright, and pin what is shown. */
  private filterTools(result: Record<string, unknown>): Record<string, unknown> {
    if (!Array.isArray(result.tools)) return result
    const {agent, server, policy} = this.options
    const tools = (result.tools as ToolDefinition[]).filter((tool) => tool && typeof tool.name === 'string')
    this.learnTools(tools)
    const blockChanged = policy.settings().pinning === 'block'
    const blockPoisoned = policy.settings().scanning === 'block'
    const shown = tools.filter(
      (tool) =>
        policy.visible(agent, server, tool.name, tool.annotations as ToolAnnotations) &&
        !(blockChanged && this.changedTools.has(tool.name)) &&
        !(blockPoisoned && this.poisonedTools.has(tool.name)),
    )
    return {...result, tools: shown}
  }

  /** Pin and scan tool definitions; changed ones are rug-pull findings. */
  private learnTools(tools: ToolDefinition[]): void {
    const {agent, server, pins, telemetry, policy} = this.options
    const verdicts = policy.settings().pinning === 'off' ? new Map() : pins.check(tools)
    for (const tool of tools) {
      this.tools.set(tool.name, tool)
      if (verdicts.get(tool.name) === 'changed') {
        if (!this.changedTools.has(tool.name)) this.options.log(`tool "${tool.name}" of server "${server}" changed since it was pinned (possible rug pull)`)
        this.changedTools.add(tool.name)
        telemetry?.trust({agent, server, subject: `tool-pin:${tool.name}`, ok: false, detail: 'definition changed since pinned'})
      } else {
        this.changedTools.delete(tool.name)
      }
    }

    for (const tool of tools) this.poisonedTools.delete(tool.name)
    for (const {tool, findings} of scanTools(tools)) {
      if (!this.poisonedTools.has(tool)) this.options.log(`the definition of tool "${tool}" of server "${server}" carries instructions aimed at the model: ${findings.map((f) => f.kind).join(', ')}`)
      this.poisonedTools.add(tool)
      telemetry?.trust({agent, server, subject: `tool-description:${tool}`, ok: false, detail: findings.map((f) => f.detail).join('; ')})
    }
  }

  /** Scan a tool result; redact secrets before the agent reads them when the policy says so. */
  private checkResult(tool: string, result: Record<string, unknown>, requestId?: JsonRpcId): Record<string, unknown> {
    const {agent, server, policy, telemetry} = this.options
    const settings = policy.settings()
    let findings: TextFinding[]
    let redacted: {result: Record<string, unknown>; count: number}
    try {
      findings = settings.scanning === 'off' ? [] : scanResult(result)
      redacted = settings.redactResults ? redactResult(result) : {result, count: 0}
    } catch (error) {
      // A result that cannot be examined is not passed on unexamined.
      this.options.log(`could not scan a result of ${tool}: ${(error as Error).message}`)
      findings = [{kind: 'scan-failed', detail: (error as Error).message}]
      redacted = {result: {content: [{type: 'text', text: 'agentgov could not examine this result, so it was withheld.'}], isError: true}, count: 1}
    }

    if (findings.length === 0 && redacted.count === 0) return result
    const block = findings.length > 0 && settings.scanning === 'block'
    telemetry?.decision({
      agent,
      server,
      tool,
      stage: 'post_tool',
      action: block ? 'deny' : 'audit',
      policy: null,
      rule: block ? 'result-scanning' : null,
      reason: [findings.length > 0 ? `${findings.length} finding(s) in the result` : '', redacted.count > 0 ? `${redacted.count} secret(s) redacted` : ''].filter(Boolean).join('; '),
      latencyUs: 0,
      findings,
      requestId,
    })
    if (block) {
      return {content: [{type: 'text', text: `agentgov withheld this result: ${findings.map((f) => f.detail).join('; ')}`}], isError: true}
    }

    return redacted.result
  }

  /** Fetch every page of tools/list under the proxy's own ids, to learn annotations and pin. */
  private refreshTools(): Promise<void> {
    this.toolsKnown ??= (async () => {
      let cursor: string | undefined
      const seen: ToolDefinition[] = []
      for (let page = 0; page < 100; page++) {
        const response = await this.askUpstream('tools/list', cursor ? {cursor} : {})
        const result = response.result
        if (!result || !Array.isArray(result.tools)) break
        seen.push(...(result.tools as ToolDefinition[]).filter((tool) => tool && typeof tool.name === 'string'))
        cursor = typeof result.nextCursor === 'string' ? result.nextCursor : undefined
        if (!cursor) break
      }

      this.learnTools(seen)
    })().finally(() => {
      this.toolsKnown = undefined
    })
    return this.toolsKnown
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

  private refused(from: 'client' | 'server', violation: string, detail: string): void {
    this.options.log(`refused a message from the ${from}: ${detail}`)
    this.options.telemetry?.trust({agent: this.options.agent, server: this.options.server, subject: `message:${from}:${violation}`, ok: false, detail})
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
    await Promise.allSettled([...this.asking])
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

function denyResult(id: JsonRpcId, decision: Decision): JsonRpcResponse {
  const rule = decision.rule ? ` (rule ${decision.rule})` : ''
  return {jsonrpc: '2.0', id, result: {content: [{type: 'text', text: `Denied by agentgov policy${rule}: ${decision.reason}`}], isError: true}}
}

function hiddenDecision(tool: string): Decision {
  return {action: 'deny', policy: null, rule: null, reason: `tool "${tool}" is hidden by policy`}
}

function traceContext(request: JsonRpcRequest): {traceparent?: string; tracestate?: string} {
  const meta = request.params?._meta as {traceparent?: unknown; tracestate?: unknown} | undefined
  return {
    ...(typeof meta?.traceparent === 'string' ? {traceparent: meta.traceparent} : {}),
    ...(typeof meta?.tracestate === 'string' ? {tracestate: meta.tracestate} : {}),
  }
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
