import {isAbsolute, relative, sep} from 'node:path'
import {pathToFileURL} from 'node:url'

import {sha256} from './digest.js'

/**
 * One SARIF 2.1.0 log from a tool's rules and results, shaped for GitHub code scanning (docs/sarif.md):
 * any command that reports findings (discover, scan) hands its rules and results here and prints the
 * log. The caller says what it found; this module owns how SARIF spells it.
 */

export type SarifSeverity = 'critical' | 'high' | 'info' | 'low' | 'medium'

export interface SarifRule {
  id: string
  /** One line: code scanning shows it beside each result. */
  title: string
  description: string
  /** What to do about a result, as plain text and (optionally) Markdown. */
  help: string
  helpMarkdown?: string
  /** Where the rule is documented (a stable anchor). */
  helpUri: string
  /** Its results' usual severity. */
  severity: SarifSeverity
  /** Other severities its results can carry: each gets a rule entry of its own (see sarifLog). */
  alsoSeverities?: readonly SarifSeverity[]
  tags?: readonly string[]
}

export interface SarifLocation {
  /** An absolute path. */
  file: string
  /** 1-based. */
  line?: number
  /** 1-based, in UTF-16 code units. */
  column?: number
}

export interface SarifResult {
  rule: string
  severity: SarifSeverity
  message: string
  /** The first is where code scanning shows the result; a result must have one (code scanning rejects the whole log otherwise). */
  locations: readonly [SarifLocation, ...SarifLocation[]]
  /**
   * What the result is about, independent of lines and of the order of results (a config key, a
   * framework id): with the rule and the first file it makes the result's fingerprint, so an alert
   * keeps its identity when lines move.
   */
  subject: string
  properties?: Record<string, unknown>
}

export interface SarifInput {
  tool: {name: string; version: string; informationUri?: string}
  rules: readonly SarifRule[]
  results: readonly SarifResult[]
  /** Files under this directory are written relative to it (uriBaseId SRCROOT), as code scanning expects. */
  root?: string
}

/** What the log holds, as far as its readers (tests, code scanning) look. */
export interface SarifLog {
  $schema: string
  version: '2.1.0'
  runs: [SarifRun]
}

export interface SarifRun {
  tool: {driver: {name: string; version: string; semanticVersion: string; informationUri?: string; rules: SarifDescriptor[]}}
  originalUriBaseIds?: {SRCROOT: {uri: string}}
  columnKind: 'utf16CodeUnits'
  results: SarifLogResult[]
}

export interface SarifDescriptor {
  id: string
  name: string
  shortDescription: {text: string}
  fullDescription: {text: string}
  help: {text: string; markdown?: string}
  helpUri: string
  defaultConfiguration: {level: SarifLevel}
  properties: {tags: string[]; 'security-severity'?: string}
}

export interface SarifLogResult {
  ruleId: string
  ruleIndex: number
  level: SarifLevel
  message: {text: string}
  locations: Array<{physicalLocation: {artifactLocation: {uri: string; uriBaseId?: string}; region?: {startLine: number; startColumn?: number}}}>
  partialFingerprints: Record<string, string>
  properties: Record<string, unknown> & {severity: SarifSeverity}
}

type SarifLevel = 'error' | 'note' | 'warning'

