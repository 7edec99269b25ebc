import type {Hit, Severity, Surface, Technique} from './finding.js'
import {type Folded, fold, originalSpan} from './fold.js'

/** What the caller knows around the thing judged: its own name, its server's tools, other servers' tools. */
export interface DetectContext {
  /** The tool (or prompt) being judged. */
  self?: string
  /** Tools of the same server: references to them are honest. */
  ownTools?: readonly string[]
  /** Tools of the other servers an agent reaches: names close to them are typosquats, mentions are cross-server. */
  otherTools?: ReadonlyArray<{server: string; tool: string}>
}

/** The text one rule reads: every field of one definition joined, and its folded form. */
export interface Subject {
  text: string
  folded: Folded
  surface: Surface
  context: DetectContext
  /** How many decodings deep this text is (a payload inside a payload): encoded rules stop at 2. */
  depth: number
  /** Judge a decoded payload with every rule (set by the detector). */
  inner?: (text: string) => Hit[]
}

export interface RuleMeta {
  id: string
  technique: Technique
  severity: Severity
  /** Where the rule applies. Results are untrusted content (web pages, files): fewer rules apply. */
  surfaces: readonly Surface[]
  /** What the rule looks for, for docs and `--json`. */
  description: string
}

/** A detector module, in the shape of an ESLint rule: a meta block and one function. */
export interface TextRule {
  meta: RuleMeta
  check(subject: Subject): Hit[]
}

/** A rule on the name of a tool (or prompt), given the names around it. */
export interface NameRule {
  meta: RuleMeta
  check(name: string, context: DetectContext): Hit[]
}

export const ALL_SURFACES: readonly Surface[] = ['tool', 'prompt', 'resource', 'result']
export const DEFINITIONS: readonly Surface[] = ['tool', 'prompt', 'resource']

export function subjectOf(text: string, surface: Surface, context: DetectContext = {}, depth = 0, inner?: (text: string) => Hit[]): Subject {
  return {text, folded: fold(text), surface, context, depth, inner}
}

/**
 * Run a pattern over the folded text and report each match on the original span. `judge` may
 * refuse a match (return undefined) or word the message from it. Every pattern given here is
 * global and linear-time (see test/unit/detect/linear.test.ts).
 */
export function phraseHits(subject: Subject, meta: RuleMeta, pattern: RegExp | undefined, judge: (match: RegExpExecArray) => string | undefined, limit = 3): Hit[] {
  const hits: Hit[] = []
  if (!pattern) return hits
  pattern.lastIndex = 0
  for (let match = pattern.exec(subject.folded.text); match; match = pattern.exec(subject.folded.text)) {
    if (match[0].length === 0) {
      pattern.lastIndex++
      continue
    }

    const message = judge(match)
    if (message === undefined) continue
    const [start, end] = originalSpan(subject.folded, match.index, match.index + match[0].length, subject.text)
    hits.push({rule: meta.id, technique: meta.technique, severity: meta.severity, message, start, end})
    if (hits.length >= limit) break
  }

  return hits
}

/** Words as alternatives of a pattern: longest first, spaces as any run of white space. */
export function words(list: readonly string[]): string {
  return [...list]
    .sort((a, b) => b.length - a.length)
    .map((word) => word.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`).replaceAll(' ', String.raw`\s+`))
    .join('|')
}

/** Like words(), but each single word may be broken up by hyphens or dots (`dis-re-gard`, `i.g.n.o.r.e`). */
export function brokenWords(list: readonly string[]): string {
  return [...list]
    .sort((a, b) => b.length - a.length)
    .map((word) => (/^[a-z]+$/.test(word) ? [...word].join('[-.]?') : word.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`).replaceAll(' ', String.raw`\s+`)))
    .join('|')
}

/** The pattern when the text passes its gate (a literal test that lets bulk text skip it), else nothing. */
export function gated(gate: RegExp, text: string, pattern: RegExp): RegExp | undefined {
  return gate.test(text) ? pattern : undefined
}

/** Every pattern a rule registers, for the linear-time test. */
export const PATTERNS: RegExp[] = []

export function pattern(source: string, flags = 'g'): RegExp {
  const compiled = new RegExp(source, flags)
  PATTERNS.push(compiled)
  return compiled
}
