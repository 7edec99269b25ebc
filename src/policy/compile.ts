/**
 * Compile a parsed policy into an index. Rules get one global rank (policies by agent specificity,
 * then rules in order), and every tool pattern is filed by its server (exact name or wildcard) and
 * by its tool (exact name, or the literal prefix before its first wildcard in a trie). A call then
 * looks at the few patterns that can match its name, never at the whole rule list, and the sorted
 * candidate list for an (agent, server, tool) is memoised, since it depends on names alone.
 */
import {homedir} from 'node:os'

import {type Diagnostic, type DocumentAst, type PolicyAst, type RuleAst, describeCondition, precedenceOrder} from './ast.js'
import {canonicalName} from './canonical.js'
import {compileCondition, type CondFn, readsArguments} from './conditions.js'
import {compileNameGlob, type NameGlob} from './glob.js'
import {agentKey, loopPrefix, toolKey} from './keys.js'
import {type PathOptions, pathOptionsFor} from './paths.js'
import {parsePolicy} from './schema.js'
import type {Action, Decision, PolicySettings, Stage} from './types.js'
import {AgentgovError, ExitCode} from '../errors.js'

export interface CompileOptions {
  /** What `~` means in path conditions (default: this user's home). */
  home?: string
  /** Path comparison follows this platform's file systems (default: this one). */
  platform?: NodeJS.Platform
  /** Memoise candidate rules per (agent, server, tool) (default true; the benchmark measures both). */
  cache?: boolean
}

export const STAGE_BITS: Readonly<Record<Stage, number>> = {pre_tool: 1, post_tool: 2, tool_list: 4, resource: 8, prompt: 16}
const ALL_STAGES = 31

export interface RateLimit {
  perMinute: number
  perHour: number
  total: number
}

export interface CompiledRule {
  /** Global precedence: lower decides first. */
  readonly rank: number
  readonly id: string
  readonly action: Action
  readonly policy: CompiledPolicyEntry
  readonly ast: RuleAst
  readonly test: CondFn | null
  readonly readsArgs: boolean
  /** Deny and human_approval apply when their condition is undecided; allow and audit do not. */
  readonly undecidedApplies: boolean
  readonly stageMask: number
  readonly rate: RateLimit | null
  /** The decision this rule returns, shared and frozen (no allocation per call). */
  readonly decision: Decision
  readonly undecidedDecision: Decision
  readonly conditionText: string
}

export interface CompiledPolicyEntry {
  readonly name: string
  readonly agent: NameGlob
  readonly rate: RateLimit | null
  readonly ast: PolicyAst
}

/** What the evaluator needs about one (agent, server, tool), computed once per name triple. */
export interface CallEntry {
  readonly rules: readonly CompiledRule[]
  /** Set when the names themselves are refused (invisible characters). */
  readonly refused: Decision | null
  readonly agent: string
  readonly server: string
  readonly tool: string
  readonly agentKey: string
  readonly toolKey: string
  readonly loopPrefix: string
}

interface Item {
  rule: CompiledRule
  server: NameGlob
  tool: NameGlob
}

interface TrieNode {
  items: Item[]
  children: Map<number, TrieNode> | null
}

class ToolIndex {
  readonly exact = new Map<string, Item[]>()
  readonly root: TrieNode = {items: [], children: null}

  add(item: Item): void {
    if (item.tool.exact) {
      const list = this.exact.get(item.tool.source)
      if (list) list.push(item)
      else this.exact.set(item.tool.source, [item])
      return
    }

    let node = this.root
    const prefix = item.tool.prefix
    for (let i = 0; i < prefix.length; i++) {
      const code = prefix.charCodeAt(i)
      node.children ??= new Map()
      let next = node.children.get(code)
      if (!next) {
        next = {items: [], children: null}
        node.children.set(code, next)
      }

      node = next
    }

    node.items.push(item)
  }

