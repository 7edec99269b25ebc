/**
 * The trace record contract, in one place: the record kinds and their fields, the rule ids and trust
 * subjects the proxy writes, the span each record becomes (its name, its attributes, its duration) and
 * the W3C traceparent. The proxy writes records in this shape, the store keeps them, the span writer
 * and both directions of OTLP JSON use the tables below, and `report` reads the explicit fields: no
 * reader parses a writer's sentences. Names follow docs/telemetry.md and ../shared/reference/telemetry.md.
 */
import type {Action, Decision, Stage} from '../policy/types.js'

export type RecordKind = 'approval' | 'decision' | 'trust'

export interface Finding {
  kind: string
  detail: string
}

export type ApprovalOutcome = 'approved' | 'cancelled' | 'denied' | 'timeout'
export type ApprovalChannel = 'cli' | 'elicitation' | 'webhook'

/** Rule ids of the decisions the proxy makes itself, beside the policy's own rules. */
export const RULE = {
  /** A call to a tool whose definition changed since it was pinned (pinning: block). */
  toolPinning: 'tool-pinning',
  /** A call to a tool whose definition carries instructions aimed at the model (scanning: block). */
  descriptionScanning: 'description-scanning',
  /** A tool result withheld for its findings (scanning: block). */
  resultScanning: 'result-scanning',
  /** Calls refused while the trace store cannot be written. */
  traceStore: 'trace-store',
  /** A request whose method agentgov does not know (compared exactly), never forwarded. */
  unknownMethod: 'unknown-method',
} as const

/**
 * What a trust record checked. `tool-pin`: a pinned tool definition (name: the tool);
 * `tool-description`: a tool definition scanned for injected instructions (the tool);
 * `message`: a message refused at the protocol level (`client:<violation>` or `server:<violation>`);
 * `server-request`: a request the server sent the client, passed on (the method). `other`: a subject
 * this version does not know, read from elsewhere.
 */
export const SUBJECT_KINDS = ['tool-pin', 'tool-description', 'prompt-description', 'resource-description', 'message', 'server-request', 'other'] as const
export type SubjectKind = (typeof SUBJECT_KINDS)[number]

export interface Subject {
  kind: SubjectKind
  name: string
}

// ── the fields each record kind carries, as the proxy hands them to telemetry ──────────────────

/** Fields every record may carry. `time`: ms since the epoch, defaults to when telemetry took it. */
interface Common {
  agent: string
  server: string
  time?: number
  requestId?: number | string
  sessionId?: string
}

/**
 * One decision: the policy's, or one of the proxy's own checks, in the policy's shape (action, policy,
 * rule, reason, condition, limit, grant; `rule` is a policy rule id or a RULE, null for the default
 * deny), with the call it was made on.
 */
export interface DecisionFields extends Common, Decision {
  tool?: string
  stage: Stage
  /** The tool is hidden from this agent (denied whatever its arguments): answered as an unknown tool. */
  hidden?: true
  /** Time the decision took, in microseconds. */
  latencyUs: number
  /** Digest of the arguments (the caller's canonical form); recorded even when args are not. */
  argsDigest?: string
  /**
   * The arguments, only when the policy opts in (recordArguments: redacted). The recorder redacts
   * known secret shapes before anything is written or exported; the caller passes them raw.
   */
  args?: unknown
  findings?: Finding[]
  /**
   * Set on a decision about what came back from the server rather than about the request: its
   * result (a tool's, a task's, a resource's contents, a prompt) or its JSON-RPC error. `findings`
   * then are injection signs in it.
   */
  returned?: ReturnedKind
  /** Secrets redacted in what came back before the agent read it (strings changed). */
  redacted?: number
}

/** What came back, as a decision on it names it. */
export const RETURNED_KINDS = ['tool-result', 'resource', 'prompt', 'error'] as const
export type ReturnedKind = (typeof RETURNED_KINDS)[number]

/** One human-approval round. */
export interface ApprovalFields extends Common {
  tool: string
  /** Calls are held before they run: always pre_tool. */
  stage?: 'pre_tool'
  rule: string | null
  approval: {outcome: ApprovalOutcome; approver: string; channel: ApprovalChannel; waitedMs: number}
}

