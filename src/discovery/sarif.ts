import {isAbsolute, relative, sep} from 'node:path'
import {pathToFileURL} from 'node:url'

import {VERSION} from '../version.js'
import {RULES, type RuleId, type RuleMeta} from './rules.js'
import type {Finding, Inventory, Severity} from './types.js'

const LEVEL: Record<Severity, 'error' | 'note' | 'warning'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
}

/** GitHub code scanning ranks security results by this number (0–10). */
const SECURITY_SEVERITY: Record<Severity, string> = {critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0'}

/**
 * SARIF 2.1.0 for code scanning in CI. Paths under the first scanned repository are written
 * relative to it (uriBaseId SRCROOT), which is what code-scanning services expect; others are
 * absolute file URIs.
 */
export function toSarif(inventory: Inventory): object {
  const ruleIds = Object.keys(RULES) as RuleId[]
  const root = inventory.scanned.repositories[0]
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'agentgov',
            version: VERSION,
            semanticVersion: VERSION,
            rules: ruleIds.map((id) => sarifRule(id, RULES[id])),
          },
        },
        ...(root ? {originalUriBaseIds: {SRCROOT: {uri: pathToFileURL(root.endsWith(sep) ? root : root + sep).href}}} : {}),
        results: [
          ...inventory.findings.map((finding) => sarifResult(finding, ruleIds.indexOf(finding.rule as RuleId), root)),
          ...frameworkResults(inventory, ruleIds.indexOf('agent-framework'), root),
        ],
      },
    ],
  }
}

function sarifRule(id: RuleId, meta: RuleMeta): object {
  return {
    id,
    name: id.replaceAll(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: {text: meta.title},
    fullDescription: {text: `${meta.title}. OWASP ${[...meta.asi, ...meta.mcp].join(', ')}.`},
    help: {text: meta.fix, markdown: `**Fix:** ${meta.fix}\n\nOWASP Agentic: ${meta.asi.join(', ')}; OWASP MCP Top 10: ${meta.mcp.join(', ')}.`},
    defaultConfiguration: {level: LEVEL[meta.severity]},
    properties: {tags: ['security', ...meta.asi, ...meta.mcp], 'security-severity': SECURITY_SEVERITY[meta.severity]},
  }
}

function sarifResult(finding: Finding, ruleIndex: number, root: string | undefined): object {
  const result: Record<string, unknown> = {
    ruleId: finding.rule,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: {text: `${finding.message} Fix: ${finding.fix}`},
    properties: {severity: finding.severity, 'security-severity': SECURITY_SEVERITY[finding.severity], asi: finding.asi, mcp: finding.mcp},
  }
  if (finding.file) {
    result.locations = [
      {
        physicalLocation: {
          artifactLocation: artifactOf(finding.file, root),
          ...(finding.line ? {region: {startLine: finding.line}} : {}),
        },
      },
    ]
  } else if (finding.subject) {
    result.locations = [{logicalLocations: [{name: finding.subject, kind: 'process'}]}]
  }

  return result
}

/** One result per framework and repository, one location per file that shows it (at its first line). */
function frameworkResults(inventory: Inventory, ruleIndex: number, root: string | undefined): object[] {
  return inventory.repositories.flatMap((repo) =>
    repo.frameworks.map((framework) => {
      const byFile = new Map<string, number | undefined>()
      for (const e of framework.evidence) {
        const line = byFile.get(e.file)
        if (!byFile.has(e.file) || (e.line !== undefined && (line === undefined || e.line < line))) byFile.set(e.file, e.line)
      }

      const kinds = [...new Set(framework.evidence.map((e) => e.kind))].join(', ')
      return {
        ruleId: 'agent-framework',
        ruleIndex,
        level: LEVEL.info,
        message: {
          text: `${framework.name}${framework.transitive ? ' (transitive)' : ''} in ${repo.path}: ${byFile.size} file(s) by ${kinds}.`,
        },
        locations: [...byFile].map(([file, line]) => ({
          physicalLocation: {artifactLocation: artifactOf(file, root), ...(line ? {region: {startLine: line}} : {})},
        })),
        properties: {framework: framework.framework, repository: repo.path, transitive: framework.transitive},
      }
    }),
  )
}

function artifactOf(file: string, root: string | undefined): object {
  if (root) {
    const rel = relative(root, file)
    if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return {uri: rel.split(sep).join('/'), uriBaseId: 'SRCROOT'}
  }

  return {uri: pathToFileURL(file).href}
}