  collect(server: string, tool: string, agentOk: (policy: CompiledPolicyEntry) => boolean, out: CompiledRule[]): void {
    const exact = this.exact.get(tool)
    if (exact) for (const item of exact) if (item.server.test(server) && agentOk(item.rule.policy)) out.push(item.rule)
    let node: TrieNode | undefined = this.root
    for (let i = 0; node; i++) {
      for (const item of node.items) if (item.tool.test(tool) && item.server.test(server) && agentOk(item.rule.policy)) out.push(item.rule)
      if (i >= tool.length || !node.children) break
      node = node.children.get(tool.charCodeAt(i))
    }
  }
}

const MAX_CACHED = 50_000

export class CompiledPolicy {
  readonly file: string
  readonly settings: PolicySettings
  readonly document: DocumentAst
  /** Warnings found while compiling (errors throw). */
  readonly warnings: readonly Diagnostic[]
  /** Every rule in precedence order. */
  readonly rules: readonly CompiledRule[]
  readonly policies: readonly CompiledPolicyEntry[]
  readonly paths: PathOptions
  private readonly byServer = new Map<string, ToolIndex>()
  private readonly anyServer = new ToolIndex()
  private readonly useCache: boolean
  private cache = new Map<string, Map<string, Map<string, CallEntry>>>()
  private cached = 0

  constructor(document: DocumentAst, warnings: Diagnostic[], options: CompileOptions = {}) {
    this.file = document.file
    this.document = document
    this.settings = Object.freeze({...document.settings, loop: Object.freeze({...document.settings.loop}), approveInClient: Object.freeze([...document.settings.approveInClient])})
    this.warnings = warnings
    this.useCache = options.cache !== false
    const platform = options.platform ?? process.platform
    this.paths = pathOptionsFor(options.home ?? homedir(), platform)

    const rules: CompiledRule[] = []
    const policies: CompiledPolicyEntry[] = []
    for (const policyAst of precedenceOrder(document.policies)) {
      const entry: CompiledPolicyEntry = {name: policyAst.name, agent: compileNameGlob(policyAst.agent), rate: rateOf(policyAst.rateLimit), ast: policyAst}
      policies.push(entry)
      for (const ruleAst of policyAst.rules) rules.push(compileRule(ruleAst, entry, rules.length, this.paths))
    }

    this.rules = rules
    this.policies = policies
    for (const rule of rules) {
      for (const pattern of rule.ast.tools) {
        const item: Item = {rule, server: compileNameGlob(pattern.server), tool: compileNameGlob(pattern.tool)}
        if (item.server.exact) {
          let index = this.byServer.get(pattern.server)
          if (!index) this.byServer.set(pattern.server, (index = new ToolIndex()))
          index.add(item)
        } else {
          this.anyServer.add(item)
        }
      }
    }
  }

  /** The candidate rules for a call's names, in precedence order (memoised). */
  entry(agent: string, server: string, tool: string): CallEntry {
    if (!this.useCache) return this.build(agent, server, tool)
    let byServer = this.cache.get(agent)
    let byTool = byServer?.get(server)
    const hit = byTool?.get(tool)
    if (hit) return hit
    const built = this.build(agent, server, tool)
    if (this.cached >= MAX_CACHED) {
      // Names are caller-controlled: a flood of distinct names must not grow memory without bound.
      this.cache = new Map()
      this.cached = 0
      byServer = undefined
      byTool = undefined
    }

    if (!byServer) this.cache.set(agent, (byServer = new Map()))
    if (!byTool) byServer.set(server, (byTool = new Map()))
    byTool.set(tool, built)
    this.cached++
    return built
  }

  private build(agentRaw: string, serverRaw: string, toolRaw: string): CallEntry {
    const agent = canonicalName(agentRaw)
    const server = canonicalName(serverRaw)
    const tool = canonicalName(toolRaw)
    if (agent === undefined || server === undefined || tool === undefined) {
      const which = agent === undefined ? 'agent' : server === undefined ? 'server' : 'tool'
      return {
        rules: [],
        refused: Object.freeze({
          action: 'deny',
          policy: null,
          rule: null,
          reason: `Refused: the ${which} name holds invisible or control characters, which can make one name pass for another.`,
          condition: `${which} name holds invisible characters`,
        }),
        agent: agent ?? agentRaw,
        server: server ?? serverRaw,
        tool: tool ?? toolRaw,
        agentKey: '',
        toolKey: '',
        loopPrefix: '',
      }
    }

    const agentOk = memoAgent(agent)
    const out: CompiledRule[] = []
    this.byServer.get(server)?.collect(server, tool, agentOk, out)
    this.anyServer.collect(server, tool, agentOk, out)
    out.sort((a, b) => a.rank - b.rank)
    // A rule listing two patterns that both match appears twice: keep one.
    const rules = out.filter((rule, i) => i === 0 || out[i - 1] !== rule)
    return {
      rules,
      refused: null,
      agent,
      server,
      tool,
      agentKey: agentKey(agent),
      toolKey: toolKey(agent, server, tool),
      loopPrefix: loopPrefix(agent, server, tool),
    }
  }