/** One identity or integrity check. */
export interface TrustFields extends Common {
  trust: {subject: Subject; ok: boolean; detail?: string; score?: number; tier?: string}
}

/**
 * The record as the store keeps it and both readers (the local store, OTLP JSON files) yield it to
 * `report`: the fields of its kind, the time and the trace id it was recorded under. Member names are
 * stable: they are what the store writes. Read defensively: OTLP spans carry only some members.
 */
export interface DecisionRecord extends Omit<Partial<DecisionFields>, 'time'>, Omit<Partial<ApprovalFields>, 'approval' | 'stage' | 'time' | 'tool'> {
  kind: RecordKind
  time: number
  agent: string
  server: string
  traceId?: string
  approval?: Partial<ApprovalFields['approval']>
  /** ok is absent when read from OTLP: the contract's span carries no result attribute. */
  trust?: Omit<TrustFields['trust'], 'ok'> & {ok?: boolean}
}

/** A record as stored: the DecisionRecord plus its place in the chain. */
export interface StoredRecord extends DecisionRecord {
  /** `<segment>:<seq>`: stable id for `traces show`. */
  id: string
  seq: number
  prev: string
  hash: string
}

/** The caller's W3C trace context (from params._meta), which a record's span continues. */
export interface TraceContext {
  traceparent?: string
  tracestate?: string
}

// ── trust subjects as text: the `agt.trust.subject` attribute and `traces list` ───────────────────

/** `<kind>:<name>`, as the `agt.trust.subject` attribute carries a subject. */
export function subjectText(subject: Subject): string {
  return subject.kind === 'other' ? subject.name : `${subject.kind}:${subject.name}`
}

/** The subject an `agt.trust.subject` attribute names; `other` when its kind is not one of ours. */
export function subjectOf(text: string): Subject {
  const colon = text.indexOf(':')
  const kind = text.slice(0, colon) as SubjectKind
  return colon > 0 && kind !== 'other' && SUBJECT_KINDS.includes(kind) ? {kind, name: text.slice(colon + 1)} : {kind: 'other', name: text}
}

// ── legacy: records written by agentgov 0.1.0 before the explicit fields ───────────────────────

/** The reason 0.1.0 wrote for a call to a hidden tool; its records have no `hidden` member. */
const LEGACY_HIDDEN_REASON = ' is hidden by policy'

/**
 * A record as read from a store, in this version's shape. Records of 0.1.0 carry a trust subject as
 * `<kind>:<name>` text and mark a hidden tool only in the reason's wording: both are mapped here, the
 * one place that knows them. The record is updated in place (readers pass what they just parsed).
 */
export function readRecord<T extends DecisionRecord>(record: T): T {
  const trust = record.trust as {subject: Subject | string} | undefined
  if (trust && typeof trust.subject === 'string') trust.subject = subjectOf(trust.subject)
  if (record.kind === 'decision' && record.hidden === undefined && record.action === 'deny' && record.rule == null && record.reason?.endsWith(LEGACY_HIDDEN_REASON)) {
    record.hidden = true
  }

  return record
}

// ── spans ────────────────────────────────────────────────────────────────────────────────────────

export type AttributeValue = boolean | number | string

/** What a span's attributes are read from: a record, or the fields the proxy handed over. */
export type AttributeSource = Omit<DecisionRecord, 'kind' | 'time'>

/** A record's members as one span attribute: how to read it from a record, and how to put it back. */
export interface AttributeField {
  key: string
  get(record: AttributeSource): AttributeValue | null | undefined
  /** Called with the attribute's value when a span has it. */
  set(record: DecisionRecord, value: AttributeValue): void
}

