/** The parsed, validated policy document: what compile.ts indexes and lint.ts inspects. */
import type {Action, PolicySettings, Stage} from './types.js'

export interface Loc {
  line: number
  col: number
}

export interface Diagnostic {
  severity: 'error' | 'warning'
  /** Stable identifier: `unknown-key`, `unreachable-rule`, `allow-shadows-deny`, … */
  code: string
  file: string
  line: number
  col: number
  message: string
}

export type AnnotationName = 'destructiveHint' | 'idempotentHint' | 'openWorldHint' | 'readOnlyHint'

export type OpName =
  | 'equals'
  | 'glob'
  | 'gt'
  | 'gte'
  | 'in'
  | 'lt'
  | 'lte'
  | 'matches'
  | 'max_length'
  | 'min_length'
  | 'not_under'
  | 'present'
  | 'under'

export interface OpAst {
  op: OpName
  /** Validated: scalar, scalar[], number, string (regex/glob source), boolean, or normalised path[]. */
  value: unknown
  loc: Loc
}

export type CondAst =
  | {kind: 'all' | 'any'; items: CondAst[]; loc: Loc}
  | {kind: 'not'; item: CondAst; loc: Loc}
  | {kind: 'arg'; path: string[]; ops: OpAst[]; loc: Loc}
  | {kind: 'annotation'; name: AnnotationName; ops: OpAst[]; loc: Loc}

export interface ToolPatternAst {
  /** As written. */
  source: string
  /** Canonical server glob (`*` for any server). */
  server: string
  /** Canonical tool glob. */
  tool: string
  loc: Loc
}

export interface RateLimitAst {
  maxPerMinute?: number
  maxPerHour?: number
  maxTotal?: number
  loc: Loc
}

export interface RuleAst {
  id: string
  /** 0-based position in its policy. */
  index: number
  tools: ToolPatternAst[]
  action: Action
  reason?: string
  when?: CondAst
  rateLimit?: RateLimitAst
  /** Undefined: every stage. */
  stages?: Stage[]
  loc: Loc
}

export interface PolicyAst {
  name: string
  /** Canonical agent glob. */
  agent: string
  rateLimit?: RateLimitAst
  rules: RuleAst[]
  /** Position in the file. */
  index: number
  loc: Loc
}

export interface DocumentAst {
  file: string
  format: 'agent-mesh' | 'agentgov'
  settings: PolicySettings
  policies: PolicyAst[]
}

export const DEFAULT_SETTINGS: PolicySettings = Object.freeze({
  approvalTimeoutSec: 120,
  pinning: 'block',
  scanning: 'warn',
  redactResults: true,
  recordArguments: 'digest',
  loop: Object.freeze({enabled: true, max: 3, windowSec: 10}),
  // Fail closed: an agent not named here may be a bot that would answer its own approvals.
  approveInClient: Object.freeze([]),
}) as PolicySettings

/**
 * Agent specificity, for precedence: an exact name beats any glob; among globs, more literal
 * characters win (`claude-code-*` before `claude-*` before `*`); ties keep file order.
 */
export function agentSpecificity(agent: string): number {
  if (!agent.includes('*') && !agent.includes('?')) return 1_000_000 + agent.length
  return agent.replaceAll('*', '').replaceAll('?', '').length
}

/** Policies in precedence order: most specific agent first, then file order. */
export function precedenceOrder(policies: readonly PolicyAst[]): PolicyAst[] {
  return [...policies].sort((a, b) => agentSpecificity(b.agent) - agentSpecificity(a.agent) || a.index - b.index)
}

export function describeCondition(cond: CondAst): string {
  switch (cond.kind) {
    case 'all':
      return cond.items.map((c) => wrap(c, 'all')).join(' and ')
    case 'any':
      return cond.items.map((c) => wrap(c, 'any')).join(' or ')
    case 'not':
      return `not (${describeCondition(cond.item)})`
    case 'arg':
      return cond.ops.map((op) => `args.${cond.path.join('.')} ${describeOp(op)}`).join(' and ')
    case 'annotation':
      return cond.ops.map((op) => `${cond.name} ${describeOp(op)}`).join(' and ')
  }
}

function wrap(cond: CondAst, parent: 'all' | 'any'): string {
  const text = describeCondition(cond)
  return (cond.kind === 'all' || cond.kind === 'any') && cond.kind !== parent && cond.items.length > 1 ? `(${text})` : text
}

const OP_WORDS: Record<OpName, string> = {
  equals: '=',
  in: 'in',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  matches: 'matches',
  glob: 'matches glob',
  min_length: 'length >=',
  max_length: 'length <=',
  present: 'present',
  under: 'under',
  not_under: 'not under',
}

function describeOp(op: OpAst): string {
  if (op.op === 'present') return op.value ? 'is present' : 'is absent'
  const value = Array.isArray(op.value) ? `[${op.value.map((v) => JSON.stringify(v)).join(', ')}]` : op.op === 'matches' ? `/${String(op.value)}/` : JSON.stringify(op.value)
  return `${OP_WORDS[op.op]} ${value}`
}
