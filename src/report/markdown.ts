import type {Report, Status} from '../../reports/types.js'

const LABEL: Record<Status, string> = {covered: 'covered', partial: 'partial', gap: 'GAP', 'out-of-reach': 'out of reach'}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ')

export function statusLabel(status: Status): string {
  return LABEL[status]
}

export function toMarkdown(report: Report): string {
  const out: string[] = []
  const r = report.evidence.runtime
  out.push('# agentgov coverage report', '')
  out.push(`- Window: ${report.window.from} to ${report.window.to}`)
  out.push(`- agentgov ${report.agentgov}, generated ${report.generatedAt}`)
  out.push(`- Sources: ${report.sources.map((s) => `${s.kind} ${s.path} (${s.records} records${s.unreadable ? `, ${s.unreadable} unreadable` : ''}${s.error ? `, error: ${s.error}` : ''})`).join('; ') || 'none'}`)
  const p = report.evidence.controls.policy
  out.push(`- Policy: ${p.loaded ? p.file : `none${p.error ? ` (${p.error})` : ''}`}`)
  const inv = report.evidence.controls.inventory
  out.push(`- Inventory: ${inv.source === 'none' ? `none${inv.error ? ` (${inv.error})` : ''}` : inv.source === 'file' ? inv.path : 'fresh scan'}`)
  out.push(`- Records: ${r.records} (${r.byKind.decision} decisions, ${r.byKind.approval} approvals, ${r.byKind.trust} trust checks); ${r.denials.total} denials; ${Object.keys(r.agents).length} agents`)
  out.push('')
  if (report.notes.length > 0) {
    out.push('## Notes', '', ...report.notes.map((n) => `- ${n}`), '')
  }

  if (report.owasp) {
    out.push('## OWASP Top 10 for Agentic Applications (2026)', '')
    out.push('| Risk | Name | Status | Why |', '|---|---|---|---|')
    for (const risk of report.owasp) out.push(`| ${risk.id} | ${cell(risk.name)} | ${LABEL[risk.status]} | ${cell(risk.why)} |`)
    out.push('')
    for (const risk of report.owasp) {
      out.push(`### ${risk.id} ${risk.name}: ${LABEL[risk.status]}`, '')
      out.push(`${risk.gist}. Reach of a tool-call layer: ${risk.reach} (${risk.reachWhy}) OWASP MCP Top 10: ${risk.mcp.join(', ')}.`, '')
      out.push('Controls:', ...risk.controls.map((c) => `- ${c}`), '')
      out.push('Runtime evidence:', ...risk.evidence.map((c) => `- ${c}`), '')
      if (risk.gaps.length > 0) out.push('Gaps:', ...risk.gaps.map((g) => `- ${g.what}: ${g.recommendation}`), '')
      if (risk.examples.length > 0) out.push(`Example records: ${risk.examples.map((id) => `\`${id}\``).join(', ')}`, '')
    }
  }

  for (const framework of report.compliance ?? []) {
    out.push(`## ${framework.name}`, '', '| Clause | Obligation | Status | Evidence | Missing |', '|---|---|---|---|---|')
    for (const c of framework.clauses) {
      const rows = c.rows.filter((row) => row.state !== 'missing').map((row) => `${row.label} (${row.source}: ${row.detail})`).join('; ')
      out.push(`| ${cell(c.clause)} | ${cell(c.obligation)} | ${LABEL[c.status]} | ${cell(rows || '—')} | ${cell(c.missing.join('; ') || '—')} |`)
    }

    out.push('')
  }

  return out.join('\n') + '\n'
}
