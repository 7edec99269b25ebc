import type {TextFinding} from '../detect/injection.js'
import type {PolicyCall, Stage} from '../policy/types.js'
import {type ReturnedKind, RULE} from '../telemetry/record.js'
import {ErrorCode, type JsonRpcError} from './jsonrpc.js'
import type {ToolCatalogue} from './catalogue.js'
import type {GateDecision, PolicyPort} from './ports.js'
import {redactResult, scanResult, scanTools} from './scanning.js'
import type {ToolDefinition} from './pins.js'

export type {GateDecision} from './ports.js'

/**
 * A decision by the policy or by one of the proxy's own checks: the policy's shape, plus what only a
 * check can say (a hidden tool, findings): the record's own fields, which the recorder writes as they are.
 */
/** One check before the policy: a refusal, or undefined to let the call go on to the next. */
export type Decider = (call: PolicyCall) => GateDecision | undefined

/** What the checks before the policy look at. */
export interface PreGateParts {
  policy: PolicyPort
  catalogue: Pick<ToolCatalogue, 'isChanged' | 'isPoisoned'>
  /** True while the trace store cannot be written. */
  storeFailing(): boolean
}

/** A tool the policy denies whatever the arguments is not in tools/list: a call to it is a call to an unknown tool. */
export function hiddenTool({policy}: Pick<PreGateParts, 'policy'>): Decider {
  return (call) =>
    policy.visible(call.agent, call.server, call.tool, call.annotations) ? undefined : {action: 'deny', policy: null, rule: null, reason: `tool "${call.tool}" is hidden by policy`, hidden: true}
}

/** A tool whose definition changed since it was pinned waits for a person (pinning: block). */
export function changedTool({policy, catalogue}: Pick<PreGateParts, 'catalogue' | 'policy'>): Decider {
  return (call) =>
    catalogue.isChanged(call.tool) && policy.settings().pinning === 'block'
      ? {
          action: 'deny',
          policy: null,
          rule: RULE.toolPinning,
          reason: `The definition of tool "${call.tool}" changed since it was pinned; a person must accept it with 'agentgov pins accept ${call.server} ${call.tool}'.`,
        }
      : undefined
}

/** A tool whose definition carries instructions aimed at the model is withheld (scanning: block). */
export function poisonedTool({policy, catalogue}: Pick<PreGateParts, 'catalogue' | 'policy'>): Decider {
  return (call) =>
    catalogue.isPoisoned(call.tool) && policy.settings().scanning === 'block'
      ? {action: 'deny', policy: null, rule: RULE.descriptionScanning, reason: `The definition of tool "${call.tool}" carries instructions aimed at the model (scanning: block).`}
      : undefined
}

/**
 * Governance without a trace is a promise: once the trace store cannot write (a full disk), calls are
 * refused rather than forwarded unrecorded.
 */
export function traceStoreHealth({storeFailing}: Pick<PreGateParts, 'storeFailing'>): Decider {
  return () =>
    storeFailing()
      ? {action: 'deny', policy: null, rule: RULE.traceStore, reason: 'The trace store cannot be written (is the disk full?); calls are refused until agentgov can record them again.', unrecorded: true}
      : undefined
}

/** The checks every tool call passes before the policy decides, in order. */
export function preGate(parts: PreGateParts): Decider[] {
  return [hiddenTool(parts), changedTool(parts), poisonedTool(parts), traceStoreHealth(parts)]
}

/**
 * The one place a tool call is decided: the first refusal of the checks, else the policy's decision.
 * `variants`: the same call with other readings of its arguments (symlinks followed); the policy takes
 * the strictest.
 */
export function decideToolCall(deciders: readonly Decider[], policy: PolicyPort, call: PolicyCall, variants: ReadonlyArray<Readonly<Record<string, unknown>>> = []): GateDecision {
  for (const decider of deciders) {
    const refusal = decider(call)
    if (refusal) return refusal
  }

  return policy.decide(call, variants)
}

/** A result as it may reach the agent, and the decision on it when there was anything to say. */
export interface ResultCheck {
  result: Record<string, unknown>
  decision?: GateDecision
}

/** What came back for a request: its result or its error, as the client may receive it. */
export interface Returned {
  result?: Record<string, unknown>
  error?: JsonRpcError
}

/** Which answers are checked, by method: what comes back into the agent's context. */
export const CHECKED_RESULTS: ReadonlyMap<string, Exclude<ReturnedKind, 'error'>> = new Map([
  ['tools/call', 'tool-result'],
  // A task's result is the result of the tool call that ran as the task.
  ['tasks/result', 'tool-result'],
  ['resources/read', 'resource'],
  ['prompts/get', 'prompt'],
])

/** The stage a decision on what came back is recorded under: the request's, after the fact. */
export function returnedStage(method: string): Stage {
  return method === 'resources/read' ? 'resource' : method === 'prompts/get' ? 'prompt' : 'post_tool'
}

const WITHHELD: Record<ReturnedKind, string> = {'tool-result': 'result', resource: 'resource', prompt: 'prompt', error: 'error'}

/**
 * The check on everything that comes back (a tool's or task's result, a resource's contents, a
 * prompt, any error): injection signs are recorded, and under scanning: block the client gets an
 * error instead (a tool result becomes an isError result, as a tool's failure is told); secrets are
 * redacted before the agent reads them when the policy says so. The same scanner and redactor for
 * every kind, so `scanning` means the same everywhere.
 */
