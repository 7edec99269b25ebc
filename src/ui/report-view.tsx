import {Box, Text} from 'ink'

import {statusLabel} from '../report/markdown.js'
import type {Report, Status} from '../../reports/types.js'

const COLOUR: Record<Status, string> = {covered: 'green', partial: 'yellow', gap: 'red', 'out-of-reach': 'gray'}

/** The one-screen summary: window and sources, headline figures, one line per risk and per clause. */
export function ReportView({report}: {report: Report}) {
  const r = report.evidence.runtime
  return (
    <Box flexDirection="column">
      <Text bold>agentgov report · {report.window.from.slice(0, 16)} → {report.window.to.slice(0, 16)} · v{report.agentgov}</Text>
      <Text dimColor>
        {report.sources.map((s) => `${s.kind} ${s.path} (${s.records})`).join(', ') || 'no trace source'}
      </Text>
      <Text>
        {r.records} records · {r.byKind.decision} decisions · {r.denials.total} denied · {r.approvals.total} approvals · {Object.keys(r.agents).length} agents · chain{' '}
        {r.chain.length === 0 ? 'not checked' : r.chain.every((c) => c.ok) ? 'verified' : 'BROKEN'}
      </Text>
      {report.notes.map((n) => (
        <Text key={n} color="yellow">! {n}</Text>
      ))}
      {(report.owasp ?? []).map((risk) => (
        <Box key={risk.id} flexDirection="column">
          <Text wrap="truncate-end">
            {risk.id} <Text color={COLOUR[risk.status]}>{statusLabel(risk.status).padEnd(12)}</Text> {risk.name}
          </Text>
          <Text dimColor wrap="truncate-end">
            {'      '}
            {risk.gaps[0] ? `${risk.why} Next: ${risk.gaps[0].recommendation}` : risk.why}
          </Text>
        </Box>
      ))}
      {(report.compliance ?? []).map((f) => (
        <Text key={f.id} wrap="truncate-end">
          {f.name.padEnd(22)} {f.clauses.length} clauses:{' '}
          {(['covered', 'partial', 'gap', 'out-of-reach'] as const)
            .map((status) => [status, f.clauses.filter((c) => c.status === status).length] as const)
            .filter(([, n]) => n > 0)
            .map(([status, n], i) => (
              <Text key={status} color={COLOUR[status]}>
                {i > 0 ? ', ' : ''}
                {n} {statusLabel(status)}
              </Text>
            ))}
        </Text>
      ))}
      <Text dimColor>Full detail: --format markdown | html | json (--out FILE).</Text>
    </Box>
  )
}
