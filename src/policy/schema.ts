/**
 * Parse and validate a policy file into a DocumentAst, with a file:line:col diagnostic for every
 * problem. Reads agentgov's format and agent-mesh's (`policies[]` of `name`, `agent`, `rules[]` with
 * `tools`, `action`, `condition {field, operator, value}` and `rate_limit`, or one such policy at the
 * top level) as it is; agent-mesh keys that configure its own server (`port`, `mcp_servers`, …) are
 * accepted and ignored with a warning.
 */

import {
  type AnnotationName,
  type CondAst,
  DEFAULT_SETTINGS,
  type Diagnostic,
  type DocumentAst,
  type Loc,
  type OpAst,
  type OpName,
  type PolicyAst,
  type RateLimitAst,
  type RuleAst,
  type ToolPatternAst,
} from './ast.js'
import {canonicalName, hasInvisible, isPlain} from './canonical.js'
import {parseDuration} from './duration.js'
import {hasWildcard} from './glob.js'
import {normalisePath, type PathOptions} from './paths.js'
import {realLocation} from './real-location.js'
import {closest} from './suggest.js'
import type {Action, PolicySettings, Stage} from './types.js'
import {isMap, isScalar, isSeq, parseYamlTree, type YamlNode as Node, type YamlPair, type YamlTree} from './yaml-tree.js'

export const ACTIONS: readonly Action[] = ['allow', 'deny', 'human_approval', 'audit']
export const STAGES: readonly Stage[] = ['pre_tool', 'post_tool', 'tool_list', 'resource', 'prompt']
const ANNOTATIONS: readonly AnnotationName[] = ['destructiveHint', 'readOnlyHint', 'openWorldHint', 'idempotentHint']
export const ARG_OPS: readonly OpName[] = ['equals', 'in', 'gt', 'gte', 'lt', 'lte', 'matches', 'glob', 'min_length', 'max_length', 'present', 'under', 'not_under']
const ANNOTATION_OPS: readonly OpName[] = ['equals', 'present']

export const TOP_KEYS = ['version', 'settings', 'policies']
export const SINGLE_POLICY_KEYS = ['name', 'agent', 'rules', 'rate_limit', 'description']
export const AGENT_MESH_IGNORED = ['port', 'trace_file', 'mcp_servers', 'cli_tools', 'mode', 'default_action']
export const POLICY_KEYS = ['name', 'agent', 'rules', 'rate_limit', 'description']
export const RULE_KEYS = ['id', 'tools', 'server', 'action', 'reason', 'when', 'condition', 'rate_limit', 'stages', 'description']
const RATE_KEYS = ['max_per_minute', 'max_per_hour', 'max_total']
export const SETTINGS_KEYS = ['approval_timeout', 'pinning', 'scanning', 'redact_results', 'record_arguments', 'loop_detection', 'approve_in_client']
const LOOP_KEYS = ['enabled', 'max', 'window']
const MESH_OPERATORS: Record<string, OpName | '!='> = {'<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte', '==': 'equals', '!=': '!='}

export type ParseOptions = PathOptions

export interface ParseResult {
  document: DocumentAst
  diagnostics: Diagnostic[]
}

type Pairs = Array<{key: string; keyNode: Node; value: Node | null}>

class Reader {
  readonly diagnostics: Diagnostic[] = []
  readonly tree: YamlTree

  constructor(
    readonly file: string,
    text: string,
    readonly options: ParseOptions,
  ) {
    this.tree = parseYamlTree(text)
    const error = this.tree.error
    if (error) this.diagnostics.push({severity: 'error', code: 'yaml', file, line: error.line, col: error.col, message: error.message})
  }

  loc(node: Node | null | undefined): Loc {
    return this.tree.linePos(node?.offset ?? 0)
  }

  error(node: Node | null | undefined, code: string, message: string): void {
    this.push('error', this.loc(node), code, message)
  }

  warn(node: Node | null | undefined, code: string, message: string): void {
    this.push('warning', this.loc(node), code, message)
  }