export const ATTR = {
  agent: 'agt.agent.id',
  stage: 'agt.policy.stage',
  action: 'agt.policy.action',
  rule: 'agt.policy.rule',
  policy: 'agt.policy.name',
  tool: 'agt.tool.name',
  server: 'agt.server.name',
  outcome: 'agt.approval.outcome',
  approver: 'agt.approval.approver',
  channel: 'agt.approval.channel',
  score: 'agt.trust.score',
  tier: 'agt.trust.tier',
  subject: 'agt.trust.subject',
  // The MCP / GenAI semantic conventions, on the request spans and the mcp.*.operation.duration metrics.
  mcpMethod: 'mcp.method.name',
  mcpSession: 'mcp.session.id',
  mcpProtocolVersion: 'mcp.protocol.version',
  mcpResourceUri: 'mcp.resource.uri',
  genAiTool: 'gen_ai.tool.name',
  genAiPrompt: 'gen_ai.prompt.name',
  genAiOperation: 'gen_ai.operation.name',
  jsonrpcRequestId: 'jsonrpc.request.id',
  jsonrpcVersion: 'jsonrpc.protocol.version',
  rpcStatusCode: 'rpc.response.status_code',
  errorType: 'error.type',
  networkTransport: 'network.transport',
  serverAddress: 'server.address',
  serverPort: 'server.port',
} as const

const agent: AttributeField = {key: ATTR.agent, get: (r) => r.agent, set: (r, v) => (r.agent = String(v))}
const rule: AttributeField = {key: ATTR.rule, get: (r) => r.rule, set: (r, v) => (r.rule = String(v))}
const tool: AttributeField = {key: ATTR.tool, get: (r) => r.tool, set: (r, v) => (r.tool = String(v))}

/** What a span of each record kind is: its name, its attributes in order, and what its duration means. */
export interface SpanContract {
  name: string
  attributes: readonly AttributeField[]
  /** The span's length in ms, from the record. */
  durationMs(record: AttributeSource): number
  /** The record a span yields before its attributes are read, from its end time and duration. */
  record(time: number, durationMs: number): DecisionRecord
}

export const SPANS: Readonly<Record<RecordKind, SpanContract>> = {
  decision: {
    name: 'agt.policy.evaluate',
    attributes: [
      agent,
      {key: ATTR.stage, get: (r) => r.stage, set: (r, v) => (r.stage = String(v) as Stage)},
      {key: ATTR.action, get: (r) => r.action, set: (r, v) => (r.action = String(v) as Action)},
      rule,
      {key: ATTR.policy, get: (r) => r.policy, set: (r, v) => (r.policy = String(v))},
      tool,
      {key: ATTR.server, get: (r) => r.server, set: (r, v) => (r.server = String(v))},
    ],
    durationMs: (r) => (r.latencyUs ?? 0) / 1000,
    record: (time, durationMs) => ({kind: 'decision', time, agent: '', server: '', rule: null, policy: null, latencyUs: Math.round(durationMs * 1000)}),
  },
  approval: {
    name: 'agt.approval.request',
    attributes: [
      agent,
      rule,
      tool,
      {key: ATTR.outcome, get: (r) => r.approval?.outcome, set: (r, v) => ((r.approval ??= {}).outcome = String(v) as ApprovalOutcome)},
      {key: ATTR.approver, get: (r) => r.approval?.approver, set: (r, v) => ((r.approval ??= {}).approver = String(v))},
      {key: ATTR.channel, get: (r) => r.approval?.channel, set: (r, v) => ((r.approval ??= {}).channel = String(v) as ApprovalChannel)},
    ],
    durationMs: (r) => r.approval?.waitedMs ?? 0,
    record: (time, durationMs) => ({kind: 'approval', time, agent: '', server: '', rule: null, approval: {approver: '', waitedMs: Math.round(durationMs)}}),
  },
  trust: {
    name: 'agt.trust.verify',
    attributes: [
      agent,
      {key: ATTR.score, get: (r) => r.trust?.score, set: (r, v) => typeof v === 'number' && ((r.trust ??= {subject: {kind: 'other', name: ''}}).score = v)},
      {key: ATTR.tier, get: (r) => r.trust?.tier, set: (r, v) => ((r.trust ??= {subject: {kind: 'other', name: ''}}).tier = String(v))},
      {key: ATTR.subject, get: (r) => r.trust && subjectText(r.trust.subject), set: (r, v) => ((r.trust ??= {subject: {kind: 'other', name: ''}}).subject = subjectOf(String(v)))},
    ],
    durationMs: () => 0,
    record: (time) => ({kind: 'trust', time, agent: '', server: '', trust: {subject: {kind: 'other', name: ''}}}),
  },
}

/** The kind of record a span of this name carries; undefined for spans that are not agentgov's records. */
export const KIND_OF_SPAN: ReadonlyMap<string, RecordKind> = new Map(Object.entries(SPANS).map(([kind, span]) => [span.name, kind as RecordKind]))

