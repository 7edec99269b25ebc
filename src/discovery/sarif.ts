import {relative, sep} from 'node:path'

import {type SarifLog, sarifLog, type SarifResult, type SarifRule} from '../sarif.js'
import {VERSION} from '../version.js'
import {FINDINGS_DOC, helpUriOf, RULES, type RuleId} from './rules.js'
import type {Finding, Inventory} from './types.js'

/** The inventory's findings, and one note per framework and repository, as a SARIF log (docs/sarif.md). */
export function toSarif(inventory: Inventory): SarifLog {
  return sarifLog({
    tool: {name: 'agentgov', version: VERSION, informationUri: FINDINGS_DOC},
    rules: DISCOVERY_RULES,
    results: [...inventory.findings.flatMap((finding) => findingResult(finding)), ...frameworkResults(inventory)],
    root: inventory.scanned.repositories[0],
  })
}

/** Findings about no file (a running process's arguments): code scanning rejects a log holding one. */
export function findingsLeftOutOfSarif(inventory: Inventory): Finding[] {
  return inventory.findings.filter((finding) => !finding.file)
}

const DISCOVERY_RULES: SarifRule[] = (Object.keys(RULES) as RuleId[]).map((id) => {
  const meta = RULES[id]
  const owasp = `OWASP Agentic: ${meta.asi.join(', ')}; OWASP MCP Top 10: ${meta.mcp.join(', ')}.`
  return {
    id,
    title: meta.title,
    description: `${meta.title}. ${owasp}`,
    help: meta.fix,
    helpMarkdown: `**Fix:** ${meta.fix}\n\n${owasp} [More](${helpUriOf(id)})`,
    helpUri: helpUriOf(id),
    severity: meta.severity,
    ...('raisedTo' in meta ? {alsoSeverities: [meta.raisedTo]} : {}),
    tags: [...meta.asi, ...meta.mcp],
  }
})

function findingResult(finding: Finding): SarifResult[] {
  if (!finding.file) return []
  return [
    {
      rule: finding.rule,
      severity: finding.severity,
      message: `${finding.message} Fix: ${finding.fix}`,
      locations: [{file: finding.file, line: finding.line, column: finding.column}],
      subject: finding.key ?? '',
      properties: {asi: finding.asi, mcp: finding.mcp},
    },
  ]
}

/** One result per framework and repository, one location per file that shows it (at its first line). */
function frameworkResults(inventory: Inventory): SarifResult[] {
  const root = inventory.scanned.repositories[0]
  return inventory.repositories.flatMap((repo) =>
    repo.frameworks.flatMap((framework): SarifResult[] => {
      const byFile = new Map<string, number | undefined>()
      for (const e of framework.evidence) {
        const line = byFile.get(e.file)
        if (!byFile.has(e.file) || (e.line !== undefined && (line === undefined || e.line < line))) byFile.set(e.file, e.line)
      }

      const [first, ...rest] = [...byFile].map(([file, line]) => ({file, line}))
      if (!first) return []
      const kinds = [...new Set(framework.evidence.map((e) => e.kind))].join(', ')
      return [
        {
          rule: 'agent-framework',
          severity: 'info',
          message: `${framework.name}${framework.transitive ? ' (transitive)' : ''} in ${repo.path}: ${byFile.size} file(s) by ${kinds}.`,
          locations: [first, ...rest],
          // The repository as the log names it, so the note keeps its identity from checkout to checkout.
          subject: `${root ? relative(root, repo.path).split(sep).join('/') : repo.path}#${framework.framework}`,
          properties: {framework: framework.framework, repository: repo.path, transitive: framework.transitive},
        },
      ]
    }),
  )
}