  push(severity: Diagnostic['severity'], loc: Loc, code: string, message: string): void {
    this.diagnostics.push({severity, code, file: this.file, line: loc.line, col: loc.col, message})
  }

  /** The tree has its aliases resolved already; this only turns undefined into null. */
  resolve(node: Node | null | undefined): Node | null {
    return node ?? null
  }

  /** The pairs of a mapping, with unknown keys reported (and a "did you mean" when one is close). */
  map(node: Node | null, what: string, allowed: readonly string[]): Pairs | undefined {
    node = this.resolve(node)
    if (!node || !isMap(node)) {
      this.error(node, 'type', `${what} must be a mapping`)
      return undefined
    }

    const pairs: Pairs = []
    for (const pair of node.items) {
      const keyNode = pair.key
      const key = keyName(pair)
      if (key === undefined) {
        this.error(keyNode, 'type', `keys in ${what} must be plain names`)
        continue
      }

      if (!allowed.includes(key)) {
        const suggestion = closest(key, allowed)
        this.error(keyNode, 'unknown-key', `unknown key "${key}" in ${what}${suggestion ? ` (did you mean "${suggestion}"?)` : `; expected one of ${allowed.join(', ')}`}`)
        continue
      }

      pairs.push({key, keyNode, value: this.resolve(pair.value)})
    }

    return pairs
  }

  scalar(node: Node | null): unknown {
    node = this.resolve(node)
    return node && isScalar(node) ? node.value : undefined
  }

  string(node: Node | null, what: string): string | undefined {
    const value = this.scalar(node)
    if (typeof value === 'string' && value.length > 0) return value
    this.error(node, 'type', `${what} must be a non-empty string`)
    return undefined
  }

  /** A sequence, or one scalar standing for a sequence of one. */
  list(node: Node | null): Node[] {
    node = this.resolve(node)
    if (node && isSeq(node)) return node.items.map((item) => this.resolve(item as Node)).filter((n): n is Node => n !== null)
    return node ? [node] : []
  }
}

/** A key written as an alias is refused like any key that is not a plain name. */
function keyName(pair: YamlPair): string | undefined {
  return isScalar(pair.key) && !pair.aliasKey ? String(pair.key.value) : undefined
}

export function parsePolicy(text: string, file: string, options: ParseOptions): ParseResult {
  const reader = new Reader(file, text, options)
  const document: DocumentAst = {file, format: 'agentgov', settings: {...DEFAULT_SETTINGS, loop: {...DEFAULT_SETTINGS.loop}, approveInClient: []}, policies: []}
  if (reader.diagnostics.some((d) => d.severity === 'error')) return {document, diagnostics: reader.diagnostics}
  const root = reader.tree.root
  if (!root) {
    reader.push('error', {line: 1, col: 1}, 'empty', 'the policy file is empty; it needs a `policies:` list')
    return {document, diagnostics: reader.diagnostics}
  }

  const topKeys = [...TOP_KEYS, ...SINGLE_POLICY_KEYS, 'approval', ...AGENT_MESH_IGNORED]
  const pairs = reader.map(root, 'the policy file', topKeys) ?? []
  const get = (key: string) => pairs.find((p) => p.key === key)
  const single = get('rules')
  const policies = get('policies')

  for (const pair of pairs) {
    if (AGENT_MESH_IGNORED.includes(pair.key)) {
      document.format = 'agent-mesh'
      reader.warn(pair.keyNode, 'ignored-key', `"${pair.key}" configures agent-mesh itself and is ignored by agentgov`)
    }
  }

  if (single && policies) reader.error(single.keyNode, 'shape', 'a file has either `policies:` or one top-level policy (`name`, `agent`, `rules`), not both')
  else if (policies) {
    const items = reader.resolve(policies.value)
    if (!items || !isSeq(items)) reader.error(policies.value ?? policies.keyNode, 'type', '`policies` must be a list')
    else items.items.forEach((item, index) => {
      const policy = parsePolicyNode(reader, reader.resolve(item as Node), index)
      if (policy) document.policies.push(policy)
    })
  } else if (single) {
    const policy = parsePolicyPairs(reader, root, pairs.filter((p) => SINGLE_POLICY_KEYS.includes(p.key)), 0)
    if (policy) document.policies.push(policy)
  } else {
    reader.error(root, 'shape', 'the policy file needs a `policies:` list')
  }

  if (!single) {
    for (const key of SINGLE_POLICY_KEYS) {
      const stray = get(key)
      if (stray) reader.error(stray.keyNode, 'shape', `"${key}" belongs inside an entry of \`policies:\``)
    }
  }

  const version = get('version')
  if (version && !['1', '1.0', 1].includes(reader.scalar(version.value) as string)) reader.error(version.value, 'version', 'unsupported version; this agentgov reads version 1')
  const approval = get('approval')
  if (approval) parseMeshApproval(reader, approval.value, document.settings)
  const settings = get('settings')
  if (settings) parseSettings(reader, settings.value, document.settings)

  const names = new Map<string, PolicyAst>()
  for (const policy of document.policies) {
    if (names.has(policy.name)) reader.push('error', policy.loc, 'duplicate-policy', `a policy named "${policy.name}" is already defined at line ${names.get(policy.name)!.loc.line}`)
    else names.set(policy.name, policy)
  }

  return {document, diagnostics: reader.diagnostics}
}

