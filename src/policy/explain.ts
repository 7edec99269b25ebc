/**
 * `policy explain`: the decision and the path to it. Walks every policy in precedence order and
 * every rule in order (not the index, so it also shows what the index skipped and why), then
 * returns the engine's own decision for the same call.
 */
import type {CompiledPolicy, CompiledRule} from './compile.js'
import {STAGE_BITS} from './compile.js'
import {FALSE, TRUE} from './conditions.js'
import {evaluate} from './evaluate.js'
import type {Decision, PolicyCall, StateSnapshot} from './types.js'

export type RuleOutcome = 'condition-false' | 'condition-undecided-skipped' | 'matched' | 'matched-undecided' | 'not-reached' | 'other-stage' | 'tool-differs'

export interface ExplainedRule {
  id: string
  action: string
  tools: string[]
  line: number
  outcome: RuleOutcome
  condition?: string
}

export interface ExplainedPolicy {
  name: string
  agent: string
  applies: boolean
  rules: ExplainedRule[]
}

export interface Explanation {
  call: {agent: string; server: string; tool: string; stage: string; args: Record<string, unknown>}
  decision: Decision
  policies: ExplainedPolicy[]
}

export function explain(policy: CompiledPolicy, call: PolicyCall, state: StateSnapshot): Explanation {
  const decision = evaluate(policy, call, state)
  const entry = policy.uncachedEntry(call.agent, call.server, call.tool)
  const candidates = new Set<CompiledRule>(entry.rules)
  const bit = STAGE_BITS[call.stage] ?? 0
  let decided = entry.refused !== null
  const policies: ExplainedPolicy[] = policy.policies.map((p) => {
    const applies = !entry.refused && p.agent.test(entry.agent)
    const rules = policy.rules
      .filter((r) => r.policy === p)
      .map((rule): ExplainedRule => {
        const base = {id: rule.id, action: rule.action, tools: rule.ast.tools.map((t) => t.source), line: rule.ast.loc.line}
        if (!applies) return {...base, outcome: 'not-reached'}
        if (decided) return {...base, outcome: 'not-reached'}
        if (!candidates.has(rule)) return {...base, outcome: 'tool-differs'}
        if ((rule.stageMask & bit) === 0) return {...base, outcome: 'other-stage'}
        if (rule.test === null) {
          decided = true
          return {...base, outcome: 'matched', condition: rule.conditionText}
        }

        const result = rule.test(call.args ?? {}, call.annotations)
        if (result === FALSE) return {...base, outcome: 'condition-false', condition: rule.conditionText}
        if (result === TRUE) {
          decided = true
          return {...base, outcome: 'matched', condition: rule.conditionText}
        }

        if (!rule.undecidedApplies) return {...base, outcome: 'condition-undecided-skipped', condition: rule.conditionText}
        decided = true
        return {...base, outcome: 'matched-undecided', condition: rule.conditionText}
      })
    return {name: p.name, agent: p.agent.source, applies, rules}
  })
  return {
    call: {agent: call.agent, server: call.server, tool: call.tool, stage: call.stage, args: {...(call.args ?? {})}},
    decision,
    policies,
  }
}
