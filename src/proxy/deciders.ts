import type {TextFinding} from '../detect/injection.js'
import type {PolicyCall} from '../policy/types.js'
import {RULE} from '../telemetry/record.js'
import type {ToolCatalogue} from './catalogue.js'
import type {GateDecision, PolicyPort} from './ports.js'
import {redactResult, scanResult} from './scanning.js'

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

/**
 * The check after a tool ran: injection signs in its result are recorded (and withheld under
 * scanning: block); secrets are redacted before the agent reads them when the policy says so.
 */
export function checkResult(policy: Pick<PolicyPort, 'settings'>, result: Record<string, unknown>, log: (message: string) => void, tool: string): ResultCheck {
  const settings = policy.settings()
  let findings: TextFinding[]
  let redacted: {result: Record<string, unknown>; count: number}
  try {
    findings = settings.scanning === 'off' ? [] : scanResult(result)
    redacted = settings.redactResults ? redactResult(result) : {result, count: 0}
  } catch (error) {
    // A result that cannot be examined is not passed on unexamined.
    log(`could not scan a result of ${tool}: ${(error as Error).message}`)
    findings = [{kind: 'scan-failed', detail: (error as Error).message}]
    redacted = {result: {content: [{type: 'text', text: 'agentgov could not examine this result, so it was withheld.'}], isError: true}, count: 1}
  }

  if (findings.length === 0 && redacted.count === 0) return {result}
  const block = findings.length > 0 && settings.scanning === 'block'
  const reason = [findings.length > 0 ? `${findings.length} finding(s) in the result` : '', redacted.count > 0 ? `${redacted.count} secret(s) redacted` : ''].filter(Boolean).join('; ')
  const decision: GateDecision = {action: block ? 'deny' : 'audit', policy: null, rule: block ? RULE.resultScanning : null, reason, findings}
  if (block) return {decision, result: {content: [{type: 'text', text: `agentgov withheld this result: ${findings.map((f) => f.detail).join('; ')}`}], isError: true}}
  return {decision, result: redacted.result}
}
