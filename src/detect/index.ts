import {type Field, promptFields, resourceFields, resultFields, toolFields} from './fields.js'
import type {Finding, Hit, Surface} from './finding.js'
import {type DetectContext, type NameRule, subjectOf, type TextRule} from './rule.js'
import {concealment} from './rules/concealment.js'
import {credentialRequest} from './rules/credential-request.js'
import {crossServer} from './rules/cross-server.js'
import {encoded} from './rules/encoded.js'
import {exfiltration} from './rules/exfiltration.js'
import {hiddenComment} from './rules/hidden-comment.js'
import {homoglyphName, homoglyphText} from './rules/homoglyph.js'
import {invisible} from './rules/invisible.js'
import {modelTag} from './rules/model-tag.js'
import {override} from './rules/override.js'
import {padding} from './rules/padding.js'
import {typosquatName} from './rules/typosquat.js'
import {excerptOf} from './visible.js'
import {OVERLAP, scanWindows, WINDOW} from './windows.js'

export type {Finding, Severity, Surface, Technique} from './finding.js'
export {inSchema} from './finding.js'
export type {DetectContext} from './rule.js'

/** The catalogue: one module per technique. */
export const TEXT_RULES: readonly TextRule[] = [hiddenComment, modelTag, override, concealment, invisible, encoded, padding, exfiltration, credentialRequest, crossServer, homoglyphText]
export const NAME_RULES: readonly NameRule[] = [homoglyphName, typosquatName]

const SEPARATOR = '\n\n'
const PER_RULE = 3
const SURFACES: readonly Surface[] = ['tool', 'prompt', 'resource', 'result']
// The rules of each surface, chosen once at load rather than on every call.
const TEXT_RULES_ON = new Map(SURFACES.map((surface) => [surface, TEXT_RULES.filter((rule) => rule.meta.surfaces.includes(surface))]))
const NAME_RULES_ON = new Map(SURFACES.map((surface) => [surface, NAME_RULES.filter((rule) => rule.meta.surfaces.includes(surface))]))

function textHits(text: string, surface: Surface, context: DetectContext, depth: number): Hit[] {
  const hits: Hit[] = []
  // Large texts are judged in overlapping pieces (bounded time per pattern); offsets are moved back.
  let base = 0
  for (const piece of text.length > WINDOW ? scanWindows(text) : [text]) {
    const subject = subjectOf(piece, surface, context, depth, (decoded) => textHits(decoded, surface, context, depth + 1))
    for (const rule of TEXT_RULES_ON.get(surface)!) {
      for (const hit of rule.check(subject)) hits.push(base === 0 ? hit : {...hit, start: hit.start + base, end: hit.end + base})
    }

    base += WINDOW - OVERLAP
  }

  return hits
}

/**
 * Judge the strings of one definition or result. The fields are joined into one text (so each
 * pattern runs once, not once per field) and every hit is placed back in its field.
 */
export function detectFields(fields: readonly Field[], surface: Surface, context: DetectContext = {}): Finding[] {
  const starts: number[] = []
  let offset = 0
  for (const field of fields) {
    starts.push(offset)
    offset += field.text.length + SEPARATOR.length
  }

  const joined = fields.map((f) => f.text).join(SEPARATOR)
  const findings: Finding[] = []
  const perRule = new Map<string, number>()
  const seen = new Set<string>()
  const add = (hit: Hit, index: number, start: number, end: number): void => {
    const count = perRule.get(hit.rule) ?? 0
    const key = `${hit.technique}:${index}:${start}:${end}`
    if (count >= PER_RULE || seen.has(key)) return
    seen.add(key)
    perRule.set(hit.rule, count + 1)
    const field = fields[index]
    findings.push({rule: hit.rule, technique: hit.technique, severity: hit.severity, message: hit.message, start, end, field: field.path, excerpt: excerptOf(field.text.slice(start, end))})
  }

  for (const hit of textHits(joined, surface, context, 0)) {
    const index = fieldAt(starts, hit.start)
    const base = starts[index]
    add(hit, index, hit.start - base, Math.min(hit.end, base + fields[index].text.length) - base)
  }

  for (const [index, field] of fields.entries()) {
    if (field.role !== 'name') continue
    for (const rule of NAME_RULES_ON.get(surface)!) {
      for (const hit of rule.check(field.text, context)) add(hit, index, hit.start, hit.end)
    }
  }

  return findings
}

/** The field an offset of the joined text falls in (a definition has a handful of fields: a scan is enough). */
function fieldAt(starts: readonly number[], offset: number): number {
  let index = 0
  while (index + 1 < starts.length && starts[index + 1] <= offset) index++
  return index
}

/** A tool definition: name, title, description, every string of its schemas, annotations. */
export function detectTool(tool: Record<string, unknown>, context: DetectContext = {}): Finding[] {
  return detectFields(toolFields(tool), 'tool', {...context, self: typeof tool.name === 'string' ? tool.name : context.self})
}

export function detectPrompt(prompt: Record<string, unknown>, context: DetectContext = {}): Finding[] {
  return detectFields(promptFields(prompt), 'prompt', {...context, self: typeof prompt.name === 'string' ? prompt.name : context.self})
}

export function detectResource(resource: Record<string, unknown>, context: DetectContext = {}): Finding[] {
  return detectFields(resourceFields(resource), 'resource', context)
}

/** A tool result: text, structured content, embedded resources and links (binary payloads skipped). */
export function detectResult(result: Record<string, unknown>, context: DetectContext = {}): Finding[] {
  return detectFields(resultFields(result), 'result', context)
}

/** Free text (one field called `text`). */
export function detectText(text: string, surface: Surface = 'tool', context: DetectContext = {}): Finding[] {
  return detectFields([{path: 'text', text, role: 'description'}], surface, context)
}

/** Every tool of one server, each judged with the others as its own tools. */
export function detectTools(tools: ReadonlyArray<Record<string, unknown>>, context: DetectContext = {}): Array<{tool: string; findings: Finding[]}> {
  const ownTools = tools.map((t) => t.name).filter((n): n is string => typeof n === 'string')
  const out: Array<{tool: string; findings: Finding[]}> = []
  for (const tool of tools) {
    const findings = detectTool(tool, {...context, ownTools})
    if (findings.length > 0) out.push({tool: String(tool.name), findings})
  }

  return out
}
