import {NAME_RULES, TEXT_RULES} from '../detect/index.js'
import {type SarifLog, sarifLog, type SarifResult, type SarifRule, type SarifSeverity} from '../sarif.js'
import {VERSION} from '../version.js'
import type {ScanFinding, ScanReport} from './types.js'

const SCAN_DOC = 'https://github.com/agentgov/agentgov/blob/main/docs/scan.md'
const SEVERITIES: readonly SarifSeverity[] = ['high', 'medium', 'low']

/** The scan's own rules, besides the detector's; `definition` stands for a detector rule this table does not know (yet). */
const SCAN_RULES: ReadonlyArray<Omit<SarifRule, 'alsoSeverities' | 'helpUri'> & {anchor: string}> = [
  {
    id: 'toxic-flow',
    title: 'Toxic flow across servers',
    description: 'One agent reaches a tool that brings untrusted content in, one that reads private data and one that sends data out.',
    help: 'Take one of the three tools away from this agent (remove the server, or deny the tool in the policy), or put the sending tool behind a person (action: human_approval).',
    severity: 'high',
    anchor: 'toxic-flows',
  },
  {
    id: 'tool-name-shadowing',
    title: 'Two servers offer a tool of the same name',
    description: 'Two servers of one agent offer a tool of the same name: one shadows the other, and the model cannot tell which it calls.',
    help: 'Remove one of the servers from this client, or rename the tool on the server you control.',
    severity: 'medium',
    anchor: 'shadowing',
  },
  {
    id: 'rug-pull',
    title: 'Tool definition changed since it was pinned',
    description: 'A tool definition differs from the one pinned earlier (or a new tool looks like a pinned one that left the listing).',
    help: "Review the change with 'agentgov pins show SERVER'; accept it with 'agentgov pins accept SERVER TOOL' only if you trust it.",
    severity: 'high',
    anchor: 'pins-and-the-proxy',
  },
  {
    id: 'definition',
    title: 'Instructions hidden in a definition',
    description: 'A tool, prompt or resource definition carries text aimed at the model rather than at the person.',
    help: 'Do not let an agent reach this server until its author fixes the definition; see the finding for the span.',
    severity: 'high',
    anchor: 'findings',
  },
]

/**
 * The detector's rules and the scan's, each declared at every severity a finding can carry (a
 * detector rule may raise or lower one hit): the table is the same on every run, as code
 * scanning expects.
 */
const RULES: readonly SarifRule[] = [
  ...[...TEXT_RULES, ...NAME_RULES].map(({meta}) => ({
    id: meta.id,
    title: meta.description,
    description: `${meta.description} (technique: ${meta.technique})`,
    help: 'Do not let an agent reach this server until its author fixes the definition; the result says which field and span.',
    helpUri: `${SCAN_DOC}#findings`,
    severity: meta.severity,
    tags: ['mcp', meta.technique],
  })),
  ...SCAN_RULES.map(({anchor, ...rule}) => ({...rule, helpUri: `${SCAN_DOC}#${anchor}`, tags: ['mcp']})),
].map((rule) => ({...rule, alsoSeverities: SEVERITIES.filter((s) => s !== rule.severity)}))

const RULE_IDS = new Set(RULES.map((rule) => rule.id))

/**
 * SARIF 2.1.0 for a scan, through the shared builder. Each result is at the config file that makes
 * the agent reach the server (a toxic flow: the file of its first tool's server); paths under `root`
 * are relative to it.
 */
export function scanSarif(report: ScanReport, root?: string): SarifLog {
  return sarifLog({tool: {name: 'agentgov', version: VERSION, informationUri: SCAN_DOC}, rules: RULES, results: report.findings.flatMap((finding) => resultOf(report, finding)), root})
}

function resultOf(report: ScanReport, finding: ScanFinding): SarifResult[] {
  const serverId = finding.server ?? finding.flow?.[0]?.server
  const file = report.servers.find((s) => s.id === serverId)?.uses.find((u) => u.client === finding.client)?.file
  if (!file) return []
  return [
    {
      rule: ruleOf(finding),
      severity: finding.severity,
      message: finding.excerpt === undefined ? finding.message : `${finding.message} (${finding.field}: "${finding.excerpt}")`,
      locations: [{file}],
      subject: subjectOf(finding),
      properties: {
        kind: finding.kind,
        client: finding.client,
        ...(finding.serverName && {server: finding.serverName}),
        ...(finding.subject && {subject: finding.subject}),
        ...(finding.technique && {technique: finding.technique}),
        ...(finding.flow && {flow: finding.flow}),
      },
    },
  ]
}

function ruleOf(finding: ScanFinding): string {
  if (finding.kind === 'toxic-flow' || finding.kind === 'rug-pull') return finding.kind
  if (finding.rule) return RULE_IDS.has(finding.rule) ? finding.rule : 'definition'
  return 'tool-name-shadowing'
}

/** What the result is about, stable from run to run: the agent, the server, the item and the span. */
function subjectOf(finding: ScanFinding): string {
  if (finding.flow) return [finding.client, ...finding.flow.map((step) => `${step.serverName}.${step.tool}`)].join('/')
  const item = finding.subject ? `${finding.subject.type}:${finding.subject.name}` : ''
  const span = finding.field === undefined ? '' : `${finding.field}@${finding.start}`
  return [finding.client, finding.serverName, item, finding.rule ?? '', span].join('/')
}