function parsePolicyNode(reader: Reader, node: Node | null, index: number): PolicyAst | undefined {
  const pairs = reader.map(node, 'a policy', POLICY_KEYS)
  return pairs ? parsePolicyPairs(reader, node, pairs, index) : undefined
}

function parsePolicyPairs(reader: Reader, node: Node | null, pairs: Pairs, index: number): PolicyAst | undefined {
  const get = (key: string) => pairs.find((p) => p.key === key)
  const loc = reader.loc(node)
  const nameNode = get('name')
  const name = nameNode ? reader.string(nameNode.value, 'a policy name') : `policy-${index + 1}`
  if (!nameNode) reader.push('error', loc, 'missing-key', 'a policy needs a `name`')
  const agentPair = get('agent')
  let agent: string | undefined
  if (!agentPair) reader.push('error', loc, 'missing-key', `policy "${name ?? index + 1}" needs an \`agent\` (an agent id or glob; "*" for every agent)`)
  else {
    const raw = reader.string(agentPair.value, 'a policy agent')
    if (raw !== undefined) agent = canonicalPattern(reader, agentPair.value, raw, 'agent pattern')
  }

  const rateLimit = get('rate_limit') ? parseRateLimit(reader, get('rate_limit')!.value) : undefined
  const rules: RuleAst[] = []
  const rulesPair = get('rules')
  if (!rulesPair) reader.push('error', loc, 'missing-key', `policy "${name ?? index + 1}" needs \`rules\``)
  else {
    const list = reader.resolve(rulesPair.value)
    if (!list || !isSeq(list)) reader.error(rulesPair.value ?? rulesPair.keyNode, 'type', '`rules` must be a list')
    else {
      const ids = new Map<string, Loc>()
      list.items.forEach((item, ruleIndex) => {
        const rule = parseRule(reader, reader.resolve(item as Node), ruleIndex, name ?? `policy-${index + 1}`)
        if (!rule) return
        const seen = ids.get(rule.id)
        if (seen) reader.push('error', rule.loc, 'duplicate-rule', `rule id "${rule.id}" is already used at line ${seen.line} in this policy`)
        else ids.set(rule.id, rule.loc)
        rules.push(rule)
      })
    }
  }

  if (name === undefined || agent === undefined) return undefined
  return {name, agent, rateLimit, rules, index, loc}
}

function canonicalPattern(reader: Reader, node: Node | null, raw: string, what: string): string | undefined {
  const canonical = canonicalName(raw)
  if (canonical === undefined || hasInvisible(raw)) {
    reader.error(node, 'invisible-characters', `${what} "${JSON.stringify(raw).slice(1, -1)}" holds invisible or control characters`)
    return undefined
  }

  if (!isPlain(canonical)) reader.warn(node, 'non-ascii-name', `${what} "${raw}" has characters outside printable ASCII; wildcards never match those, and look-alike letters are different names`)
  return canonical
}