const LEVEL: Record<SarifSeverity, SarifLevel> = {critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note'}

/**
 * GitHub reads `security-severity` from the rule, never from the result, and maps it: over 9.0
 * critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. An info rule gets none, so its results are
 * not counted as security alerts.
 */
const SECURITY_SEVERITY: Record<SarifSeverity, string | undefined> = {critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: undefined}

/** The key of our partial fingerprint; versioned so a change of recipe can never match old alerts wrongly. */
export const FINGERPRINT_KEY = 'agentgovFinding/v1'

/**
 * The log. A rule whose results can carry several severities gets one rule entry per severity
 * (`secret-in-config` and `secret-in-config/critical`), because code scanning takes a result's
 * security severity from its rule alone: that is the only way a critical result shows as critical.
 * The rule table is the same on every run (variants are declared, not discovered), which is what
 * code scanning expects of a tool's rules.
 */
export function sarifLog(input: SarifInput): SarifLog {
  const descriptors = input.rules.flatMap((rule) => [rule.severity, ...(rule.alsoSeverities ?? [])].map((severity) => descriptor(rule, severity)))
  const index = new Map(descriptors.map((d, i) => [d.id, i]))
  const results = input.results.map((result) => {
    const id = ruleIdFor(result, input.rules)
    const ruleIndex = index.get(id)
    if (ruleIndex === undefined) throw new Error(`SARIF: result of rule ${id}, which the rule table does not declare`)
    return sarifResult(result, id, ruleIndex, input.root)
  })
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: input.tool.name,
            version: input.tool.version,
            semanticVersion: input.tool.version,
            ...(input.tool.informationUri ? {informationUri: input.tool.informationUri} : {}),
            rules: descriptors,
          },
        },
        ...(input.root ? {originalUriBaseIds: {SRCROOT: {uri: pathToFileURL(input.root.endsWith(sep) ? input.root : input.root + sep).href}}} : {}),
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  }
}

function ruleIdFor(result: SarifResult, rules: readonly SarifRule[]): string {
  const rule = rules.find((r) => r.id === result.rule)
  return !rule || rule.severity === result.severity ? result.rule : `${result.rule}/${result.severity}`
}

function descriptor(rule: SarifRule, severity: SarifSeverity): SarifDescriptor {
  const variant = severity !== rule.severity
  const securitySeverity = SECURITY_SEVERITY[severity]
  const tags = securitySeverity ? ['security', ...(rule.tags ?? [])] : [...(rule.tags ?? [])]
  return {
    id: variant ? `${rule.id}/${severity}` : rule.id,
    name: pascalCase(variant ? `${rule.id}-${severity}` : rule.id),
    shortDescription: {text: variant ? `${rule.title} (${severity})` : rule.title},
    fullDescription: {text: rule.description},
    help: {text: rule.help, ...(rule.helpMarkdown ? {markdown: rule.helpMarkdown} : {})},
    helpUri: rule.helpUri,
    defaultConfiguration: {level: LEVEL[severity]},
    properties: {tags, ...(securitySeverity ? {'security-severity': securitySeverity} : {})},
  }
}

/** Code scanning rejects a whole log with more locations in one result (and shows only the first). */
export const MAX_LOCATIONS = 1000

function sarifResult(result: SarifResult, ruleId: string, ruleIndex: number, root: string | undefined): SarifLogResult {
  const kept = result.locations.slice(0, MAX_LOCATIONS)
  const artifacts = kept.map((location) => artifactOf(location.file, root))
  const leftOut = result.locations.length - kept.length
  return {
    ruleId,
    ruleIndex,
    level: LEVEL[result.severity],
    message: {text: result.message},
    locations: kept.map((location, i) => ({
      physicalLocation: {
        artifactLocation: artifacts[i],
        ...(location.line ? {region: {startLine: location.line, ...(location.column ? {startColumn: location.column} : {})}} : {}),
      },
    })),
    // The rule as it is named in every run (not its severity variant), the file as the log spells
    // it (relative to the checkout when it is inside it) and the subject: nothing that moves with lines.
    partialFingerprints: {[FINGERPRINT_KEY]: sha256([result.rule, artifacts[0].uri, result.subject].join('\0')).slice(0, 32)},
    properties: {severity: result.severity, ...result.properties, ...(leftOut > 0 ? {locationsLeftOut: leftOut} : {})},
  }
}

function artifactOf(file: string, root: string | undefined): {uri: string; uriBaseId?: string} {
  if (root) {
    const rel = relative(root, file)
    if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return {uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT'}
  }

  return {uri: pathToFileURL(file).href}
}

function pascalCase(id: string): string {
  return id.replaceAll(/(^|[-/])([a-z])/g, (_, __, c: string) => c.toUpperCase())
}
