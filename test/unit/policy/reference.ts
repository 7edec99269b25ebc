/**
 * A naive reference evaluator for property tests: no index, no memo, no compiled closures. It walks
 * the parsed document in precedence order and evaluates every condition by direct recursion, so
 * the compiled engine can be checked against the semantics written down in docs/policy.md.
 * Limits are not modelled: compare on an empty state.
 */
import {type CondAst, type DocumentAst, type OpAst, precedenceOrder} from '../../../src/policy/ast.js'
import {isUnder, normalisePath, normalisePathPattern, type PathOptions} from '../../../src/policy/paths.js'
import type {PolicyCall, ToolAnnotations} from '../../../src/policy/types.js'

type Tri = 'true' | 'false' | 'undecided'

export interface ReferenceDecision {
  action: string
  policy: string | null
  rule: string | null
}

function globMatch(pattern: string, name: string): boolean {
  if (pattern === '') return name === ''
  const head = pattern[0]
  if (head === '*') {
    for (let i = 0; i <= name.length; i++) {
      if (globMatch(pattern.slice(1), name.slice(i))) return true
      if (i < name.length && !printable(name[i])) return false
    }

    return false
  }

  if (name === '') return false
  if (head === '?') return printable(name[0]) && globMatch(pattern.slice(1), name.slice(1))
  return head === name[0] && globMatch(pattern.slice(1), name.slice(1))
}

function printable(ch: string): boolean {
  return ch >= '!' && ch <= '~'
}

/** Test alphabets are ASCII: the canonical form is the lower case. */
const canon = (s: string) => s.toLowerCase()

export function referenceEvaluate(doc: DocumentAst, call: PolicyCall, paths: PathOptions): ReferenceDecision {
  const agent = canon(call.agent)
  const server = canon(call.server)
  const tool = canon(call.tool)
  for (const policy of precedenceOrder(doc.policies)) {
    if (!globMatch(policy.agent, agent)) continue
    for (const rule of policy.rules) {
      if (rule.stages && !rule.stages.includes(call.stage)) continue
      if (!rule.tools.some((t) => globMatch(t.server, server) && globMatch(t.tool, tool))) continue
      const result = rule.when ? cond(rule.when, call.args ?? {}, call.annotations, paths) : 'true'
      const applies = result === 'true' || (result === 'undecided' && (rule.action === 'deny' || rule.action === 'human_approval'))
      if (applies) return {action: rule.action, policy: policy.name, rule: rule.id}
    }
  }

  return {action: 'deny', policy: null, rule: null}
}

function cond(c: CondAst, args: Readonly<Record<string, unknown>>, ann: ToolAnnotations | undefined, paths: PathOptions): Tri {
  switch (c.kind) {
    case 'all': {
      const results = c.items.map((i) => cond(i, args, ann, paths))
      return results.includes('false') ? 'false' : results.includes('undecided') ? 'undecided' : 'true'
    }

    case 'any': {
      const results = c.items.map((i) => cond(i, args, ann, paths))
      return results.includes('true') ? 'true' : results.includes('undecided') ? 'undecided' : 'false'
    }

    case 'not': {
      const r = cond(c.item, args, ann, paths)
      return r === 'undecided' ? r : r === 'true' ? 'false' : 'true'
    }

    case 'annotation': {
      const declared = ann?.[c.name]
      const readOnly = ann?.readOnlyHint === true
      const effective = {
        readOnlyHint: readOnly,
        destructiveHint: !readOnly && ann?.destructiveHint !== false,
        idempotentHint: ann?.idempotentHint === true,
        openWorldHint: ann?.openWorldHint !== false,
      }[c.name]
      return c.ops.every((op) => (op.op === 'present' ? (typeof declared === 'boolean') === op.value : effective === op.value)) ? 'true' : 'false'
    }

    case 'arg': {
      let value: unknown = args
      for (const key of c.path) {
        value = value !== null && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined
      }

      const present = value !== undefined
      const presence = c.ops.find((o) => o.op === 'present')
      if (!present) return presence?.value === false ? 'true' : 'false'
      if (presence?.value === false) return 'false'
      const results: Tri[] = c.ops.filter((o) => o.op !== 'present').map((op) => leaf(op, value, paths))
      return results.includes('false') ? 'false' : results.includes('undecided') ? 'undecided' : 'true'
    }
  }
}

function leaf(op: OpAst, value: unknown, paths: PathOptions): Tri {
  if (op.op === 'min_length' || op.op === 'max_length') {
    const length = typeof value === 'string' ? Array.from(value).length : Array.isArray(value) ? value.length : undefined
    if (length === undefined) return 'undecided'
    return (op.op === 'min_length' ? length >= (op.value as number) : length <= (op.value as number)) ? 'true' : 'false'
  }

  if (Array.isArray(value)) {
    if (value.length === 0) return 'false'
    const each = value.map((v) => scalar(op, v, paths))
    if (each.every((r) => r === 'true')) return 'true'
    if (each.every((r) => r === 'false')) return 'false'
    return 'undecided'
  }

  return scalar(op, value, paths)
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER ? v : undefined
}

/** JSON's type names: a string "5" is not the number 5, and a list is not an object. */
function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v
}

function scalar(op: OpAst, v: unknown, paths: PathOptions): Tri {
  const bool = (b: boolean): Tri => (b ? 'true' : 'false')
  switch (op.op) {
    case 'equals':
      if (typeOf(v) !== typeOf(op.value) || (typeof v === 'number' && num(v) === undefined)) return 'undecided'
      return bool(v === op.value)
    case 'in': {
      const list = op.value as unknown[]
      if (!list.some((e) => typeOf(e) === typeOf(v)) || (typeof v === 'number' && num(v) === undefined)) return 'undecided'
      return bool(list.includes(v))
    }

    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const n = num(v)
      if (n === undefined) return 'undecided'
      const b = op.value as number
      return bool(op.op === 'gt' ? n > b : op.op === 'gte' ? n >= b : op.op === 'lt' ? n < b : n <= b)
    }

    case 'matches':
      return typeof v === 'string' ? bool(new RegExp(op.value as string, 'u').test(v)) : 'undecided'
    case 'glob': {
      if (typeof v !== 'string') return 'undecided'
      const pattern = op.value as string
      if (!pattern.startsWith('/') && pattern !== '~' && !pattern.startsWith('~/')) return bool(valueGlob(pattern, v))
      const p = normalisePath(v, paths)
      return p === undefined ? 'undecided' : bool(valueGlob(normalisePathPattern(pattern, paths), p))
    }
    case 'under':
    case 'not_under': {
      if (typeof v !== 'string') return 'undecided'
      const p = normalisePath(v, paths)
      if (p === undefined) return 'undecided'
      const under = (op.value as string[]).some((base) => isUnder(p, base))
      return bool(op.op === 'under' ? under : !under)
    }

    default:
      throw new Error(`unexpected ${op.op}`)
  }
}

function valueGlob(pattern: string, text: string): boolean {
  if (pattern === '') return text === ''
  if (pattern.startsWith('**')) {
    for (let i = 0; i <= text.length; i++) if (valueGlob(pattern.slice(2), text.slice(i))) return true
    return false
  }

  if (pattern[0] === '*') {
    for (let i = 0; i <= text.length; i++) {
      if (valueGlob(pattern.slice(1), text.slice(i))) return true
      if (text[i] === '/') return false
    }

    return false
  }

  if (text === '') return false
  if (pattern[0] === '?') return text[0] !== '/' && valueGlob(pattern.slice(1), text.slice(1))
  return pattern[0] === text[0] && valueGlob(pattern.slice(1), text.slice(1))
}
