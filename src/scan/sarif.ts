import {pathToFileURL} from 'node:url'

import {NAME_RULES, TEXT_RULES} from '../detect/index.js'
import {toSarif} from '../discovery/sarif.js'
import {INVENTORY_SCHEMA, type Inventory} from '../discovery/types.js'
import {VERSION} from '../version.js'
import type {ScanFinding, ScanReport} from './types.js'

/** Rules of the scan itself, besides the detector's (one per technique rule). */
const SCAN_RULES: Record<string, {description: string; severity: ScanFinding['severity']}> = {
  'toxic-flow': {description: 'One agent reaches a tool that brings untrusted content in, one that reads private data and one that sends data out.', severity: 'high'},
  'tool-name-shadowing': {description: 'Two servers of one agent offer a tool of the same name.', severity: 'medium'},
  'rug-pull': {description: 'A tool definition differs from the one pinned earlier.', severity: 'high'},
}

const LEVEL = {high: 'error', medium: 'warning', low: 'note'} as const
const SECURITY_SEVERITY = {high: '8.0', medium: '5.5', low: '3.0'} as const

/**
 * SARIF 2.1.0 for a scan. The log's frame (schema, version, agentgov as the driver) comes from
 * discover's builder, called on an empty inventory; the rules and results are the scan's own.
 */
export function scanSarif(report: ScanReport): object {
  const log = toSarif(emptyInventory(report)) as {runs: Array<{tool: {driver: Record<string, unknown>}; results: unknown[]; originalUriBaseIds?: unknown}>}
  const rules = [
    ...[...TEXT_RULES, ...NAME_RULES].map((rule) => ({id: rule.meta.id, description: rule.meta.description, severity: rule.meta.severity as ScanFinding['severity']})),
    ...Object.entries(SCAN_RULES).map(([id, rule]) => ({id, ...rule})),
  ]
  const index = new Map(rules.map((rule, i) => [rule.id, i]))
  const run = log.runs[0]
  delete run.originalUriBaseIds
  run.tool.driver.rules = rules.map((rule) => ({
    id: rule.id,
    shortDescription: {text: rule.description},
    defaultConfiguration: {level: LEVEL[rule.severity]},
    properties: {tags: ['security', 'mcp'], 'security-severity': SECURITY_SEVERITY[rule.severity]},
  }))
  run.results = report.findings.map((finding) => {
    const ruleId = ruleOf(finding)
    const server = report.servers.find((s) => s.id === finding.server)
    const file = server?.uses.find((u) => u.client === finding.client)?.file
    const subject = [finding.client, finding.serverName, finding.subject?.name].filter(Boolean).join('/')
    return {
      ruleId,
      ...(index.has(ruleId) && {ruleIndex: index.get(ruleId)}),
      level: LEVEL[finding.severity],
      message: {text: finding.excerpt ? `${finding.message} (${finding.field}: "${finding.excerpt}")` : finding.message},
      locations: [
        {
          ...(file && {physicalLocation: {artifactLocation: {uri: pathToFileURL(file).href}}}),
          logicalLocations: [{name: subject, kind: 'member'}],
        },
      ],
      properties: {kind: finding.kind, severity: finding.severity, client: finding.client, ...(finding.flow && {flow: finding.flow}), ...(finding.technique && {technique: finding.technique})},
    }
  })
  return log
}

function ruleOf(finding: ScanFinding): string {
  if (finding.kind === 'toxic-flow' || finding.kind === 'rug-pull') return finding.kind
  return finding.rule ?? 'tool-name-shadowing'
}

function emptyInventory(report: ScanReport): Inventory {
  const none = {critical: 0, high: 0, medium: 0, low: 0, info: 0}
  return {
    schema: INVENTORY_SCHEMA,
    agentgov: VERSION,
    generatedAt: report.generatedAt,
    host: {platform: process.platform, home: ''},
    scanned: {machine: false, processes: false, repositories: []},
    summary: {agents: 0, clients: 0, servers: 0, governed: 0, approved: 0, shadow: 0, findings: none},
    agents: [],
    clients: [],
    servers: [],
    repositories: [],
    processes: [],
    findings: [],
    stats: {filesVisited: 0, wallMs: 0},
  }
}
