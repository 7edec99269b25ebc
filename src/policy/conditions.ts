/**
 * Conditions compiled to closures over (args, annotations) returning one of three values. A
 * condition the engine cannot decide is UNDECIDED: a path that cannot be placed, a value of another
 * JSON type than the operator's (`"true"` or `1` for `equals: true`, `"50"` for `lt: 100`: the
 * server may coerce it, and the policy cannot know how), an object where a scalar is expected, list
 * elements that disagree, or a value the proxy marked UNDECIDABLE (a path it could not resolve).
 * The rule resolves it toward safety: deny and human_approval rules apply, allow and audit rules do
 * not. So a malformed or mistyped argument can never turn a deny into an allow.
 */
import type {AnnotationName, CondAst, OpAst} from './ast.js'
import {compileValueGlob} from './glob.js'
import {isPathPattern, isUnder, normalisePath, normalisePathPattern, type PathOptions} from './paths.js'
import type {ToolAnnotations} from './types.js'

export const FALSE = 0
export const TRUE = 1
export const UNDECIDED = 2
export type Tri = 0 | 1 | 2

export type Args = Readonly<Record<string, unknown>>
export type CondFn = (args: Args, annotations: ToolAnnotations | undefined) => Tri

/** Test one scalar (a list element, or the value itself). */
type ValueTest = (value: unknown) => Tri

const MISSING = Symbol('missing')

/**
 * Put in place of an argument value that cannot be decided (the proxy: a path whose links it could
 * not resolve, or one past its limits). Every operator but `present` is undecided on it.
 */
export const UNDECIDABLE: unique symbol = Symbol.for('agentgov.undecidable')

export function compileCondition(cond: CondAst, paths: PathOptions): CondFn {
  switch (cond.kind) {
    case 'all': {
      const items = cond.items.map((c) => compileCondition(c, paths))
      return (args, ann) => {
        let result: Tri = TRUE
        for (let i = 0; i < items.length; i++) {
          const r = items[i](args, ann)
          if (r === FALSE) return FALSE
          if (r === UNDECIDED) result = UNDECIDED
        }

        return result
      }
    }

    case 'any': {
      const items = cond.items.map((c) => compileCondition(c, paths))
      return (args, ann) => {
        let result: Tri = FALSE
        for (let i = 0; i < items.length; i++) {
          const r = items[i](args, ann)
          if (r === TRUE) return TRUE
          if (r === UNDECIDED) result = UNDECIDED
        }

        return result
      }
    }

    case 'not': {
      const item = compileCondition(cond.item, paths)
      return (args, ann) => {
        const r = item(args, ann)
        return r === UNDECIDED ? UNDECIDED : r === TRUE ? FALSE : TRUE
      }
    }

    case 'annotation':
      return compileAnnotation(cond.name, cond.ops)
    case 'arg':
      return compileArg(cond.path, cond.ops, paths)
  }
}

/** Whether the condition reads arguments at all (tool-list filtering decides without them). */
export function readsArguments(cond: CondAst): boolean {
  switch (cond.kind) {
    case 'all':
    case 'any':
      return cond.items.some(readsArguments)
    case 'not':
      return readsArguments(cond.item)
    case 'arg':
      return true
    case 'annotation':
      return false
  }
}

/** MCP's defaults for an undeclared hint: not read-only, destructive, not idempotent, open-world. */
export function effectiveAnnotation(annotations: ToolAnnotations | undefined, name: AnnotationName): boolean {
  const readOnly = annotations?.readOnlyHint === true
  switch (name) {
    case 'readOnlyHint':
      return readOnly
    case 'destructiveHint':
      // Meaningful only for tools that are not read-only.
      return !readOnly && annotations?.destructiveHint !== false
    case 'idempotentHint':
      return annotations?.idempotentHint === true
    case 'openWorldHint':
      return annotations?.openWorldHint !== false
  }
}

function compileAnnotation(name: AnnotationName, ops: OpAst[]): CondFn {
  const tests = ops.map((op): ((ann: ToolAnnotations | undefined) => boolean) => {
    if (op.op === 'present') return (ann) => (ann !== undefined && typeof ann[name] === 'boolean') === op.value
    return (ann) => effectiveAnnotation(ann, name) === op.value
  })
  return (_args, ann) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i](ann)) return FALSE
    return TRUE
  }
}

function compileArg(path: string[], ops: OpAst[], paths: PathOptions): CondFn {
  const get = compileGetter(path)
  const presence = ops.find((op) => op.op === 'present')
  const lengthOps = ops.filter((op) => op.op === 'min_length' || op.op === 'max_length')
  const valueTests = ops.filter((op) => op.op !== 'present' && op.op !== 'min_length' && op.op !== 'max_length').map((op) => compileOp(op, paths))
  const lengthTest = lengthOps.length > 0 ? compileLength(lengthOps) : undefined
  return (args) => {
    const value = get(args)
    if (value === MISSING) return presence && presence.value === false ? TRUE : FALSE
    if (presence && presence.value === false) return FALSE
    let result: Tri = TRUE
    if (lengthTest) {
      result = lengthTest(value)
      if (result === FALSE) return FALSE
    }

    for (let i = 0; i < valueTests.length; i++) {
      const r = overValue(valueTests[i], value)
      if (r === FALSE) return FALSE
      if (r === UNDECIDED) result = UNDECIDED
    }

    return result
  }
}