function parseRule(reader: Reader, node: Node | null, index: number, policyName: string): RuleAst | undefined {
  const pairs = reader.map(node, 'a rule', RULE_KEYS)
  if (!pairs) return undefined
  const get = (key: string) => pairs.find((p) => p.key === key)
  const loc = reader.loc(node)
  const idPair = get('id')
  const id = idPair ? reader.string(idPair.value, 'a rule id') : `${policyName}#${index + 1}`

  const actionPair = get('action')
  let action: Action | undefined
  if (!actionPair) reader.push('error', loc, 'missing-key', 'a rule needs an `action` (allow, deny, human_approval or audit)')
  else {
    const value = reader.scalar(actionPair.value)
    if (typeof value === 'string' && (ACTIONS as readonly string[]).includes(value)) action = value as Action
    else {
      const suggestion = typeof value === 'string' ? closest(value, ACTIONS) : undefined
      reader.error(actionPair.value, 'action', `unknown action ${JSON.stringify(value)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; expected allow, deny, human_approval or audit`)
    }
  }

  let server: string | undefined
  const serverPair = get('server')
  if (serverPair) {
    const raw = reader.string(serverPair.value, 'a rule server')
    if (raw !== undefined) server = canonicalPattern(reader, serverPair.value, raw, 'server pattern')
  }

  const tools: ToolPatternAst[] = []
  const toolsPair = get('tools')
  if (!toolsPair) reader.push('error', loc, 'missing-key', 'a rule needs `tools` (patterns such as github.delete_* or "*")')
  else {
    const items = reader.list(toolsPair.value)
    if (items.length === 0) reader.error(toolsPair.value ?? toolsPair.keyNode, 'type', '`tools` must list at least one pattern')
    for (const item of items) {
      const raw = reader.string(item, 'a tool pattern')
      if (raw === undefined) continue
      const canonical = canonicalPattern(reader, item, raw, 'tool pattern')
      if (canonical === undefined) continue
      const pattern = splitToolPattern(canonical, server)
      if (!pattern) {
        reader.error(item, 'tool-pattern', `tool pattern "${raw}" has an empty server or tool part; write server.tool`)
        continue
      }

      if (pattern.unqualified && canonical !== '*') reader.warn(item, 'unqualified-tool', `tool pattern "${raw}" names no server, so it matches that tool on every server; write server.${raw} to narrow it`)
      tools.push({source: raw, server: pattern.server, tool: pattern.tool, loc: reader.loc(item)})
    }
  }

  const reasonPair = get('reason')
  const reason = reasonPair ? reader.string(reasonPair.value, 'a reason') : undefined
  const conditions: CondAst[] = []
  const when = get('when')
  if (when) {
    const cond = parseCondition(reader, when.value)
    if (cond) conditions.push(cond)
  }

  const condition = get('condition')
  if (condition) {
    const cond = parseMeshCondition(reader, condition.value)
    if (cond) conditions.push(cond)
  }

  const rateLimit = get('rate_limit') ? parseRateLimit(reader, get('rate_limit')!.value) : undefined
  let stages: Stage[] | undefined
  const stagesPair = get('stages')
  if (stagesPair) {
    stages = []
    for (const item of reader.list(stagesPair.value)) {
      const value = reader.scalar(item)
      if (typeof value === 'string' && (STAGES as readonly string[]).includes(value)) stages.push(value as Stage)
      else {
        const suggestion = typeof value === 'string' ? closest(value, STAGES) : undefined
        reader.error(item, 'stage', `unknown stage ${JSON.stringify(value)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; expected ${STAGES.join(', ')}`)
      }
    }
  }

  if (id === undefined || action === undefined || tools.length === 0) return undefined
  const whenAst = conditions.length === 0 ? undefined : conditions.length === 1 ? conditions[0] : {kind: 'all' as const, items: conditions, loc: conditions[0].loc}
  return {id, index, tools, action, reason, when: whenAst, rateLimit, stages, loc}
}

