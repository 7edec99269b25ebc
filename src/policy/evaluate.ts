/**
 * The decision: a pure function of (compiled policy, call, state snapshot). No I/O and no clock:
 * time is `state.now`. Order: kill switch, refused names, first matching rule (default deny), then
 * for a rule that does not deny: loop detection, rate limits, and grants lifting human_approval.
 */
import type {CallEntry, CompiledPolicy, CompiledRule, RateLimit} from './compile.js'
import {STAGE_BITS} from './compile.js'
import {canonicalName} from './canonical.js'
import {FALSE, UNDECIDED} from './conditions.js'
import {compileNameGlob, type NameGlob} from './glob.js'
import {argsKey} from './keys.js'
import {resourceSubject} from './resource-uri.js'
import {splitToolPattern} from './schema.js'
import type {Decision, Grant, PolicyCall, StateSnapshot, ToolAnnotations} from './types.js'

export const DEFAULT_DENY: Decision = Object.freeze({
  action: 'deny',
  policy: null,
  rule: null,
  reason: 'Denied: no policy rule allows this call (agentgov denies by default).',
  condition: 'no rule matched',
})

const INTERNAL_DENY: Decision = Object.freeze({
  action: 'deny',
  policy: null,
  rule: null,
  reason: 'Denied: the policy engine could not evaluate this call.',
  condition: 'evaluation failed',
})

const UNPLACED_RESOURCE: Decision = Object.freeze({
  action: 'deny',
  policy: null,
  rule: null,
  reason: 'Denied: the resource URI cannot be read one way only (a remote host, a query, an encoded or doubled separator, or readings that disagree); ask for the file by its plain file:///path.',
  condition: 'resource URI undecided',
})

const EMPTY_ARGS: Readonly<Record<string, unknown>> = Object.freeze({})
const MINUTE = 60_000
const HOUR = 3_600_000

export function evaluate(policy: CompiledPolicy, call: PolicyCall, state: StateSnapshot): Decision {
  try {
    return decide(policy, call, state)
  } catch {
    // Never throw into the proxy's message pump, and never fail open.
    return INTERNAL_DENY
  }
}

function decide(policy: CompiledPolicy, call: PolicyCall, state: StateSnapshot): Decision {
  if (state.killed.size > 0) {
    const killed = killedDecision(call.agent, state.killed)
    if (killed) return killed
  }

  let tool = call.tool
  if (call.stage === 'resource') {
    const subject = resourceSubject(tool, policy.paths)
    if (subject === undefined) return UNPLACED_RESOURCE
    tool = subject
  }

  const entry = policy.entry(call.agent, call.server, tool)
  if (entry.refused) return entry.refused
  const bit = STAGE_BITS[call.stage] ?? 0
  const args = call.args ?? EMPTY_ARGS
  const annotations = call.annotations
  let matched: CompiledRule | undefined
  let undecided = false
  const rules = entry.rules
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]
    if ((rule.stageMask & bit) === 0) continue
    if (rule.test !== null) {
      const result = rule.test(args, annotations)
      if (result === FALSE) continue
      if (result === UNDECIDED) {
        if (!rule.undecidedApplies) continue
        undecided = true
      }
    }

    matched = rule
    break
  }

  if (!matched) return DEFAULT_DENY
  const decision = undecided ? matched.undecidedDecision : matched.decision
  if (matched.action === 'deny') return decision
  return applyLimits(policy, matched, decision, entry, args, state)
}

function applyLimits(policy: CompiledPolicy, rule: CompiledRule, decision: Decision, entry: CallEntry, args: Readonly<Record<string, unknown>>, state: StateSnapshot): Decision {
  const now = state.now
  const loop = policy.settings.loop
  if (loop.enabled) {
    const since = now - loop.windowSec * 1000
    // Same-argument calls are a subset of the tool's calls: a quiet tool needs no argument key.
    const count = state.countSince(entry.toolKey, since) < loop.max ? 0 : state.countSince(entry.loopPrefix + argsKey(args), since)
    if (count >= loop.max) {
      return limitDecision(decision, 'loop', `Denied: the same call to ${entry.server}.${entry.tool} with the same arguments ran ${count} times in ${loop.windowSec}s (loop detection, at most ${loop.max}).`)
    }
  }

  const policyRate = rule.policy.rate
  if (policyRate) {
    const exceeded = rateExceeded(policyRate, entry.agentKey, now, state)
    if (exceeded) return limitDecision(decision, 'rate_limit', `Denied: agent ${entry.agent} is over policy "${rule.policy.name}"'s limit of ${exceeded}.`)
  }

  if (rule.rate) {
    const exceeded = rateExceeded(rule.rate, entry.toolKey, now, state)
    if (exceeded) return limitDecision(decision, 'rate_limit', `Denied: ${entry.server}.${entry.tool} is over rule "${rule.id}"'s limit of ${exceeded} for agent ${entry.agent}.`)
  }

  if (rule.action === 'human_approval' && state.grants.length > 0) {
    const grant = findGrant(state.grants, entry, now)
    if (grant) {
      return Object.freeze({
        ...decision,
        action: 'allow',
        grant: grant.id,
        reason: `Allowed by grant ${grant.id} from ${grant.createdBy} (until ${new Date(grant.expiresAt).toISOString()}) in place of human approval.`,
      })
    }
  }

  return decision
}

