/**
 * `policy lint`: the parser's errors and warnings, plus two checks on rule order. A rule is
 * unreachable when an earlier rule, for the same agents and stages, with no condition and no
 * limit, names every tool it names. An allow (or audit) rule shadows a later deny when some call
 * matches both: first match wins, so the deny never sees it.
 */
import {readFileSync} from 'node:fs'

import {type Diagnostic, type PolicyAst, precedenceOrder, type RuleAst, type ToolPatternAst} from './ast.js'
import {globCovers, globsOverlap} from './glob.js'
import {type ParseOptions, parsePolicy} from './schema.js'
import {AgentgovError, ExitCode, errorMessage} from '../errors.js'

export interface LintResult {
  file: string
  errors: Diagnostic[]
  warnings: Diagnostic[]
  policies: number
  rules: number
}

export function lintFile(file: string, options: ParseOptions): LintResult {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new AgentgovError(`Cannot read policy file ${file}: ${errorMessage(error)}.`, {exit: ExitCode.input, hint: 'Check the path.'})
  }

  return lintText(text, file, options)
}

export function lintText(text: string, file: string, options: ParseOptions): LintResult {
  const {document, diagnostics} = parsePolicy(text, file, options)
  const all = [...diagnostics]
  if (!diagnostics.some((d) => d.severity === 'error')) all.push(...orderWarnings(document.policies, file))
  all.sort((a, b) => a.line - b.line || a.col - b.col)
  return {
    file,
    errors: all.filter((d) => d.severity === 'error'),
    warnings: all.filter((d) => d.severity === 'warning'),
    policies: document.policies.length,
    rules: document.policies.reduce((n, p) => n + p.rules.length, 0),
  }
}

interface Placed {
  policy: PolicyAst
  rule: RuleAst
}

function orderWarnings(policies: PolicyAst[], file: string): Diagnostic[] {
  const placed: Placed[] = precedenceOrder(policies).flatMap((policy) => policy.rules.map((rule) => ({policy, rule})))
  const out: Diagnostic[] = []
  const warn = (rule: RuleAst, code: string, message: string) => out.push({severity: 'warning', code, file, line: rule.loc.line, col: rule.loc.col, message})
  for (let j = 0; j < placed.length; j++) {
    const later = placed[j]
    const blocker = placed.slice(0, j).find((earlier) => covers(earlier, later))
    if (blocker) {
      warn(later.rule, 'unreachable-rule', `rule "${later.rule.id}" can never apply: rule "${blocker.rule.id}" (line ${blocker.rule.loc.line}) comes first and matches every call it would`)
      continue
    }

    if (later.rule.action !== 'deny') continue
    for (const earlier of placed.slice(0, j)) {
      if (earlier.rule.action !== 'allow' && earlier.rule.action !== 'audit') continue
      if (!agentsOverlap(earlier.policy.agent, later.policy.agent) || !stagesOverlap(earlier.rule, later.rule)) continue
      // An allow carved out of a broader deny (`github.get_*` before `github.*`) is the usual
      // exception pattern, not a mistake: warn only when the deny is not a superset of the allow.
      if (denyContainsAllow(earlier, later)) continue
      const overlap = firstOverlap(earlier.rule.tools, later.rule.tools)
      if (!overlap) continue
      warn(
        earlier.rule,
        'allow-shadows-deny',
        `${earlier.rule.action} rule "${earlier.rule.id}" comes before deny rule "${later.rule.id}" (line ${later.rule.loc.line}) and both match ${overlap}${earlier.rule.when ? ' when its condition holds' : ''}: the allow wins; move the deny first if it should`,
      )
    }
  }

  return out
}

function covers(earlier: Placed, later: Placed): boolean {
  const e = earlier.rule
  if (e.when || e.rateLimit || earlier.policy.rateLimit) return false
  if (!globCovers(earlier.policy.agent, later.policy.agent)) return false
  if (e.stages && (!later.rule.stages || !later.rule.stages.every((s) => e.stages!.includes(s)))) return false
  return later.rule.tools.every((inner) => e.tools.some((outer) => globCovers(outer.server, inner.server) && globCovers(outer.tool, inner.tool)))
}

function denyContainsAllow(allow: Placed, deny: Placed): boolean {
  if (deny.rule.when || !globCovers(deny.policy.agent, allow.policy.agent)) return false
  return allow.rule.tools.every((inner) => deny.rule.tools.some((outer) => globCovers(outer.server, inner.server) && globCovers(outer.tool, inner.tool)))
}

function agentsOverlap(a: string, b: string): boolean {
  return globsOverlap(a, b)
}

function stagesOverlap(a: RuleAst, b: RuleAst): boolean {
  return !a.stages || !b.stages || a.stages.some((s) => b.stages!.includes(s))
}

function firstOverlap(a: ToolPatternAst[], b: ToolPatternAst[]): string | undefined {
  for (const x of a) for (const y of b) if (globsOverlap(x.server, y.server) && globsOverlap(x.tool, y.tool)) return `${y.source}`
  return undefined
}