/**
 * `server.tool`: the server part is everything before the first dot, so `fs.read` is tool `read` on
 * server `fs` and never the tool `fs_read` or `fs/read` (those have no dot and name a tool on every
 * server). Server and tool are matched separately, never as one joined string, so a server called
 * `fs.read` cannot pose as server `fs`. A rule with `server:` takes its tool patterns whole.
 */
export function splitToolPattern(canonical: string, server?: string): {server: string; tool: string; unqualified: boolean} | undefined {
  if (server !== undefined) return {server, tool: canonical, unqualified: false}
  if (canonical === '*') return {server: '*', tool: '*', unqualified: true}
  const dot = canonical.indexOf('.')
  if (dot < 0) return {server: '*', tool: canonical, unqualified: true}
  const serverPart = canonical.slice(0, dot)
  const toolPart = canonical.slice(dot + 1)
  if (!serverPart || !toolPart) return undefined
  return {server: serverPart, tool: toolPart, unqualified: false}
}

function parseRateLimit(reader: Reader, node: Node | null): RateLimitAst | undefined {
  const pairs = reader.map(node, 'a rate_limit', RATE_KEYS)
  if (!pairs) return undefined
  const limit: RateLimitAst = {loc: reader.loc(node)}
  for (const {key, value} of pairs) {
    const n = reader.scalar(value)
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      reader.error(value, 'type', `${key} must be a whole number of calls`)
      continue
    }

    // agent-mesh treats 0 as "no limit": keep that reading.
    if (n === 0) continue
    if (key === 'max_per_minute') limit.maxPerMinute = n
    else if (key === 'max_per_hour') limit.maxPerHour = n
    else limit.maxTotal = n
  }

  return limit
}

function parseCondition(reader: Reader, node: Node | null): CondAst | undefined {
  node = reader.resolve(node)
  const loc = reader.loc(node)
  if (node && isSeq(node)) {
    const items = node.items.map((item) => parseCondition(reader, reader.resolve(item as Node))).filter((c): c is CondAst => c !== undefined)
    if (node.items.length === 0) reader.error(node, 'condition', 'an empty condition list')
    return items.length === node.items.length && items.length > 0 ? (items.length === 1 ? items[0] : {kind: 'all', items, loc}) : undefined
  }

  if (!node || !isMap(node)) {
    reader.error(node, 'condition', 'a condition must be a mapping (arg, annotation, all, any or not) or a list of them')
    return undefined
  }

  const keys = node.items.map((pair) => keyName(pair) ?? '')
  const combinator = keys.find((k) => k === 'all' || k === 'any' || k === 'not')
  if (combinator) {
    const pairs = reader.map(node, `a \`${combinator}\` condition`, [combinator])
    const value = pairs?.[0]?.value ?? null
    if (!pairs || pairs.length !== 1) return undefined
    if (combinator === 'not') {
      const item = parseCondition(reader, value)
      return item ? {kind: 'not', item, loc} : undefined
    }

    const list = reader.resolve(value)
    if (!list || !isSeq(list) || list.items.length === 0) {
      reader.error(value, 'condition', `\`${combinator}\` takes a non-empty list of conditions`)
      return undefined
    }

    const items = list.items.map((item) => parseCondition(reader, reader.resolve(item as Node)))
    return items.every((c) => c !== undefined) ? {kind: combinator, items: items as CondAst[], loc} : undefined
  }

  if (keys.includes('field') && keys.includes('operator')) return parseMeshCondition(reader, node)
  if (keys.includes('annotation')) {
    const pairs = reader.map(node, 'an annotation condition', ['annotation', ...ANNOTATION_OPS])
    if (!pairs) return undefined
    const name = reader.scalar(pairs.find((p) => p.key === 'annotation')!.value)
    if (typeof name !== 'string' || !(ANNOTATIONS as readonly string[]).includes(name)) {
      const suggestion = typeof name === 'string' ? closest(name, ANNOTATIONS) : undefined
      reader.error(pairs.find((p) => p.key === 'annotation')!.value, 'annotation', `unknown annotation ${JSON.stringify(name)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; expected ${ANNOTATIONS.join(', ')}`)
      return undefined
    }

    const ops = parseOps(reader, pairs.filter((p) => p.key !== 'annotation'), true)
    if (!ops) return undefined
    if (ops.length === 0) return {kind: 'annotation', name: name as AnnotationName, ops: [{op: 'equals', value: true, loc}], loc}
    return {kind: 'annotation', name: name as AnnotationName, ops, loc}
  }

  if (keys.includes('arg')) {
    const pairs = reader.map(node, 'an argument condition', ['arg', ...ARG_OPS])
    if (!pairs) return undefined
    const argNode = pairs.find((p) => p.key === 'arg')!.value
    const path = parseArgPath(reader, argNode)
    const ops = parseOps(reader, pairs.filter((p) => p.key !== 'arg'), false)
    if (!path || !ops) return undefined
    if (ops.length === 0) {
      reader.error(node, 'condition', `an argument condition needs an operator: ${ARG_OPS.join(', ')}`)
      return undefined
    }

    if (ops.some((o) => o.op === 'present' && o.value === false) && ops.length > 1) {
      reader.error(node, 'condition', '`present: false` cannot be combined with other operators (they need the argument)')
      return undefined
    }

    return {kind: 'arg', path, ops, loc}
  }

  const suggestion = closest(keys[0] ?? '', ['arg', 'annotation', 'all', 'any', 'not'])
  reader.error(node, 'condition', `a condition needs arg, annotation, all, any or not${suggestion && keys[0] ? ` (did you mean "${suggestion}" for "${keys[0]}"?)` : ''}`)
  return undefined
}

