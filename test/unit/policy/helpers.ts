import {compilePolicy, type CompiledPolicy} from '../../../src/policy/compile.js'
import {emptySnapshot} from '../../../src/policy/state.js'
import {evaluate} from '../../../src/policy/evaluate.js'
import type {Decision, PolicyCall, StateSnapshot} from '../../../src/policy/types.js'

export const HOME = '/home/u'

export function compile(text: string, platform: NodeJS.Platform = 'linux'): CompiledPolicy {
  return compilePolicy(text, 'test.yaml', {home: HOME, platform})
}

/** One policy for every agent with the given rules (YAML lines, indented for `rules:`). */
export function rules(body: string): CompiledPolicy {
  return compile(`policies:\n  - name: p\n    agent: "*"\n    rules:\n${body}`)
}

export function call(qualified: string, args: Record<string, unknown> = {}, extra: Partial<PolicyCall> = {}): PolicyCall {
  const dot = qualified.indexOf('.')
  return {agent: 'agent-1', server: qualified.slice(0, dot), tool: qualified.slice(dot + 1), stage: 'pre_tool', args, ...extra}
}

export function decide(policy: CompiledPolicy, c: PolicyCall, state: StateSnapshot = emptySnapshot(1_000_000)): Decision {
  return evaluate(policy, c, state)
}