function rateExceeded(rate: RateLimit, key: string, now: number, state: StateSnapshot): string | undefined {
  if (rate.perMinute > 0 && state.countSince(key, now - MINUTE) >= rate.perMinute) return `${rate.perMinute} calls per minute`
  if (rate.perHour > 0 && state.countSince(key, now - HOUR) >= rate.perHour) return `${rate.perHour} calls per hour`
  if (rate.total > 0 && state.total(key) >= rate.total) return `${rate.total} calls in total`
  return undefined
}

function limitDecision(decision: Decision, limit: 'loop' | 'rate_limit', reason: string): Decision {
  return Object.freeze({action: 'deny', policy: decision.policy, rule: decision.rule, reason, condition: decision.condition, limit})
}

/** The kill switch's refusal for `agent`, or undefined when it is not stopped. */
export function killedDecision(agent: string, killed: ReadonlySet<string>): Decision | undefined {
  const canonical = canonicalName(agent)
  if (!killed.has('*') && !killed.has(agent) && (canonical === undefined || !killed.has(canonical))) {
    // A kill-switch entry written with other case or width still stops the agent.
    let hit = false
    if (canonical !== undefined) for (const name of killed) if (canonicalName(name) === canonical) hit = true
    if (!hit) return undefined
  }

  return Object.freeze({
    action: 'deny',
    policy: null,
    rule: null,
    reason: `Denied: the kill switch is on for agent ${agent}.`,
    condition: 'kill switch',
    limit: 'kill_switch',
  })
}

interface GrantMatcher {
  agent: NameGlob
  tools: Array<{server: NameGlob; tool: NameGlob}>
}

const grantMatchers = new WeakMap<Grant, GrantMatcher | null>()

function grantMatcher(grant: Grant): GrantMatcher | null {
  let matcher = grantMatchers.get(grant)
  if (matcher !== undefined) return matcher
  matcher = null
  const agent = canonicalName(grant.agent)
  const tools: GrantMatcher['tools'] = []
  for (const pattern of grant.tools) {
    const canonical = canonicalName(pattern)
    const split = canonical === undefined ? undefined : splitToolPattern(canonical)
    if (split) tools.push({server: compileNameGlob(split.server), tool: compileNameGlob(split.tool)})
  }

  if (agent !== undefined && tools.length > 0) matcher = {agent: compileNameGlob(agent), tools}
  grantMatchers.set(grant, matcher)
  return matcher
}

function findGrant(grants: readonly Grant[], entry: CallEntry, now: number): Grant | undefined {
  for (const grant of grants) {
    if (!(now >= grant.createdAt && now < grant.expiresAt)) continue
    const matcher = grantMatcher(grant)
    if (!matcher || !matcher.agent.test(entry.agent)) continue
    for (const t of matcher.tools) if (t.server.test(entry.server) && t.tool.test(entry.tool)) return grant
  }

  return undefined
}

export interface VisibilityQuery {
  agent: string
  server: string
  tool: string
  annotations?: ToolAnnotations
}

/**
 * False when every call of this tool would be denied whatever its arguments: the proxy leaves such
 * tools out of tools/list. Limits and the kill switch are not considered (they change over time).
 */
export function isToolVisible(policy: CompiledPolicy, query: VisibilityQuery): boolean {
  try {
    const entry = policy.entry(query.agent, query.server, query.tool)
    if (entry.refused) return false
    for (const rule of entry.rules) {
      if ((rule.stageMask & STAGE_BITS.pre_tool) === 0) continue
      if (rule.test === null) return rule.action !== 'deny'
      if (rule.readsArgs) {
        // Some arguments may make this rule apply: a non-deny rule makes the tool usable.
        if (rule.action !== 'deny') return true
        continue
      }

      const result = rule.test(EMPTY_ARGS, query.annotations)
      if (result === FALSE) continue
      if (result === UNDECIDED && !rule.undecidedApplies) continue
      return rule.action !== 'deny'
    }

    return false
  } catch {
    return false
  }
}