function parseArgPath(reader: Reader, node: Node | null): string[] | undefined {
  node = reader.resolve(node)
  if (node && isSeq(node)) {
    const parts = node.items.map((item) => reader.scalar(item as Node))
    if (parts.length > 0 && parts.every((p) => typeof p === 'string' || typeof p === 'number')) return parts.map(String)
  } else {
    const value = reader.scalar(node)
    if (typeof value === 'string' && value.length > 0) return value.split('.')
  }

  reader.error(node, 'condition', '`arg` names an argument: `path`, `options.mode`, or a list of keys for names with dots')
  return undefined
}

function parseOps(reader: Reader, pairs: Pairs, annotation: boolean): OpAst[] | undefined {
  const ops: OpAst[] = []
  let ok = true
  for (const {key, keyNode, value} of pairs) {
    const op = key as OpName
    const parsed = parseOpValue(reader, op, value, annotation)
    if (parsed === undefined) ok = false
    else ops.push({op, value: parsed, loc: reader.loc(keyNode)})
  }

  return ok ? ops : undefined
}

const isScalarValue = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v)

function parseOpValue(reader: Reader, op: OpName, node: Node | null, annotation: boolean): unknown {
  const value = reader.scalar(node)
  const fail = (expected: string) => {
    reader.error(node, 'operator', `\`${op}\` takes ${expected}`)
    return undefined
  }

  if (annotation && op === 'equals') return typeof value === 'boolean' ? value : fail('true or false for an annotation')
  switch (op) {
    case 'equals':
      return node && isScalar(node) && isScalarValue(value) ? value : fail('a string, number, boolean or null')
    case 'in': {
      const items = reader.resolve(node)
      if (!items || !isSeq(items) || items.items.length === 0) return fail('a non-empty list of values')
      const values = items.items.map((item) => reader.scalar(item as Node))
      return values.every(isScalarValue) ? values : fail('a list of strings, numbers, booleans or null')
    }

    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return typeof value === 'number' && Number.isFinite(value) ? value : fail('a number')
    case 'min_length':
    case 'max_length':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fail('a whole number')
    case 'present':
      return typeof value === 'boolean' ? value : fail('true or false')
    case 'glob':
      return typeof value === 'string' ? value : fail('a glob pattern string')
    case 'matches': {
      if (typeof value !== 'string') return fail('a regular expression string')
      try {
        new RegExp(value, 'u')
      } catch (error) {
        reader.error(node, 'regex', `invalid regular expression: ${(error as Error).message}`)
        return undefined
      }

      // Nested quantifiers backtrack exponentially on crafted input, and the input is the agent's.
      if (/\([^)]*[+*][^)]*\)[+*{]/.test(value)) reader.warn(node, 'slow-regex', `regular expression /${value}/ nests quantifiers and can take exponential time on crafted arguments`)
      return value
    }

    case 'under':
    case 'not_under': {
      const paths: string[] = []
      for (const item of reader.list(node)) {
        const raw = reader.scalar(item)
        if (typeof raw !== 'string') return fail('a path or a list of paths')
        const normalised = normalisePath(raw, reader.options)
        if (normalised === undefined) {
          reader.error(item, 'path', `"${raw}" is not an absolute path (write /…, ~/… or C:/…)`)
          return undefined
        }

        paths.push(normalised)
        // A folder reached through links (macOS /tmp is /private/tmp) is named by where it leads
        // too, since the proxy decides on both the written and the real location of an argument.
        const real = reader.options.windows ? undefined : realLocation(normalised)
        const realNormalised = real === undefined ? undefined : normalisePath(real, reader.options)
        if (realNormalised !== undefined && realNormalised !== normalised) paths.push(realNormalised)
      }

      return paths.length > 0 ? paths : fail('a path or a list of paths')
    }
  }
}

