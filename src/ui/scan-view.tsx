import {Box, Text} from 'ink'

import {makeVisible} from '../detect/visible.js'
import {CAPABILITY_LABEL} from '../scan/capabilities.js'
import type {ScanFinding, ScannedServer, ScanReport} from '../scan/types.js'
import {tildify} from './text.js'
import {SEVERITY_COLOR} from './theme.js'

const STATUS_COLOR: Record<ScannedServer['status'], string> = {ok: 'green', failed: 'red', timeout: 'red', skipped: 'yellow'}

/** `agentgov scan`: client by client, each server with what it lists and what was found in it; toxic flows per client. */
export function ScanView({report, home}: {report: ScanReport; home: string}) {
  if (report.servers.length === 0) return <Text>No MCP servers found in the configs selected.</Text>
  const byId = new Map(report.servers.map((s) => [s.id, s]))
  return (
    <Box flexDirection="column">
      {report.clients.map((client) => {
        const findings = report.findings.filter((f) => f.client === client.client)
        return (
          <Box key={client.client} flexDirection="column" marginBottom={1}>
            <Text bold>
              {client.name} <Text dimColor>({client.client})</Text>
            </Text>
            {findings
              .filter((f) => f.kind === 'toxic-flow')
              .map((f) => (
                <FlowRow key={f.message} finding={f} />
              ))}
            {client.servers.map((id) => {
              const server = byId.get(id)!
              return <ServerRow key={id} server={server} home={home} client={client.client} findings={findings.filter((f) => f.server === id && f.kind !== 'toxic-flow')} />
            })}
          </Box>
        )
      })}
      <Text>
        {report.summary.listed} of {report.summary.servers} server(s) listed ({report.summary.tools} tools, {report.summary.prompts} prompts, {report.summary.resources} resources)
        {report.summary.failed > 0 ? <Text color="red">, {report.summary.failed} failed</Text> : null}; findings: <Text color="red">{report.summary.findings.high} high</Text>, <Text color="yellow">{report.summary.findings.medium} medium</Text>,{' '}
        <Text color="blue">{report.summary.findings.low} low</Text>.
      </Text>
    </Box>
  )
}

function ServerRow({server, home, client, findings}: {server: ScannedServer; home: string; client: string; findings: ScanFinding[]}) {
  const use = server.uses.find((u) => u.client === client)
  const pins = {new: 0, same: 0, changed: 0}
  for (const tool of server.tools) if (tool.pin) pins[tool.pin]++
  return (
    <Box flexDirection="column" marginLeft={2}>
      <Text>
        <Text color={STATUS_COLOR[server.status]}>{server.status.padEnd(8)}</Text>
        <Text color="cyan">{server.name}</Text>
        {use ? <Text dimColor> {tildify(use.file, home)}{use.wrapped ? ' (wrapped)' : ''}</Text> : null}
      </Text>
      {server.status === 'ok' ? (
        <Text dimColor>
          {'          '}
          {server.era} {server.protocolVersion ?? ''} · {server.tools.length} tools, {server.prompts.length} prompts, {server.resources.length} resources, {server.resourceTemplates.length} templates · pins: {pins.new} new, {pins.same} same
          {pins.changed > 0 ? `, ${pins.changed} changed` : ''} · {(server.durationMs / 1000).toFixed(1)} s
        </Text>
      ) : (
        <Text color={STATUS_COLOR[server.status]}>
          {'          '}
          {makeVisible(server.reason ?? '')}
        </Text>
      )}
      {findings.map((f, i) => (
        <FindingRow key={`${i}:${f.message}`} finding={f} />
      ))}
    </Box>
  )
}

function FindingRow({finding}: {finding: ScanFinding}) {
  return (
    <Box flexDirection="column" marginLeft={10}>
      <Text>
        <Text color={SEVERITY_COLOR[finding.severity]}>{finding.severity.padEnd(7)}</Text>
        {finding.subject ? <Text bold>{finding.subject.name}</Text> : null}
        <Text dimColor> {finding.technique ?? finding.kind}</Text> {finding.message}
      </Text>
      {finding.excerpt === undefined ? null : (
        <Text dimColor>
          {'       '}
          {finding.field}[{finding.start}..{finding.end}]: "{finding.excerpt}"
        </Text>
      )}
    </Box>
  )
}

function FlowRow({finding}: {finding: ScanFinding}) {
  return (
    <Box flexDirection="column" marginLeft={2}>
      <Text>
        <Text color={SEVERITY_COLOR[finding.severity]}>toxic flow</Text> {finding.message}
      </Text>
      {(finding.flow ?? []).map((step) => (
        <Text key={step.capability} dimColor>
          {'    '}
          {step.serverName}.{step.tool} {CAPABILITY_LABEL[step.capability]}: {step.why}
        </Text>
      ))}
    </Box>
  )
}
