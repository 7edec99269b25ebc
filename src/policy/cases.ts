/**
 * `policy test`: a cases file of calls and the decisions expected, for CI. Each case runs on a fresh
 * state, optionally with the kill switch on, a grant, or the same call made N times just before.
 */
import {readFileSync} from 'node:fs'

import type {CompiledPolicy} from './compile.js'
import {parseDuration} from './duration.js'
import {evaluate} from './evaluate.js'
import {PolicyStateStore} from './state.js'
import type {Action, Decision, Grant, PolicyCall, Stage, ToolAnnotations} from './types.js'
import {ACTIONS, STAGES} from './schema.js'
import {isMap, isSeq, parseYamlTree, type Pos} from './yaml-tree.js'
import {AgentgovError, ExitCode, errorMessage} from '../errors.js'

export interface PolicyCase {
  name: string
  line: number
  call: PolicyCall
  expect: {action: Action; rule?: string | null; policy?: string | null; limit?: string}
  killed: boolean
  grantTools?: string[]
  callsBefore: number
}

export interface CaseResult {
  name: string
  line: number
  passed: boolean
  expected: PolicyCase['expect']
  decision: Decision
  /** What differed, in words. */
  mismatch?: string
}

const CASE_KEYS = ['name', 'agent', 'server', 'tool', 'args', 'annotations', 'stage', 'expect', 'killed', 'grant', 'calls_before']

export function readCases(file: string): PolicyCase[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new AgentgovError(`Cannot read cases file ${file}: ${errorMessage(error)}.`, {exit: ExitCode.input, hint: 'Check the path given to --cases.'})
  }

  return parseCases(text, file)
}

export function parseCases(text: string, file: string): PolicyCase[] {
  const tree = parseYamlTree(text)
  const failAt = (pos: Pos, message: string): never => {
    throw new AgentgovError(`${file}:${pos.line}:${pos.col}: ${message}`, {exit: ExitCode.input, hint: 'See docs/policy.md, "Testing a policy".'})
  }
  const fail = (offset: number, message: string): never => failAt(tree.linePos(offset), message)

  if (tree.error) failAt(tree.error, tree.error.message)
  const root = tree.root
  const list = isMap(root) ? root.items.find((pair) => pair.key.value === 'cases')?.value : root
  if (!list || !isSeq(list)) return fail(root?.offset ?? 0, 'a cases file needs a `cases:` list')
  return list.items.map((node, index) => {
    const offset = node.offset
    if (!isMap(node)) return fail(offset, 'each case must be a mapping')
    const raw = node.value as Record<string, unknown>
    const unknown = Object.keys(raw).find((k) => !CASE_KEYS.includes(k))
    if (unknown) fail(offset, `unknown key "${unknown}" in a case; expected ${CASE_KEYS.join(', ')}`)
    const name = typeof raw.name === 'string' ? raw.name : `case ${index + 1}`
    if (typeof raw.agent !== 'string' || typeof raw.tool !== 'string') fail(offset, `case "${name}" needs agent and tool`)
    const target = splitQualified(raw.tool as string, raw.server)
    if (!target) fail(offset, `case "${name}": tool must be server.tool, or give server: separately`)
    const stage = (raw.stage ?? 'pre_tool') as Stage
    if (!STAGES.includes(stage)) fail(offset, `case "${name}": unknown stage ${JSON.stringify(raw.stage)}`)
    const expect = parseExpect(raw.expect)
    if (!expect) fail(offset, `case "${name}": expect must be an action (${ACTIONS.join(', ')}) or {action, rule, policy, limit}`)
    if (raw.args !== undefined && (typeof raw.args !== 'object' || raw.args === null || Array.isArray(raw.args))) fail(offset, `case "${name}": args must be a mapping`)
    const grant = raw.grant as {tools?: unknown} | undefined
    const grantTools = grant === undefined ? undefined : Array.isArray(grant.tools) ? grant.tools.map(String) : [target!.server + '.' + target!.tool]
    const callsBefore = raw.calls_before === undefined ? 0 : Number(raw.calls_before)
    if (!Number.isInteger(callsBefore) || callsBefore < 0) fail(offset, `case "${name}": calls_before must be a whole number`)
    return {
      name,
      line: tree.linePos(offset).line,
      call: {
        agent: raw.agent as string,
        server: target!.server,
        tool: target!.tool,
        stage,
        args: (raw.args as Record<string, unknown>) ?? {},
        annotations: raw.annotations as ToolAnnotations | undefined,
      },
      expect: expect!,
      killed: raw.killed === true,
      grantTools,
      callsBefore,
    }
  })
}

/** `github.delete_repo` → server github, tool delete_repo (the tool keeps any further dots). */
export function splitQualified(tool: string, server?: unknown): {server: string; tool: string} | undefined {
  if (typeof server === 'string' && server) return {server, tool}
  const dot = tool.indexOf('.')
  if (dot <= 0 || dot === tool.length - 1) return undefined
  return {server: tool.slice(0, dot), tool: tool.slice(dot + 1)}
}

function parseExpect(value: unknown): PolicyCase['expect'] | undefined {
  if (typeof value === 'string') return ACTIONS.includes(value as Action) ? {action: value as Action} : undefined
  if (typeof value !== 'object' || value === null) return undefined
  const v = value as Record<string, unknown>
  if (!ACTIONS.includes(v.action as Action)) return undefined
  return {
    action: v.action as Action,
    ...(v.rule !== undefined ? {rule: v.rule === null ? null : String(v.rule)} : {}),
    ...(v.policy !== undefined ? {policy: v.policy === null ? null : String(v.policy)} : {}),
    ...(v.limit !== undefined ? {limit: String(v.limit)} : {}),
  }
}

export function runCases(policy: CompiledPolicy, cases: PolicyCase[], now = Date.now()): CaseResult[] {
  return cases.map((c) => {
    const store = new PolicyStateStore()
    for (let i = 0; i < c.callsBefore; i++) store.record(c.call, {action: 'allow', policy: null, rule: null, reason: ''}, now - c.callsBefore + i)
    if (c.killed) store.setKilled(new Set([c.call.agent]))
    if (c.grantTools) {
      const grant: Grant = {id: 'g_case', agent: c.call.agent, tools: c.grantTools, createdAt: now - 1, expiresAt: now + (parseDuration('30m') ?? 1800) * 1000, createdBy: 'policy test'}
      store.setGrants([grant])
    }

    const decision = evaluate(policy, c.call, store.snapshot(now))
    const mismatch = compare(c.expect, decision)
    return {name: c.name, line: c.line, passed: mismatch === undefined, expected: c.expect, decision, ...(mismatch ? {mismatch} : {})}
  })
}

function compare(expect: PolicyCase['expect'], decision: Decision): string | undefined {
  const problems: string[] = []
  if (expect.action !== decision.action) problems.push(`expected ${expect.action}, got ${decision.action}`)
  if (expect.rule !== undefined && expect.rule !== decision.rule) problems.push(`expected rule ${expect.rule ?? '(none)'}, got ${decision.rule ?? '(none)'}`)
  if (expect.policy !== undefined && expect.policy !== decision.policy) problems.push(`expected policy ${expect.policy ?? '(none)'}, got ${decision.policy ?? '(none)'}`)
  if (expect.limit !== undefined && expect.limit !== decision.limit) problems.push(`expected limit ${expect.limit}, got ${decision.limit ?? '(none)'}`)
  return problems.length > 0 ? problems.join('; ') : undefined
}