function parseMeshCondition(reader: Reader, node: Node | null): CondAst | undefined {
  const pairs = reader.map(node, 'a condition (agent-mesh form)', ['field', 'operator', 'value'])
  if (!pairs) return undefined
  const loc = reader.loc(node)
  const get = (key: string) => pairs.find((p) => p.key === key)
  const field = get('field') ? reader.string(get('field')!.value, '`field`') : undefined
  const operator = get('operator') ? reader.scalar(get('operator')!.value) : undefined
  const valuePair = get('value')
  if (!get('field') || !get('operator') || !valuePair) {
    reader.error(node, 'condition', 'an agent-mesh condition needs field, operator and value')
    return undefined
  }

  const mapped = typeof operator === 'string' ? MESH_OPERATORS[operator] : undefined
  if (!mapped) {
    reader.error(get('operator')!.value, 'operator', `unknown operator ${JSON.stringify(operator)}; expected <, <=, >, >=, == or !=`)
    return undefined
  }

  const value = reader.scalar(valuePair.value)
  if (!isScalarValue(value) || value === null) {
    reader.error(valuePair.value, 'operator', '`value` must be a number or a string')
    return undefined
  }

  if (mapped !== 'equals' && mapped !== '!=' && typeof value !== 'number') {
    reader.error(valuePair.value, 'operator', `\`${String(operator)}\` compares numbers; \`value\` must be a number`)
    return undefined
  }

  if (field === undefined) return undefined
  // agent-mesh names arguments `params.<name>`.
  const path = field.replace(/^(params|args)\./, '').split('.')
  if (mapped === '!=') {
    // agent-mesh's `!=` is false for a missing field: present and not equal.
    return {
      kind: 'all',
      items: [
        {kind: 'arg', path, ops: [{op: 'present', value: true, loc}], loc},
        {kind: 'not', item: {kind: 'arg', path, ops: [{op: 'equals', value, loc}], loc}, loc},
      ],
      loc,
    }
  }

  return {kind: 'arg', path, ops: [{op: mapped, value, loc}], loc}
}