export function checkReturned(policy: Pick<PolicyPort, 'settings'>, kind: Exclude<ReturnedKind, 'error'>, returned: Returned, log: (message: string) => void, subject: string): {returned: Returned; decision?: GateDecision} {
  const settings = policy.settings()
  const what: ReturnedKind = returned.error ? 'error' : kind
  // An error's message and data reach the model as surely as a result does.
  const body: Record<string, unknown> | undefined = returned.error ? {message: returned.error.message, data: returned.error.data} : returned.result
  if (!body) return {returned}
  let findings: TextFinding[]
  let redacted: {result: Record<string, unknown>; count: number}
  try {
    findings = settings.scanning === 'off' ? [] : scanResult(body)
    redacted = settings.redactResults ? redactResult(body) : {result: body, count: 0}
  } catch (error) {
    // What cannot be examined is not passed on unexamined.
    log(`could not scan the ${WITHHELD[what]} of ${subject}: ${(error as Error).message}`)
    findings = [{kind: 'scan-failed', detail: (error as Error).message}]
    redacted = {result: body, count: 0}
    return {returned: withheld(kind, what, returned, findings), decision: {action: 'deny', policy: null, rule: RULE.resultScanning, reason: `could not examine the ${WITHHELD[what]}`, findings, returned: what}}
  }

  if (findings.length === 0 && redacted.count === 0) return {returned}
  const block = findings.length > 0 && settings.scanning === 'block'
  const reason = [findings.length > 0 ? `${findings.length} finding(s) in the ${WITHHELD[what]}` : '', redacted.count > 0 ? `${redacted.count} secret(s) redacted` : ''].filter(Boolean).join('; ')
  const decision: GateDecision = {
    action: block ? 'deny' : 'audit',
    policy: null,
    rule: block ? RULE.resultScanning : null,
    reason,
    returned: what,
    ...(findings.length > 0 ? {findings} : {}),
    ...(redacted.count > 0 ? {redacted: redacted.count} : {}),
  }
  if (block) return {decision, returned: withheld(kind, what, returned, findings)}
  if (!returned.error) return {decision, returned: {result: redacted.result}}
  const {message, data} = redacted.result as {message: unknown; data?: unknown}
  return {decision, returned: {error: {...returned.error, message: String(message), ...(data === undefined ? {} : {data})}}}
}

/** What the client gets instead of a withheld answer: for a tool, a tool error; for anything else, a JSON-RPC error. */
function withheld(kind: Exclude<ReturnedKind, 'error'>, what: ReturnedKind, returned: Returned, findings: readonly TextFinding[]): Returned {
  const text = `agentgov withheld this ${WITHHELD[what]}: ${findings.map((f) => f.detail).join('; ')}`
  if (kind === 'tool-result' && !returned.error) return {result: {content: [{type: 'text', text}], isError: true}}
  return {error: {code: returned.error?.code ?? ErrorCode.internal, message: text}}
}

/** The check after a tool ran (checkReturned on a tool result). */
export function checkResult(policy: Pick<PolicyPort, 'settings'>, result: Record<string, unknown>, log: (message: string) => void, tool: string): ResultCheck {
  const checked = checkReturned(policy, 'tool-result', {result}, log, tool)
  return {result: checked.returned.result ?? result, ...(checked.decision ? {decision: checked.decision} : {})}
}

/** The listings whose entries are definitions the model reads, by method: the array each keeps them in and the subject they are recorded under. */
export const CHECKED_LISTINGS: ReadonlyMap<string, {entries: string; subject: 'prompt-description' | 'resource-description'}> = new Map([
  ['prompts/list', {entries: 'prompts', subject: 'prompt-description'}],
  ['resources/list', {entries: 'resources', subject: 'resource-description'}],
  ['resources/templates/list', {entries: 'resourceTemplates', subject: 'resource-description'}],
])

/**
 * A prompts or resources listing passes the check tool definitions pass (the same detector: injected
 * instructions, hidden characters, lookalike names, in every field): each poisoned entry is recorded,
 * and under scanning: block it is left out of what the client is shown.
 */
export function checkListing(
  policy: Pick<PolicyPort, 'settings'>,
  method: string,
  result: Record<string, unknown>,
  found: (subject: {kind: 'prompt-description' | 'resource-description'; name: string}, detail: string) => void,
): Record<string, unknown> {
  const listing = CHECKED_LISTINGS.get(method)
  const entries = listing && result[listing.entries]
  if (!listing || !Array.isArray(entries) || policy.settings().scanning === 'off') return result
  // An entry without a string name is named by its URI, so the detector reads it like any other.
  const named = entries.map((entry) => (entry && typeof entry === 'object' ? {...entry, name: String(entry.name ?? entry.uri ?? entry.uriTemplate ?? '')} : {name: ''}))
  const poisoned = new Set<number>()
  for (const {tool, findings} of scanTools(named as ToolDefinition[])) {
    found({kind: listing.subject, name: tool}, findings.map((f) => f.detail).join('; '))
    for (const [index, entry] of named.entries()) if (entry.name === tool) poisoned.add(index)
  }

  if (poisoned.size === 0 || policy.settings().scanning !== 'block') return result
  return {...result, [listing.entries]: entries.filter((_entry, index) => !poisoned.has(index))}
}