  /** Candidate rules without the memo: for `policy explain` and the reference tests. */
  uncachedEntry(agent: string, server: string, tool: string): CallEntry {
    return this.build(agent, server, tool)
  }
}

function memoAgent(agent: string): (policy: CompiledPolicyEntry) => boolean {
  const seen = new Map<CompiledPolicyEntry, boolean>()
  return (policy) => {
    let ok = seen.get(policy)
    if (ok === undefined) seen.set(policy, (ok = policy.agent.test(agent)))
    return ok
  }
}

function rateOf(limit: PolicyAst['rateLimit']): RateLimit | null {
  if (!limit || (limit.maxPerMinute === undefined && limit.maxPerHour === undefined && limit.maxTotal === undefined)) return null
  return {perMinute: limit.maxPerMinute ?? 0, perHour: limit.maxPerHour ?? 0, total: limit.maxTotal ?? 0}
}

const ACTION_WORDS: Record<Action, string> = {allow: 'Allowed', audit: 'Allowed (audited)', deny: 'Denied', human_approval: 'Needs human approval'}

function compileRule(ast: RuleAst, policy: CompiledPolicyEntry, rank: number, paths: PathOptions): CompiledRule {
  const tools = ast.tools.map((t) => t.source).join(', ')
  const conditionText = ast.when ? describeCondition(ast.when) : `tool matches ${tools}`
  const reason = ast.reason ?? `${ACTION_WORDS[ast.action]} by policy "${policy.name}", rule "${ast.id}".`
  const decision: Decision = Object.freeze({action: ast.action, policy: policy.name, rule: ast.id, reason, condition: conditionText})
  const undecidedDecision: Decision = Object.freeze({...decision, condition: `undecided, so treated as met: ${conditionText}`})
  let stageMask = ALL_STAGES
  if (ast.stages) stageMask = ast.stages.reduce((mask, stage) => mask | STAGE_BITS[stage], 0)
  return {
    rank,
    id: ast.id,
    action: ast.action,
    policy,
    ast,
    test: ast.when ? compileCondition(ast.when, paths) : null,
    readsArgs: ast.when ? readsArguments(ast.when) : false,
    undecidedApplies: ast.action === 'deny' || ast.action === 'human_approval',
    stageMask,
    rate: rateOf(ast.rateLimit),
    decision,
    undecidedDecision,
    conditionText,
  }
}

/** A policy file that does not compile: every error, each with file:line:col. */
export class PolicyError extends AgentgovError {
  readonly diagnostics: readonly Diagnostic[]

  constructor(diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error')
    const first = errors[0]
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : ''
    super(`${formatDiagnostic(first)}${more}`, {exit: ExitCode.input, hint: `Run 'agentgov policy lint ${first.file}' to see every problem.`})
    this.name = 'PolicyError'
    this.diagnostics = diagnostics
  }
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.message}`
}

/** Parse and compile policy text. Throws PolicyError (exit 3) naming file:line:col. */
export function compilePolicy(text: string, file = 'policy.yaml', options: CompileOptions = {}): CompiledPolicy {
  const platform = options.platform ?? process.platform
  const paths = pathOptionsFor(options.home ?? homedir(), platform)
  const {document, diagnostics} = parsePolicy(text, file, paths)
  if (diagnostics.some((d) => d.severity === 'error')) throw new PolicyError(diagnostics)
  return new CompiledPolicy(document, diagnostics, options)
}