function parseSettings(reader: Reader, node: Node | null, settings: PolicySettings): void {
  const pairs = reader.map(node, 'settings', SETTINGS_KEYS)
  if (!pairs) return
  const choice = <T extends string>(value: Node | null, key: string, options: readonly T[]): T | undefined => {
    const v = reader.scalar(value)
    if (typeof v === 'string' && (options as readonly string[]).includes(v)) return v as T
    reader.error(value, 'setting', `${key} must be one of ${options.join(', ')}`)
    return undefined
  }

  for (const {key, value} of pairs) {
    switch (key) {
      case 'approval_timeout': {
        const seconds = parseDuration(reader.scalar(value))
        if (seconds === undefined || seconds <= 0) reader.error(value, 'setting', 'approval_timeout must be a duration such as 120, 90s or 2m')
        else settings.approvalTimeoutSec = seconds
        break
      }

      case 'pinning':
        settings.pinning = choice(value, key, ['block', 'warn', 'off'] as const) ?? settings.pinning
        break
      case 'scanning':
        settings.scanning = choice(value, key, ['block', 'warn', 'off'] as const) ?? settings.scanning
        break
      case 'redact_results': {
        const v = reader.scalar(value)
        if (typeof v === 'boolean') settings.redactResults = v
        else reader.error(value, 'setting', 'redact_results must be true or false')
        break
      }

      case 'record_arguments':
        settings.recordArguments = choice(value, key, ['digest', 'redacted'] as const) ?? settings.recordArguments
        break
      case 'loop_detection':
        parseLoop(reader, value, settings)
        break
      case 'approve_in_client':
        settings.approveInClient = parseApproveInClient(reader, value)
        break
    }
  }
}

/**
 * The agents whose client shows an elicitation to a person (Claude Code, VS Code, Cursor do; a bot
 * does not, and would answer its own approval). A wildcard may take in such a bot: warned.
 */
function parseApproveInClient(reader: Reader, node: Node | null): string[] {
  const agents: string[] = []
  for (const item of reader.list(node)) {
    const raw = reader.string(item, 'an agent in approve_in_client')
    const agent = raw === undefined ? undefined : canonicalPattern(reader, item, raw, 'agent pattern')
    if (agent === undefined) continue
    if (hasWildcard(agent)) {
      reader.warn(item, 'approve-in-client-wildcard', `approve_in_client "${raw}" is a wildcard: every agent it matches, bots too, is asked to approve its own calls in its client; name each interactive client (claude-code, vscode, cursor)`)
    }

    agents.push(agent)
  }

  return agents
}

function parseLoop(reader: Reader, node: Node | null, settings: PolicySettings): void {
  const direct = reader.scalar(node)
  if (typeof direct === 'boolean') {
    settings.loop.enabled = direct
    return
  }

  const pairs = reader.map(node, 'loop_detection', LOOP_KEYS)
  for (const {key, value} of pairs ?? []) {
    const v = reader.scalar(value)
    if (key === 'enabled') {
      if (typeof v === 'boolean') settings.loop.enabled = v
      else reader.error(value, 'setting', 'loop_detection.enabled must be true or false')
    } else if (key === 'max') {
      if (typeof v === 'number' && Number.isInteger(v) && v >= 1) settings.loop.max = v
      else reader.error(value, 'setting', 'loop_detection.max must be a whole number of calls, 1 or more')
    } else {
      const seconds = parseDuration(v)
      if (seconds === undefined || seconds <= 0) reader.error(value, 'setting', 'loop_detection.window must be a duration such as 10s or 1m')
      else settings.loop.windowSec = seconds
    }
  }
}

function parseMeshApproval(reader: Reader, node: Node | null, settings: PolicySettings): void {
  const pairs = reader.map(node, 'approval (agent-mesh)', ['timeout_seconds', 'notify_url'])
  for (const {key, keyNode, value} of pairs ?? []) {
    if (key === 'notify_url') {
      reader.warn(keyNode, 'ignored-key', '"approval.notify_url" configures agent-mesh itself and is ignored by agentgov')
      continue
    }

    const v = reader.scalar(value)
    if (typeof v === 'number' && v > 0) settings.approvalTimeoutSec = v
    else if (v !== 0) reader.error(value, 'setting', 'approval.timeout_seconds must be a number of seconds')
  }
}