/** A list argument holds when every element does, fails when none does, and is undecided between. */
function overValue(test: ValueTest, value: unknown): Tri {
  if (!Array.isArray(value)) return test(value)
  if (value.length === 0) return FALSE
  let trues = 0
  let falses = 0
  for (let i = 0; i < value.length; i++) {
    const r = test(value[i])
    if (r === TRUE) trues++
    else if (r === FALSE) falses++
  }

  if (trues === value.length) return TRUE
  if (falses === value.length) return FALSE
  return UNDECIDED
}

const hasOwn = Object.prototype.hasOwnProperty

/** Own properties only: `constructor` or `__proto__` must not reach Object's prototype. */
function compileGetter(path: string[]): (args: Args) => unknown {
  if (path.length === 1) {
    const key = path[0]
    return (args) => (args !== null && typeof args === 'object' && hasOwn.call(args, key) ? (args as Record<string, unknown>)[key] : MISSING)
  }

  return (args) => {
    let current: unknown = args
    for (let i = 0; i < path.length; i++) {
      if (current === null || typeof current !== 'object' || !hasOwn.call(current, path[i])) return MISSING
      current = (current as Record<string, unknown>)[path[i]]
    }

    return current === undefined ? MISSING : current
  }
}

/** The JSON type of a value, telling lists, objects and null apart. */
function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/** A number the policy can compare: finite and exact (past 2^53 a server may read other digits). */
function exactNumber(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined
  return Math.abs(value) <= Number.MAX_SAFE_INTEGER ? value : undefined
}

function compileOp(op: OpAst, paths: PathOptions): ValueTest {
  switch (op.op) {
    case 'equals': {
      const expected = op.value
      const type = jsonType(expected)
      return (v) => {
        if (jsonType(v) !== type) return UNDECIDED
        if (type === 'number' && exactNumber(v) === undefined) return UNDECIDED
        return v === expected ? TRUE : FALSE
      }
    }

    case 'in': {
      const values = op.value as unknown[]
      const members = new Set(values)
      const types = new Set(values.map(jsonType))
      return (v) => {
        if (!types.has(jsonType(v))) return UNDECIDED
        if (typeof v === 'number' && exactNumber(v) === undefined) return UNDECIDED
        return members.has(v) ? TRUE : FALSE
      }
    }

    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const bound = op.value as number
      const compare = op.op === 'gt' ? (n: number) => n > bound : op.op === 'gte' ? (n: number) => n >= bound : op.op === 'lt' ? (n: number) => n < bound : (n: number) => n <= bound
      return (v) => {
        const n = exactNumber(v)
        if (n === undefined) return UNDECIDED
        return compare(n) ? TRUE : FALSE
      }
    }

    case 'matches': {
      const regex = new RegExp(op.value as string, 'u')
      return (v) => (typeof v === 'string' ? (regex.test(v) ? TRUE : FALSE) : UNDECIDED)
    }

    case 'glob': {
      const pattern = op.value as string
      if (isPathPattern(pattern, paths)) {
        // A path glob matches the path the server will act on, not the spelling: `ok/./x/../../k`
        // is tested as where it leads.
        const regex = compileValueGlob(normalisePathPattern(pattern, paths))
        return (v) => {
          if (typeof v !== 'string') return UNDECIDED
          const path = normalisePath(v, paths)
          if (path === undefined) return UNDECIDED
          return regex.test(path) ? TRUE : FALSE
        }
      }

      const regex = compileValueGlob(pattern)
      return (v) => (typeof v === 'string' ? (regex.test(v) ? TRUE : FALSE) : UNDECIDED)
    }

    case 'under':
    case 'not_under': {
      const bases = op.value as string[]
      const wantUnder = op.op === 'under'
      return (v) => {
        if (typeof v !== 'string') return UNDECIDED
        const path = normalisePath(v, paths)
        if (path === undefined) return UNDECIDED
        let under = false
        for (let i = 0; i < bases.length && !under; i++) under = isUnder(path, bases[i])
        return under === wantUnder ? TRUE : FALSE
      }
    }

    default:
      throw new Error(`operator ${op.op} is not a value test`)
  }
}

/** Length counts code points of a string, or elements of a list (the list itself, not each element). */
function compileLength(ops: OpAst[]): ValueTest {
  const min = ops.find((op) => op.op === 'min_length')?.value as number | undefined
  const max = ops.find((op) => op.op === 'max_length')?.value as number | undefined
  return (v) => {
    let length: number
    if (typeof v === 'string') length = codePoints(v)
    else if (Array.isArray(v)) length = v.length
    else return UNDECIDED
    if (min !== undefined && length < min) return FALSE
    if (max !== undefined && length > max) return FALSE
    return TRUE
  }
}

function codePoints(text: string): number {
  let count = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    // A high surrogate followed by a low one is a single code point.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) i++
    }

    count++
  }

  return count
}