/** One proxied MCP request (the MCP semantic-convention span). */
export interface RequestInfo extends TraceContext {
  /** JSON-RPC method, e.g. tools/call. */
  method: string
  tool?: string
  requestId: number | string
  sessionId?: string
  protocolVersion?: string
  /** pipe for stdio, tcp for HTTP. */
  transport: 'pipe' | 'tcp'
  /** prompts/get: the prompt's name (gen_ai.prompt.name). */
  prompt?: string
  /** resources/read, subscribe, unsubscribe: the resource's URI (mcp.resource.uri). */
  resourceUri?: string
  /** How the upstream server is reached (the CLIENT span's network.transport and server.*); address and port only over the network. */
  upstream?: {transport: 'pipe' | 'tcp'; address?: string; port?: number; sessionId?: string}
}

/** `{mcp.method.name} {target}`: the target is the tool or the prompt, as the MCP conventions name spans. */
export function requestSpanName(info: RequestInfo): string {
  const target = info.tool ?? info.prompt
  return target ? `${info.method} ${target}` : info.method
}

/** A JSON-RPC error code as errorType carries it: what rpc.response.status_code records. */
const RPC_CODE = /^-?\d+$/

/**
 * The request span's attributes (MCP and GenAI semantic conventions); errorType as on RequestSpan.end.
 * `side`: server for the span toward the client, client for the hop to the upstream server.
 */
export function requestAttributes(info: RequestInfo, errorType: string | undefined, side: 'client' | 'server' = 'server'): Record<string, AttributeValue | undefined> {
  return {
    [ATTR.mcpMethod]: info.method,
    [ATTR.genAiTool]: info.tool,
    [ATTR.genAiPrompt]: info.prompt,
    [ATTR.mcpResourceUri]: info.resourceUri,
    [ATTR.genAiOperation]: info.method === 'tools/call' ? 'execute_tool' : undefined,
    [ATTR.jsonrpcRequestId]: String(info.requestId),
    [ATTR.jsonrpcVersion]: '2.0',
    // Each hop has its own MCP session: the client's with the proxy, the proxy's with the server.
    [ATTR.mcpSession]: side === 'client' ? info.upstream?.sessionId : info.sessionId,
    [ATTR.mcpProtocolVersion]: info.protocolVersion,
    [ATTR.networkTransport]: side === 'client' ? (info.upstream?.transport ?? info.transport) : info.transport,
    [ATTR.serverAddress]: side === 'client' ? info.upstream?.address : undefined,
    [ATTR.serverPort]: side === 'client' ? info.upstream?.port : undefined,
    [ATTR.rpcStatusCode]: errorType !== undefined && RPC_CODE.test(errorType) ? errorType : undefined,
    [ATTR.errorType]: errorType,
  }
}

/** The low-cardinality part of requestAttributes, for the mcp.*.operation.duration metrics. */
export const REQUEST_METRIC_ATTRIBUTES: readonly string[] = [
  ATTR.mcpMethod,
  ATTR.genAiTool,
  ATTR.genAiPrompt,
  ATTR.genAiOperation,
  ATTR.mcpProtocolVersion,
  ATTR.networkTransport,
  ATTR.serverAddress,
  ATTR.serverPort,
  ATTR.rpcStatusCode,
  ATTR.errorType,
]

// ── W3C trace context ───────────────────────────────────────────────────────────────────────────

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/

/** A traceparent's parts; undefined when it is absent or malformed (version ff, all-zero ids). */
export function parseTraceparent(traceparent: string | undefined): {traceId: string; spanId: string; sampled: boolean} | undefined {
  const m = traceparent ? TRACEPARENT.exec(traceparent.trim().toLowerCase()) : null
  if (!m || m[1] === 'ff' || /^0+$/.test(m[2]) || /^0+$/.test(m[3])) return undefined
  return {traceId: m[2], spanId: m[3], sampled: (Number.parseInt(m[4], 16) & 1) === 1}
}

export function formatTraceparent(traceId: string, spanId: string, sampled: boolean): string {
  return `00-${traceId}-${spanId}-0${sampled ? 1 : 0}`
}
